import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
ODS = RAW / "ofsted" / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
MI = RAW / "ofsted" / "area_send_mi_jan_to_aug_2023.csv"
OVERVIEW = RAW / "ofsted" / "area_send_2023_framework_overview.xlsx"


@pytest.fixture(scope="session")
def built():
    """The repository's own tables, built once (the PDF text cache in data/interim comes with them)."""
    from sendstats.data import registry, store

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


# what of each command's session was still there (running or not yet reaped) the moment it returned
LEFT_BEHIND: dict[str, list[str]] = {}


def session_members(sid: int) -> list[str]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                fields = stat.rsplit(")", 1)[1].split()
                if int(fields[3]) == sid:  # state, ppid, pgrp, session
                    out.append(f"{d.name} ({stat.split('(', 1)[1].rsplit(')', 1)[0]}, state {fields[0]})")
            except (OSError, IndexError, ValueError):
                pass
    return out


def run_cli(*args, env=None):
    """Run the CLI in a session of its own, as a terminal would; LEFT_BEHIND notes what outlived it."""
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
        LEFT_BEHIND[" ".join(args)] = session_members(proc.pid)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
CORE = [
    "01_inspection_outcomes",
    "02_factors_and_wsoa",
    "03_revisits",
    "04_framework_transition",
    "05_letter_themes",
    "06_factors_2023",
]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, built):
    """The full core suite and Kingston upon Thames's profile, rendered cold from the CLI as `make reports`
    does (shared by the report, page and accessibility tests)."""
    out = tmp_path_factory.mktemp("reports")
    env = {**EPOCH, "SENDSTATS_DATA": str(built)}
    r = run_cli("report", "--output-dir", str(out), env=env)
    assert r.returncode == 0, r.stderr
    assert sorted(p.stem for p in out.glob("*.html")) == sorted(CORE + ["index"])
    r = run_cli("report", "area_profile", "-p", "area=Kingston upon Thames", "--output-dir", str(out), env=env)
    assert r.returncode == 0, r.stderr
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


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
