"""Every core report rendered with non-default parameters (an early as_at, a region left out, a non-default
sliver): each number a page states in prose is the number of the table it describes, and no page carries a
stderr block or a local path."""

import html
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import EPOCH, ROOT, check_key_findings, table_csv

pytestmark = pytest.mark.slow

RUNS = {
    "01_inspection_outcomes": ["-p", "as_at=2019-12-31", "-p", "basis=inspected"],
    "02_factors_and_wsoa": ["-p", "as_at=2019-12-31", "-p", "exclude_regions=London", "-p", "sliver=0.1"],
    "03_revisits": ["-p", "as_at=2020-06-30"],
    "04_framework_transition": ["-p", "inspection=latest", "-p", "include_successors=false"],
    "05_letter_themes": ["-p", f"codebook={ROOT / 'src' / 'sendstats' / 'letters' / 'codebook.yaml'}"],
    "06_factors_2023": ["-p", "exclude_regions=London"],
}


@pytest.fixture(scope="session")
def scoped(tmp_path_factory, built):
    """The six core reports with non-default parameters, rendered once into one folder by one process (the
    package's own `report.render` with two workers, each reusing its kernel, as `sendstats report` does)."""
    out = tmp_path_factory.mktemp("scoped")
    env = {**os.environ, **EPOCH, "SENDSTATS_DATA": str(built)}
    jobs = [(name, dict(a.split("=", 1) for a in args[1::2])) for name, args in RUNS.items()]
    code = (
        "import json, sys; from sendstats.render import report\n"
        "res = report.render([tuple(j) for j in json.loads(sys.argv[1])], sys.argv[2], workers=2)\n"
        "print('\\n'.join(res['errors'])); sys.exit(1 if res['errors'] else 0)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, json.dumps(jobs), str(out)], env=env, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return out


def _page(out, name):
    (path,) = [p for p in out.glob(f"{name}--*.html")]
    return path, path.read_text(encoding="utf-8")


def _text(page: str) -> str:
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _table(path, i: int) -> list[dict]:
    return table_csv(path, i)


def _primary(out, name: str, table: int):
    """A factor page: its path, HTML, text, its "Areas analysed" n and its primary model's first row, whose
    sample (n used + n dropped) is that n, with no London term anywhere on the page."""
    path, page = _page(out, name)
    text = _text(page)
    n = int(re.search(r"Areas analysed: (\d+)", text).group(1))
    primary = _table(path, table)[0]
    assert int(primary["n used"]) + int(primary["n dropped"]) == n
    assert "Ofsted region = London" not in page
    return path, text, n, primary


@pytest.mark.parametrize("name", list(RUNS))
def test_key_findings_are_the_scoped_pages_own(scoped, name):
    """With any parameters, each finding is stated in the section it links to (so it counts that page's sample)."""
    check_key_findings(_page(scoped, name)[1])


@pytest.mark.parametrize("name", list(RUNS))
def test_no_stderr_block_or_local_path(scoped, name):
    _, page = _page(scoped, name)
    body = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    assert "vnd.jupyter.stderr" not in body and "output_stderr" not in body
    for local in (str(ROOT), "site-packages", "/.venv/", "Warning:"):
        assert local not in body


def test_02_every_denominator_is_the_areas_analysed(scoped):
    path, text, n, primary = _primary(scoped, "02_factors_and_wsoa", 5)
    assert re.search(rf"Denominator: {primary['n used']} areas\.", text)
    sens = _table(path, 6)
    assert sens[0]["specification"].endswith("(sliver 10%)") and sens[0]["n used"] == primary["n used"]
    assert all(int(r["n used"]) <= n for r in sens)
    assert float(sens[0]["odds ratio"]) == pytest.approx(float(primary["odds ratio"]))
    assert "London boroughs:" not in text
    for m in re.finditer(r"\(of (\d+)\)", text):
        assert int(m.group(1)) == n
    said = re.search(r"had (\d+\.\d+) times the odds of being required", text).group(1)
    assert said == f"{float(primary['odds ratio']):.2f}"


def test_06_every_denominator_is_the_areas_analysed(scoped):
    _, text, n, _ = _primary(scoped, "06_factors_2023", 4)
    assert re.search(rf"Denominator: {n} areas\.", text)


def test_03_revisited_areas_are_the_tables_denominator(scoped):
    _, page = _page(scoped, "03_revisits")
    text = _text(page)
    n = int(re.search(r"Revisited WSoA areas: (\d+)", text).group(1))
    assert re.search(rf"Denominator: {n} revisited areas\.", text)
    assert "30 June 2020" in text


def test_01_sections_count_the_same_inspections(scoped):
    path, page = _page(scoped, "01_inspection_outcomes")
    text = _text(page)
    overall, by_region = _table(path, 1), _table(path, 2)
    assert sum(int(r["n"]) for r in by_region) == int(overall[0]["n"])
    assert "started on or before 31 December 2019" in text
    wsoa = re.search(r"where (\d+) councils wrote one", text).group(1)
    assert int(wsoa) == int(overall[0]["WSoA required"])
