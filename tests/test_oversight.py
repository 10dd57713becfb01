"""Weak CCG oversight measured directly (questions/oversight.py; the plan's third revision): the exposure counted
here from the raw lookups, the co-primary models against a formula fit written here, the Bonferroni reading
against statsmodels' own interval at the corrected level, and the page's sentence read from its numbers."""

import numpy as np
import pandas as pd
import pytest

import sendstats
from sendstats.config import raw_dir
from sendstats.errors import DataError
from sendstats.questions import oversight

HSJ_TOTAL = 26  # NHS England's published count of CCGs rated inadequate for 2015/16, which the HSJ list matches


def _main_ccg_here():
    """Each area's main April 2016 CCG and whether the HSJ list names it, counted here from the raw files for the
    areas that are a 2016 district or county as they stand (an area that changed is left to the other tests)."""
    lk = pd.read_csv(raw_dir() / "ons/lsoa11_ccg_lad_april_2016.csv.gz", dtype=str)
    cty = pd.read_csv(raw_dir() / "ons/lad16_to_county16.csv", dtype=str, encoding="utf-8-sig")
    cty = cty[cty["CTY16CD"].str.startswith("E10")].set_index("LAD16CD")["CTY16CD"]
    lk["area"] = lk["LAD16CD"].map(cty).fillna(lk["LAD16CD"])
    rated = pd.read_csv(raw_dir() / "curated/ccg_inadequate_2015_16.csv", dtype=str)
    hsj = set(rated.loc[rated["inadequate_per_hsj"] == "yes", "ccg16cd"])
    counts = lk.groupby(["area", "CCG16CD"]).size().reset_index(name="n")
    counts = counts.sort_values(["area", "n", "CCG16CD"], ascending=[True, False, True]).drop_duplicates("area")
    share = lk.assign(bad=lk["CCG16CD"].isin(hsj)).groupby("area")["bad"].mean()
    return counts.set_index("area").assign(rated=lambda d: d["CCG16CD"].isin(hsj), share=share)


def test_the_rating_file_is_bundled_and_matches_the_published_total():
    rated = pd.read_csv(raw_dir() / "curated/ccg_inadequate_2015_16.csv", dtype=str)
    assert len(rated) == 27
    assert (rated["inadequate_per_hsj"] == "yes").sum() == HSJ_TOTAL
    assert (rated["inadequate_per_clarke_willmott"] == "yes").sum() == 25
    manifest = pd.read_csv(raw_dir() / "MANIFEST.csv")
    row = manifest.set_index("path").loc["curated/ccg_inadequate_2015_16.csv"]
    assert "Health Service Journal" in row["title"] and "Clarke Willmott" in row["title"]
    assert "26 inadequate, 91 requires improvement, 82 good, 10 outstanding" in row["original_publication"]


def test_the_direct_exposure_matches_a_count_from_the_lookup():
    here = _main_ccg_here()
    a = sendstats.load_areas("2016").set_index("la_code")
    same = [c for c in a.index if c in here.index and not a.at[c, "predecessor"]]
    assert len(same) >= 140  # every area but those whose council changed since 2016
    got = a.loc[same, "ccg_rated_inadequate"].astype(bool)
    assert (got == here.loc[same, "rated"]).all()
    assert np.allclose(a.loc[same, "inadequate_ccg_share"].astype(float), here.loc[same, "share"])
    assert int(a["ccg_rated_inadequate"].sum()) == 25  # of the 151 rows, predecessors included
    assert a.at["E08000030", "ccg16_main_name"] == "NHS Walsall CCG" and a.at["E08000030", "ccg_rated_inadequate"]
    assert not a.at["E09000021", "ccg_rated_inadequate"]  # Kingston upon Thames: its CCG was not on either list


def test_a_bad_rating_file_is_one_clear_error(tmp_path):
    from sendstats.data.ingest.geography import read_ccg_ratings

    bad = tmp_path / "r.csv"
    bad.write_text(
        "ccg16cd,ccg16nm,inadequate_per_hsj,inadequate_per_clarke_willmott\nE38000010,NHS Bedfordshire CCG,maybe,yes\n"
    )
    with pytest.raises(DataError, match=r"r\.csv.*row 2.*inadequate_per_hsj must be yes or no"):
        read_ccg_ratings(bad)
    bad.write_text("ccg16cd,ccg16nm\nE38000010,x\n")
    with pytest.raises(DataError, match="inadequate_per_hsj"):
        read_ccg_ratings(bad)


@pytest.fixture(scope="module")
def co():
    return oversight.co_primary()


def test_the_co_primary_models_match_a_formula_fit_and_bonferroni(co):
    import statsmodels.formula.api as smf
    from test_analysis import _formula_frame

    d = _formula_frame(sendstats.analysis.primary_frame()).assign(r=lambda x: x["ccg_rated_inadequate"].astype(float))
    fit = smf.logit("y ~ r + C(region) + yr + imd + C(atype, Treatment('single')) + lpop", data=d).fit(disp=False)
    got = co.iloc[1]
    assert got["n_used"] == 149
    assert got["odds_ratio"] == pytest.approx(np.exp(fit.params["r"]), rel=1e-6)
    assert got["p_value"] == pytest.approx(fit.pvalues["r"], rel=1e-6)
    lo, hi = np.exp(fit.conf_int(alpha=0.025).loc["r"])  # the Bonferroni interval for a family of two
    assert (got["ci_low_adj"], got["ci_high_adj"]) == (pytest.approx(lo, rel=1e-6), pytest.approx(hi, rel=1e-6))
    assert got["p_adj"] == pytest.approx(min(1, 2 * fit.pvalues["r"]), rel=1e-6)
    assert co.iloc[0]["odds_ratio"] == pytest.approx(sendstats.analysis.primary_model().iloc[0]["odds_ratio"])


def test_the_sensitivity_rows_are_the_plans():
    s = oversight.direct_sensitivity()
    assert len(s) == 6
    early = s[s["specification"].str.contains("before 1 April 2017")].iloc[0]
    a = sendstats.analysis.primary_frame()
    assert early["n_used"] == int((a["factor_date"] < "2017-04-01").sum())  # Cumbria CCG's code ended then
    cw = s[s["specification"].str.contains("Clarke Willmott")].iloc[0]
    assert cw["n_used"] == 149 and cw["odds_ratio"] > 0


def test_the_answer_says_which_way_each_measure_points(co):
    table = oversight.oversight_table()
    assert list(table["role"].str.split(" ").str[0][:2]) == ["confirmatory", "confirmatory"]
    assert table.iloc[-1]["role"] == "descriptive" and table.iloc[-1]["n_used"] == 51
    text = oversight.describe_oversight(table, co)
    for _, r in table.iloc[:-1].iterrows():
        way = "with a WSoA" if r["odds_ratio"] > 1 else "against a WSoA"
        assert f"{r['measure'][1:]}: points {way} ({r['odds_ratio']:.2f}" in text
    flipped = co.assign(odds_ratio=[2.0, 3.0])
    assert "point the same way" in oversight.describe_oversight(table, flipped)
    assert "in opposite directions" in oversight.describe_oversight(table, co.assign(odds_ratio=[2.0, 0.5]))


def test_the_2023_table_reads_each_measure_on_report_06s_areas():
    a = sendstats.analysis.areas_2023_first()
    t = oversight.oversight_table_2023(a)
    assert list(t["role"].str.split(" ").str[0]) == [
        "confirmatory",
        "exploratory",
        "exploratory",
        "exploratory",
        "descriptive",
    ]
    primary = sendstats.analysis.primary_model_2023(a).iloc[0]
    assert t.iloc[0]["odds_ratio"] == pytest.approx(primary["odds_ratio"]) and t.iloc[0]["n_used"] == 95
    assert (t["n_used"].iloc[:4] == 95).all()
    raw = sendstats.load_areas("2023").dropna(subset=["outcome"]).sort_values("published")
    first = raw.drop_duplicates("la_code")
    assert int((first["n_icbs"] > 1).sum()) == int((a["n_icbs"] > 1).sum()) == 11
    assert t.iloc[-1]["n_used"] == 55  # the bundled reports
    text = oversight.describe_oversight_2023(t)
    for _, r in t.iloc[1:].iterrows():
        assert f"({r['odds_ratio']:.2f}, 95% CI" in text
        assert ("points towards" if r["odds_ratio"] > 1 else "points away from") in text
