"""Provenance that cannot be fooled, a fetcher that cannot hang, text that stays text (one test per defect of
the reliability pass; servers on 127.0.0.1 only)."""

import base64
import csv
import errno
import gzip
import html
import json
import os
import re
import socket
import threading
import time

import pandas as pd
import pytest
from conftest import run_cli

from sendstats import letters, plots
from sendstats.data import datapackage, sources, store
from sendstats.data.ingest._common import read_csv
from sendstats.errors import DataError, ParameterError
from sendstats.fileio import spreadsheet_safe
from sendstats.render import export, provenance
from sendstats.wording import md

LOOKUP = "lookups/la_lookup_d2i.csv"
HOSTILE = 'O\'Brien & <Sons> $\\href{x}$ https://evil.example/x [x](javascript:alert(1)) =HYPERLINK("http://e")'


def _manifest(tmp_path, monkeypatch, rows):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    with (raw / "MANIFEST.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, sources.MANIFEST_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "x") for c in sources.MANIFEST_COLUMNS})
    monkeypatch.setenv("SENDSTATS_DATA", str(tmp_path / "data"))
    return raw


# --- 1. hashes that mean what the footer says
def test_a_same_size_edit_with_its_mtime_restored_is_caught(data_copy):
    p = data_copy / "raw" / LOOKUP
    assert store.stale(["la_lookup"]) == []
    st = p.stat()
    data = p.read_bytes()
    i = data.index(b"Hartlepool")
    p.write_bytes(data[:i] + b"Hartlepoox" + data[i + 10 :])
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size and p.stat().st_mtime_ns == st.st_mtime_ns
    assert store.stale(["la_lookup"]) == ["la_lookup"]  # the key sees the new bytes
    with pytest.raises(DataError, match="la_lookup_d2i.csv: sha256 .* differs from the manifest"):
        store.build(["la_lookup"])


def test_a_manifest_path_cannot_leave_data_raw(tmp_path, monkeypatch):
    _manifest(tmp_path, monkeypatch, [{"path": "ofsted/../../../tmp/x.html", "sha256": "a" * 64}])
    with pytest.raises(DataError, match=r"line 2\]: path 'ofsted/../../../tmp/x.html' must stay inside data/raw"):
        sources.manifest()


def test_a_symlink_out_of_data_raw_is_refused(tmp_path, monkeypatch):
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    raw = _manifest(tmp_path, monkeypatch, [{"path": "x.csv", "sha256": sources.sha256(outside)}])
    (raw / "x.csv").symlink_to(outside)
    with pytest.raises(DataError, match="resolves outside data/raw"):
        sources.check("x.csv")
    assert sources.verify() == [("x.csv", "resolves outside data/raw (a symbolic link?): refused")]


# --- 4. URLs with a scheme check
def test_only_http_source_urls_and_base_urls(tmp_path, monkeypatch):
    _manifest(tmp_path, monkeypatch, [{"path": "x.csv", "sha256": "a" * 64, "url": "javascript:alert(1)"}])
    with pytest.raises(DataError, match="source URL 'javascript:alert\\(1\\)' must start with http"):
        sources.manifest()
    monkeypatch.setenv("SENDSTATS_BASE_URL", "javascript:alert(1)")
    r = run_cli("report", "01_inspection_outcomes", "--output-dir", str(tmp_path / "out"))
    assert r.returncode == 2 and "SENDSTATS_BASE_URL must start with http:// or https://" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


# --- 5. a fetcher that cannot hang or lie
def _serve(reply):
    """A one-connection-at-a-time server on 127.0.0.1 running ``reply(conn)``; returns its port."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    srv.settimeout(30)

    def loop():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.recv(65536)
            try:
                reply(conn)
            except OSError:
                pass
            conn.close()

    threading.Thread(target=loop, daemon=True).start()
    return srv, srv.getsockname()[1]


def _trickle(conn):
    for b in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
        conn.sendall(bytes([b]))
        time.sleep(0.2)


def test_headers_sent_a_byte_at_a_time_meet_the_deadline():
    srv, port = _serve(_trickle)
    try:
        t = time.monotonic()
        with pytest.raises(letters.LetterError, match="took longer than the 1-second limit"):
            letters.download._get(
                f"http://127.0.0.1:{port}/", allowed_hosts={f"127.0.0.1:{port}"}, timeout=1, max_bytes=10
            )
        assert time.monotonic() - t < 10  # not the server's 20 s: the deadline ended it
    finally:
        srv.close()


@pytest.mark.parametrize(
    "head, body, expect",
    [
        (b"Content-Length: 1000", b"%PDF-1.4", "ended after 8 of its 1,000 bytes|IncompleteRead"),
        (b"Content-Length: abc", b"%PDF-1.4", "malformed Content-Length header 'abc'"),
    ],
)
def test_a_short_or_malformed_body_is_an_error_and_nothing_is_cached(tmp_path, head, body, expect):
    srv, port = _serve(lambda c: c.sendall(b"HTTP/1.1 200 OK\r\n" + head + b"\r\n\r\n" + body))
    try:
        url = f"http://127.0.0.1:{port}/x.pdf"
        with pytest.raises(letters.LetterError, match=expect):
            letters.download._get(url, allowed_hosts={f"127.0.0.1:{port}"}, timeout=5, max_bytes=10_000)
    finally:
        srv.close()


# --- 6. one line naming the file
def test_a_corrupt_or_truncated_gzip_names_the_file(tmp_path):
    good = gzip.compress(b"a,b\n" + b"1,2\n" * 10000)
    for name, payload in (("garbage.csv.gz", b"not gzip at all" * 10), ("cut.csv.gz", good[: len(good) // 2])):
        p = tmp_path / name
        p.write_bytes(payload)
        with pytest.raises(DataError, match=rf"{name}: corrupt or truncated compressed file") as e:
            read_csv(p)
        assert "\n" not in str(e.value) and "write" not in str(e.value)


def test_a_bad_source_date_epoch_is_one_message(tmp_path, monkeypatch):
    for bad in ("abc", "1e9", "99999999999999999999", "\u00b2", "\u0663", "7" * 5000):  # superscript 2, Arabic 3
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        with pytest.raises(ParameterError, match="SOURCE_DATE_EPOCH must be whole seconds since 1970"):
            provenance.render_time()
    r = run_cli(
        "report", "01_inspection_outcomes", "--output-dir", str(tmp_path / "o"), env={"SOURCE_DATE_EPOCH": "abc"}
    )
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "SOURCE_DATE_EPOCH" in r.stderr, r.stderr


def test_long_values_are_cut_in_messages():
    e = DataError("x" * 100_000, "bad " + "y" * 100_000)
    assert len(str(e)) < 1000 and "(100,000 characters)" in str(e)


def test_a_full_disk_during_export_names_the_folder(tmp_path, monkeypatch):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    with pytest.raises(DataError, match=r"export: cannot write the export: No space left on device"):
        datapackage.export(tmp_path / "export")
    assert not (tmp_path / "export").exists() and list(tmp_path.iterdir()) == []


def test_a_header_only_curated_file_is_an_error(data_copy):
    from test_build import _replace

    rel = "curated/wsoa_areas.csv"
    header = (data_copy / "raw" / rel).read_text(encoding="utf-8").splitlines()[0]
    _replace(data_copy, rel, (header + "\n").encode())
    with pytest.raises(DataError, match="wsoa_areas.csv: has a header but no rows"):
        store.build(["wsoa_areas"])


# --- 2. text stays text, once; 3. spreadsheet-safe CSVs
def test_a_hostile_name_is_text_in_markdown_and_in_a_figure():
    from nbconvert.filters.markdown import markdown2html

    page = markdown2html(f"# {md(HOSTILE)}\n\n{md(HOSTILE)}")
    assert not re.findall(r'<a [^>]*href="(?!#)', page), page  # no link but the heading's own anchor
    assert "<b" not in page and "&amp;#" not in page and '<span class="math' not in page
    heading = re.search(r"<h1[^>]*>(.*?)<a class=\"anchor-link\"", page).group(1)
    para = re.search(r"<p>(.*?)</p>", page).group(1)
    for shown in (heading, para):
        assert html.unescape(re.sub(r"<[^>]+>", "", shown)) == HOSTILE
    plots.setup()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title(HOSTILE)
    fig.canvas.draw()  # mathtext would fail on \href
    assert ax.get_title() == HOSTILE
    plt.close(fig)


def test_the_page_title_is_escaped_once():
    import nbformat

    name = "A < B & O'Brien"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# " + md(name))])
    page = export.to_html(nb, export.page_title(nb, "x"))
    assert "<title>A &lt; B &amp; O'Brien</title>" in page


def test_csv_cells_that_would_be_formulas_are_neutralised():
    df = pd.DataFrame({"t": ['=HYPERLINK("http://e")', "+44 1", "-1.5", "@x", "\tx", "plain", None], "n": range(7)})
    out = spreadsheet_safe(df)
    assert out["t"].tolist()[:6] == ['\'=HYPERLINK("http://e")', "'+44 1", "-1.5", "'@x", "'\tx", "plain"]
    assert pd.isna(out["t"].iloc[6])
    assert out["n"].tolist() == list(range(7))
    assert "CSV-injection" in json.dumps(datapackage.descriptor())


def _rename(data_copy, old: str, new: str) -> None:
    """Rename an area in every built table (as if its source files had held that name): the build record is
    given the new files' sizes and hashes, as a build that wrote them would (else they are rebuilt as corrupt)."""
    import hashlib
    import json

    record_path = data_copy / "processed" / "BUILD.json"
    record = json.loads(record_path.read_text())
    for p in sorted((data_copy / "processed").glob("*.parquet")):
        df = pd.read_parquet(p)
        same = {c: df[c].map(lambda v: isinstance(v, str) and v == old).astype(bool) for c in df.columns}
        hit = [c for c, m in same.items() if m.any()]
        for c in hit:
            df[c] = df[c].mask(same[c], new)
        if hit:
            df.to_parquet(p)
            data = p.read_bytes()
            record[p.stem].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    record_path.write_text(json.dumps(record))


def test_a_profile_of_a_hostile_name_shows_it_as_text_everywhere(data_copy, tmp_path):
    """Kingston upon Thames and its closest statistical neighbour renamed to hostile strings (Markdown, maths,
    a bare URL, a formula; an image with onerror and a script for the neighbour): the rendered
    profile has no element, attribute or link from them, and shows each exactly as written in the heading,
    the page title, a table cell and a figure's text."""
    from bs4 import BeautifulSoup

    from sendstats.questions import profiles

    neighbour = profiles.statistical_neighbours("E09000021").iloc[0]
    other = '<img src=x onerror="alert(1)"><script>alert(2)</script> ' + HOSTILE.replace("O'Brien", "McBride")
    _rename(data_copy, "Kingston upon Thames", HOSTILE)
    _rename(data_copy, neighbour["area"], other)
    out = tmp_path / "site"
    r = run_cli("report", "area_profile", "-p", "area=E09000021", "--output-dir", str(out))
    assert r.returncode == 0, r.stderr
    (page,) = out.glob("areas/*.html")
    text = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.title.get_text() == f"{HOSTILE} (E09000021)"
    assert soup.h1.get_text(" ", strip=True).startswith(f"{HOSTILE} (E09000021)")
    for el in soup.find_all(True):
        assert el.name not in ("b", "sons", "script"), el
        for k, v in el.attrs.items():
            v = " ".join(v) if isinstance(v, list) else v
            assert not k.startswith("on"), (el.name, k)
            if "evil.example" in v or "javascript" in v:  # only as the whole name, in a text-valued attribute
                assert k in ("content", "alt", "aria-label", "title") and (HOSTILE in v or other in v), (k, v)
    hrefs = [a["href"] for a in soup.select("a[href]")]
    assert not [h for h in hrefs if "evil.example" in h or "javascript" in h or h == "http://e"], hrefs
    assert not soup.select(".math, .MathJax, mjx-container"), "maths"
    cells = [td.get_text() for td in soup.select("td, th")]
    assert other in cells
    from xml.etree import ElementTree

    figures = [
        ElementTree.fromstring(base64.b64decode(img["src"].split(",", 1)[1]))
        for img in soup.select('img[src^="data:image/svg+xml;base64,"]')
    ]
    tags = {el.tag.rsplit("}", 1)[-1] for f in figures for el in f.iter()}
    assert figures and not tags & {"a", "script", "foreignObject"}, tags
    figure_text = ["".join(el.itertext()) for f in figures for el in f.iter() if el.tag.endswith("}text")]
    assert any(HOSTILE in t for t in figure_text), figure_text
    assert HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in text
    assert not re.findall(r"&amp;(?:amp|lt|gt|quot|#x?[0-9a-f]+);", text)  # nothing escaped twice


def test_a_zip_member_over_the_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import zipfile

    from sendstats.data.ingest import dfe

    z = tmp_path / "big.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as fh:
        fh.writestr("data/x.csv", "a,b\n" + "1,2\n" * 5000)  # 20,004 bytes inflated
    monkeypatch.setattr(dfe, "MAX_MEMBER_BYTES", 20_000)
    with pytest.raises(DataError, match=r"big\.zip: member inflates to 20,004 bytes, over the 20,000-byte limit"):
        dfe.read_zip_csv(z, "data/x.csv")
    monkeypatch.setattr(dfe, "MAX_MEMBER_BYTES", 20_004)
    assert len(dfe.read_zip_csv(z, "data/x.csv")) == 5000


@pytest.mark.parametrize("err", [errno.EXDEV, errno.EROFS])
def test_a_read_only_processed_folder_says_read_only(data_copy, monkeypatch, err):
    """A processed folder that is read-only (or a mount point, where the swap fails with EXDEV): one message
    that says so, and the tables are untouched."""

    def refuse(new, old):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(store, "replace_folder", refuse)
    before = {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()}
    with pytest.raises(DataError, match="processed: cannot replace the processed tables \\(the folder is read-only"):
        store.build(["la_lookup"])
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before
    assert not list(data_copy.glob(".processed-staging-*"))
