"""ONS lookups: LSOA (2011) -> CCG -> LAD per April 2016-2021, LAD -> county/UTLA, IMD 2019 LSOA ranks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...errors import DataError
from ._common import read_csv, require_columns


def read_ccg_lookup(path: Path, year: int) -> pd.DataFrame:
    """-> lsoa, ccg_code, ccg_name, lad (codes as at 1 April ``year``). Each LSOA exactly once."""
    yy = str(year)[2:]
    cols = ["LSOA11CD", f"CCG{yy}CD", f"CCG{yy}NM", f"LAD{yy}CD"]
    df = read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(df, cols, path)
    out = df[cols].set_axis(["lsoa", "ccg_code", "ccg_name", "lad"], axis=1)
    dup = out["lsoa"].duplicated()
    if dup.any():
        raise DataError(path, f"LSOA {out['lsoa'][dup].iloc[0]} appears more than once")
    if out.isna().any().any():
        raise DataError(path, f"empty cell in row {out.isna().any(axis=1).idxmax() + 2}")
    return out


RATING_LISTS = ("inadequate_per_hsj", "inadequate_per_clarke_willmott")  # the primary list first


def read_ccg_ratings(path: Path) -> pd.DataFrame:
    """-> ccg_code (April 2016 ONS code), ccg_name, and one boolean per published list of CCGs rated inadequate
    in NHS England's 2015/16 assessment (:data:`RATING_LISTS`). Each CCG once; each list cell yes or no."""
    cols = ["ccg16cd", "ccg16nm", *RATING_LISTS]
    df = read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(df, cols, path)
    if df["ccg16cd"].duplicated().any():
        raise DataError(path, f"CCG {df['ccg16cd'][df['ccg16cd'].duplicated()].iloc[0]} appears more than once")
    out = df[["ccg16cd", "ccg16nm"]].set_axis(["ccg_code", "ccg_name"], axis=1)
    for col in RATING_LISTS:
        bad = ~df[col].str.strip().str.lower().isin(["yes", "no"])
        if bad.any():
            raise DataError(
                path, f"{col} must be yes or no, found {df[col][bad].iloc[0]!r}", where=f"row {bad.idxmax() + 2}"
            )
        out[col] = df[col].str.strip().str.lower().eq("yes")
    return out


def read_ccg_short_codes(path: Path, year: int) -> pd.DataFrame:
    """-> ccg_code (9-character ONS), ccg_short (3-character NHS code: the key the sub-ICB locations kept)."""
    yy = str(year)[2:]
    cols = [f"CCG{yy}CD", f"CCG{yy}CDH"]
    df = read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(df, cols, path)
    return df[cols].drop_duplicates().set_axis(["ccg_code", "ccg_short"], axis=1)


def read_sub_icb(path: Path) -> pd.DataFrame:
    """Sub-ICB location -> ICB (July 2022) -> sub_icb_code, sub_icb_short (3-character, as the CCG it replaced),
    sub_icb_name, icb_code, icb_name."""
    cols = ["SICBL22CD", "SICBL22CDH", "SICBL22NM", "ICB22CD", "ICB22NM"]
    df = read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(df, cols, path)
    out = df[cols].set_axis(["sub_icb_code", "sub_icb_short", "sub_icb_name", "icb_code", "icb_name"], axis=1)
    if out["sub_icb_short"].duplicated().any() or out.isna().any().any():
        raise DataError(path, "each sub-ICB location must appear once, with its ICB")
    return out


def read_lad_to_upper(path: Path, lad_col: str, upper_col: str) -> pd.DataFrame:
    df = read_csv(path, dtype=str, encoding="utf-8-sig")
    require_columns(df, [lad_col, upper_col], path)
    out = df[[lad_col, upper_col]].drop_duplicates().set_axis(["lad", "upper"], axis=1)
    dup = out["lad"].duplicated()
    if dup.any():
        raise DataError(path, f"district {out['lad'][dup].iloc[0]} maps to more than one upper-tier area")
    return out


def read_imd(path: Path) -> pd.DataFrame:
    df = read_csv(path, dtype={"LSOA11CD": str, "LAD19CD": str}, encoding="utf-8-sig")
    require_columns(df, ["LSOA11CD", "LAD19CD", "IMD19"], path)
    out = df[["LSOA11CD", "LAD19CD", "IMD19"]].set_axis(["lsoa", "lad", "imd_rank"], axis=1)
    rank = pd.to_numeric(out["imd_rank"], errors="coerce")
    if rank.isna().any() or out["lsoa"].duplicated().any():
        raise DataError(path, "IMD19 must be a rank for every LSOA, each LSOA once")
    return out.assign(imd_rank=rank.astype(int))
