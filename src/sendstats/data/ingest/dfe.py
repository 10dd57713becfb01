"""DfE SEN2 data (local authority rows): designated medical/clinical officers, EHC-plan timeliness."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...errors import DataError
from ..boundaries import APPEAL_CROSSWALK, DSG_NAMES
from ..names import clean_la_name
from ..rawfiles import DMO_DCO, DSG_DEFICIT, EHCP_ZIP, SEN2_MI  # noqa: F401 (re-exported)
from ._common import read_csv, require_columns

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
    return la.rename(columns={"new_la_code": "la_code", "des_med_off": "dmo_in_post", "des_clin_off": "dco_in_post"})[
        ["year", "la_code", "dmo_in_post", "dco_in_post"]
    ]


def numeric_with_reason(s: pd.Series, path: Path, column: str) -> tuple[pd.Series, pd.Series]:
    """A DfE column -> (float values, reason for each missing value). Unknown symbols are an error."""
    raw = s.astype("string").str.strip()
    num = pd.to_numeric(raw, errors="coerce")
    reason = raw.str.lower().map(SUPPRESSION)
    unknown = raw.notna() & num.isna() & reason.isna()
    if unknown.any():
        raise DataError(
            path,
            f"neither a number nor a DfE symbol {sorted(SUPPRESSION)}: {raw[unknown].iloc[0]!r}",
            where=f"column {column}",
        )
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


# --- the 2025 release zip: later SEN2 years, caseload, and the SEND Tribunal appeal rate ---------------
APPEALS_MEMBER = "supporting-files/SEND Tribunals and appeal rate 2014-2024.csv"
TIMELINESS_MEMBER = "data/timeliness_20_week.csv"
CASELOAD_MEMBER = "data/caseload.csv"
# appeals-table symbols: " - " is zero, ".." not available, "~" suppressed (footnotes of the table)
APPEAL_SYMBOLS = {"-": 0.0}
APPEAL_REASONS = {"..": "no_match", "~": "suppressed", "": "no_match"}


MAX_MEMBER_BYTES = 512 * 1024 * 1024  # the largest member of the bundled zips inflates to about 60 MB


def read_zip_csv(path: Path, member: str, **kwargs) -> pd.DataFrame:
    """One CSV inside a zip; a missing/corrupt zip or member is a DataError naming both."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            size = z.getinfo(member).file_size
            if size > MAX_MEMBER_BYTES:
                raise DataError(path, f"member inflates to {size:,} bytes, over the {MAX_MEMBER_BYTES:,}-byte limit")
            with z.open(member) as f:
                return pd.read_csv(f, **kwargs)
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except zipfile.BadZipFile as e:
        raise DataError(path, f"not a readable zip file ({e})") from None
    except KeyError:
        raise DataError(path, f"member {member!r} not found in the zip") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
        raise DataError(path, f"cannot parse CSV ({e})", where=member) from None


def read_appeals(path: Path, lookup: pd.DataFrame) -> pd.DataFrame:
    """SEND Tribunal appeal-rate table (calendar years 2014-2024) -> one row per (la_code, year) with
    appeals_registered, appealable_decisions, appeal_rate (% = registered / decisions, recomputed because the
    published rate is rounded) and a reason where missing. Rows are placed by name, not by the table's own
    3-digit code, which is wrong for Northamptonshire (892 is Nottingham's); every code disagreement is kept
    in ``code_note``. ``lookup`` is ``ofsted.read_la_lookup``'s frame."""
    raw = read_zip_csv(path, APPEALS_MEMBER, header=None, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    where = APPEALS_MEMBER
    head = raw.index[raw[0].str.strip() == "Local Authority"]
    if head.empty:
        raise DataError(path, "no header row starting 'Local Authority'", where=where)
    h = head[0]
    years = {c: int(v) for c, v in raw.iloc[h].items() if str(v).strip().isdigit()}
    if not years or any(not str(raw.iat[h + 1, c]).startswith("Appeals registered") for c in years):
        raise DataError(path, "expected year columns each starting with 'Appeals registered'", where=where)
    body = raw.iloc[h + 2 :]
    body = body[
        (body[0].str.strip() != "") & (body[2].str.strip() != "") & ~body[0].str.contains("England|^\\d", regex=True)
    ]
    by_name: dict[str, tuple[str, str]] = {}
    by_code3: dict[str, tuple[str, str]] = {}
    for _, r in lookup.iterrows():
        names = [r["name"], *str(r["also_known_as"] or "").strip("[]").split(",")]
        for n in clean_la_name(pd.Series(names)).dropna():
            if n:
                by_name[n] = by_name[n.removesuffix(" borough")] = (r["la_code"], r["la_code_3"])
        by_code3[r["la_code_3"]] = (r["la_code"], r["la_code_3"])
    rows = []
    for _, r in body.iterrows():
        name = clean_la_name(pd.Series([r[0]])).iloc[0]
        code3 = r[1].strip()
        for col, year in years.items():
            if name in APPEAL_CROSSWALK:
                code = next((c for until, c in APPEAL_CROSSWALK[name] if until is None or year <= until), None)
                if code is None:
                    continue
                note = "placed by the sendstats crosswalk (code missing or changed)"
            elif name in by_name:
                code, lookup3 = by_name[name]
                note = "" if lookup3 == code3 else f"table code {code3 or 'blank'} ignored; lookup code {lookup3}"
            elif code3 in by_code3:
                code, note = by_code3[code3][0], "placed by the table's code (name differs from the lookup)"
            else:
                raise DataError(
                    path,
                    f"local authority {r[0]!r} (code {code3 or 'blank'}) matches no name or code in the LA lookup",
                    where=where,
                )
            vals: list[float | None] = []
            reasons: list[str | None] = []
            for c in (col, col + 1):
                v = r[c].strip().replace(",", "")
                if v in APPEAL_SYMBOLS:
                    vals.append(APPEAL_SYMBOLS[v])
                    reasons.append(None)
                elif v in APPEAL_REASONS:
                    vals.append(None)
                    reasons.append(APPEAL_REASONS[v])
                else:
                    try:
                        vals.append(float(v))
                        reasons.append(None)
                    except ValueError:
                        raise DataError(
                            path,
                            f"neither a number nor a symbol (-, .., ~): {r[c]!r}",
                            where=f"{where}, {r[0]}, {year}",
                        ) from None
            rows.append(
                {
                    "la_code": code,
                    "year": year,
                    "appeals_registered": vals[0],
                    "appealable_decisions": vals[1],
                    "reason": next((x for x in reasons if x), None),
                    "code_note": note,
                    "source_name": r[0],
                }
            )
    out = pd.DataFrame(rows)
    ok = out["appealable_decisions"] > 0
    out["appeal_rate"] = (100 * out["appeals_registered"] / out["appealable_decisions"]).where(ok)
    out.loc[out["appeal_rate"].isna() & out["reason"].isna(), "reason"] = "not_applicable"
    dup = out.duplicated(["la_code", "year"], keep=False)
    if dup.any():
        raise DataError(path, f"two rows for {out['la_code'][dup].iloc[0]} in {out['year'][dup].iloc[0]}", where=where)
    return out.sort_values(["la_code", "year"]).reset_index(drop=True)


def read_timeliness_2025(path: Path) -> pd.DataFrame:
    """timeliness_20_week.csv (calendar years 2019-2024, all plans) -> same columns as read_sen2_timeliness."""
    df = read_zip_csv(path, TIMELINESS_MEMBER, dtype=str, encoding="utf-8-sig")
    require_columns(
        df,
        ["breakdown_topic", "PC_plans_issued_20_weeks_ex", "pc_plans_issued_within_20_weeks"],
        path,
        where=TIMELINESS_MEMBER,
    )
    la = _la_rows(df[df["breakdown_topic"] == "All EHC plans issued"], path)
    out = la[["year", "new_la_code"]].rename(columns={"new_la_code": "la_code"})
    for src, dst in (
        ("PC_plans_issued_20_weeks_ex", "ehcp_20wk_pct"),
        ("pc_plans_issued_within_20_weeks", "ehcp_20wk_inc_exc_pct"),
    ):
        out[dst], out[f"{dst}_reason"] = numeric_with_reason(la[src], path, src)
    return out.reset_index(drop=True)


def read_caseload(path: Path) -> pd.DataFrame:
    """caseload.csv -> year (of the January census: 201819 -> 2019), la_code, ehc_plans (all plans)."""
    df = read_zip_csv(path, CASELOAD_MEMBER, dtype=str, encoding="utf-8-sig")
    require_columns(df, ["breakdown_topic", "ehcplans"], path, where=CASELOAD_MEMBER)
    df = df[df["breakdown_topic"] == "All EHC plans"].copy()
    df["time_period"] = df["time_period"].str[-2:].radd("20")  # academic year 201819 -> January 2019
    la = _la_rows(df, path)
    out = la[["year", "new_la_code"]].rename(columns={"new_la_code": "la_code"})
    out["ehc_plans"], out["ehc_plans_reason"] = numeric_with_reason(la["ehcplans"], path, "ehcplans")
    return out.reset_index(drop=True)


def read_dsg(path: Path, lookup: pd.DataFrame) -> pd.DataFrame:
    """DfE's derived DSG table -> one row per (la_code, fy_end) with ``dsg_deficit_pct``: the cumulative DSG
    deficit as a % of total DSG income (positive = in deficit), for financial years ending March 2020-2022.
    Rows are placed by name through the D2I lookup (the table has no codes), with ``DSG_NAMES`` for the rest;
    an unplaced name is an error naming it."""
    from ._common import read_sheet

    df = read_sheet(path, "Sheet 1")
    require_columns(df, ["time_period", "geographic_level", "la_name", "deficit", "financial_year"], path)
    la = df[df["geographic_level"] == "Local authority"].copy()
    names: dict = {}
    for col in ("name", "also_known_as"):
        for n, code in zip(clean_la_name(lookup[col].dropna()), lookup.loc[lookup[col].notna(), "la_code"]):
            names.setdefault(n, code)
    key = clean_la_name(la["la_name"])
    la["la_code"] = [DSG_NAMES.get(k) or names.get(k) for k in key]
    bad = la["la_code"].isna()
    if bad.any():
        raise DataError(path, f"local authority {la['la_name'][bad].iloc[0]!r} matches no area in the LA lookup")
    value = pd.to_numeric(la["deficit"], errors="coerce")
    if value.isna().any():
        raise DataError(path, f"deficit is not a number for {la['la_name'][value.isna()].iloc[0]!r}")
    fy = la["time_period"].astype(str).str[-2:].astype(int) + 2000
    return pd.DataFrame(
        {"la_code": la["la_code"].astype("string"), "fy_end": fy.to_numpy(), "dsg_deficit_pct": value.to_numpy()}
    )
