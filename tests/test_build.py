"""Building the tables: bad raw files give one clear message naming the file, and a build swaps in all
its tables at once or none (outputs untouched on any failure, a write error included)."""

import csv
import hashlib

import pandas as pd
import pytest
from conftest import ODS, run_cli

REL = "ofsted/Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"


def _replace(data, rel, payload: bytes):
    """Swap a raw file and re-sign it in the copy's manifest (so the parse, not the hash check, fails)."""
    (data / "raw" / rel).write_bytes(payload)
    man = data / "raw" / "MANIFEST.csv"
    rows = list(csv.DictReader(man.open(encoding="utf-8")))
    for r in rows:
        if r["path"] == rel:
            r["sha256"] = hashlib.sha256(payload).hexdigest()
    with man.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _build_ok(data):
    """The copy's built tables (data_copy brings a complete, current build)."""
    from sendstats.data import registry, store

    assert store.stale(list(registry.TABLES)) == []
    return {p.name: p.read_bytes() for p in (data / "processed").iterdir()}


def _ods_with(tmp_path, mutate):
    sheets = pd.read_excel(ODS, sheet_name=None, header=None, engine="calamine")
    mutate(sheets)
    out = tmp_path / "mutated.ods"
    with pd.ExcelWriter(out, engine="odf") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, header=False, index=False)
    return out.read_bytes()


@pytest.mark.parametrize(
    "kind, expect",
    [
        ("garbage", "cannot read"),
        ("truncated", "cannot read"),
        ("missing_sheet", "sheet 'Area_SEND_up_to_31_Aug_2022' not found"),
        ("renamed_column", "missing column(s) ['Ofsted region']"),
        ("bad_value", "expected one of ['Yes', 'No'], got 'Maybe'"),
    ],
)
def test_bad_ods_fails_cleanly_and_keeps_outputs(data_copy, tmp_path, kind, expect):
    before = _build_ok(data_copy)
    if kind == "garbage":
        payload = b"this is not a spreadsheet\n" * 100
    elif kind == "truncated":
        payload = ODS.read_bytes()[: ODS.stat().st_size // 2]
    elif kind == "missing_sheet":
        payload = _ods_with(tmp_path, lambda s: s.pop("Area_SEND_up_to_31_Aug_2022"))
    elif kind == "renamed_column":
        payload = _ods_with(tmp_path, lambda s: s["Area_SEND_up_to_31_Aug_2022"].iat.__setitem__((4, 3), "Region"))
    else:
        payload = _ods_with(tmp_path, lambda s: s["Area_SEND_up_to_31_Aug_2022"].iat.__setitem__((7, 6), "Maybe"))
    _replace(data_copy, REL, payload)
    r = run_cli("data", "build", env={"SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "mutated" not in r.stderr and REL.split("/")[-1] in r.stderr and expect in r.stderr
    after = {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()}
    assert after == before  # nothing half-written


def test_a_write_failure_leaves_every_table_and_the_record_untouched(data_copy, monkeypatch):
    from sendstats.data import store

    before = _build_ok(data_copy)
    calls = []
    real = pd.DataFrame.to_parquet

    def failing(self, path, *a, **k):
        calls.append(path)
        if len(calls) == 3:  # two tables written to the staging folder, then the disk is full
            raise OSError(28, "No space left on device")
        return real(self, path, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError, match="No space"):
        store.build(["inspections_2016", "inspections_2023", "la_lookup"])
    assert len(calls) == 3
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before
    assert not [p for p in data_copy.iterdir() if p.name.startswith(".processed")], "staging folder left behind"


def test_build_record_names_sources_and_keys(data_copy):
    from sendstats.data import sources, store

    store.build(["inspections_2016"])
    rec = store.read_record()["inspections_2016"]
    assert rec["rows"] == 151 and rec["key"] == store.table_key("inspections_2016")
    assert rec["sources"] == {REL: sources.entry(REL)["sha256"]}
    assert store.stale(["inspections_2016"]) == []


def test_data_build_builds_only_what_is_out_of_date_and_force_builds_all(data_copy):
    from sendstats.data import registry, store

    before = _build_ok(data_copy)
    r = run_cli("data", "build", env={"SENDSTATS_DATA": str(data_copy)})
    current = f"all {len(registry.TABLES)} tables current; every raw file matches"
    assert r.returncode == 0 and r.stdout.startswith(current), r.stdout
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before

    rel = "curated/wsoa_areas.csv"
    behind = {n for n in registry.TABLES if rel in store.raw_files(n)}  # the tables built from it
    _replace(data_copy, rel, (data_copy / "raw" / rel).read_bytes() + b"\n")
    r = run_cli("data", "build", env={"SENDSTATS_DATA": str(data_copy)})
    built = {part.split(":")[0] for part in r.stdout.split(" (")[0].split(", ")}
    assert r.returncode == 0 and built == behind and "wsoa_areas" in built and len(built) < 13, r.stdout


def test_data_build_force_builds_every_table(monkeypatch, capsys):
    from sendstats import cli
    from sendstats.data import store

    calls = []
    monkeypatch.setattr(store, "build", lambda names=None: calls.append(names) or {"inspections_2016": 151})
    assert cli.main(["data", "build", "--force"]) == 0
    assert calls == [None] and capsys.readouterr().out.startswith("inspections_2016: 151 rows (")
