"""Raw files: every one is checked against the manifest's sha256 before a build uses it, and `data verify`
finds changed, missing and unlisted files."""

import csv

import pytest
from conftest import run_cli


def _env(data):
    return {"SENDSTATS_DATA": str(data)}


def _flip_one_byte(path, offset=None):
    """Change one byte in place, keeping the size (what a stray editor save might do)."""
    b = bytearray(path.read_bytes())
    i = len(b) // 2 if offset is None else offset
    b[i] = ord("#") if b[i] != ord("#") else ord("$")
    path.write_bytes(bytes(b))
    return len(b)


def test_verify_reports_changed_missing_and_unlisted_files(data_copy):
    r = run_cli("data", "verify", env=_env(data_copy))
    assert r.returncode == 0 and "no unlisted files" in r.stdout, r.stderr
    (data_copy / "raw" / "ons" / "stray.csv").write_text("a,b\n")
    man = data_copy / "raw" / "MANIFEST.csv"
    rows = list(csv.DictReader(man.open(encoding="utf-8")))
    dropped = rows.pop(3)["path"]  # the file stays on disk, its row goes
    rows.append({**rows[0], "path": "ons/gone.csv"})  # a row whose file is missing
    with man.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = run_cli("data", "verify", env=_env(data_copy))
    assert r.returncode == 1
    assert "ons/stray.csv: on disk but not listed" in r.stderr
    assert f"{dropped}: on disk but not listed" in r.stderr
    assert "ons/gone.csv: listed in the manifest but missing" in r.stderr


@pytest.mark.parametrize(
    "rel, command",
    [
        ("letters/kingston-upon-thames_2018-10-23.txt", ["report", "05_letter_themes"]),
        ("curated/wsoa_weaknesses.csv", ["report", "05_letter_themes"]),
        ("dfe/sen2_dmo_dco_2019_to_2025.csv", ["data", "build"]),
        ("lookups/la_lookup_d2i.csv", ["report", "area_profile", "-p", "area=E09000021"]),
    ],
)
def test_one_byte_edit_without_manifest_update_fails_naming_the_file(data_copy, tmp_path, rel, command):
    from test_build import _build_ok

    before = _build_ok(data_copy)
    p = data_copy / "raw" / rel
    size = p.stat().st_size
    assert _flip_one_byte(p) == size
    args = [*command, "--output-dir", str(tmp_path / "out")] if command[0] == "report" else command
    r = run_cli(*args, env=_env(data_copy))
    assert r.returncode == 2, r.stdout + r.stderr
    assert rel in r.stderr and "differs from the manifest" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before


def test_load_fails_on_a_same_size_edit(data_copy):
    import sendstats
    from sendstats.errors import DataError

    sendstats.load_inspections("2023")
    _flip_one_byte(data_copy / "raw" / "ofsted" / "area_send_mi_jan_to_aug_2023.csv")
    with pytest.raises(DataError, match="area_send_mi_jan_to_aug_2023.csv"):
        sendstats.load_inspections("2023")
