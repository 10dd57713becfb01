"""The primary question (docs/analysis_plan.md): its model, sensitivity table and the methods behind them,
each checked against an independent computation."""

import numpy as np
import pandas as pd
import pytest

import sendstats
from sendstats import Scope, analysis, stats


def test_revisits_as_at_filters_by_the_revisits_own_publication():
    assert (
        len(analysis.revisits(Scope(as_at="2019-12-31")))
        == 15
        == sendstats.revisit_summary(as_at="2019-12-31")["n"].iat[0]
    )
    assert len(analysis.revisits()) == 46


def test_sliver_zero_reproduces_the_area_table_and_five_percent_drops_slivers():
    a = sendstats.load_areas().set_index("la_code")
    m0 = analysis.ccg_measures(0).set_index("la_code")
    assert (m0["n_ccgs"] == a.loc[m0.index, "n_ccgs"]).all()
    assert (m0["coterminous"] == a.loc[m0.index, "ccg_coterminous"].astype(bool)).all()
    m5 = analysis.ccg_measures(0.05).set_index("la_code")
    assert m0.loc["E10000025", "n_ccgs"] == 3 and m5.loc["E10000025", "n_ccgs"] == 1  # Oxfordshire
    from sendstats.errors import ParameterError

    with pytest.raises(ParameterError):
        analysis.ccg_measures(0.7)


def test_primary_model_matches_an_independent_formula_fit():
    import statsmodels.formula.api as smf

    a = analysis.primary_frame()
    assert len(a) == 149 and int(a["wsoa"].sum()) == 82
    d = a.assign(
        y=a["wsoa"].astype(float),
        x=a["not_coterminous"].astype(float),
        yr=(a["inspection_year"] - a["inspection_year"].mean()) / a["inspection_year"].std(),
        imd=(a["imd_share_most_deprived_decile"] - a["imd_share_most_deprived_decile"].mean())
        / a["imd_share_most_deprived_decile"].std(),
    )
    fit = smf.logit("y ~ x + C(region) + yr + imd", data=d).fit(disp=False)
    got = analysis.primary_model().iloc[0]
    assert got["term"] == "not_coterminous" and got["n_used"] == 149
    assert got["odds_ratio"] == pytest.approx(np.exp(fit.params["x"]), rel=1e-6)
    lo, hi = np.exp(fit.conf_int().loc["x"])
    assert (got["ci_low"], got["ci_high"]) == (pytest.approx(lo, rel=1e-6), pytest.approx(hi, rel=1e-6))
    assert got["p_value"] == pytest.approx(fit.pvalues["x"], rel=1e-6)  # p and interval from the same fit


def test_the_secondary_model_says_it_is_not_the_estimand():
    """Report 02's "factors together" model (the referee's round 2, item 1): its sentence names the declared
    mediators it adjusts for and the confounders it leaves out, and points to the primary estimate, 1.80
    (0.83 to 3.87) on 149 areas, the figures the referee recomputed."""
    factors = ["ccg_coterminous", "ehcp_20wk_pct", "appeal_rate", "imd_share_most_deprived_decile"]
    areas = analysis.areas_2016()
    text = analysis.describe_secondary_model(stats.logistic(areas, "wsoa", factors), analysis.primary_model(), factors)
    assert text.startswith("This is a secondary, descriptive model, not the answer to the primary question")
    assert "% new EHC plans within 20 weeks (year before) and SEND Tribunal appeal rate % (year before)" in text
    assert "leaves out Ofsted region and year the inspection started" in text
    assert "odds ratio 1.80 (95% CI 0.83 to 3.87; n = 149)" in text
    plain = analysis.describe_secondary_model(
        stats.logistic(areas, "wsoa", ["ccg_coterminous", "region"]), analysis.primary_model(), ["ccg_coterminous"]
    )
    assert "mediators" not in plain and "leaves out Ofsted region, year the inspection started" not in plain


def test_mantel_haenszel_by_formula():
    a = analysis.primary_frame()
    got = stats.mantel_haenszel(a, "not_coterminous", "wsoa", "london")
    num = den = 0.0
    for _, g in a.groupby("london"):
        e, o = g["not_coterminous"].astype(bool), g["wsoa"].astype(bool)
        A, B, C, D = (e & o).sum(), (e & ~o).sum(), (~e & o).sum(), (~e & ~o).sum()
        n = A + B + C + D
        num += A * D / n
        den += B * C / n
    assert got["odds_ratio"] == pytest.approx(num / den)
    assert got["ci_low"] < got["odds_ratio"] < got["ci_high"]


def test_mice_is_pooled_by_rubins_rules():
    a = analysis.primary_frame()
    a = a.assign(dmo_yes=a["dmo_in_post"].map({"Yes": 1.0, "Recruiting": 0.0, "No": 0.0}).astype(float))
    res = analysis.mice_model(
        a.dropna(subset=["not_coterminous", *analysis.CONFOUNDERS]), analysis.CONFOUNDERS, n_imputations=10
    )
    i, fits = res["index"], res["results"]
    b = np.array([np.asarray(f.params)[i] for f in fits])
    w = np.array([np.asarray(f.bse)[i] ** 2 for f in fits])
    m = len(fits)
    total = w.mean() + (1 + 1 / m) * b.var(ddof=1)
    assert res["pooled"][0] == pytest.approx(b.mean(), rel=1e-6)
    assert res["pooled"][1] == pytest.approx(np.sqrt(total), rel=1e-6)


def test_sensitivity_has_every_specification_with_its_n():
    s = analysis.sensitivity()
    want = [
        "primary",
        "unadjusted",
        "inspection year only",
        "region only",
        "four-factor",
        "mediators",
        "including exceptions",
        "London left out",
        "Mantel-Haenszel",
        "sliver 0%",
        "sliver 5%",
        "sliver 10%",
        "Firth",
        "maximum likelihood",
        "complete cases",
        "missing-indicator",
        "multiple imputation",
    ]
    for w in want:
        assert s["specification"].str.contains(w, regex=False).sum() >= 1, w
    assert s["n_used"].gt(0).all() and s["odds_ratio"].notna().all()
    assert s.loc[s["specification"].str.contains("complete cases"), "n_used"].iat[0] == 70
    # the default sliver and the method the primary fit used repeat it, and say so (the referee's round 2, item 9)
    again = s[s["specification"].str.endswith("(the primary fit again)")]
    assert again["specification"].tolist() == [
        "sliver 5% (the primary fit again)",
        "maximum likelihood (the primary fit again)",
    ]
    assert (again["odds_ratio"] == s["odds_ratio"].iat[0]).all()
    text = analysis.describe_sensitivity(s)
    assert "Across the 17 specifications below (2 of them rows that repeat the primary fit, so 15 distinct" in text
    # intervals that exclude 1, counted by hand from the rows
    assert f"{int(((s['ci_low'] > 1) | (s['ci_high'] < 1)).sum())} of the 17 intervals exclude 1" in text
    earlier = s[s["specification"].str.contains("four-factor")].iloc[0]  # report 02's old model, turned round
    assert 1 / earlier["odds_ratio"] == pytest.approx(0.44, abs=0.005) and earlier["p_value"] == pytest.approx(
        0.022, abs=0.001
    )


def test_report_02_opens_with_the_primary_model(rendered):
    from bs4 import BeautifulSoup

    from sendstats.wording import format_p

    soup = BeautifulSoup((rendered / "02_factors_and_wsoa.html").read_text(), "html.parser")
    soup.find("nav").decompose()  # the contents list repeats the headings
    soup.find(id="key-findings").find_next("ul").decompose()  # and the key findings their sentences
    text = soup.get_text(" ")
    r = analysis.primary_model().iloc[0]
    sentence = (
        f"{r['odds_ratio']:.2f} times the odds of being required to write a WSoA (95% CI {r['ci_low']:.2f} to "
        f"{r['ci_high']:.2f}; p = {format_p(r['p_value'])}; n = {int(r['n_used'])}"
    )
    assert sentence in text
    assert text.index("The primary question") < text.index(sentence) < text.index("Secondary: each factor on its own")
    assert any(i["alt"].startswith("Causal diagram") for i in soup.find_all("img"))
    assert "Mantel-Haenszel" in text and "multiple imputation" in text


def test_transition_every_matchable_area():
    t = analysis.transition()
    assert len(t) == 95 and int(t["via_predecessor"].sum()) == 5 and t["key"].is_unique
    assert len(analysis.transition(Scope("2023", inspection="latest"))) == 95
    with pytest.raises(Exception, match="inspection must be one of"):
        analysis.transition(Scope("2023", inspection="second"))
    sel = analysis.selection_2016()
    assert len(sel) == 149 and int(sel["inspected_2023"].sum()) == 91


def test_first_inspection_sample():
    a = analysis.areas_2023_first()
    assert len(a) == 95 and a["la_code"].is_unique
    assert a.attrs["n_reinspections_left_out"] == 1 and a.attrs["n_no_outcome"] == 1
    assert a[a["area"] == "Cornwall"]["inspection_start"].iat[0] == pd.Timestamp("2023-02-06")


def test_time_to_revisit_is_read_by_cohort():
    """Report 03's median time to revisit per inspection-year cohort with its censoring (the referee's round 2,
    item 7): counts from the frame itself, and for a cohort without censoring the Kaplan-Meier median is the
    middle observed time."""
    t = analysis.revisit_times()
    km = stats.kaplan_meier(t["years"], t["revisited"])
    cx = stats.cox(t, "years", "revisited", ["n_weaknesses", "inspection_year"])
    text = analysis.describe_revisit_times(t, km, cx)
    for year, g in t.groupby("inspection_year"):
        cens = int((~g["revisited"].astype(bool)).sum())
        assert f"{int(year)}: {len(g)} areas, {cens} censored, median " in text
    y16 = t.loc[t["inspection_year"] == 2016, "years"].sort_values().to_numpy()
    assert len(y16) == 5 and f"2016: 5 areas, 0 censored, median {y16[2]:.1f} years" in text
    assert f"({int((~t['revisited'].astype(bool)).sum())} not revisited by the end of the data are censored" in text


def test_report_06_says_which_inspections_came_after_the_icb_mergers_and_which_lack_a_20_week_rate():
    from sendstats.data.store import load_table

    t = load_table("areas_2023")
    first = t[t["outcome"].notna()].sort_values("published").drop_duplicates("la_code")
    when = first["inspection_start"].fillna(first["published"])
    after = int((when >= pd.Timestamp("2026-04-01")).sum())
    no_rate = first[first["ehcp_20wk_pct"].isna() & (when.dt.year == 2026)]
    text = analysis.describe_areas_2023(analysis.areas_2023_first(), Scope("2023"))
    assert f"{after} of these inspections are dated" in text and after == 2
    assert f"{len(no_rate)} areas (inspected in 2026) have no 20-week rate" in text and len(no_rate) == 14


def test_report_06_with_the_sliver_rule_drops_the_five_areas_with_a_sliver_outside_their_main_sub_icb():
    import numpy as np
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    a = analysis.areas_2023_first()
    sv = analysis.sensitivity_2023(a)
    # the referee's count: 5 of the 15 areas served by more than one sub-ICB location have under 5% outside the main
    assert sv["n_exposed"].tolist() == [15, 10]
    # the sliver row refitted here with statsmodels directly (design built in the test)
    d = a.dropna(subset=["outcome", "region", "inspection_year", "imd_share_most_deprived_decile"])
    z = lambda s: (s - s.mean()) / s.std()
    X = pd.concat(
        [
            ((1 - d["main_sub_icb_share"]) >= 0.05).astype(float).rename("exposed"),
            pd.get_dummies(d["region"].astype(str), drop_first=True, dtype=float),
            z(d["inspection_year"].astype(float)),
            z(d["imd_share_most_deprived_decile"].astype(float)),
        ],
        axis=1,
    )
    fit = OrderedModel(d["outcome"].cat.codes.to_numpy(), X, distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
    assert sv["odds_ratio"].iat[1] == pytest.approx(float(np.exp(fit.params["exposed"])), rel=1e-3)
