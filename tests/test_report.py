"""Rendering: the core suite, byte-identical re-renders, the cache, failures that keep previous output."""

import hashlib
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest
from conftest import CORE, EPOCH, ODS, ROOT, SITE, run_cli

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit notebooks without outputs"
    assert any("parameters" in c.metadata.get("tags", []) for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    # a sentence is generated beside the result it states, never typed into a cell as an f-string
    assert not [c.id for c in code if re.search(r"Markdown\(\s*f[\"']", c.source)]


def _body(html):
    return re.sub(r"<style.*?</style>", "", html, flags=re.S)


@pytest.mark.parametrize("name", CORE)
def test_every_core_report_is_clean(rendered, name):
    html = (rendered / f"{name}.html").read_text()
    body = _body(html)
    assert "Traceback" not in body and "Error" not in body
    assert "application/vnd.jupyter.stderr" not in body, "a notebook wrote to stderr (warning or progress bar)"
    assert not re.search(r"Warning\b", body), "a warning reached the report"
    assert not re.search(r'<script[^>]+src="https?://', html), "reports must read offline"
    assert "def " not in body and "import " not in body  # code hidden
    assert "Provenance" in body and "sha256" in body
    assert re.search(r"TODO|placeholder|lorem", body, re.I) is None


def test_report_02_numbers_match_an_independent_fisher_test(rendered):
    from scipy.stats import fisher_exact

    import sendstats

    a = sendstats.load_areas()
    a = a[~a["predecessor"]]  # as at the file's date (31 Aug 2022) the two former councils had ceased: 149 areas
    t = pd.crosstab(a["ccg_coterminous"], a["wsoa"]).to_numpy()
    p = fisher_exact(t).pvalue
    html = (rendered / "02_factors_and_wsoa.html").read_text()
    assert f"{p:.3f}" in html and "Fisher exact" in html and "q (Benjamini-Hochberg)" in html
    assert "q_value_bh" not in html and ">n_used<" not in html  # headers are the registry's labels
    assert html.count("image/svg+xml") >= 2  # forest plot and CCG figure


def test_cache_skips_unchanged_and_rerenders_only_a_changed_parameter(rendered, tmp_path):
    rendered = shutil.copytree(rendered, tmp_path / "site")  # the shared render stays as rendered
    before = {p.name: p.stat().st_mtime_ns for p in rendered.glob("0*.html")}
    r = run_cli("report", "--core-only", "--output-dir", str(rendered), env=EPOCH)
    assert r.returncode == 0 and f"rendered 0, unchanged {len(CORE)}" in r.stdout, r.stdout + r.stderr
    r = run_cli("report", "03_revisits", "-p", "as_at=2019-12-31", "--output-dir", str(rendered), env=EPOCH)
    assert r.returncode == 0 and "rendered 1, unchanged 0" in r.stdout, r.stdout + r.stderr
    after = {p.name: p.stat().st_mtime_ns for p in rendered.glob("0*.html")}
    assert [n for n in before if before[n] != after[n]] == []  # the core files are untouched
    assert sorted(set(after) - set(before)) == ["03_revisits--as_at-2019-12-31.html"]
    assert "2019-12-31" in (rendered / "03_revisits--as_at-2019-12-31.html").read_text()
    r = run_cli("report", "03_revisits", "-p", "as_at=2019-12-31", "--output-dir", str(rendered), env=EPOCH)
    assert r.returncode == 0 and "rendered 0, unchanged 1" in r.stdout


def test_area_profile_by_name_and_unknown_area(rendered, tmp_path):
    html = (rendered / "areas" / "E09000021.html").read_text()
    assert "Kingston upon Thames (E09000021)" in html and "17 September 2018" in html and "Sutton" in html
    assert 'href="areas/E09000021.html"' in (rendered / "index.html").read_text()
    r = run_cli("report", "area_profile", "-p", "area=Kingston upon Tames", "--output-dir", str(tmp_path))
    assert r.returncode == 2 and "close matches: Kingston upon Thames (E09000021)" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_report_01_renders_with_provenance(rendered):
    html = (rendered / "01_inspection_outcomes.html").read_text()
    sha = hashlib.sha256(ODS.read_bytes()).hexdigest()
    assert sha in html and "Open Government Licence" in html and "git commit" in html
    assert "Traceback" not in html and "Error" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert "jp-RenderedText" not in html or "application/vnd.jupyter.stderr" not in re.sub(
        r"<style.*?</style>", "", html, flags=re.S
    )
    assert not re.search(r'<script[^>]+src="https?://', html), "reports must read offline"
    assert html.count("image/svg+xml") >= 4  # figures: region, year, weaknesses, 2023
    assert "Of 149 inspected areas, 82 (55%" in html
    assert "def " not in re.sub(r"<style.*?</style>", "", html, flags=re.S)  # code hidden
    index = (rendered / "index.html").read_text()
    assert 'href="01_inspection_outcomes.html"' in index


def test_failures_leave_previous_html(rendered, data_copy, tmp_path):
    rendered = shutil.copytree(rendered, tmp_path / "site")
    target = rendered / "01_inspection_outcomes.html"
    before = target.read_bytes()
    # a changed raw file: stopped before any kernel starts, naming the file
    (data_copy / "raw" / "ofsted" / ODS.name).write_bytes(b"broken")
    r = run_cli("report", "--force", "--output-dir", str(rendered), env={"SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 2 and ODS.name in r.stderr and "differs from the manifest" in r.stderr, r.stderr
    assert target.read_bytes() == before
    # a notebook that fails while running: named with its cell, exit 1, the others still render
    nbs = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs)
    nb = nbformat.read(nbs / "01_inspection_outcomes.ipynb", as_version=4)
    nb.cells[4].source = "raise RuntimeError('boom')"
    nbformat.write(nb, nbs / "01_inspection_outcomes.ipynb")
    r = run_cli(
        "report",
        "01_inspection_outcomes",
        "--force",
        "--output-dir",
        str(rendered),
        env={"SENDSTATS_NOTEBOOKS": str(nbs), "SENDSTATS_DATA": str(ROOT / "data")},
    )
    assert r.returncode == 1 and "failed in cell" in r.stderr and "(RuntimeError: boom)" in r.stderr, r.stderr
    assert target.read_bytes() == before
    r = run_cli(
        "report",
        "01_inspection_outcomes",
        "-p",
        "as_at=soon",
        "--output-dir",
        str(rendered),
        env={"SENDSTATS_DATA": str(ROOT / "data")},
    )
    assert r.returncode == 2 and "as_at" in r.stderr and target.read_bytes() == before
    # an output folder that is a file
    f = tmp_path / "a_file"
    f.write_text("x")
    r = run_cli("report", "01_inspection_outcomes", "--output-dir", str(f))
    assert r.returncode == 2 and "is a file, not a folder" in r.stderr and f.read_text() == "x"


def _copy_checkout(src_root, dest):
    """A copy of the working tree elsewhere (what a move or a fresh clone with a warm cache looks like)."""
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", "reports")
    shutil.copytree(src_root, dest, ignore=ignore)
    return dest


def _cli_in(checkout, *args):
    env = {
        k: v for k, v in os.environ.items() if k not in ("SENDSTATS_DATA", "SENDSTATS_NOTEBOOKS", "SENDSTATS_REPORTS")
    }
    env.update(PYTHONPATH=str(checkout / "src"), **EPOCH)
    return subprocess.run(
        [sys.executable, "-m", "sendstats.cli", *args],
        capture_output=True,
        text=True,
        cwd=checkout,
        env=env,
        timeout=600,
    )


def test_moved_checkout_keeps_its_cache_and_edits_rerender_only_what_depends_on_them(rendered, tmp_path):
    co = _copy_checkout(ROOT, tmp_path / "moved")
    shutil.copytree(rendered, co / "reports")
    r = _cli_in(co, "report")  # the whole site, as rendered
    assert r.returncode == 0 and f"rendered 0, unchanged {SITE}" in r.stdout, r.stdout + r.stderr
    # the codebook feeds the letter tables (the hand-coded weaknesses are checked against its themes), which
    # report 05 and report 02's negative control need, and no other page
    book = co / "src" / "sendstats" / "letters" / "codebook.yaml"
    book.write_text(book.read_text() + "# an edit\n")
    r = _cli_in(co, "report")
    assert r.returncode == 0 and f"rendered 2, unchanged {SITE - 2}" in r.stdout, r.stdout + r.stderr
    # plots.py is used by every report and by no table builder
    stale = "from sendstats import registry, store; print(store.stale(list(registry.TABLES)))"
    plots = co / "src" / "sendstats" / "plots.py"
    plots.write_text(plots.read_text() + "# an edit\n")
    env = {**os.environ, "PYTHONPATH": str(co / "src")}
    env.pop("SENDSTATS_DATA", None)
    out = subprocess.run([sys.executable, "-c", stale], capture_output=True, text=True, cwd=co, env=env)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    assert (
        "/moved/src/sendstats"
        in subprocess.run(
            [sys.executable, "-c", "import sendstats; print(sendstats.__file__)"],
            capture_output=True,
            text=True,
            cwd=co,
            env=env,
        ).stdout
    )
    # what the next `sendstats report` would render there (its plan; rendering them is what the other tests do)
    plan = (
        "from pathlib import Path; from sendstats.render import catalogue, report\n"
        "todo, skipped = report.plan([(n, {}) for n in catalogue.core()], Path('reports').absolute())\n"
        "print(len(todo), len(skipped))"
    )
    out = subprocess.run([sys.executable, "-c", plan], capture_output=True, text=True, cwd=co, env=env)
    assert out.stdout.split() == [str(len(CORE)), "0"], out.stdout + out.stderr


def test_a_write_error_is_one_line_and_keeps_the_previous_page(rendered, tmp_path):
    import resource

    out = tmp_path / "out"
    shutil.copytree(rendered, out)
    page = out / "01_inspection_outcomes.html"
    before = page.read_bytes()

    def small_files():  # like `ulimit -f 100`: no file over 100 KB may be written
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "sendstats.cli",
            "report",
            "01_inspection_outcomes",
            "--force",
            "--output-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        env={**os.environ, **EPOCH},
        timeout=600,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("sendstats: error")]
    assert len(errors) == 1 and "01_inspection_outcomes.html" in errors[0] and "Traceback" not in r.stderr
    assert page.read_bytes() == before


def test_footer_names_the_software(rendered):
    import pandas
    import statsmodels

    html = (rendered / "01_inspection_outcomes.html").read_text()
    assert f"pandas {pandas.__version__}" in html and f"statsmodels {statsmodels.__version__}" in html
    assert "Python 3." in html


def test_2023_framework_on_the_pages(rendered):
    """Report 01 shows Ofsted's counts by inspection start, report 04 its matched n and selection check, report 06
    its sample; the numbers are the publisher's (26 = 7/11/8, 28 = 7/15/6) or counted in tests/test_history_2023."""
    import csv as csvmod

    from bs4 import BeautifulSoup

    text = lambda name: re.sub(
        r"\s+", " ", BeautifulSoup((rendered / f"{name}.html").read_text(), "html.parser").get_text()
    )
    p01 = text("01_inspection_outcomes")
    assert "counted by the year the inspection started (the basis of Ofsted's own counts): 2023: 26; 2024: 28" in p01
    # Buckinghamshire and Thurrock (Cambridgeshire's dates come from the corrections file)
    assert '2 inspections with no start date in any source are counted under "date unknown"' in p01
    tables = {
        p.name: list(csvmod.DictReader(open(p, encoding="utf-8-sig")))
        for p in rendered.glob("01_inspection_outcomes.*.csv")
    }
    by_year = next(
        rows for rows in tables.values() if rows and "year" in rows[0] and "counted, date unknown" in rows[0]
    )
    got = {(r["year"], r["2023 outcome"]): int(r["count"]) for r in by_year}
    assert [got[("2023", o)] for o in ("typically positive", "inconsistent", "widespread or systemic failings")] == [
        7,
        11,
        8,
    ]
    assert [got[("2024", o)] for o in ("typically positive", "inconsistent", "widespread or systemic failings")] == [
        7,
        15,
        6,
    ]
    assert "Cornwall" in p01 and "re-inspections" in p01
    p04 = text("04_framework_transition")
    assert "(matched n): 95" in p04 and "Selection check" in p04 and "Fisher-Freeman-Halton" in p04
    p06 = text("06_factors_2023")
    assert "Areas analysed: 95" in p06 and "sub-ICB location" in p06 and "responsible body" in p06
