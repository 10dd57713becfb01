"""The store: the registry is the only description of the pipeline, and the store checks it is complete."""

import dataclasses
import json

import pytest

from sendstats import config, fileio
from sendstats.data import registry, sources, store
from sendstats.errors import DataError

ODS_REL = "ofsted/Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"


def test_a_builder_reading_an_undeclared_raw_file_is_stopped():
    with sources.reading("la_lookup", []):
        with pytest.raises(DataError, match="builder of table la_lookup reads this raw file, which its registry"):
            sources.check(ODS_REL)
    assert sources.check(ODS_REL).name.endswith(".ods")  # outside a build nothing is refused


def test_a_table_whose_declaration_misses_a_file_fails_to_build(data_copy, monkeypatch):
    before = {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()}
    bare = dataclasses.replace(registry.TABLES["la_lookup"], raw=())
    monkeypatch.setitem(registry.TABLES, "la_lookup", bare)
    with pytest.raises(DataError, match="la_lookup_d2i.csv: the builder of table la_lookup reads this raw file"):
        store.build(["la_lookup"])
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before


def test_builders_are_given_the_tables_they_need_and_keys_follow_them(monkeypatch):
    assert store.upstream("weakness_coding") == ("inspections_2016", "weaknesses")
    assert store.upstream("areas_2023") == ("documents", "inspections_2023")
    files = store.raw_files("areas_2023")
    assert any(f.startswith("ofsted/reports_2023_framework/") for f in files)  # through documents
    assert "ofsted/Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods" not in files
    report = next(f for f in files if f.startswith("ofsted/reports_2023_framework/"))
    before = {n: store.table_key(n) for n in registry.TABLES}
    real = sources.file_hash
    monkeypatch.setattr(sources, "file_hash", lambda rel: "0" * 64 if rel == report else real(rel))
    changed = {n for n in registry.TABLES if store.table_key(n) != before[n]}
    assert changed == {"documents", "document_items", "recommendations", "inspections_2023", "areas_2023"}


def test_a_report_cannot_load_a_table_it_does_not_need(monkeypatch):
    monkeypatch.setenv(config.RENDER_ENV, json.dumps({"needs": ["la_lookup"]}))
    assert len(store.load_table("la_lookup")) == 156
    with pytest.raises(DataError, match="loads table 'documents', which its catalogue entry does not list"):
        store.load_table("documents")


@pytest.mark.parametrize("exchange", [True, False])
def test_a_folder_is_replaced_whole(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(fileio, "_exchange", lambda a, b: False)
    target, staging = tmp_path / "out", tmp_path / ".out-new"
    target.mkdir()
    (target / "old.txt").write_text("old")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    fileio.replace_folder(staging, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_second_rename_puts_the_old_folder_back(tmp_path, monkeypatch):
    monkeypatch.setattr(fileio, "_exchange", lambda a, b: False)
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(FileNotFoundError):
        fileio.replace_folder(tmp_path / "missing", target)
    assert (target / "old.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_build_removes_the_staging_folders_of_killed_builds(tmp_path):
    """Issue 32 item 7: a staging folder whose build process is gone (or that has no process id) is removed at
    the next build; a running build's is kept."""
    import os
    import subprocess

    from sendstats.data import store

    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = [tmp_path / f"{store.STAGING}{dead.pid}-abc", tmp_path / f"{store.STAGING}zcbisgx9"]
    live = tmp_path / f"{store.STAGING}{os.getpid()}-xyz"
    for p in (*stale, live):
        p.mkdir()
        (p / "t.parquet").write_bytes(b"x")
    removed = store.clean_stale_staging(tmp_path)
    assert sorted(removed) == sorted(stale) and not any(p.exists() for p in stale) and live.exists()


def test_a_corrupt_table_is_noticed_and_rebuilt_not_trusted(data_copy):
    """A table file damaged after the build (same key in BUILD.json) used to pass as current and fail inside
    a notebook with ArrowInvalid; now `data build` and load_table see its size or hash differ and rebuild it."""
    from conftest import run_cli

    path = data_copy / "processed" / "wsoa_areas.parquet"
    good = path.read_bytes()
    path.write_bytes(good[:-100] + b"x" * 100)  # same size, other bytes
    assert store.stale(["wsoa_areas"]) == ["wsoa_areas"]
    r = run_cli("data", "build")
    assert r.returncode == 0 and "wsoa_areas: 82 rows" in r.stdout, r.stdout + r.stderr
    assert store.load_table("wsoa_areas").shape[0] == 82
    path.write_bytes(b"not parquet")
    assert len(store.load_table("wsoa_areas")) == 82  # rebuilt on load, no ArrowInvalid


@pytest.mark.parametrize("record", ['{"wsoa_areas": 3}', "[1, 2]", '{"wsoa_areas": {"key": 1}}', "{not json"])
def test_a_malformed_build_record_means_rebuild_not_traceback(data_copy, record):
    from conftest import run_cli

    (data_copy / "processed" / "BUILD.json").write_text(record)
    r = run_cli("data", "build")
    assert r.returncode == 0 and "Traceback" not in r.stderr and "wsoa_areas: 82 rows" in r.stdout, r.stderr


def test_a_cached_raw_read_cannot_skip_the_guard():
    """Reproduces the bypass: geography kept raw reads for the process keyed by year only, so after one
    unguarded read a builder that does not declare the file was handed the cached frame and neither the guard
    nor the sha256 check fired. Now every call checks each file it reads first."""
    from sendstats.data import geography

    geography.lsoa_areas(2016)  # read once, outside any builder
    with sources.reading("a table that declares only the ODS", [ODS_REL]):
        with pytest.raises(DataError, match="does not declare"):
            geography.lsoa_areas(2016)
        with pytest.raises(DataError, match="does not declare"):
            geography.icb_lsoas()


def test_one_build_at_a_time_per_data_folder(data_copy):
    """Two processes that find a table stale used to build it at once and swap in folders whose build record
    described the other's files; now a build waits for the one under way."""
    import subprocess
    import sys
    import time

    with store._build_lock():
        waiting = subprocess.Popen(
            [sys.executable, "-m", "sendstats.cli", "data", "build", "--force"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(3)
        assert waiting.poll() is None  # blocked on the lock
    assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    assert store.stale(list(registry.TABLES)) == []
