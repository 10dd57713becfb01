"""Human labels: of every registered column, of the columns the statistics add, of coded values (reasons,
outcomes, themes) and units. Every header, axis and prose name reads them here."""

from __future__ import annotations

from ...vocabulary import OUTCOME_LABELS
from .fields import REASON_LABELS, Column
from .tables import TABLES

# labels of columns that statistics and analysis frames add (not stored in a table)
RESULT_LABELS = {
    "fit_note": "fit warning",
    "n": "n",
    "count": "count",
    "share": "share",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
    "ci_low_adj": "Bonferroni 97.5% CI low",
    "ci_high_adj": "Bonferroni 97.5% CI high",
    "p_adj": "Bonferroni p (p times 2)",
    "excludes_1": "interval excludes 1",
    "left out": "left out since the stage before",
    "inspection_year_cat": "year the inspection started (categories)",
    "year_spline_1": "year the inspection started (spline term 1)",
    "year_spline_2": "year the inspection started (spline term 2)",
    "year_spline_3": "year the inspection started (spline term 3)",
    "inadequate_share_10pp": "share of LSOAs in a CCG rated inadequate (per 10 points)",
    "no_dmo_in_post": "no designated medical officer in post",
    "no_dco_in_post": "no designated clinical officer in post",
    "multi_icb": "more than one ICB",
    "icb_share_10pp": "share of recommendations naming the ICB (per 10 points)",
    "n_wsoa": "WSoA required",
    "contrast": "level against the first level",
    "n_level": "areas at this level",
    "n_exposed": "areas exposed",
    "n_predecessors": "former councils counted",
    "n_no_outcome": "no outcome in sources",
    "n_date_unknown": "counted, date unknown",
    "n_undated_left_out": "left out: date unknown",
    "days_between": "days between the inspections",
    "multi_sub_icb": "served by more than one sub-ICB location",
    "area_type_model": "area type",
    "log_population_0_25": "population aged 0-25 (log)",
    "ccg_mechanism": "how the area is not coterminous",
    "council_only_weakness": "a weakness that is the council's alone",
    "history_2016": "2016-framework history",
    "years_since_2016": "years since the 2016 inspection",
    "inspection_year_2016": "year of the 2016 inspection",
    "inspection_weight": "inverse-probability weight",
    "specification": "specification",
    "n_recommendations": "recommendations",
    "n_naming_icb": "naming the ICB",
    "n_icb_alone": "naming the ICB alone",
    "share_naming_icb": "share naming the ICB",
    "n_from_column": "body from the Responsible body column",
    "inspected_2023": "inspected under the 2023 framework",
    "inspection_2016_days": "days from May 2016 to the 2016 inspection",
    "revisit_step": "revisit progress (per step: No, Some, Yes)",
    "n_unknown": "count not published",
    "successes": "areas",
    "year": "year",
    "factor": "factor",
    "term": "term",
    "test": "test",
    "effect": "effect size",
    "effect_name": "effect measure",
    "odds_ratio": "odds ratio",
    "p_value": "p",
    "q_value_bh": "q (Benjamini-Hochberg)",
    "n_used": "n used",
    "n_dropped": "n dropped",
    "n_events": "events",
    "method": "method",
    "mw_p_value": "Mann-Whitney p",
    "inspection_year": "year the inspection started",
    "years_to_revisit": "years from inspection to revisit",
    "days_to_revisit": "days from inspection to revisit",
    "wsoa_2016": "2016 WSoA",
    "weakness_band": "number of weaknesses",
    "progress_all": "sufficient progress on all weaknesses",
    "via_predecessor": "2016 result via a former council",
    "theme": "theme",
    "kind": "factor type",
    "min_detectable_or": "minimum detectable odds ratio (80% power)",
    "ccgs": "number of CCGs (grouped)",
    "unit": "unit",
    "reports": "reports",
    "areas": "areas",
    "n_items": "items",
    "hand": "hand-coded",
    "automatic": "automatic",
    "both": "both",
    "agreement": "agreement",
    "kappa": "Cohen's kappa",
}


def all_columns() -> dict[str, Column]:
    """Every registered column by name (first definition wins: the same name means the same thing)."""
    out: dict[str, Column] = {}
    for t in TABLES.values():
        for c in t.columns:
            out.setdefault(c.name, c)
    return out


def label(name: str) -> str:
    """The human label of a column or result name (the name itself, spaced, if unregistered)."""
    if name in RESULT_LABELS:  # statistics' own columns first: "kind" there is a factor's type
        return RESULT_LABELS[name]
    col = all_columns().get(name)
    if col is not None:
        return col.label
    coded = value_label(name)
    return coded if coded != name else str(name).replace("_", " ")


def unit(name: str) -> str:
    """The unit of a registered column ('count', 'share 0-1', '%', ...; '' if none or unregistered)."""
    col = all_columns().get(name)
    return col.unit if col is not None else ""


def labels(names) -> dict[str, str]:
    return {n: label(n) for n in names}


# the bundled codebook's themes (src/sendstats/letters/codebook.yaml), as a reader would name them
THEME_LABELS = {
    "ehcp_quality": "quality of EHC plans",
    "ehcp_timeliness": "timeliness of EHC plans",
    "annual_reviews": "annual reviews",
    "health_ccg_leadership": "health / CCG or ICB leadership",
    "strategic_leadership": "strategic leadership",
    "joint_commissioning": "joint commissioning",
    "coproduction_parents": "co-production with parents",
    "asd_pathway_waits": "autism pathway waits",
    "therapy_health_waits": "therapy and health waits",
    "local_offer": "local offer",
    "identification_support": "identifying needs, SEN support",
    "inclusion_outcomes": "inclusion and outcomes",
    "preparing_adulthood": "preparing for adulthood",
    "data_quality_assurance": "data and quality assurance",
    "other": "other (no theme matched)",
}


VALUE_LABELS = {
    **REASON_LABELS,
    **OUTCOME_LABELS,
    "not_revisited_yet": "not revisited yet",
    "not_required": "not required",
    "local_authority": "local authority",
    "icb": "integrated care board",
    "both": "local authority and ICB",
    **THEME_LABELS,
}  # every coded value's words, made once (value_label is called for each cell of a table)


def value_label(value) -> str:
    """Human form of a coded value (reasons, outcome codes, themes)."""
    return VALUE_LABELS.get(value, value) if isinstance(value, str) else value
