"""Power and the minimum detectable effect beside every null: approximate and simulated power of logistic
and ordinal designs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import SEED, cell_counts, complete_cases, is_numeric


def min_detectable_or_per_sd(n: int, outcome_share: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """The odds ratio per SD of a numeric factor detectable with ``power`` (Hsieh's approximation: the log odds
    ratio per SD has standard error 1 / sqrt(n r (1 - r))).

    Returns
    -------
    float: the minimum detectable odds ratio per SD (NaN when none reaches the power)"""
    from scipy import stats as st

    if n <= 0 or not 0 < outcome_share < 1:
        return float("nan")
    return float(
        np.exp((st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)) / np.sqrt(n * outcome_share * (1 - outcome_share)))
    )


def mde_for(df: pd.DataFrame, factor: str, outcome: str) -> float:
    used, _ = complete_cases(df, [factor, outcome])
    y = used[outcome]
    top = (y == y.cat.categories[-1]) if isinstance(y.dtype, pd.CategoricalDtype) and y.cat.ordered else y.astype(bool)
    r = float(top.mean()) if len(used) else float("nan")
    s = used[factor]
    if s.dtype == bool or str(s.dtype) == "boolean":
        return min_detectable_or(len(used), float(s.astype(bool).mean()), r)
    if is_numeric(s):
        return min_detectable_or_per_sd(len(used), r)
    levels = s.astype("string").value_counts()
    if len(levels) == 2:  # two levels: the second against the first, as the test's odds ratio
        first = s.cat.categories[0] if isinstance(s.dtype, pd.CategoricalDtype) else sorted(levels.index)[0]
        return min_detectable_or(len(used), float((s.astype("string") != str(first)).mean()), r)
    return float("nan")  # several levels: no single odds ratio


def approx_power(n: int, exposure_share: float, outcome_share: float, odds_ratio: float, alpha: float = 0.05) -> float:
    """Power of the two-sided Wald test of a 2 x 2 log odds ratio from the expected cells: the standard error
    under no association for the critical value and under the alternative for the spread.

    Returns
    -------
    float: the power (0-1)"""
    from scipy import stats as st

    def se(orr):
        n1, n0, q1, q0 = cell_counts(n, exposure_share, outcome_share, orr)
        return np.sqrt(1 / (n1 * q1) + 1 / (n1 * (1 - q1)) + 1 / (n0 * q0) + 1 / (n0 * (1 - q0)))

    z = st.norm.ppf(1 - alpha / 2)
    return float(st.norm.cdf((abs(np.log(odds_ratio)) - z * se(1.0)) / se(odds_ratio)))


def min_detectable_or(
    n: int, exposure_share: float, outcome_share: float, *, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The smallest odds ratio (above 1) that a two-sided test at ``alpha`` detects with ``power`` for a binary
    exposure held by ``exposure_share`` of ``n`` units and an outcome in ``outcome_share`` of them, from the
    normal approximation of :func:`approx_power` (a test checks it against :func:`simulated_power`). NaN when
    a share is 0 or 1 or no odds ratio up to 1,000 reaches the power.

    Returns
    -------
    float: the minimum detectable odds ratio (NaN when no odds ratio reaches the power)"""
    from scipy.optimize import brentq

    p, r = float(exposure_share), float(outcome_share)
    if n <= 0 or not (0 < p < 1 and 0 < r < 1):
        return float("nan")
    f = lambda log_or: approx_power(n, p, r, float(np.exp(log_or)), alpha) - power
    if f(np.log(1000)) < 0:
        return float("nan")
    return float(np.exp(brentq(f, 1e-6, np.log(1000))))


def mde_from_fit(row, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest odds ratio (above 1) the fit in ``row`` (a model row with odds_ratio, ci_low, ci_high) would
    detect with ``power`` in a two-sided test at ``alpha``: exp((z_a + z_b) SE), with SE the log odds ratio's
    standard error read back from the fit's own 95% interval (so the covariates, the design and the method of
    the estimate reported are all in it). A test checks it against a simulation of the adjusted design.

    Returns
    -------
    float: the minimum detectable odds ratio at the power given (NaN without a standard error)"""
    from scipy import stats as st

    se = se_from_ci(row)
    return float(np.exp((st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)) * se)) if se == se else float("nan")


def se_from_ci(row) -> float:
    """The standard error of a log odds ratio read back from its 95% interval (``row``'s ci_low, ci_high); NaN
    when the interval is not finite and positive.

    Returns
    -------
    float: the standard error of the log odds ratio (NaN without a finite interval)"""
    from scipy import stats as st

    lo, hi = float(row["ci_low"]), float(row["ci_high"])
    if not (lo > 0 and np.isfinite(hi) and hi > lo):
        return float("nan")
    return float((np.log(hi) - np.log(lo)) / (2 * st.norm.ppf(0.975)))


def describe_power(row, mde: float) -> str:
    """What a fit could detect and what its interval rules out, for a sentence beside the estimate: ``mde``
    from :func:`mde_from_fit` of the same ``row``.

    Returns
    -------
    str: prose"""
    if mde != mde:
        return "The fit gives no finite interval, so it says nothing about the size of an association. "
    lo, hi = row["ci_low"], row["ci_high"]
    big, small = f"{mde:.2f} or more", f"{1 / mde:.2f} or less"
    return (
        f"From this fit's own standard error, an odds ratio of {big} (or {small}) would"
        f" have been detected with 80% power; its interval rules out odds ratios above {hi:.2f}"
        + (f" and below {lo:.2f}" if lo > 0 else "")
        + {
            (True, True): ", so an association of that size is ruled out in either direction. ",
            (True, False): f", so an odds ratio of {big} is ruled out, but not one of {small}. ",
            (False, True): f", so an odds ratio of {small} is ruled out, but not one of {big}. ",
            (False, False): ", which does not rule out an association of that size in either direction. ",
        }[(bool(hi < mde), bool(lo > 1 / mde))]
    )


def min_detectable_or_ordinal(
    n: int, exposure_share: float, category_shares, *, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The smallest proportional-odds ratio for a binary exposure (held by ``exposure_share`` of ``n``) that a
    two-sided Wald test at ``alpha`` detects with ``power``, for an ordered outcome with these category shares:
    Whitehead's (1993) formula, log OR = sqrt(3 (z_a + z_b)^2 / (n p (1 - p) (1 - sum of cubed shares))).

    Returns
    -------
    float: the minimum detectable odds ratio (NaN when none reaches the power)"""
    from scipy import stats as st

    shares = np.asarray(category_shares, dtype=float)
    p = float(exposure_share)
    spread = 1 - float((shares**3).sum())
    if n <= 0 or not 0 < p < 1 or spread <= 0:
        return float("nan")
    z = st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)
    return float(np.exp(np.sqrt(3 * z**2 / (n * p * (1 - p) * spread))))


def simulated_power(
    n: int,
    exposure_share: float,
    outcome_share: float,
    odds_ratio: float,
    *,
    n_sims: int = 2000,
    alpha: float = 0.05,
    seed: int = SEED,
) -> float:
    """Power of the Wald test of a 2 x 2 log odds ratio by simulation (fixed seed): the exposure split as given,
    the outcome drawn with the probabilities of :func:`cell_counts`, a Haldane 0.5 added to every cell.

    Returns
    -------
    float: the share of simulated fits whose Wald test rejects (0-1)"""
    from scipy import stats as st

    rng = np.random.default_rng(seed)
    n1f, n0f, q1, q0 = cell_counts(n, exposure_share, outcome_share, odds_ratio)
    n1, n0 = round(n1f), n - round(n1f)
    a = rng.binomial(n1, q1, n_sims) + 0.5
    c = rng.binomial(n0, q0, n_sims) + 0.5
    b, d = n1 + 1 - a, n0 + 1 - c
    z = np.log(a * d / (b * c)) / np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return float((np.abs(z) > st.norm.ppf(1 - alpha / 2)).mean())
