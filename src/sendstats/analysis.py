"""The analysis frames the report notebooks use: which areas, which factors, joined how. Statistics are in
:mod:`sendstats.stats`; this module only selects and joins, so each notebook stays prose plus calls."""

from __future__ import annotations

import difflib
from functools import lru_cache

import pandas as pd

from . import geography, registry
from .boundaries import SUCCESSORS
from .errors import ParameterError
from .ingest.ofsted import REVISIT_LEVELS
from .names import normalise_one
from .outcomes import inspections_as_at, load_areas, load_inspections

CCG_FACTORS = ["n_ccgs", "ccg_coterminous", "ccg_shared", "main_ccg_share", "dmo_in_post", "dco_in_post"]
MODEL_FACTORS = ["ccg_coterminous", "ehcp_20wk_pct", "appeal_rate", "imd_share_most_deprived_decile"]


def areas_2016(as_at=None, exclude_regions=()) -> pd.DataFrame:
    """``load_areas("2016")`` restricted to areas whose inspection was published by ``as_at`` (predecessors
    while they existed, as in :func:`outcome_summary`), without ``exclude_regions``, plus ``inspection_year``."""
    keep = set(inspections_as_at("2016", as_at)["la_code"])
    a = load_areas("2016")
    bad = sorted(set(exclude_regions) - set(a["region"]))
    if bad:
        raise ParameterError(f"exclude_regions: unknown region(s) {bad}; regions: {sorted(a['region'].unique())}")
    a = a[a["la_code"].isin(keep) & ~a["region"].isin(list(exclude_regions))].copy()
    a["inspection_year"] = a["factor_date"].dt.year.astype(float)
    for col in ("dmo_in_post", "dco_in_post"):
        a[col] = pd.Categorical(a[col], categories=["Yes", "Recruiting", "No"])
    return a.reset_index(drop=True)


def revisits(as_at=None) -> pd.DataFrame:
    """WSoA areas with a revisit outcome, with ``days_to_revisit`` (first inspection start to revisit start)."""
    a = areas_2016(as_at)
    r = a[a["wsoa"] & a["revisit_outcome"].notna()].copy()
    r["days_to_revisit"] = (r["revisit_start"] - r["inspection_start"]).dt.days.astype(float)
    r["years_to_revisit"] = r["days_to_revisit"] / 365.25
    return r.reset_index(drop=True)


def transition() -> pd.DataFrame:
    """Areas inspected under both frameworks: each 2023-framework inspection with an outcome, joined to the
    2016-framework inspection of the same area (same code after :data:`geography.SUCCESSION`; a 2023 area
    whose 2016 predecessor was a former council takes that council's result: see :data:`SUCCESSORS`)."""
    old = load_inspections("2016").copy()
    old["key"] = geography.harmonise(old["la_code"])
    rows = []
    for _, r in old.iterrows():
        for key in SUCCESSORS.get(r["la_code"], [r["key"]]):
            rows.append({**r.to_dict(), "key": key, "via_predecessor": r["la_code"] in SUCCESSORS})
    old = pd.DataFrame(rows)
    new = load_inspections("2023")
    new = new[new["outcome"].notna()].copy()
    new["key"] = geography.harmonise(new["la_code"])
    new = new.sort_values("published").drop_duplicates("key", keep="last")
    m = new.merge(
        old[
            [
                "key",
                "area",
                "wsoa",
                "n_weaknesses",
                "revisit_outcome",
                "revisit_status",
                "via_predecessor",
                "inspection_start",
            ]
        ].rename(columns={"area": "area_2016", "inspection_start": "inspection_start_2016"}),
        on="key",
        how="inner",
        validate="one_to_many",
    )
    # an area covered by two predecessors is not possible here; one 2016 row per 2023 inspection
    if m["key"].duplicated().any():
        raise ParameterError(f"transition: area {m['key'][m['key'].duplicated()].iloc[0]} joined twice")
    m["revisit_outcome"] = pd.Categorical(m["revisit_outcome"], categories=REVISIT_LEVELS, ordered=True)
    m["wsoa_2016"] = m["wsoa"].map({True: "WSoA", False: "no WSoA"})
    m["wsoa_2016"] = pd.Categorical(m["wsoa_2016"], categories=["no WSoA", "WSoA"])
    return m.reset_index(drop=True)


# --- one area ----------------------------------------------------------------------------------------------
def area_index() -> pd.DataFrame:
    """Every area inspected under either framework: code (harmonised 9-digit), name, region."""
    from .build import table_key

    return _area_index(table_key("inspections_2016"), table_key("inspections_2023")).copy()


@lru_cache(maxsize=2)
def _area_index(key16: str, key23: str) -> pd.DataFrame:
    a = load_inspections("2016")[["la_code", "area", "region"]]
    b = load_inspections("2023")[["la_code", "area", "region"]]
    both = pd.concat([a, b], ignore_index=True)
    both["code"] = geography.harmonise(both["la_code"])
    return (
        both.drop_duplicates("code", keep="last")[["code", "area", "region"]].sort_values("area").reset_index(drop=True)
    )


def resolve_area(area: str) -> str:
    """An area name (case-insensitive) or 9-digit code -> its harmonised code; unknown -> ParameterError
    listing close matches."""
    idx = area_index()
    a = str(area).strip()
    code = geography.SUCCESSION.get(a.upper(), a.upper())
    if code in set(idx["code"]):
        return code
    names = {normalise_one(n): c for n, c in zip(idx["area"], idx["code"])}
    if normalise_one(a) in names:
        return names[normalise_one(a)]
    close = difflib.get_close_matches(normalise_one(a), list(names), n=5, cutoff=0.5)
    label = dict(zip(idx["code"], idx["area"]))
    hint = "; close matches: " + ", ".join(f"{label[names[c]]} ({names[c]})" for c in close) if close else ""
    raise ParameterError(f"unknown area {area!r}: not a name or 9-digit code of an inspected area{hint}")


def area_codes(spec: str) -> list[str]:
    """``all`` (every inspected area) or names/codes separated by commas -> harmonised codes."""
    if spec.strip().lower() == "all":
        return area_index()["code"].tolist()
    return [resolve_area(a) for a in spec.split(",") if a.strip()]


def area_note(code: str) -> str:
    """How an area relates to boundary changes, for telling apart areas that share a name (two Dorsets)."""
    from .boundaries import REPLACED_ON

    if code in REPLACED_ON:
        return f", the former council (replaced on {REPLACED_ON[code]})"
    for old, new in SUCCESSORS.items():
        if code in new:
            return f", the council created on {REPLACED_ON[old]}"
    return ""


def area_inspections(code: str) -> pd.DataFrame:
    """The area's inspections under both frameworks, one row each, in date order."""
    a = load_inspections("2016")
    a = a[geography.harmonise(a["la_code"]) == code]
    rows = [
        {
            "framework": "2016",
            "area": r["area"],
            "inspection_start": r["inspection_start"],
            "published": r["published"],
            "outcome": "WSoA required" if r["wsoa"] else "no WSoA",
            "weaknesses": r["n_weaknesses"],
            "revisit": r["revisit_outcome"] if pd.notna(r["revisit_outcome"]) else r["revisit_status"],
        }
        for _, r in a.iterrows()
    ]
    b = load_inspections("2023")
    b = b[geography.harmonise(b["la_code"]) == code]
    rows += [
        {
            "framework": "2023",
            "area": r["area"],
            "inspection_start": r["inspection_start"],
            "published": r["published"],
            "outcome": r["outcome"] if pd.notna(r["outcome"]) else f"not in sources ({r['missing_reason']})",
            "weaknesses": r["n_priority_actions"],
            "revisit": "",
        }
        for _, r in b.iterrows()
    ]
    out = pd.DataFrame(rows)
    for c in ("inspection_start", "published"):
        out[c] = pd.to_datetime(out[c]).dt.strftime("%d %b %Y").fillna("not published")
    return out


NUMERIC_PROFILE = [
    "n_ccgs",
    "main_ccg_share",
    "ehcp_20wk_pct",
    "ehcp_20wk_change_2y",
    "ehcp_per_1000_0_25",
    "appeal_rate",
    "imd_share_most_deprived_decile",
    "imd_mean_rank",
]


def area_factors_vs_distribution(code: str) -> pd.DataFrame:
    """For the area's latest inspection with factors: each numeric factor, the area's value, the national and
    regional medians (of all areas, each as at its own inspection of the same framework), the area's national
    percentile (share 0-1 of areas with a lower value) and the number of areas compared."""
    for framework in ("2023", "2016"):
        a = load_areas(framework).copy()
        a["code"] = geography.harmonise(a["la_code"])
        if framework == "2023":
            a = a.sort_values("published").drop_duplicates("code", keep="last")
        mine = a[a["code"] == code]
        if len(mine):
            break
    else:
        return pd.DataFrame()
    me = mine.iloc[-1]
    region = a[a["region"] == me["region"]]
    rows = []
    for f in NUMERIC_PROFILE:
        col = a[f].dropna()
        v = me[f]
        rows.append(
            {
                "factor": registry.label(f),
                "area": v if pd.notna(v) else None,
                "why missing": "" if pd.notna(v) else _reason(a, me, f),
                "national median": col.median() if len(col) else None,
                "regional median": region[f].dropna().median() if region[f].notna().any() else None,
                "national percentile": float((col < v).mean()) if pd.notna(v) and len(col) else None,
                "areas compared": len(col),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(framework=framework, factor_date=me["factor_date"], region=me["region"])
    return out


def _reason(a: pd.DataFrame, row, f: str) -> str:
    c = registry.FACTOR_REASON.get(f)
    return str(row[c]) if c in a and pd.notna(row.get(c)) else "no_match"


def statistical_neighbours(code: str) -> pd.DataFrame:
    """The area's 10 statistical neighbours (DfE children's services neighbours, D2I lookup), each with its
    2016-framework WSoA and revisit outcome and its latest 2023-framework outcome."""
    from .build import load_table

    lk = load_table("la_lookup")
    lk["code"] = geography.harmonise(lk["la_code"])
    me = lk[lk["code"] == code]
    if me.empty or pd.isna(me["stat_neighbours_3"].iat[0]):
        return pd.DataFrame(columns=["rank", "area", "code", "WSoA (2016)", "revisit", "2023 outcome"])
    by3 = lk.set_index("la_code_3")
    old = load_inspections("2016").assign(code=lambda d: geography.harmonise(d["la_code"])).set_index("code")
    new = load_inspections("2023").assign(code=lambda d: geography.harmonise(d["la_code"]))
    new = new.sort_values("published").drop_duplicates("code", keep="last").set_index("code")
    rows = []
    for i, c3 in enumerate(str(me["stat_neighbours_3"].iat[0]).split(","), start=1):
        c3 = c3.strip()
        n = by3.loc[c3] if c3 in by3.index else None
        ncode = n["code"] if n is not None else None
        o = old.loc[ncode] if ncode in old.index else None
        w = new.loc[ncode] if ncode in new.index else None
        rows.append(
            {
                "rank": i,
                "area": n["name"] if n is not None else f"DfE code {c3} (not in lookup)",
                "code": ncode,
                "WSoA (2016)": ("yes" if o["wsoa"] else "no") if o is not None else "not inspected",
                "revisit": (o["revisit_outcome"] if pd.notna(o["revisit_outcome"]) else o["revisit_status"])
                if o is not None
                else "",
                "2023 outcome": (w["outcome"] if pd.notna(w["outcome"]) else "no outcome in sources")
                if w is not None
                else "not inspected yet",
            }
        )
    return pd.DataFrame(rows)


# --- maps ----------------------------------------------------------------------------------------------
MAP_2016 = ["WSoA required", "no WSoA", "not inspected"]
MAP_2023 = [
    "typically positive",
    "inconsistent",
    "widespread or systemic failings",
    "no outcome in sources",
    "not inspected yet",
]


def map_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per SEND local area on the May 2023 geography (``area_shapes``): its 2016-framework result (WSoA
    required or not; a successor council takes its former council's result, flagged ``via_former``) and its
    latest 2023-framework outcome. Returns (2016 frame, 2023 frame), each with area_code, area, category."""
    from .build import load_table
    from .registry import value_label

    shapes = load_table("area_shapes")
    names = dict(zip(area_index()["code"], area_index()["area"]))
    old = load_inspections("2016").assign(code=lambda d: geography.harmonise(d["la_code"]))
    by_code = dict(zip(old["code"], old["wsoa"]))
    for former, successors in SUCCESSORS.items():
        for s in successors:
            if s not in by_code and former in by_code:
                by_code[s] = by_code[former]
    via = {s for former, succ in SUCCESSORS.items() for s in succ if former in set(old["code"])}
    rows16 = []
    for code in shapes["area_code"]:
        w = by_code.get(code)
        cat = "not inspected" if w is None or pd.isna(w) else ("WSoA required" if w else "no WSoA")
        rows16.append(
            {
                "area_code": code,
                "area": names.get(code, code),
                "category": cat,
                "via_former": code in via and code not in set(old["code"]),
            }
        )
    new = load_inspections("2023").assign(code=lambda d: geography.harmonise(d["la_code"]))
    latest = new.sort_values("published").drop_duplicates("code", keep="last").set_index("code")
    rows23 = []
    for code in shapes["area_code"]:
        if code not in latest.index:
            cat = "not inspected yet"
        else:
            o = latest.at[code, "outcome"]
            cat = "no outcome in sources" if pd.isna(o) else value_label(str(o))
        rows23.append({"area_code": code, "area": names.get(code, code), "category": cat})
    return pd.DataFrame(rows16), pd.DataFrame(rows23)
