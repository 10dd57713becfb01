"""One home for the raw files' paths inside ``data/raw/`` (as listed in its MANIFEST.csv). Pure data: the
registry and the readers import these names; nothing here imports pandas."""

from __future__ import annotations

ODS_2016 = "ofsted/Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
MI_2023 = "ofsted/area_send_mi_jan_to_aug_2023.csv"
OVERVIEW_2023 = "ofsted/area_send_2023_framework_overview.xlsx"
LA_LOOKUP = "lookups/la_lookup_d2i.csv"
# weekly saved copies of Data to Insight's published outcomes page: the bundled archive, plus single pages
# added with `sendstats data add-snapshot`
SNAPSHOTS_DIR = "ofsted/snapshots_2023_framework"
SUB_ICB_ICB = "lookups/sub_icb_to_icb_july_2022.csv"
REPORTS_2023_DIR = "ofsted/reports_2023_framework"
LETTERS_DIR = "letters"

DMO_DCO = "dfe/sen2_dmo_dco_2019_to_2025.csv"
SEN2_MI = "dfe/sen2_mi_2014_to_2022.csv"
EHCP_ZIP = "dfe/education-health-and-care-plans_2025.zip"
DSG_DEFICIT = "dfe/dsg_deficit_2019_to_2022_derived.xlsx"

CCG_YEARS = range(2016, 2022)


def ccg_lookup_path(year: int) -> str:
    return f"ons/lsoa11_ccg_lad_april_{year}.csv.gz"


COUNTY16, COUNTY20, UTLA19, IMD19 = (
    "ons/lad16_to_county16.csv",
    "ons/lad20_to_county20.csv",
    "ons/ward19_pcon_lad19_utla19.csv.gz",
    "ons/lsoa11_imd2019_lad19.csv.gz",
)

WEAKNESSES = "curated/wsoa_weaknesses.csv"
WSOA_AREAS = "curated/wsoa_areas.csv"
# NHS England's 2015/16 CCG assessment: the CCGs two published lists name as inadequate
CCG_RATINGS = "curated/ccg_inadequate_2015_16.csv"
# values the 2023-framework sources leave out, each with its citation (a written parliamentary answer, ...)
CORRECTIONS_2023 = "curated/corrections_2023.csv"

LAD23_BOUNDARIES = "ons/lad23_boundaries_uk.geojson"
