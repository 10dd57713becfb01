"""Finding an area by what a person types, an area's story across both frameworks, and the areas page's rows,
checked against the inspection tables read directly (not through the functions under test)."""

import re

import pandas as pd
import pytest

from sendstats.data.store import load_table
from sendstats.errors import ParameterError
from sendstats.questions import areas, coverage, profiles
from sendstats.render import catalogue
from sendstats.wording import by_unit, ordinal, plural


@pytest.mark.parametrize(
    "typed, code",
    [
        ("E09000021", "E09000021"),
        ("kingston upon thames", "E09000021"),
        ("Hull", "E06000010"),  # the lookup's other name
        ("Kingston upon Hull", "E06000010"),
        ("BCP", "E06000058"),
        ("Bristol", "E06000023"),
        ("Cumberl", "E06000063"),  # the start of one name only
        ("E10000023", "E06000065"),  # North Yorkshire's code before 2023
    ],
)
def test_an_area_is_found_by_what_a_person_types(typed, code):
    assert areas.resolve_area(typed) == code


def test_a_name_that_fits_several_areas_lists_them_all():
    with pytest.raises(ParameterError) as e:
        areas.resolve_area("Kingston")
    assert str(e.value) == (
        "area 'Kingston' matches 2 areas: Kingston upon Hull (E06000010), Kingston upon Thames "
        "(E09000021); give the full name or code"
    )
    with pytest.raises(ParameterError, match=r"unknown area 'Kingston upon Tames'.*Kingston upon Thames \(E09000021\)"):
        areas.resolve_area("Kingston upon Tames")


def _old(code):
    i = load_table("inspections_2016")
    return i[i["la_code"] == code].iloc[0]


def test_kingstons_story_is_its_2018_inspection_wsoa_and_no_revisit():
    t = profiles.timeline("E09000021")
    r = _old("E09000021")
    assert r["inspection_start"] == pd.Timestamp("2018-09-17") and r["wsoa"] and r["n_weaknesses"] == 4
    assert t["event"].tolist() == ["inspection began", "letter published", "not revisited"]
    assert t["date"].tolist()[:2] == [pd.Timestamp("2018-09-17"), r["published"]]
    assert t["detail"].iat[1] == "Written Statement of Action required; 4 significant weaknesses"


def test_cumberland_carries_cumbrias_2016_inspection_and_its_own_2023_one():
    t = profiles.timeline("E06000063")
    cumbria = _old("E10000006")
    first = t.iloc[0]
    assert first["council"] == "Cumbria (the former council)" and first["framework"] == "2016"
    assert first["date"] == cumbria["inspection_start"]
    new = load_table("inspections_2023").query("la_code == 'E06000063'")
    assert len(new) == 1
    full = new["inspection_start"].iat[0] + pd.DateOffset(years={"positive": 5}.get(new["outcome"].iat[0], 3))
    assert t["event"].iat[-1] == "next full inspection due by" and t["date"].iat[-1] == full


def test_a_monitoring_date_is_never_shown_as_a_full_inspections():
    """Issue 30 item 1: the framework's rules, as the source's outcome sentences state them, applied here by hand
    to the source's dates: widespread or systemic failings set a monitoring inspection (the source's date, about
    18 months) and a full one three years from the start; the other outcomes' source date is the full one."""
    i = load_table("inspections_2023")
    sf = i[i["outcome"] == "systemic_failings"]
    assert len(sf) == 24
    given = sf["next_inspection_by"].notna()
    assert (sf.loc[given, "next_monitoring_by"] == sf.loc[given, "next_inspection_by"]).all()
    assert (sf.loc[~given, "next_monitoring_by"] == sf.loc[~given, "inspection_start"] + pd.DateOffset(months=18)).all()
    assert ((sf["next_monitoring_by"] - sf["inspection_start"]).dt.days.between(540, 550)).all()
    assert (sf["next_full_by"] == sf["inspection_start"] + pd.DateOffset(years=3)).all()
    rest = i[i["outcome"].isin(["positive", "inconsistent"]) & i["next_inspection_by"].notna()]
    assert (rest["next_full_by"] == rest["next_inspection_by"]).all() and rest["next_monitoring_by"].isna().all()
    # past due: each current area's latest inspection whose full inspection was due before the data's date
    s = coverage.summary()
    latest = i.dropna(subset=["outcome"]).sort_values("published").drop_duplicates("la_code", keep="last")
    latest = latest[latest["la_code"].isin(s.loc[s["status"] == "current", "code"])]
    years = latest["outcome"].map({"positive": 5, "inconsistent": 3, "systemic_failings": 3})
    due = [d + pd.DateOffset(years=int(y)) for d, y in zip(latest["inspection_start"], years)]
    by_hand = sorted(a for a, d in zip(latest["area"], due) if pd.notna(d) and d < s.attrs["as_at"])
    late = coverage.past_due(s)
    assert sorted(late["area"]) == by_hand and len(late) == 7
    plymouth = profiles.timeline("E06000026")
    assert plymouth["event"].tolist()[-2:] == ["monitoring inspection due by", "next full inspection due by"]


def test_cornwall_shows_both_2023_inspections():
    t = profiles.timeline("E06000052")
    assert t["event"].tolist().count("report published") == 2 and "re-inspection began" in t["event"].tolist()


def test_the_areas_table_has_every_current_area_and_each_former_council():
    s = coverage.summary()
    shapes = set(load_table("area_shapes")["area_code"])
    assert len(s) == 156 and set(s.loc[s["status"] == "current", "code"]) == shapes
    assert sorted(s.loc[s["status"] != "current", "code"]) == ["E10000006", "E10000009", "E10000021"]
    k = s.set_index("code").loc["E09000021"]
    assert (k["2016 result"], k["weaknesses"], k["revisit (sufficient progress)"]) == (
        "WSoA required",
        4,
        "not revisited yet",
    )
    assert s.set_index("code").at["E06000063", "2016 result"] == "WSoA required (Cumbria, the former council)"
    # by hand from the tables: current areas with a 2023-framework inspection
    i23 = load_table("inspections_2023")
    codes23 = set(i23["la_code"].replace({"E10000023": "E06000065", "E10000027": "E06000066"}))
    inspected = s[(s["status"] == "current") & (s["2023-framework outcomes"] != "not inspected yet")]
    assert set(inspected["code"]) == codes23 & shapes
    text = coverage.describe_summary(s)
    assert f"{len(codes23 & shapes)} of the 153 current areas have had a 2023-framework inspection" in text


def test_a_profile_shows_the_factors_of_its_inspections_framework():
    f23 = profiles.area_factors_vs_distribution("E06000063")  # Cumberland: 2023 framework only
    assert f23.attrs["framework"] == "2023" and "number of ICBs serving the area" in set(f23["factor"])
    assert "number of CCGs serving the area" not in set(f23["factor"])
    f16 = profiles.area_factors_vs_distribution("E09000021")  # Kingston: 2016 only
    assert "number of CCGs serving the area" in set(f16["factor"])


def test_numbers_read_by_their_unit():
    shown = profiles.shown_factors(profiles.area_factors_vs_distribution("E09000021")).set_index("factor")
    assert shown.at["% new EHC plans within 20 weeks (year before)", "area"] == "88.7%"
    assert shown.at["mean IMD rank of LSOAs (higher = less deprived)", "area"] == "23,519"
    assert shown.at["number of CCGs serving the area", "area"] == "1"
    assert by_unit(0.5503, "share 0-1") == "55.0%" and by_unit(-8.2, "percentage points") == "-8.2 pp"
    assert by_unit(1.5, "count") == "1.5" and by_unit(None, "%") == "–" and by_unit(128211.0, "people") == "128,211"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 100)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "100th",
    ]  # fmt: skip
    assert (
        plural(1, "area") == "1 area" and plural(2, "area") == "2 areas" and plural(0, "inspection") == "0 inspections"
    )


def test_other_renders_are_described_by_their_non_default_parameters():
    words = catalogue.describe("02_factors_and_wsoa", {"as_at": "2019-12-31", "exclude_regions": ["London"]})
    assert words == "as at 31 December 2019; leaving out London"
    assert catalogue.describe("02_factors_and_wsoa", {"as_at": None, "sliver": 0.05}) == ""


def _sen2_rows():
    """The SEN2 file's local-authority rows, read with the csv module (not the package's reader)."""
    import csv

    from conftest import RAW

    with open(RAW / "dfe" / "sen2_mi_2014_to_2022.csv", encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r["geographic_level"] == "Local authority"]


def test_a_profiles_trend_is_the_published_rate_beside_its_regions_median():
    rows = _sen2_rows()
    t = profiles.trends("E09000021")  # Kingston upon Thames, a London borough
    mine = t[t["measure"] == "ehcp_20wk_pct_in_year"].set_index("year")
    kingston = {int(r["time_period"]): r["no_exc_20week_rate"] for r in rows if r["new_la_code"] == "E09000021"}
    assert mine.at[2017, "area"] == pytest.approx(float(kingston[2017]))
    # London's median in 2019, from the publisher's rows of the region's 33 authorities (City of London included)
    london = sorted(
        float(r["no_exc_20week_rate"])
        for r in rows
        if r["time_period"] == "2019"
        and r["region_name"] == "London"
        and r["no_exc_20week_rate"] not in ("", "x", "z", "c")
    )
    assert mine.at[2019, "n_region"] == len(london) == 33
    assert mine.at[2019, "region"] == pytest.approx(pd.Series(london).median())
    # the profile's factor (the rate of the year before the inspection, 2018) is the same number as the trend's
    a16 = load_table("areas_2016").set_index("la_code")
    assert a16.at["E09000021", "ehcp_20wk_pct"] == pytest.approx(mine.at[2017, "area"])
    assert 2014 not in mine.index and t.attrs["left_out"] == {profiles.TREND_MEASURES["ehcp_20wk_pct_in_year"]: [2014]}
    assert len(profiles.statistical_neighbours("E09000021")) == 10 and set(mine["n_neighbours"]) <= set(range(11))


def test_a_council_created_since_2016_has_its_own_figures_only_from_its_first_year():
    t = profiles.trends("E06000063")  # Cumberland, from April 2023
    have = t.loc[t["area"].notna(), "year"]
    assert have.min() == 2023
    assert "Cumberland" in profiles.describe_trends(t, "Cumberland")


def test_a_value_shared_by_most_areas_sits_mid_rank_and_says_which_way_is_better():
    """Kingston (1 CCG) shares its value with most 2016-framework areas: counted by hand from the table, its
    percentile is the share below plus half the share equal, not 0."""
    a = load_table("areas_2016")
    col = a["n_ccgs"].dropna().astype(float)
    expected = (col < 1).mean() + 0.5 * (col == 1).mean()
    assert (col == 1).mean() > 0.5  # the tie the old percentile put at 0
    fac = profiles.area_factors_vs_distribution("E09000021").set_index("factor")
    assert fac.at["number of CCGs serving the area", "national percentile"] == pytest.approx(expected)
    assert fac.at["% new EHC plans within 20 weeks (year before)", "better"] == "higher is better"
    assert fac.at["number of CCGs serving the area", "better"] == "no better direction"


def test_a_profiles_map_outlines_the_area_over_the_shapes_own_edges_and_labels_its_borders():
    from sendstats import plots
    from sendstats.questions import maps

    _, m23 = maps.map_frames()
    region = areas.area_index().set_index("code")["region"]
    mine = m23[m23["area_code"].map(region) == "North West"]
    shown = plots.area_on_map(mine, "E08000001", title="t", order=maps.MAP_2023, where="North West")
    svg = shown.svg.data
    # matplotlib writes each shape's white edge inline; only an !important rule beats it
    assert 'style="fill: ' in svg and "stroke: #000000 !important" in svg
    # Bolton borders Bury, Salford, Wigan, Blackburn with Darwen and Lancashire (and no other North West area)
    labels = set(re.findall(r"<text [^>]*>([^<]+)</text>", svg))
    assert labels == {"Bolton", "Bury", "Salford", "Wigan", "Blackburn with Darwen", "Lancashire"}
    assert "Bolton is outlined in black" in shown.alt and "Labelled: Bolton" in shown.alt


def test_one_count_of_areas_inspected_under_2023_on_the_areas_page_and_report_01():
    s = coverage.summary()
    shapes = set(load_table("area_shapes")["area_code"])
    i23 = load_table("inspections_2023")
    n = len(set(i23["la_code"].replace({"E10000023": "E06000065", "E10000027": "E06000066"})) & shapes)
    page = coverage.describe_summary(s)
    report = coverage.describe_coverage(
        s,
        coverage.coverage_by_month(s),
        coverage.time_since_inspection(s),
        coverage.past_due(s),
        coverage.never_revisited(s),
    )
    claim = f"{n} of the 153 current areas have had a 2023-framework inspection"
    assert claim in page and claim in report
    never = len(coverage.never_revisited(s))
    assert f"{never} current areas (on today's boundaries" in page and f"{never} current areas (on today's" in report


def test_cambridgeshires_dates_come_from_the_written_answer_and_the_gaps_are_named():
    """House of Commons written question 92647 (answered 28 November 2025): Cambridgeshire's inspection took
    place on 27-31 January 2025; Data to Insight's table gives no dates for it."""
    i = load_table("inspections_2023")
    c = i[(i["la_code"] == "E10000003") & (i["published"] == "2025-05-13")].iloc[0]
    assert (c["inspection_start"], c["inspection_end"]) == (pd.Timestamp("2025-01-27"), pd.Timestamp("2025-01-31"))
    assert "written question 92647" in c["source_note"] and pd.isna(c["missing_reason"])
    text = coverage.describe_gaps(coverage.source_gaps())
    assert "dates of Buckinghamshire and Thurrock" in text and "outcome of Slough's inspection" in text
    assert "for Cambridgeshire" in text

    def began_2023(code):
        tl = profiles.timeline(code)
        return tl.loc[(tl["framework"] == "2023") & (tl["event"] == "inspection began"), "detail"].iat[0]

    assert began_2023("E06000034") == "start date not in any source"  # Thurrock
    assert "written question 92647" in began_2023("E10000003")
    from sendstats.data import registry

    assert "written question 92647" in registry.dictionary_markdown().split("## Corrections applied")[1]


@pytest.mark.parametrize(
    "row, problem",
    [
        ("E10000003,2025-05-13,inspection_start,2025-02-03,a source,u", "the sources give inspection_start 2025-01-27"),
        ("E99999999,2025-05-13,inspection_start,2025-01-27,a source,u", "matches no 2023-framework inspection"),
        ("E10000003,2025-05-13,colour,blue,a source,u", "field must be one of"),
        ("E06000039,2025-11-06,outcome,outstanding,a source,u", "outcome must be one of"),
        ("E06000039,2025-11-06,outcome,positive,,u", "every correction needs its source"),
    ],
)
def test_a_correction_that_conflicts_or_matches_nothing_stops_the_build(tmp_path, row, problem):
    from sendstats.data.ingest import ofsted
    from sendstats.errors import DataError

    path = tmp_path / "corrections.csv"
    path.write_text("la_code,published,field,value,source,source_url\n" + row + "\n")
    with pytest.raises(DataError, match=problem) as e:
        ofsted.apply_corrections(load_table("inspections_2023"), ofsted.read_corrections(path), path)
    assert str(path) in str(e.value)


@pytest.mark.parametrize(
    "fn",
    [
        profiles.timeline,
        profiles.area_factors_vs_distribution,
        profiles.statistical_neighbours,
        profiles.trends,
        areas.area_name,
    ],
)
def test_every_area_function_refuses_an_unknown_code_with_one_parameter_error(fn):
    with pytest.raises(ParameterError, match="unknown area code 'E99999999': no inspected area has this code$"):
        fn("E99999999")  # used to be an empty frame, a KeyError, or "matches 5 areas: Ealing..."
    with pytest.raises(ParameterError, match="give the area's code, E06000065"):
        fn("E10000023")  # North Yorkshire's old code


def test_areas_are_deduplicated_and_an_empty_list_is_refused(tmp_path):
    from conftest import run_cli

    assert areas.area_codes("Bury, bury ,E08000002,Bolton") == ["E08000002", "E08000001"]
    with pytest.raises(ParameterError, match="no area given"):
        areas.area_codes(" , ")
    r = run_cli("report", "--areas", "", "--output-dir", str(tmp_path))
    assert r.returncode == 2 and "no area given" in r.stderr and not any(tmp_path.iterdir()), r.stderr
    with pytest.raises(ParameterError, match=r"unknown area code 'E08000099'.*close matches: Solihull \(E08000029\)"):
        areas.resolve_area("E08000099")  # close matches are codes one digit away, never names


def test_areas_are_named_as_ofsted_names_them():
    """One home for the display name: the register's "Kingston Upon Hull, City of" is Ofsted's "Kingston upon
    Hull" on every page, and the register's form still finds it."""
    from sendstats.data.names import display_name

    assert display_name("Kingston Upon Hull, City of") == "Kingston upon Hull"
    assert display_name("Herefordshire, County of") == "Herefordshire" and display_name("St. Helens") == "St Helens"
    names = dict(zip(areas.area_index()["code"], areas.area_index()["area"]))
    assert names["E06000010"] == "Kingston upon Hull" and names["E08000013"] == "St Helens"
    assert coverage.summary().set_index("code").at["E06000010", "area"] == "Kingston upon Hull"
    assert areas.resolve_area("Kingston Upon Hull, City of") == "E06000010"


def test_a_profile_answers_first():
    """The summary a profile opens with, checked against the tables read directly."""
    i16, i23 = load_table("inspections_2016"), load_table("inspections_2023")
    k = i16[i16["la_code"] == "E09000021"].iloc[0]
    text = profiles.profile_summary("E09000021")  # Kingston upon Thames: WSoA, never revisited, no 2023 inspection
    said = f"letter published {k['published'].day} November 2018: Written Statement of Action required, 4 significant"
    assert said + " weaknesses; not revisited" in text
    assert "**2023 framework:** not inspected by 29 June 2026" in text
    c = i23[i23["area"] == "Cumberland"].sort_values("published").iloc[-1]
    text = profiles.profile_summary("E06000063")
    assert (
        f"**Latest inspection (2023 framework):** inconsistent; report published {c['published'].day} September 2025"
        in text
    )
    assert "(its former council, Cumbria)" in text and c["report_url"] in text
    assert "\u201cThe local area partnership\u2019s arrangements lead to inconsistent experiences" in text
    slough = profiles.profile_summary("E06000039")
    assert "no outcome in the sources" in slough and "In the report's words" not in slough


@pytest.mark.parametrize(
    "typed, code",
    [
        ("Canterbury", "E10000016"),  # a district of Kent
        ("Harrogate", "E06000065"),  # a former district of North Yorkshire
        ("Carlisle", "E06000063"),  # a former district of Cumbria, now in Cumberland
        ("Kendal", "E06000064"),  # a town (its wards: Kendal East, North...) in Westmorland and Furness
        ("Kettering", "E06000061"),  # a former district of Northamptonshire, now North Northamptonshire
        ("Christchurch", "E06000058"),  # a former Dorset district, now in BCP
    ],
)
def test_a_town_or_former_district_finds_its_area(typed, code):
    """Checked by hand against the bundled ONS lookups (ward and district to upper-tier council) and the orders
    that replaced the councils."""
    assert areas.resolve_area(typed) == code


def test_a_misspelt_name_suggests_the_closest_names():
    with pytest.raises(ParameterError, match=r"close matches: Kingston upon Hull \(E06000010\), Kingston upon Thames"):
        areas.resolve_area("Kingstn")
    with pytest.raises(ParameterError, match="is a place in 16 areas"):
        areas.resolve_area("Abbey")  # a ward name in many areas: say so, do not guess
