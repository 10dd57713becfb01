"""sendstats.stats checked against independent computations: scipy called directly on hand-built tables,
a logistic model refitted by Newton-Raphson in numpy, an ordered logit maximised with scipy.optimize, and the
Benjamini-Hochberg formula written out."""

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy import stats as st

from sendstats import stats
from sendstats.errors import ParameterError


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
    s = stats.screen(a, "wsoa", ["ehcp_20wk_pct", "ccg_coterminous", "region"]).table
    assert list(s["q_value_bh"]) == pytest.approx(list(stats.bh(s["p_value"])))
    assert {"n_used", "n_dropped", "effect", "ci_low", "ci_high", "test", "mw_p_value"} <= set(s.columns)
    # a numeric factor's p comes from the same logistic fit as its interval: p < .05 exactly when the CI excludes 1
    lg = stats.logistic(a, "wsoa", ["ehcp_20wk_pct"]).iloc[0]
    row = s[s["factor"] == "ehcp_20wk_pct"].iloc[0]
    assert row["p_value"] == pytest.approx(lg["p_value"]) and row["mw_p_value"] == pytest.approx(ref.pvalue)
    assert (row["p_value"] < 0.05) == (row["ci_low"] > 1 or row["ci_high"] < 1)


def test_share_by_denominators():
    import sendstats

    a = sendstats.load_areas()
    s = stats.share_by(a, "ccg_coterminous", "wsoa")
    assert s["n"].sum() == len(a) and s["count"].sum() == int(a["wsoa"].sum())


def test_kaplan_meier_by_hand():
    # times 1, 2, 2 (censored), 3, 4 (censored): S(1) = 4/5, S(2) = 4/5 * 3/4 = 0.6, S(3) = 0.6 * 1/2 = 0.3
    km = stats.kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    assert list(km.table["time"]) == [1, 2, 3] and list(km.table["at_risk"]) == [5, 4, 2]
    assert list(km.table["survival"]) == pytest.approx([0.8, 0.6, 0.3])
    assert km.median == 3 and (km.n, km.n_events, km.n_censored) == (5, 3, 2)


def test_cox_matches_a_hand_maximised_partial_likelihood():
    from scipy.optimize import minimize_scalar

    df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6, 7, 8], "e": [1, 1, 0, 1, 1, 0, 1, 1], "x": [1, 1, 0, 1, 0, 0, 1, 0]})

    def nll(b):  # Breslow partial likelihood (no tied times here)
        ll = 0.0
        for i in range(len(df)):
            if df.e[i]:
                risk = df.x[df.t >= df.t[i]]
                ll += b * df.x[i] - np.log(np.exp(b * risk).sum())
        return -ll

    b = minimize_scalar(nll, bounds=(-10, 10), method="bounded").x
    got = stats.cox(df, "t", "e", ["x"]).iloc[0]
    assert got["hazard_ratio"] == pytest.approx(np.exp(b), rel=1e-3) and got["n_events"] == 6


def test_cochran_armitage_by_formula():
    df = pd.DataFrame(
        {
            "year": [1] * 10 + [2] * 10 + [3] * 10,
            "y": [True] * 2 + [False] * 8 + [True] * 5 + [False] * 5 + [True] * 8 + [False] * 2,
        }
    )
    got = stats.cochran_armitage(df, "year", "y")
    # by hand: pbar = 15/30 = .5; T = sum s (x - n pbar) = 1(2-5) + 2(5-5) + 3(8-5) = 6
    # Var = .25 * (10*(1+4+9) - (10*6)^2/30) = .25 * (140 - 120) = 5; z = 6 / sqrt(5)
    assert got["z"] == pytest.approx(6 / np.sqrt(5)) and got["p_value"] == pytest.approx(2 * st.norm.sf(6 / np.sqrt(5)))


@pytest.mark.parametrize("n, p, r", [(149, 0.5, 0.55), (149, 0.3, 0.5), (100, 0.5, 0.4), (82, 0.56, 0.56)])
def test_minimum_detectable_odds_ratio_agrees_with_simulation(n, p, r):
    mde = stats.min_detectable_or(n, p, r)
    assert mde > 1
    power = stats.simulated_power(n, p, r, mde, n_sims=4000)
    assert 0.74 <= power <= 0.86, power  # the approximation gives about 80% power by simulation
    assert stats.simulated_power(n, p, r, 1.0, n_sims=4000) < 0.08  # and about alpha under no association


def test_cut_models_are_binary_logits_at_each_cut_and_separation_is_flagged():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    x = rng.normal(size=120)
    y = pd.Categorical(
        np.digitize(x + rng.normal(size=120), [-0.5, 0.8]).astype(str), categories=["0", "1", "2"], ordered=True
    )
    df = pd.DataFrame({"x": x, "y": y})
    got = stats.cut_models(df, "y", ["x"], standardise=False)
    for k, level_set in ((0, ["1", "2"]), (1, ["2"])):
        ref = sm.Logit(df["y"].isin(level_set).astype(float), sm.add_constant(df["x"])).fit(disp=False)
        assert got["odds_ratio"].iat[k] == pytest.approx(np.exp(ref.params["x"]), rel=1e-6)
    df["band"] = np.where(x < -1.5, "low", "other")
    df.loc[df["band"] == "low", "y"] = "0"
    assert stats.separated_levels(df, "band", "y") == [f"low: all {int((df['band'] == 'low').sum())} 0"]


def _frame(table):
    rows = [(i, j) for i, r in enumerate(table) for j, k in enumerate(r) for _ in range(k)]
    d = pd.DataFrame(rows, columns=["a", "b"])
    return d.astype(
        {
            "a": pd.CategoricalDtype(range(len(table)), ordered=True),
            "b": pd.CategoricalDtype(range(len(table[0])), ordered=True),
        }
    )


def _brute(table):
    """Fisher-Freeman-Halton and linear-by-linear exact p by listing every 2 x c table with the margins."""
    t = np.array(table)
    rs, cs, n = t.sum(1), t.sum(0), t.sum()
    prob = lambda x: math.prod(math.comb(int(c), int(a)) for c, a in zip(cs, x[0])) / math.comb(int(n), int(rs[0]))
    score = lambda x: sum(i * j * x[i][j] for i in range(2) for j in range(len(cs)))
    p_obs, s_obs = prob(t), score(t)
    mean = rs[1] * sum(j * c for j, c in enumerate(cs)) / n
    ffh = trend = 0.0
    for top in itertools.product(*[range(c + 1) for c in cs]):
        if sum(top) != rs[0]:
            continue
        x = np.array([top, cs - np.array(top)])
        p = prob(x)
        ffh += p if p <= p_obs * (1 + 1e-7) else 0
        trend += p if abs(score(x) - mean) >= abs(s_obs - mean) - 1e-9 else 0
    return ffh, trend


@pytest.mark.parametrize("table", [[[3, 7], [9, 2]], [[2, 9, 8], [4, 6, 1]], [[0, 1, 5], [6, 2, 0]]])
def test_exact_tests_match_enumeration(table):
    got = stats.exact_ordinal_tests(_frame(table), "a", "b")
    ffh, trend = _brute(table)
    assert got["ffh_p"] == pytest.approx(ffh, rel=1e-9) and got["trend_p"] == pytest.approx(trend, rel=1e-9)
    if len(table[0]) == 2:
        assert got["ffh_p"] == pytest.approx(st.fisher_exact(table).pvalue, rel=1e-9)


def test_ordinal_mde_by_hand():
    z = st.norm.ppf(0.975) + st.norm.ppf(0.8)
    shares = [0.2, 0.55, 0.25]
    want = math.exp(math.sqrt(3 * z * z / (95 * 0.15 * 0.85 * (1 - sum(s**3 for s in shares)))))
    assert stats.min_detectable_or_ordinal(95, 0.15, shares) == pytest.approx(want)


def test_kruskal_matches_scipy():
    d = pd.DataFrame({"v": [1, 2, 3, 4, 5, 6, 7, 9.0], "g": list("aaabbbcc")})
    got = stats.kruskal_by(d, "v", "g")
    want = st.kruskal([1, 2, 3], [4, 5, 6], [7, 9])
    assert got["p_value"] == pytest.approx(want.pvalue) and got["epsilon2"] == pytest.approx(want.statistic / 7)


def _ordered_logit_loglik(y: np.ndarray, X: np.ndarray, k: int) -> float:
    """The maximised log-likelihood of a proportional-odds model, written out here (thresholds as a first value
    plus positive steps) and maximised with scipy: an independent check of the package's fit."""

    def nll(theta):
        cuts = np.cumsum(np.r_[theta[0], np.exp(theta[1 : k - 1])])
        eta = X @ theta[k - 1 :] if X.shape[1] else np.zeros(len(y))
        cdf = lambda c: 1 / (1 + np.exp(-(c - eta)))
        upper = np.where(y == k - 1, 1.0, cdf(cuts[np.minimum(y, k - 2)]))
        lower = np.where(y == 0, 0.0, cdf(cuts[np.maximum(y - 1, 0)]))
        return -np.log(np.clip(upper - lower, 1e-300, None)).sum()

    res = optimize.minimize(nll, np.zeros(k - 1 + X.shape[1]), method="BFGS", options={"maxiter": 5000})
    return -res.fun


def test_a_factor_of_several_levels_is_tested_as_a_whole_in_the_2023_screen():
    from sendstats.questions import first_2023

    a = first_2023.areas_2023_first()
    result = stats.screen(a, "outcome", ["region", "dmo_in_post", "n_sub_icbs"], ordered=True)
    sc = result.table.set_index("factor")
    region = sc.loc["region"]
    assert region["test"].startswith("likelihood-ratio test of its 8 levels")
    # the likelihood-ratio test recomputed by hand: a model with the region dummies against thresholds only
    used = a.dropna(subset=["outcome", "region"])
    y = used["outcome"].cat.codes.to_numpy()
    X = pd.get_dummies(used["region"].astype(str), drop_first=True).to_numpy(float)
    lr = 2 * (_ordered_logit_loglik(y, X, 3) - _ordered_logit_loglik(y, X[:, :0], 3))
    assert region["p_value"] == pytest.approx(st.chi2.sf(lr, 7), rel=1e-3)
    con = result.contrasts
    assert len(con[con["factor"] == "region"]) == 7 and region["p_value"] not in set(con["p_value"])
    # DMO in post: "Recruiting" is held by one area, so it is not estimable and the test is Yes against No
    dmo = sc.loc["dmo_in_post"]
    assert int((a["dmo_in_post"] == "Recruiting").sum()) == 1
    assert dmo["n_dropped"] == int(a["dmo_in_post"].isna().sum()) + 1
    assert dmo["effect_name"].endswith("vs dmo_in_post=Yes")  # the one contrast left: No against Yes


def test_the_minimum_detectable_odds_ratio_of_the_primary_fit_has_80_percent_power_in_a_simulation_of_its_design():
    """The primary model's minimum detectable odds ratio comes from its own standard error; here outcomes are
    simulated on the very design (the areas' exposure, regions, years and deprivation, the fitted confounder
    effects) with the exposure's odds ratio set to it, refitted with statsmodels directly, and tested."""
    import statsmodels.api as sm

    from sendstats.questions import wsoa

    a = wsoa.primary_frame().dropna(subset=["not_coterminous", "region", "inspection_year"])
    mde = stats.mde_from_fit(wsoa.primary_model().iloc[0])
    z = lambda s: (s - s.mean()) / s.std()
    X = pd.concat(
        [
            a["not_coterminous"].astype(float).rename("exposure"),
            pd.get_dummies(a["region"].astype(str), drop_first=True, dtype=float),
            z(a["inspection_year"].astype(float)),
            z(a["imd_share_most_deprived_decile"].astype(float)),
        ],
        axis=1,
    )
    X = sm.add_constant(X)
    beta = sm.Logit(a["wsoa"].astype(float), X).fit(disp=False).params.copy()
    beta["exposure"] = np.log(mde)
    rng = np.random.default_rng(20161)
    prob = 1 / (1 + np.exp(-(X @ beta)))
    hits = 0
    sims = 300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a draw near separation warns; its large p counts as not detected
        for _ in range(sims):
            fit = sm.Logit(rng.binomial(1, prob), X).fit(disp=False, maxiter=200)
            hits += fit.pvalues["exposure"] < 0.05
    assert 0.70 <= hits / sims <= 0.90, hits / sims
    assert mde > stats.min_detectable_or(len(a), a["not_coterminous"].astype(bool).mean(), a["wsoa"].mean())


def test_the_power_sentence_reads_the_interval_in_each_direction():
    row = {"odds_ratio": 0.28, "ci_low": 0.07, "ci_high": 1.09}
    mde = stats.mde_from_fit(row)
    # SE from the interval by hand: (ln 1.09 - ln 0.07) / (2 x 1.959964); MDE = exp((1.959964 + 0.841621) SE)
    se = (math.log(1.09) - math.log(0.07)) / (2 * 1.959964)
    assert mde == pytest.approx(math.exp((1.959964 + 0.841621) * se), rel=1e-5)
    text = stats.describe_power(row, mde)
    assert f"an odds ratio of {mde:.2f} or more is ruled out, but not one of {1 / mde:.2f} or less" in text
    assert "an odds ratio of 0.33 or less is ruled out, but not one of 2.99 or more" in stats.describe_power(
        {"ci_low": 0.83, "ci_high": 3.87}, 2.99
    )  # report 02's primary interval
    assert "in either direction" in stats.describe_power({"ci_low": 0.2, "ci_high": 5.0}, 3.0)


def test_e_value_by_formula():
    """VanderWeele and Ding's E-value: RR + sqrt(RR (RR - 1)), the odds ratio of a common outcome taken to a
    risk ratio by its square root, an odds ratio under 1 inverted; worked here from the formula."""
    import math

    ev = stats.e_value(1.93, 0.82, 4.51)
    rr = math.sqrt(1.93)
    assert ev["point"] == pytest.approx(rr + math.sqrt(rr * (rr - 1))) and ev["limit"] == 1.0
    ev = stats.e_value(0.44, 0.22, 0.89)  # an interval excluding 1: the limit nearest 1 is the upper one
    rr, lim = 1 / math.sqrt(0.44), 1 / math.sqrt(0.89)
    assert ev["point"] == pytest.approx(rr + math.sqrt(rr * (rr - 1)))
    assert ev["limit"] == pytest.approx(lim + math.sqrt(lim * (lim - 1)))
    assert stats.e_value(3.9, 1.5, 9.0, common=False)["point"] == pytest.approx(3.9 + math.sqrt(3.9 * 2.9))
    assert "E-value for this estimate: 2.12" in stats.describe_e_value(stats.e_value(1.93, 0.82, 4.51), "this estimate")


def test_cluster_robust_intervals_against_a_sandwich_written_here():
    """The cluster-robust logistic and ordinal intervals: the logistic one against (X'WX)^-1 B (X'WX)^-1 with
    B the sum over clusters of the outer products of the clusters' score sums, times G/(G-1) (N-1)/(N-K)."""
    import statsmodels.api as sm

    rng = np.random.default_rng(11)
    g = np.repeat(np.arange(30), 4)
    u = rng.normal(size=30)[g]
    x = rng.normal(size=120) + u
    y = rng.random(120) < 1 / (1 + np.exp(-(0.3 + 0.6 * x + u)))
    df = pd.DataFrame({"y": y, "x": x, "g": g})
    got = stats.logistic(df, "y", ["x"], standardise=False, cluster="g").iloc[0]
    X = sm.add_constant(x)
    b = sm.Logit(y.astype(float), X).fit(disp=False).params
    p = 1 / (1 + np.exp(-X @ b))
    bread = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    scores = X * (y - p)[:, None]
    S = np.array([scores[g == k].sum(axis=0) for k in range(30)])
    n, k, G = 120, 2, 30
    V = G / (G - 1) * (n - 1) / (n - k) * bread @ (S.T @ S) @ bread
    se = np.sqrt(V[1, 1])
    assert got["ci_low"] == pytest.approx(np.exp(b[1] - 1.959964 * se), rel=1e-4)
    assert got["ci_high"] == pytest.approx(np.exp(b[1] + 1.959964 * se), rel=1e-4)
    assert "cluster-robust by g: 30 clusters" in got["method"]
    # the ordinal version keeps the point estimate and widens the interval when clusters share a level
    df["o"] = pd.Categorical(
        np.digitize(x + u + rng.logistic(size=120), [-0.5, 1.0]), categories=[0, 1, 2], ordered=True
    )
    plain = stats.ordinal(df, "o", ["x"], standardise=False).iloc[0]
    clus = stats.ordinal(df, "o", ["x"], standardise=False, cluster="g").iloc[0]
    assert clus["odds_ratio"] == pytest.approx(plain["odds_ratio"], rel=1e-6) and clus["ci_low"] != plain["ci_low"]
    with pytest.raises(ParameterError, match="cluster or weights, not both"):
        stats.ordinal(df.assign(w=1.0), "o", ["x"], cluster="g", weights="w")


def test_bayesian_logistic_posterior_against_a_grid():
    """The importance-sampled posterior of a small case against the posterior computed on a grid of
    (intercept, slope): normal(0, 2.5) prior on the slope, flat on the intercept."""
    rng = np.random.default_rng(5)
    x = np.r_[np.ones(14), np.zeros(16)].astype(bool)
    y = np.r_[rng.random(14) < 0.6, rng.random(16) < 0.35]
    df = pd.DataFrame({"y": y, "x": x})
    got = stats.bayes_logistic(df, "y", ["x"], draws=40000)
    a, b = np.meshgrid(np.linspace(-8, 8, 801), np.linspace(-10, 10, 1001), indexing="ij")
    eta0, eta1 = a, a + b  # the linear predictor of x = 0 and x = 1
    n1, k1 = 14, int(y[:14].sum())
    n0, k0 = 16, int(y[14:].sum())
    loglik = k1 * eta1 - n1 * np.logaddexp(0, eta1) + k0 * eta0 - n0 * np.logaddexp(0, eta0)
    logpost = loglik - 0.5 * (b / 2.5) ** 2
    post = np.exp(logpost - logpost.max())
    slope = post.sum(axis=0)
    slope /= slope.sum()
    grid = np.linspace(-10, 10, 1001)
    cdf = np.cumsum(slope)
    assert got["p_above_1"] == pytest.approx(slope[grid > 0].sum(), abs=0.01)
    assert np.log(got["odds_ratio"]) == pytest.approx(grid[np.searchsorted(cdf, 0.5)], abs=0.04)
    assert np.log(got["ci_low"]) == pytest.approx(grid[np.searchsorted(cdf, 0.025)], abs=0.08)
    assert np.log(got["ci_high"]) == pytest.approx(grid[np.searchsorted(cdf, 0.975)], abs=0.08)
    assert got["ess"] > 20000


def test_cut_models_use_one_method_for_every_cut_and_the_rule_reads_the_cuts():
    """When one cut is separated every cut is fitted by Firth (the non-separated cut against a penalised
    likelihood written here); report 03's cuts against separate binary fits, and the rule firing on them."""
    import statsmodels.api as sm
    from scipy.optimize import minimize

    rng = np.random.default_rng(8)
    x = np.r_[np.ones(20), np.zeros(40)]
    y = np.r_[rng.choice([1, 2], 20), rng.choice([0, 1, 2], 40)]  # no exposed area at the lowest level
    df = pd.DataFrame({"x": x.astype(bool), "y": pd.Categorical(y, categories=[0, 1, 2], ordered=True)})
    cuts = stats.cut_models(df, "y", ["x"])
    assert cuts["method"].str.startswith("Firth").all()
    top = (y == 2).astype(float)
    X = np.column_stack([np.ones(60), x])

    def penalised(beta):  # minus (log-likelihood + half the log-determinant of the information)
        p = 1 / (1 + np.exp(-X @ beta))
        info = X.T @ (X * (p * (1 - p))[:, None])
        return -((top * np.log(p) + (1 - top) * np.log(1 - p)).sum() + 0.5 * np.linalg.slogdet(info)[1])

    hand = minimize(penalised, np.zeros(2), method="BFGS").x
    assert cuts["odds_ratio"].iat[1] == pytest.approx(np.exp(hand[1]), rel=1e-4)
    # report 03: the revisit outcome on the number of weaknesses, each cut by its own statsmodels logit
    from sendstats.questions import revisits

    rev = revisits.revisits()
    cuts = stats.cut_models(rev, "revisit_outcome", ["n_weaknesses"], standardise=False)
    ors = []
    for levels in (["Some", "Yes"], ["Yes"]):
        fit = sm.Logit(
            rev["revisit_outcome"].isin(levels).astype(float), sm.add_constant(rev["n_weaknesses"].astype(float))
        )
        ors.append(float(np.exp(fit.fit(disp=False).params["n_weaknesses"])))
    assert cuts["odds_ratio"].tolist() == pytest.approx(ors, rel=1e-6)
    check = stats.proportional_odds_check(cuts, "n_weaknesses")
    assert check["ratio"] == pytest.approx(max(ors) / min(ors)) and check["ratio"] >= 2 and not check["supported"]
    model = stats.ordinal(rev, "revisit_outcome", ["n_weaknesses"], standardise=False)
    lead = stats.describe_cut_estimates(cuts, model, "each additional significant weakness", "a better revisit outcome")
    assert lead.startswith("The proportional-odds assumption is not supported for each additional significant weakness")
    assert f"{ors[0]:.2f}" in lead and f"{ors[1]:.2f}" in lead
    assert revisits.describe_per_step(model, "additional significant weakness", tail="", cuts=cuts).startswith(lead)


def test_the_kaplan_meier_median_interval_is_the_log_log_one():
    """Report 03's cohort medians carry 95% intervals (issue 33 item 6): the median's interval is the set of event
    times whose log(-log S) lies within 1.96 Greenwood standard errors of log(-log 0.5), computed here by hand."""
    from sendstats.questions import revisits

    t = revisits.revisit_times()
    km = stats.kaplan_meier(t["years"], t["revisited"])
    T, E = t["years"].to_numpy(), t["revisited"].astype(bool).to_numpy()
    times, s, g, inside = np.unique(T[E]), 1.0, 0.0, []
    for u in times:
        n, d = (T >= u).sum(), ((T == u) & E).sum()
        s *= 1 - d / n
        g += d / (n * (n - d)) if n > d else np.inf
        se = np.sqrt(g) / abs(np.log(s)) if 0 < s < 1 else np.inf
        if abs((np.log(-np.log(s)) - np.log(-np.log(0.5))) / se) <= 1.959964:
            inside.append(u)
    lo, hi = km.median_ci
    assert lo == pytest.approx(min(inside))
    later = times[times > max(inside)]
    assert hi == pytest.approx(max(inside)) or hi == pytest.approx(later[0])  # the last time inside, or the next
    assert lo <= km.median <= hi


def test_results_have_one_shape_each():
    """Issue 31 item 5: a proportion of two numbers is a Series, of arrays a DataFrame from its own function; the
    screen, the Kaplan-Meier estimate and the ordinal fit are frozen result objects, nothing in ``attrs``; every
    public statistics function documents what it returns."""
    import dataclasses
    import inspect

    z = 1.959963984540054
    k, n = np.array([82, 0, 3]), np.array([149, 0, 3])
    got = stats.proportions(k, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert got["ci_low"].to_numpy()[[0, 2]] == pytest.approx((centre - half)[[0, 2]])
    assert got["ci_high"].to_numpy()[[0, 2]] == pytest.approx((centre + half)[[0, 2]])
    assert np.isnan(got.at[1, "share"]) and isinstance(stats.proportion(82, 149), pd.Series)
    with pytest.raises(ParameterError, match="use proportions"):
        stats.proportion([82], [149])
    km = stats.kaplan_meier([1, 2, 3], [1, 0, 1])
    scr = stats.screen(
        pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8], "y": [False, True, False, True, True, False, True, True]}),
        "y",
        ["x"],
    )
    for result in (km, scr):
        assert dataclasses.is_dataclass(result) and dataclasses.fields(result)[0].name == "table"
        assert result.table.attrs == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        km.median = 0
    public = [getattr(stats, n) for n in dir(stats) if not n.startswith("_") and inspect.isfunction(getattr(stats, n))]
    assert len(public) > 40 and [f.__name__ for f in public if "Returns" not in (f.__doc__ or "")] == []
