"""Statistics returning tidy DataFrames (or small dicts), built on statsmodels / scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError


def proportion(successes, n, alpha: float = 0.05) -> pd.Series:
    """Estimate ``successes / n`` with a Wilson score interval (default 95%).

    Returns a Series: successes, n, share, ci_low, ci_high. ``n == 0`` gives NaN share and interval.
    Array-like inputs give a DataFrame with one row per element.
    """
    from statsmodels.stats.proportion import proportion_confint  # heavy: imported on first use

    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(m < 0) or np.any(k > m):
        raise ParameterError(f"proportion needs 0 <= successes <= n, got successes={successes!r}, n={n!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(m > 0, k / np.where(m > 0, m, 1), np.nan)
        lo, hi = proportion_confint(k, np.where(m > 0, m, 1), alpha=alpha, method="wilson")
    lo, hi = np.where(m > 0, lo, np.nan), np.where(m > 0, hi, np.nan)
    cols = {"successes": k.astype(int), "n": m.astype(int), "share": share, "ci_low": lo, "ci_high": hi}
    if k.ndim == 0:
        return pd.Series({c: v.item() for c, v in cols.items()})
    return pd.DataFrame(cols)


# --- association between a factor and an outcome ---------------------------------------------------------
SEED = 20160501  # fixed seed: Monte Carlo p-values and bootstrap intervals are reproducible


def _complete(df: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, int]:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError(f"unknown column(s) {missing}; available: {sorted(df.columns)}")
    used = df[cols].dropna()
    return used, len(df) - len(used)


def crosstab(df: pd.DataFrame, row: str, col: str) -> pd.DataFrame:
    """Counts of ``row`` x ``col`` over rows where both are known (categories kept in their order)."""
    used, _ = _complete(df, [row, col])
    return pd.crosstab(used[row], used[col], dropna=False)


def cramers_v(table) -> float:
    """Cramér's V (no bias correction) of a contingency table."""
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

    used, dropped = _complete(df, [row, col])
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


def permutation_chi2_p(xi, yi, statistic: float, n_resamples: int = 9999, seed: int = SEED) -> float:
    """Monte Carlo permutation p-value of Pearson's chi-square for integer codes ``xi``, ``yi``: the column
    codes are shuffled ``n_resamples`` times (fixed seed) with the margins kept, and
    p = (1 + number of shuffles with a statistic at least as large) / (n_resamples + 1). Vectorised."""
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


def _design(used: pd.DataFrame, predictors: list[str], standardise: bool) -> tuple[pd.DataFrame, dict]:
    """Numeric design matrix: booleans 0/1, categories as dummies (first level = reference), numbers as they
    are or per standard deviation. Returns (X, term -> description of the unit)."""
    cols, units = [], {}
    for p in predictors:
        s = used[p]
        if s.dtype == bool or str(s.dtype) == "boolean":
            cols.append(s.astype(float).rename(p))
            units[p] = "True vs False"
        elif isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or str(s.dtype).startswith("string"):
            cat = (
                s.astype("category")
                if not isinstance(s.dtype, pd.CategoricalDtype)
                else s.cat.remove_unused_categories()
            )
            ref = cat.cat.categories[0]
            for level in cat.cat.categories[1:]:
                name = f"{p}={level}"
                cols.append((cat == level).astype(float).rename(name))
                units[name] = f"vs {p}={ref}"
        else:
            x = s.astype(float)
            if standardise and x.std() > 0:
                cols.append(((x - x.mean()) / x.std()).rename(p))
                units[p] = f"per SD ({x.std():.3g})"
            else:
                cols.append(x.rename(p))
                units[p] = "per unit"
    return pd.concat(cols, axis=1), units


def _separated(X: pd.DataFrame, y: np.ndarray) -> bool:
    from firthmodels import detect_separation

    return bool(detect_separation(X.to_numpy(), y).separation)


def logistic(
    df: pd.DataFrame, outcome: str, predictors, *, standardise: bool = True, method: str = "auto"
) -> pd.DataFrame:
    """Logistic regression of a boolean ``outcome`` on ``predictors`` (complete cases).

    Returns one row per term (intercept left out): term, unit, odds_ratio, ci_low, ci_high (95%), p_value,
    n_used, n_dropped (rows missing the outcome or any predictor), n_events, method. When the data are
    separated (checked by linear programming, firthmodels.detect_separation) maximum likelihood has no finite
    estimate, so a Firth penalised fit is used instead, with profile-likelihood CIs and likelihood-ratio
    p-values, and ``method`` says so."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    used, dropped = _complete(df, [outcome, *predictors])
    y = used[outcome].astype(bool).astype(float).to_numpy()
    base = {"n_used": len(used), "n_dropped": dropped, "n_events": int(y.sum())}
    if len(used) == 0 or y.min() == y.max():
        return pd.DataFrame(
            [
                {
                    "term": ", ".join(predictors),
                    "unit": "",
                    "odds_ratio": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "p_value": np.nan,
                    **base,
                    "method": "not estimable (one outcome level)",
                }
            ]
        )
    X, units = _design(used, predictors, standardise)
    X = X.loc[:, X.std() > 0]
    if method not in ("auto", "ml", "firth"):
        raise ParameterError(f"method must be auto, ml or firth, got {method!r}")
    if method == "firth" or (method == "auto" and _separated(X, y)):
        from firthmodels import FirthLogisticRegression

        m = FirthLogisticRegression().fit(X.to_numpy(), y)
        m.lrt()
        ci = m.conf_int(method="pl")[: X.shape[1]]
        coef, p = m.coef_, m.lrt_pvalues_[: X.shape[1]]
        method = (
            "Firth penalised logistic (separation detected; profile CI, LRT p)"
            if method == "auto"
            else "Firth penalised logistic (profile CI, LRT p)"
        )
    else:
        import statsmodels.api as sm

        res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(disp=False, maxiter=200)
        coef, p, ci = res.params.to_numpy()[1:], res.pvalues.to_numpy()[1:], res.conf_int().to_numpy()[1:]
        method = "maximum likelihood logistic (Wald CI)"
    rows = [
        {
            "term": t,
            "unit": units.get(t, ""),
            "odds_ratio": float(np.exp(b)),
            "ci_low": float(np.exp(lo)),
            "ci_high": float(np.exp(hi)),
            "p_value": float(pv),
            **base,
            "method": method,
        }
        for t, b, (lo, hi), pv in zip(X.columns, coef, ci, p)
    ]
    return pd.DataFrame(rows)


def ordinal(df: pd.DataFrame, outcome: str, predictors, *, standardise: bool = True) -> pd.DataFrame:
    """Proportional-odds (ordered logit, statsmodels OrderedModel) of an ordered categorical ``outcome``.
    Odds ratios > 1 mean higher categories (the order of the outcome's categories) are more likely.
    Same columns as :func:`logistic`; ``n_events`` is the number of outcome levels observed."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    used, dropped = _complete(df, [outcome, *predictors])
    y = used[outcome]
    if not isinstance(y.dtype, pd.CategoricalDtype) or not y.cat.ordered:
        raise ParameterError(f"ordinal: {outcome} must be an ordered categorical")
    y = y.cat.remove_unused_categories()
    X, units = _design(used, predictors, standardise)
    X = X.loc[:, X.std() > 0]
    base = {"n_used": len(used), "n_dropped": dropped, "n_events": len(y.cat.categories)}
    if len(y.cat.categories) < 2 or X.empty:
        return pd.DataFrame(
            [
                {
                    "term": ", ".join(predictors),
                    "unit": "",
                    "odds_ratio": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "p_value": np.nan,
                    **base,
                    "method": "not estimable",
                }
            ]
        )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; checked below
        res = OrderedModel(y.cat.codes.to_numpy(), X, distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
    k = X.shape[1]
    b, ci, p = res.params.to_numpy()[:k], res.conf_int().to_numpy()[:k], res.pvalues.to_numpy()[:k]
    method = "proportional-odds logistic (OrderedModel, Wald CI)"
    if not res.mle_retvals.get("converged", True) or not np.isfinite(ci).all() or np.abs(b).max() > 10:
        # (quasi-)separation: a level where every area had one outcome; the estimate runs off to infinity
        b, ci, p = np.full(k, np.nan), np.full((k, 2), np.nan), np.full(k, np.nan)
        method = "not estimable: separation or no convergence (a level with a single outcome)"
    return pd.DataFrame(
        [
            {
                "term": t,
                "unit": units.get(t, ""),
                "odds_ratio": float(np.exp(bb)),
                "ci_low": float(np.exp(lo)),
                "ci_high": float(np.exp(hi)),
                "p_value": float(pv),
                **base,
                "method": method,
            }
            for t, bb, (lo, hi), pv in zip(X.columns, b, ci, p)
        ]
    )


def mann_whitney(df: pd.DataFrame, factor: str, outcome: str) -> dict:
    """Mann-Whitney U of a numeric ``factor`` between the two levels of a boolean ``outcome``: medians per
    group, two-sided p, and the rank-biserial correlation (P(X_true > X_false) - P(X_true < X_false))."""
    from scipy.stats import mannwhitneyu

    used, dropped = _complete(df, [factor, outcome])
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


def bh(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=float)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return q


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) and str(s.dtype) != "boolean"


def screen(df: pd.DataFrame, outcome: str, factors, *, ordered: bool = False) -> pd.DataFrame:
    """Each factor against the outcome, one at a time, with Benjamini-Hochberg q-values across the screen.

    Boolean outcome: a numeric factor gets a univariable logistic odds ratio per SD and a Mann-Whitney p (the
    p-value used); a categorical or boolean factor gets :func:`table_test` (Fisher exact for 2 x 2).
    Ordered outcome (``ordered=True``): a proportional-odds model per factor (Wald p).
    Columns: factor, kind, n_used, n_dropped, test, p_value, q_value_bh, effect_name, effect, ci_low, ci_high."""
    rows = []
    for f in factors:
        s = df[f] if f in df else None
        if s is None:
            raise ParameterError(f"unknown factor {f!r}; available: {sorted(df.columns)}")
        if ordered:
            r = ordinal(df, outcome, [f]).iloc[0]
            rows.append(
                {
                    "factor": f,
                    "kind": "numeric" if _is_numeric(s) else "categorical",
                    "n_used": r["n_used"],
                    "n_dropped": r["n_dropped"],
                    "test": r["method"],
                    "p_value": r["p_value"],
                    "effect_name": f"odds ratio of a better/higher outcome, {r['unit']}" if r["unit"] else "odds ratio",
                    "effect": r["odds_ratio"],
                    "ci_low": r["ci_low"],
                    "ci_high": r["ci_high"],
                }
            )
        elif _is_numeric(s):
            lg = logistic(df, outcome, [f]).iloc[0]
            mw = mann_whitney(df, f, outcome)
            rows.append(
                {
                    "factor": f,
                    "kind": "numeric",
                    "n_used": mw["n_used"],
                    "n_dropped": mw["n_dropped"],
                    "test": "Mann-Whitney U",
                    "p_value": mw["p_value"],
                    "effect_name": f"odds ratio {lg['unit']} ({lg['method'].split(' (')[0]})",
                    "effect": lg["odds_ratio"],
                    "ci_low": lg["ci_low"],
                    "ci_high": lg["ci_high"],
                }
            )
        else:
            t = table_test(df, f, outcome)
            rows.append(
                {
                    "factor": f,
                    "kind": "categorical",
                    "n_used": t["n_used"],
                    "n_dropped": t["n_dropped"],
                    "test": t["test"],
                    "p_value": t["p_value"],
                    "effect_name": t["effect_name"],
                    "effect": t["effect"],
                    "ci_low": t["ci_low"],
                    "ci_high": t["ci_high"],
                }
            )
    out = pd.DataFrame(rows)
    out.insert(out.columns.get_loc("p_value") + 1, "q_value_bh", bh(out["p_value"]))
    return out


def share_by(df: pd.DataFrame, by: str, outcome: str) -> pd.DataFrame:
    """Share of rows with a True ``outcome`` in each level of ``by`` (rows missing ``by`` counted apart), with
    Wilson 95% intervals: columns by, n, count, share, ci_low, ci_high."""
    used, _ = _complete(df, [by, outcome])
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
