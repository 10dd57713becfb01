"""Checks on a fit: E-values, a Bayesian logistic fit, inverse-probability weights and multiple imputation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .models import design, fit_notes
from .tables import SEED, complete_cases


def e_value(odds_ratio: float, ci_low: float, ci_high: float, *, common: bool = True) -> dict:
    """VanderWeele and Ding's (2017) E-value of an odds ratio and of its confidence limit nearest 1: the
    risk-ratio association an unmeasured confounder would need with both exposure and outcome to explain the
    estimate away. ``common``: the outcome is common (over 15%), so the odds ratio is first taken to an
    approximate risk ratio by its square root. An interval including 1 has a limit E-value of 1.

    Returns
    -------
    dict: point (the estimate's E-value), limit (the nearer confidence limit's), common"""

    def e(or_):
        rr = math.sqrt(or_) if common else or_
        rr = 1 / rr if rr < 1 else rr
        return rr + math.sqrt(rr * (rr - 1))

    nearest = ci_low if odds_ratio >= 1 else ci_high
    return {"point": e(odds_ratio), "limit": 1.0 if ci_low <= 1 <= ci_high else e(nearest), "common": common}


def describe_e_value(ev: dict, what: str) -> str:
    """The E-value sentence (:func:`e_value`) for the estimate of ``what``.

    Returns
    -------
    str: prose"""
    scale = " (odds ratio taken to a risk ratio by its square root: the outcome is common)" if ev["common"] else ""
    limit = (
        "its confidence interval includes 1, so the limit's E-value is 1: no confounding is needed to move the"
        " interval to include no association"
        if ev["limit"] == 1
        else f"for the confidence limit nearest 1 it is {ev['limit']:.2f}"
    )
    return (
        f"E-value for {what}: {ev['point']:.2f}{scale}. An unmeasured confounder associated with both the exposure and"
        f" the outcome by a risk ratio of {ev['point']:.2f} each, beyond the measured confounders, could explain the"
        f" estimate away; {limit}. "
    )


def bayes_logistic(
    df: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    term: str | None = None,
    prior_sd: float = 2.5,
    draws: int = 20000,
    seed: int = SEED,
    standardise: bool = True,
) -> dict:
    """Bayesian logistic regression of a boolean ``outcome``: independent normal(0, ``prior_sd``) priors on every
    coefficient but the intercept (log odds; numbers per SD when ``standardise``), a flat prior on the
    intercept; the posterior drawn by self-normalised importance sampling from its Laplace approximation
    (multivariate t, 4 degrees of freedom, ``draws`` draws, fixed ``seed``). Returns, for ``term`` (default the
    first predictor's term): odds_ratio (posterior median), ci_low, ci_high (95% equal-tailed credible
    interval), p_above_1 (posterior probability that the odds ratio exceeds 1), ess (effective sample size of
    the draws), n_used, n_dropped, method."""
    from scipy import stats as st

    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    used, dropped = complete_cases(df, [outcome, *predictors])
    y = used[outcome].astype(bool).astype(float).to_numpy()
    X, _ = design(used, predictors, standardise)
    X = X.loc[:, X.std() > 0]
    A = np.column_stack([np.ones(len(X)), X.to_numpy()])
    prec = np.r_[0.0, np.full(A.shape[1] - 1, 1 / prior_sd**2)]
    b = np.zeros(A.shape[1])
    for _ in range(100):  # Newton's method to the posterior mode
        q = 1 / (1 + np.exp(-A @ b))
        H = A.T @ (A * (q * (1 - q))[:, None]) + np.diag(prec)
        step = np.linalg.solve(H, A.T @ (y - q) - prec * b)
        b = b + step
        if np.abs(step).max() < 1e-10:
            break
    cov = np.linalg.inv(H)
    proposal = st.multivariate_t(loc=b, shape=cov, df=4, seed=np.random.default_rng(seed))
    theta = proposal.rvs(draws)
    eta = theta @ A.T
    log_post = (y * eta - np.logaddexp(0, eta)).sum(axis=1) - 0.5 * (theta**2 * prec).sum(axis=1)
    log_w = log_post - proposal.logpdf(theta)
    w = np.exp(log_w - log_w.max())
    w /= w.sum()
    j = 1 + list(X.columns).index(term or X.columns[0])
    order = np.argsort(theta[:, j])
    cum = np.cumsum(w[order])
    quantile = lambda q: float(np.exp(theta[order, j][np.searchsorted(cum, q)]))
    return {
        "term": term or X.columns[0],
        "odds_ratio": quantile(0.5),
        "ci_low": quantile(0.025),
        "ci_high": quantile(0.975),
        "p_above_1": float(w[theta[:, j] > 0].sum()),
        "ess": float(1 / (w**2).sum()),
        "n_used": len(used),
        "n_dropped": dropped,
        "method": f"Bayesian logistic, normal(0, {prior_sd:g}) priors (posterior median, 95% credible interval;"
        f" importance sampling, {draws:,} draws)",
    }


def inverse_probability_weights(fit: pd.DataFrame, indicator: str, covariates, at: pd.DataFrame) -> pd.Series:
    """Stabilised inverse-probability weights for the rows of ``at``: the overall share with ``indicator``
    divided by each row's probability of it, from a maximum-likelihood logistic model of ``indicator`` on
    ``covariates`` (numbers as they are, categories as dummies) fitted on ``fit`` (complete cases).

    Returns
    -------
    pandas.Series ``weight``, one per row of ``at`` (stabilised by the overall share)"""
    import statsmodels.api as sm

    covariates = list(covariates)
    used = fit.dropna(subset=[indicator, *covariates])
    both = pd.concat([used[covariates], at[covariates]], keys=["fit", "at"])
    X, _ = design(both, covariates, standardise=False)
    X = sm.add_constant(X.astype(float), has_constant="add")
    y = used[indicator].astype(bool).astype(float).to_numpy()
    with fit_notes(f"model of {indicator}"):
        res = sm.Logit(y, X.loc["fit"].to_numpy()).fit(disp=False, maxiter=200)
    return pd.Series(y.mean() / res.predict(X.loc["at"].to_numpy()), index=at.index, name="weight")


def weight_summary(w: pd.Series) -> pd.DataFrame:
    """The distribution of a set of weights: n, minimum, quartiles, maximum and the effective sample size
    (sum of weights squared over the sum of squared weights).

    Returns
    -------
    pandas.DataFrame, one row: n, minimum, quartiles, maximum and the effective sample size"""
    w = w.dropna().astype(float)
    q = w.quantile([0.25, 0.5, 0.75])
    return pd.DataFrame(
        [
            {
                "n": len(w),
                "minimum": w.min(),
                "lower quartile": q[0.25],
                "median": q[0.5],
                "upper quartile": q[0.75],
                "maximum": w.max(),
                "effective sample size": w.sum() ** 2 / (w**2).sum(),
            }
        ]
    )


def mice_logistic(
    a: pd.DataFrame,
    outcome: str,
    exposure: str,
    covariates: list[str],
    *,
    categorical=("region",),
    n_imputations: int = 20,
    seed: int = SEED,
    what: str = "imputation models",
) -> dict:
    """A logistic model of ``outcome`` on ``exposure`` and ``covariates`` with their missing values imputed by
    chained equations (statsmodels MICE, predictive mean matching), pooled by Rubin's rules; ``categorical``
    columns enter as dummies. Returns the exposure's odds ratio, CI and p (normal, from the pooled fit)."""
    import statsmodels.api as sm
    from scipy import stats as st
    from statsmodels.imputation import mice

    cols = [outcome, exposure, *covariates]
    d = pd.get_dummies(a[cols], columns=[c for c in categorical if c in cols], drop_first=True, dtype=float)
    d = d.astype(float)
    d.columns = [c.replace(" ", "_").replace(",", "") for c in d.columns]
    data = mice.MICEData(d, rng=np.random.default_rng(seed))  # fixed seed: the same pooled estimate every run
    rhs = " + ".join(c for c in d.columns if c != outcome)
    m = mice.MICE(f"{outcome} ~ {rhs}", sm.GLM, data, init_kwds={"family": sm.families.Binomial()}, n_skip=1)
    # where one covariate alone has missing values, the chain has nothing to converge over: a short burn-in and
    # one cycle between imputations give the same draws' distribution at a fraction of the time
    with fit_notes(what) as notes:
        res = m.fit(n_burnin=2, n_imputations=n_imputations)
    i = list(res.model.exog_names).index(exposure)
    b, se = float(res.params.iloc[i] if hasattr(res.params, "iloc") else res.params[i]), float(res.bse[i])
    return {
        "odds_ratio": float(np.exp(b)),
        "ci_low": float(np.exp(b - 1.96 * se)),
        "ci_high": float(np.exp(b + 1.96 * se)),
        "p_value": float(2 * st.norm.sf(abs(b / se))),
        "n_used": len(d),
        "results": m.results_list,
        "index": i,
        "pooled": (b, se),
        "fit_note": "; ".join(notes),
    }
