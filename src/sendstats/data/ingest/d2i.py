"""Data to Insight's columns, shared by its overview workbook and its saved pages: names, codes and types."""

from __future__ import annotations

import pandas as pd

from ...errors import DataError
from ...vocabulary import OUTCOME_LEVELS, REGIONS
from ._common import dates

# Region codes in the Data to Insight workbook -> Ofsted's regions (Ofsted combines NE with Yorkshire)
REGION_CODES = {
    "EM": "East Midlands",
    "E": "East of England",
    "GL": "London",
    "NE": REGIONS[3],
    "YH": REGIONS[3],
    "NW": "North West",
    "SE": "South East",
    "SW": "South West",
    "WM": "West Midlands",
}
NO_VALUE = {"", "nan", "NaN", "None", "01/01/1900"}  # Data to Insight: 01/01/1900 means no date
# what the pages' "Next Inspection By Date" holds when the tool could not work a date out
NO_NEXT_DATE = {"Last inspection date not provided", "Next inspection time frame not found"}


def outcome_sentences(text: str) -> str | None:
    """The source's outcome text as the report's summary of its outcome: HTML entities, non-breaking and
    repeated spaces made plain; the sentences about what comes next are kept as written. The scraper's
    "Inspection outcome section not found." is no text (None)."""
    import html
    import re

    plain = re.sub(r"\s+", " ", html.unescape(str(text)).replace("\xa0", " ")).strip()
    return None if plain.lower().startswith("inspection outcome section not found") else plain


def d2i_columns(df: pd.DataFrame, path, where: str) -> pd.DataFrame:
    """Data to Insight's columns (the overview workbook's names; strings) -> typed columns. Dates are dd/mm/yy
    (previous inspection dd/mm/yyyy); 01/01/1900 or an empty cell means none; a grade must be 1, 2 or 3
    (``1.0`` after Nov 2025)."""
    df = df.astype("string").apply(lambda c: c.str.strip()).replace(list(NO_VALUE), pd.NA)
    grade = pd.to_numeric(df["outcome_grade"], errors="coerce")
    bad = df["outcome_grade"].notna() & ~grade.isin([1, 2, 3])
    if bad.any():
        raise DataError(
            path,
            f"outcome grade must be 1, 2 or 3, got {df['outcome_grade'][bad].iloc[0]!r}",
            where=f"{where}, column 'outcome_grade', row {bad.idxmax()}",
        )
    unknown = set(df["region_code"].dropna()) - set(REGION_CODES) if "region_code" in df else set()
    if unknown:
        raise DataError(path, f"unknown region code(s) {sorted(unknown)}", where=f"{where}, column 'region_code'")
    if df["publication_date"].isna().any():
        raise DataError(
            path,
            "an inspection without a publication date",
            where=f"{where}, row {df['publication_date'].isna().idxmax()}",
        )
    none = pd.Series(pd.NA, index=df.index, dtype="string")
    prev = df["previous_inspection_date"] if "previous_inspection_date" in df else none
    due = df["next_inspection_by_date"].replace(list(NO_NEXT_DATE), pd.NA) if "next_inspection_by_date" in df else none
    return pd.DataFrame(
        {
            "la_code_3": df["la_code"],
            "ltla23cd": df["ltla23cd"] if "ltla23cd" in df else pd.NA,
            "name": df["local_authority"],
            "ofsted_urn": pd.to_numeric(df["urn"], errors="coerce").astype("Int64"),
            "region": df["region_code"].map(REGION_CODES).astype("string") if "region_code" in df else pd.NA,
            "inspection_start": dates(
                df["inspection_start_date"], path, f"{where}, column 'inspection_start_date'", "%d/%m/%y"
            ),
            "inspection_end": dates(
                df["inspection_end_date"], path, f"{where}, column 'inspection_end_date'", "%d/%m/%y"
            ),
            "published": dates(df["publication_date"], path, f"{where}, column 'publication_date'", "%d/%m/%y"),
            "previous_inspection_end": dates(prev, path, f"{where}, column 'previous_inspection_date'", "%d/%m/%Y"),
            "next_inspection_by": dates(due, path, f"{where}, column 'next_inspection_by_date'", "%d/%m/%y"),
            "outcome": pd.Categorical(
                grade.map(dict(zip([1, 2, 3], OUTCOME_LEVELS))), categories=OUTCOME_LEVELS, ordered=True
            ),
            "report_url": df["inspection_link"].astype("string"),
            "outcome_text": (
                df["inspection_outcome_text"].map(outcome_sentences, na_action="ignore").astype("string")
                if "inspection_outcome_text" in df
                else none
            ),
        }
    )
