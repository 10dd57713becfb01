"""Area factors as at each inspection: CCG structure, designated health officers, EHC-plan timeliness,
deprivation. One row per inspected area; every missing value has a reason column saying why."""

from __future__ import annotations

import pandas as pd

from . import geography, sources
from .ingest import dfe
from .registry import FACTOR_COLUMNS, FACTOR_REASON, FACTOR_REASON_COLUMNS, FACTOR_VALUES

REASON_COLUMNS = FACTOR_REASON_COLUMNS


def _absent(year: int, years: pd.Series) -> str:
    """Why a source has no row for an area's year: before its first year, after its last, or no match."""
    return "not_collected_yet" if year < years.min() else "not_published_yet" if year > years.max() else "no_match"


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
        return None, _absent(y, table["year"])

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
        return {**out, "appeal_reason": _absent(year - 1, table["year"])}
    r = rows.iloc[0]
    return {
        **out,
        "appeal_rate": r["appeal_rate"],
        "appeals_registered": r["appeals_registered"],
        "appeal_reason": r["reason"] if pd.isna(r["appeal_rate"]) else pd.NA,
    }


def _caseload(code: str, year: int, table: pd.DataFrame, population: dict) -> dict:
    rows = table[(table["key"] == code) & (table["year"] <= year)]
    if rows.empty:
        return {"ehcp_per_1000_reason": "not_collected_yet" if year < table["year"].min() else "no_match"}
    r = rows.loc[rows["year"].idxmax()]
    pop = population.get(code)
    if pd.isna(r["ehc_plans"]) or not pop:
        return {
            "ehcp_caseload_year": r["year"],
            "ehcp_per_1000_reason": r["ehc_plans_reason"] if pd.isna(r["ehc_plans"]) else "no_match",
        }
    return {
        "ehcp_caseload_year": r["year"],
        "ehcp_per_1000_0_25": 1000 * r["ehc_plans"] / pop,
        "ehcp_per_1000_reason": pd.NA,
    }


def _dsg(code: str, when: pd.Timestamp, table: pd.DataFrame) -> dict:
    """DSG deficit as at the last financial year (ending 31 March) that ended before ``when``."""
    fy_end = when.year if when >= pd.Timestamp(when.year, 4, 1) else when.year - 1
    out = {"dsg_fy_end": fy_end}
    if fy_end < table["fy_end"].min():
        return {**out, "dsg_reason": "not_collected_yet"}
    rows = table[(table["key"] == code) & (table["fy_end"] == fy_end)]
    if rows.empty:  # after the file's last year, or a council the table does not list that year
        return {**out, "dsg_reason": _absent(fy_end, table["fy_end"])}
    return {**out, "dsg_deficit_pct": float(rows["dsg_deficit_pct"].iat[0]), "dsg_reason": pd.NA}


AREA_TYPES = {  # the lookup's ONS type -> the area type as the registry declares it
    "County": "county",
    "Unitary Authority": "unitary authority",
    "Metropolitan District": "metropolitan district",
    "London Borough": "London borough",
}


def _lookup(code: str, when, lookup: pd.DataFrame, population: dict) -> dict:
    """The inspected council's type and population aged 0-25 as it was at ``when``: the D2I lookup's (one row
    per council now, not dated), corrected for councils that changed (:func:`geography.council_as_inspected`)."""
    key = geography.SUCCESSION.get(code, code)
    out = {}
    if key in lookup.index:
        r = lookup.loc[key]
        out = {"area_type": AREA_TYPES.get(r["la_type"]), "population_0_25": r["population_0_25"]}
    out.update(geography.council_as_inspected(code, when, population))
    if not out:
        return {"lookup_reason": "no_match"}
    return {**out, "lookup_reason": "no_match" if any(pd.isna(v) for v in out.values()) else pd.NA}


def _timeliness() -> pd.DataFrame:
    """SEN2's 20-week rates by LA and calendar year: 2014-2022 from the SEN2 file, later years from the 2025
    release (which covers 2019-2024; used only for the years the first lacks)."""
    ehcp = dfe.read_sen2_timeliness(sources.raw_path(dfe.SEN2_MI))
    later = dfe.read_timeliness_2025(sources.raw_path(dfe.EHCP_ZIP))
    return pd.concat([ehcp, later[later["year"] > ehcp["year"].max()]], ignore_index=True)


def area_years() -> pd.DataFrame:
    """Builder of the ``area_years`` table: each LA's 20-week rate and appeal rate by calendar year, under the
    code DfE published that year (the profiles' trend chart)."""
    from .ingest import ofsted

    lookup = ofsted.read_la_lookup(sources.raw_path(ofsted.LA_LOOKUP))
    t = _timeliness()[["la_code", "year", "ehcp_20wk_pct"]]
    a = dfe.read_appeals(sources.raw_path(dfe.EHCP_ZIP), lookup)[["la_code", "year", "appeal_rate"]]
    out = t.astype({"year": int}).merge(a, on=["la_code", "year"], how="outer")
    out = out.rename(columns={"ehcp_20wk_pct": "ehcp_20wk_pct_in_year", "appeal_rate": "appeal_rate_in_year"})
    return out.astype({"la_code": "string", "year": "Int64"}).sort_values(["la_code", "year"]).reset_index(drop=True)


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(key=geography.harmonise(df["la_code"]))


def area_factors(inspections: pd.DataFrame, framework: str = "2016") -> pd.DataFrame:
    """Add every factor, as at each row's inspection, to a ``load_inspections(framework)`` frame."""
    from .ingest import ofsted

    dmo = _keyed(dfe.read_dmo_dco(sources.raw_path(dfe.DMO_DCO)))
    zip_path = sources.raw_path(dfe.EHCP_ZIP)
    ehcp = _keyed(_timeliness())
    lookup = ofsted.read_la_lookup(sources.raw_path(ofsted.LA_LOOKUP))
    appeals = _keyed(dfe.read_appeals(zip_path, lookup))
    caseload = _keyed(dfe.read_caseload(zip_path))
    by_code = _keyed(lookup).drop_duplicates("key", keep="last").set_index("key")
    population = by_code["population_0_25"].to_dict()
    dsg = _keyed(dfe.read_dsg(sources.raw_path(dfe.DSG_DEFICIT), lookup))
    ref = geography.reference_date if framework == "2016" else geography.reference_date_2023
    rows = []
    for _, r in inspections.iterrows():
        when = ref(r)
        key = geography.SUCCESSION.get(r["la_code"], r["la_code"])
        rows.append(
            {
                "factor_date": when,
                **geography.ccg_structure(r["la_code"], when),
                **geography.ccg_rating(r["la_code"], when),
                **geography.icb_structure(r["la_code"], when),
                **_dmo_dco(key, when.year, dmo),
                **_ehcp(key, when.year, ehcp),
                **geography.imd(r["la_code"], when),
                **_appeals(key, when.year, appeals),
                **_caseload(key, when.year, caseload, population),
                **_dsg(key, when, dsg),
                **_lookup(r["la_code"], when, by_code, population),
            }
        )
    f = pd.DataFrame(rows, index=inspections.index)
    out = pd.concat([inspections, f], axis=1)
    out = out.reindex(columns=[*out.columns, *(c for c in [*FACTOR_VALUES, *REASON_COLUMNS] if c not in out)])
    for col, c in FACTOR_COLUMNS.items():  # each factor's type, as its declaration says
        if c.dtype == "Int64":
            out[col] = pd.to_numeric(out.get(col), errors="coerce").astype("Float64").astype("Int64")
        elif c.dtype == "float64":
            out[col] = pd.to_numeric(out.get(col), errors="coerce").astype(float)
        else:
            out[col] = out[col].astype(c.dtype)
    for col in REASON_COLUMNS:
        out[col] = out[col].astype("string")
    return out


def coverage(areas: pd.DataFrame) -> pd.DataFrame:
    """Factor x share of areas with a value, and the reasons for the rest."""
    rows = []
    for col in FACTOR_VALUES:
        have = areas[col].notna()
        reason_col = FACTOR_REASON.get(col) if FACTOR_REASON.get(col) in areas else None
        reasons = areas.loc[~have, reason_col].value_counts().to_dict() if reason_col else {}
        rows.append(
            {
                "factor": col,
                "n_areas": len(areas),
                "n_with_value": int(have.sum()),
                "share_with_value": have.mean(),
                "missing_reasons": "; ".join(f"{k}: {v}" for k, v in sorted(reasons.items())),
            }
        )
    return pd.DataFrame(rows)


def areas_2016(inspections_2016: pd.DataFrame) -> pd.DataFrame:
    """Builder of the ``areas_2016`` table."""
    return area_factors(inspections_2016)


def areas_2023(inspections_2023: pd.DataFrame) -> pd.DataFrame:
    """Builder of the ``areas_2023`` table."""
    return area_factors(inspections_2023, "2023")
