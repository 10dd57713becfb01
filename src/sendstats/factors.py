"""Area factors as at each inspection: CCG structure, designated health officers, EHC-plan timeliness,
deprivation. One row per inspected area; every missing value has a reason column saying why."""
from __future__ import annotations

import pandas as pd

from . import geography, sources
from .ingest import dfe

SEN2 = "DfE SEN2 2014-2022; 2023-2024 from the 2025 release (timeliness_20_week.csv)"
# column -> (unit, source): the data dictionary is generated from this
FACTORS = {
    "ccg_lookup_year": ("year of the 1 April LSOA-CCG lookup used", "ONS LSOA-CCG-LAD lookups 2016-2021"),
    "n_lsoas": ("count of LSOAs (2011) in the area", "ONS LSOA-CCG-LAD lookups"),
    "n_ccgs": ("count of CCGs serving any of the area's LSOAs", "ONS LSOA-CCG-LAD lookups"),
    "main_ccg_code": ("ONS code of the CCG serving most of the area's LSOAs", "ONS LSOA-CCG-LAD lookups"),
    "main_ccg_name": ("name of that CCG", "ONS LSOA-CCG-LAD lookups"),
    "main_ccg_share": ("share (0-1) of the area's LSOAs in its main CCG", "ONS LSOA-CCG-LAD lookups"),
    "ccg_coterminous": ("True if one CCG serves exactly the area's LSOAs", "ONS LSOA-CCG-LAD lookups"),
    "ccg_shared": ("True if the main CCG also serves LSOAs of other local areas", "ONS LSOA-CCG-LAD lookups"),
    "dmo_dco_year": ("SEN2 year (January census) used: latest at or before the inspection year", "DfE SEN2 DMO/DCO file"),
    "dmo_in_post": ("designated medical officer in post: Yes / No / Recruiting", "DfE SEN2 DMO/DCO file"),
    "dco_in_post": ("designated clinical officer in post: Yes / No / Recruiting", "DfE SEN2 DMO/DCO file"),
    "ehcp_year": ("calendar year of the EHC-plan figures: the year before the inspection started", SEN2),
    "ehcp_20wk_pct": ("% of new EHC plans issued within 20 weeks, excluding exceptions", SEN2),
    "ehcp_20wk_inc_exc_pct": ("% of new EHC plans issued within 20 weeks, including exceptions", SEN2),
    "ehcp_20wk_change_2y": ("percentage points: ehcp_20wk_pct minus its value two years earlier", SEN2),
    "ehcp_per_1000_0_25": ("EHC plans in the January census of the inspection year (latest at or before it, from 2019) per 1,000 population aged 0-25 (the D2I lookup's single ONS estimate, year not stated: a cross-sectional denominator)", "DfE EHC plans 2025 release (caseload.csv); D2I LA lookup"),
    "ehcp_caseload_year": ("year of the January census used for ehcp_per_1000_0_25", "DfE EHC plans 2025 release (caseload.csv)"),
    "appeals_year": ("calendar year of the appeal figures: the year before the inspection started", "DfE/MoJ SEND Tribunal appeal rate 2014-2024 (2025 release)"),
    "appeal_rate": ("% = SEND Tribunal appeals registered / total appealable decisions x 100 (recomputed from the counts; the published rate is rounded)", "DfE/MoJ SEND Tribunal appeal rate 2014-2024 (2025 release)"),
    "appeals_registered": ("count of SEND Tribunal appeals registered in appeals_year", "DfE/MoJ SEND Tribunal appeal rate 2014-2024 (2025 release)"),
    "imd_share_most_deprived_decile": ("share (0-1) of the area's LSOAs in the most deprived national IMD 2019 decile", "MHCLG IMD 2019"),
    "imd_mean_rank": ("mean IMD 2019 rank of the area's LSOAs (1 = most deprived of 32,844)", "MHCLG IMD 2019"),
    "imd_quintile": ("national quintile of upper-tier areas on imd_share_most_deprived_decile (1 = most deprived)", "MHCLG IMD 2019"),
}
REASON_COLUMNS = ("ccg_reason", "dmo_dco_reason", "ehcp_20wk_pct_reason", "ehcp_20wk_inc_exc_pct_reason",
                  "ehcp_20wk_change_2y_reason", "imd_reason", "appeal_reason", "ehcp_per_1000_reason")
REASONS = ("not_applicable", "suppressed", "not_collected_yet", "no_match")


def reference_date(row) -> pd.Timestamp:
    """The inspection start; for a predecessor area (only the month is published) the month's first day."""
    if pd.notna(row["inspection_start"]):
        return row["inspection_start"]
    return row["inspection_month"].start_time


def _dmo_dco(code: str, year: int, table: pd.DataFrame) -> dict:
    if year < table["year"].min():
        return {"dmo_dco_reason": "not_collected_yet"}
    rows = table[(table["key"] == code) & (table["year"] <= year)]
    if rows.empty:
        return {"dmo_dco_reason": "no_match"}
    r = rows.loc[rows["year"].idxmax()]
    return {"dmo_dco_year": int(r["year"]), "dmo_in_post": r["dmo_in_post"], "dco_in_post": r["dco_in_post"]}


def _ehcp(code: str, year: int, table: pd.DataFrame) -> dict:
    by_year = table[table["key"] == code].set_index("year")

    def value(col: str, y: int):
        """(value, reason) for calendar year ``y``; an absent row is not_collected_yet before the first
        year collected, else no_match (e.g. BCP did not exist before 2019)."""
        if y in by_year.index:
            return by_year.at[y, col], by_year.at[y, f"{col}_reason"]
        return None, "not_collected_yet" if y < table["year"].min() else "no_match"

    out = {"ehcp_year": year - 1}
    for col in ("ehcp_20wk_pct", "ehcp_20wk_inc_exc_pct"):
        out[col], out[f"{col}_reason"] = value(col, year - 1)
    (now, now_reason), (before, before_reason) = value("ehcp_20wk_pct", year - 1), value("ehcp_20wk_pct", year - 3)
    if pd.notna(now) and pd.notna(before):
        out["ehcp_20wk_change_2y"] = now - before
    else:
        out["ehcp_20wk_change_2y_reason"] = now_reason if pd.isna(now) else before_reason
    return out


def _appeals(code: str, year: int, table: pd.DataFrame) -> dict:
    out = {"appeals_year": year - 1}
    rows = table[(table["key"] == code) & (table["year"] == year - 1)]
    if rows.empty:
        return {**out, "appeal_reason": "not_collected_yet" if year - 1 < table["year"].min() else "no_match"}
    r = rows.iloc[0]
    return {**out, "appeal_rate": r["appeal_rate"], "appeals_registered": r["appeals_registered"],
            "appeal_reason": r["reason"] if pd.isna(r["appeal_rate"]) else pd.NA}


def _caseload(code: str, year: int, table: pd.DataFrame, population: dict) -> dict:
    rows = table[(table["key"] == code) & (table["year"] <= year)]
    if rows.empty:
        return {"ehcp_per_1000_reason": "not_collected_yet" if year < table["year"].min() else "no_match"}
    r = rows.loc[rows["year"].idxmax()]
    pop = population.get(code)
    if pd.isna(r["ehc_plans"]) or not pop:
        return {"ehcp_caseload_year": r["year"], "ehcp_per_1000_reason": r["ehc_plans_reason"] if pd.isna(r["ehc_plans"]) else "no_match"}
    return {"ehcp_caseload_year": r["year"], "ehcp_per_1000_0_25": 1000 * r["ehc_plans"] / pop, "ehcp_per_1000_reason": pd.NA}


def reference_date_2023(row) -> pd.Timestamp:
    """2023 framework: the inspection start; where the sources give no dates, the publication date."""
    return row["inspection_start"] if pd.notna(row["inspection_start"]) else row["published"]


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(key=geography.harmonise(df["la_code"]))


def area_factors(inspections: pd.DataFrame, framework: str = "2016") -> pd.DataFrame:
    """Add every factor, as at each row's inspection, to a ``load_inspections(framework)`` frame."""
    from .ingest import ofsted

    dmo = _keyed(dfe.read_dmo_dco(sources.raw_path(dfe.DMO_DCO)))
    zip_path = sources.raw_path(dfe.EHCP_ZIP)
    ehcp = dfe.read_sen2_timeliness(sources.raw_path(dfe.SEN2_MI))
    later = dfe.read_timeliness_2025(zip_path)  # 2019-2024; used for the years the 2014-2022 file lacks
    ehcp = _keyed(pd.concat([ehcp, later[later["year"] > ehcp["year"].max()]], ignore_index=True))
    lookup = ofsted.read_la_lookup(sources.raw_path(ofsted.LA_LOOKUP))
    appeals = _keyed(dfe.read_appeals(zip_path, lookup))
    caseload = _keyed(dfe.read_caseload(zip_path))
    population = dict(zip(geography.harmonise(lookup["la_code"]), lookup["population_0_25"]))
    ref = reference_date if framework == "2016" else reference_date_2023
    rows = []
    for _, r in inspections.iterrows():
        when = ref(r)
        key = geography.SUCCESSION.get(r["la_code"], r["la_code"])
        rows.append({"factor_date": when, **geography.ccg_structure(r["la_code"], when),
                     **_dmo_dco(key, when.year, dmo), **_ehcp(key, when.year, ehcp), **geography.imd(r["la_code"], when),
                     **_appeals(key, when.year, appeals), **_caseload(key, when.year, caseload, population)})
    f = pd.DataFrame(rows, index=inspections.index)
    out = pd.concat([inspections, f], axis=1)
    out = out.reindex(columns=[*out.columns, *(c for c in [*FACTORS, *REASON_COLUMNS] if c not in out)])
    for col in ("ccg_lookup_year", "n_lsoas", "n_ccgs", "dmo_dco_year", "ehcp_year", "imd_quintile", "appeals_year",
                "ehcp_caseload_year"):
        out[col] = pd.to_numeric(out.get(col), errors="coerce").astype("Float64").astype("Int64")
    for col in ("ccg_coterminous", "ccg_shared"):
        out[col] = out[col].astype("boolean")
    for col in ("main_ccg_share", "ehcp_20wk_pct", "ehcp_20wk_inc_exc_pct", "ehcp_20wk_change_2y", "appeal_rate",
                "appeals_registered", "ehcp_per_1000_0_25",
                "imd_share_most_deprived_decile", "imd_mean_rank"):
        out[col] = pd.to_numeric(out.get(col), errors="coerce").astype(float)
    for col in ("main_ccg_code", "main_ccg_name", "dmo_in_post", "dco_in_post", *REASON_COLUMNS):
        out[col] = out[col].astype("string")
    return out


def coverage(areas: pd.DataFrame) -> pd.DataFrame:
    """Factor x share of areas with a value, and the reasons for the rest."""
    rows = []
    for col in FACTORS:
        have = areas[col].notna()
        reason_col = next((c for c in (f"{col}_reason", _group_reason(col)) if c in areas), None)
        reasons = areas.loc[~have, reason_col].value_counts().to_dict() if reason_col else {}
        rows.append({"factor": col, "n_areas": len(areas), "n_with_value": int(have.sum()),
                     "share_with_value": have.mean(), "missing_reasons": "; ".join(f"{k}: {v}" for k, v in sorted(reasons.items()))})
    return pd.DataFrame(rows)


def _group_reason(col: str) -> str:
    if col.startswith(("ccg", "n_lsoas", "n_ccgs", "main_ccg")):
        return "ccg_reason"
    if col.startswith(("dmo", "dco")):
        return "dmo_dco_reason"
    if col.startswith("imd"):
        return "imd_reason"
    if col.startswith("appeal"):
        return "appeal_reason"
    if col in ("ehcp_per_1000_0_25", "ehcp_caseload_year"):
        return "ehcp_per_1000_reason"
    return "ehcp_20wk_pct_reason"
