"""DfE SEN2 data (local authority rows): designated medical/clinical officers, EHC-plan timeliness."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ._common import read_csv, require_columns

DMO_DCO = "dfe/sen2_dmo_dco_2019_to_2025.csv"
SEN2_MI = "dfe/sen2_mi_2014_to_2022.csv"
# DfE symbols for a missing number, and the reason each gives (never read as a number or zero)
SUPPRESSION = {"z": "not_applicable", "x": "suppressed", "c": "suppressed", "low": "suppressed", "u": "suppressed"}
ROLE_VALUES = {"Yes", "No", "Recruiting"}


def _la_rows(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    require_columns(df, ["time_period", "geographic_level", "new_la_code", "la_name"], path)
    la = df[df["geographic_level"] == "Local authority"].copy()
    la["year"] = pd.to_numeric(la["time_period"], errors="coerce")
    if la["year"].isna().any():
        raise DataError(path, f"time_period must be a year, got {la['time_period'][la['year'].isna()].iloc[0]!r}")
    la["year"] = la["year"].astype(int)
    la["new_la_code"] = la["new_la_code"].str.strip()
    dup = la.duplicated(["year", "new_la_code"])
    if dup.any():
        raise DataError(path, f"LA {la['new_la_code'][dup].iloc[0]} appears twice in {la['year'][dup].iloc[0]}")
    return la


def read_dmo_dco(path: Path) -> pd.DataFrame:
    """-> year, la_code, dmo_in_post, dco_in_post (Yes / No / Recruiting)."""
    la = _la_rows(read_csv(path, dtype=str, encoding="utf-8-sig"), path)
    require_columns(la, ["des_med_off", "des_clin_off"], path)
    for c in ("des_med_off", "des_clin_off"):
        la[c] = la[c].str.strip()
        bad = ~la[c].isin(ROLE_VALUES)
        if bad.any():
            raise DataError(path, f"expected Yes/No/Recruiting, got {la[c][bad].iloc[0]!r}", where=f"column {c}")
    return la.rename(columns={"new_la_code": "la_code", "des_med_off": "dmo_in_post",
                              "des_clin_off": "dco_in_post"})[["year", "la_code", "dmo_in_post", "dco_in_post"]]


def numeric_with_reason(s: pd.Series, path: Path, column: str) -> tuple[pd.Series, pd.Series]:
    """A DfE column -> (float values, reason for each missing value). Unknown symbols are an error."""
    raw = s.astype("string").str.strip()
    num = pd.to_numeric(raw, errors="coerce")
    reason = raw.str.lower().map(SUPPRESSION)
    unknown = raw.notna() & num.isna() & reason.isna()
    if unknown.any():
        raise DataError(path, f"neither a number nor a DfE symbol {sorted(SUPPRESSION)}: {raw[unknown].iloc[0]!r}",
                        where=f"column {column}")
    reason = reason.where(num.isna(), pd.NA).fillna(pd.Series("no_match", index=s.index).where(raw.isna()))
    return num.astype(float), reason.astype("string")


def read_sen2_timeliness(path: Path) -> pd.DataFrame:
    """-> year (calendar), la_code, ehcp_20wk_pct (excluding exceptions), ehcp_20wk_inc_exc_pct, and a
    reason column for each (suppressed / not_applicable)."""
    la = _la_rows(read_csv(path, dtype=str, encoding="utf-8-sig"), path)
    require_columns(la, ["no_exc_20week_rate", "inc_exc_20week_rate"], path)
    out = la[["year", "new_la_code"]].rename(columns={"new_la_code": "la_code"})
    for src, dst in (("no_exc_20week_rate", "ehcp_20wk_pct"), ("inc_exc_20week_rate", "ehcp_20wk_inc_exc_pct")):
        out[dst], out[f"{dst}_reason"] = numeric_with_reason(la[src], path, src)
        if ((out[dst] < 0) | (out[dst] > 100)).any():
            raise DataError(path, "a percentage outside 0-100", where=f"column {src}")
    return out.reset_index(drop=True)
