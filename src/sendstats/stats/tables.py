"""Tables, shares and rank tests: proportions with Wilson intervals, cross-tabulations with exact or
permutation tests, Mann-Whitney, Kruskal-Wallis, Benjamini-Hochberg, Cochran-Armitage, exact ordinal tests
and Mantel-Haenszel."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..wording import p_is


def mid_rank(values, v: float) -> float:
    """The mid-rank percentile (0-1) of ``v`` among ``values``: the share below it plus half the share equal
    to it (Hazen's plotting position), so ties sit in the middle of their block rather than at its bottom.

    Returns
    -------
    float: between 0 and 1."""
    values = pd.Series(values, dtype=float)
    return float((values < v).mean() + 0.5 * (values == v).mean())


def proportion(successes, n, alpha: float = 0.05) -> pd.Series:
    """Estimate ``successes / n`` (two numbers) with a Wilson score interval (default 95%); for many at once,
    :func:`proportions`.

    Returns
    -------
    pandas.Series: successes, n, share, ci_low, ci_high. ``n == 0`` gives NaN share and interval."""
    if np.ndim(successes) or np.ndim(n):
        raise ParameterError("proportion takes two numbers; for arrays use proportions(successes, n)")
    return proportions([successes], [n], alpha).iloc[0]


def proportions(successes, n, alpha: float = 0.05) -> pd.DataFrame:
    """Estimates ``successes / n`` element by element (array-likes of equal length), each with a Wilson score
    interval (default 95%).

    Returns
    -------
    pandas.DataFrame, one row per element: successes, n, share, ci_low, ci_high (NaN share and interval where
    ``n == 0``)."""
    from statsmodels.stats.proportion import proportion_confint  # heavy: imported on first use

    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(m < 0) or np.any(k > m):
        raise ParameterError(f"proportion needs 0 <= successes <= n, got successes={successes!r}, n={n!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(m > 0, k / np.where(m > 0, m, 1), np.nan)
        lo, hi = proportion_confint(k, np.where(m > 0, m, 1), alpha=alpha, method="wilson")
    lo, hi = np.where(m > 0, lo, np.nan), np.where(m > 0, hi, np.nan)
    return pd.DataFrame({"successes": k.astype(int), "n": m.astype(int), "share": share, "ci_low": lo, "ci_high": hi})


# --- association between a factor and an outcome ---------------------------------------------------------
SEED = 20160501  # fixed seed: Monte Carlo p-values and bootstrap intervals are reproducible


def complete_cases(df: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, int]:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError(f"unknown column(s) {missing}; available: {sorted(df.columns)}")
    used = df[cols].dropna()
    return used, len(df) - len(used)


def crosstab(df: pd.DataFrame, row: str, col: str) -> pd.DataFrame:
    """Counts of ``row`` x ``col`` over rows where both are known (categories kept in their order).

    Returns
    -------
    pandas.DataFrame: counts, ``row`` levels by ``col`` levels (complete cases)"""
    used, _ = complete_cases(df, [row, col])
    return pd.crosstab(used[row], used[col], dropna=False)


def cramers_v(table) -> float:
    """Cramér's V (no bias correction) of a contingency table.

    Returns
    -------
    float: Cramér's V (NaN for a table with a single row or column)"""
    from scipy.stats.contingency import association

    t = np.asarray(table)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    return float(association(t, method="cramer")) if min(t.shape) > 1 else float("nan")


def table_test(df: pd.DataFrame, row: str, col: str, *, n_resamples: int = 9999) -> dict:
    """Test independence of two categorical columns.

    2 x 2: Fisher's exact test, with the conditional maximum-likelihood odds ratio and its exact 95% CI
    (odds of the second ``col`` level in the second ``row`` level vs the first; booleans: True vs False).
    Larger tables: Pearson chi-square; when any expected count is below 5 its p-value comes from a Monte Carlo
    permutation test (fixed seed) instead of the chi-square distribution. Cramér's V always, without an
    interval (a bootstrap interval of V is bounded away from 0, so it cannot express "no association").
    Returns n_used, n_dropped (missing either value), test, statistic, p_value,
    effect name / value / interval."""
    from scipy import stats as st

    used, dropped = complete_cases(df, [row, col])
    table = pd.crosstab(used[row], used[col])
    out = {"n_used": len(used), "n_dropped": dropped, "table_shape": f"{table.shape[0]}x{table.shape[1]}"}
    if min(table.shape) < 2:
        return {
            **out,
            "test": "not testable (one level only)",
            "statistic": np.nan,
            "p_value": np.nan,
            "effect_name": "",
            "effect": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
        }
    if table.shape == (2, 2):
        res = st.fisher_exact(table.to_numpy())
        orr = st.contingency.odds_ratio(table.to_numpy(), kind="conditional")
        ci = orr.confidence_interval(0.95)
        return {
            **out,
            "test": "Fisher exact",
            "statistic": np.nan,
            "p_value": float(res.pvalue),
            "effect_name": "odds ratio (conditional MLE, exact CI)",
            "effect": float(orr.statistic),
            "ci_low": float(ci.low),
            "ci_high": float(ci.high),
        }
    chi = st.chi2_contingency(table.to_numpy(), correction=False)
    if (chi.expected_freq < 5).any():
        xi, yi = pd.factorize(used[row])[0], pd.factorize(used[col])[0]
        p = permutation_chi2_p(xi, yi, float(chi.statistic), n_resamples)
        test = f"chi-square, Monte Carlo permutation p ({n_resamples} resamples; expected counts < 5)"
    else:
        test, p = "chi-square", chi.pvalue
    return {
        **out,
        "test": test,
        "statistic": float(chi.statistic),
        "p_value": float(p),
        "effect_name": "Cramér's V (no interval: a resampled interval of V cannot include 0)",
        "effect": cramers_v(table),
        "ci_low": np.nan,
        "ci_high": np.nan,
    }


def describe_table_test(test: dict) -> str:
    """One line for a :func:`table_test` of a table larger than 2 x 2: the test, its p, Cramer's V and n.

    Returns
    -------
    str: prose"""
    return f"{test['test']}: {p_is(test['p_value'])}; Cramér's V = {test['effect']:.2f}, n = {test['n_used']}."


def permutation_chi2_p(xi, yi, statistic: float, n_resamples: int = 9999, seed: int = SEED) -> float:
    """Monte Carlo permutation p-value of Pearson's chi-square for integer codes ``xi``, ``yi``: the column
    codes are shuffled ``n_resamples`` times (fixed seed) with the margins kept, and
    p = (1 + number of shuffles with a statistic at least as large) / (n_resamples + 1). Vectorised.

    Returns
    -------
    float: the Monte Carlo p-value"""
    xi, yi = np.asarray(xi), np.asarray(yi)
    nx, ny, n = int(xi.max()) + 1, int(yi.max()) + 1, len(xi)
    expected = np.outer(np.bincount(xi, minlength=nx), np.bincount(yi, minlength=ny)) / n
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.tile(yi, (n_resamples, 1)), axis=1)
    cells = xi[None, :] * ny + shuffled + (np.arange(n_resamples) * nx * ny)[:, None]
    counts = np.bincount(cells.ravel(), minlength=n_resamples * nx * ny).reshape(n_resamples, nx, ny)
    with np.errstate(divide="ignore", invalid="ignore"):
        stats_ = np.nansum((counts - expected) ** 2 / expected, axis=(1, 2))
    return float((1 + (stats_ >= statistic - 1e-9).sum()) / (n_resamples + 1))


def mann_whitney(df: pd.DataFrame, factor: str, outcome: str) -> dict:
    """Mann-Whitney U of a numeric ``factor`` between the two levels of a boolean ``outcome``: medians per
    group, two-sided p, and the rank-biserial correlation (P(X_true > X_false) - P(X_true < X_false)).

    Returns
    -------
    dict: n_used, n_dropped, p_value, rank_biserial, median_true, median_false"""
    from scipy.stats import mannwhitneyu

    used, dropped = complete_cases(df, [factor, outcome])
    a = used.loc[used[outcome].astype(bool), factor].astype(float)
    b = used.loc[~used[outcome].astype(bool), factor].astype(float)
    if a.empty or b.empty:
        return {
            "n_used": len(used),
            "n_dropped": dropped,
            "p_value": np.nan,
            "rank_biserial": np.nan,
            "median_true": np.nan,
            "median_false": np.nan,
        }
    res = mannwhitneyu(a, b, alternative="two-sided")
    return {
        "n_used": len(used),
        "n_dropped": dropped,
        "p_value": float(res.pvalue),
        "rank_biserial": float(2 * res.statistic / (len(a) * len(b)) - 1),
        "median_true": float(a.median()),
        "median_false": float(b.median()),
    }


def kruskal_by(df: pd.DataFrame, value: str, group: str) -> dict:
    """Kruskal-Wallis test of a numeric ``value`` across the levels of ``group`` (levels without data dropped):
    H, p (chi-square approximation, ties corrected), the epsilon-squared effect size H / (n - 1), n_used,
    n_dropped, and the median per group.

    Returns
    -------
    dict: statistic, p_value, epsilon2, n_used, n_dropped, medians (per group)"""
    from scipy.stats import kruskal

    used, dropped = complete_cases(df, [value, group])
    groups = {str(k): g[value].astype(float).to_numpy() for k, g in used.groupby(group, observed=True) if len(g)}
    if len(groups) < 2 or used[value].nunique() < 2:
        return {
            "statistic": np.nan,
            "p_value": np.nan,
            "epsilon2": np.nan,
            "n_used": len(used),
            "n_dropped": dropped,
            "medians": {k: float(np.median(v)) for k, v in groups.items()},
        }
    res = kruskal(*groups.values())
    n = len(used)
    return {
        "statistic": float(res.statistic),
        "p_value": float(res.pvalue),
        "epsilon2": float(res.statistic / (n - 1)),
        "n_used": n,
        "n_dropped": dropped,
        "medians": {k: float(np.median(v)) for k, v in groups.items()},
    }


def bh(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN.

    Returns
    -------
    numpy.ndarray: the Benjamini-Hochberg q-value of each p-value, in the input's order (NaN kept)"""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=float)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return q


def is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) and str(s.dtype) != "boolean"


def share_by(df: pd.DataFrame, by: str, outcome: str) -> pd.DataFrame:
    """Share of rows with a True ``outcome`` in each level of ``by`` (rows missing ``by`` counted apart), with
    Wilson 95% intervals: columns by, n, count, share, ci_low, ci_high.

    Returns
    -------
    pandas.DataFrame, one row per level: the level, n, count, share, ci_low, ci_high"""
    used, _ = complete_cases(df, [by, outcome])
    rows = []
    for level, g in used.groupby(by, observed=True, sort=True):
        p = proportion(int(g[outcome].astype(bool).sum()), len(g))
        rows.append(
            {
                by: level,
                "n": len(g),
                "count": int(p["successes"]),
                "share": p["share"],
                "ci_low": p["ci_low"],
                "ci_high": p["ci_high"],
            }
        )
    return pd.DataFrame(rows)


def cochran_armitage(df: pd.DataFrame, score: str, outcome: str) -> dict:
    """Cochran-Armitage test for a linear trend in the share of a boolean ``outcome`` across the ordered
    numeric ``score`` (e.g. inspection year): z, two-sided normal p, the trend in share per unit of score
    (least-squares slope), n_used and n_dropped.

    Returns
    -------
    dict: test, z, p_value, slope (share per unit of score), n_used, n_dropped"""
    from scipy import stats as st

    used, dropped = complete_cases(df, [score, outcome])
    g = used.groupby(score)[outcome].agg(["size", "sum"])
    s, n, x = g.index.to_numpy(float), g["size"].to_numpy(float), g["sum"].astype(float).to_numpy()
    big_n, pbar = n.sum(), x.sum() / n.sum()
    t = float((s * (x - n * pbar)).sum())
    var = pbar * (1 - pbar) * float((n * s**2).sum() - (n * s).sum() ** 2 / big_n)
    z = t / np.sqrt(var) if var > 0 else float("nan")
    slope = t / float((n * s**2).sum() - (n * s).sum() ** 2 / big_n) if var > 0 else float("nan")
    return {
        "test": "Cochran-Armitage trend",
        "z": z,
        "p_value": float(2 * st.norm.sf(abs(z))),
        "slope": slope,
        "n_used": len(used),
        "n_dropped": dropped,
    }


def _tables(rows: list[int], cols: list[int]):
    """Every table of non-negative integers with these row and column sums (depth-first)."""
    if len(rows) == 1:
        yield [list(cols)]
        return
    first, rest = rows[0], rows[1:]

    def fill(j, left, remaining, row):
        if j == len(cols) - 1:
            if left <= remaining[j]:
                yield [*row, left]
            return
        for v in range(min(left, remaining[j]) + 1):
            yield from fill(j + 1, left - v, remaining, [*row, v])

    for row in fill(0, first, cols, []):
        for tail in _tables(rest, [c - v for c, v in zip(cols, row)]):
            yield [row, *tail]


MAX_TABLES = 2_000_000


def exact_ordinal_tests(df: pd.DataFrame, row: str, col: str) -> dict:
    """Exact conditional tests of an r x c table of two ordered categoricals, by enumerating every table with
    the observed margins (probabilities from the multivariate hypergeometric distribution):

    - Fisher-Freeman-Halton: p = total probability of tables no more probable than the observed one;
    - linear-by-linear association (an ordinal trend test, scores 0, 1, 2, ... in category order): p = total
      probability of tables whose statistic sum(u_i v_j n_ij) is at least as far from its mean as observed.

    Also the asymptotic linear-by-linear statistic M2 = (N - 1) r^2 (r: Pearson correlation of the scores).
    Levels without any area are dropped first. Returns n_used, n_dropped, n_tables, ffh_p, trend_p, m2,
    trend_r (the correlation: its sign is the direction of the trend)."""
    used, dropped = complete_cases(df, [row, col])
    table = pd.crosstab(used[row], used[col])
    out = {"n_used": len(used), "n_dropped": dropped, "table": table}
    nan = {"n_tables": 0, "ffh_p": np.nan, "trend_p": np.nan, "m2": np.nan, "trend_r": np.nan}
    if min(table.shape) < 2:
        return {**out, **nan}
    obs = table.to_numpy()
    rs, cs, n = obs.sum(1).tolist(), obs.sum(0).tolist(), int(obs.sum())
    u, v = np.arange(len(rs), dtype=float), np.arange(len(cs), dtype=float)
    lf = np.array([math.lgamma(k + 1) for k in range(n + 1)])
    const = lf[rs].sum() + lf[cs].sum() - lf[n]
    mean_t = (u @ np.array(rs)) * (v @ np.array(cs)) / n

    def logp(t):
        return const - lf[t].sum()

    lp_obs, t_obs = logp(obs), float(u @ obs @ v)
    ffh = trend = 0.0
    count = 0
    for t in _tables(rs, cs):
        count += 1
        if count > MAX_TABLES:
            return {**out, **nan, "n_tables": count}
        t = np.asarray(t)
        lp = logp(t)
        pr = math.exp(lp)
        if lp <= lp_obs + 1e-7:
            ffh += pr
        if abs(float(u @ t @ v) - mean_t) >= abs(t_obs - mean_t) - 1e-9:
            trend += pr
    x = np.repeat(np.repeat(u, len(cs)), obs.ravel())
    y = np.repeat(np.tile(v, len(rs)), obs.ravel())
    r = float(np.corrcoef(x, y)[0, 1])
    return {
        **out,
        "n_tables": count,
        "ffh_p": min(ffh, 1.0),
        "trend_p": min(trend, 1.0),
        "m2": (n - 1) * r**2,
        "trend_r": r,
    }


def cell_counts(n: int, p: float, r: float, odds_ratio: float):
    """Expected 2 x 2 cells (exposed with/without outcome, unexposed with/without) for an exposure share p,
    an overall outcome share r and an odds ratio."""
    from scipy.optimize import brentq

    n1 = n * p
    n0 = n - n1
    q = lambda q0: q0 * odds_ratio / (1 - q0 + q0 * odds_ratio)
    q0 = brentq(lambda q0: (n0 * q0 + n1 * q(q0)) / n - r, 1e-12, 1 - 1e-12)
    return n1, n0, q(q0), q0


def mantel_haenszel(a: pd.DataFrame, exposure: str, outcome: str, stratum: str) -> dict:
    """Mantel-Haenszel pooled odds ratio over the strata of ``stratum``, its 95% CI and the MH test p.

    Returns
    -------
    dict: odds_ratio, ci_low, ci_high, p_value, n_used, tables (the number of strata)"""
    from statsmodels.stats.contingency_tables import StratifiedTable

    used = a.dropna(subset=[exposure, outcome, stratum])
    tables = []
    for _, g in used.groupby(stratum):
        e, o = g[exposure].astype(bool), g[outcome].astype(bool)
        tables.append(np.array([[(e & o).sum(), (e & ~o).sum()], [(~e & o).sum(), (~e & ~o).sum()]], dtype=float))
    st = StratifiedTable(tables)
    lo, hi = st.oddsratio_pooled_confint()
    return {
        "odds_ratio": float(st.oddsratio_pooled),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "p_value": float(st.test_null_odds().pvalue),
        "n_used": len(used),
        "tables": tables,
    }
