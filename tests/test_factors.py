"""Area factors as at the inspection date, spot-checked by hand from the raw lookups (plain pandas/csv here,
not sendstats), plus the no-drop/no-duplicate guarantees and the error paths."""

import csv
import gzip
import io

import pandas as pd
import pytest
from conftest import RAW, run_cli

import sendstats
import sendstats.data.factors
import sendstats.data.ingest.dfe
from sendstats.data import geography

ONS = RAW / "ons"


@pytest.fixture(scope="module")
def areas():
    return sendstats.load_areas().set_index("area")


def ccg_raw(year):
    return pd.read_csv(ONS / f"lsoa11_ccg_lad_april_{year}.csv.gz", dtype=str, encoding="utf-8-sig")


def hand_ccgs(year, lads):
    yy = str(year)[2:]
    df = ccg_raw(year)
    mine = df[df[f"LAD{yy}CD"].isin(lads)]
    counts = mine[f"CCG{yy}CD"].value_counts()
    main_all = df[df[f"CCG{yy}CD"] == counts.index[0]]
    return {
        "n_ccgs": counts.size,
        "main_ccg_share": counts.iat[0] / len(mine),
        "n_lsoas": len(mine),
        "ccg_shared": bool((~main_all[f"LAD{yy}CD"].isin(lads)).any()),
    }


def kent_districts():
    c = pd.read_csv(ONS / "lad16_to_county16.csv", dtype=str)
    return c.loc[c["CTY16NM"] == "Kent", "LAD16CD"].tolist()


def test_every_area_once_with_a_geography(areas):
    a = sendstats.load_areas()
    assert len(a) == 151 and a["la_code"].is_unique and a["predecessor"].sum() == 2
    assert (a["n_lsoas"] > 0).all() and a["ccg_reason"].isna().all()
    inspections = sendstats.load_inspections()
    assert a["la_code"].tolist() == inspections["la_code"].tolist()
    cov = sendstats.data.factors.coverage(a)
    print("\n" + cov.to_string())
    for col in ("dmo_in_post", "ehcp_20wk_pct", "ehcp_20wk_change_2y"):
        reason = "dmo_dco_reason" if col == "dmo_in_post" else f"{col}_reason"
        print(col, "missing:", a.loc[a[col].isna(), ["area", reason]].values.tolist())


def test_kingston_upon_thames_sept_2018(areas):
    k = areas.loc["Kingston upon Thames"]
    assert k["ccg_lookup_year"] == 2018
    h = hand_ccgs(2018, ["E09000021"])
    assert k["n_ccgs"] == h["n_ccgs"] == 1 and k["n_lsoas"] == h["n_lsoas"]
    assert bool(k["ccg_coterminous"]) and not bool(k["ccg_shared"])
    assert k["dmo_dco_reason"] == "not_collected_yet"  # the DMO/DCO collection starts in 2019
    # EHC plans issued within 20 weeks in 2017 (calendar year before the inspection), from the raw CSV
    rows = [
        r
        for r in csv.DictReader(open(RAW / "dfe/sen2_mi_2014_to_2022.csv", encoding="utf-8-sig"))
        if r["new_la_code"] == "E09000021" and r["time_period"] in ("2015", "2017")
    ]
    by = {r["time_period"]: float(r["no_exc_20week_rate"]) for r in rows}
    assert k["ehcp_20wk_pct"] == pytest.approx(by["2017"])
    assert k["ehcp_20wk_change_2y"] == pytest.approx(by["2017"] - by["2015"])
    imd = pd.read_csv(ONS / "lsoa11_imd2019_lad19.csv.gz", dtype={"LAD19CD": str})
    mine = imd[imd["LAD19CD"] == "E09000021"]
    assert k["imd_share_most_deprived_decile"] == pytest.approx((mine["IMD19"] <= 3284).mean())
    assert k["imd_mean_rank"] == pytest.approx(mine["IMD19"].mean())


def test_metropolitan_district_manchester(areas):
    m = areas.loc["Manchester"]
    assert m["inspection_start"] == pd.Timestamp("2021-11-22") and m["ccg_lookup_year"] == 2021
    h = hand_ccgs(2021, ["E08000003"])
    assert (m["n_ccgs"], m["n_lsoas"]) == (h["n_ccgs"], h["n_lsoas"])
    assert m["imd_quintile"] == 1


def test_county_with_many_districts_kent(areas):
    k = areas.loc["Kent"]
    assert k["ccg_lookup_year"] == 2018  # inspected January 2019: the April 2018 lookup is in force
    h = hand_ccgs(2018, kent_districts())
    assert k["n_ccgs"] == h["n_ccgs"] == 7 and k["main_ccg_share"] == pytest.approx(h["main_ccg_share"])
    assert k["n_lsoas"] == h["n_lsoas"]
    dmo = [
        r
        for r in csv.DictReader(open(RAW / "dfe/sen2_dmo_dco_2019_to_2025.csv", encoding="utf-8-sig"))
        if r["new_la_code"] == "E10000016" and r["time_period"] == "2019"
    ]
    assert k["dmo_in_post"] == dmo[0]["des_med_off"] and k["dco_in_post"] == dmo[0]["des_clin_off"]


def test_ccgs_merged_between_2016_and_2021():
    """Kent's CCGs merged into NHS Kent and Medway CCG in April 2020: the date decides the count."""
    before = geography.ccg_structure("E10000016", "2019-01-28")
    after = geography.ccg_structure("E10000016", "2020-06-01")
    c20 = pd.read_csv(ONS / "lad20_to_county20.csv", dtype=str)
    kent20 = c20.loc[c20["CTY20CD"] == "E10000016", "LAD20CD"].tolist()
    assert after["n_ccgs"] == hand_ccgs(2020, kent20)["n_ccgs"] == 1 < before["n_ccgs"]
    assert after["ccg_shared"]  # Kent and Medway CCG also serves Medway


def test_post_2019_unitary_bcp_and_predecessors(areas):
    b = areas.loc["Bournemouth, Christchurch and Poole"]
    h = hand_ccgs(2021, ["E06000058"])
    assert (b["n_ccgs"], b["n_lsoas"], bool(b["ccg_shared"])) == (h["n_ccgs"], h["n_lsoas"], h["ccg_shared"])
    assert b["ehcp_20wk_change_2y_reason"] == "no_match"  # BCP did not exist in 2018
    d = areas.loc["Dorset"]  # the old county, inspected January 2017: 2016 lookup, districts via county16
    c16 = pd.read_csv(ONS / "lad16_to_county16.csv", dtype=str)
    dorset16 = c16.loc[c16["CTY16CD"] == "E10000009", "LAD16CD"].tolist()
    assert d["n_lsoas"] == hand_ccgs(2016, dorset16)["n_lsoas"] and d["ccg_lookup_year"] == 2016
    n = areas.loc["Northamptonshire"]
    assert n["n_lsoas"] == len(ccg_raw(2021).query("LAD21CD in ['E06000061', 'E06000062']"))  # North + West


def test_buckinghamshire_code_change(areas):
    b = areas.loc["Buckinghamshire"]  # Ofsted's file keeps E10000002; inspected March 2022 (E06000060)
    assert b["la_code"] == "E10000002" and b["ccg_lookup_year"] == 2021
    assert b["n_lsoas"] == len(ccg_raw(2021).query("LAD21CD == 'E06000060'"))
    assert pd.notna(b["dmo_in_post"]) and pd.notna(b["ehcp_20wk_pct"])


def test_suppressed_values_are_never_numbers():
    t = sendstats.data.ingest.dfe.read_sen2_timeliness(RAW / "dfe/sen2_mi_2014_to_2022.csv")
    raw = pd.read_csv(RAW / "dfe/sen2_mi_2014_to_2022.csv", dtype=str)
    raw = raw[raw["geographic_level"] == "Local authority"].reset_index(drop=True)
    z = raw["no_exc_20week_rate"].str.strip().isin(["z", "x", "c"])
    assert z.sum() == 89
    assert t.loc[z.values, "ehcp_20wk_pct"].isna().all()
    assert set(t.loc[z.values, "ehcp_20wk_pct_reason"]) == {"not_applicable", "suppressed"}


def test_lookup_year_rules():
    assert geography.lookup_year("2018-03-31") == 2017 and geography.lookup_year("2018-04-01") == 2018
    assert geography.lookup_year("2022-06-30") == 2021 and geography.lookup_year("2022-07-01") is None
    assert geography.ccg_structure("E09000021", "2022-07-04")["ccg_reason"] == "not_applicable"


def _rewrite_gz(path, mutate):
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    df = mutate(df)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as fh:
        fh.write(df.to_csv(index=False).encode())
    return buf.getvalue()


@pytest.mark.parametrize(
    "mutate, expect",
    [
        (lambda d: d.drop(columns=["CCG18CD"]), "missing column(s) ['CCG18CD']"),
        (lambda d: pd.concat([d, d.iloc[[5]]]), "appears more than once"),
        (lambda d: d.assign(LAD18CD=d["LAD18CD"].where(d.index != 0, "E07999999")), "E07999999"),
    ],
)
def test_bad_lookup_fails_cleanly(data_copy, mutate, expect):
    from test_build import _build_ok, _replace

    before = _build_ok(data_copy)
    rel = "ons/lsoa11_ccg_lad_april_2018.csv.gz"
    _replace(data_copy, rel, _rewrite_gz(data_copy / "raw" / rel, mutate))
    r = run_cli("data", "build", env={"SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 2 and "lsoa11_ccg_lad_april_2018.csv.gz" in r.stderr and expect in r.stderr, r.stderr
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before


# --- SEND Tribunal appeal rate, EHC plans per 1,000, and the 2023-framework areas -------------------------
# Expected values are read by eye from the zip's "SEND Tribunals and appeal rate 2014-2024.csv" rows
# (appeals registered, total appealable decisions) and caseload.csv / the D2I lookup.


def test_appeal_rate_year_before_inspection(areas):
    k = areas.loc["Kingston upon Thames"]  # inspected Sep 2018 -> 2017: 14 appeals / 1,073 decisions
    assert k["appeals_year"] == 2017 and k["appeals_registered"] == 14
    assert k["appeal_rate"] == pytest.approx(100 * 14 / 1073)


@pytest.mark.parametrize(
    "area, year, registered, decisions",
    [
        ("Nottingham", 2020, 19, 1343),  # table codes Nottingham 891 (Nottinghamshire's code)
        ("Nottinghamshire", 2015, 35, 1850),  # table codes it 928 (Northamptonshire's)
        ("Central Bedfordshire", 2018, 19, 1859),  # table swaps Central Bedfordshire / Cambridgeshire codes
        ("Cambridgeshire", 2016, 65, 3955),
        ("Northamptonshire", 2016, 73, 3960),  # predecessor; the table codes it 892 (Nottingham's)
        ("Dorset", 2016, 18, 1990),  # predecessor county: the table's Dorset row before 2019
        ("Bournemouth, Christchurch and Poole", 2020, 21, 2747),
    ],
)
def test_appeals_placed_by_name_not_by_the_tables_wrong_codes(areas, area, year, registered, decisions):
    r = areas.loc[area]
    assert (r["appeals_year"], r["appeals_registered"]) == (year, registered)
    assert r["appeal_rate"] == pytest.approx(100 * registered / decisions)


def test_appeals_symbols_and_crosswalk():
    from sendstats.data.ingest import ofsted

    lookup = ofsted.read_la_lookup(RAW / ofsted.LA_LOOKUP)
    a = sendstats.data.ingest.dfe.read_appeals(RAW / sendstats.data.ingest.dfe.EHCP_ZIP, lookup).set_index(
        ["la_code", "year"]
    )
    assert a.loc[("E09000001", 2016), "appeals_registered"] == 0  # City of London " - " means zero
    assert a.loc[("E06000028", 2018), "appeals_registered"] == 20  # Bournemouth: blank code in the table
    assert ("E06000028", 2019) not in a.index  # merged into BCP: no invented zero rows
    n21 = a.loc[("E10000021", 2021)]  # Northamptonshire 2021: 85 registered, decisions ".."
    assert pd.isna(n21["appeal_rate"]) and n21["reason"] == "no_match"
    assert not a.index.duplicated().any()


def test_ehcp_per_1000_uses_caseload_and_d2i_population():
    b = sendstats.load_areas("2023").set_index("area")
    c = b.loc["Cumberland"]  # inspected July 2025: January 2025 caseload 2,893; D2I population 0-25 128,211
    assert c["ehcp_caseload_year"] == 2025 and c["ehcp_per_1000_0_25"] == pytest.approx(1000 * 2893 / 128211)
    a = sendstats.load_areas("2016").set_index("area")
    assert a.loc["Kingston upon Thames", "ehcp_per_1000_reason"] == "not_collected_yet"  # before Jan 2019


def test_areas_2023_one_row_per_inspection_and_factor_reasons():
    b = sendstats.load_areas("2023")
    i = sendstats.load_inspections("2023")
    assert b["la_code"].tolist() == i["la_code"].tolist() and len(b) == 97  # Cornwall twice
    assert (b["ccg_reason"] == "not_applicable").all()  # CCGs abolished 1 July 2022
    assert b["imd_quintile"].notna().all()
    # appeal rates end with 2024: an inspection in 2026 has no rate for 2025, and says why
    late = b["factor_date"].dt.year >= 2026
    assert b.loc[~late, "appeal_rate"].notna().all()
    assert (b.loc[late, "appeal_reason"] == "not_published_yet").all()
    cov = sendstats.data.factors.coverage(b)
    print("\n" + cov.to_string())
    # Cumberland (a 2023 unitary) from its three districts in the 2021 LSOA lookup, by hand
    d = ccg_raw(2021)
    mine = d[d["LAD21CD"].isin(["E07000026", "E07000028", "E07000029"])]["LSOA11CD"]
    imd = pd.read_csv(ONS / "lsoa11_imd2019_lad19.csv.gz", dtype=str, encoding="utf-8-sig")
    rank_col = "IMD19"
    ranks = imd.set_index(imd.columns[0]).loc[mine, rank_col].astype(int)
    row = b.set_index("area").loc["Cumberland"]
    assert row["imd_mean_rank"] == pytest.approx(ranks.mean())
    # North Yorkshire (E06000065 from April 2023) keeps the county's LSOAs
    assert (
        sendstats.load_areas("2023").set_index("area").loc["North Yorkshire", "imd_quintile"]
        == sendstats.load_areas("2016").set_index("area").loc["North Yorkshire", "imd_quintile"]
    )


def test_timeliness_2025_release_agrees_with_sen2_2014_2022():
    old = sendstats.data.ingest.dfe.read_sen2_timeliness(RAW / sendstats.data.ingest.dfe.SEN2_MI)
    new = sendstats.data.ingest.dfe.read_timeliness_2025(RAW / sendstats.data.ingest.dfe.EHCP_ZIP)
    m = old.merge(new, on=["la_code", "year"], suffixes=("_old", "_new"))
    assert len(m) > 500
    both = m.dropna(subset=["ehcp_20wk_pct_old", "ehcp_20wk_pct_new"])
    share_close = ((both["ehcp_20wk_pct_old"] - both["ehcp_20wk_pct_new"]).abs() < 0.15).mean()
    print("2019-2022 LA rows compared:", len(both), "share within 0.15 pp:", share_close)
    assert share_close > 0.95


def _rezip(path, member, mutate):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, mutate(data) if info.filename == member else data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "mutate, expect",
    [
        (lambda b: b.replace(b"Kingston upon Thames,314", b"Atlantis,999"), "'Atlantis' (code 999) matches no name"),
        (lambda b: b.replace(b"Kingston upon Thames,314,15", b"Kingston upon Thames,314,lots"), "'lots'"),
    ],
)
def test_bad_appeals_table_fails_cleanly(data_copy, mutate, expect):
    from test_build import _build_ok, _replace

    before = _build_ok(data_copy)
    rel = sendstats.data.ingest.dfe.EHCP_ZIP
    _replace(data_copy, rel, _rezip(data_copy / "raw" / rel, sendstats.data.ingest.dfe.APPEALS_MEMBER, mutate))
    r = run_cli("data", "build", env={"SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 2 and "education-health-and-care-plans_2025.zip" in r.stderr and expect in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before


def test_dsg_deficit_as_at_the_last_financial_year_ended(areas):
    """Read straight from the raw workbook: Barnsley and BCP, inspected after April 2020, take the year that
    ended the March before; areas inspected before April 2020 have no figure (collected from 2019-20)."""
    raw = pd.read_excel(RAW / "dfe" / "dsg_deficit_2019_to_2022_derived.xlsx", engine="calamine")
    raw = raw[raw["geographic_level"] == "Local authority"]
    for name, raw_name in (
        ("Barnsley", "Barnsley"),
        ("Bournemouth, Christchurch and Poole", "Bournemouth, Christchurch and Poole"),
    ):
        a = areas.loc[name]
        d = a["factor_date"]
        fy_end = d.year if d >= pd.Timestamp(d.year, 4, 1) else d.year - 1
        expect = raw[(raw["la_name"] == raw_name) & (raw["time_period"] == (fy_end - 1) * 100 + fy_end % 100)][
            "deficit"
        ]
        assert a["dsg_fy_end"] == fy_end and a["dsg_deficit_pct"] == pytest.approx(float(expect.iat[0]))
    early = areas[areas["factor_date"] < "2020-04-01"]
    assert early["dsg_deficit_pct"].isna().all() and (early["dsg_reason"] == "not_collected_yet").all()
    assert areas.loc["Isles of Scilly", "dsg_reason"] == "no_match"  # not in the DfE table


def test_icb_structure_from_the_raw_lookups():
    """North Yorkshire (the former county's districts) and Cornwall, counted here from the raw files."""
    lsoa = pd.read_csv(RAW / "ons" / "lsoa11_ccg_lad_april_2021.csv.gz", dtype=str, encoding="utf-8-sig")
    county = pd.read_csv(RAW / "ons" / "lad20_to_county20.csv", dtype=str, encoding="utf-8-sig")
    sub = pd.read_csv(RAW / "lookups" / "sub_icb_to_icb_july_2022.csv", dtype=str, encoding="utf-8-sig")
    ny = lsoa[lsoa["LAD21CD"].isin(county.loc[county["CTY20CD"] == "E10000023", "LAD20CD"])]
    icbs = ny.merge(sub, left_on="CCG21CDH", right_on="SICBL22CDH")["ICB22NM"].value_counts()
    a = sendstats.load_areas("2023").set_index("area")
    assert a.loc["North Yorkshire", "n_icbs"] == len(icbs) == 3
    assert a.loc["North Yorkshire", "main_icb_share"] == pytest.approx(icbs.iloc[0] / len(ny))
    assert a.loc["North Yorkshire", "main_icb_name"] == icbs.index[0]
    assert (a.loc["Cornwall", "n_icbs"] == 1).all()  # both inspections
    # every 2023-framework inspection is after July 2022: no CCG measures, ICB measures for all
    assert a["ccg_reason"].eq("not_applicable").all() and a["n_icbs"].notna().all()


def _d2i_population():
    d = pd.read_csv(RAW / "lookups/la_lookup_d2i.csv", dtype=str, encoding="utf-8-sig")
    d["code"] = d["la_code_new"].fillna(d["ltla23_ons"])  # Cumbria has no new code: its own (last) code
    return d.set_index("code")["ons_population_0-25"].astype(float)


def _lsoas_2021():
    lk = pd.read_csv(ONS / "lsoa11_ccg_lad_april_2021.csv.gz", dtype=str, encoding="utf-8-sig")
    return lk.set_index("LSOA11CD")["LAD21CD"]


def test_councils_are_typed_and_sized_as_they_were_when_inspected():
    """Issue 33 item 4, each case against the source files read here: the D2I lookup's population and the
    April 2021 LSOA lookup's districts (LSOA counts give the apportioning shares)."""
    pop = _d2i_population()
    lad = _lsoas_2021()
    a16 = sendstats.load_areas("2016").set_index("la_code")
    a23 = sendstats.load_areas("2023").set_index("la_code")
    # Somerset: inspected March 2020, a county until April 2023 (the lookup types it unitary: it is one now)
    assert a16.at["E10000027", "area_type"] == "county"
    assert a16.at["E10000027", "population_0_25"] == pop["E06000066"]
    # North Yorkshire: a county at its 2016 inspection, a unitary authority at its 2024 one
    assert a16.at["E10000023", "area_type"] == "county" and a23.at["E06000065", "area_type"] == "unitary authority"
    # Cumberland and Westmorland and Furness: unitary, each with its districts' share of Cumbria's population
    cumbria = {"E07000026", "E07000027", "E07000028", "E07000029", "E07000030", "E07000031"}
    cumberland = {"E07000026", "E07000028", "E07000029"}
    share = lad.isin(cumberland).sum() / lad.isin(cumbria).sum()
    assert a23.at["E06000063", "area_type"] == "unitary authority"
    assert a23.at["E06000063", "population_0_25"] == round(pop["E10000006"] * share)
    assert a23.at["E06000064", "population_0_25"] == round(pop["E10000006"] * (1 - share))
    # the former Dorset county (inspected January 2017): today's Dorset plus Christchurch's share of BCP
    lk16 = pd.read_csv(ONS / "lsoa11_ccg_lad_april_2016.csv.gz", dtype=str)
    christchurch = set(lk16.loc[lk16["LAD16CD"] == "E07000048", "LSOA11CD"])
    bcp = lad[lad == "E06000058"]
    dorset = pop["E06000059"] + pop["E06000058"] * bcp.index.isin(christchurch).sum() / len(bcp)
    assert a16.at["E10000009", "area_type"] == "county"
    assert a16.at["E10000009", "population_0_25"] == round(dorset)
    # the former Northamptonshire: North and West Northamptonshire together
    assert a16.at["E10000021", "population_0_25"] == pop["E06000061"] + pop["E06000062"]
    # a council the rules do not touch keeps the lookup's values
    assert a16.at["E08000030", "area_type"] == "metropolitan district"
    assert a16.at["E08000030", "population_0_25"] == pop["E08000030"]
