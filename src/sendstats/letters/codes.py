"""Theme coding: the codebook, automatic coding of items, the hand-coded weaknesses dataset and the
agreement between hand and automatic codes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from .. import config
from ..data import sources
from ..data.rawfiles import WEAKNESSES, WSOA_AREAS
from ..errors import DataError

# --- theme coding ------------------------------------------------------------------------------------------
CODEBOOK = config.CODEBOOK


def load_codebook(path=None) -> list[dict]:
    """The codebook (YAML list of {theme, description, patterns, examples}); patterns are case-insensitive
    regular expressions. A researcher's own file can replace the bundled one."""
    import yaml

    path = Path(path) if path else CODEBOOK
    try:
        book = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, "codebook not found") from None
    except yaml.YAMLError as e:
        raise DataError(path, f"not valid YAML ({e})") from None
    if not isinstance(book, list) or not book:
        raise DataError(path, "a codebook is a non-empty list of themes")
    for i, t in enumerate(book):
        if not isinstance(t, dict) or not {"theme", "patterns"} <= set(t):
            raise DataError(path, "each theme needs 'theme' and 'patterns'", where=f"entry {i + 1}")
        for p in t["patterns"]:
            try:
                re.compile(p)
            except re.error as e:
                raise DataError(path, f"bad pattern {p!r} ({e})", where=f"theme {t['theme']}") from None
    return book


def code(items, codebook=None) -> pd.DataFrame:
    """Code each item (a weakness or recommendation) with every theme whose pattern matches. Returns one row
    per (item, theme): item_no, item, theme, matched (the matched phrase, for audit). An item matching no
    theme gets theme 'other' and an empty match."""
    book = codebook if isinstance(codebook, list) else load_codebook(codebook)
    compiled = [(t["theme"], [re.compile(p, re.I) for p in t["patterns"]], set(t.get("unless", []))) for t in book]
    rows = []
    for i, item in enumerate(items):
        hits = {}
        for theme, pats, _ in compiled:
            m = next((m for p in pats if (m := p.search(item))), None)
            if m:
                hits[theme] = m.group(0)
        hits = {t: m for t, m in hits.items() if not (next(u for th, _, u in compiled if th == t) & set(hits))}
        for theme, matched in hits.items():
            rows.append({"item_no": i, "item": item, "theme": theme, "matched": matched})
        if not hits:
            rows.append({"item_no": i, "item": item, "theme": "other", "matched": ""})
    return pd.DataFrame(rows, columns=["item_no", "item", "theme", "matched"])


# --- the hand-coded dataset -----------------------------------------------------------------------------
def read_weaknesses(inspections_2016: pd.DataFrame) -> pd.DataFrame:
    """Builder of the ``weaknesses`` table: the hand-coded CSV checked against the codebook's themes, with
    each area's completeness and its count against Ofsted's (``inspections_2016``: the official table)."""
    from ..data.ingest._common import read_csv, require_columns, require_rows

    wpath = sources.raw_path(WEAKNESSES)
    w = read_csv(
        wpath,
        dtype={"code": "string", "area": "string", "summary": "string", "source_url": "string", "weakness_no": "Int64"},
    )
    require_columns(w, ["code", "area", "weakness_no", "summary", "themes", "source_url"], wpath)
    require_rows(w, wpath)
    known = {t["theme"] for t in load_codebook()} | {"other"}
    w["themes"] = w["themes"].fillna("").str.split(";").map(lambda ts: [t.strip() for t in ts if t.strip()])
    bad = sorted({t for ts in w["themes"] for t in ts} - known)
    if bad:
        raise DataError(wpath, f"unknown theme(s) {bad}; the codebook has {sorted(known)}")
    a = read_wsoa_areas(inspections_2016, w)
    return w.merge(
        a[["code", "status", "n_weaknesses_official", "count_matches_official"]],
        on="code",
        how="left",
        validate="many_to_one",
    )


def read_wsoa_areas(inspections_2016: pd.DataFrame, weaknesses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Builder of the ``wsoa_areas`` table: one row per WSoA area of the hand-coded dataset with status and
    the count check (``weaknesses``: the weakness rows if already read)."""
    from ..data.ingest._common import read_csv, require_columns, require_rows

    apath = sources.raw_path(WSOA_AREAS)
    a = read_csv(
        apath, dtype={"code": "string", "area": "string", "status": "string", "source_url": "string", "note": "string"}
    )
    require_columns(a, ["code", "area", "nweak_official", "nweak_found", "status"], apath)
    require_rows(a, apath)
    official = inspections_2016.set_index("la_code")["n_weaknesses"]
    w = read_csv(sources.raw_path(WEAKNESSES), dtype={"code": str}) if weaknesses is None else weaknesses
    a["n_weaknesses_official"] = a["code"].map(official).astype("Int64")
    a["n_found"] = a["code"].map(w.groupby("code").size()).fillna(0).astype("int64")
    a["count_matches_official"] = (a["n_found"] == a["n_weaknesses_official"]).astype("boolean")
    return a


def load_weaknesses() -> pd.DataFrame:
    """The hand-coded significant weaknesses of 2016-framework WSoAs (the ``weaknesses`` table: one row per
    weakness: code, area, weakness_no, summary, themes (list), source_url, status, n_weaknesses_official,
    count_matches_official). A missing area has unknown weaknesses, not none."""
    from ..data.store import load_table

    w = load_table("weaknesses")
    w["themes"] = w["themes"].map(list)
    return w


def weakness_areas() -> pd.DataFrame:
    """One row per WSoA area of the hand-coded dataset with status and the count check (``wsoa_areas``)."""
    from ..data.store import load_table

    return load_table("wsoa_areas")


def agreement(weaknesses: pd.DataFrame | None = None, codebook=None) -> pd.DataFrame:
    """Automatic coding of each hand-coded weakness summary vs its hand codes, per theme: n items, hand
    count, automatic count, agreement rate, Cohen's kappa (NaN when a theme never or always occurs)."""
    from statsmodels.stats.inter_rater import cohens_kappa

    w = load_weaknesses() if weaknesses is None else weaknesses
    if codebook is None and weaknesses is None:
        from ..data.store import load_table

        auto = load_table("weakness_coding")
    else:
        auto = code(w["summary"].tolist(), codebook).rename(columns={"item_no": "weakness_row"})
    auto_sets = auto.groupby("weakness_row")["theme"].apply(set)
    rows = []
    for theme in [t["theme"] for t in (codebook if isinstance(codebook, list) else load_codebook(codebook))]:
        hand = w["themes"].map(lambda ts, theme=theme: theme in ts).to_numpy()
        mine = pd.Series(range(len(w))).map(lambda i, theme=theme: theme in auto_sets.get(i, set())).to_numpy()
        table = pd.crosstab(
            pd.Categorical(hand, [False, True]), pd.Categorical(mine, [False, True]), dropna=False
        ).to_numpy()
        kappa = (
            float(cohens_kappa(table).kappa)
            if 0 < hand.sum() < len(hand) or 0 < mine.sum() < len(mine)
            else float("nan")
        )
        rows.append(
            {
                "theme": theme,
                "n_items": len(w),
                "hand": int(hand.sum()),
                "automatic": int(mine.sum()),
                "both": int((hand & mine).sum()),
                "agreement": float((hand == mine).mean()),
                "kappa": kappa,
            }
        )
    return pd.DataFrame(rows)


def quote(text: str, source: str) -> str:
    """An HTML-escaped quotation attributed to its document (for reports)."""
    return f"&ldquo;{html.escape(text)}&rdquo; <small>({html.escape(source)})</small>"
