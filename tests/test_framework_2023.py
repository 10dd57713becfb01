"""Report 04's and 06's frames and statistics, checked by hand or against independent computations: the exact
r x c tests against a brute-force enumeration written here, the ICB structure against the raw NHS and ONS
lookups read with plain pandas, the responsible bodies and ICB names against the reports themselves."""

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import RAW
from scipy import stats as st

from sendstats import analysis, letters, stats


def _frame(table):
    rows = [(i, j) for i, r in enumerate(table) for j, k in enumerate(r) for _ in range(k)]
    d = pd.DataFrame(rows, columns=["a", "b"])
    return d.astype(
        {
            "a": pd.CategoricalDtype(range(len(table)), ordered=True),
            "b": pd.CategoricalDtype(range(len(table[0])), ordered=True),
        }
    )


def _brute(table):
    """Fisher-Freeman-Halton and linear-by-linear exact p by listing every 2 x c table with the margins."""
    t = np.array(table)
    rs, cs, n = t.sum(1), t.sum(0), t.sum()
    prob = lambda x: math.prod(math.comb(int(c), int(a)) for c, a in zip(cs, x[0])) / math.comb(int(n), int(rs[0]))
    score = lambda x: sum(i * j * x[i][j] for i in range(2) for j in range(len(cs)))
    p_obs, s_obs = prob(t), score(t)
    mean = rs[1] * sum(j * c for j, c in enumerate(cs)) / n
    ffh = trend = 0.0
    for top in itertools.product(*[range(c + 1) for c in cs]):
        if sum(top) != rs[0]:
            continue
        x = np.array([top, cs - np.array(top)])
        p = prob(x)
        ffh += p if p <= p_obs * (1 + 1e-7) else 0
        trend += p if abs(score(x) - mean) >= abs(s_obs - mean) - 1e-9 else 0
    return ffh, trend


@pytest.mark.parametrize("table", [[[3, 7], [9, 2]], [[2, 9, 8], [4, 6, 1]], [[0, 1, 5], [6, 2, 0]]])
def test_exact_tests_match_enumeration(table):
    got = stats.exact_ordinal_tests(_frame(table), "a", "b")
    ffh, trend = _brute(table)
    assert got["ffh_p"] == pytest.approx(ffh, rel=1e-9) and got["trend_p"] == pytest.approx(trend, rel=1e-9)
    if len(table[0]) == 2:
        assert got["ffh_p"] == pytest.approx(st.fisher_exact(table).pvalue, rel=1e-9)


def test_ordinal_mde_by_hand():
    z = st.norm.ppf(0.975) + st.norm.ppf(0.8)
    shares = [0.2, 0.55, 0.25]
    want = math.exp(math.sqrt(3 * z * z / (95 * 0.15 * 0.85 * (1 - sum(s**3 for s in shares)))))
    assert stats.min_detectable_or_ordinal(95, 0.15, shares) == pytest.approx(want)


def test_kruskal_matches_scipy():
    d = pd.DataFrame({"v": [1, 2, 3, 4, 5, 6, 7, 9.0], "g": list("aaabbbcc")})
    got = stats.kruskal_by(d, "v", "g")
    want = st.kruskal([1, 2, 3], [4, 5, 6], [7, 9])
    assert got["p_value"] == pytest.approx(want.pvalue) and got["epsilon2"] == pytest.approx(want.statistic / 7)


def test_transition_every_matchable_area():
    t = analysis.transition()
    assert len(t) == 95 and int(t["via_predecessor"].sum()) == 5 and t["key"].is_unique
    assert len(analysis.transition("latest")) == 95
    with pytest.raises(Exception, match="inspection must be one of"):
        analysis.transition("second")
    sel = analysis.selection_2016()
    assert len(sel) == 149 and int(sel["inspected_2023"].sum()) == 91


def test_first_inspection_sample():
    a = analysis.areas_2023_first()
    assert len(a) == 95 and a["la_code"].is_unique
    assert a.attrs["n_reinspections_left_out"] == 1 and a.attrs["n_no_outcome"] == 1
    assert a[a["area"] == "Cornwall"]["inspection_start"].iat[0] == pd.Timestamp("2023-02-06")


def test_icb_structure_from_the_raw_lookups():
    """North Yorkshire (the former county's districts) and Cornwall, counted here from the raw files."""
    lsoa = pd.read_csv(RAW / "ons" / "lsoa11_ccg_lad_april_2021.csv.gz", dtype=str, encoding="utf-8-sig")
    county = pd.read_csv(RAW / "ons" / "lad20_to_county20.csv", dtype=str, encoding="utf-8-sig")
    sub = pd.read_csv(RAW / "lookups" / "sub_icb_to_icb_july_2022.csv", dtype=str, encoding="utf-8-sig")
    ny = lsoa[lsoa["LAD21CD"].isin(county.loc[county["CTY20CD"] == "E10000023", "LAD20CD"])]
    icbs = ny.merge(sub, left_on="CCG21CDH", right_on="SICBL22CDH")["ICB22NM"].value_counts()
    a = analysis.load_areas("2023").set_index("area")
    assert a.loc["North Yorkshire", "n_icbs"] == len(icbs) == 3
    assert a.loc["North Yorkshire", "main_icb_share"] == pytest.approx(icbs.iloc[0] / len(ny))
    assert a.loc["North Yorkshire", "main_icb_name"] == icbs.index[0]
    assert (a.loc["Cornwall", "n_icbs"] == 1).all()  # both inspections
    # every 2023-framework inspection is after July 2022: no CCG measures, ICB measures for all
    assert a["ccg_reason"].eq("not_applicable").all() and a["n_icbs"].notna().all()


def _norm(name):
    name = re.sub(r"\b(NHS|the|Integrated Care Board|ICB)\b", " ", name)
    return re.sub(r"[^a-z]+", " ", name.lower()).strip()


def test_icb_named_in_every_report():
    sub = pd.read_csv(RAW / "lookups" / "sub_icb_to_icb_july_2022.csv", encoding="utf-8-sig")
    known = {_norm(n) for n in sub["ICB22NM"]}
    docs = letters.documents()
    reps = docs[docs["framework"] == "2023"]
    assert len(reps) == 55 and reps["icb"].notna().all()
    for names in reps["icb"]:
        for name in names.split("; "):
            assert _norm(name) in known, name


def test_responsible_bodies():
    assert letters.classify_body("Health leaders must address the waiting times") == "icb"
    assert letters.classify_body("Leaders from the local authority need to strengthen") == "local_authority"
    assert letters.classify_body("Leaders across the partnership should improve") == "both"
    assert letters.classify_body("Leaders should improve") == "other"
    from sendstats.build import load_table

    rec = load_table("recommendations")
    items = letters.document_items()
    assert len(rec) == len(items[items["kind"] != "weakness"].drop_duplicates(["source", "kind", "item_no"]))
    assert rec["responsible_body"].isin(letters.BODY_LEVELS).all() and rec["body_from"].notna().all()
    # Plymouth's table, read by eye: council + ICB + schools (twice), council + school leaders, ICB, council
    ply = rec[rec["source"].str.startswith("80538_") & (rec["kind"] == "priority action")]
    assert ply["responsible_body"].tolist() == ["both", "both", "local_authority", "icb", "local_authority"]
    assert (ply["body_from"] == letters.COLUMN).all()
    nn = rec[rec["source"].str.startswith("2637539_") & (rec["kind"] == "priority action")]
    assert nn["responsible_body"].tolist() == ["both"] * 4


def test_health_theme_covers_icb_wording():
    coded = letters.code(["ICB leaders should ensure that oversight of health provision is strengthened"])
    assert "health_ccg_leadership" in set(coded["theme"])
