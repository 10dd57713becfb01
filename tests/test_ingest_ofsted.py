"""The ingest of Ofsted's files, checked against counts taken straight from the raw files (read here with
plain pandas / zipfile, not through sendstats) and against the publisher's own statements."""

import re
import zipfile

import pandas as pd
import pytest
from conftest import MI, ODS, OVERVIEW

import sendstats


@pytest.fixture(scope="module")
def raw16():
    return pd.read_excel(ODS, sheet_name="Area_SEND_up_to_31_Aug_2022", header=4, engine="calamine")


@pytest.fixture(scope="module")
def i16():
    return sendstats.load_inspections("2016")


@pytest.fixture(scope="module")
def i23():
    return sendstats.load_inspections("2023")


def test_149_areas_82_wsoa(i16, raw16):
    main = i16[~i16["predecessor"]]
    assert len(main) == 149 == len(raw16)  # Ofsted: 149 areas
    assert int(main["wsoa"].sum()) == 82 == int((raw16.iloc[:, 6] == "Yes").sum())  # Ofsted: 82 WSoAs
    assert main["la_code"].is_unique


def test_types(i16):
    assert str(i16["inspection_start"].dtype).startswith("datetime64")
    assert str(i16["published"].dtype).startswith("datetime64")
    assert str(i16["wsoa"].dtype) == "boolean"
    assert str(i16["n_weaknesses"].dtype) == "Int64"
    cat = i16["revisit_outcome"].dtype
    assert cat.ordered and list(cat.categories) == ["No", "Some", "Yes"]
    bed = i16.set_index("area").loc["Bedford"]
    assert bed["inspection_start"] == pd.Timestamp("2018-02-05") and bed["n_weaknesses"] == 5
    assert bed["revisit_outcome"] == "Yes" and bed["revisit_outcome"] > "Some"


def test_weakness_and_revisit_counts_match_raw(i16, raw16):
    main = i16[~i16["predecessor"]]
    assert int(main["n_weaknesses"].sum()) == int(raw16.iloc[:, 7].sum())
    raw_rev = raw16.iloc[:, 10].value_counts()
    got = main["revisit_outcome"].value_counts()
    for level in ("Yes", "Some", "No"):
        assert got[level] == raw_rev[level]
    assert (main["revisit_status"] == "not_revisited_yet").sum() == (raw16.iloc[:, 8] == "Not revisited yet").sum()


def test_hyperlink_targets_read_from_cells(i16):
    xml = zipfile.ZipFile(ODS).read("content.xml").decode()
    urls = re.findall(r"HYPERLINK\(&quot;(https://[^&]+)&quot;", xml)
    main = i16[~i16["predecessor"]]
    assert main["ofsted_url"].tolist() == urls  # same rows, same order as the sheet
    assert (
        main.set_index("area").loc["Barking and Dagenham", "ofsted_url"]
        == "https://reports.ofsted.gov.uk/provider/44/80486"
    )


def test_predecessors_from_notes_sheet(i16):
    p = i16[i16["predecessor"]].set_index("area")
    assert sorted(p.index) == ["Dorset", "Northamptonshire"]
    assert bool(p.loc["Dorset", "wsoa"]) and p.loc["Dorset", "revisit_outcome"] == "Some"
    assert str(p.loc["Dorset", "inspection_month"]) == "2017-01"
    assert p.loc["Dorset", "ceased"] == pd.Timestamp("2019-03-31")
    assert not bool(p.loc["Northamptonshire", "wsoa"])
    assert p.loc["Northamptonshire", "ceased"] == pd.Timestamp("2021-03-31")


def test_2023_framework(i23):
    ov = pd.read_excel(OVERVIEW, engine="calamine", dtype=str)
    # every inspection of the overview workbook is in the table (which adds those of the later snapshots)
    assert len(ov) == 72 and len(i23) == 97
    ov_keys = set(zip(ov["la_code"].str.strip(), pd.to_datetime(ov["publication_date"], format="%d/%m/%y")))
    lk = sendstats.data.store.load_table("la_lookup").set_index("la_code")["la_code_3"]
    assert ov_keys <= set(zip(i23["la_code"].map(lk), i23["published"]))
    assert i23["outcome"].dtype.ordered
    assert list(i23["outcome"].dtype.categories) == ["positive", "inconsistent", "systemic_failings"]
    # Ofsted: 26 inspections started in 2023 under the new framework
    assert (i23["inspection_start"].dt.year == 2023).sum() == 26
    assert i23["la_code"].str.match(r"^E(06|08|09|10)\d{6}$").all()
    # the workbook's ltla23cd is wrong for the new Cumbrian unitaries and Dorset: 3-digit codes fix it
    codes = i23.set_index("area")["la_code"]
    assert codes["Cumberland"] == "E06000063" and codes["Westmorland and Furness"] == "E06000064"
    assert codes["Dorset"] == "E06000059"
    missing = i23[i23["outcome"].isna() | i23["inspection_start"].isna()]
    assert missing["missing_reason"].notna().all()


def test_2023_matches_ofsted_mi(i23):
    mi = pd.read_csv(MI)
    assert len(mi) == 16
    from_mi = i23[i23["priority_action_plan_source"] == "ofsted_mi"].sort_values("published")
    assert len(from_mi) == 16
    want = (
        mi.iloc[:, 6]
        .map(
            {
                "Typically positive experiences and outcomes": "positive",
                "Inconsistent experiences and outcomes": "inconsistent",
                "Widespread and/or systemic failings": "systemic_failings",
            }
        )
        .value_counts()
    )
    got = from_mi["outcome"].astype(str).value_counts()
    assert got.to_dict() == want.to_dict()
    assert int(from_mi["priority_action_plan"].sum()) == int((mi.iloc[:, 7] == "Yes").sum())
