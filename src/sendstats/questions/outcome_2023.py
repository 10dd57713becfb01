"""The 2023-framework outcome and the area factors (report 06, docs/analysis_plan.md): the first inspection of
each area, the ordinal model, its sensitivity analyses, the 2016 history and the bodies the reports hold
responsible."""

from __future__ import annotations

import pandas as pd

from .. import stats
from ..scope import DEFAULT_SLIVER
from ..vocabulary import OUTCOME_LEVELS
from ..wording import label, outcome_label, p_is, plural
from .first_2023 import EXPOSURE_2023, same_rows
from .transition import SELECTION_TERMS
from .wsoa import CONFOUNDERS, FIRST_CONFOUNDERS, MEDIATORS, REVISED, adjusted_for, describe_e_value, spread_words


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
    from ..data.store import load_table

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
    specs: list[tuple[str, pd.DataFrame, dict]] = [
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


def history_model_2023(hist: pd.DataFrame) -> pd.DataFrame:
    """The plan's prognostic model of the 2023 outcome (not the estimand): the primary model plus the area's
    2016-framework history and the years since its 2016 inspection."""
    return primary_model_2023(hist, extra=["history_2016", "years_since_2016"])


def describe_sensitivity_2023(sens: pd.DataFrame) -> str:
    """The sentences under :func:`sensitivity_2023`'s table: the range of its estimates, how many intervals
    exclude 1, the estimate as first specified against the primary one, and the sliver rule's exposed count."""
    a, first = sens.iloc[0], sens[sens["specification"].str.startswith("pre-specified")].iloc[0]
    sliver = sens[sens["specification"].str.startswith("sliver")].iloc[0]
    return (
        f"Across the {int(sens['odds_ratio'].notna().sum())} specifications {spread_words(sens)}. As first specified"
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


def describe_history_2023(model: pd.DataFrame, primary: pd.DataFrame, hist: pd.DataFrame) -> str:
    """The sentences under the own-history model (:func:`history_model_2023`): the exposure's estimate beside
    the primary model refitted on the same areas (``hist``: :func:`with_history`), so the two compare like with
    like, and each history term's."""
    r, p = model.iloc[0], primary.iloc[0]
    same = primary_model_2023(same_rows(hist, ["history_2016", "years_since_2016"])).iloc[0]
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
    same = primary_model_2023(same_rows(hist, ["inspection_weight"])).iloc[0]
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
    from ..data.store import load_table
    from ..letters import COLUMN

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
