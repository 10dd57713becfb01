"""Ofsted / CQC area SEND inspection outcomes: the 2016-framework official statistics (ODS) and the
2023-framework data (Ofsted MI CSV + Data to Insight overview workbook)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from odf.opendocument import load as odf_load
from odf.table import Table, TableCell, TableRow

from ...errors import DataError
from ...vocabulary import OUTCOME_LEVELS, REGIONS, REVISIT_LEVELS
from ..boundaries import PREDECESSORS
from ..names import normalise
from ..rawfiles import LA_LOOKUP, MI_2023, ODS_2016, OVERVIEW_2023  # noqa: F401 (re-exported)
from ..registry.fields import CODE_PATTERN
from ._common import counts, dates, read_csv, read_sheet, require_columns, require_rows, yes_no
from .d2i import d2i_columns

SHEET_2016 = "Area_SEND_up_to_31_Aug_2022"
COLUMNS_2016 = {
    "Web link to Ofsted local authority webpage": "ofsted_link_text",
    "Local authority code": "la_code",
    "Area name": "area",
    "Ofsted region": "region",
    "Inspection start date": "inspection_start",
    "Inspection publication date": "published",
    "Inspection outcome: written statement of action required?": "wsoa",
    "Number significant weaknesses identified in written statement of action": "n_weaknesses",
    "Revisit start date": "revisit_start",
    "Revisit publication date": "revisit_published",
    "Revisit outcome: sufficient progress in addressing all significant weaknesses?": "revisit_outcome",
    "Number significant weaknesses where sufficient progress has been made": "n_weaknesses_progress",
    "Number significant weaknesses where sufficient progress has not been made": "n_weaknesses_no_progress",
}
CODE_RE = re.compile(CODE_PATTERN)


def _check_codes(codes: pd.Series, path, where) -> None:
    bad = ~codes.astype("string").fillna("").str.match(CODE_RE.pattern)
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            path, f"expected a 9-digit ONS local authority code, got {codes[i]!r}", where=f"{where}, row {i}"
        )


def _ods_hyperlinks(path: Path, sheet: str) -> list[tuple[str, str | None]]:
    """Targets of column A's HYPERLINK formulas, one per non-empty data row (odfpy; calamine cannot see them)."""
    try:
        doc = odf_load(str(path))
    except Exception as e:
        raise DataError(path, f"cannot open as ODS to read hyperlinks ({type(e).__name__}: {e})") from None
    tables = [t for t in doc.spreadsheet.getElementsByType(Table) if t.getAttribute("name") == sheet]
    if not tables:
        raise DataError(path, f"sheet {sheet!r} not found")
    links: list[tuple[str, str | None]] = []
    for row in tables[0].getElementsByType(TableRow):
        cells = row.getElementsByType(TableCell)
        if len(cells) < 2:
            continue
        code = str(cells[1]).strip()
        if CODE_RE.match(code):
            m = re.search(r'HYPERLINK\("([^"]+)"', cells[0].getAttribute("formula") or "")
            links.append((code, m.group(1) if m else None))
    return links


def _parse_notes(path: Path) -> pd.DataFrame:
    """Dorset and Northamptonshire, from the Notes sheet's sentences."""
    notes = read_sheet(path, "Notes", header=None)
    text = " ".join(str(v) for v in notes.iloc[:, -1].dropna())
    rows = []
    for name, fixed in PREDECESSORS.items():
        m = re.search(rf"{name} were inspected in (\w+ \d{{4}}) and (required a WSoA|did not require a WSoA)", text)
        end = re.search(
            rf"{name} were inspected.{{0,300}}?(?:came into effect|were established) on 1st (\w+ \d{{4}})", text
        )
        if not m or not end:
            raise DataError(
                path, f"cannot find the sentence describing {name}'s inspection and replacement", where="sheet 'Notes'"
            )
        rev = re.search(
            rf"{name} were inspected.{{0,200}}?revisit took place in (\w+"
            rf" \d{{4}}).{{0,120}}?progress in addressing (some|all|no) significant",
            text,
        )
        rows.append(
            {
                "la_code": fixed["la_code"],
                "area": name,
                "region": fixed["region"],
                "inspection_month": pd.Period(pd.to_datetime(m.group(1), format="%B %Y"), "M"),
                "wsoa": m.group(2).startswith("required"),
                "revisit_month": pd.Period(pd.to_datetime(rev.group(1), format="%B %Y"), "M") if rev else pd.NaT,
                "revisit_outcome": {"some": "Some", "all": "Yes", "no": "No"}[rev.group(2)] if rev else None,
                "ceased": pd.to_datetime(end.group(1), format="%B %Y") - pd.Timedelta(days=1),
                "predecessor": True,
            }
        )
    return pd.DataFrame(rows)


def read_2016(path: Path) -> pd.DataFrame:
    """The 2016-2022 official statistics ODS -> one row per area (149) plus the 2 predecessor areas.

    Columns: see ``COLUMNS_2016`` values, plus ``revisit_status`` (revisited / not_revisited_yet /
    not_required), ``ofsted_url``, ``ofsted_urn``, ``inspection_month``, ``predecessor``, ``ceased``.
    """
    raw = read_sheet(path, SHEET_2016, header=4)
    require_columns(raw, COLUMNS_2016, path, where=f"sheet {SHEET_2016!r}, header row 5")
    df = raw[list(COLUMNS_2016)].rename(columns=COLUMNS_2016)
    df = df[df["la_code"].notna()].reset_index(drop=True)
    where = f"sheet {SHEET_2016!r}"
    _check_codes(df["la_code"], path, f"{where}, column 'Local authority code'")
    if df["la_code"].duplicated().any():
        raise DataError(path, f"duplicated LA code {df['la_code'][df['la_code'].duplicated()].iloc[0]}", where=where)
    unknown = set(df["region"]) - set(REGIONS)
    if unknown:
        raise DataError(path, f"unknown Ofsted region(s) {sorted(unknown)}", where=f"{where}, column 'Ofsted region'")

    out = pd.DataFrame(
        {
            "la_code": df["la_code"].astype("string"),
            "area": df["area"].astype("string").str.strip(),
            "region": df["region"].astype("string"),
            "inspection_start": dates(df["inspection_start"], path, f"{where}, column 'Inspection start date'"),
            "published": dates(df["published"], path, f"{where}, column 'Inspection publication date'"),
            "wsoa": yes_no(df["wsoa"], path, f"{where}, column 'Inspection outcome'"),
            "n_weaknesses": counts(df["n_weaknesses"], path, f"{where}, column 'Number significant weaknesses'"),
        }
    )
    not_yet = df["revisit_start"].astype("string").str.strip().eq("Not revisited yet").fillna(False)
    out["revisit_status"] = pd.Series(
        [
            "revisited" if pd.notna(s) and not ny else ("not_revisited_yet" if ny else "not_required")
            for s, ny in zip(df["revisit_start"], not_yet)
        ],
        dtype="string",
    )
    out["revisit_start"] = dates(df["revisit_start"].where(~not_yet), path, f"{where}, column 'Revisit start date'")
    out["revisit_published"] = dates(df["revisit_published"], path, f"{where}, column 'Revisit publication date'")
    bad = df["revisit_outcome"].notna() & ~df["revisit_outcome"].isin(REVISIT_LEVELS)
    if bad.any():
        raise DataError(
            path, f"revisit outcome must be Yes/Some/No, got {df['revisit_outcome'][bad].iloc[0]!r}", where=where
        )
    out["revisit_outcome"] = pd.Categorical(df["revisit_outcome"], categories=REVISIT_LEVELS, ordered=True)
    for c in ("n_weaknesses_progress", "n_weaknesses_no_progress"):
        out[c] = counts(df[c], path, f"{where}, column {c}")

    # consistency checks that the publisher's own definitions imply
    if (out["wsoa"] != out["n_weaknesses"].notna()).any():
        raise DataError(path, "number of weaknesses must be given exactly when a WSoA was required", where=where)
    if (out["revisit_status"].eq("revisited") & ~out["wsoa"]).any():
        raise DataError(path, "a revisit is recorded for an area without a WSoA", where=where)

    links = dict(_ods_hyperlinks(path, SHEET_2016))
    out["ofsted_url"] = out["la_code"].map(links).astype("string")
    if out["ofsted_url"].isna().any():
        raise DataError(
            path, f"no hyperlink in column A for {out['area'][out['ofsted_url'].isna()].tolist()}", where=where
        )
    out["ofsted_urn"] = out["ofsted_url"].str.extract(r"/(\d+)$", expand=False).astype("Int64")
    out["inspection_month"] = out["inspection_start"].dt.to_period("M")
    out["predecessor"] = False
    out["ceased"] = pd.NaT

    pred = _parse_notes(path)
    out = pd.concat([out, pred], ignore_index=True)
    out["predecessor"] = out["predecessor"].astype(bool)
    out["wsoa"] = out["wsoa"].astype("boolean")
    out["revisit_outcome"] = pd.Categorical(out["revisit_outcome"], categories=REVISIT_LEVELS, ordered=True)
    out.loc[out["predecessor"], "revisit_status"] = [
        "revisited" if pd.notna(r) else "not_required" for r in out.loc[out["predecessor"], "revisit_outcome"]
    ]
    out["ceased"] = out["ceased"].astype("datetime64[ns]")
    for c in ("la_code", "area", "region", "revisit_status"):
        out[c] = out[c].astype("string")
    return out


def read_la_lookup(path: Path) -> pd.DataFrame:
    """Data to Insight LA lookup -> la_code_3 (DfE 3-digit), la_code (9-digit), names, urn, population."""
    df = read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(
        df,
        [
            "urn",
            "la_code",
            "la_code_new",
            "ltla23cd",
            "local_authority_ons_name",
            "also_known_as",
            "region_name",
            "stat_neighbours",
            "ons_population_0-25",
            "ons_la_type",
        ],
        path,
    )
    out = pd.DataFrame(
        {
            "la_code_3": df["la_code"].str.strip(),
            # former councils (e.g. Cumbria) have no 'new' code: their 2023 code is ltla23cd
            "la_code": df["la_code_new"].fillna(df["ltla23cd"]).str.strip(),
            "name": df["local_authority_ons_name"].str.strip(),
            "also_known_as": df["also_known_as"],
            "ofsted_urn": pd.to_numeric(df["urn"], errors="coerce").astype("Int64"),
            "region_name": df["region_name"],
            "stat_neighbours_3": df["stat_neighbours"],
            "population_0_25": pd.to_numeric(df["ons_population_0-25"], errors="coerce").astype("Int64"),
            "la_type": df["ons_la_type"],
        }
    )
    if out["la_code_3"].duplicated().any():
        raise DataError(path, f"duplicated 3-digit code {out['la_code_3'][out['la_code_3'].duplicated()].iloc[0]}")
    return out


OUTCOME_TEXT = {
    "Typically positive experiences and outcomes": "positive",
    "Inconsistent experiences and outcomes": "inconsistent",
    "Widespread and/or systemic failings": "systemic_failings",
}
MI_COLUMNS = {
    "Local.area.partnership": "area",
    "Ofsted.region": "region",
    "Inspection.start.date": "inspection_start",
    "Inspection.publication.date": "published",
    "Inspection.outcome": "outcome",
    "Priority.action.plan.required.": "priority_action_plan",
    "Number.of.areas.for.priority.action": "n_priority_actions",
}
OVERVIEW_COLUMNS = [
    "urn",
    "la_code",
    "region_code",
    "ltla23cd",
    "local_authority",
    "inspection_link",
    "outcome_grade",
    "previous_inspection_date",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "inspection_outcome_text",
]


def read_mi_2023(path: Path) -> pd.DataFrame:
    df = read_csv(path, dtype=str, keep_default_na=False, na_values=["NA", ""])
    require_columns(df, MI_COLUMNS, path)
    df = df[list(MI_COLUMNS)].rename(columns=MI_COLUMNS)
    unknown = set(df["outcome"]) - set(OUTCOME_TEXT)
    if unknown:
        raise DataError(path, f"unknown inspection outcome(s) {sorted(unknown)}", where="column 'Inspection.outcome'")
    return pd.DataFrame(
        {
            "area": df["area"].astype("string"),
            "region": df["region"].astype("string"),
            "inspection_start": dates(df["inspection_start"], path, "column 'Inspection.start.date'", "%d/%m/%Y"),
            "published": dates(df["published"], path, "column 'Inspection.publication.date'", "%d/%m/%Y"),
            "outcome": df["outcome"].map(OUTCOME_TEXT),
            "priority_action_plan": yes_no(df["priority_action_plan"], path, "column 'Priority.action.plan.required.'"),
            "n_priority_actions": counts(
                df["n_priority_actions"], path, "column 'Number.of.areas.for.priority.action'"
            ),
        }
    )


def read_overview_2023(path: Path) -> pd.DataFrame:
    """Data to Insight's workbook: one row per area inspected under the 2023 framework (its latest inspection
    up to November 2025)."""
    df = read_sheet(path, 0, dtype=str)  # the first sheet, whatever it is called
    require_columns(df, OVERVIEW_COLUMNS, path)
    return d2i_columns(df[OVERVIEW_COLUMNS], path, "first sheet")


KEY_2023 = ["la_code_3", "published"]  # one inspection: the area's 3-digit code and the report's publication date
TRACKED = {"inspection_start": "inspection start", "inspection_end": "inspection end", "outcome": "outcome"}


def _fmt(v) -> str:
    return v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else str(v)


def snapshot_history(paths) -> pd.DataFrame:
    """Every inspection seen in any snapshot (:mod:`.snapshots`), once: the latest non-empty value of each
    field, ``first_snapshot`` / ``last_snapshot`` (dates of the first and last page listing it),
    ``n_snapshots``, and a ``source_note`` where a date or the outcome changed between pages."""
    from . import snapshots

    pages = []
    for p in map(Path, paths):
        found = snapshots.read(p)
        pages += [(f"{p}: {name}" if p.name != name else str(p), when, df) for name, when, df in found]
    try:  # one pass over every page; on a bad value, find the page to name
        long = d2i_columns(pd.concat([df for _, _, df in pages], ignore_index=True), "snapshots", "table")
    except DataError:
        for where, _, df in pages:
            d2i_columns(df, where, "table")
        raise
    long["snapshot"] = [when for _, when, df in pages for _ in range(len(df))]
    long = long.sort_values("snapshot", kind="stable")
    g = long.groupby(KEY_2023, sort=True, observed=True)
    out = g.last().drop(columns="snapshot")  # last() skips missing values: the latest non-empty one
    out["first_snapshot"] = g["snapshot"].min().astype("datetime64[ns]")
    out["last_snapshot"] = g["snapshot"].max().astype("datetime64[ns]")
    out["n_snapshots"] = g["snapshot"].nunique()
    notes = pd.Series("", index=out.index, dtype="string")
    for col, label in TRACKED.items():
        seen = long.dropna(subset=[col]).drop_duplicates([*KEY_2023, col])
        changed = seen[seen.duplicated(KEY_2023, keep=False)]
        for key, rows in changed.groupby(KEY_2023, observed=True):
            first = rows.iloc[0]
            notes[key] += (
                f"{label} {_fmt(first[col])} in snapshots up to "
                f"{_fmt(rows['snapshot'].iloc[1] - pd.Timedelta(days=1))}, later {_fmt(rows[col].iloc[-1])}; "
            )
    out["source_note"] = notes.str.rstrip("; ").replace("", pd.NA)
    out = out.reset_index()
    out["outcome"] = pd.Categorical(out["outcome"], categories=OUTCOME_LEVELS, ordered=True)
    return out


def _combine_overview(hist: pd.DataFrame, ov: pd.DataFrame, overview_path: Path) -> pd.DataFrame:
    """Snapshots first; the overview workbook fills what they lack (and adds inspections they never listed)."""
    both = hist.merge(ov, on=KEY_2023, how="outer", suffixes=("", "_ov"), indicator=True)
    for col in ov.columns.difference(KEY_2023):
        filled = both[col].isna() & both[f"{col}_ov"].notna()
        if col in TRACKED and filled.any():
            both.loc[filled, "source_note"] = _note(
                both.loc[filled, "source_note"], f"{TRACKED[col]} from {overview_path.name}"
            )
        both[col] = both[col].combine_first(both[f"{col}_ov"])
    return both.drop(columns=[c for c in both if c.endswith("_ov") or c == "_merge"])


def _note(old: pd.Series, text) -> pd.Series:
    return (old.fillna("") + "; " + text).str.lstrip("; ")


def read_2023(snapshot_paths, overview_path: Path, mi_path: Path, lookup_path: Path) -> pd.DataFrame:
    """One row per 2023-framework inspection, joined to 9-digit ONS codes through the 3-digit DfE code.

    The inspections are every one seen in any weekly snapshot of Data to Insight's table (each page lists
    each area's latest inspection only, so earlier inspections of re-inspected areas come from earlier
    pages), plus any only in the overview workbook, which also fills what the pages lack. Ofsted's own MI
    (Jan-Aug 2023) is joined (by name via the lookup, as the MI has no codes): it wins on the start date and
    the outcome (noted in ``source_note``) and gives the priority-action-plan facts.
    """
    hist = snapshot_history(snapshot_paths)
    ov = _combine_overview(hist, read_overview_2023(overview_path), overview_path)
    lk = read_la_lookup(lookup_path)
    ov = ov.merge(
        lk[["la_code_3", "la_code", "name", "region_name"]].rename(columns={"name": "area"}),
        on="la_code_3",
        how="left",
        validate="many_to_one",
    )
    # the workbook has no region for Medway: take the lookup's ONS region, in Ofsted's grouping
    ons_region = ov["region_name"].replace({"North East": REGIONS[3], "Yorkshire and the Humber": REGIONS[3]})
    ov["region"] = ov["region"].fillna(ons_region.where(ons_region.isin(REGIONS)).astype("string"))
    if ov["la_code"].isna().any():
        raise DataError(
            overview_path, f"3-digit code(s) {ov['la_code_3'][ov['la_code'].isna()].tolist()} not in {lookup_path.name}"
        )
    wrong = ov["ltla23cd"].notna() & (ov["ltla23cd"] != ov["la_code"])
    ov.loc[wrong, "source_note"] = _note(
        ov.loc[wrong, "source_note"],
        "Data to Insight's ltla23cd " + ov.loc[wrong, "ltla23cd"] + " corrected via 3-digit code",
    )

    mi = read_mi_2023(mi_path)
    names = (
        pd.concat(
            [
                pd.DataFrame({"key": normalise(lk["name"]), "la_code": lk["la_code"]}),
                pd.DataFrame({"key": normalise(lk["also_known_as"]), "la_code": lk["la_code"]}),
            ]
        )
        .dropna()
        .drop_duplicates("key")
    )
    mi["key"] = normalise(mi["area"])
    mi = mi.merge(names, on="key", how="left")
    if mi["la_code"].isna().any():
        raise DataError(
            mi_path,
            f"area name(s) {mi['area'][mi['la_code'].isna()].tolist()} match no local authority in {lookup_path.name}",
        )
    both = ov.merge(
        mi[["la_code", "published", "inspection_start", "outcome", "priority_action_plan", "n_priority_actions"]],
        on=["la_code", "published"],
        how="left",
        suffixes=("", "_mi"),
        indicator=True,
    )
    missing = set(mi["la_code"]) - set(both.loc[both["_merge"] == "both", "la_code"])
    if missing:
        raise DataError(
            mi_path,
            f"MI inspections not found in the snapshots or {overview_path.name} (by code and publication date): "
            f"{sorted(missing)}",
        )
    # Ofsted's own MI is the official record: its start date and outcome win where Data to Insight's differ.
    for col, label in (("inspection_start", "inspection start"), ("outcome", "outcome")):
        mine = both[f"{col}_mi"]
        moved = mine.notna() & (mine.astype("string") != both[col].astype("string"))
        was = both.loc[moved, col].astype(object).map(lambda v: "none" if pd.isna(v) else _fmt(v)).astype("string")
        both.loc[moved, "source_note"] = _note(
            both.loc[moved, "source_note"], f"{label} " + was + " in Data to Insight's table; Ofsted MI used"
        )
        both[col] = mine.combine_first(both[col])
    both["outcome"] = pd.Categorical(both["outcome"], categories=OUTCOME_LEVELS, ordered=True)
    in_mi = both["_merge"] == "both"
    # Under the 2023 framework a 'widespread and/or systemic failings' outcome always requires a priority
    # action plan; outside the MI's months we apply that rule.
    both["priority_action_plan"] = (
        both["priority_action_plan"]
        .where(in_mi, both["outcome"].astype("string").eq("systemic_failings").where(both["outcome"].notna()))
        .astype("boolean")
    )
    both["priority_action_plan_source"] = pd.Series(
        ["ofsted_mi" if m else ("framework_rule" if pd.notna(o) else pd.NA) for m, o in zip(in_mi, both["outcome"])],
        dtype="string",
    )
    both = both.sort_values(["la_code", "published"])
    both["inspection_number"] = both.groupby("la_code").cumcount().add(1).astype("Int64")
    return _finish_2023(both)


def dates_from_reports(df: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Fill missing inspection dates from the bundled reports (``reports``: ofsted_urn, published,
    inspection_start, inspection_end, source), matched on the Ofsted URN and the publication date."""
    m = df.merge(reports, on=["ofsted_urn", "published"], how="left", suffixes=("", "_rep"), validate="many_to_one")
    fill = m["inspection_start"].isna() & m["inspection_start_rep"].notna()
    m.loc[fill, "source_note"] = _note(
        m.loc[fill, "source_note"], "inspection dates from the report " + m.loc[fill, "source"]
    )
    for c in ("inspection_start", "inspection_end"):
        m.loc[fill, c] = m.loc[fill, f"{c}_rep"]
    return _finish_2023(m)


CORRECTABLE = ("inspection_start", "inspection_end", "outcome")  # the fields a corrections row may fill
CORRECTED = " corrected from "  # how a correction reads in source_note: "<field> corrected from <source>"


def read_corrections(path: Path) -> pd.DataFrame:
    """The curated corrections file (``data/raw/curated/corrections_2023.csv``, see its CODEBOOK): one row per
    value the published sources leave out, each with its citation. Every row is checked here."""
    df = require_rows(read_csv(path, dtype="string", keep_default_na=False), path)
    require_columns(df, ["la_code", "published", "field", "value", "source", "source_url"], path)
    for i, r in df.iterrows():
        where = f"row {i + 2}"
        if r["field"] not in CORRECTABLE:
            raise DataError(path, f"field must be one of {list(CORRECTABLE)}, got {r['field']!r}", where=where)
        if r["field"] == "outcome" and r["value"] not in OUTCOME_LEVELS:
            raise DataError(path, f"outcome must be one of {list(OUTCOME_LEVELS)}, got {r['value']!r}", where=where)
        if not r["source"].strip():
            raise DataError(path, "every correction needs its source", where=where)
    df["published"] = dates(df["published"], path, "published", "%Y-%m-%d")
    for f in ("inspection_start", "inspection_end"):
        rows = df["field"] == f
        dates(df.loc[rows, "value"], path, f"value of {f}", "%Y-%m-%d")
    return df


def apply_corrections(df: pd.DataFrame, corrections: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Fill each field the sources leave empty from ``corrections`` (:func:`read_corrections`), noting the
    citation in ``source_note``. A row that matches no inspection, or that would change a published value, stops
    the build: a correction never overrides a source silently."""
    df = df.copy()
    for i, r in corrections.iterrows():
        hit = df.index[(df["la_code"] == r["la_code"]) & (df["published"] == r["published"])]
        where = f"row {i + 2} ({r['la_code']}, published {r['published']:%Y-%m-%d})"
        if len(hit) != 1:
            raise DataError(path, "matches no 2023-framework inspection", where=where)
        j, f = hit[0], r["field"]
        value = pd.Timestamp(r["value"]) if f != "outcome" else r["value"]
        if pd.notna(df.at[j, f]):
            if df.at[j, f] != value:
                raise DataError(path, f"the sources give {f} {df.at[j, f]!s:.10}, not {r['value']}", where=where)
            continue
        df.at[j, f] = value
        df.loc[[j], "source_note"] = _note(df.loc[[j], "source_note"], f"{f}{CORRECTED}{r['source'].split(':')[0]}")
    return _finish_2023(df)


def next_inspections(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each 2023-framework inspection's next monitoring inspection and next full inspection, as the framework
    sets them (:data:`~sendstats.vocabulary.NEXT_FULL_YEARS`, :data:`~sendstats.vocabulary.MONITORING_MONTHS`):
    the source's date (``next_inspection_by``) where it is that inspection's, else the rule from the inspection's
    start. For widespread or systemic failings the source's date is the monitoring inspection's, and the full one
    is three years from the start. Returns (next_monitoring_by, next_full_by)."""
    from ...vocabulary import MONITORING_MONTHS, NEXT_FULL_YEARS

    outcome = df["outcome"].astype(object)
    start = pd.to_datetime(df["inspection_start"])
    years = outcome.map(NEXT_FULL_YEARS)
    months = outcome.map(MONITORING_MONTHS)
    by_rule = pd.Series(
        [s + pd.DateOffset(years=int(y)) if pd.notna(s) and pd.notna(y) else pd.NaT for s, y in zip(start, years)],
        index=df.index,
        dtype="datetime64[ns]",
    )
    monitoring = pd.Series(
        [s + pd.DateOffset(months=int(m)) if pd.notna(s) and pd.notna(m) else pd.NaT for s, m in zip(start, months)],
        index=df.index,
        dtype="datetime64[ns]",
    )
    given = pd.to_datetime(df["next_inspection_by"])
    monitored = months.notna()
    monitoring = monitoring.where(~monitored | given.isna(), given).where(monitored)
    full = by_rule.where(monitored | given.isna(), given)
    return monitoring, full


def _finish_2023(both: pd.DataFrame) -> pd.DataFrame:
    both = both.copy()
    both["missing_reason"] = pd.Series(
        [
            "; ".join(
                filter(
                    None, ["outcome not in source" if pd.isna(o) else "", "dates not in source" if pd.isna(s) else ""]
                )
            )
            or pd.NA
            for o, s in zip(both["outcome"], both["inspection_start"])
        ],
        dtype="string",
        index=both.index,
    )
    both["next_monitoring_by"], both["next_full_by"] = next_inspections(both)
    cols = [
        "la_code",
        "area",
        "region",
        "inspection_start",
        "inspection_end",
        "published",
        "outcome",
        "priority_action_plan",
        "priority_action_plan_source",
        "n_priority_actions",
        "previous_inspection_end",
        "next_inspection_by",
        "next_monitoring_by",
        "next_full_by",
        "ofsted_urn",
        "report_url",
        "outcome_text",
        "inspection_number",
        "first_snapshot",
        "last_snapshot",
        "missing_reason",
        "source_note",
    ]
    out = both[cols].sort_values(["inspection_start", "la_code"], na_position="last").reset_index(drop=True)
    for c in ("la_code", "area"):
        out[c] = out[c].astype("string")
    return out
