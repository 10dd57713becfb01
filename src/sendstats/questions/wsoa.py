"""The 2016 WSoA question (report 02, docs/analysis_plan.md): which areas the primary model counts, the
model, its sensitivity analyses, the negative control, and the sentences that read them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..data import registry
from ..errors import ParameterError
from ..outcomes import inspections_as_at, load_areas
from ..scope import DEFAULT_SLIVER, PLAN, Scope, scoped
from ..wording import and_list, label, p_is


@scoped(PLAN)
def areas_2016(scope: Scope = PLAN) -> pd.DataFrame:
    """``load_areas("2016")`` restricted to the scope: areas whose inspection was published (or started) by
    ``as_at`` (predecessors while they existed, as in :func:`outcome_summary`), without ``exclude_regions``,
    plus ``inspection_year`` and the primary exposure ``not_coterminous`` at the scope's ``sliver`` (and
    ``london``). Every frame of the 2016-framework questions starts here."""
    scope = model_scope(
        scope, "2016", "areas_2016", "as_at", "basis", "exclude_regions", "sliver", "include_predecessors"
    )
    keep = set(inspections_as_at(scope.replace(sliver=DEFAULT_SLIVER))["la_code"])  # the sliver is used below
    a = load_areas("2016")
    a = for_models(a[a["la_code"].isin(keep)], scope)
    m = ccg_measures(scope.sliver).set_index("la_code")
    a[EXPOSURE] = (~a["la_code"].map(m["coterminous"]).astype("boolean")).astype("boolean")
    split = a["la_code"].map(m["n_ccgs"]) > 1
    mechanism = np.where(split, "split", np.where(a[EXPOSURE].fillna(False), "shared", "coterminous"))
    a["ccg_mechanism"] = pd.Series(pd.Categorical(mechanism, categories=CCG_MECHANISMS), index=a.index).where(
        a[EXPOSURE].notna()
    )
    a["london"] = a["region"] == "London"
    return a


def describe_areas_2016(areas: pd.DataFrame, scope: Scope) -> str:
    """The sentence that says which areas a 2016-framework page analyses, from :func:`areas_2016`'s frame."""
    return (
        f"**Areas analysed:** {len(areas)} ({scope.describe()}), of which {int(areas['wsoa'].sum())} were required"
        f" to write a WSoA; {int(areas['predecessor'].sum())} of them former councils (Dorset, Northamptonshire"
        " count only while they existed, as in Ofsted's figures). Every table and model below uses these areas"
        " (less those missing a value it needs, as each says)."
    )


def model_scope(scope, framework: str, where: str, *honoured: str) -> Scope:
    """A model's scope: a Scope of ``framework`` that sets no field but ``honoured`` (ParameterError otherwise)."""
    if not isinstance(scope, Scope):
        raise ParameterError(f"{where} takes a Scope (sendstats.Scope(as_at=..., ...)), got {scope!r}")
    return scope.need(framework, where).only(where, *honoured)


def for_models(a: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Areas ready for the factor models: the scope's ``exclude_regions`` left out, ``inspection_year`` from
    the factor date, DMO/DCO in post as categories (Yes first)."""
    a = scope.without_excluded_regions(a).copy()
    a["inspection_year"] = a["factor_date"].dt.year.astype(float)
    a["area_type_model"] = pd.Categorical(
        a["area_type"]
        .astype("string")
        .replace({"unitary authority": AREA_TYPE_LEVELS[0], "London borough": AREA_TYPE_LEVELS[0]}),
        categories=AREA_TYPE_LEVELS,
    )
    a["log_population_0_25"] = np.log(a["population_0_25"].astype(float))
    for col in ("dmo_in_post", "dco_in_post"):
        a[col] = pd.Categorical(a[col], categories=["Yes", "Recruiting", "No"])
    return a.reset_index(drop=True)


# --- the primary question (docs/analysis_plan.md) ------------------------------------------------------
EXPOSURE = "not_coterminous"


# factors that enter a model through a term of their own (the plan's revision of 1 December 2026): area type
# with London boroughs at the unitary level (they are exactly the London region), population as its logarithm
MODEL_TERMS = {"area_type": "area_type_model", "population_0_25": "log_population_0_25"}


AREA_TYPE_LEVELS = ["unitary authority or London borough", "county", "metropolitan district"]  # reference first


# the plan's roles, read from the factor declarations (region and year come from the inspection)
CONFOUNDERS = ["region", "inspection_year", *(MODEL_TERMS.get(f, f) for f in registry.factors_of(kind="confounder"))]


REVISED = "primary (revised, a post hoc revision of 1 December 2026)"  # how pages name the revised primary model


FIRST_CONFOUNDERS = ["region", "inspection_year", "imd_share_most_deprived_decile"]  # as first specified, 23 Nov 2026


MEDIATORS = registry.factors_of(kind="mediator")


CCG_MECHANISMS = ["coterminous", "split", "shared"]  # the two ways of not being coterminous, against coterminous


def adjusted_for(confounders=CONFOUNDERS) -> str:
    """The confounders of a model in a reader's words ('Ofsted region, year the inspection started, ... and
    population aged 0-25 (log)'), from their labels."""
    return and_list(label(c) for c in confounders)


def ccg_measures(sliver: float = DEFAULT_SLIVER) -> pd.DataFrame:
    """CCG structure of each 2016-framework inspection ignoring 'sliver' CCGs: those serving less than
    ``sliver`` of the area's LSOAs. Columns la_code, n_ccgs (CCGs kept), coterminous (one CCG kept, and less
    than ``sliver`` of that CCG's LSOAs lie outside the area; with sliver 0: none). ``sliver=0`` gives the
    ``n_ccgs`` and ``ccg_coterminous`` of ``load_areas()``."""
    from ..data.store import load_table

    sliver = Scope(sliver=sliver).sliver  # the one check of a sliver
    sh = load_table("ccg_shares_2016")
    sh["share"] = sh["lsoas_in_area"] / sh["area_lsoas"]
    main = sh.sort_values(["la_code", "lsoas_in_area"], ascending=[True, False]).drop_duplicates("la_code")
    kept = sh[(sh["share"] >= sliver) | sh.index.isin(main.index)]
    n = kept.groupby("la_code").size()
    outside = ((main["ccg_lsoas"] - main["lsoas_in_area"]) / main["ccg_lsoas"]).set_axis(main["la_code"])
    ok = outside.le(0) if sliver == 0 else outside.lt(sliver)
    return pd.DataFrame(
        {"la_code": n.index, "n_ccgs": n.to_numpy(), "coterminous": ((n == 1) & ok.reindex(n.index)).to_numpy()}
    )


@scoped(PLAN)
def primary_frame(scope: Scope = PLAN) -> pd.DataFrame:
    """The areas of the primary model: :func:`areas_2016` (``not_coterminous`` at the scope's sliver)."""
    return areas_2016(scope)


def primary_model(
    scope: Scope = PLAN, *, extra=(), method: str = "auto", data=None, confounders=CONFOUNDERS, cluster=None
) -> pd.DataFrame:
    """WSoA on CCG coterminosity (not coterminous vs coterminous, ignoring CCGs under the scope's ``sliver``
    of the area's LSOAs) adjusted for the plan's :data:`CONFOUNDERS` (region, a category; inspection year,
    linear, per SD; deprivation, per SD; area type, three levels; log population aged 0-25, per SD), or
    ``confounders``, on the scope's areas (or ``data``, a frame of :func:`areas_2016`); ``cluster``: a column
    for cluster-robust intervals. Tidy frame, exposure first: term, odds_ratio, ci_low, ci_high, p_value,
    n_used, n_dropped, method (p and interval from the same fit), unit, fit_note (why an estimate is
    unreliable, when the fit warned)."""
    a = primary_frame(scope) if data is None else data
    out = stats.logistic(a, "wsoa", [EXPOSURE, *confounders, *extra], method=method, cluster=cluster)
    out["fit_note"] = out["fit_note"].fillna("") if "fit_note" in out else ""
    return out[
        [
            "term",
            "odds_ratio",
            "ci_low",
            "ci_high",
            "p_value",
            "n_used",
            "n_dropped",
            "n_events",
            "method",
            "unit",
            "fit_note",
        ]
    ]


def describe_secondary_model(model, primary, factors) -> str:
    """What a model of chosen ``factors`` (report 02's "factors together") is, against the plan: which of its
    terms are declared mediators, which of the plan's confounders it leaves out, and the primary estimate it
    must not be cited for; then the model's own sentence. Generated from the declarations and both fits."""
    mediators = [f for f in factors if f in registry.factors_of(kind="mediator")]
    missing = [c for c in CONFOUNDERS if c not in factors]
    r = primary.iloc[0]
    why = []
    if mediators:
        why.append(
            f"it adjusts for {adjusted_for(mediators)}, which the analysis plan treats as mediators (on the path"
            " from CCG structure to the outcome, so adjusting for them removes part of what is asked)"
        )
    if missing:
        why.append(f"it leaves out {adjusted_for(missing)}, which the plan adjusts for as confounders")
    lead = (
        "This is a secondary, descriptive model, not the answer to the primary question"
        + (": " + "; ".join(why) if why else "")
        + f". The primary estimate is the revised primary model's (a post hoc revision of 1 December 2026; the"
        f" pre-specified one is the sensitivity table's first specification): {label(r['term'])}, odds ratio"
        f" {r['odds_ratio']:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; n = {int(r['n_used'])}). "
    )
    return lead + stats.describe_model(model, "a WSoA")


def confounder_checks(areas: pd.DataFrame, scope: Scope) -> str:
    """Why region and year are confounders, in words generated from the tests: London against the other
    regions (Fisher's exact test; said to be out of scope when the scope leaves London out) and the trend of
    the WSoA share across inspection years (Cochran-Armitage)."""
    trend = stats.cochran_armitage(areas, "inspection_year", "wsoa")
    trend_text = (
        f"Across inspection years the WSoA share changed by {100 * trend['slope']:+.1f} percentage points a year"
        f" (Cochran-Armitage z = {trend['z']:.2f}, {p_is(trend['p_value'])}, n = {trend['n_used']})."
    )
    lon = areas["london"]
    if "London" in scope.exclude_regions or not lon.any():
        return (
            f"London is not in this page's scope ({scope.describe()}), so there is no London comparison. " + trend_text
        )
    t = stats.table_test(areas, "london", "wsoa")
    cot = int((lon & ~areas[EXPOSURE].astype("boolean").fillna(True)).sum())
    return (
        f"London boroughs: {int(areas.loc[lon, 'wsoa'].sum())} of {int(lon.sum())} needed a WSoA, against"
        f" {int(areas.loc[~lon, 'wsoa'].sum())} of {int((~lon).sum())} elsewhere (Fisher exact {p_is(t['p_value'])};"
        f" odds ratio {t['effect']:.2f}, 95% CI {t['ci_low']:.2f} to {t['ci_high']:.2f}); {cot} of {int(lon.sum())}"
        f" London boroughs were served by one coterminous CCG. " + trend_text
    )


def mice_model(a: pd.DataFrame, covariates: list[str], n_imputations: int = 20, seed: int = stats.SEED) -> dict:
    """The primary model with ``dmo_yes`` (DMO in post, 1/0) imputed by chained equations
    (:func:`sendstats.stats.mice_logistic`); returns the exposure's odds ratio, CI and p."""
    return stats.mice_logistic(
        a,
        "wsoa",
        EXPOSURE,
        [*covariates, "dmo_yes"],
        categorical=tuple(c for c in covariates if isinstance(a[c].dtype, pd.CategoricalDtype) or c == "region"),
        n_imputations=n_imputations,
        seed=seed,
        what="imputation models of DMO in post",
    )


@scoped(PLAN)
def sensitivity(scope: Scope = PLAN) -> pd.DataFrame:
    """The primary exposure's odds ratio under each specification of the analysis plan, on the scope's areas:
    one row each with specification, n_used, odds_ratio, ci_low, ci_high, p_value, method, fit_note. The
    primary row is at the scope's sliver; a specification the scope makes void (London left out when London
    is already out) is a row saying so."""
    rows = []

    def void(spec, why, n_used=0):
        rows.append({"specification": spec, "n_used": n_used, "odds_ratio": np.nan, "ci_low": np.nan})
        rows[-1].update(ci_high=np.nan, p_value=np.nan, method=why, fit_note="")

    def add(spec, r, method=None):
        rows.append(
            {
                "specification": spec,
                "n_used": int(r["n_used"]),
                "odds_ratio": r["odds_ratio"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "p_value": r["p_value"],
                "method": method or r.get("method", ""),
                "fit_note": r.get("fit_note", "") or "",
            }
        )

    a = primary_frame(scope)
    first = lambda df: df.iloc[0]  # the exposure's row
    add(
        f"{REVISED}: adjusted for {adjusted_for()} (sliver {scope.sliver:.0%})",
        first(primary_model(data=a)),
    )
    add(
        f"pre-specified (as first specified, 23 November 2026): adjusted for {adjusted_for(FIRST_CONFOUNDERS)}",
        first(primary_model(data=a, confounders=FIRST_CONFOUNDERS)),
    )
    mech = stats.logistic(a, "wsoa", ["ccg_mechanism", *CONFOUNDERS])
    for level in CCG_MECHANISMS[1:]:
        row = mech[mech["term"] == f"ccg_mechanism={level}"]
        if len(row):
            add(f"{MECHANISM_WORDS[level]} against coterminous (one model of both)", first(row))
    add(
        "cluster-robust intervals, clustered by the area's main CCG",
        first(primary_model(data=a, cluster="main_ccg_name")),
    )
    bayes = stats.bayes_logistic(a, "wsoa", [EXPOSURE, *CONFOUNDERS])
    add(
        "Bayesian: normal(0, 2.5) priors on the log odds ratios",
        {**bayes, "p_value": np.nan},
        f"{bayes['method']}; posterior probability that the odds ratio exceeds 1: {bayes['p_above_1']:.2f}",
    )
    add("unadjusted", first(stats.logistic(a, "wsoa", [EXPOSURE])))
    add("+ inspection year only", first(stats.logistic(a, "wsoa", [EXPOSURE, "inspection_year"])))
    add("+ region only", first(stats.logistic(a, "wsoa", [EXPOSURE, "region"])))
    old = a.assign(**{EXPOSURE: ~a["ccg_coterminous"].astype("boolean")})
    add(
        "earlier four-factor model (sliver 0, timeliness, appeals, deprivation; no region or year)",
        first(
            stats.logistic(old, "wsoa", [EXPOSURE, "ehcp_20wk_pct", "appeal_rate", "imd_share_most_deprived_decile"])
        ),
    )
    add("primary + mediators (20-week rate, appeal rate)", first(primary_model(data=a, extra=MEDIATORS)))
    add(
        "primary + mediators, 20-week rate including exceptions",
        first(primary_model(data=a, extra=["ehcp_20wk_inc_exc_pct", "appeal_rate"])),
    )
    if "London" in scope.exclude_regions:
        for spec in ("London left out", "Mantel-Haenszel, stratified by London vs elsewhere"):
            void(spec, "not applicable: London is already left out of the scope")
    else:
        add("London left out", first(primary_model(data=a[~a["london"]])))
        mh = stats.mantel_haenszel(a, EXPOSURE, "wsoa", "london")
        add(
            "Mantel-Haenszel, stratified by London vs elsewhere",
            mh,
            "Mantel-Haenszel: Robins-Breslow-Greenland CI, p from the Cochran-Mantel-Haenszel test (two methods:"
            " near 0.05 they can disagree)",
        )
    for s in (0.0, 0.05, 0.10):
        add(f"sliver {s:.0%}", first(primary_model(scope.replace(sliver=s))))
    add("Firth penalised likelihood", first(primary_model(data=a, method="firth")))
    add("maximum likelihood", first(primary_model(data=a, method="ml")))
    a = a.assign(dmo_yes=a["dmo_in_post"].map({"Yes": 1.0, "Recruiting": 0.0, "No": 0.0}).astype(float))
    specs = [
        "+ DMO in post, complete cases (areas inspected from 2019)",
        "+ DMO in post, missing-indicator",
        "+ DMO in post, multiple imputation (MICE, 20 imputations, Rubin's rules)",
    ]
    if a["dmo_yes"].notna().sum() < 20:  # the SEN2 question began in 2019
        for spec in specs:
            void(spec, "not estimable: fewer than 20 areas in scope have DMO data", int(a["dmo_yes"].notna().sum()))
        return _mark_repeats(pd.DataFrame(rows))
    add(specs[0], first(primary_model(data=a, extra=["dmo_yes"])))
    mi = a.assign(dmo_known=a["dmo_yes"].notna().astype(float), dmo_filled=a["dmo_yes"].fillna(0.0))
    add(specs[1], first(primary_model(data=mi, extra=["dmo_filled", "dmo_known"])))
    add(specs[2], mice_model(a.dropna(subset=[EXPOSURE, *CONFOUNDERS]), CONFOUNDERS), "MICE logistic (GLM), pooled")
    return _mark_repeats(pd.DataFrame(rows))


MECHANISM_WORDS = {
    "split": "split: more than one CCG holds the sliver share or more of the area's LSOAs",
    "shared": "shared: one CCG, the sliver share or more of whose LSOAs lie outside the area",
}


REPEAT = " (the primary fit again)"  # how a sensitivity row that repeats the primary fit is named


def _mark_repeats(sens: pd.DataFrame) -> pd.DataFrame:
    """Rows whose fit is the primary row's own (the scope's sliver among the slivers, the method it used among
    the methods) say so, so a count of specifications counts each estimate once."""
    est = ["n_used", "odds_ratio", "ci_low", "ci_high", "p_value"]
    same = sens[est].eq(sens[est].iloc[0]).all(axis=1) & (sens.index > 0)
    sens.loc[same, "specification"] = sens.loc[same, "specification"] + REPEAT
    return sens


# the negative-control outcome (docs/analysis_plan.md, revision of 1 December 2026): a weakness in a theme that
# is the council's statutory duty alone, which CCG structure should not go with
NEGATIVE_CONTROL_THEMES = ("local_offer", "annual_reviews")


NEGATIVE_CONTROL_ADJUST = ["inspection_year", "imd_share_most_deprived_decile"]


@scoped(PLAN)
def negative_control(scope: Scope = PLAN) -> pd.DataFrame:
    """The WSoA areas of :func:`areas_2016` whose list of significant weaknesses is complete in the curated
    dataset, with ``council_only_weakness``: any of its weaknesses hand-coded to a theme of
    :data:`NEGATIVE_CONTROL_THEMES`. ``attrs``: n_wsoa (WSoA areas in scope), n_complete."""
    from ..data.store import load_table

    a = areas_2016(scope)
    lists = load_table("wsoa_areas")
    complete = set(lists.loc[lists["status"] == "complete", "code"])
    w = load_table("weaknesses")
    w = w[w["code"].isin(complete)]
    hit = w["themes"].map(lambda ts: any(t in NEGATIVE_CONTROL_THEMES for t in (ts if ts is not None else [])))
    has = hit.groupby(w["code"]).any()
    out = a[a["wsoa"] & a["la_code"].isin(complete)].copy()
    out["council_only_weakness"] = out["la_code"].map(has).fillna(False).astype(bool)
    out.attrs.update(n_wsoa=int(a["wsoa"].sum()), n_complete=len(out))
    return out.reset_index(drop=True)


def negative_control_model(nc: pd.DataFrame) -> pd.DataFrame:
    """Firth logistic regression of ``council_only_weakness`` on the exposure, inspection year and deprivation
    (the plan's negative-control model), exposure first."""
    return stats.logistic(nc, "council_only_weakness", [EXPOSURE, *NEGATIVE_CONTROL_ADJUST], method="firth")


def negative_control_reading(control: float, primary: float) -> str:
    """The plan's reading of a negative control (third revision): its size relative to the primary estimate,
    as the ratio of their log odds ratios. Returns the words for that ratio (under 1/3, 1/3 to 2/3, above)."""
    ratio = np.log(control) / np.log(primary) if primary != 1 else np.nan
    if not np.isfinite(ratio) or ratio < 1 / 3:
        return "much smaller than the primary estimate, or in the other direction, as a control should be"
    if ratio <= 2 / 3:
        return "about half the primary estimate: it neither clears nor implicates the primary model"
    return (
        "close to the primary estimate: the control is uninformative at best and a sign of residual confounding"
        " at worst"
    )


def describe_negative_control(nc: pd.DataFrame, model: pd.DataFrame, primary: pd.DataFrame) -> str:
    """The negative-control result in words: the sample, the outcome's count by exposure, the odds ratio with
    its interval, its size against the ``primary`` model's estimate on the log scale (the plan's rule,
    :func:`negative_control_reading`), what it could detect, and the selection."""
    r, p = model.iloc[0], primary.iloc[0]
    themes = " or ".join(registry.THEME_LABELS[t] for t in NEGATIVE_CONTROL_THEMES)
    exposed = nc[EXPOSURE].astype(bool)
    count = lambda m: f"{int(nc.loc[m, 'council_only_weakness'].sum())} of {int(m.sum())}"
    ratio = np.log(r["odds_ratio"]) / np.log(p["odds_ratio"])
    text = (
        f"Negative control: of the {nc.attrs['n_wsoa']} areas in scope that wrote a WSoA, {nc.attrs['n_complete']}"
        f" have a complete list of weaknesses in the curated dataset; {count(exposed)} not served by one coterminous"
        f" CCG and {count(~exposed)} served by one had a weakness in {themes} (the council's duties alone). Adjusted"
        f" for {adjusted_for(NEGATIVE_CONTROL_ADJUST)}, the odds ratio is {r['odds_ratio']:.2f} (95% CI"
        f" {r['ci_low']:.2f} to {r['ci_high']:.2f}; {p_is(r['p_value'])}; n = {int(r['n_used'])};"
        f" {r['method'].split('(')[0].strip()}). On the log scale that is {ratio:.0%} of the primary estimate"
        f" ({p['odds_ratio']:.2f}, on {int(p['n_used'])} areas, a different sample): "
        f"{negative_control_reading(r['odds_ratio'], p['odds_ratio'])}. "
    )
    if not r["ci_low"] <= 1 <= r["ci_high"]:
        text += (
            "Its interval excludes 1: CCG structure goes with an outcome it should not affect, which points to"
            " confounding the primary model may not remove. "
        )
    return (
        text
        + stats.describe_power(r, stats.mde_from_fit(r))
        + "The sample is selected on the primary outcome (WSoA areas only)."
    )


def describe_primary(model, sens, mde: float = float("nan")) -> str:
    """Plain English for the primary model, generated from it (no causal verbs); ``mde``: the minimum
    detectable odds ratio at 80% power for its n and exposure share."""
    r = model.iloc[0]
    inside = r["ci_low"] <= 1 <= r["ci_high"]
    text = (
        f"Areas not served by one coterminous CCG had {r['odds_ratio']:.2f} times the odds of being required to "
        f"write a WSoA (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; {p_is(r['p_value'])}; "
        f"n = {int(r['n_used'])}, {int(r['n_dropped'])} dropped for a missing value), compared with areas served by "
        f"one, adjusted for {adjusted_for()} (the revised model, a post hoc revision of 1 December 2026; the"
        " pre-specified estimate is the sensitivity table's first specification). "
    )
    if inside:
        text += (
            "The interval includes 1: the data are compatible with no association, and with an association "
            "of the size shown by the interval. "
        )
    else:
        text += (
            "The interval excludes 1: an association that the confounders adjusted for do not account for; it "
            "does not show that CCG structure led to the outcome. "
        )
    text += stats.describe_power(r, mde) + describe_e_value(r)
    return text + (
        stats.fit_notes_text(sens.iloc[:1])  # the sensitivity table's first row is the primary model's own fit
        + "CCG structure is geography, a proxy for oversight, not a measure of its quality."
    )


def describe_e_value(r) -> str:
    """The E-value sentence of a primary model's exposure row ``r``, the outcome counted common when over 15%
    of the areas used have it (for an ordinal model: its worst level)."""
    common = r["n_events"] / r["n_used"] > 0.15
    return stats.describe_e_value(
        stats.e_value(r["odds_ratio"], r["ci_low"], r["ci_high"], common=common), "this estimate"
    )


def spread_words(sens: pd.DataFrame) -> str:
    """'the odds ratio ranges from a to b, and k of the n intervals exclude 1' over a sensitivity table's
    estimated rows (the part :func:`describe_sensitivity` and :func:`describe_sensitivity_2023` share)."""
    est = sens[sens["odds_ratio"].notna()]
    excl = int(((est["ci_low"] > 1) | (est["ci_high"] < 1)).sum())
    return (
        f"the odds ratio ranges from {est['odds_ratio'].min():.2f} to {est['odds_ratio'].max():.2f}, and {excl} of"
        f" the {len(est)} intervals exclude 1"
    )


def describe_sensitivity(sens) -> str:
    """The sentences under the sensitivity table: how many distinct estimates it holds, their range, how many
    of their intervals exclude 1, and which fits warned (:func:`stats.fit_notes_text`)."""
    est = sens[sens["odds_ratio"].notna()]
    n_spec = len(est)
    n_again = int(est["specification"].str.endswith(REPEAT).sum())
    return (
        f"Across the {n_spec} specifications below ({n_again} of them rows that repeat the primary fit, so"
        f" {n_spec - n_again} distinct estimates) {spread_words(sens)}. "
        + stats.fit_notes_text(sens)
        + (
            "The multiple-imputation row assumes that DMO in post is missing at random given the model's terms; it is"
            " missing because DfE did not collect it before 2019, so the assumption is implausible and the row shows"
            " what imputation would give, not a correction for the missing years."
            if sens.loc[sens["specification"].str.contains("multiple imputation"), "odds_ratio"].notna().any()
            else ""
        )
    )
