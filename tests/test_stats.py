"""sendstats.stats checked against independent computations: scipy called directly on hand-built tables,
a logistic model refitted by Newton-Raphson in numpy, an ordered logit maximised with scipy.optimize, and the
Benjamini-Hochberg formula written out."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy import stats as st

from sendstats import stats


def test_fisher_2x2_matches_scipy_on_hand_counts():
    import sendstats

    a = sendstats.load_areas()
    a = a[~a["predecessor"]]
    # hand 2x2: coterminous CCG (rows False/True) x WSoA (cols False/True)
    t = np.array(
        [
            [((~a.ccg_coterminous) & (~a.wsoa)).sum(), ((~a.ccg_coterminous) & a.wsoa).sum()],
            [(a.ccg_coterminous & ~a.wsoa).sum(), (a.ccg_coterminous & a.wsoa).sum()],
        ]
    )
    assert t.sum() == 149
    got = stats.table_test(a, "ccg_coterminous", "wsoa")
    assert got["p_value"] == pytest.approx(st.fisher_exact(t).pvalue)
    assert got["effect"] == pytest.approx(st.contingency.odds_ratio(t).statistic)
    assert got["ci_low"] < got["effect"] < got["ci_high"] and got["n_used"] == 149 and got["n_dropped"] == 0


def test_chi_square_uses_permutation_when_counts_small_and_v_matches():
    df = pd.DataFrame({"g": list("aaabbbccccdd") * 3, "y": [True, False] * 18})
    got = stats.table_test(df, "g", "y")
    table = pd.crosstab(df.g, df.y).to_numpy()
    chi = st.chi2_contingency(table, correction=False)
    assert got["statistic"] == pytest.approx(chi.statistic)
    assert "permutation" in got["test"]
    n = table.sum()
    assert got["effect"] == pytest.approx(np.sqrt(chi.statistic / (n * (min(table.shape) - 1))))
    assert 0 <= got["p_value"] <= 1 and np.isnan(got["ci_low"]) and np.isnan(got["ci_high"])
    assert stats.table_test(df, "g", "y") == {**got}  # fixed seed: reproducible (NaN == NaN as the same object)
    # the vectorised permutation p agrees with scipy's permutation method within Monte Carlo error
    ref = st.chi2_contingency(
        table, correction=False, method=st.PermutationMethod(n_resamples=9999, rng=np.random.default_rng(1))
    ).pvalue
    assert abs(got["p_value"] - ref) < 4 * np.sqrt(ref * (1 - ref) / 9999) + 1e-3


def _irls(X, y, iters=50):
    X = np.column_stack([np.ones(len(X)), X])
    b = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X @ b))
        W = p * (1 - p)
        b = b + np.linalg.solve(X.T @ (X * W[:, None]), X.T @ (y - p))
    cov = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    return b, np.sqrt(np.diag(cov))


def test_logistic_refitted_by_hand():
    import sendstats

    a = sendstats.load_areas()
    cols = ["ehcp_20wk_pct", "appeal_rate"]
    d = a.dropna(subset=cols)
    X = d[cols].to_numpy(float)
    Xs = (X - X.mean(0)) / X.std(0, ddof=1)
    b, se = _irls(Xs, d["wsoa"].to_numpy(float))
    got = stats.logistic(a, "wsoa", cols)
    assert got["odds_ratio"].to_numpy() == pytest.approx(np.exp(b[1:]), rel=1e-5)
    assert got["ci_low"].to_numpy() == pytest.approx(np.exp(b[1:] - 1.959964 * se[1:]), rel=1e-4)
    assert (got["n_used"] == len(d)).all() and (got["n_dropped"] == len(a) - len(d)).all()
    assert got["method"].iat[0].startswith("maximum likelihood")


def test_separation_falls_back_to_firth_and_says_so():
    x = np.arange(20, dtype=float)
    df = pd.DataFrame({"x": x, "y": x >= 10})  # perfectly separated
    got = stats.logistic(df, "y", ["x"], standardise=False)
    assert "Firth" in got["method"].iat[0]
    assert np.isfinite(got["odds_ratio"].iat[0]) and got["odds_ratio"].iat[0] > 1
    assert got["ci_low"].iat[0] < got["odds_ratio"].iat[0] < got["ci_high"].iat[0]


def test_ordinal_matches_hand_maximised_likelihood():
    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    latent = 0.8 * x + rng.logistic(size=200)
    y = pd.Categorical(np.digitize(latent, [-0.5, 0.7]), categories=[0, 1, 2], ordered=True)
    df = pd.DataFrame({"x": x, "y": y})

    def nll(theta):
        b, c1, d = theta
        c2 = c1 + np.exp(d)
        F = lambda z: 1 / (1 + np.exp(-z))
        p = np.select([y.codes == 0, y.codes == 1], [F(c1 - b * x), F(c2 - b * x) - F(c1 - b * x)], 1 - F(c2 - b * x))
        return -np.log(p).sum()

    b_hand = optimize.minimize(nll, [0, 0, 0], method="BFGS").x[0]
    got = stats.ordinal(df, "y", ["x"], standardise=False)
    assert got["odds_ratio"].iat[0] == pytest.approx(np.exp(b_hand), rel=1e-3)
    assert got["n_used"].iat[0] == 200


def test_bh_formula():
    p = np.array([0.01, 0.04, 0.03, 0.20, np.nan])
    m = 4
    order = np.argsort(p[:4])
    ranked = p[:4][order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    hand = np.empty(4)
    hand[order] = q_sorted
    got = stats.bh(p)
    assert got[:4] == pytest.approx(hand) and np.isnan(got[4])


def test_mann_whitney_and_screen_columns():
    import sendstats

    a = sendstats.load_areas()
    mw = stats.mann_whitney(a, "ehcp_20wk_pct", "wsoa")
    d = a.dropna(subset=["ehcp_20wk_pct"])
    ref = st.mannwhitneyu(d.loc[d.wsoa, "ehcp_20wk_pct"], d.loc[~d.wsoa, "ehcp_20wk_pct"], alternative="two-sided")
    assert mw["p_value"] == pytest.approx(ref.pvalue) and mw["n_used"] == len(d)
    s = stats.screen(a, "wsoa", ["ehcp_20wk_pct", "ccg_coterminous", "region"])
    assert list(s["q_value_bh"]) == pytest.approx(list(stats.bh(s["p_value"])))
    assert {"n_used", "n_dropped", "effect", "ci_low", "ci_high", "test"} <= set(s.columns)


def test_share_by_denominators():
    import sendstats

    a = sendstats.load_areas()
    s = stats.share_by(a, "ccg_coterminous", "wsoa")
    assert s["n"].sum() == len(a) and s["count"].sum() == int(a["wsoa"].sum())
