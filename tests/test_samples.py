"""The flow diagrams' counts (questions/samples.py) against Ofsted's published totals and the models' own n."""

import sendstats
from sendstats import Scope
from sendstats.questions import first_2023, outcome_2023, samples, wsoa


def test_the_2016_flow_ends_at_the_models_own_n_and_starts_at_ofsteds_file():
    f = samples.flow_2016()
    assert f["n"].tolist()[:3] == [151, 149, 149]  # Ofsted: 149 areas as at 31 August 2022, plus its 2 Notes rows
    assert f["left out"].iat[1] == 2 and "2 former councils that no longer existed" in f["why"].iat[1]
    assert f["n"].iat[-1] == wsoa.primary_model().iloc[0]["n_used"]
    assert (f["n"].shift() - f["left out"] == f["n"]).iloc[1:].all()  # each stage is the last less what it left out
    scoped = samples.flow_2016(Scope(as_at="2019-12-31", exclude_regions=("London",), sliver=0.1))
    assert scoped["n"].iat[2] == len(
        wsoa.areas_2016(Scope(as_at="2019-12-31", exclude_regions=("London",), sliver=0.1))
    )
    assert scoped["left out"].iat[2] > 0  # the London boroughs inspected by then


def test_the_2023_flow_counts_the_inspections_in_the_sources():
    f = samples.flow_2023()
    i = sendstats.load_inspections("2023")
    assert f["n"].iat[0] == len(i) == 97
    assert f["n"].iat[1] == int(i["outcome"].notna().sum())  # Slough has no outcome in any source
    assert f["n"].iat[2] == i.loc[i["outcome"].notna(), "la_code"].nunique()  # Cornwall's re-inspection
    assert f["n"].iat[-1] == outcome_2023.primary_model_2023(first_2023.areas_2023_first()).iloc[0]["n_used"]
