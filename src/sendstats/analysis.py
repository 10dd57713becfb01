"""The analysis frames the report notebooks use: which areas, which factors, joined how. Statistics are in
:mod:`sendstats.stats`; this module only selects and joins, so each notebook stays prose plus calls."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from . import stats
from .areas import area_index
from .data import geography, registry
from .data.boundaries import ICB_MERGERS_BEGAN, SUCCESSORS
from .errors import ParameterError
from .outcomes import basis_date, inspections_as_at, load_areas, load_inspections
from .scope import DEFAULT_SLIVER, PLAN, PLAN_2023, Scope, scoped
from .vocabulary import OUTCOME_LEVELS, REVISIT_LEVELS, REVISIT_SHOWN
from .wording import and_list, label, long_date, md, outcome_label, p_is, plural


@scoped(PLAN)
def areas_2016(scope: Scope = PLAN) -> pd.DataFrame:
    """``load_areas("2016")`` restricted to the scope: areas whose inspection was published (or started) by
    ``as_at`` (predecessors while they existed, as in :func:`outcome_summary`), without ``exclude_regions``,
    plus ``inspection_year`` and the primary exposure ``not_coterminous`` at the scope's ``sliver`` (and
    ``london``). Every frame of the 2016-framework questions starts here."""
    scope = _scope(scope, "2016", "areas_2016", "as_at", "basis", "exclude_regions", "sliver", "include_predecessors")
    keep = set(inspections_as_at(scope.replace(sliver=DEFAULT_SLIVER))["la_code"])  # the sliver is used below
    a = load_areas("2016")
    a = _for_models(a[a["la_code"].isin(keep)], scope)
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


def _scope(scope, framework: str, where: str, *honoured: str) -> Scope:
    if not isinstance(scope, Scope):
        raise ParameterError(f"{where} takes a Scope (sendstats.Scope(as_at=..., ...)), got {scope!r}")
    return scope.need(framework, where).only(where, *honoured)


def _for_models(a: pd.DataFrame, scope: Scope) -> pd.DataFrame:
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


@scoped(PLAN)
def revisits(scope: Scope = PLAN) -> pd.DataFrame:
    """WSoA areas of :func:`areas_2016` whose revisit outcome is known as at the scope
    (:meth:`Scope.revisit_known`), with ``days_to_revisit`` (first inspection start to revisit start) and
    ``years_to_revisit``."""
    a = areas_2016(scope)
    r = a[a["wsoa"] & scope.revisit_known(a)].copy()
    r["days_to_revisit"] = (r["revisit_start"] - r["inspection_start"]).dt.days.astype(float)
    r["years_to_revisit"] = r["days_to_revisit"] / 365.25
    return r.reset_index(drop=True)


@scoped(PLAN_2023)
def transition(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Areas inspected under both frameworks: each area's first (or latest) 2023-framework inspection with an
    outcome, joined to the 2016-framework inspection of the same area (same code after
    :data:`geography.SUCCESSION`; a 2023 area whose 2016 predecessor was a former council takes that council's
    result, flagged ``via_predecessor``: see :data:`SUCCESSORS`). The scope's ``inspection`` picks the
    inspection."""
    inspection = _scope(scope, "2023", "transition", "inspection").inspection
    old = load_inspections("2016").copy()
    old["key"] = geography.harmonise(old["la_code"])
    rows = []
    for _, r in old.iterrows():
        for key in SUCCESSORS.get(r["la_code"], [r["key"]]):
            rows.append({**r.to_dict(), "key": key, "via_predecessor": r["la_code"] in SUCCESSORS})
    old = pd.DataFrame(rows)
    new = load_inspections("2023")
    new = new[new["outcome"].notna()].copy()
    new["key"] = geography.harmonise(new["la_code"])
    new = new.sort_values("published").drop_duplicates("key", keep="last" if inspection == "latest" else "first")
    m = new.merge(
        old[
            [
                "key",
                "area",
                "wsoa",
                "n_weaknesses",
                "revisit_outcome",
                "revisit_status",
                "via_predecessor",
                "inspection_start",
                "published",
            ]
        ].rename(
            columns={
                "area": "area_2016",
                "inspection_start": "inspection_start_2016",
                "published": "published_2016",
            }
        ),
        on="key",
        how="inner",
        validate="one_to_many",
    )
    # an area covered by two predecessors is not possible here; one 2016 row per 2023 inspection
    if m["key"].duplicated().any():
        raise ParameterError(f"transition: area {m['key'][m['key'].duplicated()].iloc[0]} joined twice")
    m["revisit_outcome"] = pd.Categorical(m["revisit_outcome"], categories=REVISIT_LEVELS, ordered=True)
    m["wsoa_2016"] = m["wsoa"].map({True: "WSoA", False: "no WSoA"})
    m["wsoa_2016"] = pd.Categorical(m["wsoa_2016"], categories=["no WSoA", "WSoA"])
    return m.reset_index(drop=True)


def describe_transition(t: pd.DataFrame, inspection: str, include_successors: bool) -> str:
    """The line that says which areas report 04 matches (:func:`transition`'s frame, successors left out when
    ``include_successors`` is false)."""
    return (
        f"**Areas inspected under both frameworks with a 2023 outcome (matched n):** {len(t)}, each with its"
        f" {inspection} 2023-framework inspection ({int((t['wsoa_2016'] == 'WSoA').sum())} had a WSoA;"
        f" {int(t['via_predecessor'].sum())} through a former council{'' if include_successors else ', left out'})."
    )


def describe_revisit_trend(ex: dict, model, mde: float) -> str:
    """Revisit outcome (2016) against the 2023 outcome: exact tests, the proportional-odds odds ratio per step
    of revisit progress, and what the fit could detect (``mde``: :func:`stats.mde_from_fit` of it)."""
    r = model.iloc[0]
    direction = "better" if r["odds_ratio"] < 1 else "worse"
    est = (
        f"Each step up in revisit progress (No, Some, Yes) went with {r['odds_ratio']:.2f} times the odds of a worse"
        f" 2023 outcome (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; Wald {p_is(r['p_value'])};"
        " proportional-odds model)"
        if pd.notna(r["odds_ratio"])
        else "The proportional-odds model could not be estimated"
    )
    return (
        f"Among {ex['n_used']} revisited WSoA areas with a 2023 outcome, the exact Fisher-Freeman-Halton test gives "
        f"{p_is(ex['ffh_p'])} and the exact linear-by-linear trend test {p_is(ex['trend_p'])} "
        f"(all {ex['n_tables']:,} tables with the observed margins enumerated; scores in category order; the "
        f"correlation of the scores is {ex['trend_r']:.2f}, i.e. more progress at revisit went with {direction} "
        f"2023 outcomes in this sample). {est}. "
        + stats.describe_power(r, mde)
        + "This is an association among the areas inspected so far, not a cause."
    )


def describe_cuts_and_power(cuts, model) -> str:
    """Report 04's check of its ordinal model: the plan's proportional-odds check of the exposure at each cut
    of the outcome (``cuts``: :func:`stats.cut_models`), then what the ordinal fit could detect and rules out."""
    r = model.iloc[0]
    return (stats.describe_cuts(cuts, model, "WSoA areas") + stats.describe_power(r, stats.mde_from_fit(r))).strip()


def describe_wsoa_2023(test: dict, model) -> str:
    """Report 04's sentences on the 2016 WSoA and the 2023 outcome: the proportional-odds odds ratio first,
    then the exact tests of the same table (``test``: :func:`stats.exact_ordinal_tests`)."""
    r = model.iloc[0]
    return (
        f"Areas that had to write a WSoA under the 2016 framework had {r['odds_ratio']:.2f} times the odds of a"
        f" worse 2023 outcome than other areas (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; Wald"
        f" {p_is(r['p_value'])}; n = {int(r['n_used'])}; proportional-odds model). The exact Fisher-Freeman-Halton"
        f" test gives {p_is(test['ffh_p'])} and the exact linear-by-linear trend test {p_is(test['trend_p'])}"
        f" (n = {test['n_used']}). The comparison shows association only, and the two frameworks judge different"
        " things."
    )


def describe_few_no_progress(rev: pd.DataFrame) -> str:
    """Report 03's caveat on its lowest cut: how many revisited areas made no progress."""
    n = int((rev["revisit_outcome"] == "No").sum())
    return f"Only {plural(n, 'revisited area')} made no progress, so the cut at 'No' rests on very few areas. "


def describe_revisited(rev: pd.DataFrame, scope: Scope) -> str:
    """The line that says which revisited WSoA areas report 03 analyses (:func:`revisits`)."""
    counts = rev["revisit_outcome"].value_counts()
    by = ", ".join(f"{level} {int(counts.get(level, 0))}" for level in REVISIT_SHOWN)
    return f"**Revisited WSoA areas:** {len(rev)} ({by}); {scope.describe()}."


def describe_per_step(model, per: str, *, tail: str, cuts=None) -> str:
    """Report 03's sentence for a proportional-odds model of the revisit outcome on one count or duration
    (``per``: 'additional significant weakness', 'extra year before the revisit'), then ``tail``, the
    caveat that goes with it. With ``cuts`` (:func:`stats.cut_models` of the same term) and the plan's
    proportional-odds rule firing, the cut-specific estimates lead (:func:`stats.describe_cut_estimates`).
    The direction words come from the estimate's sign and interval."""
    r = model.iloc[0]
    lead = (
        stats.describe_cut_estimates(cuts, model, f"each {per}", "a better revisit outcome") if cuts is not None else ""
    )
    way = (
        "its interval includes 1"
        if r["ci_low"] <= 1 <= r["ci_high"]
        else f"each {per} went with {'higher' if r['odds_ratio'] > 1 else 'lower'} odds of a better revisit outcome"
    )
    return (
        lead + f"Per {per}, the {'single ordinal odds ratio of' if lead else 'odds of'} a better revisit outcome"
        f" {'was' if lead else 'were'} {r['odds_ratio']:.2f}{'' if lead else ' times as high'} (95% CI"
        f" {r['ci_low']:.2f} to {r['ci_high']:.2f}; {p_is(r['p_value'])}; n = {int(r['n_used'])}): {way}. " + tail
    )


@scoped(PLAN_2023)
def selection_2016(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Every 2016-framework area (former councils through their successors, as in :func:`transition`), without
    the scope's ``exclude_regions``, with ``inspected_2023`` (True when :func:`areas_2023_first` of the scope
    holds it: a 2023-framework inspection with an outcome by the scope's ``as_at``), ``inspection_2016_days``
    and ``inspection_year_2016``: to check whether the areas inspected so far under the new framework differ
    from the rest in their 2016 inspection date or result, and to weight for it."""
    old = scope.without_excluded_regions(load_inspections("2016"))
    old = old[~old["predecessor"]].copy()
    old["key"] = geography.harmonise(old["la_code"])
    done = set(geography.harmonise(areas_2023_first(scope)["la_code"]))
    for former, successors in SUCCESSORS.items():
        if any(s in done for s in successors):
            done.add(former)
    old["inspected_2023"] = old["key"].isin(done) | old["la_code"].isin(done)
    old["inspection_2016_days"] = (old["inspection_start"] - pd.Timestamp("2016-05-01")).dt.days.astype(float)
    old["inspection_year_2016"] = old["inspection_start"].dt.year.astype(float)
    return old.reset_index(drop=True)


@scoped(PLAN_2023)
def selection_check(scope: Scope = PLAN_2023) -> tuple[str, pd.DataFrame]:
    """Report 04's selection check on the scope's areas: its sentence (:func:`describe_selection`) and the
    table of the two groups (n, median days from May 2016 to the 2016 inspection, WSoA count)."""
    sel = selection_2016(scope)
    mw = stats.mann_whitney(sel, "inspection_2016_days", "inspected_2023")
    fisher = stats.table_test(sel, "inspected_2023", "wsoa")
    n_in = int(sel["inspected_2023"].sum())
    table = (
        sel.groupby("inspected_2023")
        .agg(n=("area", "size"), median_days=("inspection_2016_days", "median"), n_wsoa=("wsoa", "sum"))
        .rename(index={True: "inspected under 2023 framework", False: "not yet"})
        .rename_axis("group")
        .reset_index()
        .rename(columns={"median_days": "median days from May 2016 to the 2016 inspection"})
    )
    return describe_selection(mw, fisher, n_in, len(sel) - n_in), table


def describe_selection(mw: dict, fisher: dict, n_in: int, n_out: int) -> str:
    """The selection check of report 04: 2016 inspection timing and result of areas already inspected under
    the 2023 framework against the rest."""
    days = f"a median of {mw['median_true']:.0f} days after May 2016 against {mw['median_false']:.0f} days"
    timing = (
        f"Their 2016 inspections came earlier ({days}; Mann-Whitney {p_is(mw['p_value'])}, rank-biserial "
        f"correlation {mw['rank_biserial']:.2f})"
        if mw["p_value"] < 0.05 and mw["median_true"] < mw["median_false"]
        else f"Their 2016 inspections came {days} (Mann-Whitney {p_is(mw['p_value'])}, rank-biserial "
        f"correlation {mw['rank_biserial']:.2f})"
    )
    return (
        f"Of {n_in + n_out} areas inspected under the 2016 framework, {n_in} have a 2023-framework outcome in the "
        f"sources and {n_out} do not yet. {timing}. The odds of having had a WSoA were {fisher['effect']:.2f} times "
        f"as high in the areas already inspected (95% CI {fisher['ci_low']:.2f} to {fisher['ci_high']:.2f}; Fisher "
        f"exact {p_is(fisher['p_value'])}). Ofsted's order of inspection under the new framework "
        + (
            "follows the order of the old one, so time since the 2016 inspection differs between the groups"
            if mw["p_value"] < 0.05
            else "shows no clear link to the timing of the old one"
        )
        + "; any comparison below describes the areas inspected so far, not all areas."
    )


# --- maps ----------------------------------------------------------------------------------------------
MAP_2016 = ["WSoA required", "no WSoA", "not inspected"]
MAP_2023 = [
    "typically positive",
    "inconsistent",
    "widespread or systemic failings",
    "no outcome in sources",
    "not inspected yet",
]


@scoped(PLAN)
def map_frames(scope: Scope = PLAN) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per SEND local area on the May 2023 geography (``area_shapes``): its 2016-framework result (WSoA
    required or not; a successor council takes its former council's result, flagged ``via_former``) and its
    latest 2023-framework outcome, each counting inspections published (``basis="inspected"``: started) by the
    scope's ``as_at``. Returns (2016 frame, 2023 frame), each with area_code, area, category. The maps are
    drawn on today's councils, each showing its former council's result, so ``counting`` (whether an abolished
    area is counted) leaves them as they are."""
    from .data.store import table_key

    scope = scope.only("map_frames", "as_at", "basis", "include_predecessors", "counting")
    keys = tuple(table_key(n) for n in ("area_shapes", "inspections_2016", "inspections_2023"))
    m16, m23 = _map_frames(keys, scope.as_at, scope.date_column, scope.include_predecessors)
    return m16.copy(), m23.copy()


def describe_maps(m16: pd.DataFrame, overall16: pd.DataFrame, scope: Scope = PLAN) -> str:
    """What the two maps of :func:`map_frames` count, and why the 2016 map's WSoA areas can differ from the
    councils that wrote one (a successor council takes its former council's result)."""
    via = int(m16["via_former"].sum())
    shown = int((m16["category"] == "WSoA required").sum())
    wrote = int(overall16["n_wsoa"].sum())
    takes = "takes its" if via == 1 else "take their"
    return (
        f"The maps count {scope.describe()}. {plural(via, 'area')} on the 2016 map {takes} former council's "
        f"result, so the map shows {plural(shown, 'area')} with a WSoA, where {plural(wrote, 'council')} wrote one."
    )


def _by(df: pd.DataFrame, as_at, date_col: str) -> pd.DataFrame:
    """Inspections dated on or before ``as_at`` (:func:`outcomes.basis_date`); all without one."""
    return df if as_at is None else df[basis_date(df, date_col) <= as_at]


@lru_cache(maxsize=4)
def _map_frames(keys: tuple, as_at, date_col: str, predecessors: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames of :func:`map_frames`; without ``predecessors`` a successor council does not take its
    former council's 2016 result."""
    from .data.registry import value_label
    from .data.store import load_table

    shapes = load_table("area_shapes")
    idx = area_index()
    names = dict(zip(idx["code"], idx["area"]))
    old = _by(load_inspections("2016"), as_at, date_col)
    old = (old if predecessors else old[~old["predecessor"]]).assign(code=lambda d: geography.harmonise(d["la_code"]))
    by_code = dict(zip(old["code"], old["wsoa"]))
    for former, successors in SUCCESSORS.items():
        for s in successors:
            if s not in by_code and former in by_code:
                by_code[s] = by_code[former]
    via = {s for former, succ in SUCCESSORS.items() for s in succ if former in set(old["code"])}
    rows16 = []
    for code in shapes["area_code"]:
        w = by_code.get(code)
        cat = "not inspected" if w is None or pd.isna(w) else ("WSoA required" if w else "no WSoA")
        rows16.append(
            {
                "area_code": code,
                "area": names.get(code, code),
                "category": cat,
                "via_former": code in via and code not in set(old["code"]),
            }
        )
    new = _by(load_inspections("2023"), as_at, date_col).assign(code=lambda d: geography.harmonise(d["la_code"]))
    latest = new.sort_values("published").drop_duplicates("code", keep="last").set_index("code")
    rows23 = []
    for code in shapes["area_code"]:
        if code not in latest.index:
            cat = "not inspected yet"
        else:
            o = latest.at[code, "outcome"]
            cat = "no outcome in sources" if pd.isna(o) else value_label(str(o))
        rows23.append({"area_code": code, "area": names.get(code, code), "category": cat})
    return pd.DataFrame(rows16), pd.DataFrame(rows23)


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


def ccg_measures(sliver: float = 0.05) -> pd.DataFrame:
    """CCG structure of each 2016-framework inspection ignoring 'sliver' CCGs: those serving less than
    ``sliver`` of the area's LSOAs. Columns la_code, n_ccgs (CCGs kept), coterminous (one CCG kept, and less
    than ``sliver`` of that CCG's LSOAs lie outside the area; with sliver 0: none). ``sliver=0`` gives the
    ``n_ccgs`` and ``ccg_coterminous`` of ``load_areas()``."""
    from .data.store import load_table

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


def mice_model(a: pd.DataFrame, covariates: list[str], n_imputations: int = 20, seed: int = 20160501) -> dict:
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
    from .data.store import load_table

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


def _spread(sens: pd.DataFrame) -> str:
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
        f" {n_spec - n_again} distinct estimates) {_spread(sens)}. "
        + stats.fit_notes_text(sens)
        + (
            "The multiple-imputation row assumes that DMO in post is missing at random given the model's terms; it is"
            " missing because DfE did not collect it before 2019, so the assumption is implausible and the row shows"
            " what imputation would give, not a correction for the missing years."
            if sens.loc[sens["specification"].str.contains("multiple imputation"), "odds_ratio"].notna().any()
            else ""
        )
    )


@scoped(PLAN)
def revisit_times(scope: Scope = PLAN) -> pd.DataFrame:
    """Each WSoA area's time from its inspection letter's publication to its revisit letter's publication
    (years), censored at the data's end (``as_at``, or the last publication date in the 2016 file) for areas
    whose revisit is not known by then (:meth:`Scope.revisit_known`): columns la_code, area, region, years,
    revisited (the event), n_weaknesses, inspection_year."""
    if scope.basis != "published":
        raise ParameterError("revisit_times measures letter to letter: it needs basis 'published'")
    a = areas_2016(scope)
    end = scope.as_at if scope.as_at is not None else max(a["published"].max(), a["revisit_published"].max())
    w = a[a["wsoa"] & ~a["predecessor"]].copy()
    done = scope.revisit_known(w)
    stop = w["revisit_published"].where(done, end)
    w["years"] = (stop - w["published"]).dt.days / 365.25
    w["revisited"] = done
    return w[["la_code", "area", "region", "years", "revisited", "n_weaknesses", "inspection_year"]].reset_index(
        drop=True
    )


def describe_revisit_times(times: pd.DataFrame, km: pd.DataFrame, cx: pd.DataFrame) -> str:
    """Report 03's time to revisit in words: the Kaplan-Meier median for all WSoA areas and for each
    inspection-year cohort (with how many of each are censored, since later cohorts wait longer and hold the
    censored areas), then the Cox model's hazard ratios. ``km``: :func:`stats.kaplan_meier` of ``times``;
    ``cx``: :func:`stats.cox` on n_weaknesses and inspection_year."""

    def median(m):
        v, (lo, hi) = m.attrs["median"], m.attrs["median_ci"]
        if v != v:
            return "not reached"
        ci = f"{lo:.1f} to {hi:.1f}" if hi == hi else f"{lo:.1f} to not reached"
        return f"{v:.1f} years (95% CI {ci})" if lo == lo else f"{v:.1f} years (no interval: too few events)"

    cohorts = []
    for year, g in times.groupby("inspection_year", sort=True):
        k = stats.kaplan_meier(g["years"], g["revisited"])
        cens = k.attrs["n"] - k.attrs["n_events"]
        cohorts.append(f"{int(year)}: {k.attrs['n']} areas, {cens} censored, median {median(k)}")
    n_cens = km.attrs["n"] - km.attrs["n_events"]
    late = times.loc[~times["revisited"].astype(bool), "inspection_year"]
    where = (
        f" All {n_cens} censored areas were inspected in {int(late.min())}-{int(late.max())}, so the overall median"
        " mixes cohorts that waited very differently; read it by cohort."
        if n_cens and late.min() > times["inspection_year"].min()
        else ""
    )
    hr = lambda i: (
        f"{cx['hazard_ratio'].iat[i]:.2f} times (95% CI {cx['ci_low'].iat[i]:.2f} to {cx['ci_high'].iat[i]:.2f},"
        f" {p_is(cx['p_value'].iat[i])})"
    )
    return (
        f"Kaplan-Meier median time from the inspection letter to the revisit letter: {median(km)} for all"
        f" {km.attrs['n']} WSoA areas ({n_cens} not revisited by the end of the data are censored, not dropped)."
        f"{where} By inspection year: " + "; ".join(cohorts) + ". In the Cox model, per additional weakness the"
        f" rate of revisit was {hr(0)}, and per later inspection year {hr(1)}: revisits paused in 2020-21, so later"
        " WSoAs waited longer. These are associations."
    )


# --- the 2023 framework: factors and the three-level outcome (docs/analysis_plan.md, report 06) -------------
EXPOSURE_2023 = "multi_sub_icb"


@scoped(PLAN_2023)
def areas_2023_first(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Each area's first (scope ``inspection="latest"``: latest) 2023-framework inspection with a published
    outcome, among inspections published (or started) by the scope's ``as_at``, without its
    ``exclude_regions``, with every factor as at it, ``inspection_year`` and the plan's exposure
    ``multi_sub_icb`` (more than one sub-ICB location serves the area). ``attrs``: n_inspections (with an
    outcome), n_reinspections_left_out, n_no_outcome, n_region_left_out."""
    scope = _scope(scope, "2023", "areas_2023_first", "as_at", "basis", "exclude_regions", "inspection")
    a = load_areas("2023")
    if scope.as_at is not None:
        a = a[a[scope.date_column] <= scope.as_at]
    has = a[a["outcome"].notna()].sort_values("published")
    first = has.drop_duplicates("la_code", keep="last" if scope.inspection == "latest" else "first")
    out = _for_models(first, scope)
    out[EXPOSURE_2023] = (out["n_sub_icbs"] > 1).astype("boolean")
    out.attrs.update(
        n_inspections=len(has),
        n_reinspections_left_out=len(has) - len(first),
        n_no_outcome=int(a["outcome"].isna().sum()),
        n_region_left_out=len(first) - len(out),
    )
    return out


def describe_areas_2023(areas: pd.DataFrame, scope: Scope) -> str:
    """The sentences that say which areas report 06 analyses (:func:`areas_2023_first`'s frame and attrs), how
    many of its inspections came after the ICB mergers began (their structure is pre-merger), and how many lack
    a 20-week rate because its year is not published yet."""
    s = areas.attrs
    text = (
        f"**Areas analysed:** {len(areas)}, each area's first 2023-framework inspection with a published outcome"
        f" ({s['n_inspections']} inspections have an outcome; {plural(s['n_reinspections_left_out'], 're-inspection')}"
        f" left out so each area counts once; {plural(s['n_no_outcome'], 'inspection')} without a published outcome"
        " left out"
        + (
            f"; {plural(s['n_region_left_out'], 'area')} in {', '.join(scope.exclude_regions)} left out"
            if scope.exclude_regions
            else ""
        )
        + "). "
    )
    merged = int((areas["factor_date"] >= pd.Timestamp(ICB_MERGERS_BEGAN)).sum())
    text += (
        f"The ICB structure is measured on the July 2022 boundaries; {merged} of these inspections are dated (by"
        f" their start, or their publication where no start is known) on or after {long_date(ICB_MERGERS_BEGAN)},"
        " when ICBs began merging, so theirs is the structure before the mergers. "
    )
    late = areas[areas["ehcp_20wk_pct_reason"].astype("string") == "not_published_yet"]
    if len(late):
        years = ", ".join(str(int(y)) for y in sorted(late["inspection_year"].unique()))
        text += (
            f"{plural(len(late), 'area')} (inspected in {years}) have no 20-week rate for the year before: DfE had"
            " not published it yet, so every model with the 20-week rate leaves them out."
        )
    return text.strip()


def primary_model_2023(
    data: pd.DataFrame, *, confounders=CONFOUNDERS, extra=(), cluster=None, weights=None
) -> pd.DataFrame:
    """Proportional-odds model of the 2023 outcome on ``multi_sub_icb`` and the plan's :data:`CONFOUNDERS`
    (or ``confounders``), plus ``extra`` terms, exposure first; odds ratios of a worse outcome. ``cluster``,
    ``weights``: as :func:`stats.ordinal`."""
    return stats.ordinal(data, "outcome", [EXPOSURE_2023, *confounders, *extra], cluster=cluster, weights=weights)


def cut_models_2023(data: pd.DataFrame, *, confounders=CONFOUNDERS) -> pd.DataFrame:
    """The proportional-odds check of :func:`primary_model_2023` (same terms): :func:`stats.cut_models`."""
    return stats.cut_models(data, "outcome", [EXPOSURE_2023, *confounders])


def describe_first_cuts_2023(data: pd.DataFrame) -> str:
    """The proportional-odds check of report 06's model as first specified (:data:`FIRST_CONFOUNDERS`), in words."""
    first = primary_model_2023(data, confounders=FIRST_CONFOUNDERS)
    cuts = cut_models_2023(data, confounders=FIRST_CONFOUNDERS)
    return "As first specified: " + stats.describe_cuts(cuts, first, "areas served by more than one sub-ICB location")


# a mediator whose year DfE had not published yet: (its yearly column in area_years, its year, its reason)
LAST_PUBLISHED = {
    "ehcp_20wk_pct": ("ehcp_20wk_pct_in_year", "ehcp_year", "ehcp_20wk_pct_reason"),
    "appeal_rate": ("appeal_rate_in_year", "appeals_year", "appeal_reason"),
}


def mediators_last_published(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with each mediator (:data:`LAST_PUBLISHED`) missing because DfE had not published its year yet
    replaced by the area's last published year before it (from ``area_years``), and ``mediator_lag``: how many
    years older than the year before the inspection the oldest value used is (0 where none was replaced)."""
    from .data.store import load_table

    years = load_table("area_years")
    out = data.copy()
    out["mediator_lag"] = 0.0
    for col, (yearly, year_col, reason) in LAST_PUBLISHED.items():
        known = years.dropna(subset=[yearly])
        late = out[reason].astype("string").eq("not_published_yet").fillna(False)
        for i in out.index[late.to_numpy()]:
            mine = known[(known["la_code"] == out.at[i, "la_code"]) & (known["year"] < out.at[i, year_col])]
            if len(mine):
                last = mine.loc[mine["year"].idxmax()]
                out.at[i, col] = float(last[yearly])
                out.at[i, "mediator_lag"] = max(out.at[i, "mediator_lag"], float(out.at[i, year_col] - last["year"]))
    return out


WEIGHTED = "weighted by the inverse probability of having been inspected yet"  # sensitivity_2023's weighted row


def sensitivity_2023(data: pd.DataFrame) -> pd.DataFrame:
    """Report 06's primary estimate under each specification of the plan: the primary model (more than one
    sub-ICB location serves the area, no sliver rule), as first specified, with the 5% sliver rule (exposed only
    when 5% or more of its LSOAs lie outside its main sub-ICB location), cluster-robust by the main ICB, with the
    mediators (complete cases, then each from its last published year where the year before the inspection is
    not published yet: :func:`mediators_last_published`) and, when ``data`` has ``inspection_weight``
    (:func:`with_history`), weighted for having been inspected yet. One row each: specification, n_exposed,
    n_used, odds_ratio, ci_low, ci_high, p_value, method."""
    rows = []
    outside = 1 - data["main_sub_icb_share"].astype(float)
    sliver = (outside >= DEFAULT_SLIVER - 1e-12).astype("boolean").where(outside.notna())
    filled = mediators_last_published(data)
    lags = filled.loc[filled["mediator_lag"] > 0, "mediator_lag"]
    specs = [
        (
            f"{REVISED}: adjusted for {adjusted_for()}; more than one sub-ICB location (no sliver rule)",
            data,
            {},
        ),
        (
            f"pre-specified (as first specified, 23 November 2026): adjusted for {adjusted_for(FIRST_CONFOUNDERS)}",
            data,
            {"confounders": FIRST_CONFOUNDERS},
        ),
        (
            f"sliver {DEFAULT_SLIVER:.0%}: {DEFAULT_SLIVER:.0%} or more of the LSOAs outside the main sub-ICB location",
            data.assign(**{EXPOSURE_2023: sliver}),
            {},
        ),
        ("cluster-robust intervals, clustered by the area's main ICB", data, {"cluster": "main_icb_name"}),
        ("primary + mediators (20-week rate, appeal rate), complete cases", data, {"extra": MEDIATORS}),
        (
            f"primary + mediators, each from its last published year for {plural(len(lags), 'area')} whose year before"
            " the inspection is not published yet"
            + (f" (lag {int(lags.min())} to {int(lags.max())} years)" if len(lags) else ""),
            filled,
            {"extra": MEDIATORS},
        ),
    ]
    if "inspection_weight" in data:
        specs.append((WEIGHTED, data, {"weights": "inspection_weight"}))
    for spec, frame, kw in specs:
        r = primary_model_2023(frame, **kw).iloc[0]
        dropped = int(r["n_dropped"]) if pd.notna(r["n_dropped"]) else 0
        rows.append(
            {
                "specification": spec + (f"; {plural(dropped, 'area')} dropped for a missing value" if dropped else ""),
                "n_exposed": int(frame[EXPOSURE_2023].fillna(False).astype(bool).sum()),
                **{k: r[k] for k in ("n_used", "odds_ratio", "ci_low", "ci_high", "p_value", "method")},
            }
        )
    return pd.DataFrame(rows)


HISTORY_LEVELS = ["no WSoA", "WSoA, sufficient progress on every weakness", "WSoA, not sufficient or not revisited"]
SELECTION_TERMS = ["inspection_year_2016", "wsoa", "region"]  # the plan's model of having been inspected yet


def with_history(areas: pd.DataFrame, scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Report 06's areas (:func:`areas_2023_first`) with their 2016-framework history (via :func:`transition`):
    ``history_2016`` (:data:`HISTORY_LEVELS`), ``years_since_2016`` (2016 inspection start, or its publication
    where no start is given, to the 2023 inspection's factor date; missing for the successors of the former
    councils, whose 2016 dates Ofsted's file does not give), and ``inspection_weight``, the stabilised
    inverse-probability weight of having been inspected yet, from :func:`selection_2016` (logistic on
    :data:`SELECTION_TERMS`)."""
    t = transition(Scope("2023", inspection=scope.inspection)).set_index("key")  # the 2016 side: every area
    key = geography.harmonise(areas["la_code"])
    wsoa = key.map(t["wsoa"]).astype("boolean")
    progress = key.map(t["revisit_outcome"].astype(object)).eq("Yes").fillna(False).astype(bool)
    start = pd.to_datetime(key.map(t["inspection_start_2016"].fillna(t["published_2016"])))
    out = areas.copy()
    level = np.where(
        ~wsoa.fillna(False).astype(bool), HISTORY_LEVELS[0], np.where(progress, HISTORY_LEVELS[1], HISTORY_LEVELS[2])
    )
    out["history_2016"] = pd.Series(pd.Categorical(level, categories=HISTORY_LEVELS), index=out.index).where(
        wsoa.notna().to_numpy()
    )
    out["years_since_2016"] = ((out["factor_date"] - start).dt.days / 365.25).to_numpy()
    sel = selection_2016(scope)
    at = pd.DataFrame({"inspection_year_2016": start.dt.year.astype(float), "wsoa": wsoa, "region": out["region"]})
    out["inspection_weight"] = stats.inverse_probability_weights(
        sel, "inspected_2023", SELECTION_TERMS, at.astype({"wsoa": float})
    )
    out.attrs = {**areas.attrs, "n_selection": len(sel), "n_inspected": int(sel["inspected_2023"].sum())}
    return out


def history_model_2023(hist: pd.DataFrame) -> pd.DataFrame:
    """The plan's prognostic model of the 2023 outcome (not the estimand): the primary model plus the area's
    2016-framework history and the years since its 2016 inspection."""
    return primary_model_2023(hist, extra=["history_2016", "years_since_2016"])


def history_split(hist: pd.DataFrame) -> pd.DataFrame:
    """Report 04's split of the 2016 WSoA by revisit progress (the plan's third revision): the 2023 outcome on
    the area's 2016 history (:data:`HISTORY_LEVELS`, no WSoA the reference) adjusted for the plan's
    :data:`CONFOUNDERS`, unweighted and weighted by the inverse probability of having been inspected yet, both
    on the same areas (those with a weight: ``hist`` from :func:`with_history`).

    Returns a DataFrame, one row per level and fit: fit, level, odds_ratio, ci_low, ci_high, p_value, n_used,
    n_level (areas at that level), method."""
    same = _same_rows(hist, ["history_2016", "inspection_weight"])
    rows = []
    for fit, kw in (("adjusted", {}), ("adjusted and weighted", {"weights": "inspection_weight"})):
        m = stats.ordinal(same, "outcome", ["history_2016", *CONFOUNDERS], **kw)
        for level in HISTORY_LEVELS[1:]:
            r = m[m["term"] == f"history_2016={level}"].iloc[0]
            rows.append(
                {
                    "fit": fit,
                    "level": level,
                    **{k: r[k] for k in ("odds_ratio", "ci_low", "ci_high", "p_value", "n_used")},
                    "n_level": int((same["history_2016"] == level).sum()),
                    "method": r["method"],
                }
            )
    return pd.DataFrame(rows)


def describe_history_split(split: pd.DataFrame) -> str:
    """The sentence under :func:`history_split`: each WSoA group against areas without a WSoA, both fits on the
    same areas, with which way each points."""
    parts = []
    for fit, g in split.groupby("fit", sort=False):
        each = "; ".join(
            f"{r['level']} ({r['n_level']} areas): {r['odds_ratio']:.2f} (95% CI {r['ci_low']:.2f} to"
            f" {r['ci_high']:.2f}; {stats.way(r, 'a worse 2023 outcome')})"
            for r in g.to_dict("records")
        )
        parts.append(f"{fit[0].upper() + fit[1:]}: {each}")
    n = int(split["n_used"].iat[0])
    return (
        f"Split by revisit progress, against areas without a WSoA, on the same {n} areas: "
        + ". ".join(parts)
        + f". Both fits adjust for {adjusted_for()}; the weights are report 06's. The single WSoA odds ratio above"
        " pools these groups, which may point in opposite directions."
    )


def describe_sensitivity_2023(sens: pd.DataFrame) -> str:
    """The sentences under :func:`sensitivity_2023`'s table: the range of its estimates, how many intervals
    exclude 1, the estimate as first specified against the primary one, and the sliver rule's exposed count."""
    a, first = sens.iloc[0], sens[sens["specification"].str.startswith("pre-specified")].iloc[0]
    sliver = sens[sens["specification"].str.startswith("sliver")].iloc[0]
    return (
        f"Across the {int(sens['odds_ratio'].notna().sum())} specifications {_spread(sens)}. As first specified"
        f" (adjusted for {adjusted_for(FIRST_CONFOUNDERS)}) it was {first['odds_ratio']:.2f} (95% CI"
        f" {first['ci_low']:.2f} to {first['ci_high']:.2f}); with area type and population as well, the plan's"
        f" estimate now, {a['odds_ratio']:.2f} ({a['ci_low']:.2f} to {a['ci_high']:.2f}). With the"
        f" {DEFAULT_SLIVER:.0%} sliver rule {sliver['n_exposed']} areas count as served by more than one sub-ICB"
        f" location instead of {a['n_exposed']}."
    )


def describe_primary_2023(model, cuts, mde: float, sample: dict) -> str:
    """Plain English for report 06's primary model (ordinal), generated from it; ``cuts``: the binary models
    at each cut (:func:`stats.cut_models`) of the same terms. When the plan's proportional-odds rule
    (:func:`stats.proportional_odds_check`) fires, the cut-specific estimates lead and the single odds ratio is
    described as their average. ``sample``: the frame's attrs."""
    r = model.iloc[0]
    what = "areas served by more than one sub-ICB location"
    single = (
        f"{r['odds_ratio']:.2f} times the odds of a worse 2023 outcome (95% CI {r['ci_low']:.2f} to"
        f" {r['ci_high']:.2f}; Wald {p_is(r['p_value'])}; n = {int(r['n_used'])}, {int(r['n_dropped'])} dropped for a"
        " missing value)"
    )
    lead = stats.describe_cut_estimates(cuts, model, what, "a worse outcome")
    text = lead + (
        f"Areas served by more than one sub-ICB location had {single} compared with areas served by one, adjusted"
        f" for {adjusted_for()}. "
    )
    text += (
        "The interval includes 1: the data are compatible with no association and with one as large as the interval. "
        if r["ci_low"] <= 1 <= r["ci_high"]
        else "The interval excludes 1: an association that the confounders adjusted for do not account for. "
    )
    text += stats.describe_cuts(cuts, model, what) + stats.describe_power(r, mde) + describe_e_value(r)
    return text + (
        "The sample is each area's first 2023-framework inspection with an outcome"
        f" ({plural(sample.get('n_reinspections_left_out', 0), 're-inspection')} and"
        f" {plural(sample.get('n_no_outcome', 0), 'inspection')} without a published outcome left out)."
        " The number of sub-ICB locations is geography, a proxy for how joined-up the NHS partner is, not a measure"
        " of its oversight."
    )


def _same_rows(hist: pd.DataFrame, columns) -> pd.DataFrame:
    """The rows of ``hist`` a model with ``columns`` uses (complete cases on the primary terms and them)."""
    need = [EXPOSURE_2023, "outcome", *CONFOUNDERS, *columns]
    return hist.dropna(subset=[c for c in need if c in hist])


def describe_history_2023(model: pd.DataFrame, primary: pd.DataFrame, hist: pd.DataFrame) -> str:
    """The sentences under the own-history model (:func:`history_model_2023`): the exposure's estimate beside
    the primary model refitted on the same areas (``hist``: :func:`with_history`), so the two compare like with
    like, and each history term's."""
    r, p = model.iloc[0], primary.iloc[0]
    same = primary_model_2023(_same_rows(hist, ["history_2016", "years_since_2016"])).iloc[0]
    terms = model[model["term"].str.startswith(("history_2016", "years_since_2016"))]
    each = "; ".join(
        f"{label(t['term'])}: {t['odds_ratio']:.2f} (95% CI {t['ci_low']:.2f} to {t['ci_high']:.2f})"
        for t in terms.to_dict("records")
    )
    return (
        f"With the area's own 2016-framework history as prognostic terms, areas served by more than one sub-ICB"
        f" location had {r['odds_ratio']:.2f} times the odds of a worse outcome (95% CI {r['ci_low']:.2f} to"
        f" {r['ci_high']:.2f}; n = {int(r['n_used'])}"
        + (
            f", {int(r['n_dropped'])} dropped for a missing value: an area whose 2016 result is a former council's has"
            " no 2016 date in Ofsted's file"
            if r["n_dropped"]
            else ""
        )
        + f"), against {same['odds_ratio']:.2f} (95% CI {same['ci_low']:.2f} to {same['ci_high']:.2f}) for the primary"
        f" model on the same {int(same['n_used'])} areas"
        + (
            f" ({p['odds_ratio']:.2f} on all {int(p['n_used'])}: the difference between those two is the areas dropped,"
            " not the history terms)"
            if int(same["n_used"]) != int(p["n_used"])
            else ""
        )
        + f". History terms (odds ratios of a worse outcome; against no WSoA): {each}. This model is prognostic, not"
        " the estimand."
    )


def describe_weights(
    weights: pd.DataFrame, sens: pd.DataFrame, primary: pd.DataFrame, sample: dict, hist: pd.DataFrame
) -> str:
    """The sentences on the inverse-probability weights (:func:`stats.weight_summary` of them) and the
    weighted estimate (the :data:`WEIGHTED` row of :func:`sensitivity_2023`) beside the primary model refitted
    unweighted on the same areas (those with a weight, from ``hist``)."""
    w, p = weights.iloc[0], primary.iloc[0]
    weighted = sens[sens["specification"].str.startswith(WEIGHTED)].iloc[0]
    same = primary_model_2023(_same_rows(hist, ["inspection_weight"])).iloc[0]
    return (
        f"The weights come from a logistic model of having been inspected yet ({sample['n_inspected']} of"
        f" {sample['n_selection']} 2016-framework areas) on {adjusted_for(SELECTION_TERMS)}. Over the {int(w['n'])}"
        f" areas with a weight they range from {w['minimum']:.2f} to {w['maximum']:.2f} (median {w['median']:.2f});"
        f" the effective sample size is {w['effective sample size']:.1f}. Weighted, the odds ratio is"
        f" {weighted['odds_ratio']:.2f} (95% CI {weighted['ci_low']:.2f} to {weighted['ci_high']:.2f}; robust"
        f" interval; n = {int(weighted['n_used'])}), against {same['odds_ratio']:.2f} (95% CI {same['ci_low']:.2f} to"
        f" {same['ci_high']:.2f}) unweighted on the same {int(same['n_used'])} areas"
        + (
            f" ({p['odds_ratio']:.2f} in the primary model on all {int(p['n_used'])})"
            if int(same["n_used"]) != int(p["n_used"])
            else ""
        )
        + "."
    )


def responsible_bodies_2023() -> pd.DataFrame:
    """Per bundled 2023-framework report: its area and outcome, how many recommendations (priority actions and
    areas for improvement) it makes, how many name the ICB as a responsible body (alone or with the local
    authority), that share, and where the bodies were read (the report's Responsible body column, or the
    recommendation's own subject)."""
    from .data.store import load_table
    from .letters import COLUMN

    docs = load_table("documents")
    recs = load_table("recommendations")
    per = recs.groupby("source").agg(
        n_recommendations=("item_no", "size"),
        n_priority_actions=("kind", lambda k: int((k == "priority action").sum())),
        n_naming_icb=("responsible_body", lambda b: int(b.isin(["icb", "both"]).sum())),
        n_icb_alone=("responsible_body", lambda b: int((b == "icb").sum())),
        n_from_column=("body_from", lambda f: int(f.str.startswith(COLUMN).sum())),
    )
    out = docs[docs["framework"] == "2023"][["source", "area", "outcome", "icb"]].merge(
        per.reset_index(), on="source", how="left"
    )
    out["share_naming_icb"] = out["n_naming_icb"] / out["n_recommendations"]
    out["outcome"] = pd.Categorical(out["outcome"], categories=OUTCOME_LEVELS, ordered=True)
    return out.sort_values(["outcome", "area"]).reset_index(drop=True)


def describe_bodies(bodies, kw: dict) -> str:
    """Report 06's paragraph on the responsible bodies of the bundled 2023 reports' recommendations."""
    n_rec = int(bodies["n_recommendations"].sum())
    icb, alone = int(bodies["n_naming_icb"].sum()), int(bodies["n_icb_alone"].sum())
    col = int(bodies["n_from_column"].sum())
    meds = "; ".join(f"{outcome_label(k)}: {v:.0%}" for k, v in kw["medians"].items())
    return (
        f"Across {len(bodies)} bundled reports, {icb} of {n_rec} recommendations ({icb / n_rec:.0%}) name the ICB as a"
        f" responsible body, {alone} of them the ICB alone; the rest name the local authority alone or no body."
        f" {col} bodies were read from the reports' Responsible body column (priority actions) and the rest from the"
        f" recommendation's own subject (areas for improvement have no such column). The median share per report"
        f" naming the ICB is {meds} (Kruskal-Wallis H = {kw['statistic']:.2f}, {p_is(kw['p_value'])},"
        f" epsilon-squared {kw['epsilon2']:.2f}; n = {kw['n_used']} reports). Most recommendations address the whole"
        " partnership, so this share separates reports mainly by their few single-body recommendations; the bundled"
        " reports are not every report published."
    )


# --- report 05: what the letters' coding shows, in words -------------------------------------------------------------
def themes_by_outcome_2023(items: pd.DataFrame, themes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Report 05's 2023-framework themes: per bundled report (``items`` of :func:`letters.reports_2023`), whether
    its recommendations include each theme (``per``: source, outcome, one column per theme), and the share of
    reports with each theme by outcome (``wide``: theme, one column per outcome)."""
    per = (items.groupby(["source", "outcome", "theme"]).size().unstack(fill_value=0) > 0).reset_index()
    rows = [
        {"outcome": outcome, "theme": t, "share": stats.proportion(int(g[t].sum()), len(g))["share"]}
        for outcome, g in per.groupby("outcome")
        for t in themes
        if t in g
    ]
    wide = pd.DataFrame(rows).pivot(index="theme", columns="outcome", values="share").reset_index()
    return per, wide


def describe_reports_read(reps: pd.DataFrame, items: pd.DataFrame, official: pd.DataFrame) -> str:
    """The line on the bundled 2023-framework reports: how many were read, how many extracted outcomes equal
    the published ones (``official``: load_inspections("2023")), how many recommendations were coded."""
    o = official[["ofsted_urn", "published", "outcome"]].rename(columns={"outcome": "official_outcome"})
    chk = reps.merge(o, on=["ofsted_urn", "published"], how="left", validate="one_to_one")
    same = int((chk["outcome"] == chk["official_outcome"].astype(str)).sum())
    return (
        f"**Reports read:** {len(reps)}; Extracted outcome equals the published outcome for {same} of {len(reps)}."
        f" Recommendations coded: {len(items.drop_duplicates(['source', 'kind', 'item_no']))}."
    )


def describe_health_leadership_2023(per: pd.DataFrame) -> str:
    """Whether the health-leadership theme goes with a systemic-failings outcome among the bundled reports
    (``per`` of :func:`themes_by_outcome_2023`): Fisher's exact test, or why there is nothing to test."""
    hl = per.assign(systemic=per["outcome"] == "systemic_failings")
    named = int(hl["health_ccg_leadership"].sum()) if "health_ccg_leadership" in hl else 0
    if not 0 < named < len(hl):
        return (
            f"The health-leadership theme (CCG or ICB wording, health leaders' oversight) matched the recommendations"
            f" of {named} of {len(hl)} reports, so there is no comparison to test; report 06 reads the responsible"
            " body of each recommendation instead."
        )
    t = stats.table_test(hl, "health_ccg_leadership", "systemic")
    return (
        f"Health leadership (the CCG or ICB, or health leaders' oversight) is named in the recommendations of {named}"
        f" of {len(hl)} reports. Against a systemic-failings outcome: {t['test']}, {p_is(t['p_value'])}, odds ratio"
        f" {t['effect']:.2f} (95% CI {t['ci_low']:.2f} to {t['ci_high']:.2f}), n = {t['n_used']} reports."
        " Systemic-failings reports list more recommendations, so any theme is more likely to appear in them; this is"
        " association in a non-random set of reports."
    )


def describe_dataset(weaknesses: pd.DataFrame, areas: pd.DataFrame) -> str:
    """The line that says what the hand-coded dataset holds, from :func:`load_weaknesses` and
    :func:`weakness_areas`."""
    status = areas["status"].value_counts()
    complete = int(status.get("complete", 0))
    matches = int(areas.loc[areas["status"] == "complete", "count_matches_official"].sum())
    return (
        f"**Hand-coded dataset:** {len(weaknesses)} weaknesses from {int((areas['n_found'] > 0).sum())} of"
        f" {len(areas)} WSoA areas: {complete} complete, {int(status.get('partial', 0))} partial,"
        f" {int(status.get('not_found', 0))} not found. Every complete area's count equals Ofsted's official number"
        f" of weaknesses: {matches} of {complete}."
    )


def describe_themes(freq: pd.DataFrame, area_themes: pd.DataFrame) -> str:
    """Report 05's sentences on how often each theme appears: the most frequent theme with its Wilson interval
    (``freq``: one row per theme, sorted by share) and how many complete areas named CCG/health leadership."""
    top = freq.iloc[0]
    return (
        f"The most frequent theme is {md(registry.value_label(top['theme']))}, named in {int(top['areas'])} of"
        f" {int(top['n'])} complete WSoA areas ({top['share']:.0%}; 95% CI {top['ci_low']:.0%} to"
        f" {top['ci_high']:.0%}). CCG/health leadership weaknesses were named in"
        f" {int(area_themes['health_ccg_leadership'].sum())} of {len(area_themes)} complete areas. These counts"
        " describe the letters that could be found in full; areas whose lists are missing may differ."
    )


def describe_agreement(agree: pd.DataFrame) -> str:
    """Report 05's sentence on how well the automatic coding agrees with the hand codes (:func:`agreement`)."""
    low = agree.sort_values("kappa").iloc[0]
    return (
        f"Across the {len(agree)} themes, the median Cohen's kappa of automatic against hand coding is"
        f" {agree['kappa'].median():.2f} (lowest: {md(registry.value_label(low['theme']))}, {low['kappa']:.2f})."
        " Where kappa is low, read that theme's automatic counts with caution."
    )


def describe_proxy(th: pd.DataFrame, test: dict) -> str:
    """Report 05's check of report 02's proxy: how often health / CCG leadership was named as a weakness in
    WSoA areas with and without one coterminous CCG (``th``: complete areas with ``not_coterminous`` and the
    theme), with the test of the 2 x 2 table (``test``: :func:`sendstats.stats.table_test`)."""
    out = th["not_coterminous"].astype(bool)
    named = th["health_ccg_leadership"].astype(bool)
    return (
        f"Health / CCG leadership was named in {int(named[out].sum())} of {int(out.sum())} WSoA areas without one"
        f" coterminous CCG and in {int(named[~out].sum())} of {int((~out).sum())} areas with one ({test['test']}"
        f" {p_is(test['p_value'])}; odds ratio {test['effect']:.2f}, 95% CI {test['ci_low']:.2f} to"
        f" {test['ci_high']:.2f}). "
        + (
            "The proxy and the inspectors' judgement of health leadership go together here."
            if test["p_value"] < 0.05
            else "With this few areas the proxy and the inspectors' judgement are not shown to go together, so the"
            " proxy's validity as a measure of oversight is unconfirmed."
        )
    )
