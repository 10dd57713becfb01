"""The table registry: one entry per processed table, and one home for what every column means.

Each :class:`Table` names its builder (``module:function``), the raw files it reads (manifest paths), the
package files it reads (e.g. the codebook) and its columns. Each :class:`Column` carries its type and check
(the pandera schema is made from them), unit, source, a human label and a one-line description. The data
dictionary (``docs/data_dictionary.md``), the export's ``datapackage.json`` and every report header, axis
label and prose name come from here. Result columns of the statistics (odds ratio, q-value, ...) have
their labels in :data:`RESULT_LABELS`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial

from . import rawfiles as rf

CODE_PATTERN = r"^E(06|08|09|10)\d{6}$"
REASONS = ("not_applicable", "suppressed", "not_collected_yet", "not_published_yet", "no_match")
REASON_LABELS = {
    "not_applicable": "not applicable",
    "suppressed": "suppressed by the publisher",
    "not_collected_yet": "not collected yet",
    "not_published_yet": "not published yet (after the source's latest year)",
    "no_match": "no matching row",
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # pandas dtype the schema enforces
    label: str  # human label for headers, axes and prose
    description: str  # one line: what it is
    unit: str = ""
    source: str = ""
    check: tuple = ()  # ("in_range", lo, hi) / ("isin", [...]) / ("matches", regex) / ("ge", x) / ("startswith", s)
    nullable: bool = True
    unique: bool = False
    factor: Factor | None = None  # set for an area factor: its one declaration (see F)


@dataclass(frozen=True)
class Factor:
    """What makes a column an area factor: the column saying why its value is missing, the raw files its
    values come from, the frameworks it describes, its role in the analysis plan (exposure, confounder,
    mediator, descriptive), whether the factor screens offer it, whether an area profile shows it, and whether
    the table checks that each row has the value or its reason."""

    reason: str
    files: tuple
    frameworks: tuple = ("2016", "2023")
    kind: str = "descriptive"
    screened: bool = False
    profile: bool = False
    checked: bool = False
    defaults: tuple = ()  # the reports' default factor lists it is in (DEFAULT_LISTS): "screen-2016", ...
    better: str = ""  # "higher" or "lower" where the sources give the factor a better direction, else ""


@dataclass(frozen=True)
class Table:
    name: str
    builder: str  # "module:function" inside sendstats
    raw: tuple  # manifest paths read
    columns: tuple
    description: str
    package_files: tuple = ()  # files inside the package read by the builder (e.g. letters/codebook.yaml)
    checks: tuple = ()  # names of frame-level checks in FRAME_CHECKS
    unique: tuple = ()
    needs: tuple = field(default=())  # tables the builder is built from: passed to it by name (sendstats.store)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def C(name, dtype, label, description, unit="", source="", check=(), nullable=True, unique=False) -> Column:
    return Column(name, dtype, label, description, unit, source, tuple(check), nullable, unique)


def F(factor: Factor, *args, **kw) -> Column:
    """An area factor's column with its declaration: everything else about the factor is read from here."""
    return dataclasses.replace(C(*args, **kw), factor=factor)


ODS = "Ofsted official statistics ODS, 2016-2022"
NOTES = f"{ODS} (Notes sheet)"
OVERVIEW = "Data to Insight 2023-framework workbook and weekly snapshots"
SNAPSHOTS = "Data to Insight weekly snapshots"
MI = "Ofsted MI, January-August 2023"
LSOA = "ONS LSOA-CCG-LAD lookups 2016-2021"
PLACES = "ONS ward-PCON-LAD-UTLA lookup December 2019; ONS LAD-county lookup April 2016"
ICB = "ONS LSOA-CCG-LAD lookup April 2021; NHS sub-ICB location to ICB lookup July 2022"
SEN2 = "DfE SEN2 2014-2022; 2023-2024 from the 2025 release (timeliness_20_week.csv)"
APPEALS = "DfE/MoJ SEND Tribunal appeal rate 2014-2024 (2025 release)"
DSG = "DfE SEND and AP dashboard, DSG cumulative balance 2019-20 to 2021-22 (section 251 outturn)"
IMD = "MHCLG IMD 2019"
D2I = "Data to Insight LA lookup"
RATING = "NHS England CCG assessment 2015/16 (HSJ and Clarke Willmott lists); ONS LSOA-CCG lookup April 2016"
CURATED = "sendstats hand-coded dataset (curated/)"
DOCS = "bundled inspection letters and 2023-framework reports (text extraction)"

INSPECTIONS_2016 = (
    C(
        "la_code",
        "string",
        "area code",
        "9-digit ONS local authority code as in the Ofsted file (predecessors: the former county's code)",
        source=ODS,
        check=("matches", CODE_PATTERN),
        nullable=False,
        unique=True,
    ),
    C("area", "string", "area", "local area name", source=ODS, nullable=False),
    C("region", "string", "Ofsted region", "Ofsted region", source=ODS, nullable=False),
    C(
        "inspection_start",
        "datetime64[ns]",
        "inspection start",
        "first day of the inspection (empty for predecessors: only the month is published)",
        "date",
        ODS,
    ),
    C("published", "datetime64[ns]", "letter published", "date the inspection letter was published", "date", ODS),
    C("wsoa", "boolean", "WSoA required", "a written statement of action was required", "yes/no", ODS, nullable=False),
    C(
        "n_weaknesses",
        "Int64",
        "significant weaknesses",
        "number of significant weaknesses in the WSoA (empty without a WSoA)",
        "count",
        ODS,
        ("in_range", 1, 20),
    ),
    C(
        "revisit_status",
        "string",
        "revisit status",
        "revisited / not_revisited_yet / not_required",
        source=ODS,
        check=("isin", ["revisited", "not_revisited_yet", "not_required"]),
        nullable=False,
    ),
    C("revisit_start", "datetime64[ns]", "revisit start", "first day of the revisit", "date", ODS),
    C(
        "revisit_published",
        "datetime64[ns]",
        "revisit letter published",
        "date the revisit letter was published",
        "date",
        ODS,
    ),
    C(
        "revisit_outcome",
        "category",
        "progress at revisit",
        "sufficient progress on all (Yes) / some (Some) / none (No) of the weaknesses; ordered No < Some < Yes",
        source=ODS,
    ),
    C(
        "n_weaknesses_progress",
        "Int64",
        "weaknesses with sufficient progress",
        "number of weaknesses with sufficient progress at revisit",
        "count",
        ODS,
        ("ge", 0),
    ),
    C(
        "n_weaknesses_no_progress",
        "Int64",
        "weaknesses without sufficient progress",
        "number of weaknesses without sufficient progress at revisit",
        "count",
        ODS,
        ("ge", 0),
    ),
    C(
        "ofsted_url",
        "string",
        "Ofsted page",
        "URL of the area's Ofsted page (target of column A's hyperlink)",
        "URL",
        ODS,
        ("startswith", "https://reports.ofsted.gov.uk/"),
    ),
    C("ofsted_urn", "Int64", "Ofsted URN", "Ofsted unique reference number, from that URL", source=ODS),
    C(
        "inspection_month",
        "period[M]",
        "inspection month",
        "month of the inspection (the only date published for predecessors)",
        "month",
        NOTES,
    ),
    C(
        "predecessor",
        "bool",
        "former council",
        "Dorset / Northamptonshire: areas that no longer exist (Notes sheet only)",
        "yes/no",
        NOTES,
        nullable=False,
    ),
    C("ceased", "datetime64[ns]", "ceased to exist", "last day the predecessor area existed", "date", NOTES),
    C("revisit_month", "period[M]", "revisit month", "month of a predecessor's revisit", "month", NOTES),
)

INSPECTIONS_2023 = (
    C(
        "la_code",
        "string",
        "area code",
        "9-digit ONS code, via the workbook's 3-digit DfE code and the D2I lookup",
        source=OVERVIEW,
        check=("matches", CODE_PATTERN),
        nullable=False,
    ),
    C("area", "string", "area", "area name (ONS)", source=D2I, nullable=False),
    C("region", "string", "Ofsted region", "Ofsted region", source=OVERVIEW, nullable=False),
    C(
        "inspection_start",
        "datetime64[ns]",
        "inspection start",
        "first day of inspection (Ofsted MI date where it exists)",
        "date",
        f"{OVERVIEW}; {MI}",
    ),
    C("inspection_end", "datetime64[ns]", "inspection end", "last day of inspection", "date", OVERVIEW),
    C(
        "published",
        "datetime64[ns]",
        "report published",
        "date the report was published",
        "date",
        OVERVIEW,
        nullable=False,
    ),
    C(
        "outcome",
        "category",
        "2023 outcome",
        "ordered positive < inconsistent < systemic_failings",
        source=f"{OVERVIEW}; {MI}",
    ),
    C(
        "priority_action_plan",
        "boolean",
        "priority action plan",
        "a priority action plan is required",
        "yes/no",
        f"{MI}; framework rule",
    ),
    C(
        "priority_action_plan_source",
        "string",
        "priority action plan source",
        "ofsted_mi, or framework_rule (systemic failings always require one)",
        source="derived",
    ),
    C(
        "n_priority_actions",
        "Int64",
        "areas for priority action",
        "number of areas for priority action (Ofsted MI, Jan-Aug 2023 only)",
        "count",
        MI,
    ),
    C(
        "previous_inspection_end",
        "datetime64[ns]",
        "previous inspection end",
        "last day of the area's previous inspection",
        "date",
        OVERVIEW,
    ),
    C(
        "next_inspection_by",
        "datetime64[ns]",
        "next inspection due by (source)",
        "the date Data to Insight's table gives as the next inspection's: for widespread or systemic failings the"
        " monitoring inspection's (about 18 months), else the next full inspection's (3 or 5 years)"
        " from the inspection's start, as the table works it out (its latest page listing the inspection); empty"
        " where the table gives none",
        "date",
        SNAPSHOTS,
    ),
    C(
        "next_monitoring_by",
        "datetime64[ns]",
        "monitoring inspection due by",
        "widespread or systemic failings only: a monitoring inspection within about 18 months of the inspection's"
        " start (the source's date; the rule where it gives none)",
        "date",
        SNAPSHOTS,
    ),
    C(
        "next_full_by",
        "datetime64[ns]",
        "next full inspection due by",
        "the next full inspection: within about 5 years (typically positive) or 3 years (inconsistent; widespread or"
        " systemic failings) of the inspection's start (the source's date where it is the full inspection's)",
        "date",
        SNAPSHOTS,
    ),
    C("ofsted_urn", "Int64", "Ofsted URN", "Ofsted unique reference number", source=OVERVIEW),
    C("report_url", "string", "report", "URL of the report PDF", "URL", OVERVIEW),
    C(
        "outcome_text",
        "string",
        "outcome in the report's words",
        "the report's own summary of its outcome and what follows (the next inspection's timing), as Data to"
        " Insight's table gives it (HTML spaces made plain)",
        source=OVERVIEW,
    ),
    C(
        "inspection_number",
        "Int64",
        "inspection number",
        "1 for the area's first inspection under the 2023 framework, 2 for its re-inspection",
        "count",
        "derived",
        ("in_range", 1, 5),
        nullable=False,
    ),
    C(
        "first_snapshot",
        "datetime64[ns]",
        "first seen",
        "date of the first weekly snapshot of Data to Insight's table that lists the inspection",
        "date",
        SNAPSHOTS,
    ),
    C(
        "last_snapshot",
        "datetime64[ns]",
        "last seen",
        "date of the last snapshot that lists it (earlier than the latest: the area was re-inspected since)",
        "date",
        SNAPSHOTS,
    ),
    C("missing_reason", "string", "why missing", "why outcome or dates are missing", source="derived"),
    C(
        "source_note",
        "string",
        "source note",
        "corrections made to the workbook (codes, dates) and why",
        source="derived",
    ),
)


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
        "date",
        "derived",
        nullable=False,
    ),
    F(
        CCG_FACTOR(),
        "ccg_lookup_year",
        "Int64",
        "CCG lookup year",
        "year of the 1 April LSOA-CCG lookup used",
        "year",
        LSOA,
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
        "count",
        LSOA,
    ),
    F(
        CCG_FACTOR(screened=True, profile=True, checked=True, defaults=("screen-2016", "revisit-2016")),
        "n_ccgs",
        "Int64",
        "number of CCGs serving the area",
        "number of CCGs serving any of the area's LSOAs",
        "count",
        LSOA,
        ("in_range", 1, 12),
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
        "share 0-1",
        LSOA,
        ("in_range", 0, 1),
    ),
    F(
        CCG_FACTOR("exposure", screened=True, defaults=("screen-2016", "model-2016", "revisit-2016")),
        "ccg_coterminous",
        "boolean",
        "one CCG, coterminous (no sliver rule)",
        "one CCG serves exactly the area's LSOAs",
        "yes/no",
        LSOA,
    ),
    F(
        CCG_FACTOR(screened=True, defaults=("screen-2016",)),
        "ccg_shared",
        "boolean",
        "main CCG also serves other areas",
        "the main CCG also serves LSOAs of other local areas",
        "yes/no",
        LSOA,
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
        "yes/no",
        RATING,
    ),
    F(
        RATING_FACTOR(),
        "ccg_rated_inadequate_cw",
        "boolean",
        "main CCG rated inadequate (Clarke Willmott's list)",
        "as the main CCG rated inadequate, from Clarke Willmott LLP's list of 25 (it has North Kirklees and lacks"
        " North Hampshire and Northumberland): the plan's sensitivity row",
        "yes/no",
        RATING,
    ),
    F(
        RATING_FACTOR(profile=True),
        "inadequate_ccg_share",
        "float64",
        "share of LSOAs in a CCG rated inadequate (2015/16)",
        "share of the inspected council's LSOAs whose April 2016 CCG NHS England rated inadequate for 2015/16 (HSJ"
        " list)",
        "share 0-1",
        RATING,
        ("in_range", 0, 1),
    ),
    F(
        RATING_FACTOR(),
        "ccg_inadequate_any5",
        "boolean",
        "any CCG holding 5% or more rated inadequate",
        "a CCG holding 5% or more of the area's LSOAs on the April 2016 lookup was rated inadequate for 2015/16"
        " (HSJ list)",
        "yes/no",
        RATING,
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
        "count",
        ICB,
        ("in_range", 1, 6),
    ),
    F(
        ICB_FACTOR("exposure", screened=True, profile=True, defaults=("screen-2023",)),
        "n_sub_icbs",
        "Int64",
        "number of sub-ICB locations serving the area",
        "number of sub-ICB locations (the former CCGs) serving any of the area's LSOAs",
        "count",
        ICB,
        ("in_range", 1, 12),
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
        "share 0-1",
        ICB,
        ("in_range", 0, 1),
    ),
    F(
        ICB_FACTOR(),
        "main_sub_icb_share",
        "float64",
        "main sub-ICB location's share of the area",
        "share of the area's LSOAs served by its main sub-ICB location (for report 06's sliver rule)",
        "share 0-1",
        ICB,
        ("in_range", 0, 1),
    ),
    F(
        ICB_FACTOR(screened=True, profile=True, defaults=("screen-2023",)),
        "icb_n_areas",
        "Int64",
        "local areas sharing the main ICB",
        "number of SEND local areas whose main ICB is this area's main ICB (1: the ICB serves this area alone)",
        "count",
        ICB,
        ("in_range", 1, 20),
    ),
    F(
        Factor("dmo_dco_reason", DMO_FILES),
        "dmo_dco_year",
        "Int64",
        "SEN2 year used for DMO/DCO",
        "SEN2 year (January census) used: latest at or before the inspection year",
        "year",
        "DfE SEN2 DMO/DCO file",
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
        "year",
        SEN2,
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
        "%",
        SEN2,
        ("in_range", 0, 100),
    ),
    _reason("ehcp_20wk_pct_reason", "the 20-week rate"),
    F(
        Factor("ehcp_20wk_inc_exc_pct_reason", SEN2_FILES),
        "ehcp_20wk_inc_exc_pct",
        "float64",
        "% new EHC plans within 20 weeks, incl. exceptions",
        "% of new EHC plans issued within 20 weeks, including exceptions",
        "%",
        SEN2,
        ("in_range", 0, 100),
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
        "percentage points",
        SEN2,
        ("in_range", -100, 100),
    ),
    _reason("ehcp_20wk_change_2y_reason", "the two-year change"),
    F(
        Factor("ehcp_per_1000_reason", ZIP_FILES, screened=True, profile=True, checked=True, defaults=("screen-2023",)),
        "ehcp_per_1000_0_25",
        "float64",
        "EHC plans per 1,000 aged 0-25",
        "EHC plans in the January census of the inspection year (latest at or before it, from 2019) per 1,000"
        " population aged 0-25 (the D2I lookup's single ONS estimate, year not stated: a cross-sectional denominator)",
        "per 1,000",
        "DfE EHC plans 2025 release (caseload.csv); D2I LA lookup",
        ("in_range", 0, 1000),
    ),
    F(
        Factor("ehcp_per_1000_reason", ZIP_FILES),
        "ehcp_caseload_year",
        "Int64",
        "EHC-plan census year",
        "year of the January census used for EHC plans per 1,000",
        "year",
        "DfE EHC plans 2025 release (caseload.csv)",
    ),
    _reason("ehcp_per_1000_reason", "EHC plans per 1,000"),
    F(
        Factor("appeal_reason", ZIP_FILES),
        "appeals_year",
        "Int64",
        "appeals year",
        "calendar year of the appeal figures: the year before the inspection started",
        "year",
        APPEALS,
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
        "%",
        APPEALS,
        ("in_range", 0, 100),
    ),
    F(
        Factor("appeal_reason", ZIP_FILES),
        "appeals_registered",
        "float64",
        "SEND Tribunal appeals registered",
        "number of SEND Tribunal appeals registered in the appeals year",
        "count",
        APPEALS,
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
        "share 0-1",
        IMD,
        ("in_range", 0, 1),
    ),
    F(
        Factor("imd_reason", IMD_FILES, screened=True, profile=True),
        "imd_mean_rank",
        "float64",
        "mean IMD rank of LSOAs (higher = less deprived)",
        "mean IMD 2019 rank of the area's LSOAs (1 = most deprived of 32,844)",
        "rank",
        IMD,
        ("in_range", 1, 32844),
    ),
    F(
        Factor("imd_reason", IMD_FILES, checked=True),
        "imd_quintile",
        "Int64",
        "IMD quintile (1 = most deprived)",
        "national quintile of upper-tier areas on the share in the most deprived decile (1 = most deprived)",
        "quintile",
        IMD,
        ("in_range", 1, 5),
    ),
    _reason("imd_reason", "IMD"),
    F(
        Factor("dsg_reason", DSG_FILES, ONLY_2016),
        "dsg_fy_end",
        "Int64",
        "DSG financial year (ending March)",
        "financial year of the DSG figure, by the year of its 31 March end: the last that ended before the inspection",
        "year",
        DSG,
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
        "%",
        DSG,
        ("in_range", -100, 100),
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
        "people",
        D2I,
        ("ge", 0),
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


PLACE_NAMES = (
    C(
        "place",
        "string",
        "place",
        "a district (2016 or 2019) or ward (December 2019) name",
        source=LSOA,
        nullable=False,
    ),
    C("kind", "string", "kind of place", "district or ward", source="derived", check=("isin", ["district", "ward"])),
    C(
        "area_code",
        "string",
        "area code",
        "the current local area (May 2023 boundaries) the place lies in: its upper-tier council's, the successor's"
        " where the council was replaced (Northamptonshire's and Cumbria's districts by name; Christchurch: BCP)",
        source="derived",
        nullable=False,
    ),
)


# one row per local authority and calendar year: the two measures the area profiles chart over time
AREA_YEARS = (
    C("la_code", "string", "area code", "9-digit ONS code as DfE published it that year", source=SEN2, nullable=False),
    C("year", "Int64", "year", "calendar year", "year", SEN2, nullable=False),
    C(
        "ehcp_20wk_pct_in_year",
        "float64",
        "% new EHC plans within 20 weeks",
        "new EHC plans issued within 20 weeks in the calendar year, excluding exceptions, as DfE publishes it",
        "%",
        SEN2,
        check=("in_range", 0, 100),
    ),
    C(
        "appeal_rate_in_year",
        "float64",
        "SEND Tribunal appeal rate %",
        "SEND Tribunal appeals registered as a % of appealable decisions in the calendar year (from the counts)",
        "%",
        APPEALS,
    ),
)

LA_LOOKUP = (
    C("la_code_3", "string", "DfE code", "3-digit DfE local authority code", source=D2I, nullable=False, unique=True),
    C("la_code", "string", "area code", "9-digit ONS code (former councils: their 2023 code)", source=D2I),
    C("name", "string", "area", "ONS name of the local authority", source=D2I),
    C("also_known_as", "string", "also known as", "other names of the authority", source=D2I),
    C("ofsted_urn", "Int64", "Ofsted URN", "Ofsted unique reference number", source=D2I),
    C("region_name", "string", "region", "region name in the lookup", source=D2I),
    C(
        "stat_neighbours_3",
        "string",
        "statistical neighbours",
        "the 10 DfE children's services statistical neighbours, as comma-separated 3-digit codes, nearest first",
        source=D2I,
    ),
    C(
        "population_0_25",
        "Int64",
        "population aged 0-25",
        "ONS population estimate aged 0-25 (year not stated)",
        "people",
        D2I,
    ),
    C("la_type", "string", "authority type", "ONS local authority type", source=D2I),
)

# columns the two hand-coded tables share
_CURATED_AREA = C("area", "string", "area", "area name", source=CURATED, nullable=False)
_CURATED_STATUS = C(
    "status",
    "string",
    "completeness",
    "complete / partial / not_found: how much of the area's list was found",
    source=CURATED,
    check=("isin", ["complete", "partial", "not_found"]),
)  # noqa: E501
_OFFICIAL = C(
    "n_weaknesses_official",
    "Int64",
    "official number of weaknesses",
    "Ofsted's number of significant weaknesses for the area",
    "count",
    ODS,
)  # noqa: E501
_MATCHES = C(
    "count_matches_official",
    "boolean",
    "count matches Ofsted's",
    "the number of weaknesses found equals Ofsted's number",
    "yes/no",
    "derived",
)  # noqa: E501


def _curated_code(unique: bool) -> Column:
    return C(
        "code",
        "string",
        "area code",
        "9-digit ONS code of the WSoA area",
        source=CURATED,
        check=("matches", CODE_PATTERN),
        nullable=False,
        unique=unique,
    )


WEAKNESSES = (
    _curated_code(unique=False),
    _CURATED_AREA,
    C(
        "weakness_no",
        "Int64",
        "weakness number",
        "number of the weakness within the area's list",
        "count",
        CURATED,
        nullable=False,
    ),  # noqa: E501
    C("summary", "string", "weakness", "one-line summary of the significant weakness", source=CURATED, nullable=False),
    C("themes", "object", "themes (hand-coded)", "list of codebook themes assigned by hand", source=CURATED),
    C("source_url", "string", "source", "where the list of weaknesses was found", "URL", CURATED),
    _CURATED_STATUS,
    _OFFICIAL,
    _MATCHES,
)

WSOA_AREAS = (
    _curated_code(unique=True),
    _CURATED_AREA,
    C(
        "nweak_official",
        "int64",
        "official number (as recorded by the coder)",
        "number of weaknesses the coder read in Ofsted's file",
        "count",
        CURATED,
    ),  # noqa: E501
    C(
        "nweak_found",
        "int64",
        "weaknesses found (as recorded by the coder)",
        "number of weaknesses the coder found",
        "count",
        CURATED,
    ),  # noqa: E501
    _CURATED_STATUS,
    C("source_url", "string", "source", "where the list was found", "URL", CURATED),
    C("note", "string", "coder's note", "how the list was found or why not", source=CURATED),
    _OFFICIAL,
    C("n_found", "int64", "weaknesses in the dataset", "rows of the area in the weaknesses table", "count", "derived"),
    _MATCHES,
)

DOCUMENTS = (
    C(
        "source",
        "string",
        "document",
        "file name of the bundled letter or report",
        source=DOCS,
        nullable=False,
        unique=True,
    ),
    C(
        "framework",
        "string",
        "framework",
        "2016 (letter) or 2023 (report)",
        source=DOCS,
        check=("isin", ["2016", "2023"]),
        nullable=False,
    ),
    C("area", "string", "area", "area named in the document", source=DOCS),
    C(
        "inspection_start",
        "datetime64[ns]",
        "inspection start",
        "first day of the inspection, as the document gives it",
        "date",
        DOCS,
    ),
    C(
        "inspection_end",
        "datetime64[ns]",
        "inspection end",
        "last day of the inspection, as the document gives it",
        "date",
        DOCS,
    ),
    C("letter_date", "datetime64[ns]", "letter date", "date of the 2016-framework letter", "date", DOCS),
    C(
        "wsoa_required",
        "boolean",
        "WSoA required (letter)",
        "the letter requires a written statement of action",
        "yes/no",
        DOCS,
    ),
    C(
        "outcome",
        "string",
        "2023 outcome (report)",
        "the report's outcome: positive / inconsistent / systemic_failings",
        source=DOCS,
    ),
    C("icb", "string", "integrated care board", "the ICB named in the report", source=DOCS),
    C(
        "dates_from",
        "string",
        "dates read from",
        "header, or page footer when the header's dates are blank",
        source=DOCS,
    ),
    C("ofsted_urn", "Int64", "Ofsted URN", "Ofsted URN from the report's file name (2023 reports)", source=DOCS),
    C(
        "published",
        "datetime64[ns]",
        "report published",
        "publication date in the report's file name (2023 reports; with the URN it identifies the inspection)",
        "date",
        DOCS,
    ),
    C(
        "n_weaknesses",
        "Int64",
        "significant weaknesses (letter)",
        "number of significant weaknesses listed",
        "count",
        DOCS,
    ),
    C(
        "n_priority_actions",
        "Int64",
        "areas for priority action",
        "number of areas for priority action listed",
        "count",
        DOCS,
    ),
    C("n_improvements", "Int64", "areas for improvement", "number of areas for improvement listed", "count", DOCS),
)

# columns the document item tables share
_ITEM_NO = C("item_no", "int64", "item number", "position of the item in its list", "count", DOCS, nullable=False)
_REPORT_OUTCOME = C("outcome", "string", "2023 outcome (report)", "the report's outcome", source=DOCS)

DOCUMENT_ITEMS = (
    C("source", "string", "document", "file name of the bundled letter or report", source=DOCS, nullable=False),
    C("area", "string", "area", "area named in the document", source=DOCS),
    _REPORT_OUTCOME,
    C(
        "kind",
        "string",
        "kind of item",
        "weakness (2016 letter), priority action or improvement (2023 report)",
        source=DOCS,
        check=("isin", ["weakness", "priority action", "improvement"]),
        nullable=False,
    ),
    _ITEM_NO,
    C("item", "string", "item", "the text of the item", source=DOCS, nullable=False),
    C(
        "theme",
        "string",
        "theme",
        "codebook theme matched (other: none matched)",
        source="sendstats codebook.yaml",
        nullable=False,
    ),
    C(
        "matched",
        "string",
        "matched phrase",
        "the phrase that matched the theme's pattern",
        source="sendstats codebook.yaml",
    ),
)

RECOMMENDATIONS = (
    C("source", "string", "document", "file name of the bundled 2023 report", source=DOCS, nullable=False),
    C("area", "string", "area", "area named in the report", source=DOCS),
    _REPORT_OUTCOME,
    C(
        "kind",
        "string",
        "kind of item",
        "priority action or improvement",
        source=DOCS,
        check=("isin", ["priority action", "improvement"]),
        nullable=False,
    ),
    _ITEM_NO,
    C("item", "string", "item", "the text of the recommendation", source=DOCS, nullable=False),
    C(
        "responsible_body",
        "string",
        "responsible body",
        "who must act on a 2023 recommendation: local_authority, icb, both or other",
        source=DOCS,
        check=("isin", ["local_authority", "icb", "both", "other"]),
        nullable=False,
    ),
    C(
        "body_from",
        "string",
        "responsible body read from",
        "the report's Responsible body column (paired in order, or one body for all), or the recommendation text",
        source=DOCS,
        nullable=False,
    ),
)

WEAKNESS_CODING = (
    C(
        "item_no",
        "int64",
        "weakness row",
        "row of the weakness in the weaknesses table",
        "count",
        "derived",
        nullable=False,
    ),
    C(
        "theme",
        "string",
        "theme (automatic)",
        "codebook theme matched automatically (other: none matched)",
        source="sendstats codebook.yaml",
        nullable=False,
    ),
    C("matched", "string", "matched phrase", "the phrase that matched", source="sendstats codebook.yaml"),
)

CCG_SHARES = (
    C(
        "la_code",
        "string",
        "area code",
        "9-digit code of the 2016-framework area (as in the Ofsted file)",
        source=ODS,
        nullable=False,
    ),
    C(
        "ccg_lookup_year",
        "int64",
        "CCG lookup year",
        "year of the 1 April LSOA-CCG lookup in force at the inspection",
        "year",
        LSOA,
    ),
    C(
        "ccg_code",
        "string",
        "CCG code",
        "ONS code of a CCG serving at least one of the area's LSOAs",
        source=LSOA,
        nullable=False,
    ),
    C(
        "lsoas_in_area",
        "int64",
        "LSOAs of the area it serves",
        "number of the area's LSOAs the CCG serves",
        "count",
        LSOA,
    ),
    C("area_lsoas", "int64", "LSOAs in the area", "number of LSOAs in the area", "count", LSOA),
    C("ccg_lsoas", "int64", "LSOAs the CCG serves", "number of LSOAs the CCG serves in all areas", "count", LSOA),
)

AREA_SHAPES = (
    C(
        "area_code",
        "string",
        "area code",
        "9-digit ONS code of the SEND local area (2023 geography; replaced codes harmonised)",
        source="ONS LAD May 2023 boundaries; county lookup April 2020",
        nullable=False,
        unique=True,
    ),
    C(
        "n_districts",
        "int64",
        "districts",
        "number of May 2023 districts the area is made of",
        "count",
        "ONS LAD May 2023 boundaries",
    ),
    C(
        "geometry_wkt",
        "string",
        "boundary",
        "the area's boundary (union of its districts), simplified, WGS84, as WKT",
        "WKT",
        "ONS LAD May 2023 boundaries",
    ),
)

# the 2023 inspections: every snapshot, the overview workbook, Ofsted's MI and the lookup (dates of inspections
# the tables leave undated come from the bundled reports, through the documents table)
SRC_2023 = (rf.SNAPSHOTS_DIR + "/", rf.OVERVIEW_2023, rf.MI_2023, rf.LA_LOOKUP, rf.CORRECTIONS_2023)
CURATED_FILES = (rf.WEAKNESSES, rf.WSOA_AREAS)
DOCUMENT_DIRS = (rf.LETTERS_DIR + "/", rf.REPORTS_2023_DIR + "/")  # every manifest file under these is read

TABLES = {
    t.name: t
    for t in (
        Table(
            "inspections_2016",
            "data.tables:inspections_2016",
            (rf.ODS_2016,),
            INSPECTIONS_2016,
            "One row per area inspection under the 2016 framework (149 areas + 2 former councils).",
            checks=("published_after_start", "revisit_counts_add_up", "dated_unless_predecessor"),
        ),
        Table(
            "inspections_2023",
            "data.tables:inspections_2023",
            SRC_2023,
            INSPECTIONS_2023,
            "One row per 2023-framework inspection.",
            checks=("published_after_start_2023", "missing_has_reason"),
            unique=("la_code", "published"),
            needs=("documents",),
        ),
        Table(
            "areas_2016",
            "data.factors:areas_2016",
            FACTOR_FILES,
            INSPECTIONS_2016 + FACTORS,
            "2016-framework inspections with every area factor as at the inspection.",
            checks=("published_after_start", "revisit_counts_add_up", "dated_unless_predecessor", "reasoned"),
            needs=("inspections_2016",),
        ),
        Table(
            "areas_2023",
            "data.factors:areas_2023",
            FACTOR_FILES,
            INSPECTIONS_2023 + FACTORS,
            "2023-framework inspections with every area factor as at the inspection.",
            checks=("published_after_start_2023", "missing_has_reason", "reasoned"),
            unique=("la_code", "published"),
            needs=("inspections_2023",),
        ),
        Table(
            "la_lookup",
            "data.tables:la_lookup",
            (rf.LA_LOOKUP,),
            LA_LOOKUP,
            "Upper-tier local authorities: codes, names, statistical neighbours, population aged 0-25.",
        ),
        Table(
            "place_names",
            "data.tables:place_names",
            (rf.UTLA19, rf.COUNTY16),
            PLACE_NAMES,
            "District and ward names with the current local area each lies in (finding an area by a town).",
        ),
        Table(
            "area_years",
            "data.factors:area_years",
            (rf.SEN2_MI, rf.EHCP_ZIP, rf.LA_LOOKUP),
            AREA_YEARS,
            "Each local authority's 20-week rate and SEND Tribunal appeal rate by calendar year (profile trends).",
            unique=("la_code", "year"),
        ),
        Table(
            "weaknesses",
            "letters.codes:read_weaknesses",
            CURATED_FILES,
            WEAKNESSES,
            "Hand-coded significant weaknesses of 2016-framework WSoAs, one row per weakness.",
            package_files=("letters/codebook.yaml",),
            needs=("inspections_2016",),
        ),
        Table(
            "wsoa_areas",
            "letters.codes:read_wsoa_areas",
            CURATED_FILES,
            WSOA_AREAS,
            "The WSoA areas of the hand-coded dataset, with completeness and a check against Ofsted's counts.",
            needs=("inspections_2016",),
        ),
        Table(
            "documents",
            "letters.bundled:documents_table",
            DOCUMENT_DIRS,
            DOCUMENTS,
            "One row per bundled inspection letter (2016) or report (2023): what was extracted from it.",
        ),
        Table(
            "document_items",
            "letters.bundled:document_items_table",
            DOCUMENT_DIRS,
            DOCUMENT_ITEMS,
            "Weaknesses (letters) and recommendations (reports), one row per item and theme, coded with the codebook.",
            package_files=("letters/codebook.yaml",),
        ),
        Table(
            "recommendations",
            "letters.bundled:recommendations_table",
            DOCUMENT_DIRS,
            RECOMMENDATIONS,
            "Every recommendation of the bundled 2023 reports, once, with its responsible body (LA, ICB, both, other).",
        ),
        Table(
            "ccg_shares_2016",
            "data.geography:ccg_shares",
            (*[rf.ccg_lookup_path(y) for y in rf.CCG_YEARS], rf.COUNTY16, rf.COUNTY20, rf.UTLA19),
            CCG_SHARES,
            "Each CCG serving each 2016-framework area at its inspection, with LSOA counts (for sliver rules).",
            needs=("inspections_2016",),
        ),
        Table(
            "area_shapes",
            "data.geography:area_shapes",
            (rf.LAD23_BOUNDARIES, rf.COUNTY20),
            AREA_SHAPES,
            "England's SEND local areas on the May 2023 geography, for maps.",
        ),
        Table(
            "weakness_coding",
            "letters.bundled:weakness_coding_table",
            (),
            WEAKNESS_CODING,
            "The hand-coded weaknesses coded automatically with the codebook (for agreement).",
            package_files=("letters/codebook.yaml",),
            needs=("weaknesses",),
        ),
    )
}

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


def value_label(value) -> str:
    """Human form of a coded value (reasons and outcome codes)."""
    from ..vocabulary import OUTCOME_LEVELS

    text = {
        **REASON_LABELS,
        **dict(zip(OUTCOME_LEVELS, ["typically positive", "inconsistent", "widespread or systemic failings"])),
        "not_revisited_yet": "not revisited yet",
        "not_required": "not required",
        "local_authority": "local authority",
        "icb": "integrated care board",
        "both": "local authority and ICB",
    }
    text.update(THEME_LABELS)
    return text.get(value, value) if isinstance(value, str) else value


# --- the pandera schema, made from the registry ----------------------------------------------------------
def _frame_checks(pa):
    def after(d):
        return d["published"].isna() | (d["published"] >= d["inspection_start"])

    def revisit_sum(d):
        return d["n_weaknesses_progress"] + d["n_weaknesses_no_progress"]

    return {
        "published_after_start": pa.Check(after, name="published_after_start"),
        "revisit_counts_add_up": pa.Check(
            lambda d: revisit_sum(d).isna() | (revisit_sum(d) == d["n_weaknesses"]), name="revisit_counts_add_up"
        ),
        "dated_unless_predecessor": pa.Check(
            lambda d: d["predecessor"] | d["inspection_start"].notna(), name="dated_unless_predecessor"
        ),
        "published_after_start_2023": pa.Check(
            lambda d: d["inspection_start"].isna() | (d["published"] > d["inspection_start"]),
            name="published_after_start",
        ),
        "missing_has_reason": pa.Check(
            lambda d: d["missing_reason"].notna() | (d["outcome"].notna() & d["inspection_start"].notna()),
            name="missing_has_reason",
        ),
        "reasoned": [
            pa.Check(lambda d, v=v, r=r: d[v].notna() | d[r].notna(), name=f"{v}_or_{r}") for v, r in REASONED
        ],
    }


def _check(pa, spec):
    if not spec:
        return []
    kind, *args = spec
    return [
        {
            "in_range": lambda: pa.Check.in_range(*args),
            "isin": lambda: pa.Check.isin(args[0]),
            "matches": lambda: pa.Check.str_matches(args[0]),
            "ge": lambda: pa.Check.ge(args[0]),
            "startswith": lambda: pa.Check.str_startswith(args[0]),
        }[kind]()
    ]


def schema(name: str):
    """The pandera DataFrameSchema of a registered table."""
    import pandera.pandas as pa

    t = TABLES[name]
    frame = _frame_checks(pa)
    checks: list = []
    for c in t.checks:
        checks += frame[c] if isinstance(frame[c], list) else [frame[c]]
    cols = {
        c.name: pa.Column(
            None if c.dtype in ("object", "period[M]") else c.dtype,
            _check(pa, c.check),
            nullable=c.nullable,
            unique=c.unique,
            required=True,
        )
        for c in t.columns
    }
    return pa.DataFrameSchema(cols, checks=checks, unique=list(t.unique) or None, strict=True)


# --- the data dictionary --------------------------------------------------------------------------------
# how the data dictionary names each storage type (a reader's word, not pandas's)
TYPE_WORDS = {
    "string": "text",
    "object": "list of codes",
    "category": "code (one of a fixed list)",
    "Int64": "whole number",
    "int64": "whole number",
    "float64": "decimal number",
    "bool": "yes/no",
    "boolean": "yes/no",
    "datetime64[ns]": "date",
    "period[M]": "month",
}


def type_word(c: Column) -> str:
    """A column's type as the data dictionary names it."""
    return TYPE_WORDS[c.dtype]


def _corrections() -> list[tuple]:
    """The curated corrections (area code, inspection published, field, value, source, URL), for the dictionary."""
    from . import rawfiles, sources
    from .ingest.ofsted import read_corrections

    c = read_corrections(sources.raw_path(rawfiles.CORRECTIONS_2023))
    return [(r.la_code, f"{r.published:%Y-%m-%d}", r.field, r.value, r.source, r.source_url) for r in c.itertuples()]


def dictionary_markdown() -> str:
    out = [
        "# Data dictionary",
        "",
        "Generated from the table registry (`sendstats.registry`) by `sendstats.registry.dictionary_markdown()`; "
        "a test fails when this file is stale. Each table is a file in `data/processed/` and in "
        "`sendstats data export`.",
        "",
    ]
    for t in TABLES.values():
        out += [
            f"## `{t.name}`",
            "",
            t.description,
            "",
            "Raw files: "
            + (", ".join(f"`{r}`" for r in t.raw) or "none of its own")
            + "."
            + (" Built from: " + ", ".join(f"`{n}`" for n in t.needs) + "." if t.needs else ""),
            "",
            "| column | label | type | unit | description | source |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| `{c.name}` | {c.label} | {type_word(c)} | {c.unit} | {c.description} | {c.source} |" for c in t.columns
        ]
        out.append("")
    out += [
        "## Corrections applied",
        "",
        "Values the published sources leave out, filled in `inspections_2023` from "
        "`data/raw/curated/corrections_2023.csv`, each with its source (also in the row's `source_note`).",
        "",
        "| area code | inspection published | field | value | source |",
        "|---|---|---|---|---|",
    ]
    out += [f"| {a} | {p} | `{f}` | {v} | [{s}]({u}) |" for a, p, f, v, s, u in _corrections()]
    out.append("")
    return "\n".join(out)


def dictionary_html() -> str:
    """The data dictionary's content (escaped): the ``<main>`` element of the site's dictionary page (the renderer
    gives it the page's frame)."""
    import html

    e = html.escape
    parts = ["<main><h1>Data dictionary</h1><p>Every processed table, from the table registry.</p>"]
    for t in TABLES.values():
        parts.append(
            f'<h2 id="{e(t.name)}">{e(t.name)}</h2><p>{e(t.description)} Raw files: '
            f"{e(', '.join(t.raw) or 'none of its own')}."
            + (f" Built from: {e(', '.join(t.needs))}." if t.needs else "")
            + f' Download: <a href="{e(t.name)}.csv">{e(t.name)}.csv</a></p>'
            "<table><thead><tr><th>column</th><th>label</th><th>type</th><th>unit</th><th>description</th>"
            "<th>source</th></tr></thead><tbody>"
        )
        parts += [
            f"<tr><td><code>{e(c.name)}</code></td><td>{e(c.label)}</td><td>{e(type_word(c))}</td><td>{e(c.unit)}</td>"
            f"<td>{e(c.description)}</td><td>{e(c.source)}</td></tr>"
            for c in t.columns
        ]
        parts.append("</tbody></table>")
    parts.append(
        '<h2 id="corrections">Corrections applied</h2><p>Values the published sources leave out, filled in'
        " inspections_2023 from data/raw/curated/corrections_2023.csv, each with its source (also in the row's"
        " source note).</p><table><thead><tr><th>area code</th><th>inspection published</th><th>field</th>"
        "<th>value</th><th>source</th></tr></thead><tbody>"
    )
    parts += [
        f'<tr><td>{e(a)}</td><td>{e(p)}</td><td><code>{e(f)}</code></td><td>{e(v)}</td><td><a href="{e(u)}">'
        f"{e(s)}</a></td></tr>"
        for a, p, f, v, s, u in _corrections()
    ]
    parts.append("</tbody></table></main>")
    return "".join(parts)
