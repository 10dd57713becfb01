"""One analysis scope: every question-level function honours each field of it or refuses it."""

import pandas as pd
import pytest

import sendstats
from sendstats import Scope
from sendstats.errors import ParameterError
from sendstats.questions import first_2023, revisits, transition, wsoa
from sendstats.scope import parse_date

LONDON_2019 = Scope(as_at="2019-12-31", exclude_regions=["London"])


def test_as_at_is_parsed_once_into_a_date():
    s = Scope(as_at="2019-12-31")
    assert s.as_at == pd.Timestamp("2019-12-31") and Scope(as_at="").as_at is None
    assert Scope.of(s, sliver=0.1) == Scope(as_at=pd.Timestamp("2019-12-31"), sliver=0.1)
    assert s.describe() == "inspections published on or before 31 December 2019"


@pytest.mark.parametrize(
    "fields, word",
    [
        ({"as_at": "soon"}, "as_at"),
        ({"sliver": float("nan")}, "sliver"),
        ({"sliver": -1}, "sliver"),
        ({"sliver": 1e309}, "sliver"),
        ({"sliver": "abc"}, "sliver"),
        ({"exclude_regions": ["Londn"]}, "Londn"),
        ({"framework": "2019"}, "framework"),
        ({"inspection": "second"}, "inspection"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_fields_are_one_clear_error(fields, word):
    with pytest.raises(ParameterError, match=word):
        Scope.of(**fields)


def _expected_areas(as_at: str, region: str) -> int:
    """By hand from the inspections table: areas published by as_at outside the region, plus former councils
    that still existed then and had been inspected by the end of their inspection month."""
    i = sendstats.load_inspections("2016")
    day = pd.Timestamp(as_at)
    main = i[~i["predecessor"] & (i["published"] <= day) & (i["region"] != region)]
    pred = i[i["predecessor"] & (i["ceased"] >= day) & (i["region"] != region)]
    pred = pred[pred["inspection_month"].dt.end_time <= day]
    return len(main) + len(pred)


def test_primary_model_and_sensitivity_use_the_same_sample_as_the_page(built):
    n = _expected_areas("2019-12-31", "London")
    areas = wsoa.areas_2016(LONDON_2019)
    assert len(areas) == n == 83 and not areas["london"].any()
    primary = wsoa.primary_model(LONDON_2019)
    assert primary["n_used"].iat[0] + primary["n_dropped"].iat[0] == n
    assert not primary["term"].str.contains("London").any()
    sens = wsoa.sensitivity(LONDON_2019)
    assert (sens["n_used"] <= n).all() and sens["n_used"].iat[0] == primary["n_used"].iat[0]
    assert sens.loc[0, "odds_ratio"] == pytest.approx(primary["odds_ratio"].iat[0])
    void = sens[sens["specification"].str.contains("London")]
    assert len(void) == 2 and void["method"].str.contains("already left out").all()
    # the page's own sliver reaches the headline and the sensitivity table's primary row
    s10 = wsoa.sensitivity(LONDON_2019.replace(sliver=0.10))
    assert s10["specification"].iat[0].endswith("(sliver 10%)")
    assert s10["odds_ratio"].iat[0] == pytest.approx(
        wsoa.primary_model(LONDON_2019.replace(sliver=0.1))["odds_ratio"].iat[0]
    )


def test_a_field_a_function_cannot_honour_is_refused(built):
    with pytest.raises(ParameterError, match="takes a Scope"):
        wsoa.primary_model("2019-12-31")
    with pytest.raises(ParameterError, match="2016 framework"):
        revisits.revisits(Scope("2023"))
    with pytest.raises(ParameterError, match="sliver"):
        first_2023.areas_2023_first(Scope("2023", sliver=0.1))
    with pytest.raises(ParameterError, match="sliver"):
        sendstats.outcome_summary(Scope(sliver=0.1))
    with pytest.raises(ParameterError, match="inspection"):
        transition.transition(Scope("2023", as_at="2024-01-01"))


def test_the_revisit_rule_is_the_same_everywhere(built):
    """A revisit counts once its letter is published: the outcome summary, report 03's frame and its
    time-to-event frame agree, and match a count by hand."""
    s = Scope(as_at="2020-06-30")
    i = sendstats.load_inspections("2016")
    by_hand = i[i["wsoa"] & ~i["predecessor"] & (i["published"] <= s.as_at) & (i["revisit_published"] <= s.as_at)]
    assert sendstats.revisit_summary(s)["n"].iat[0] == len(revisits.revisits(s)) == len(by_hand)
    assert int(revisits.revisit_times(s)["revisited"].sum()) == len(by_hand)


def test_exclude_regions_reaches_the_2023_sample(built):
    every = first_2023.areas_2023_first()
    out = first_2023.areas_2023_first(Scope("2023", exclude_regions=["London"]))
    assert len(out) == len(every) - int((every["region"] == "London").sum()) and out.attrs["n_region_left_out"] > 0


@pytest.mark.parametrize(
    "value, message",
    [
        ("01/04/2019", "as_at must be an ISO date YYYY-MM-DD such as 2021-03-31, got '01/04/2019'"),
        (2021, "as_at must be an ISO date YYYY-MM-DD such as 2021-03-31, got 2021"),
        ("now", "as_at must be an ISO date YYYY-MM-DD such as 2021-03-31, got 'now'"),
        ("2019-02-30", "as_at must be an ISO date YYYY-MM-DD such as 2021-03-31, got '2019-02-30'"),
        (True, "as_at must be an ISO date YYYY-MM-DD such as 2021-03-31, got True"),
        ("2015-12-31", "as_at=2015-12-31 is before 2016-05-01: the first joint area SEND inspections began"),
    ],
)
def test_one_date_parser_refuses_the_same_things_at_every_door(value, message):
    """The Python API, the catalogue and the command line read a date with one function and say the same."""
    import sendstats
    from sendstats.render import catalogue

    with pytest.raises(ParameterError) as api:
        sendstats.outcome_summary(as_at=value)
    assert message in str(api.value)
    with pytest.raises(ParameterError) as cat:
        catalogue.resolve("01_inspection_outcomes", {"as_at": value})
    assert message in str(cat.value)


def test_an_iso_date_or_a_date_object_reads_the_same():
    import datetime as dt

    assert parse_date("2019-12-31") == parse_date(dt.date(2019, 12, 31)) == pd.Timestamp("2019-12-31")
    assert parse_date(pd.Timestamp("2019-12-31 15:00")) == pd.Timestamp("2019-12-31") and parse_date("") is None


def test_every_scoped_function_takes_the_scopes_fields_as_keywords():
    """As outcome_summary does: revisits(as_at=...) was a TypeError, transition("first") a bad example."""
    by_keyword = revisits.revisits(as_at="2019-12-31")
    assert by_keyword.equals(revisits.revisits(Scope(as_at="2019-12-31")))
    assert len(by_keyword) < len(revisits.revisits())
    latest = transition.transition(inspection="latest")
    assert latest.equals(transition.transition(Scope("2023", inspection="latest")))
    with pytest.raises(ParameterError, match="transition takes a Scope, a framework name or the scope's fields"):
        transition.transition("first")
    with pytest.raises(ParameterError, match="does not use scope field"):
        transition.transition(sliver=0.1)
