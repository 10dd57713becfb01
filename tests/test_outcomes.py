"""Headline figures against the publisher's statements and hand counts from the raw file."""

import math

import pandas as pd
import pytest
from conftest import ODS

import sendstats
from sendstats.errors import ParameterError
from sendstats.stats import proportion


def test_overall_2016():
    s = sendstats.outcome_summary()
    assert (s["n"].iat[0], s["n_wsoa"].iat[0], s["n_predecessors"].iat[0]) == (149, 82, 0)


def test_regions_as_at_31_march_2021():
    """Ofsted: the WSoA share ranged from about 1 in 4 in London to more than 4 in 5 in the East of England
    (areas published by 31 March 2021)."""
    raw = pd.read_excel(ODS, sheet_name="Area_SEND_up_to_31_Aug_2022", header=4, engine="calamine")
    raw = raw[raw.iloc[:, 5] <= pd.Timestamp("2021-03-31")]
    s = sendstats.outcome_summary(as_at="2021-03-31", by="region").set_index("region")
    london = raw[raw.iloc[:, 3] == "London"]
    assert s.loc["London", "n"] == len(london) and s.loc["London", "n_wsoa"] == (london.iloc[:, 6] == "Yes").sum()
    assert 0.2 <= s.loc["London", "share"] <= 0.3
    assert s.loc["East of England", "share"] > 0.8
    assert s["share"].idxmin() == "London" and s["share"].idxmax() == "East of England"
    # Northamptonshire still existed on 31 March 2021 and counts in the East Midlands; Dorset did not
    assert s.loc["East Midlands", "n_predecessors"] == 1 and s.loc["South West", "n_predecessors"] == 0


def test_predecessor_rules():
    both = sendstats.outcome_summary(as_at="2019-03-31")
    assert both["n_predecessors"].iat[0] == 2
    assert sendstats.outcome_summary(as_at="2019-04-01")["n_predecessors"].iat[0] == 1
    assert sendstats.outcome_summary(as_at="2019-03-31", include_predecessors=False)["n_predecessors"].iat[0] == 0
    assert sendstats.outcome_summary(as_at="2016-12-31")["n_predecessors"].iat[0] == 0  # not yet inspected


def _hand_count(as_at: str, notes_areas: list) -> tuple:
    """Reports published by ``as_at`` in the main sheet of Ofsted's file, plus the Notes sheet's areas named
    (Dorset: inspected January 2017, WSoA; Northamptonshire: May 2017, no WSoA), as (reports, WSoA)."""
    raw = pd.read_excel(ODS, sheet_name="Area_SEND_up_to_31_Aug_2022", header=4, engine="calamine")
    notes = " ".join(pd.read_excel(ODS, sheet_name="Notes", header=None, engine="calamine")[1].dropna().astype(str))
    assert "Dorset were inspected in January 2017 and required a WSoA" in notes
    assert "Northamptonshire were inspected in May 2017 and did not require a WSoA" in notes
    rows = raw[raw["Inspection publication date"] <= pd.Timestamp(as_at)]
    wsoa = (rows["Inspection outcome: written statement of action required?"] == "Yes").sum()
    return len(rows) + len(notes_areas), int(wsoa) + ("Dorset" in notes_areas)


def test_counting_conventions_reproduce_published_counts():
    """Every published report: written evidence SCN0712 to the House of Commons Education Committee's SEND
    inquiry (published by the committee, 2019) says "91 local area reports have now been published and 46 local
    areas have been issued a requirement to produce a written statement of action (28 May)". Dorset had been
    abolished on 1 April 2019, so only the every-published-report convention gives it. Ofsted's convention:
    its official statistics as at 31 March 2021 say 116 of 151 areas inspected, 59 with a WSoA (Northamptonshire
    still existed that day; Dorset did not)."""
    every = sendstats.outcome_summary(as_at="2019-05-28", counting="every_inspection").iloc[0]
    assert (every["n"], every["n_wsoa"]) == _hand_count("2019-05-28", ["Dorset", "Northamptonshire"]) == (91, 46)
    ofsted = sendstats.outcome_summary(as_at="2019-05-28").iloc[0]
    assert (ofsted["n"], ofsted["n_wsoa"]) == _hand_count("2019-05-28", ["Northamptonshire"]) == (90, 45)
    o21 = sendstats.outcome_summary(as_at="2021-03-31").iloc[0]
    assert (o21["n"], o21["n_wsoa"]) == _hand_count("2021-03-31", ["Northamptonshire"]) == (116, 59)
    # with no as_at, every report in the file: 149 current areas and the 2 abolished ones
    assert sendstats.outcome_summary(counting="every_inspection")["n"].iat[0] == 151
    # the sentence says which convention gave its number
    text = sendstats.outcomes.describe_overall(
        sendstats.outcome_summary(as_at="2019-05-28", counting="every_inspection"), "2016", "every_inspection"
    )
    assert text.startswith("Of 91 inspected areas (including 2 predecessor areas), 46 (51%")
    assert "WSoA, counted as every published report (areas abolished since their inspection are kept)." in text
    assert "as Ofsted counts" in sendstats.outcomes.describe_overall(ofsted.to_frame().T, "2016")


@pytest.mark.parametrize(
    "fields",
    [
        {"counting": "nao"},
        {"counting": "every_inspection", "framework": "2023"},
        {"counting": "every_inspection", "include_predecessors": False},
    ],
)
def test_counting_refuses_what_it_cannot_count(fields):
    with pytest.raises(ParameterError, match="counting"):
        sendstats.outcome_summary(**fields)


def test_2023_by_year_inspected():
    s = sendstats.outcome_summary("2023", by="year", basis="inspected")
    y23 = s[s["year"] == 2023]
    assert y23["count"].sum() == 26 and (y23["n"] == 26).all()
    assert math.isclose(y23["share"].sum(), 1.0)


def test_2023_as_at_reproduces_mi():
    s = sendstats.outcome_summary("2023", as_at="2023-08-31", basis="inspected").set_index("outcome")
    assert s["count"].to_dict() == {"positive": 5, "inconsistent": 6, "systemic_failings": 5}


def test_weaknesses_and_revisits():
    w = sendstats.weakness_distribution()
    assert w["count"].sum() == 82 and w["n"].iat[0] == 82
    assert (w["n_weaknesses"] * w["count"]).sum() == sendstats.load_inspections().query("not predecessor")[
        "n_weaknesses"
    ].sum()
    r = sendstats.revisit_summary().set_index("revisit_outcome")
    assert r.loc[["Yes", "Some", "No"], "count"].tolist() == [20, 24, 2] and r.loc["Yes", "n"] == 46
    assert r.loc["not revisited yet", "count"] == 82 - 46


def test_wilson_interval_by_hand():
    k, n, z = 82, 149, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    got = proportion(k, n)
    assert got["share"] == pytest.approx(p)
    assert got["ci_low"] == pytest.approx(centre - half) and got["ci_high"] == pytest.approx(centre + half)
    assert math.isnan(proportion(0, 0)["share"])
    with pytest.raises(ParameterError):
        proportion(5, 3)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"framework": "2019"}, "framework"),
        ({"basis": "started"}, "basis"),
        ({"as_at": "not a date"}, "as_at"),
        ({"by": "colour"}, "colour"),
        ({"include_predecessors": "yes"}, "include_predecessors"),
    ],
)
def test_bad_parameters(kwargs, word):
    with pytest.raises(ParameterError, match=word):
        sendstats.outcome_summary(**kwargs)
