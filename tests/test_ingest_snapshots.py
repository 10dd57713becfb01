"""The 2023-framework history (ingest/snapshots.py and its merge in ingest/ofsted.py): every inspection seen in
the weekly snapshots, checked against counts taken straight from the raw archive (read here with tarfile and a
regex, not through sendstats) and against Ofsted's own published figures."""

import re
import tarfile

import pandas as pd
import pytest
from conftest import RAW, run_cli

import sendstats
from sendstats import outcomes

ARCHIVE = RAW / "ofsted" / "snapshots_2023_framework" / "area_send_2023_framework_snapshots.tar.xz"


@pytest.fixture(scope="module")
def raw_pages():
    """(page date, rows as dicts keyed by header) for every page of the archive, parsed independently."""
    pages = []
    with tarfile.open(ARCHIVE) as tar:
        for m in tar.getmembers():
            if not m.name.endswith(".html"):
                continue
            text = tar.extractfile(m).read().decode()
            day, month, year = re.search(r"last updated: (\d\d) (\d\d) (\d{4})", text).groups()
            head = re.findall(r"<th>(.*?)</th>", text.split("<tbody>")[0])
            rows = [
                dict(zip(head, [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]))
                for tr in re.findall(r"<tr>(.*?)</tr>", text.split("<tbody>")[1], re.S)
            ]
            pages.append((pd.Timestamp(f"{year}-{month}-{day}"), rows))
    return sorted(pages, key=lambda p: p[0])


@pytest.fixture(scope="module")
def i23():
    return sendstats.load_inspections("2023")


def test_every_inspection_once(i23, raw_pages):
    seen = {(r["La Code"], r["Publication Date"]) for _, rows in raw_pages for r in rows}
    assert len(raw_pages) == 161
    assert len(raw_pages[-1][1]) == 96  # the latest snapshot: 96 areas
    assert len(seen) == 97 == len(i23)  # one inspection is only in earlier snapshots (Cornwall's first)
    assert i23["la_code"].nunique() == 96
    corn = i23[i23["area"] == "Cornwall"].sort_values("published")
    assert corn["inspection_start"].dt.strftime("%Y-%m-%d").tolist() == ["2023-02-06", "2026-03-23"]
    assert corn["inspection_number"].tolist() == [1, 2]
    # the first inspection was listed until the snapshot before the one showing the re-inspection
    first_page_with_second = min(
        d
        for d, rows in raw_pages
        for r in rows
        if r["Local Authority"] == "cornwall" and r["Publication Date"] == "27/05/26"
    )
    assert corn["first_snapshot"].iat[1] == first_page_with_second
    assert corn["last_snapshot"].iat[0] < first_page_with_second


def test_official_counts_by_inspection_start(i23):
    # Ofsted: inspections begun in 2023: 26 (7 / 11 / 8); in 2024: 28 (7 / 15 / 6)
    for year, want in ((2023, [7, 11, 8]), (2024, [7, 15, 6])):
        got = i23[i23["inspection_start"].dt.year == year]["outcome"].value_counts()
        assert [int(got[k]) for k in ("positive", "inconsistent", "systemic_failings")] == want
    s = outcomes.outcome_summary("2023", by="year", basis="inspected")
    assert s[s["year"] == 2023]["count"].tolist() == [7, 11, 8]
    assert s[s["year"] == 2024]["count"].tolist() == [7, 15, 6]
    # Ofsted: cumulative to 31 December 2024, 54 (14 / 26 / 14)
    c = outcomes.outcome_summary("2023", as_at="2024-12-31", basis="inspected")
    assert c["count"].tolist() == [14, 26, 14] and (c["n"] == 54).all()


def test_no_silent_drops(i23, raw_pages):
    starts = {}
    for _, rows in raw_pages:
        for r in rows:
            k = (r["La Code"], r["Publication Date"])
            starts.setdefault(k, set()).update({r["Inspection Start Date"]} - {"", "01/01/1900"})
    undated = {k for k, v in starts.items() if not v}
    # Derbyshire and North Yorkshire are never dated in the snapshots; their bundled reports date them
    assert len(undated) == 5
    derby = i23.set_index("area").loc["Derbyshire"]
    assert derby["inspection_start"] == pd.Timestamp("2024-09-23") and "report" in derby["source_note"]
    # Cambridgeshire's dates come from the curated corrections file (written question 92647)
    assert "written question 92647" in i23.set_index("area").at["Cambridgeshire", "source_note"]
    left = i23[i23["inspection_start"].isna()]
    assert sorted(left["area"]) == ["Buckinghamshire", "Thurrock"]
    assert (left["missing_reason"] == "dates not in source").all()
    s = outcomes.outcome_summary("2023", by="year", basis="inspected")
    unknown = s[s["year"].isna()]
    assert (unknown["n"] == 2).all() and (unknown["n_date_unknown"] == 2).all()
    assert (outcomes.outcome_summary("2023", as_at="2025-06-30", basis="inspected")["n_undated_left_out"] == 2).all()
    assert outcomes.year_labels(s)["year"].iloc[-1] == "date unknown"


def test_mi_wins_and_says_so(i23):
    g = i23.set_index("area").loc["Greenwich"]
    assert g["inspection_start"] == pd.Timestamp("2023-05-15")
    assert "2023-05-11 in Data to Insight's table; Ofsted MI used" in g["source_note"]


def test_reinspections_table():
    r = outcomes.reinspections()
    assert r["area"].tolist() == ["Cornwall"]
    assert r["days_between"].iat[0] == (pd.Timestamp("2026-03-23") - pd.Timestamp("2023-02-06")).days


def _page(rows_html: str, updated: str) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in [
            "URN",
            "La Code",
            "Region Code",
            "LTLA23CD",
            "Local Authority",
            "Previous Inspection Date",
            "Inspection Start Date",
            "Inspection End Date",
            "Outcome Grade",
            "Inspection Outcome Text",
            "Publication Date",
            "Next Inspection",
            "Next Inspection By Date",
            "Inspection Link",
        ]
    )
    return (
        f"<html><body><p><b>Summary data last updated: {updated}</b></p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows_html}</tbody></table></body></html>"
    )


def test_add_snapshot_then_build(data_copy, tmp_path):
    """A newer page written here (Barnsley re-inspected) is added with a manifest row and built into the table."""
    row = (
        "<tr><td>80426</td><td>370</td><td>YH</td><td>E08000016</td><td>barnsley</td><td>06/02/2026</td>"
        "<td>01/06/26</td><td>05/06/26</td><td>3.0</td><td>text</td><td>06/07/26</td><td>18 months</td>"
        "<td>01/12/27</td><td><a href='https://files.ofsted.gov.uk/v1/file/1'>ofsted.gov.uk/1</a></td></tr>"
    )
    page = tmp_path / "index.html"
    page.write_text(_page(row, "06 07 2026 09:00"))
    manifest = data_copy / "raw" / "MANIFEST.csv"
    before = manifest.read_bytes()
    r = run_cli("data", "add-snapshot", str(page))
    assert r.returncode == 0, r.stderr
    assert "2026-07-06" in r.stdout
    added = list((data_copy / "raw" / "ofsted" / "snapshots_2023_framework").glob("2026-07-06_*.html"))
    assert len(added) == 1 and added[0].name in manifest.read_text()
    after = manifest.read_bytes()  # the old manifest byte for byte, one line added in its own line ending
    assert after.startswith(before) and after[len(before) :].count(b"\n") == 1 and after.endswith(b"\n")
    again = run_cli("data", "add-snapshot", str(page))
    assert again.returncode == 2 and "already in the data" in again.stderr
    other = tmp_path / "other.html"  # another page of the same date: refused too
    other.write_text(_page(row.replace("3.0", "2.0"), "06 07 2026 18:00"))
    same_day = run_cli("data", "add-snapshot", str(other))
    assert same_day.returncode == 2 and "last updated 06 July 2026 is already in the data" in same_day.stderr
    bundled = tmp_path / "bundled.html"  # a date the bundled archive already has
    bundled.write_text(_page(row.replace("06/07/26", "20/06/26"), "29 06 2026 09:00"))
    old = run_cli("data", "add-snapshot", str(bundled))
    assert old.returncode == 2 and "29 June 2026 is already in the data" in old.stderr
    assert manifest.read_bytes() == after
    assert run_cli("data", "verify").returncode == 0
    i = sendstats.load_inspections("2023")
    assert len(i) == 98
    b = i[i["area"] == "Barnsley"].sort_values("published")
    assert b["outcome"].astype(str).tolist() == ["positive", "systemic_failings"]
    assert b["first_snapshot"].iat[1] == pd.Timestamp("2026-07-06")


@pytest.mark.parametrize(
    "content, why",
    [
        ("<html>no table here</html>", "Summary data last updated"),
        (_page("<tr><td>1</td></tr>", "06 07 2026 09:00").replace("<th>Outcome Grade</th>", ""), "Outcome Grade"),
        (_page("<tr><td>1</td></tr>", "06 07 2026 09:00"), "cells where the header has"),
        (
            _page("<tr>" + "<td>x</td>" * 8 + "<td>9.0</td>" + "<td>x</td>" * 5 + "</tr>", "06 07 2026 09:00"),
            "grade must be",
        ),
    ],
)
def test_add_snapshot_refuses_an_unknown_format(data_copy, tmp_path, content, why):
    manifest = (data_copy / "raw" / "MANIFEST.csv").read_bytes()
    files = sorted((data_copy / "raw").rglob("*"))
    page = tmp_path / "saved.html"
    page.write_text(content)
    r = run_cli("data", "add-snapshot", str(page))
    assert r.returncode == 2
    assert why in r.stderr and "saved.html" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (data_copy / "raw" / "MANIFEST.csv").read_bytes() == manifest
    assert sorted((data_copy / "raw").rglob("*")) == files


def _row(code="370", name="barnsley", grade="3.0", published="06/07/26", urn="80426"):
    return (
        f"<tr><td>{urn}</td><td>{code}</td><td>YH</td><td>E08000016</td><td>{name}</td><td>06/02/2026</td>"
        f"<td>01/06/26</td><td>05/06/26</td><td>{grade}</td><td>text</td><td>{published}</td><td>18 months</td>"
        "<td>01/12/27</td><td><a href='https://files.ofsted.gov.uk/v1/file/1'>ofsted.gov.uk/1</a></td></tr>"
    )


@pytest.mark.parametrize(
    "rows, updated, why",
    [
        # Bury listed twice with two grades: the second row would silently replace its outcome
        (
            _row("351", "bury", "1.0") + _row() + _row("351", "bury", "3.0"),
            "06 07 2026 09:00",
            "bury (La Code 351) is listed twice, in table rows 1 and 3",
        ),
        (_row() * 61, "06 07 2026 09:00", "listed twice"),
        (
            "".join(_row(str(100 + i), f"area {i}") for i in range(154)),
            "06 07 2026 09:00",
            "154 rows: more than the 153",
        ),
        (_row(), "06 07 2099 09:00", "06 July 2099 is later than today"),
        (
            _row(published="06/07/26"),
            "06 07 2021 09:00",
            "06 July 2021 is earlier than the publication date 06 July 2026",
        ),
    ],
)
def test_add_snapshot_refuses_a_page_that_is_not_one_consistent_table(data_copy, tmp_path, rows, updated, why):
    manifest = (data_copy / "raw" / "MANIFEST.csv").read_bytes()
    page = tmp_path / "saved.html"
    page.write_text(_page(rows, updated))
    r = run_cli("data", "add-snapshot", str(page))
    assert r.returncode == 2 and why in r.stderr and "saved.html" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert (data_copy / "raw" / "MANIFEST.csv").read_bytes() == manifest


@pytest.mark.parametrize("hide", ["<!-- </table> -->", "<script>document.write('</table>')</script>"])
def test_a_saved_page_is_read_as_a_browser_reads_it(hide):
    """A `</table>` inside a comment or a script does not end the table (the old regex reader kept 1 row)."""
    from sendstats.data.ingest import snapshots

    page = _page(_row("351", "bury", "1.0") + hide + _row(), "06 07 2026 09:00")
    when, df = snapshots.parse_page(page.encode(), "saved.html")
    assert when == pd.Timestamp("2026-07-06") and df["local_authority"].tolist() == ["bury", "barnsley"]
    hidden_stamp = _page(_row(), "06 07 2026 09:00").replace(
        "Summary data", "<!-- Summary data last updated: 01 01 2099 -->Summary data"
    )
    assert snapshots.parse_page(hidden_stamp.encode(), "x")[0] == pd.Timestamp("2026-07-06")


def test_add_snapshot_checks_the_file_before_reading_it(data_copy, tmp_path):
    import os

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    big = tmp_path / "big.html"
    with open(big, "wb") as fh:
        fh.truncate(6 * 1024 * 1024)  # sparse: larger than any saved page, nothing to read
    for path, why in [(fifo, "a pipe"), ("/dev/zero", "not a file"), (tmp_path, "a folder"), (big, "6,291,456 bytes")]:
        r = run_cli("data", "add-snapshot", str(path))  # a FIFO read would hang: run_cli's timeout would fail it
        assert r.returncode == 2 and why in r.stderr and str(path) in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_two_adds_at_once_both_land(data_copy, tmp_path):
    """The manifest is written under a lock: an add that starts while another holds it waits, then lands."""
    import subprocess
    import sys
    import time

    from sendstats.data import sources

    first, second = tmp_path / "first.html", tmp_path / "second.html"
    first.write_text(_page(_row(), "06 07 2026 09:00"))
    second.write_text(_page(_row(), "13 07 2026 09:00"))
    with sources.manifest_lock():
        waiting = subprocess.Popen(
            [sys.executable, "-m", "sendstats.cli", "data", "add-snapshot", str(second)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(3)
        assert waiting.poll() is None  # blocked on the lock
        assert "2026-07-13" not in (data_copy / "raw" / "MANIFEST.csv").read_text()
    assert waiting.wait(timeout=120) == 0, waiting.stderr.read()
    assert run_cli("data", "add-snapshot", str(first)).returncode == 0
    text = (data_copy / "raw" / "MANIFEST.csv").read_text()
    assert "2026-07-06_" in text and "2026-07-13_" in text
    assert run_cli("data", "verify").returncode == 0


def test_the_build_applies_the_same_rules_to_every_stored_snapshot(data_copy):
    """A page that reached data/raw some other way (listed in the manifest, not through add-snapshot) with an
    area listed twice stops the build with one message naming it; the previous tables stay."""
    from sendstats.data import sources
    from sendstats.data.ingest.snapshots import SNAPSHOT_ROW

    page = _page(_row("351", "bury", "1.0") + _row("351", "bury", "3.0"), "06 07 2026 09:00").encode()
    sources.add("ofsted/snapshots_2023_framework/2026-07-06_manual.html", page, {**SNAPSHOT_ROW, "title": "t"})
    before = (data_copy / "processed" / "inspections_2023.parquet").read_bytes()
    r = run_cli("data", "build")
    assert r.returncode == 2 and "2026-07-06_manual.html" in r.stderr and "listed twice" in r.stderr, r.stderr
    assert (data_copy / "processed" / "inspections_2023.parquet").read_bytes() == before
