"""Statistics returning tidy DataFrames (or small dicts), built on statsmodels / scipy."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import warnings

import numpy as np
import pandas as pd

from .errors import ParameterError
from .wording import ci, format_p, label, p_is, plural
from .wording import outcome_label as value_label  # a coded value as a reader names it (registry.value_label)

LOG = logging.getLogger("sendstats.fits")  # a fit's warning text goes here (the render log), never to a page

# what a fit's warning means for its estimates, in words a reader can act on (matched on the warning's class)
_WARNING_SENTENCES = {
    "SingularMatrixWarning": "the design was rank-deficient (some terms cannot be told apart), so the estimates "
    "are not uniquely determined",
    "ConvergenceWarning": "the fit did not converge, so the estimates may be off",
    "HessianInversionWarning": "the information matrix could not be inverted, so the intervals are unreliable",
    "PerfectSeparationWarning": "the data were (quasi-)separated, so the estimates run off towards infinity",
    "PerfectSeparationError": "the data were (quasi-)separated, so the estimates run off towards infinity",
}


@contextlib.contextmanager
def fit_notes(what: str):
    """Catch the warnings of a fit: their text goes to the render log (logger ``sendstats.fits``), and the
    yielded list collects one human sentence per kind ("unreliable: ..."), for the result's ``note``."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield notes
    seen = []
    for w in caught:
        LOG.warning("%s: %s: %s", what, w.category.__name__, w.message)
        sentence = _WARNING_SENTENCES.get(w.category.__name__)
        if sentence and sentence not in seen:
            seen.append(sentence)
    notes.extend(f"unreliable: in the {what}, {s}" for s in seen)


def mid_rank(values, v: float) -> float:
    """The mid-rank percentile (0-1) of ``v`` among ``values``: the share below it plus half the share equal
    to it (Hazen's plotting position), so ties sit in the middle of their block rather than at its bottom.

    Returns
    -------
    float: between 0 and 1."""
    values = pd.Series(values, dtype=float)
    return float((values < v).mean() + 0.5 * (values == v).mean())


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


def describe_table_test(test: dict) -> str:
    """One line for a :func:`table_test` of a table larger than 2 x 2: the test, its p, Cramer's V and n."""
    return f"{test['test']}: {p_is(test['p_value'])}; Cramér's V = {test['effect']:.2f}, n = {test['n_used']}."


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


def design(used: pd.DataFrame, predictors: list[str], standardise: bool) -> tuple[pd.DataFrame, dict]:
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
    return (pd.concat(cols, axis=1) if cols else pd.DataFrame(index=used.index)), units


def _separated(X: pd.DataFrame, y: np.ndarray) -> bool:
    from firthmodels import detect_separation

    return bool(detect_separation(X.to_numpy(), y).separation)


def _not_estimable(predictors, base: dict, method: str) -> pd.DataFrame:
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
                "method": method,
            }
        ]
    )


def _or_rows(terms, units: dict, coef, ci, p, base: dict, method: str) -> pd.DataFrame:
    """One row per term: odds ratio and interval (exponentiated), p, the sample counts and the method."""
    return pd.DataFrame(
        [
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
            for t, b, (lo, hi), pv in zip(terms, coef, ci, p)
        ]
    )


def _groups(used: pd.DataFrame, cluster: str | None) -> dict:
    """statsmodels' fit arguments for standard errors clustered by the column ``cluster`` (none: {})."""
    if cluster is None:
        return {}
    return {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(used[cluster])[0]}}


def _cluster_text(used: pd.DataFrame, cluster: str | None) -> str:
    return f", cluster-robust by {label(cluster)}: {used[cluster].nunique()} clusters" if cluster else ""


def logistic(
    df: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    standardise: bool = True,
    method: str = "auto",
    cluster: str | None = None,
) -> pd.DataFrame:
    """Logistic regression of a boolean ``outcome`` on ``predictors`` (complete cases).

    Returns one row per term (intercept left out): term, unit, odds_ratio, ci_low, ci_high (95%), p_value,
    n_used, n_dropped (rows missing the outcome or any predictor), n_events, method. When the data are
    separated (checked by linear programming, firthmodels.detect_separation) maximum likelihood has no finite
    estimate, so a Firth penalised fit is used instead, with profile-likelihood CIs and likelihood-ratio
    p-values, and ``method`` says so. ``cluster``: a column whose groups are not independent (e.g. areas
    sharing a CCG): the Wald interval and p use statsmodels' cluster-robust covariance (small-sample
    corrected); a separated fit has no such version and is reported as not estimable."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    used, dropped = _complete(df, [outcome, *predictors, *([cluster] if cluster else [])])
    y = used[outcome].astype(bool).astype(float).to_numpy()
    base = {"n_used": len(used), "n_dropped": dropped, "n_events": int(y.sum())}
    if len(used) == 0 or y.min() == y.max():
        return _not_estimable(predictors, base, "not estimable (one outcome level)")
    X, units = design(used, predictors, standardise)
    X = X.loc[:, X.std() > 0]
    if method not in ("auto", "ml", "firth"):
        raise ParameterError(f"method must be auto, ml or firth, got {method!r}")
    firth = method == "firth" or (method == "auto" and _separated(X, y))  # the linear program, once
    if cluster and firth:
        return _not_estimable(
            predictors, base, "not estimable: separated data, and a Firth fit has no cluster-robust form"
        )
    if firth:
        from firthmodels import FirthLogisticRegression

        with fit_notes(f"Firth logistic of {outcome}") as notes:
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

        with fit_notes(f"logistic of {outcome}") as notes:
            res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(
                disp=False, maxiter=200, **_groups(used, cluster)
            )
            coef, p, ci = res.params.to_numpy()[1:], res.pvalues.to_numpy()[1:], res.conf_int().to_numpy()[1:]
        method = f"maximum likelihood logistic (Wald CI{_cluster_text(used, cluster)})"
    return _or_rows(X.columns, units, coef, ci, p, base, method).assign(fit_note="; ".join(notes))


@functools.cache
def _ordered_models():
    """statsmodels' OrderedModel with the logistic cdf and pdf computed by ``scipy.special.expit`` (the function
    scipy.stats.logistic itself uses, without its per-call distribution checks, which took most of a fit's
    time), and its weighted form: each observation's log-likelihood multiplied by its weight (an
    inverse-probability weighted fit: the estimating equations weighted, the sandwich covariance robust)."""
    from scipy.special import expit
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class LogitOrderedModel(OrderedModel):
        def cdf(self, x):
            return expit(x)

        def pdf(self, x):
            p = expit(x)
            return p * (1 - p)

    class WeightedOrderedModel(LogitOrderedModel):
        def __init__(self, endog, exog, weights, **kwargs):
            super().__init__(endog, exog, **kwargs)
            self.case_weights = np.asarray(weights, dtype=float)

        def loglikeobs(self, params):
            return self.case_weights * super().loglikeobs(params)

    return LogitOrderedModel, WeightedOrderedModel


def ordinal(
    df: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    standardise: bool = True,
    cluster: str | None = None,
    weights: str | None = None,
) -> pd.DataFrame:
    """Proportional-odds (ordered logit, statsmodels OrderedModel) of an ordered categorical ``outcome``.
    Odds ratios > 1 mean higher categories (the order of the outcome's categories) are more likely.
    Same columns as :func:`logistic`; ``n_events`` is the number of areas in the outcome's highest level.
    ``cluster``: cluster-robust Wald intervals by that column's groups; ``weights``: a column of case weights
    (inverse-probability weights), each area's log-likelihood multiplied by its weight, with robust (sandwich,
    HC0) intervals."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    extra = [c for c in (cluster, weights) if c]
    used, dropped = _complete(df, [outcome, *predictors, *extra])
    y = used[outcome]
    if not isinstance(y.dtype, pd.CategoricalDtype) or not y.cat.ordered:
        raise ParameterError(f"ordinal: {outcome} must be an ordered categorical")
    y = y.cat.remove_unused_categories()
    X, units = design(used, predictors, standardise)
    X = X.loc[:, X.std() > 0]
    base = {"n_used": len(used), "n_dropped": dropped, "n_events": int((y == y.cat.categories[-1]).sum())}
    if len(y.cat.categories) < 2 or X.empty:
        return _not_estimable(predictors, base, "not estimable")
    if cluster and weights:
        raise ParameterError("ordinal: give cluster or weights, not both (the weighted fit's interval is HC0)")
    plain, weighted = _ordered_models()
    codes = y.cat.codes.to_numpy()
    model = weighted(codes, X, used[weights].to_numpy(), distr="logit") if weights else plain(codes, X, distr="logit")
    cov = {"cov_type": "HC0"} if weights else _groups(used, cluster)
    with fit_notes(f"ordinal model of {outcome}"):  # convergence is checked below
        res = model.fit(method="bfgs", disp=False, maxiter=1000, **cov)
    k = X.shape[1]
    b, ci, p = res.params.to_numpy()[:k], res.conf_int().to_numpy()[:k], res.pvalues.to_numpy()[:k]
    how = _cluster_text(used, cluster) + (f", weighted by {label(weights)}, robust sandwich CI" if weights else "")
    method = f"proportional-odds logistic (OrderedModel, Wald CI{how})"
    if not res.mle_retvals.get("converged", True) or not np.isfinite(ci).all() or np.abs(b).max() > 10:
        # (quasi-)separation: a level where every area had one outcome; the estimate runs off to infinity
        b, ci, p = np.full(k, np.nan), np.full((k, 2), np.nan), np.full(k, np.nan)
        method = "not estimable: separation or no convergence (a level with a single outcome)"
    out = _or_rows(X.columns, units, b, ci, p, base, method)
    out.attrs["llf"] = float(res.llf) if method.startswith("proportional-odds") else float("nan")
    return out


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


def kruskal_by(df: pd.DataFrame, value: str, group: str) -> dict:
    """Kruskal-Wallis test of a numeric ``value`` across the levels of ``group`` (levels without data dropped):
    H, p (chi-square approximation, ties corrected), the epsilon-squared effect size H / (n - 1), n_used,
    n_dropped, and the median per group."""
    from scipy.stats import kruskal

    used, dropped = _complete(df, [value, group])
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


SPARSE = 5  # a level of a categorical factor held by fewer areas is not estimable on its own (stated rule)


def _is_categorical(s: pd.Series) -> bool:
    return not _is_numeric(s) and not (s.dtype == bool or str(s.dtype) == "boolean")


def sparse_split(df: pd.DataFrame, factor: str, outcome: str) -> tuple[pd.DataFrame, dict]:
    """The rows of a categorical ``factor`` whose level at least :data:`SPARSE` areas (with the outcome known)
    hold, and the levels left out with their counts: the screen's rule for levels too small to estimate."""
    used, _ = _complete(df, [factor, outcome])
    counts = used[factor].value_counts()
    thin = {str(k): int(v) for k, v in counts.items() if 0 < v < SPARSE}
    if not thin:
        return df, {}
    keep = df[~df[factor].astype("string").isin(list(thin))].copy()
    if isinstance(keep[factor].dtype, pd.CategoricalDtype):
        keep[factor] = keep[factor].cat.remove_unused_categories()
    return keep, thin


def ordinal_joint_test(df: pd.DataFrame, outcome: str, factor: str) -> dict:
    """The likelihood-ratio test of all levels of a categorical ``factor`` together in a proportional-odds
    model of ``outcome`` (the fit of :func:`ordinal`, against the thresholds-only model, whose log-likelihood is
    the outcome's own multinomial one): statistic, df, p_value, and the fit's contrasts (each level against the
    first, Wald CI)."""
    from scipy import stats as st

    m = ordinal(df, outcome, [factor])
    used, _ = _complete(df, [outcome, factor])
    n_j = used[outcome].value_counts().to_numpy()
    n_j = n_j[n_j > 0]
    null = float((n_j * np.log(n_j / n_j.sum())).sum())
    lr = 2 * (m.attrs.get("llf", float("nan")) - null)
    k = int(m["odds_ratio"].notna().sum())
    p = float(st.chi2.sf(lr, k)) if k and lr == lr else float("nan")
    return {"statistic": lr, "df": k, "p_value": p, "contrasts": m}


def _contrast_rows(factor: str, fit: pd.DataFrame, counts: pd.Series) -> list[dict]:
    """A multi-level factor's contrasts from its fit, labelled ('North West vs East Midlands')."""
    rows = []
    for _, r in fit.iterrows():
        level, ref = r["term"].partition("=")[2], str(r["unit"]).partition("=")[2]
        rows.append(
            {
                "factor": factor,
                "contrast": f"{value_label(level)} vs {value_label(ref)}",
                "n_level": int(counts.get(level, 0)),
                **{k: r[k] for k in ("odds_ratio", "ci_low", "ci_high", "p_value", "method")},
            }
        )
    return rows


def _sparse_rows(factor: str, thin: dict) -> list[dict]:
    """The levels the sparse rule left out of a factor's test, each as a contrast row saying so."""
    why = f"not estimable: fewer than {SPARSE} areas, left out of this factor's test"
    return [
        {"factor": factor, "contrast": f"{value_label(level)} (held by {plural(n, 'area')})", "n_level": n}
        | dict.fromkeys(("odds_ratio", "ci_low", "ci_high", "p_value"), np.nan)
        | {"method": why}
        for level, n in thin.items()
    ]


def _screen_row(factor, kind, n_used, n_dropped, test, p_value, effect_name="", est=(np.nan,) * 3, mw_p=None) -> dict:
    """One row of :func:`screen`: ``est`` is (effect, ci_low, ci_high); ``mw_p``: the Mann-Whitney p beside a
    numeric factor's logistic p."""
    row = {"factor": factor, "kind": kind, "n_used": n_used, "n_dropped": n_dropped, "test": test, "p_value": p_value}
    if mw_p is not None:
        row["mw_p_value"] = mw_p
    return row | {"effect_name": effect_name, "effect": est[0], "ci_low": est[1], "ci_high": est[2]}


def screen(df: pd.DataFrame, outcome: str, factors, *, ordered: bool = False) -> pd.DataFrame:
    """Each factor against the outcome, one at a time, with Benjamini-Hochberg q-values across the screen.

    Boolean outcome: a numeric factor gets a univariable logistic odds ratio per SD with its p-value from the
    same fit (the p-value used, so p and interval agree), and the Mann-Whitney p in its own column
    (``mw_p_value``); a categorical or boolean factor gets :func:`table_test` (Fisher exact for 2 x 2).
    Ordered outcome (``ordered=True``): a proportional-odds model per factor (Wald p).
    Columns: factor, kind, n_used, n_dropped, test, p_value, q_value_bh, effect_name, effect, ci_low, ci_high."""
    rows, contrasts, mdes = [], [], []
    if ordered:
        top = value_label(str(df[outcome].cat.categories[-1]))
    full = df
    for f in factors:
        s = full[f] if f in full else None
        if s is None:
            raise ParameterError(f"unknown factor {f!r}; available: {sorted(full.columns)}")
        df, thin = sparse_split(full, f, outcome) if _is_categorical(s) else (full, {})
        s = df[f]
        levels = _complete(df, [f, outcome])[0][f].astype("string").value_counts()
        left_out = sum(thin.values())  # the sparse levels' areas, counted with the row's dropped
        # beside every result, how large an association it could have detected (an ordered outcome: its top
        # level against the rest, a binary approximation)
        mdes.append(_mde_for(df, f, outcome))
        if _is_categorical(s) and len(levels) > 2:
            # a factor of more than two levels: one test of all its levels, its contrasts listed apart
            if ordered:
                j = ordinal_joint_test(df, outcome, f)
                fit, test = j["contrasts"], f"likelihood-ratio test of its {len(levels)} levels (proportional-odds)"
                p_joint, n_used, n_dropped = j["p_value"], int(fit["n_used"].iat[0]), int(fit["n_dropped"].iat[0])
            else:
                t = table_test(df, f, outcome)
                fit = logistic(df, outcome, [f])
                test, p_joint, n_used, n_dropped = t["test"], t["p_value"], t["n_used"], t["n_dropped"]
            contrasts += _contrast_rows(f, fit, levels)
            effect_name = f"joint test of {len(levels)} levels (contrasts listed apart)"
            rows.append(_screen_row(f, "categorical", n_used, n_dropped + left_out, test, p_joint, effect_name))
        elif _is_categorical(s) and len(levels) < 2:
            test = f"not testable: fewer than two levels held by {SPARSE} or more areas"
            n_used = int(levels.sum())
            rows.append(_screen_row(f, "categorical", n_used, len(full) - n_used, test, np.nan))
        elif ordered:
            r = ordinal(df, outcome, [f]).iloc[0]
            name = f"odds ratio of a higher outcome (towards {top}), {r['unit']}" if r["unit"] else "odds ratio"
            kind = "numeric" if _is_numeric(s) else "categorical"
            est = (r["odds_ratio"], r["ci_low"], r["ci_high"])
            rows.append(
                _screen_row(f, kind, r["n_used"], r["n_dropped"] + left_out, r["method"], r["p_value"], name, est)
            )
        elif _is_numeric(s):
            lg = logistic(df, outcome, [f]).iloc[0]
            mw = mann_whitney(df, f, outcome)
            test = "univariable logistic (p from the same fit); Mann-Whitney p alongside"
            name = f"odds ratio {lg['unit']} ({lg['method'].split(' (')[0]})"
            est = (lg["odds_ratio"], lg["ci_low"], lg["ci_high"])
            row = _screen_row(
                f, "numeric", mw["n_used"], mw["n_dropped"], test, lg["p_value"], name, est, mw["p_value"]
            )
            rows.append(row)
        else:
            t = table_test(df, f, outcome)
            est = (t["effect"], t["ci_low"], t["ci_high"])
            n_dropped = t["n_dropped"] + left_out
            rows.append(
                _screen_row(f, "categorical", t["n_used"], n_dropped, t["test"], t["p_value"], t["effect_name"], est)
            )
        contrasts += _sparse_rows(f, thin)
    out = pd.DataFrame(rows)
    out.insert(out.columns.get_loc("p_value") + 1, "q_value_bh", bh(out["p_value"]))
    out["min_detectable_or"] = mdes
    out.attrs["contrasts"] = pd.DataFrame(
        contrasts, columns=["factor", "contrast", "n_level", "odds_ratio", "ci_low", "ci_high", "p_value", "method"]
    )
    return out


def _effect_text(r) -> str:
    """A screen row's effect as prose: the effect and its interval, or a joint test's name."""
    return f"{r['effect_name']} {ci(r)}" if r["effect"] == r["effect"] else r["effect_name"]


def describe_contrasts(screen) -> str:
    """The rule behind a screen's factors of more than two levels and its sparse levels, from its contrasts
    (``screen.attrs['contrasts']``); '' when the screen has neither."""
    c = screen.attrs.get("contrasts")
    if c is None or not len(c):
        return ""
    joint = [f for f in dict.fromkeys(c.loc[c["odds_ratio"].notna(), "factor"])]
    thin = c[c["odds_ratio"].isna()]
    text = ""
    if joint:
        text += (
            f"For {', '.join(label(f) for f in joint)} (more than two levels) the p-value is one test of all the"
            " factor's levels together, not of one level against another; each level's own contrast with the first"
            " is listed in the table below, for description (its own Wald p, not in the q-value family). "
        )
    if len(thin):
        text += (
            f"A level held by fewer than {SPARSE} areas is not estimable on its own and is left out of its factor's"
            " test (its areas counted as dropped): "
            + "; ".join(f"{label(r['factor'])}, {r['contrast']}" for _, r in thin.iterrows())
            + "."
        )
    return text.strip()


def describe_screen(screen, outcome_text: str) -> str:
    """Plain English under a factor screen: what passed the BH threshold, what it does and does not show."""
    sig = screen[screen["q_value_bh"] < 0.05]
    n = len(screen)
    if sig.empty:
        lead = (
            f"None of the {n} factors is associated with {outcome_text} after Benjamini-Hochberg correction "
            "(all q >= 0.05)"
        )
        lowest = screen.sort_values("p_value").iloc[0] if screen["p_value"].notna().any() else None
        if lowest is not None:
            lead += (
                f"; the smallest unadjusted p-value is {format_p(lowest['p_value'])} ({label(lowest['factor'])}, "
                f"{_effect_text(lowest)})"
            )
    else:
        lead = (
            f"{len(sig)} of {n} factors are associated with {outcome_text} after Benjamini-Hochberg correction: "
            + "; ".join(
                f"{label(r['factor'])} ({_effect_text(r)}, q = {format_p(r['q_value_bh'])})" for _, r in sig.iterrows()
            )
        )
    if "min_detectable_or" in screen and screen["min_detectable_or"].notna().any():
        m = screen["min_detectable_or"].dropna()
        lead += (
            f". With these numbers of areas each test had 80% power only for odds ratios from {m.min():.1f} to "
            f"{m.max():.1f} or beyond (the last column), so these nulls rule out only associations that strong"
        )
        two_level = (screen["kind"] == "numeric") | screen["test"].astype(str).str.startswith("Fisher")
        unreachable = screen[two_level & screen["min_detectable_or"].isna()]
        if len(unreachable):
            lead += (
                f"; for {plural(len(unreachable), 'rarer factor')} no odds ratio up to 1,000 would have been"
                " detected (shown as –), so their rows say nothing either way"
            )
    return (
        lead
        + ". Each row uses the areas with a value for that factor (the n used; the n dropped lacked one). These are "
        "associations across areas, not causes: areas differ in many ways the table does not measure, and a "
        "non-significant result with a wide interval is not evidence of no association."
    )


def describe_model(model, outcome_text: str) -> str:
    """Plain English under a multivariable model table."""
    r0 = model.iloc[0]
    parts = [
        f"{label(r['term'])} {r['odds_ratio']:.2f} ({r['ci_low']:.2f} to {r['ci_high']:.2f}, {r['unit']})"
        for _, r in model.iterrows()
    ]
    return (
        f"Odds ratios for {outcome_text}, each adjusted for the others: " + "; ".join(parts) + ". "
        f"Fitted on {int(r0['n_used'])} areas with every factor known ({int(r0['n_dropped'])} left out for a missing "
        f"value), method: {r0['method']}. An odds ratio above 1 means higher odds; an interval crossing 1 is "
        "compatible with no association. Adjustment is only for the factors listed; it does not make the "
        "estimates causal."
    )


def fit_notes_text(frame, name: str = "specification") -> str:
    """One sentence per estimate whose fit warned (its ``fit_note``), naming it; the warnings' own text is in
    the render log. The names and notes are the package's own words, not data."""
    rows = frame[frame["fit_note"].fillna("").astype(str) != ""] if "fit_note" in frame else frame.iloc[:0]
    return "".join(f'The estimate "{r[name]}" is {r["fit_note"]}. ' for _, r in rows.iterrows())


def min_detectable_or_per_sd(n: int, outcome_share: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """The odds ratio per SD of a numeric factor detectable with ``power`` (Hsieh's approximation: the log odds
    ratio per SD has standard error 1 / sqrt(n r (1 - r)))."""
    from scipy import stats as st

    if n <= 0 or not 0 < outcome_share < 1:
        return float("nan")
    return float(
        np.exp((st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)) / np.sqrt(n * outcome_share * (1 - outcome_share)))
    )


def _mde_for(df: pd.DataFrame, factor: str, outcome: str) -> float:
    used, _ = _complete(df, [factor, outcome])
    y = used[outcome]
    top = (y == y.cat.categories[-1]) if isinstance(y.dtype, pd.CategoricalDtype) and y.cat.ordered else y.astype(bool)
    r = float(top.mean()) if len(used) else float("nan")
    s = used[factor]
    if s.dtype == bool or str(s.dtype) == "boolean":
        return min_detectable_or(len(used), float(s.astype(bool).mean()), r)
    if _is_numeric(s):
        return min_detectable_or_per_sd(len(used), r)
    levels = s.astype("string").value_counts()
    if len(levels) == 2:  # two levels: the second against the first, as the test's odds ratio
        first = s.cat.categories[0] if isinstance(s.dtype, pd.CategoricalDtype) else sorted(levels.index)[0]
        return min_detectable_or(len(used), float((s.astype("string") != str(first)).mean()), r)
    return float("nan")  # several levels: no single odds ratio


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


def kaplan_meier(time, event) -> pd.DataFrame:
    """Kaplan-Meier estimate (statsmodels SurvfuncRight): one row per distinct event time with at_risk,
    events and survival (the share not yet having had the event), plus the median and its 95% interval
    (Brookmeyer-Crowley, log-log transformed; an unreached limit is NaN) in ``attrs`` (median, median_ci)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    t, e = np.asarray(time, float), np.asarray(event, float)
    sf = SurvfuncRight(t, e)
    out = pd.DataFrame({"time": sf.surv_times, "at_risk": sf.n_risk, "events": sf.n_events, "survival": sf.surv_prob})
    out.attrs["median"] = float(sf.quantile(0.5)) if (sf.surv_prob <= 0.5).any() else float("nan")
    with np.errstate(all="ignore"):
        lo, hi = sf.quantile_ci(0.5, method="cloglog")
    out.attrs["median_ci"] = tuple(float(v) if v is not None and np.isfinite(v) else float("nan") for v in (lo, hi))
    out.attrs["n"], out.attrs["n_events"] = len(t), int(e.sum())
    return out


def cox(df: pd.DataFrame, time: str, event: str, predictors) -> pd.DataFrame:
    """Cox proportional hazards (statsmodels PHReg, Breslow ties): one row per predictor with hazard_ratio,
    ci_low, ci_high (95% Wald), p_value (same fit), n_used, n_dropped, n_events."""
    import statsmodels.api as sm

    predictors = list(predictors)
    used, dropped = _complete(df, [time, event, *predictors])
    X, units = design(used, predictors, standardise=False)
    res = sm.PHReg(
        used[time].astype(float).to_numpy(), X.to_numpy(), status=used[event].astype(float).to_numpy(), ties="breslow"
    ).fit()
    ci = res.conf_int()
    return pd.DataFrame(
        [
            {
                "term": t,
                "unit": units.get(t, ""),
                "hazard_ratio": float(np.exp(b)),
                "ci_low": float(np.exp(ci[i][0])),
                "ci_high": float(np.exp(ci[i][1])),
                "p_value": float(res.pvalues[i]),
                "n_used": len(used),
                "n_dropped": dropped,
                "n_events": int(used[event].astype(bool).sum()),
            }
            for i, (t, b) in enumerate(zip(X.columns, res.params))
        ]
    )


def cochran_armitage(df: pd.DataFrame, score: str, outcome: str) -> dict:
    """Cochran-Armitage test for a linear trend in the share of a boolean ``outcome`` across the ordered
    numeric ``score`` (e.g. inspection year): z, two-sided normal p, the trend in share per unit of score
    (least-squares slope), n_used and n_dropped."""
    from scipy import stats as st

    used, dropped = _complete(df, [score, outcome])
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
    used, dropped = _complete(df, [row, col])
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


def _cells(n: int, p: float, r: float, odds_ratio: float):
    """Expected 2 x 2 cells (exposed with/without outcome, unexposed with/without) for an exposure share p,
    an overall outcome share r and an odds ratio."""
    from scipy.optimize import brentq

    n1 = n * p
    n0 = n - n1
    q = lambda q0: q0 * odds_ratio / (1 - q0 + q0 * odds_ratio)
    q0 = brentq(lambda q0: (n0 * q0 + n1 * q(q0)) / n - r, 1e-12, 1 - 1e-12)
    return n1, n0, q(q0), q0


def approx_power(n: int, exposure_share: float, outcome_share: float, odds_ratio: float, alpha: float = 0.05) -> float:
    """Power of the two-sided Wald test of a 2 x 2 log odds ratio from the expected cells: the standard error
    under no association for the critical value and under the alternative for the spread."""
    from scipy import stats as st

    def se(orr):
        n1, n0, q1, q0 = _cells(n, exposure_share, outcome_share, orr)
        return np.sqrt(1 / (n1 * q1) + 1 / (n1 * (1 - q1)) + 1 / (n0 * q0) + 1 / (n0 * (1 - q0)))

    z = st.norm.ppf(1 - alpha / 2)
    return float(st.norm.cdf((abs(np.log(odds_ratio)) - z * se(1.0)) / se(odds_ratio)))


def min_detectable_or(
    n: int, exposure_share: float, outcome_share: float, *, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The smallest odds ratio (above 1) that a two-sided test at ``alpha`` detects with ``power`` for a binary
    exposure held by ``exposure_share`` of ``n`` units and an outcome in ``outcome_share`` of them, from the
    normal approximation of :func:`approx_power` (a test checks it against :func:`simulated_power`). NaN when
    a share is 0 or 1 or no odds ratio up to 1,000 reaches the power."""
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
    the estimate reported are all in it). A test checks it against a simulation of the adjusted design."""
    from scipy import stats as st

    se = se_from_ci(row)
    return float(np.exp((st.norm.ppf(1 - alpha / 2) + st.norm.ppf(power)) * se)) if se == se else float("nan")


def se_from_ci(row) -> float:
    """The standard error of a log odds ratio read back from its 95% interval (``row``'s ci_low, ci_high); NaN
    when the interval is not finite and positive."""
    from scipy import stats as st

    lo, hi = float(row["ci_low"]), float(row["ci_high"])
    if not (lo > 0 and np.isfinite(hi) and hi > lo):
        return float("nan")
    return float((np.log(hi) - np.log(lo)) / (2 * st.norm.ppf(0.975)))


def describe_power(row, mde: float) -> str:
    """What a fit could detect and what its interval rules out, for a sentence beside the estimate: ``mde``
    from :func:`mde_from_fit` of the same ``row``."""
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
    Whitehead's (1993) formula, log OR = sqrt(3 (z_a + z_b)^2 / (n p (1 - p) (1 - sum of cubed shares)))."""
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
    the outcome drawn with the probabilities of :func:`_cells`, a Haldane 0.5 added to every cell."""
    from scipy import stats as st

    rng = np.random.default_rng(seed)
    n1f, n0f, q1, q0 = _cells(n, exposure_share, outcome_share, odds_ratio)
    n1, n0 = round(n1f), n - round(n1f)
    a = rng.binomial(n1, q1, n_sims) + 0.5
    c = rng.binomial(n0, q0, n_sims) + 0.5
    b, d = n1 + 1 - a, n0 + 1 - c
    z = np.log(a * d / (b * c)) / np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return float((np.abs(z) > st.norm.ppf(1 - alpha / 2)).mean())


def cut_models(df: pd.DataFrame, outcome: str, predictors, *, standardise: bool = True) -> pd.DataFrame:
    """A check of the proportional-odds assumption of :func:`ordinal`: a binary logistic model at each cut of
    the ordered ``outcome`` (at or above each level but the lowest, against below it), every cut by the same
    method: Firth's penalised likelihood for all when any cut is separated, else maximum likelihood for all (so
    cut odds ratios are comparable). Under proportional odds the cuts' odds ratios agree
    (:func:`proportional_odds_check`). One row per cut and term: cut, term, odds_ratio, ci_low, ci_high,
    p_value, n_used, n_events, method."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    used, _ = _complete(df, [outcome, *predictors])
    levels = list(used[outcome].cat.categories)
    words = lambda levels: " or ".join(str(value_label(v)) for v in levels)
    cuts = [
        (f"{words(levels[k:])} vs {words(levels[:k])}", used[outcome].isin(levels[k:])) for k in range(1, len(levels))
    ]
    fit = lambda at, how: logistic(
        used.assign(_at_or_above=at), "_at_or_above", predictors, standardise=standardise, method=how
    )
    fits = [fit(at, "auto") for _, at in cuts]
    if any(m["method"].str.startswith("Firth").any() for m in fits):
        fits = [fit(at, "firth") for _, at in cuts]
    return pd.DataFrame([{"cut": name, **r} for (name, _), m in zip(cuts, fits) for r in m.to_dict("records")])


PO_RATIO = 2.0  # the plan's rule: cut odds ratios this many times apart or more reject proportional odds
UNINFORMATIVE_SPAN = 100.0  # a cut whose 95% interval spans more than this factor can reject nothing (third revision)


def proportional_odds_check(cuts: pd.DataFrame, term: str) -> dict:
    """The analysis plan's rule for one ``term`` of :func:`cut_models`: the proportional-odds assumption is
    not supported when its cut odds ratios are :data:`PO_RATIO` times apart or more. Returns supported, ratio
    (largest over smallest odds ratio), rows (the term's cut rows) and method."""
    mine = cuts[cuts["term"] == term]
    ors = mine["odds_ratio"].astype(float)
    ratio = float(ors.max() / ors.min()) if len(ors) and ors.notna().all() and ors.min() > 0 else float("nan")
    span = mine["ci_high"].astype(float) / mine["ci_low"].astype(float)
    return {
        "supported": bool(ratio < PO_RATIO),
        "ratio": ratio,
        "rows": mine,
        "method": mine["method"].iat[0] if len(mine) else "",
        "uninformative": mine[~(span <= UNINFORMATIVE_SPAN)],  # NaN spans (no interval) count as uninformative
    }


def way(c: dict, higher: str) -> str:
    """Which way one estimate points, from its sign and interval: 'higher odds of {higher}', 'lower odds of
    {higher}', or 'its interval includes 1'."""
    if c["ci_low"] > 1:
        return f"higher odds of {higher}"
    if c["ci_high"] < 1:
        return f"lower odds of {higher}"
    return "its interval includes 1"


def _cut_list(rows: pd.DataFrame, word: str, higher: str | None = None) -> str:
    """'1.19 (95% CI 0.62 to 2.27) at Some or Yes vs No; ...' for a term's rows of :func:`cut_models`, each with
    its direction (:func:`way`) when ``higher`` names what the higher levels are."""
    return "; ".join(
        f"{c['odds_ratio']:.2f} (95% CI {c['ci_low']:.2f} to {c['ci_high']:.2f}"
        + (f"; {way(c, higher)}" if higher else "")
        + f") {word} {c['cut']}"
        for c in rows.to_dict("records")
    )


def describe_cuts(cuts: pd.DataFrame, model: pd.DataFrame, what: str) -> str:
    """The sentence on the proportional-odds check of the ordinal ``model``'s first term (``what``: its
    words, e.g. 'areas served by more than one sub-ICB location'): each cut's odds ratio and interval, the
    plan's rule, and, when it fires, that the cut-specific estimates are the ones to read."""
    r = model.iloc[0]
    check = proportional_odds_check(cuts, r["term"])
    if check["rows"].empty or check["ratio"] != check["ratio"]:
        return (
            "The binary models at the cuts of the outcome could not all be fitted: proportional odds is not checked. "
        )
    each = _cut_list(check["rows"], "at")
    how = check["method"].split("(")[0].strip()
    text = (
        f"Binary models at each cut of the outcome, every cut fitted by {how}, give odds ratios for {what} of {each}: "
    )
    if check["supported"] and len(check["uninformative"]):
        u = check["uninformative"].iloc[0]
        return text + (
            f"{check['ratio']:.1f} times apart, but the interval at {u['cut']} runs from {u['ci_low']:.2f} to"
            f" {u['ci_high']:.2f} (more than {UNINFORMATIVE_SPAN:.0f}-fold), so that cut can reject nothing: the check"
            f" of proportional odds is uninformative, and the single odds ratio ({r['odds_ratio']:.2f}) is read with"
            " that caveat. "
        )
    if check["supported"]:
        return text + (
            f"{check['ratio']:.1f} times apart, under the plan's rule ({PO_RATIO:.0f} times or more), so proportional"
            f" odds is not rejected and the single odds ratio ({r['odds_ratio']:.2f}) summarises the cuts. "
        )
    return text + (
        f"{check['ratio']:.1f} times apart, so by the plan's rule ({PO_RATIO:.0f} times or more) the proportional-odds"
        f" assumption is not supported: read the cut-specific estimates; the single odds ratio ({r['odds_ratio']:.2f})"
        " averages over associations that differ by cut. "
    )


def describe_cut_estimates(
    cuts: pd.DataFrame, model: pd.DataFrame, what: str, higher: str = "the higher levels"
) -> str:
    """When the plan's proportional-odds rule fires for the ordinal ``model``'s first term: the sentence that
    reads its cut-specific estimates instead of the single odds ratio (which it names as their average); ''
    when the rule does not fire."""
    r = model.iloc[0]
    check = proportional_odds_check(cuts, r["term"])
    if check["supported"] or check["rows"].empty:
        return ""
    each = _cut_list(check["rows"], "for", higher)
    return (
        f"The proportional-odds assumption is not supported for {what} (the plan's rule: cut odds ratios"
        f" {PO_RATIO:.0f} or more times apart), so the estimate is read at each cut of the outcome, as odds ratios of"
        f" the higher levels against the lower: {each}. The single ordinal odds ratio, {r['odds_ratio']:.2f} (95% CI"
        f" {r['ci_low']:.2f} to {r['ci_high']:.2f}), averages over cuts that differ. "
    )


def e_value(odds_ratio: float, ci_low: float, ci_high: float, *, common: bool = True) -> dict:
    """VanderWeele and Ding's (2017) E-value of an odds ratio and of its confidence limit nearest 1: the
    risk-ratio association an unmeasured confounder would need with both exposure and outcome to explain the
    estimate away. ``common``: the outcome is common (over 15%), so the odds ratio is first taken to an
    approximate risk ratio by its square root. An interval including 1 has a limit E-value of 1."""

    def e(or_):
        rr = math.sqrt(or_) if common else or_
        rr = 1 / rr if rr < 1 else rr
        return rr + math.sqrt(rr * (rr - 1))

    nearest = ci_low if odds_ratio >= 1 else ci_high
    return {"point": e(odds_ratio), "limit": 1.0 if ci_low <= 1 <= ci_high else e(nearest), "common": common}


def describe_e_value(ev: dict, what: str) -> str:
    """The E-value sentence (:func:`e_value`) for the estimate of ``what``."""
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
    used, dropped = _complete(df, [outcome, *predictors])
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
    ``covariates`` (numbers as they are, categories as dummies) fitted on ``fit`` (complete cases)."""
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
    (sum of weights squared over the sum of squared weights)."""
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


def separated_levels(df: pd.DataFrame, row: str, col: str) -> list[str]:
    """Levels of ``row`` whose every unit has the same ``col`` (near-separation in a model of ``col``)."""
    t = crosstab(df, row, col)
    return [
        f"{r}: all {int(t.loc[r].sum())} {t.columns[t.loc[r].to_numpy().argmax()]}"
        for r in t.index
        if t.loc[r].sum() > 0 and (t.loc[r] > 0).sum() == 1
    ]


def describe_separation(levels: list[str]) -> str:
    """The sentence on near-separated levels (:func:`separated_levels`), or '' when there are none."""
    if not levels:
        return ""
    return (
        f"Near-separation in the band table ({'; '.join(levels)}): a model with the bands would have no finite"
        " estimate for that band, so the bands are tested with the exact or permutation test above and modelled"
        " only as a count."
    )


def mantel_haenszel(a: pd.DataFrame, exposure: str, outcome: str, stratum: str) -> dict:
    """Mantel-Haenszel pooled odds ratio over the strata of ``stratum``, its 95% CI and the MH test p."""
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


def mice_logistic(
    a: pd.DataFrame,
    outcome: str,
    exposure: str,
    covariates: list[str],
    *,
    categorical=("region",),
    n_imputations: int = 20,
    seed: int = 20160501,
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
