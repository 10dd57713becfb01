"""The area factors, each declared once with what makes it a factor (its reason column, raw files,
frameworks, role in the analysis plan, screens and profile), and the queries every other module asks of them."""

from __future__ import annotations

from functools import partial

from .. import rawfiles as rf
from .fields import APPEALS, D2I, DSG, ICB, IMD, LSOA, RATING, REASONS, SEN2, C, F, Factor


def _reason(name, what):
    return C(
        name,
        "string",
        f"why {what} is missing",
        f"why {what} is missing: one of {', '.join(REASONS)}",
        source="derived",
        check=("isin", list(REASONS)),
    )


# the raw files each group of factors is read from
CCG_FILES = (*[rf.ccg_lookup_path(y) for y in rf.CCG_YEARS], rf.COUNTY16, rf.COUNTY20, rf.UTLA19)


ICB_FILES = (rf.ccg_lookup_path(max(rf.CCG_YEARS)), rf.SUB_ICB_ICB, rf.COUNTY20)


IMD_FILES = (*CCG_FILES, rf.IMD19)


DMO_FILES = (rf.DMO_DCO,)


SEN2_FILES = (rf.SEN2_MI, rf.EHCP_ZIP)


LOOKUP_FILES = (rf.LA_LOOKUP,)


ZIP_FILES = (rf.EHCP_ZIP, rf.LA_LOOKUP)


DSG_FILES = (rf.DSG_DEFICIT, rf.LA_LOOKUP)


ONLY_2016, ONLY_2023 = ("2016",), ("2023",)


SCREEN_2016, BOTH_SCREENS = ("screen-2016",), ("screen-2016", "screen-2023")  # default lists (DEFAULT_LISTS)


EVERY_LIST = (*BOTH_SCREENS, "model-2016", "revisit-2016")


# the CCG and ICB factor families: each shares its reason column, raw files and framework
CCG_FACTOR = partial(Factor, "ccg_reason", CCG_FILES, ONLY_2016)


ICB_FACTOR = partial(Factor, "icb_reason", ICB_FILES, ONLY_2023)


RATING_FACTOR = partial(Factor, "ccg_rating_reason", (*CCG_FILES, rf.CCG_RATINGS), ONLY_2016)


FACTORS = (
    C(
        "factor_date",
        "datetime64[ns]",
        "factors as at",
        "date the factors are taken as at: inspection start (2016 predecessors: first"
        " day of the month; 2023 inspections without dates: the publication date)",
        unit="date",
        source="derived",
        nullable=False,
    ),
    F(
        CCG_FACTOR(),
        "ccg_lookup_year",
        "Int64",
        "CCG lookup year",
        "year of the 1 April LSOA-CCG lookup used",
        unit="year",
        source=LSOA,
    ),
    C(
        "ccg_reason",
        "string",
        "why CCG measures are missing",
        "why CCG measures are missing (not_applicable after 1 July 2022; no_match)",
        source="derived",
        check=("isin", list(REASONS)),
    ),
    F(
        CCG_FACTOR(),
        "n_lsoas",
        "Int64",
        "LSOAs in the area",
        "number of LSOAs (2011) in the area",
        unit="count",
        source=LSOA,
    ),
    F(
        CCG_FACTOR(screened=True, profile=True, checked=True, defaults=("screen-2016", "revisit-2016")),
        "n_ccgs",
        "Int64",
        "number of CCGs serving the area",
        "number of CCGs serving any of the area's LSOAs",
        unit="count",
        source=LSOA,
        check=("in_range", 1, 12),
    ),
    F(
        CCG_FACTOR(),
        "main_ccg_code",
        "string",
        "main CCG code",
        "ONS code of the CCG serving most of the area's LSOAs",
        source=LSOA,
    ),
    F(
        CCG_FACTOR(),
        "main_ccg_name",
        "string",
        "main CCG",
        "name of that CCG",
        source=LSOA,
    ),
    F(
        CCG_FACTOR(screened=True, profile=True, defaults=("screen-2016",)),
        "main_ccg_share",
        "float64",
        "share of LSOAs in the main CCG",
        "share of the area's LSOAs in its main CCG",
        unit="share 0-1",
        source=LSOA,
        check=("in_range", 0, 1),
    ),
    F(
        CCG_FACTOR("exposure", screened=True, defaults=("screen-2016", "model-2016", "revisit-2016")),
        "ccg_coterminous",
        "boolean",
        "one CCG, coterminous (no sliver rule)",
        "one CCG serves exactly the area's LSOAs",
        unit="yes/no",
        source=LSOA,
    ),
    F(
        CCG_FACTOR(screened=True, defaults=("screen-2016",)),
        "ccg_shared",
        "boolean",
        "main CCG also serves other areas",
        "the main CCG also serves LSOAs of other local areas",
        unit="yes/no",
        source=LSOA,
    ),
    _reason("ccg_rating_reason", "NHS England's CCG rating"),
    F(
        RATING_FACTOR(),
        "ccg16_main_name",
        "string",
        "main CCG in April 2016",
        "the CCG serving most of the inspected council's LSOAs on the April 2016 lookup, the CCGs NHS England rated"
        " for 2015/16",
        source=RATING,
    ),
    F(
        RATING_FACTOR("exposure", screened=True, profile=True, checked=True),
        "ccg_rated_inadequate",
        "boolean",
        "main CCG rated inadequate by NHS England (2015/16)",
        "the area's main CCG in April 2016 is one of the 26 CCGs rated inadequate in NHS England's 2015/16 annual"
        " assessment, as listed by the Health Service Journal (the plan's direct measure of oversight)",
        unit="yes/no",
        source=RATING,
    ),
    F(
        RATING_FACTOR(),
        "ccg_rated_inadequate_cw",
        "boolean",
        "main CCG rated inadequate (Clarke Willmott's list)",
        "as the main CCG rated inadequate, from Clarke Willmott LLP's list of 25 (it has North Kirklees and lacks"
        " North Hampshire and Northumberland): the plan's sensitivity row",
        unit="yes/no",
        source=RATING,
    ),
    F(
        RATING_FACTOR(profile=True),
        "inadequate_ccg_share",
        "float64",
        "share of LSOAs in a CCG rated inadequate (2015/16)",
        "share of the inspected council's LSOAs whose April 2016 CCG NHS England rated inadequate for 2015/16 (HSJ"
        " list)",
        unit="share 0-1",
        source=RATING,
        check=("in_range", 0, 1),
    ),
    F(
        RATING_FACTOR(),
        "ccg_inadequate_any5",
        "boolean",
        "any CCG holding 5% or more rated inadequate",
        "a CCG holding 5% or more of the area's LSOAs on the April 2016 lookup was rated inadequate for 2015/16"
        " (HSJ list)",
        unit="yes/no",
        source=RATING,
    ),
    C(
        "icb_reason",
        "string",
        "why ICB measures are missing",
        "why ICB measures are missing (not_applicable before 1 July 2022, when ICBs replaced CCGs; no_match)",
        source="derived",
        check=("isin", list(REASONS)),
    ),
    F(
        ICB_FACTOR(screened=True, profile=True, defaults=("screen-2023",)),
        "n_icbs",
        "Int64",
        "number of ICBs serving the area",
        "number of integrated care boards serving any of the area's LSOAs (July 2022 boundaries)",
        unit="count",
        source=ICB,
        check=("in_range", 1, 6),
    ),
    F(
        ICB_FACTOR("exposure", screened=True, profile=True, defaults=("screen-2023",)),
        "n_sub_icbs",
        "Int64",
        "number of sub-ICB locations serving the area",
        "number of sub-ICB locations (the former CCGs) serving any of the area's LSOAs",
        unit="count",
        source=ICB,
        check=("in_range", 1, 12),
    ),
    F(
        ICB_FACTOR(),
        "main_icb_name",
        "string",
        "main ICB",
        "the ICB serving most of the area's LSOAs",
        source=ICB,
    ),
    F(
        ICB_FACTOR(screened=True, profile=True, defaults=("screen-2023",)),
        "main_icb_share",
        "float64",
        "main ICB's share of the area",
        "share of the area's LSOAs served by its main ICB",
        unit="share 0-1",
        source=ICB,
        check=("in_range", 0, 1),
    ),
    F(
        ICB_FACTOR(),
        "main_sub_icb_share",
        "float64",
        "main sub-ICB location's share of the area",
        "share of the area's LSOAs served by its main sub-ICB location (for report 06's sliver rule)",
        unit="share 0-1",
        source=ICB,
        check=("in_range", 0, 1),
    ),
    F(
        ICB_FACTOR(screened=True, profile=True, defaults=("screen-2023",)),
        "icb_n_areas",
        "Int64",
        "local areas sharing the main ICB",
        "number of SEND local areas whose main ICB is this area's main ICB (1: the ICB serves this area alone)",
        unit="count",
        source=ICB,
        check=("in_range", 1, 20),
    ),
    F(
        Factor("dmo_dco_reason", DMO_FILES),
        "dmo_dco_year",
        "Int64",
        "SEN2 year used for DMO/DCO",
        "SEN2 year (January census) used: latest at or before the inspection year",
        unit="year",
        source="DfE SEN2 DMO/DCO file",
    ),
    *(
        F(
            Factor("dmo_dco_reason", DMO_FILES, screened=True, checked=k == "m", defaults=BOTH_SCREENS),
            f"d{k}o_in_post",
            "string",
            f"designated {role} officer in post",
            f"designated {role} officer in post: Yes / No / Recruiting",
            source="DfE SEN2 DMO/DCO file",
            check=("isin", ["Yes", "No", "Recruiting"]),
        )
        for k, role in (("m", "medical"), ("c", "clinical"))
    ),
    C(
        "dmo_dco_reason",
        "string",
        "why DMO/DCO is missing",
        "why DMO/DCO is missing (not_collected_yet before 2019; no_match)",
        source="derived",
        check=("isin", list(REASONS)),
    ),
    F(
        Factor("ehcp_20wk_pct_reason", SEN2_FILES),
        "ehcp_year",
        "Int64",
        "EHC-plan figures year",
        "calendar year of the EHC-plan figures: the year before the inspection started",
        unit="year",
        source=SEN2,
    ),
    F(
        Factor(
            "ehcp_20wk_pct_reason",
            SEN2_FILES,
            kind="mediator",
            screened=True,
            profile=True,
            checked=True,
            defaults=EVERY_LIST,
            better="higher",  # the 20-week limit is statutory (SEND Regulations 2014, reg. 13)
        ),
        "ehcp_20wk_pct",
        "float64",
        "% new EHC plans within 20 weeks (year before)",
        "% of new EHC plans issued within 20 weeks, excluding exceptions",
        unit="%",
        source=SEN2,
        check=("in_range", 0, 100),
    ),
    _reason("ehcp_20wk_pct_reason", "the 20-week rate"),
    F(
        Factor("ehcp_20wk_inc_exc_pct_reason", SEN2_FILES),
        "ehcp_20wk_inc_exc_pct",
        "float64",
        "% new EHC plans within 20 weeks, incl. exceptions",
        "% of new EHC plans issued within 20 weeks, including exceptions",
        unit="%",
        source=SEN2,
        check=("in_range", 0, 100),
    ),
    _reason("ehcp_20wk_inc_exc_pct_reason", "the 20-week rate including exceptions"),
    F(
        Factor(
            "ehcp_20wk_change_2y_reason",
            SEN2_FILES,
            screened=True,
            profile=True,
            checked=True,
            defaults=("screen-2016", "screen-2023"),
            better="higher",
        ),
        "ehcp_20wk_change_2y",
        "float64",
        "change in the 20-week rate over two years (pp)",
        "the 20-week rate minus its value two years earlier",
        unit="percentage points",
        source=SEN2,
        check=("in_range", -100, 100),
    ),
    _reason("ehcp_20wk_change_2y_reason", "the two-year change"),
    F(
        Factor("ehcp_per_1000_reason", ZIP_FILES, screened=True, profile=True, checked=True, defaults=("screen-2023",)),
        "ehcp_per_1000_0_25",
        "float64",
        "EHC plans per 1,000 aged 0-25",
        "EHC plans in the January census of the inspection year (latest at or before it, from 2019) per 1,000"
        " population aged 0-25 (the D2I lookup's single ONS estimate, year not stated: a cross-sectional denominator)",
        unit="per 1,000",
        source="DfE EHC plans 2025 release (caseload.csv); D2I LA lookup",
        check=("in_range", 0, 1000),
    ),
    F(
        Factor("ehcp_per_1000_reason", ZIP_FILES),
        "ehcp_caseload_year",
        "Int64",
        "EHC-plan census year",
        "year of the January census used for EHC plans per 1,000",
        unit="year",
        source="DfE EHC plans 2025 release (caseload.csv)",
    ),
    _reason("ehcp_per_1000_reason", "EHC plans per 1,000"),
    F(
        Factor("appeal_reason", ZIP_FILES),
        "appeals_year",
        "Int64",
        "appeals year",
        "calendar year of the appeal figures: the year before the inspection started",
        unit="year",
        source=APPEALS,
    ),
    F(
        Factor(
            "appeal_reason",
            ZIP_FILES,
            kind="mediator",
            screened=True,
            profile=True,
            checked=True,
            defaults=EVERY_LIST,
        ),
        "appeal_rate",
        "float64",
        "SEND Tribunal appeal rate % (year before)",
        "SEND Tribunal appeals registered / total appealable decisions x"
        " 100 (recomputed from the counts; the published rate is rounded)",
        unit="%",
        source=APPEALS,
        check=("in_range", 0, 100),
    ),
    F(
        Factor("appeal_reason", ZIP_FILES),
        "appeals_registered",
        "float64",
        "SEND Tribunal appeals registered",
        "number of SEND Tribunal appeals registered in the appeals year",
        unit="count",
        source=APPEALS,
    ),
    _reason("appeal_reason", "the appeal rate"),
    F(
        Factor(
            "imd_reason",
            IMD_FILES,
            kind="confounder",
            screened=True,
            profile=True,
            defaults=EVERY_LIST,
        ),
        "imd_share_most_deprived_decile",
        "float64",
        "share of LSOAs in the most deprived IMD decile",
        "share of the area's LSOAs in the most deprived national IMD 2019 decile",
        unit="share 0-1",
        source=IMD,
        check=("in_range", 0, 1),
    ),
    F(
        Factor("imd_reason", IMD_FILES, screened=True, profile=True),
        "imd_mean_rank",
        "float64",
        "mean IMD rank of LSOAs (higher = less deprived)",
        "mean IMD 2019 rank of the area's LSOAs (1 = most deprived of 32,844)",
        unit="rank",
        source=IMD,
        check=("in_range", 1, 32844),
    ),
    F(
        Factor("imd_reason", IMD_FILES, checked=True),
        "imd_quintile",
        "Int64",
        "IMD quintile (1 = most deprived)",
        "national quintile of upper-tier areas on the share in the most deprived decile (1 = most deprived)",
        unit="quintile",
        source=IMD,
        check=("in_range", 1, 5),
    ),
    _reason("imd_reason", "IMD"),
    F(
        Factor("dsg_reason", DSG_FILES, ONLY_2016),
        "dsg_fy_end",
        "Int64",
        "DSG financial year (ending March)",
        "financial year of the DSG figure, by the year of its 31 March end: the last that ended before the inspection",
        unit="year",
        source=DSG,
    ),
    F(
        Factor(
            "dsg_reason",
            DSG_FILES,
            ONLY_2016,
            screened=True,
            profile=True,
            checked=True,
            defaults=SCREEN_2016,
            better="lower",
        ),
        "dsg_deficit_pct",
        "float64",
        "DSG deficit as % of DSG income (last year ended)",
        "cumulative dedicated schools grant deficit as a % of total DSG income"
        " (positive = in deficit; mostly high-needs, i.e. SEND, spending)",
        unit="%",
        source=DSG,
        check=("in_range", -100, 100),
    ),
    _reason("dsg_reason", "the DSG deficit"),
    _reason("lookup_reason", "the area's type or population"),
    F(
        Factor("lookup_reason", LOOKUP_FILES, kind="confounder"),
        "area_type",
        "string",
        "area type",
        "the inspected council's type at the inspection: county, unitary authority, metropolitan district or London"
        " borough (ONS type in the Data to Insight lookup, which gives the type now, corrected as at the inspection:"
        " Buckinghamshire, North Yorkshire and Somerset are counties before they became unitary; the former Dorset,"
        " Northamptonshire and Cumbria counties; Cumberland and Westmorland and Furness unitary)",
        source=D2I,
        check=("isin", ["county", "unitary authority", "metropolitan district", "London borough"]),
    ),
    F(
        Factor("lookup_reason", LOOKUP_FILES, kind="confounder", profile=True),
        "population_0_25",
        "Int64",
        "population aged 0-25",
        "ONS population estimate aged 0-25 in the Data to Insight lookup: one estimate whose year the lookup does"
        " not state, the same for every inspection of a council; for a council that no longer exists or was created"
        " in 2023 (the former Dorset and Northamptonshire, Cumberland, Westmorland and Furness) today's councils'"
        " estimates apportioned by the share of their April 2021 LSOAs inside it",
        unit="people",
        source=D2I,
        check=("ge", 0),
    ),
)


# everything below is read from the factor declarations (F) above
FACTOR_COLUMNS = {c.name: c for c in FACTORS if c.factor is not None}


# a value is present or its reason is: (value column, reason column)
REASONED = tuple((n, c.factor.reason) for n, c in FACTOR_COLUMNS.items() if c.factor.checked)


FACTOR_REASON = {n: c.factor.reason for n, c in FACTOR_COLUMNS.items()}


FACTOR_VALUES = tuple(FACTOR_COLUMNS)  # factors, not their reasons


FACTOR_REASON_COLUMNS = tuple(dict.fromkeys(FACTOR_REASON.values()))


FACTOR_FILES = tuple(dict.fromkeys(f for c in FACTOR_COLUMNS.values() for f in c.factor.files))


# the columns a factor model adds to the factors (region from the inspection, year from the factor date)
MODEL_EXTRAS = ("region", "inspection_year")


def factor_choices(framework: str) -> list[str]:
    """The factors a screen of ``framework`` may take: declared ``screened`` for it, plus region and year."""
    return [n for n, c in FACTOR_COLUMNS.items() if c.factor.screened and framework in c.factor.frameworks] + list(
        MODEL_EXTRAS
    )


# the reports' default factor lists: the factors declared in each (in declaration order), then what the
# report's own frame adds (the revisit frame's weaknesses and years to revisit; region and year)
DEFAULT_LISTS = {
    "screen-2016": ((), MODEL_EXTRAS),
    "screen-2023": ((), MODEL_EXTRAS),
    "model-2016": ((), ()),
    "revisit-2016": (("n_weaknesses", "years_to_revisit"), ("region",)),
}


def factor_defaults(name: str) -> list[str]:
    """A default factor list of the reports (``DEFAULT_LISTS``), read from the declarations."""
    before, after = DEFAULT_LISTS[name]
    return [*before, *(n for n, c in FACTOR_COLUMNS.items() if name in c.factor.defaults), *after]


def factors_of(*, kind: str | None = None, profile: bool | None = None, framework: str | None = None) -> list[str]:
    """Factor names by declaration: of a ``kind``, shown in the profile, or describing a ``framework``."""
    return [
        n
        for n, c in FACTOR_COLUMNS.items()
        if (kind is None or c.factor.kind == kind)
        and (profile is None or c.factor.profile == profile)
        and (framework is None or framework in c.factor.frameworks)
    ]


def better(name: str) -> str:
    """Which way a factor is better, in words ("higher is better", "lower is better"), or "" where it has none."""
    b = FACTOR_COLUMNS[name].factor.better
    return f"{b} is better" if b else ""
