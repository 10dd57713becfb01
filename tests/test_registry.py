"""The table registry: one home for what every column means."""

import pandas as pd
import pytest
from conftest import ROOT

from sendstats import build, registry


def test_data_dictionary_is_generated_from_the_registry():
    fix = "python -c 'from sendstats import registry; print(registry.dictionary_markdown(), end=\"\")'"
    stale = f"docs/data_dictionary.md is stale: {fix} > docs/data_dictionary.md"
    assert (ROOT / "docs" / "data_dictionary.md").read_text() == registry.dictionary_markdown(), stale


@pytest.mark.parametrize("name", list(registry.TABLES))
def test_every_built_table_has_exactly_its_registered_columns(name):
    df = build.load_table(name)
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
    df = build.load_table("inspections_2016").copy()
    df.loc[0, "n_weaknesses"] = 99
    from pandera.errors import SchemaError, SchemaErrors

    with pytest.raises(SchemaError, match="in_range|less_than|n_weaknesses"):
        registry.schema("inspections_2016").validate(df)
    good = build.load_table("inspections_2016")
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
        fn = getattr(build, registry.TABLES[name].builder.split(":")[1])
        pd.testing.assert_frame_equal(build.load_table(name), fn())
