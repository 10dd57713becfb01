"""Notebooks and rendered reports."""
import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import ODS, ROOT, run_cli
from sendstats import report
from sendstats.errors import ParameterError

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit notebooks without outputs"
    assert any("parameters" in c.metadata.get("tags", []) for c in code)
    assert nb.metadata.get("sendstats", {}).get("description")
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_parameters_are_checked_before_running():
    with pytest.raises(ParameterError, match="unknown parameter"):
        report.resolve_parameters("01_inspection_outcomes", {"areaa": "x"})
    with pytest.raises(ParameterError, match="framework"):
        report.resolve_parameters("01_inspection_outcomes", {"framework": "2017"})
    p = report.resolve_parameters("01_inspection_outcomes", {"include_predecessors": "false", "as_at": "2021-03-31"})
    assert p["include_predecessors"] is False and p["as_at"] == "2021-03-31" and p["framework"] == "2016"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    r = run_cli("report", "--output-dir", str(out))
    assert r.returncode == 0, r.stderr
    return out


def test_report_renders_with_provenance(rendered):
    html = (rendered / "01_inspection_outcomes.html").read_text()
    sha = hashlib.sha256(ODS.read_bytes()).hexdigest()
    assert sha in html and "Open Government Licence" in html and "git commit" in html
    assert "Traceback" not in html and "Error" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert "jp-RenderedText" not in html or "application/vnd.jupyter.stderr" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert not re.search(r'<script[^>]+src="https?://', html), "reports must read offline"
    assert html.count("image/svg+xml") >= 4  # figures: region, year, weaknesses, 2023
    assert "Of 149 inspected areas, 82 (55%" in html
    assert "def " not in re.sub(r"<style.*?</style>", "", html, flags=re.S)  # code hidden
    index = (rendered / "index.html").read_text()
    assert 'href="01_inspection_outcomes.html"' in index


def test_failed_render_leaves_previous_html(rendered, data_copy):
    target = rendered / "01_inspection_outcomes.html"
    before = target.read_bytes()
    (data_copy / "raw" / "ofsted" / ODS.name).write_bytes(b"broken")
    r = run_cli("report", "01_inspection_outcomes", "--output-dir", str(rendered),
                env={"SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 2 and "failed in cell" in r.stderr
    assert target.read_bytes() == before
    r = run_cli("report", "01_inspection_outcomes", "-p", "as_at=soon", "--output-dir", str(rendered))
    assert r.returncode == 2 and "as_at" in r.stderr and target.read_bytes() == before
