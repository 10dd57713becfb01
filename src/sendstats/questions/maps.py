"""Where each area stood, for the maps of report 01 and the area profiles: every SEND local area on today's
geography with its 2016-framework result and its latest 2023-framework outcome."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import vocabulary
from ..data import geography
from ..data.boundaries import SUCCESSORS
from ..outcomes import basis_date, load_inspections
from ..scope import PLAN, Scope, scoped
from ..wording import plural
from .areas import area_index

# --- maps ----------------------------------------------------------------------------------------------
MAP_2016, MAP_2023 = vocabulary.MAP_2016, vocabulary.MAP_2023  # the maps' categories, in their order (codes)


@scoped(PLAN)
def map_frames(scope: Scope = PLAN) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per SEND local area on the May 2023 geography (``area_shapes``): its 2016-framework result (WSoA
    required or not; a successor council takes its former council's result, flagged ``via_former``) and its
    latest 2023-framework outcome, each counting inspections published (``basis="inspected"``: started) by the
    scope's ``as_at``. Returns (2016 frame, 2023 frame), each with area_code, area, category (a code of
    :data:`sendstats.vocabulary.CATEGORY_LABELS`, which gives its words). The maps are
    drawn on today's councils, each showing its former council's result, so ``counting`` (whether an abolished
    area is counted) leaves them as they are."""
    from ..data.store import table_key

    scope = scope.only("map_frames", "as_at", "basis", "include_predecessors", "counting")
    keys = tuple(table_key(n) for n in ("area_shapes", "inspections_2016", "inspections_2023"))
    m16, m23 = _map_frames(keys, scope.as_at, scope.date_column, scope.include_predecessors)
    return m16.copy(), m23.copy()


def describe_maps(m16: pd.DataFrame, overall16: pd.DataFrame, scope: Scope = PLAN) -> str:
    """What the two maps of :func:`map_frames` count, and why the 2016 map's WSoA areas can differ from the
    councils that wrote one (a successor council takes its former council's result)."""
    via = int(m16["via_former"].sum())
    shown = int((m16["category"] == "wsoa").sum())
    wrote = int(overall16["n_wsoa"].sum())
    takes = "takes its" if via == 1 else "take their"
    return (
        f"The maps count {scope.describe()}. {plural(via, 'area')} on the 2016 map {takes} former council's "
        f"result, so the map shows {plural(shown, 'area')} with a WSoA, where {plural(wrote, 'council')} wrote one."
    )


def _by(df: pd.DataFrame, as_at, date_col: str) -> pd.DataFrame:
    """Inspections dated on or before ``as_at`` (:func:`outcomes.basis_date`); all without one."""
    return df if as_at is None else df[basis_date(df, date_col) <= as_at]


@lru_cache(maxsize=4)
def _map_frames(keys: tuple, as_at, date_col: str, predecessors: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames of :func:`map_frames`; without ``predecessors`` a successor council does not take its
    former council's 2016 result."""
    from ..data.store import load_table

    shapes = load_table("area_shapes")
    idx = area_index()
    names = dict(zip(idx["code"], idx["area"]))
    old = _by(load_inspections("2016"), as_at, date_col)
    old = (old if predecessors else old[~old["predecessor"]]).assign(code=lambda d: geography.harmonise(d["la_code"]))
    by_code = dict(zip(old["code"], old["wsoa"]))
    for former, successors in SUCCESSORS.items():
        for s in successors:
            if s not in by_code and former in by_code:
                by_code[s] = by_code[former]
    via = {s for former, succ in SUCCESSORS.items() for s in succ if former in set(old["code"])}
    rows16 = []
    for code in shapes["area_code"]:
        w = by_code.get(code)
        cat = "not_inspected" if w is None or pd.isna(w) else ("wsoa" if w else "no_wsoa")
        rows16.append(
            {
                "area_code": code,
                "area": names.get(code, code),
                "category": cat,
                "via_former": code in via and code not in set(old["code"]),
            }
        )
    new = _by(load_inspections("2023"), as_at, date_col).assign(code=lambda d: geography.harmonise(d["la_code"]))
    latest = new.sort_values("published").drop_duplicates("code", keep="last").set_index("code")
    rows23 = []
    for code in shapes["area_code"]:
        if code not in latest.index:
            cat = "not_inspected_yet"
        else:
            o = latest.at[code, "outcome"]
            cat = "no_outcome" if pd.isna(o) else str(o)
        rows23.append({"area_code": code, "area": names.get(code, code), "category": cat})
    return pd.DataFrame(rows16), pd.DataFrame(rows23)
