"""Regression models: logistic and proportional-odds fits with odds ratios, their warnings in words, the
cumulative cuts of an ordinal outcome, and separation."""

from __future__ import annotations

import contextlib
import functools
import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..wording import label, outcome_label
from .tables import complete_cases, crosstab

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
    """Catch the warnings of a fit: their text goes to the render log (the logger named "sendstats.fits"), and the
    yielded list collects one human sentence per kind ("unreliable: ..."), for the result's ``note``.

    Returns
    -------
    a context manager; on leaving, the fit's warnings are logged in words"""
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
    used, dropped = complete_cases(df, [outcome, *predictors, *([cluster] if cluster else [])])
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


@dataclass(frozen=True)
class OrdinalFit:
    """A proportional-odds fit: ``table`` (the rows :func:`ordinal` returns) and ``llf``, the fit's
    log-likelihood (NaN when the model could not be estimated), for a likelihood-ratio test."""

    table: pd.DataFrame
    llf: float


def ordinal(df: pd.DataFrame, outcome: str, predictors, **options) -> pd.DataFrame:
    """Proportional-odds (ordered logit, statsmodels OrderedModel) of an ordered categorical ``outcome``.
    Odds ratios > 1 mean higher categories (the order of the outcome's categories) are more likely.
    ``n_events`` is the number of areas in the outcome's highest level. ``options``: those of
    :func:`ordinal_fit` (``standardise``, ``cluster``, ``weights``).

    Returns
    -------
    pandas.DataFrame with the columns of :func:`logistic`, one row per term (the fit and its log-likelihood:
    :func:`ordinal_fit`)."""
    return ordinal_fit(df, outcome, predictors, **options).table


def ordinal_fit(
    df: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    standardise: bool = True,
    cluster: str | None = None,
    weights: str | None = None,
) -> OrdinalFit:
    """:func:`ordinal`'s fit with its log-likelihood. ``standardise``: numeric predictors per SD; ``cluster``:
    cluster-robust Wald intervals by that column's groups; ``weights``: a column of case weights
    (inverse-probability weights), each area's log-likelihood multiplied by its weight, with robust (sandwich,
    HC0) intervals.

    Returns
    -------
    OrdinalFit"""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    extra = [c for c in (cluster, weights) if c]
    used, dropped = complete_cases(df, [outcome, *predictors, *extra])
    y = used[outcome]
    if not isinstance(y.dtype, pd.CategoricalDtype) or not y.cat.ordered:
        raise ParameterError(f"ordinal: {outcome} must be an ordered categorical")
    y = y.cat.remove_unused_categories()
    X, units = design(used, predictors, standardise)
    X = X.loc[:, X.std() > 0]
    base = {"n_used": len(used), "n_dropped": dropped, "n_events": int((y == y.cat.categories[-1]).sum())}
    if len(y.cat.categories) < 2 or X.empty:
        return OrdinalFit(_not_estimable(predictors, base, "not estimable"), float("nan"))
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
    return OrdinalFit(out, float(res.llf) if method.startswith("proportional-odds") else float("nan"))


def describe_model(model, outcome_text: str) -> str:
    """Plain English under a multivariable model table.

    Returns
    -------
    str: prose"""
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
    the render log. The names and notes are the package's own words, not data.

    Returns
    -------
    str: one sentence per estimate with a fit warning ('' without)"""
    rows = frame[frame["fit_note"].fillna("").astype(str) != ""] if "fit_note" in frame else frame.iloc[:0]
    return "".join(f'The estimate "{r[name]}" is {r["fit_note"]}. ' for _, r in rows.iterrows())


def cut_models(df: pd.DataFrame, outcome: str, predictors, *, standardise: bool = True) -> pd.DataFrame:
    """A check of the proportional-odds assumption of :func:`ordinal`: a binary logistic model at each cut of
    the ordered ``outcome`` (at or above each level but the lowest, against below it), every cut by the same
    method: Firth's penalised likelihood for all when any cut is separated, else maximum likelihood for all (so
    cut odds ratios are comparable). Under proportional odds the cuts' odds ratios agree
    (:func:`proportional_odds_check`). One row per cut and term: cut, term, odds_ratio, ci_low, ci_high,
    p_value, n_used, n_events, method.

    Returns
    -------
    pandas.DataFrame: the rows of :func:`logistic` for each cut, with the cut's name in ``cut``"""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    used, _ = complete_cases(df, [outcome, *predictors])
    levels = list(used[outcome].cat.categories)
    words = lambda levels: " or ".join(str(outcome_label(v)) for v in levels)
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
    {higher}', or 'its interval includes 1'.

    Returns
    -------
    str: the words for the direction of an odds ratio"""
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
    plan's rule, and, when it fires, that the cut-specific estimates are the ones to read.

    Returns
    -------
    str: prose"""
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
    when the rule does not fire.

    Returns
    -------
    str: prose ('' when there is nothing to say)"""
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


def separated_levels(df: pd.DataFrame, row: str, col: str) -> list[str]:
    """Levels of ``row`` whose every unit has the same ``col`` (near-separation in a model of ``col``).

    Returns
    -------
    list of str: each separated level with the outcome all its areas had"""
    t = crosstab(df, row, col)
    return [
        f"{r}: all {int(t.loc[r].sum())} {t.columns[t.loc[r].to_numpy().argmax()]}"
        for r in t.index
        if t.loc[r].sum() > 0 and (t.loc[r] > 0).sum() == 1
    ]


def describe_separation(levels: list[str]) -> str:
    """The sentence on near-separated levels (:func:`separated_levels`), or '' when there are none.

    Returns
    -------
    str: prose ('' without separation)"""
    if not levels:
        return ""
    return (
        f"Near-separation in the band table ({'; '.join(levels)}): a model with the bands would have no finite"
        " estimate for that band, so the bands are tested with the exact or permutation test above and modelled"
        " only as a count."
    )
