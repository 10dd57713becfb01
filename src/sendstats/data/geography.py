"""Which LSOAs made up each upper-tier local area (county or unitary) on a date, and what follows from
that: the CCGs that served it and its deprivation.

The SEND "local area" is the upper-tier authority. LSOAs (2011) nest in districts, and districts in
upper-tier areas, so an area on 1 April of year Y is the set of LSOAs whose district that year rolls up to
it: districts -> county from the December 2016 county lookup (2016-2018), the December 2019 UTLA lookup
(2019), and the April 2020 county lookup (2020-2021); a district absent from the county lookup is itself
unitary (metropolitan, London or unitary). Known code changes handled here:

- Buckinghamshire became unitary on 1 April 2020 with the same boundary: E10000002 -> E06000060
  (``SUCCESSION``; Ofsted's 2022 file still uses E10000002).
- Dorset (E10000009, county) and Bournemouth/Poole were replaced on 1 April 2019 by Dorset (E06000059)
  and BCP (E06000058): different boundaries, so the old county is its own area in 2016-2018 lookups.
- Northamptonshire (E10000021) was replaced on 1 April 2021 by North (E06000061) and West (E06000062).
- Gateshead and Northumberland changed codes in 2013 (E08000020 -> E08000037, E06000048 -> E06000057),
  before any lookup used here.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from . import rawfiles as rf
from . import sources
from .boundaries import ICB_MOVES_2022, REORG_2023, SUCCESSION, SUCCESSORS, UNITARY_FROM  # noqa: F401 (re-exported)
from .ingest import geography as g

CCG_ABOLISHED = pd.Timestamp("2022-07-01")
MOST_DEPRIVED_DECILE_MAX_RANK = 3284  # IMD 2019 ranks 32,844 LSOAs: decile 1 is ranks 1-3,284


def harmonise(code: pd.Series) -> pd.Series:
    """Map codes replaced without a boundary change to their successor (for joining across years)."""
    return code.replace(SUCCESSION)


def lookup_year(date) -> int | None:
    """The April lookup in force on ``date`` (latest 1 April on or before it, 2016-2021); None from
    1 July 2022, when CCGs were abolished. April 2021 stays in force to June 2022 (no CCG changes in 2022)."""
    d = pd.Timestamp(date)
    if d >= CCG_ABOLISHED:
        return None
    y = d.year if d >= pd.Timestamp(d.year, 4, 1) else d.year - 1
    if y < min(rf.CCG_YEARS):
        raise DataError(
            sources.raw_dir() / rf.ccg_lookup_path(min(rf.CCG_YEARS)),
            f"no CCG lookup before April 2016 (date {d.date()})",
        )
    return min(y, max(rf.CCG_YEARS))


def _upper_file(year: int) -> str:
    return rf.COUNTY16 if year <= 2018 else rf.UTLA19 if year == 2019 else rf.COUNTY20


@sources.cached_reads(lambda year: [_upper_file(year)])
def _upper_map(year: int) -> pd.DataFrame:
    if year <= 2018:
        return g.read_lad_to_upper(sources.raw_path(rf.COUNTY16), "LAD16CD", "CTY16CD")
    if year == 2019:
        return g.read_lad_to_upper(sources.raw_path(rf.UTLA19), "LAD19CD", "UTLA19CD")
    return g.read_lad_to_upper(sources.raw_path(rf.COUNTY20), "LAD20CD", "CTY20CD")


@sources.cached_reads(lambda year: [rf.ccg_lookup_path(year), _upper_file(year)])
def lsoa_areas(year: int) -> pd.DataFrame:
    """lsoa, ccg_code, ccg_name, lad, area_code (upper tier, harmonised) as at 1 April ``year``."""
    path = sources.raw_path(rf.ccg_lookup_path(year))
    df = g.read_ccg_lookup(path, year)
    up = _upper_map(year)
    up = up[up["upper"].str.startswith("E10")]  # shire counties only (not metropolitan counties / Inner-Outer London)
    df = df.merge(up, on="lad", how="left", validate="many_to_one")
    district = df["lad"].str.startswith("E07")
    orphan = district & df["upper"].isna()
    if orphan.any():
        raise DataError(path, f"district {df['lad'][orphan].iloc[0]} ({year}) has no county in the county lookup")
    df["area_code"] = harmonise(df["upper"].fillna(df["lad"]))
    return df.drop(columns="upper")


def area_lsoas(df: pd.DataFrame, area_code: str) -> pd.Series:
    """The LSOAs of an area in an :func:`lsoa_areas` frame, including the April 2023 unitaries."""
    if area_code in REORG_2023:
        return df.loc[df["lad"].isin(REORG_2023[area_code]["districts"]), "lsoa"]
    return df.loc[df["area_code"] == SUCCESSION.get(area_code, area_code), "lsoa"]


def ccg_structure(area_code: str, date) -> dict:
    """CCG measures for one area on one date (see :func:`area_ccg_table`)."""
    year = lookup_year(date)
    if year is None:
        return {"ccg_lookup_year": pd.NA, "ccg_reason": "not_applicable"}
    df = lsoa_areas(year)
    code = SUCCESSION.get(area_code, area_code)
    mine = df[df["area_code"] == code]
    if mine.empty:
        return {"ccg_lookup_year": year, "ccg_reason": "no_match"}
    counts = mine["ccg_code"].value_counts()
    main = counts.index[0]
    main_lsoas = df[df["ccg_code"] == main]
    return {
        "ccg_lookup_year": year,
        "ccg_reason": pd.NA,
        "n_lsoas": len(mine),
        "n_ccgs": int(counts.size),
        "main_ccg_code": main,
        "main_ccg_name": mine.loc[mine["ccg_code"] == main, "ccg_name"].iat[0],
        "main_ccg_share": counts.iat[0] / len(mine),
        "ccg_coterminous": bool(counts.size == 1 and len(main_lsoas) == len(mine)),
        "ccg_shared": bool((main_lsoas["area_code"] != code).any()),
    }


RATING_YEAR = 2016  # NHS England's 2015/16 CCG ratings describe the CCGs of the April 2016 lookup
RATING_SLIVER = 0.05  # "any CCG holding 5% or more of the area's LSOAs" (the plan's third revision)


@sources.cached_reads(lambda: [rf.CCG_RATINGS, rf.ccg_lookup_path(RATING_YEAR), _upper_file(RATING_YEAR)])
def _ccg_ratings() -> pd.DataFrame:
    """Each LSOA's April 2016 CCG and whether each published list names that CCG as rated inadequate."""
    ratings = g.read_ccg_ratings(sources.raw_path(rf.CCG_RATINGS))
    lsoas = lsoa_areas(RATING_YEAR)[["lsoa", "ccg_code", "ccg_name"]]
    unknown = set(ratings["ccg_code"]) - set(lsoas["ccg_code"])
    if unknown:
        raise DataError(sources.raw_dir() / rf.CCG_RATINGS, f"CCG {sorted(unknown)[0]} is not in the April 2016 lookup")
    out = lsoas.merge(ratings.drop(columns="ccg_name"), on="ccg_code", how="left", validate="many_to_one")
    return out.fillna({c: False for c in g.RATING_LISTS}).set_index("lsoa")


def ratings_current_until() -> pd.Timestamp:
    """The first 1 April on whose lookup a CCG of either list no longer appears: the rated CCGs began to merge
    then, so a rating describes an inspection from that date less and less (the plan's sensitivity row)."""
    ratings = _ccg_ratings()
    listed = set(ratings.loc[ratings[list(g.RATING_LISTS)].any(axis=1), "ccg_code"])
    for year in rf.CCG_YEARS:
        if not listed <= set(lsoa_areas(year)["ccg_code"]):
            return pd.Timestamp(year, 4, 1)
    return CCG_ABOLISHED


def ccg_rating(area_code: str, date) -> dict:
    """NHS England's 2015/16 rating of the CCGs that served the council inspected on ``date``: its LSOAs (from
    the lookup in force then) on the April 2016 geography the ratings describe. The main CCG is the one serving
    most of them (ties: the lower code). Inspections from 1 July 2022: not_applicable."""
    if pd.Timestamp(date) >= CCG_ABOLISHED:
        return {"ccg_rating_reason": "not_applicable"}
    lsoas = area_lsoas(lsoa_areas(lookup_year(date)), area_code)
    if lsoas.empty:
        return {"ccg_rating_reason": "no_match"}
    mine = _ccg_ratings().loc[lsoas]
    counts = mine.groupby("ccg_code").size().sort_index().sort_values(ascending=False, kind="stable")
    main = mine[mine["ccg_code"] == counts.index[0]].iloc[0]
    hsj, cw = g.RATING_LISTS
    big = counts[counts / len(mine) >= RATING_SLIVER].index
    return {
        "ccg_rating_reason": pd.NA,
        "ccg16_main_name": main["ccg_name"],
        "ccg_rated_inadequate": bool(main[hsj]),
        "ccg_rated_inadequate_cw": bool(main[cw]),
        "inadequate_ccg_share": float(mine[hsj].mean()),
        "ccg_inadequate_any5": bool(mine.loc[mine["ccg_code"].isin(big), hsj].any()),
    }


def council_as_inspected(area_code: str, date, populations: dict) -> dict:
    """The inspected council's type and population aged 0-25 as it was on ``date`` (the plan's third revision):
    a county that became unitary with the same boundary (``UNITARY_FROM``) is a county before that day; a former
    county (``SUCCESSORS``) is a county and an April 2023 unitary (``REORG_2023``) a unitary authority, each with
    the population of its own LSOAs apportioned from today's councils (``populations``: code -> population):
    each council's population times the share of its LSOAs (April 2021) that lie in the inspected council.
    Returns {} for a council the rules do not touch (its type and population are the lookup's)."""
    key = SUCCESSION.get(area_code, area_code)
    if key in UNITARY_FROM:
        return {"area_type": "county" if pd.Timestamp(date) < pd.Timestamp(UNITARY_FROM[key]) else "unitary authority"}
    if area_code not in SUCCESSORS and area_code not in REORG_2023:
        return {}
    now = lsoa_areas(max(rf.CCG_YEARS))
    if area_code in REORG_2023:
        mine = set(area_lsoas(now, area_code))
    else:
        first = min(y for y in rf.CCG_YEARS if (lsoa_areas(y)["area_code"] == area_code).any())
        mine = set(area_lsoas(lsoa_areas(first), area_code))
    per = now.groupby("area_code")["lsoa"].agg(lambda s: (s.isin(mine).sum(), len(s)))
    share = {c: inside / total for c, (inside, total) in per.items() if inside}
    if not share or any(c not in populations or pd.isna(populations[c]) for c in share):
        return {"area_type": pd.NA, "population_0_25": pd.NA}
    return {
        "area_type": "unitary authority" if area_code in REORG_2023 else "county",
        "population_0_25": round(sum(populations[c] * f for c, f in share.items())),
    }


@sources.cached_reads(lambda: [rf.ccg_lookup_path(2021), _upper_file(2021), rf.SUB_ICB_ICB])
def icb_lsoas() -> pd.DataFrame:
    """Every LSOA with its SEND local area (April 2023 unitaries from their districts) and its sub-ICB location
    and ICB as at 1 July 2022: the April 2021 CCG of each LSOA became a sub-ICB location with the same short
    code, except the LSOAs that moved (:data:`ICB_MOVES_2022`)."""
    df = lsoa_areas(2021).merge(
        g.read_ccg_short_codes(sources.raw_path(rf.ccg_lookup_path(2021)), 2021), on="ccg_code", how="left"
    )
    for lad, old, new in ICB_MOVES_2022:
        df.loc[(df["lad"] == lad) & (df["ccg_short"] == old), "ccg_short"] = new
    for code, spec in REORG_2023.items():
        df.loc[df["lad"].isin(spec["districts"]), "area_code"] = code
    sub = g.read_sub_icb(sources.raw_path(rf.SUB_ICB_ICB))
    df = df.merge(sub, left_on="ccg_short", right_on="sub_icb_short", how="left", validate="many_to_one")
    if df["icb_code"].isna().any():
        raise DataError(
            sources.raw_dir() / rf.SUB_ICB_ICB,
            f"CCG {df.loc[df['icb_code'].isna(), 'ccg_short'].iloc[0]} has no sub-ICB location",
        )
    main = df.groupby("area_code")["icb_code"].agg(lambda s: s.value_counts().index[0])
    df["icb_n_areas"] = df["icb_code"].map(main.value_counts()).fillna(0).astype(int)
    return df


def icb_structure(area_code: str, date) -> dict:
    """ICB-era NHS structure of one area (inspections from 1 July 2022): how many ICBs and sub-ICB locations
    serve its LSOAs, its main ICB, that ICB's share of the area's LSOAs, its main sub-ICB location's share, and
    how many local areas have it as their main ICB. Before July 2022: reason not_applicable."""
    if pd.Timestamp(date) < CCG_ABOLISHED:
        return {"icb_reason": "not_applicable"}
    df = icb_lsoas()
    mine = df[df["area_code"] == SUCCESSION.get(area_code, area_code)]
    if mine.empty:
        return {"icb_reason": "no_match"}
    counts = mine["icb_code"].value_counts()
    main = mine[mine["icb_code"] == counts.index[0]]
    return {
        "icb_reason": pd.NA,
        "n_icbs": int(counts.size),
        "n_sub_icbs": int(mine["sub_icb_code"].nunique()),
        "main_icb_name": main["icb_name"].iat[0],
        "main_icb_share": counts.iat[0] / len(mine),
        "main_sub_icb_share": mine["sub_icb_code"].value_counts().iat[0] / len(mine),
        "icb_n_areas": int(main["icb_n_areas"].iat[0]),
    }


@sources.cached_reads(lambda: [rf.IMD19])
def _imd() -> pd.DataFrame:
    return g.read_imd(sources.raw_path(rf.IMD19)).set_index("lsoa")


def _imd_summary(ranks: pd.Series) -> tuple[float, float]:
    return float((ranks <= MOST_DEPRIVED_DECILE_MAX_RANK).mean()), float(ranks.mean())


@sources.cached_reads(lambda: [rf.IMD19, rf.ccg_lookup_path(2019), _upper_file(2019)])
def _imd_reference() -> pd.DataFrame:
    """IMD summaries of every upper-tier area on the 2019 geography: the national distribution."""
    df = lsoa_areas(2019)[["lsoa", "area_code"]].join(_imd()["imd_rank"], on="lsoa", validate="many_to_one")
    rows = [(code, *_imd_summary(grp["imd_rank"])) for code, grp in df.groupby("area_code")]
    return pd.DataFrame(rows, columns=["area_code", "share", "mean_rank"])


def imd(area_code: str, date) -> dict:
    """IMD 2019 for the area's LSOAs on ``date`` (CCG-lookup geography; April 2021 after July 2022):
    share of LSOAs in the most deprived national decile, mean LSOA rank (lower = more deprived), and the
    national quintile (1 = most deprived) among the 151 upper-tier areas of April 2019, ordered by that share,
    ties broken by mean rank."""
    year = lookup_year(date) or max(rf.CCG_YEARS)
    df = lsoa_areas(year)
    lsoas = area_lsoas(df, area_code)
    ranks = _imd().loc[lsoas, "imd_rank"] if len(lsoas) else pd.Series(dtype=int)
    if ranks.empty:
        return {"imd_reason": "no_match"}
    share, mean_rank = _imd_summary(ranks)
    ref = _imd_reference()
    more_deprived = ((ref["share"] > share) | ((ref["share"] == share) & (ref["mean_rank"] < mean_rank))).sum()
    return {
        "imd_share_most_deprived_decile": share,
        "imd_mean_rank": mean_rank,
        "imd_quintile": int(5 * more_deprived // len(ref)) + 1,
        "imd_reason": pd.NA,
    }


def area_shapes() -> pd.DataFrame:
    """Builder of the ``area_shapes`` table: England's SEND local areas on the May 2023 geography, each the
    union of its districts (LAD 2023 boundaries; districts roll up to counties through the April 2020
    county lookup; unitary, metropolitan and London districts are areas themselves), simplified for
    drawing. Councils that changed before 2023 appear as their successors."""
    import json

    from shapely import make_valid, wkt
    from shapely.geometry import shape
    from shapely.ops import unary_union

    path = sources.raw_path(rf.LAD23_BOUNDARIES)
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (ValueError, KeyError) as e:
        raise DataError(path, f"not a GeoJSON FeatureCollection ({e})") from None
    county = _upper_map(2020)
    county = dict(zip(county["lad"], county["upper"].where(county["upper"].str.startswith("E10"))))
    groups: dict[str, list] = {}
    for f in features:
        lad = f["properties"].get("LAD23CD", "")
        if not lad.startswith("E"):
            continue
        area = county.get(lad) if isinstance(county.get(lad), str) else lad
        geom = shape(f["geometry"])
        groups.setdefault(harmonise(pd.Series([area])).iat[0], []).append(geom if geom.is_valid else make_valid(geom))
    rows = []
    for code, shapes in sorted(groups.items()):
        geom = unary_union(shapes).simplify(0.004, preserve_topology=True)
        rows.append(
            {"area_code": code, "n_districts": len(shapes), "geometry_wkt": wkt.dumps(geom, rounding_precision=4)}
        )
    return pd.DataFrame(rows).astype({"area_code": "string", "n_districts": "int64", "geometry_wkt": "string"})


def reference_date(row) -> pd.Timestamp:
    """The inspection start; for a predecessor area (only the month is published) the month's first day."""
    if pd.notna(row["inspection_start"]):
        return row["inspection_start"]
    return row["inspection_month"].start_time


def reference_date_2023(row) -> pd.Timestamp:
    """2023 framework: the inspection start; where the sources give no dates, the publication date."""
    return row["inspection_start"] if pd.notna(row["inspection_start"]) else row["published"]


def ccg_shares(inspections_2016: pd.DataFrame) -> pd.DataFrame:
    """Builder of the ``ccg_shares_2016`` table: for each 2016-framework inspection (as at its factor date),
    every CCG serving any of the area's LSOAs, with the LSOAs it serves in the area and in all. From these the
    CCG measures can be recomputed ignoring slivers (:func:`sendstats.questions.wsoa.ccg_measures`)."""
    rows = []
    for _, r in inspections_2016.iterrows():
        when = reference_date(r)
        year = lookup_year(when)
        if year is None:
            continue
        df = lsoa_areas(year)
        code = SUCCESSION.get(r["la_code"], r["la_code"])
        mine = df[df["area_code"] == code]
        totals = df["ccg_code"].value_counts()
        for ccg, n in mine["ccg_code"].value_counts().items():
            rows.append(
                {
                    "la_code": r["la_code"],
                    "ccg_lookup_year": year,
                    "ccg_code": ccg,
                    "lsoas_in_area": int(n),
                    "area_lsoas": len(mine),
                    "ccg_lsoas": int(totals[ccg]),
                }
            )
    out = pd.DataFrame(rows)
    return out.astype(
        {
            "la_code": "string",
            "ccg_lookup_year": "int64",
            "ccg_code": "string",
            "lsoas_in_area": "int64",
            "area_lsoas": "int64",
            "ccg_lsoas": "int64",
        }
    )
