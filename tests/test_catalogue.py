"""The report catalogue: it agrees with each notebook's parameters cell, and parameters are checked before
any kernel starts."""

import pytest
from conftest import ROOT

from sendstats.errors import ParameterError
from sendstats.render import catalogue


def test_every_notebook_is_catalogued_and_agrees_with_its_parameters_cell():
    reps = catalogue.reports()
    assert sorted(reps) == sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    for name, rep in reps.items():
        cell = catalogue.notebook_parameters(rep.path)
        assert list(cell) == list(rep.parameters), name
        for k, spec in rep.parameters.items():
            assert cell[k] == spec["default"], (name, k)
        assert set(rep.needs) <= set(__import__("sendstats.data.registry").registry.TABLES), name


def test_what_is_generated_from_a_declaration_is_current(tmp_path, monkeypatch):
    """Each notebook's parameters cell is its catalogue entry and the plan's variable table the factor
    declarations (make sync writes both); a declaration changed without its copies is caught."""
    from sendstats.data import registry
    from sendstats.render import generated

    assert generated.stale() == []
    plan = (ROOT / "docs" / "analysis_plan.md").read_text()
    for n in registry.factors_of(kind="confounder") + registry.factors_of(kind="exposure"):
        assert f"`{n}`" in plan
    assert "| exposure | one CCG, coterminous (no sliver rule) | `ccg_coterminous` | 2016 |" in plan
    # the default lists in the cells are the declared ones (the 2016 screen: 11 factors, then region and year)
    cell = catalogue.notebook_parameters(ROOT / "notebooks" / "02_factors_and_wsoa.ipynb")
    model = ["ccg_coterminous", "ehcp_20wk_pct", "appeal_rate", "imd_share_most_deprived_decile"]
    assert cell["model_factors"] == model
    assert len(cell["factors"]) == 13 and cell["factors"][-2:] == ["region", "inspection_year"]
    assert (
        "ehcp_per_1000_0_25" not in cell["factors"]
        and "ehcp_per_1000_0_25"
        in catalogue.notebook_parameters(ROOT / "notebooks" / "06_factors_2023.ipynb")["factors"]
    )
    # a default list that gains a factor by declaration leaves the cell stale until make sync
    monkeypatch.setitem(registry.DEFAULT_LISTS, "model-2016", ((), ("region",)))
    catalogue._load.cache_clear()
    try:
        assert "notebooks/02_factors_and_wsoa.ipynb (parameters cell)" in generated.stale()
    finally:
        monkeypatch.undo()
        catalogue._load.cache_clear()


def test_parameters_are_coerced_and_checked():
    p = catalogue.resolve("01_inspection_outcomes", {"include_predecessors": "false", "as_at": "2021-03-31"})
    assert p == {
        "framework": "2016",
        "as_at": "2021-03-31",
        "basis": "published",
        "include_predecessors": False,
        "counting": "ofsted",
        "basis_2023": "inspected",
    }
    with pytest.raises(ParameterError, match=r"counting='nao' is not one of"):
        catalogue.resolve("01_inspection_outcomes", {"counting": "nao"})
    with pytest.raises(ParameterError, match="unknown parameter"):
        catalogue.resolve("01_inspection_outcomes", {"areaa": "x"})
    with pytest.raises(ParameterError, match=r"framework='2017' is not one of"):
        catalogue.resolve("01_inspection_outcomes", {"framework": "2017"})
    for bad in ("01/02/2019", "now", "2019-02-30", "2019-2-1"):
        with pytest.raises(ParameterError, match="ISO date"):
            catalogue.resolve("01_inspection_outcomes", {"as_at": bad})
    with pytest.raises(ParameterError, match="true or false"):
        catalogue.resolve("01_inspection_outcomes", {"include_predecessors": "maybe"})
    with pytest.raises(ParameterError, match="file not found"):
        catalogue.resolve("05_letter_themes", {"codebook": "/no/such/codebook.yaml"})
    with pytest.raises(ParameterError, match="unknown report"):
        catalogue.get("no_such_report")


def test_output_names_keep_core_files_for_defaults_only():
    d = catalogue.resolve("02_factors_and_wsoa", {})
    assert catalogue.output_name("02_factors_and_wsoa", d) == "02_factors_and_wsoa"
    p = catalogue.resolve("02_factors_and_wsoa", {"as_at": "2019-12-31", "exclude_regions": "London"})
    assert (
        catalogue.output_name("02_factors_and_wsoa", p)
        == "02_factors_and_wsoa--as_at-2019-12-31_exclude_regions-London"
    )
    assert catalogue.output_name("area_profile", {"area": "E09000021"}) == "areas/E09000021"


def test_area_kind_resolves_names_to_codes():
    assert catalogue.resolve("area_profile", {"area": "kingston upon thames"})["area"] == "E09000021"
    with pytest.raises(ParameterError, match=r"close matches: Kingston upon Thames \(E09000021\)"):
        catalogue.resolve("area_profile", {"area": "Kingston upon Tames"})


def test_no_description_repeats_its_title():
    """The index shows 'title: description'; a description that opens with its title's words reads twice."""
    import re

    for rep in catalogue.reports().values():
        words = lambda t: re.findall(r"[a-z0-9]+", t.lower())  # noqa: E731
        assert words(rep.description)[:2] != words(rep.title)[:2], rep.name
        assert not set(words(rep.title)[-2:]) <= set(words(rep.description)[:4]), rep.name


def test_a_render_key_sees_a_file_parameters_content_and_the_footers_manifest_rows(tmp_path, data_copy):
    """Editing the codebook a render was given, or a manifest title its footer lists, changes the page's key
    (before, both left the page "unchanged" with the old sha256 or title in its footer)."""
    from sendstats.data import store
    from sendstats.render import cache

    rep = catalogue.get("05_letter_themes")
    book = tmp_path / "codebook.yaml"
    book.write_text("themes: {}\n")
    params = catalogue.resolve("05_letter_themes", {"codebook": str(book)})
    keys = {n: store.table_key(n) for n in rep.needs}
    before = cache.key(rep, params, keys)
    book.write_text(book.read_text() + "\n# edited\n")
    edited = cache.key(rep, params, keys)
    assert edited != before
    manifest = data_copy / "raw" / "MANIFEST.csv"
    text = manifest.read_bytes()
    manifest.write_bytes(
        text.replace(b"Area SEND inspections and outcomes in England as at 31 August 2022", b"A corrected title", 1)
    )
    assert cache.key(rep, params, keys) != edited
