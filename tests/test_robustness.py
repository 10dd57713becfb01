"""Robustness rows and specification curves (questions/robustness.py): the curves' specifications enumerated
here, a curve's row refitted with a formula, and the random-intercept model against a Laplace approximation of
the same posterior written here with scipy."""

import itertools

import numpy as np
import pandas as pd
import pytest

from sendstats.questions import robustness as rb
from sendstats.questions import wsoa


@pytest.fixture(scope="module")
def curve():
    return rb.spec_curve_2016()


def test_the_2016_curve_has_every_combination_once(curve):
    want = set(itertools.product(["pre-specified", "revised"], ["0%", "5%", "10%"], ["linear", "categories", "spline"]))
    got = set(zip(curve["confounders"], curve["sliver"], curve["year"]))
    assert got == want and len(curve) == 18
    assert curve["odds_ratio"].is_monotonic_increasing
    assert curve["excludes_1"].sum() == ((curve["ci_low"] > 1) | (curve["ci_high"] < 1)).sum()
    # the primary (revised, 5%, linear) is one of them, equal to the model's own fit
    row = curve[(curve["confounders"] == "revised") & (curve["sliver"] == "5%") & (curve["year"] == "linear")]
    assert row["odds_ratio"].iat[0] == pytest.approx(wsoa.primary_model().iloc[0]["odds_ratio"])


def test_year_as_categories_matches_a_formula_fit(curve):
    import statsmodels.formula.api as smf

    a = wsoa.primary_frame()
    d = a.assign(
        y=a["wsoa"].astype(float),
        x=a["not_coterminous"].astype(float),
        yr=a["inspection_year"].astype(int).astype(str),
        imd=a["imd_share_most_deprived_decile"].astype(float),
    )
    fit = smf.logit("y ~ x + C(region) + C(yr) + imd", data=d).fit(disp=False)
    row = curve[(curve["confounders"] == "pre-specified") & (curve["sliver"] == "5%") & (curve["year"] == "categories")]
    assert row["odds_ratio"].iat[0] == pytest.approx(np.exp(fit.params["x"]), rel=1e-5)
    lo, hi = np.exp(fit.conf_int().loc["x"])
    assert row["ci_low"].iat[0] == pytest.approx(lo, rel=1e-5) and row["ci_high"].iat[0] == pytest.approx(hi, rel=1e-5)


def test_the_2023_and_direct_curves_enumerate_their_choices():
    c23 = rb.spec_curve_2023()
    assert set(zip(c23["confounders"], c23["sliver"], c23["year"])) == set(
        itertools.product(["pre-specified", "revised"], ["none", "5%"], ["linear", "categories"])
    )
    cd = rb.spec_curve_direct()
    assert len(cd) == 12 and set(cd["list"]) == {"HSJ", "Clarke Willmott"}


def test_the_random_intercept_fit_matches_a_laplace_approximation_written_here():
    """The posterior of statsmodels' BinomialBayesMixedGLM (normal priors: SD 2 on the fixed effects, SD 1 on the
    log SD of the region effects), its mode found and its Hessian taken here with scipy and numpy only."""
    from scipy.optimize import minimize

    a = wsoa.primary_frame()
    z = lambda s: (s - s.mean()) / s.std()
    atype = a["area_type"].astype(str)
    X = np.column_stack(
        [
            np.ones(len(a)),
            a["not_coterminous"].astype(float),
            z(a["inspection_year"].astype(float)),
            z(a["imd_share_most_deprived_decile"].astype(float)),
            (atype == "county").astype(float),
            (atype == "metropolitan district").astype(float),
            z(np.log(a["population_0_25"].astype(float))),
        ]
    )
    Z = pd.get_dummies(a["region"].astype(str), dtype=float).to_numpy()
    y = a["wsoa"].astype(float).to_numpy()
    k, q = X.shape[1], Z.shape[1]

    def neg_log_post(t):
        b, tau, u = t[:k], t[k], t[k + 1 :]
        eta = X @ b + Z @ u
        ll = np.sum(y * eta - np.logaddexp(0, eta))
        ll -= 0.5 * np.sum(u**2) / np.exp(2 * tau) + q * tau  # region effects ~ N(0, exp(tau)^2)
        ll -= 0.5 * tau**2  # log SD ~ N(0, 1)
        ll -= 0.5 * np.sum(b**2) / 4  # fixed effects ~ N(0, 2^2)
        return -ll

    best = min(
        (
            minimize(neg_log_post, np.r_[np.zeros(k), t0, np.zeros(q)], method="BFGS", options={"gtol": 1e-8})
            for t0 in (1.0, -2.0, -5.0)
        ),
        key=lambda r: r.fun,
    )
    h = 1e-4
    n = len(best.x)
    H = np.zeros((n, n))
    for i in range(n):  # central differences of the objective: the Hessian at the mode
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (
                neg_log_post(best.x + e_i + e_j)
                - neg_log_post(best.x + e_i - e_j)
                - neg_log_post(best.x - e_i + e_j)
                + neg_log_post(best.x - e_i - e_j)
            ) / (4 * h * h)
    sd = np.sqrt(np.linalg.inv(H)[1, 1])
    got = rb.random_intercept(a, wsoa.EXPOSURE, method="map")
    assert got["n_used"] == 149
    assert np.log(got["odds_ratio"]) == pytest.approx(best.x[1], abs=0.02)
    assert np.log(got["ci_high"] / got["ci_low"]) / (2 * 1.959964) == pytest.approx(sd, rel=0.05)
