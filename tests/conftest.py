import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sendstats.render.execute import _lean_imports

_lean_imports()  # the tests import nbformat too: skip the IRI grammar jsonschema would build (about 1 s a process)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
ODS = RAW / "ofsted" / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
MI = RAW / "ofsted" / "area_send_mi_jan_to_aug_2023.csv"
OVERVIEW = RAW / "ofsted" / "area_send_2023_framework_overview.xlsx"


@contextlib.contextmanager
def once_per_run(tmp_path_factory, name: str):
    """Hold this run's lock ``name``: under pytest-xdist the workers take turns, so the first to come does the
    work and the others find it done."""
    import fcntl

    with (shared_dir(tmp_path_factory) / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def shared_dir(tmp_path_factory) -> Path:
    """This run's temporary folder common to all pytest-xdist workers (the base folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The repository's own tables, built once (the PDF text cache in data/interim comes with them)."""
    from sendstats.data import registry, store

    with once_per_run(tmp_path_factory, "build"):
        stale = store.stale(list(registry.TABLES))
        if stale:
            store.build(stale)
    return ROOT / "data"


@pytest.fixture
def data_copy(tmp_path, monkeypatch, built):
    """A private copy of data/ (raw files, built tables, the text cache) that SENDSTATS_DATA points to."""
    d = tmp_path / "data"
    shutil.copytree(RAW, d / "raw")
    shutil.copytree(built / "processed", d / "processed")
    if (built / "interim" / "text_cache").is_dir():
        shutil.copytree(built / "interim" / "text_cache", d / "interim" / "text_cache")
    monkeypatch.setenv("SENDSTATS_DATA", str(d))
    return d


def proc_stat(pid) -> tuple[str, list[str]] | None:
    """A process's name and the fields after it in /proc/<pid>/stat (state, ppid, pgrp, session, ...)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    head, _, rest = stat.rpartition(")")
    return head.split("(", 1)[1], rest.split()


def session_members(sid: int) -> list[str]:
    """Every process of session ``sid``, running or not yet reaped."""
    found = ((d.name, proc_stat(d.name)) for d in Path("/proc").iterdir() if d.name.isdigit())
    return [f"{pid} ({s[0]}, state {s[1][0]})" for pid, s in found if s and s[1][3] == str(sid)]


def run_cli(*args, env=None):
    """Run the CLI in a session of its own, as a terminal would; the result's ``left_behind`` lists what of
    that session was still there the moment it returned."""
    with subprocess.Popen(
        [sys.executable, "-m", "sendstats.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            raise
        left = session_members(proc.pid)
    r = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    r.left_behind = left
    return r


EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
CORE = [
    "01_inspection_outcomes",
    "02_factors_and_wsoa",
    "03_revisits",
    "04_framework_transition",
    "05_letter_themes",
    "06_factors_2023",
]


SITE = len(CORE) + 1 + 156  # the whole site: core reports, the areas page, 153 + 3 area profiles


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, built):
    """The whole site (the core reports, the areas page and every area's profile), rendered cold by one command
    as `make reports` does, once per test run: the first pytest-xdist worker to need it renders, the others
    wait for it. Shared
    by the report, page and accessibility tests and the README examples, so read-only: a test that renders
    into it works on a copy. What the command left behind is in ``left-behind.json`` beside it."""
    out = shared_dir(tmp_path_factory) / "rendered"
    with once_per_run(tmp_path_factory, "rendered"):
        if not (out / "index.html").exists():
            r = run_cli("report", "--output-dir", str(out), env={**EPOCH, "SENDSTATS_DATA": str(built)})
            assert r.returncode == 0, r.stderr
            (out.parent / "left-behind.json").write_text(json.dumps(r.left_behind))
    assert sorted(p.stem for p in out.glob("*.html")) == sorted(
        CORE + ["analysis_plan", "areas", "glossary", "index", "strobe"]
    )
    assert len(list((out / "areas").glob("*.html"))) == 156  # 153 current areas and 3 former councils
    return out


# `make test-fast` runs what is not marked slow: the library-level tests. A test is slow when it renders
# (the shared renders and the private data copies behind subprocess builds) or lives in a module of them.
SLOW_FIXTURES = {"rendered", "scoped", "data_copy"}
SLOW_MODULES = {
    "test_accessibility",
    "test_build",
    "test_cli",
    "test_execute",
    "test_export",
    "test_install",
    "test_report",
    "test_scoped_pages",
    "test_sources",
}


def pytest_ignore_collect(collection_path, config):
    """Under ``-m "not slow"`` (``make test-fast``) the slow modules are not even imported: every test in them
    is slow, so none would run, and importing them (nbformat, bs4, selenium) costs seconds per worker."""
    if config.getoption("markexpr") == "not slow" and collection_path.stem in SLOW_MODULES:
        return True
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def check_key_findings(page: str, least: int = 3, most: int = 5) -> list[str]:
    """A core report's key findings hold: the page opens with ``least`` to ``most`` of them (under the
    "Key findings" heading, before any other section), each links to a heading of the page, and each sentence
    is stated, word for word, in the section it links to (so a finding cannot say what its section does not).
    Returns the findings' text."""
    import html as html_
    import re

    text = lambda s: " ".join(html_.unescape(re.sub(r"<[^>]+>", " ", s)).split())
    heads = [(m.start(), m.group(1), m.group(2)) for m in re.finditer(r'<(h[1-3])\b[^>]*\bid="([^"]+)"', page)]
    key = [h for h in heads if h[2] == "key-findings"]
    assert key, "no Key findings heading"
    start = key[0][0]
    assert [h[2] for h in heads if h[1] in ("h2", "h3")][0] == "key-findings", "key findings are not the first section"
    block = page[start : page.index("</ul>", start)]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    assert least <= len(items) <= most, f"{len(items)} key findings"
    out = []
    for item in items:
        (target,) = re.findall(r'href="#([^"]+)"', item)
        i = [k for k, h in enumerate(heads) if h[2] == target]
        assert i, f"finding links to #{target}, which is not a heading of the page"
        pos, level = heads[i[0]][0], heads[i[0]][1]
        after = [h[0] for h in heads[i[0] + 1 :] if h[1] <= level]
        section = text(page[pos : after[0] if after else len(page)])
        sentence = text(re.sub(r"\s*\(<a\b.*?</a>\)\s*$", "", item, flags=re.S))
        assert sentence in section, f"{sentence!r} is not stated in its section #{target}"
        out.append(sentence)
    return out


def table_csv(page, i: int) -> list[dict]:
    """The rows of the ``i``-th table's download (1-based, in page order) of a rendered page, found by the
    page's own download links (file names say what each table is)."""
    import csv
    import io

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(Path(page).read_text(encoding="utf-8"), "html.parser")
    href = [a["href"] for a in soup.select("p.sendstats-download a")][i - 1]
    return list(csv.DictReader(io.StringIO(Path(page).parent.joinpath(href).read_text(encoding="utf-8-sig"))))
