"""Every processed table: its builder, the raw files and tables it reads, and its columns (the lookups,
the documents and their items, the hand-coded dataset, the CCG shares and the area shapes here; the
inspection tables in :mod:`.inspections` and the factors in :mod:`.factors`)."""

from __future__ import annotations

from .. import rawfiles as rf
from .columns import col
from .factors import FACTOR_FILES, FACTORS
from .fields import APPEALS, CODE_PATTERN, CURATED, D2I, DOCS, LSOA, ODS, SEN2, C, Column, Table
from .inspections import INSPECTIONS_2016, INSPECTIONS_2023

PLACE_NAMES = (
    C(
        "place",
        "string",
        "place",
        "a district (2016 or 2019) or ward (December 2019) name",
        source=LSOA,
        nullable=False,
    ),
    C(
        "place_kind",
        "string",
        "kind of place",
        "district or ward",
        source="derived",
        check=("isin", ["district", "ward"]),
    ),
    col(
        "area_code",
        note="the current local area (May 2023 boundaries) the place lies in: its upper-tier council's, the successor's"
        " where the council was replaced (Northamptonshire's and Cumbria's districts by name; Christchurch: BCP)",
        source="derived",
        nullable=False,
    ),
)


# one row per local authority and calendar year: the two measures the area profiles chart over time
AREA_YEARS = (
    col("la_code", note="9-digit ONS code as DfE published it that year", source=SEN2, nullable=False),
    C("year", "Int64", "year", "calendar year", unit="year", source=SEN2, nullable=False),
    C(
        "ehcp_20wk_pct_in_year",
        "float64",
        "% new EHC plans within 20 weeks",
        "new EHC plans issued within 20 weeks in the calendar year, excluding exceptions, as DfE publishes it",
        unit="%",
        source=SEN2,
        check=("in_range", 0, 100),
    ),
    C(
        "appeal_rate_in_year",
        "float64",
        "SEND Tribunal appeal rate %",
        "SEND Tribunal appeals registered as a % of appealable decisions in the calendar year (from the counts)",
        unit="%",
        source=APPEALS,
    ),
)


LA_LOOKUP = (
    C("la_code_3", "string", "DfE code", "3-digit DfE local authority code", source=D2I, nullable=False, unique=True),
    col("la_code", note="9-digit ONS code (former councils: their 2023 code)", source=D2I),
    C("name", "string", "area", "ONS name of the local authority", source=D2I),
    C("also_known_as", "string", "also known as", "other names of the authority", source=D2I),
    col("ofsted_urn", source=D2I),
    C("region_name", "string", "region", "region name in the lookup", source=D2I),
    C(
        "stat_neighbours_3",
        "string",
        "statistical neighbours",
        "the 10 DfE children's services statistical neighbours, as comma-separated 3-digit codes, nearest first",
        source=D2I,
    ),
    col("population_0_25", note="ONS population estimate aged 0-25 (year not stated)", source=D2I),
    C("la_type", "string", "authority type", "ONS local authority type", source=D2I),
)


# columns the two hand-coded tables share
_CURATED_AREA = col("area", note="area name", source=CURATED, nullable=False)


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
    unit="count",
    source=ODS,
)  # noqa: E501


_MATCHES = C(
    "count_matches_official",
    "boolean",
    "count matches Ofsted's",
    "the number of weaknesses found equals Ofsted's number",
    unit="yes/no",
    source="derived",
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
        unit="count",
        source=CURATED,
        nullable=False,
    ),  # noqa: E501
    C("summary", "string", "weakness", "one-line summary of the significant weakness", source=CURATED, nullable=False),
    C("themes", "object", "themes (hand-coded)", "list of codebook themes assigned by hand", source=CURATED),
    col("source_url", note="where the list of weaknesses was found", source=CURATED),
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
        unit="count",
        source=CURATED,
    ),  # noqa: E501
    C(
        "nweak_found",
        "int64",
        "weaknesses found (as recorded by the coder)",
        "number of weaknesses the coder found",
        unit="count",
        source=CURATED,
    ),  # noqa: E501
    _CURATED_STATUS,
    col("source_url", source=CURATED),
    C("note", "string", "coder's note", "how the list was found or why not", source=CURATED),
    _OFFICIAL,
    C(
        "n_found",
        "int64",
        "weaknesses in the dataset",
        "rows of the area in the weaknesses table",
        unit="count",
        source="derived",
    ),
    _MATCHES,
)


DOCUMENTS = (
    col("source", source=DOCS, nullable=False, unique=True),
    C(
        "framework",
        "string",
        "framework",
        "2016 (letter) or 2023 (report)",
        source=DOCS,
        check=("isin", ["2016", "2023"]),
        nullable=False,
    ),
    col("area", note="area named in the document", source=DOCS),
    col("inspection_start", note="first day of the inspection, as the document gives it", source=DOCS),
    col("inspection_end", note="last day of the inspection, as the document gives it", source=DOCS),
    C("letter_date", "datetime64[ns]", "letter date", "date of the 2016-framework letter", unit="date", source=DOCS),
    C(
        "wsoa_required",
        "boolean",
        "WSoA required (letter)",
        "the letter requires a written statement of action",
        unit="yes/no",
        source=DOCS,
    ),
    col(
        "outcome", dtype="string", note="the report's outcome: positive / inconsistent / systemic_failings", source=DOCS
    ),
    C("icb", "string", "integrated care board", "the ICB named in the report", source=DOCS),
    C(
        "dates_from",
        "string",
        "dates read from",
        "header, or page footer when the header's dates are blank",
        source=DOCS,
    ),
    col("ofsted_urn", note="Ofsted URN from the report's file name (2023 reports)", source=DOCS),
    col(
        "published",
        note="publication date in the report's file name (2023 reports; with the URN it identifies the inspection)",
        source=DOCS,
    ),
    col("n_weaknesses", note="number of significant weaknesses listed", source=DOCS),
    col("n_priority_actions", note="number of areas for priority action listed", source=DOCS),
    C(
        "n_improvements",
        "Int64",
        "areas for improvement",
        "number of areas for improvement listed",
        unit="count",
        source=DOCS,
    ),
)


# columns the document item tables share
_ITEM_NO = C(
    "item_no", "int64", "item number", "position of the item in its list", unit="count", source=DOCS, nullable=False
)


_REPORT_OUTCOME = col("outcome", dtype="string", note="the report's outcome", source=DOCS)


DOCUMENT_ITEMS = (
    col("source", source=DOCS, nullable=False),
    col("area", note="area named in the document", source=DOCS),
    _REPORT_OUTCOME,
    col("kind", source=DOCS, check=("isin", ["weakness", "priority action", "improvement"]), nullable=False),
    _ITEM_NO,
    col("item", source=DOCS, nullable=False),
    col("theme", note="codebook theme matched (other: none matched)", source="sendstats codebook.yaml", nullable=False),
    col("matched", source="sendstats codebook.yaml"),
)


RECOMMENDATIONS = (
    col("source", note="file name of the bundled 2023 report", source=DOCS, nullable=False),
    col("area", note="area named in the report", source=DOCS),
    _REPORT_OUTCOME,
    col(
        "kind",
        note="priority action or improvement",
        source=DOCS,
        check=("isin", ["priority action", "improvement"]),
        nullable=False,
    ),
    _ITEM_NO,
    col("item", note="the text of the recommendation", source=DOCS, nullable=False),
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
        "weakness_row",
        "int64",
        "weakness row",
        "row of the weakness in the weaknesses table",
        unit="count",
        source="derived",
        nullable=False,
    ),
    col("theme", source="sendstats codebook.yaml", nullable=False),
    col("matched", note="the phrase that matched", source="sendstats codebook.yaml"),
)


CCG_SHARES = (
    col("la_code", note="9-digit code of the 2016-framework area (as in the Ofsted file)", source=ODS, nullable=False),
    col(
        "ccg_lookup_year",
        dtype="int64",
        note="year of the 1 April LSOA-CCG lookup in force at the inspection",
        source=LSOA,
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
        unit="count",
        source=LSOA,
    ),
    C("area_lsoas", "int64", "LSOAs in the area", "number of LSOAs in the area", unit="count", source=LSOA),
    C(
        "ccg_lsoas",
        "int64",
        "LSOAs the CCG serves",
        "number of LSOAs the CCG serves in all areas",
        unit="count",
        source=LSOA,
    ),
)


AREA_SHAPES = (
    col(
        "area_code",
        note="9-digit ONS code of the SEND local area (2023 geography; replaced codes harmonised)",
        source="ONS LAD May 2023 boundaries; county lookup April 2020",
        nullable=False,
        unique=True,
    ),
    C(
        "n_districts",
        "int64",
        "districts",
        "number of May 2023 districts the area is made of",
        unit="count",
        source="ONS LAD May 2023 boundaries",
    ),
    C(
        "geometry_wkt",
        "string",
        "boundary",
        "the area's boundary (union of its districts), simplified, WGS84, as WKT",
        unit="WKT",
        source="ONS LAD May 2023 boundaries",
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
