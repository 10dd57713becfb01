"""The bundled letters and reports as tables: the documents, their coded items and recommendations, and
the loaders the reports use."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..data import sources
from ..data.rawfiles import LETTERS_DIR, REPORTS_2023_DIR
from .codes import code, load_codebook, load_weaknesses
from .text import MONTHS, LetterError, read_many, responsible_bodies


# --- analysis frames for the letters report ----------------------------------------------------------------
def _bundled() -> tuple[tuple[str, str], ...]:
    """(path, manifest sha256) of the bundled 2016 letter(s) and 2023 reports, each checked against it."""
    rels = sources.expand([LETTERS_DIR + "/", REPORTS_2023_DIR + "/"])
    return tuple((str(sources.check(r)), sources.entry(r)["sha256"]) for r in rels)


def bundled_documents() -> list[Path]:
    """The bundled 2016 letter(s) and 2023 reports in data/raw, each checked against the manifest."""
    return [Path(p) for p, _ in _bundled()]


REPORT_FILE = re.compile(rf"^(\d+)_.*---(\d{{1,2}})-({MONTHS})-(\d{{4}})\.pdf$", re.I)


def _published(name: str):
    """The publication date in a bundled 2023 report's file name (None if the name does not follow the pattern)."""
    m = REPORT_FILE.match(name)
    return pd.Timestamp(f"{m.group(2)} {m.group(3)} {m.group(4)}") if m else None


def _records():
    """Every bundled document, read and extracted once per process and set of file contents (the documents,
    document_items and recommendations builders all start from it)."""
    return _records_of(_bundled())


@lru_cache(maxsize=2)
def _records_of(files: tuple) -> list:
    records, failures = read_many([p for p, _ in files])
    if failures:
        raise LetterError(failures[0][0], failures[0][1])
    return records


def documents_table() -> pd.DataFrame:
    """Builder of the ``documents`` table: what was extracted from each bundled letter and report."""
    rows = [
        {
            "source": r.source,
            "framework": r.framework,
            "area": r.area,
            "inspection_start": r.inspection_start,
            "inspection_end": r.inspection_end,
            "letter_date": r.letter_date,
            "wsoa_required": r.wsoa_required,
            "outcome": r.outcome,
            "icb": r.icb,
            "dates_from": r.dates_from,
            "ofsted_urn": int(r.source.split("_")[0]) if r.framework == "2023" else None,
            "published": _published(r.source) if r.framework == "2023" else None,
            "n_weaknesses": len(r.weaknesses) if r.framework == "2016" else None,
            "n_priority_actions": len(r.priority_actions) if r.framework == "2023" else None,
            "n_improvements": len(r.improvements) if r.framework == "2023" else None,
        }
        for r in _records()
    ]
    df = pd.DataFrame(rows)
    for c in ("inspection_start", "inspection_end", "letter_date", "published"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    for c in ("ofsted_urn", "n_weaknesses", "n_priority_actions", "n_improvements"):
        df[c] = df[c].astype("Int64")
    for c in ("source", "framework", "area", "outcome", "icb", "dates_from"):
        df[c] = df[c].astype("string")
    df["wsoa_required"] = df["wsoa_required"].astype("boolean")
    return df


def items_frame(records_or_items, codebook=None) -> pd.DataFrame:
    """One row per item and theme for documents' lists (kind: weakness / priority action / improvement)."""
    rows = []
    for r in records_or_items:
        lists = (
            (("weakness", r.weaknesses),)
            if r.framework == "2016"
            else (("priority action", r.priority_actions), ("improvement", r.improvements))
        )
        for kind, lst in lists:
            rows += [
                {"source": r.source, "area": r.area, "outcome": r.outcome, "kind": kind, **row}
                for row in code(lst, codebook).to_dict("records")
            ]
    df = pd.DataFrame(rows, columns=["source", "area", "outcome", "kind", "item_no", "item", "theme", "matched"])
    df["item_no"] = df["item_no"].astype("int64")
    for c in ("source", "area", "outcome", "kind", "item", "theme", "matched"):
        df[c] = df[c].astype("string")
    return df


def recommendations_table() -> pd.DataFrame:
    """Builder of the ``recommendations`` table: every priority action and area for improvement of the bundled
    2023 reports, once, with its responsible body (:func:`responsible_bodies`). No codebook: themes are in
    ``document_items``."""
    rows = []
    for r in _records():
        if r.framework != "2023":
            continue
        bodies = responsible_bodies(r)
        for kind, lst in (("priority action", r.priority_actions), ("improvement", r.improvements)):
            rows += [
                {
                    "source": r.source,
                    "area": r.area,
                    "outcome": r.outcome,
                    "kind": kind,
                    "item_no": i,
                    "item": item,
                    "responsible_body": body,
                    "body_from": where,
                }
                for i, (item, (body, where)) in enumerate(zip(lst, bodies[kind]))
            ]
    cols = ["source", "area", "outcome", "kind", "item_no", "item", "responsible_body", "body_from"]
    df = pd.DataFrame(rows, columns=cols)
    df["item_no"] = df["item_no"].astype("int64")
    for c in cols:
        if c != "item_no":
            df[c] = df[c].astype("string")
    return df


def document_items_table() -> pd.DataFrame:
    """Builder of the ``document_items`` table, coded with the bundled codebook."""
    return items_frame(_records())


def weakness_coding_table(weaknesses: pd.DataFrame) -> pd.DataFrame:
    """Builder of the ``weakness_coding`` table: the hand-coded weaknesses coded automatically."""
    coded = code(weaknesses["summary"].tolist())[["item_no", "theme", "matched"]]
    coded = coded.rename(columns={"item_no": "weakness_row"})  # here the item is a row of the weaknesses table
    return coded.astype({"weakness_row": "int64", "theme": "string", "matched": "string"})


def area_themes(weaknesses: pd.DataFrame | None = None, status=("complete",)) -> pd.DataFrame:
    """One row per WSoA area of the hand-coded dataset with the given ``status``: a boolean column per theme
    (any of its weaknesses has it), with the area's revisit outcome from the official file."""
    from ..outcomes import load_inspections

    w = load_weaknesses() if weaknesses is None else weaknesses
    w = w[w["status"].isin(status)]
    themes = [t["theme"] for t in load_codebook()] + ["other"]
    rows = [{"code": c, **{t: any(t in ts for ts in g["themes"]) for t in themes}} for c, g in w.groupby("code")]
    out = pd.DataFrame(rows)
    insp = load_inspections("2016").set_index("la_code")
    out["area"] = out["code"].map(insp["area"])
    out["revisit_outcome"] = pd.Categorical(
        out["code"].map(insp["revisit_outcome"]), categories=["No", "Some", "Yes"], ordered=True
    )
    out["progress_all"] = out["revisit_outcome"].map({"Yes": True, "Some": False, "No": False}).astype("boolean")
    return out


def documents() -> pd.DataFrame:
    """The ``documents`` table: one row per bundled letter or report."""
    from ..data.store import load_table

    return load_table("documents")


def document_items() -> pd.DataFrame:
    """The ``document_items`` table: each weakness or recommendation with its themes."""
    from ..data.store import load_table

    return load_table("document_items")


def reports_2023(codebook=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled 2023 reports: (one row per report, one row per coded item), from the built tables; with
    ``codebook`` the items are coded again with it."""
    from ..data.store import load_table

    docs = load_table("documents")
    reps = docs[docs["framework"] == "2023"].reset_index(drop=True)
    items = load_table("document_items")
    items = items[items["kind"] != "weakness"]
    if codebook is not None:
        uniq = items.drop_duplicates(["source", "kind", "item_no"])
        recoded = []
        for (src, kind), g in uniq.groupby(["source", "kind"], sort=False):
            c = code(g["item"].tolist(), codebook)
            c["item_no"] = g["item_no"].to_numpy()[c["item_no"]]
            recoded.append(c.assign(source=src, kind=kind, area=g["area"].iat[0], outcome=g["outcome"].iat[0]))
        items = pd.concat(recoded, ignore_index=True)[items.columns]
    return reps, items.reset_index(drop=True)
