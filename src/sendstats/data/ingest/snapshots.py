"""Data to Insight's published table of 2023-framework area SEND inspections, saved week by week.

Each saved page lists every area's **latest** inspection only, so a re-inspection replaces the earlier row:
the history is recovered only across pages. A snapshot is one ``index.html`` of the tool's published page
(its table plus the line "Summary data last updated: DD MM YYYY HH:MM", which dates it). The bundled archive
holds 161 of them (Aug 2024 - Jun 2026); ``sendstats data add-snapshot`` adds newer single pages beside it.

The page changed format on 10 Nov 2025 (column order; grades ``1.0`` instead of ``1``) and earlier (a
"Previous Inspection Date" column from 12 Aug 2024): columns are read by header, never by position. Dates are
dd/mm/yy (previous inspection: dd/mm/yyyy); ``01/01/1900`` and empty cells mean none; a grade ``NaN`` means
the outcome was not extracted.
"""

from __future__ import annotations

import re
import tarfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from ...errors import DataError
from ...fileio import read_input

STAMP = re.compile(r"Summary data last updated:\s*(\d{1,2})\s+(\d{1,2})\s+(\d{4})")
# header on the page -> the overview workbook's column name (the readers share one parser)
COLUMNS = {
    "URN": "urn",
    "La Code": "la_code",
    "Region Code": "region_code",
    "LTLA23CD": "ltla23cd",
    "Local Authority": "local_authority",
    "Previous Inspection Date": "previous_inspection_date",
    "Inspection Start Date": "inspection_start_date",
    "Inspection End Date": "inspection_end_date",
    "Outcome Grade": "outcome_grade",
    "Inspection Outcome Text": "inspection_outcome_text",
    "Publication Date": "publication_date",
    "Next Inspection By Date": "next_inspection_by_date",
    "Inspection Link": "inspection_link",
}
REQUIRED = [
    "URN",
    "La Code",
    "Local Authority",
    "Inspection Start Date",
    "Inspection End Date",
    "Outcome Grade",
    "Publication Date",
    "Inspection Link",
]
MAX_PAGE_BYTES = 5 * 1024 * 1024


class _FirstTable(HTMLParser):
    """The first table of a page as a browser builds it: rows of cells (text, or a link cell's target), with
    comments, scripts, styles and templates ignored, and a nested table's content kept inside its cell."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.text: list[str] = []  # the page's visible text, for the 'last updated' line
        self.depth = 0  # tables open (0: outside any; 1: in the first)
        self.done = False
        self.skip = 0
        self.cell: list[str] | None = None
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "table" and not self.done:
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th") and self.rows:
            self._close_cell()
            self.cell, self.href = [], None
        elif tag == "a" and self.cell is not None and self.href is None:
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.depth:
            self.depth -= 1
            if not self.depth:
                self._close_cell()
                self.done = True
        elif self.depth == 1 and tag in ("td", "th", "tr"):
            self._close_cell()

    def _close_cell(self):
        if self.cell is not None and self.rows:
            self.rows[-1].append((self.href if self.href is not None else "".join(self.cell)).strip())
        self.cell = None

    def handle_data(self, data):
        if self.skip:
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


MAX_ROWS = 153  # one row per local area at most: England has 153 under the 2023 framework


def _check_rows(df: pd.DataFrame, when: pd.Timestamp, where) -> None:
    """One row per area, no more rows than areas, and a 'last updated' date no later than today and no earlier
    than any publication date the page lists."""
    if len(df) > MAX_ROWS:
        raise DataError(where, f"{len(df):,} rows: more than the {MAX_ROWS} local areas a page can list")
    code = df["la_code"].str.strip()
    dup = code[code.duplicated(keep=False) & code.ne("")]
    if len(dup):
        first = dup.index[dup == dup.iat[0]]
        name = df.at[first[0], "local_authority"]
        raise DataError(
            where,
            f"the area {name} (La Code {dup.iat[0]}) is listed twice, in table rows {first[0] + 1} and"
            f" {first[1] + 1}; nothing added",
        )
    if when > pd.Timestamp.today().normalize():
        raise DataError(where, f"'Summary data last updated' {when:%d %B %Y} is later than today")
    published = pd.to_datetime(df["publication_date"], format="%d/%m/%y", errors="coerce")
    if published.notna().any() and published.max() > when:
        i = published.idxmax()
        raise DataError(
            where,
            f"'Summary data last updated' {when:%d %B %Y} is earlier than the publication date "
            f"{published[i]:%d %B %Y} it lists (table row {i + 1}, {df.at[i, 'local_authority']})",
        )


def parse_page(html: bytes, where) -> tuple[pd.Timestamp, pd.DataFrame]:
    """One saved page -> (its 'last updated' date, its table as strings with the workbook's column names),
    read as a browser reads it (:class:`_FirstTable`: comments and scripts ignored). Anything else (no table, a
    missing column, no date line, not UTF-8, an area listed twice, more rows than areas, a date later than
    today or earlier than a publication date it lists) is a DataError naming ``where``."""
    if len(html) > MAX_PAGE_BYTES:
        raise DataError(where, f"{len(html):,} bytes is more than a saved outcomes page ({MAX_PAGE_BYTES:,} at most)")
    try:
        text = html.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(where, "not UTF-8 text: expected a saved copy of the published outcomes page") from None
    page = _FirstTable()
    page.feed(text)
    page.close()
    stamp = STAMP.search(" ".join(page.text))
    if not stamp:
        raise DataError(
            where, "no 'Summary data last updated: DD MM YYYY' line: not a saved Data to Insight outcomes page"
        )
    day, month, year = map(int, stamp.groups())
    try:
        when = pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        raise DataError(where, f"'Summary data last updated' date {stamp.group(0)!r} is not a date") from None
    rows = [r for r in page.rows if r]
    if not rows:
        raise DataError(where, "no table with a header row: not a saved Data to Insight outcomes page")
    head, body = rows[0], rows[1:]
    missing = [c for c in REQUIRED if c not in head]
    if missing:
        raise DataError(where, f"the table lacks column(s) {missing}; found {head}")
    for i, cells in enumerate(body, start=1):
        if len(cells) != len(head):
            raise DataError(where, f"{len(cells)} cells where the header has {len(head)}", where=f"table row {i}")
    if not body:
        raise DataError(where, "the table has no rows")
    df = pd.DataFrame(body, columns=head, dtype="string")
    df = df[[c for c in COLUMNS if c in head]].rename(columns=COLUMNS)
    _check_rows(df, when, where)
    return when, df


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """A regular file's bytes from an archive (the caller lists regular files only)."""
    fh = tar.extractfile(member)
    if fh is None:
        raise tarfile.TarError(f"{member.name} is not a regular file")
    return fh.read()


def read_archive(path: Path) -> list[tuple[str, pd.Timestamp, pd.DataFrame]]:
    """Every ``*.html`` page in a .tar.xz archive of snapshots -> (name, date, table) per page."""
    try:
        with tarfile.open(path, "r:*") as tar:
            members = sorted((m for m in tar.getmembers() if m.isfile() and m.name.endswith(".html")), key=str)
            pages = [(m.name, _member_bytes(tar, m)) for m in members]
    except (tarfile.TarError, OSError, EOFError) as e:
        raise DataError(path, f"cannot read as a tar archive of snapshots ({type(e).__name__}: {e})") from None
    if not pages:
        raise DataError(path, "the archive holds no .html snapshot pages")
    return [(Path(name).name, *parse_page(data, f"{path}: {name}")) for name, data in pages]


def read(path: Path) -> list[tuple[str, pd.Timestamp, pd.DataFrame]]:
    """A snapshot file: an archive of pages (.tar.xz) or one saved page -> (name, date, table) per page."""
    path = Path(path)
    return read_archive(path) if path.name.endswith((".tar.xz", ".tar")) else [(path.name, *read_one(path))]


def read_one(path: Path) -> tuple[pd.Timestamp, pd.DataFrame]:
    return parse_page(read_input(path, MAX_PAGE_BYTES, "a saved outcomes page"), path)


SNAPSHOT_ROW = {
    "publisher": "Data to Insight (compiled from Ofsted reports)",
    "original_publication": "Published outcomes page of ofsted-send-scrape-tool, compiled from Ofsted / CQC area SEND"
    " inspection reports",
    "url": "https://github.com/data-to-insight/ofsted-send-scrape-tool",
    "licence": "MIT (compilation); underlying reports Open Government Licence v3.0",
}


def snapshot_dates() -> set[str]:
    """The dates (YYYY-MM-DD) of the snapshots already in ``data/raw/``: in the bundled archive and added
    beside it, each named by its 'last updated' date."""
    from .. import sources
    from ..rawfiles import SNAPSHOTS_DIR

    names = []
    for p in sorted((sources.raw_dir() / SNAPSHOTS_DIR).glob("*")):
        if p.name.endswith((".tar.xz", ".tar")):
            with tarfile.open(p, "r:*") as tar:
                names += [Path(n).name for n in tar.getnames()]
        else:
            names.append(p.name)
    return {m.group(0) for n in names if (m := re.match(r"\d{4}-\d{2}-\d{2}", n))}


def add_snapshot(path) -> tuple[Path, pd.Timestamp, int]:
    """Check a saved copy of Data to Insight's published outcomes page and add it to ``data/raw/`` (beside the
    bundled archive) with a manifest row; the next build includes it. A file in any other format is a
    DataError naming it, and nothing is changed. The file is checked (:func:`~sendstats.fileio.read_input`)
    before it is read, and the check against the data and the manifest row are made under the manifest's lock.
    Returns (where it was written, its date, rows listed)."""
    from .. import sources
    from .d2i import d2i_columns

    path = Path(path)
    data = read_input(path, MAX_PAGE_BYTES, "a saved outcomes page")
    when, df = parse_page(data, path)
    d2i_columns(df, path, "table")  # every value must read as the build will read it
    with sources.manifest_lock():
        return _add_checked(path, data, when, df)


def _add_checked(path: Path, data: bytes, when: pd.Timestamp, df: pd.DataFrame) -> tuple[Path, pd.Timestamp, int]:
    import hashlib

    from .. import sources
    from ..rawfiles import SNAPSHOTS_DIR

    if f"{when:%Y-%m-%d}" in snapshot_dates():
        raise DataError(path, f"a snapshot last updated {when:%d %B %Y} is already in the data; nothing added")
    rel = f"{SNAPSHOTS_DIR}/{when:%Y-%m-%d}_{hashlib.sha256(data).hexdigest()[:8]}.html"
    row = {
        **SNAPSHOT_ROW,
        "title": f"Area SEND inspections under the 2023 framework: saved outcomes page, last updated {when:%d %B %Y}"
        f" ({len(df)} areas, each with its latest inspection)",
    }
    return sources.add(rel, data, row), when, len(df)
