"""What a column, an area factor and a table are (their named fields), the missing-value reasons, and the
sources columns cite. Every declaration in the registry is made of these."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

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
    needs: tuple = field(default=())  # tables the builder is built from: passed to it by name (sendstats.data.store)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def C(
    name: str,
    dtype: str,
    label: str,
    description: str,
    *,
    unit: str = "",
    source: str = "",
    check=(),
    nullable: bool = True,
    unique: bool = False,
) -> Column:
    """A column held by one table only, declared where the table lists it (a column that more than one table
    holds is declared once in :mod:`.columns`): name, storage type, human label and description, then the
    named fields."""
    return Column(
        name=name,
        dtype=dtype,
        label=label,
        description=description,
        unit=unit,
        source=source,
        check=tuple(check),
        nullable=nullable,
        unique=unique,
    )


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
