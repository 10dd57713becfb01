"""The table registry: one home for what every column means."""

import importlib

import pandas as pd
import pytest
from conftest import ROOT

from sendstats.data import registry, store
from sendstats.questions import profiles


def test_data_dictionary_is_generated_from_the_registry():
    fix = "python -c 'from sendstats import registry; print(registry.dictionary_markdown(), end=\"\")'"
    stale = f"docs/data_dictionary.md is stale: {fix} > docs/data_dictionary.md"
    assert (ROOT / "docs" / "data_dictionary.md").read_text() == registry.dictionary_markdown(), stale


@pytest.mark.parametrize("name", list(registry.TABLES))
def test_every_built_table_has_exactly_its_registered_columns(name):
    df = store.load_table(name)
    t = registry.TABLES[name]
    assert list(df.columns) == [c.name for c in t.columns] or set(df.columns) == {c.name for c in t.columns}
    for c in t.columns:
        assert c.label and "_" not in c.label, (name, c.name, c.label)
        assert c.description, (name, c.name)
        if c.dtype not in ("object", "period[M]"):
            assert str(df[c.name].dtype) in (c.dtype, {"string": "str"}.get(c.dtype, c.dtype)), (
                name,
                c.name,
                df[c.name].dtype,
            )


def test_schema_from_registry_rejects_a_bad_value():
    df = store.load_table("inspections_2016").copy()
    df.loc[0, "n_weaknesses"] = 99
    from pandera.errors import SchemaError, SchemaErrors

    with pytest.raises(SchemaError, match="in_range|less_than|n_weaknesses"):
        registry.schema("inspections_2016").validate(df)
    good = store.load_table("inspections_2016")
    registry.schema("inspections_2016").validate(good)
    with pytest.raises((SchemaError, SchemaErrors), match="extra"):
        registry.schema("inspections_2016").validate(good.assign(extra=1))  # strict: unregistered column


def test_labels_are_human():
    assert registry.label("ehcp_20wk_pct") == "% new EHC plans within 20 weeks (year before)"
    assert registry.label("q_value_bh") == "q (Benjamini-Hochberg)"
    assert registry.label("n_wsoa") == "WSoA required"
    assert registry.value_label("systemic_failings") == "widespread or systemic failings"


def test_tables_identical_to_their_builders_output():
    """What load_table returns is what the builder makes (through parquet, dtypes kept)."""
    for name in ("inspections_2016", "la_lookup"):
        module, func = registry.TABLES[name].builder.split(":")
        fn = getattr(importlib.import_module(f"sendstats.{module}"), func)
        pd.testing.assert_frame_equal(store.load_table(name), fn())


def test_each_factor_is_declared_once_and_read_everywhere():
    """The catalogue's factor choices, the factor tables' raw files and the plan's roles come from the
    declarations; the two factors added by declaration are in both factor tables."""
    from sendstats.questions import wsoa
    from sendstats.render import catalogue

    for report, fw in (("02_factors_and_wsoa", "2016"), ("06_factors_2023", "2023")):
        spec = catalogue.get(report).parameters["factors"]
        assert spec["choices"] == registry.factor_choices(fw) and set(spec["default"]) <= set(spec["choices"])
    for t in ("areas_2016", "areas_2023"):
        assert set(registry.FACTOR_FILES) <= set(registry.TABLES[t].raw)
        names = {c.name for c in registry.TABLES[t].columns}
        assert {"area_type", "population_0_25", "lookup_reason"} <= names
    # the plan's confounders from the declarations: area type and population through their model terms
    assert wsoa.CONFOUNDERS == [
        "region",
        "inspection_year",
        "imd_share_most_deprived_decile",
        "area_type_model",
        "log_population_0_25",
    ]
    assert wsoa.FIRST_CONFOUNDERS == wsoa.CONFOUNDERS[:3]
    assert wsoa.MEDIATORS == ["ehcp_20wk_pct", "appeal_rate"]
    assert "population_0_25" in profiles.NUMERIC_PROFILE


def test_area_type_and_population_match_the_lookup_by_hand(built):
    """Against the raw D2I lookup read here with the csv module: Kingston upon Thames is a London borough
    with the lookup's population aged 0-25, and the 2016 areas' types count as the lookup's do."""
    import csv

    from sendstats import load_areas

    with open(ROOT / "data" / "raw" / "lookups" / "la_lookup_d2i.csv", encoding="utf-8-sig") as fh:
        rows = {r["la_code_new"]: r for r in csv.DictReader(fh)}
    a = load_areas("2016").set_index("la_code")
    k = a.loc["E09000021"]
    assert k["area_type"] == "London borough"
    assert int(k["population_0_25"]) == int(float(rows["E09000021"]["ons_population_0-25"]))
    by_hand = {"London Borough": 0, "Metropolitan District": 0}
    for code in a.index[~a["predecessor"]]:
        t = rows.get(code, {}).get("ons_la_type")
        if t in by_hand:
            by_hand[t] += 1
    assert int((a["area_type"] == "London borough").sum()) == by_hand["London Borough"] == 33
    assert int((a["area_type"] == "metropolitan district").sum()) == by_hand["Metropolitan District"] == 36


def test_a_column_name_means_one_thing_in_every_table():
    """Issue 31: 129 names were declared 262 times and six meant two things (``label("published")`` gave "letter
    published" for a 2023 column). Now each name is declared once in the source (``C`` for a column one table
    holds, its factor's ``F``, or ``COLUMNS`` for one several tables hold, listed with ``col``), and every table
    holding a name shows the same label and unit."""
    import ast
    from collections import Counter, defaultdict

    from sendstats.data.registry import columns

    meaning = defaultdict(set)
    for t in registry.TABLES.values():
        for c in t.columns:
            meaning[c.name].add((c.label, c.unit))
    assert {n: m for n, m in meaning.items() if len(m) > 1} == {}
    src = ROOT / "src" / "sendstats" / "data" / "registry"
    calls = [
        n.args[1] if n.func.id == "F" else n.args[0]
        for f in ("inspections.py", "tables.py", "factors.py")
        for n in ast.walk(ast.parse((src / f).read_text()))
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") in ("C", "F")
    ]
    # the reason columns are made by one helper, each name once: _reason("ccg_reason", ...)
    declared = Counter(ast.literal_eval(a) for a in calls if isinstance(a, ast.Constant))
    assert [n for n, k in declared.items() if k > 1] == [] and not set(declared) & set(columns.COLUMNS)
    assert len(columns.COLUMNS) == 17 and sum(len(t.columns) for t in registry.TABLES.values()) == 262
    assert registry.label("published") == registry.TABLES["inspections_2023"].column("published").label
    assert registry.TABLES["place_names"].column("place_kind").label == "kind of place"
    assert registry.TABLES["weakness_coding"].column("weakness_row").label == "weakness row"
