import json
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
def built(tmp_path_factory):
    """The repository's own tables, built once (the PDF text cache in data/interim comes with them). Under
    pytest-xdist the workers take turns (a lock in their shared temporary folder): one builds, the others
    then find the tables current."""
    import fcntl

    from sendstats.data import registry, store

    with (tmp_path_factory.getbasetemp().parent / "sendstats-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
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


def shared_dir(tmp_path_factory) -> Path:
    """This run's temporary folder common to all pytest-xdist workers (the base folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, built):
    """The full core suite and Kingston upon Thames's profile, rendered cold by one command as `make reports`
    does, once per test run: the first pytest-xdist worker to need it renders, the others wait for it. Shared
    by the report, page and accessibility tests and the README examples, so read-only: a test that renders
    into it works on a copy."""
    import fcntl

    out = shared_dir(tmp_path_factory) / "rendered"
    with (shared_dir(tmp_path_factory) / "rendered.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").exists():
            env = {**EPOCH, "SENDSTATS_DATA": str(built)}
            cmd = ["report", "--areas", "Kingston upon Thames", "--output-dir", str(out)]
            r = run_cli(*cmd, env=env)
            assert r.returncode == 0, r.stderr
            (shared_dir(tmp_path_factory) / "rendered-left-behind.json").write_text(
                json.dumps(LEFT_BEHIND[" ".join(cmd)])
            )
    assert sorted(p.stem for p in out.glob("*.html")) == sorted(CORE + ["index"])
    assert [p.name for p in (out / "areas").glob("*.html")] == ["E09000021.html"]
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


# Under pytest-xdist (`make test`: two workers, `--dist loadgroup`) the tests that share a session render are
# kept in two groups, one per worker, so each worker makes the shared render once and the two halves take
# about as long: the README examples, the browser check and the scoped pages in one, the rest in the other.
SHARED_RENDERS = {"rendered", "scoped"}
SECOND_GROUP = {"test_cli", "test_accessibility", "test_scoped_pages"}


def pytest_itemcollected(item):
    """Markers by module and fixtures, set as each test is collected (before pytest-xdist reads the groups in
    its own collection hook)."""
    module = item.module.__name__.rsplit(".", 1)[-1]
    fixtures = set(getattr(item, "fixturenames", ()))
    if module in SLOW_MODULES or SLOW_FIXTURES & fixtures:
        item.add_marker(pytest.mark.slow)
    if module in SECOND_GROUP:
        item.add_marker(pytest.mark.xdist_group("renders-b"))
    elif SHARED_RENDERS & fixtures:
        item.add_marker(pytest.mark.xdist_group("renders-a"))
