"""Letters and reports: extraction checked against the documents' own text and the published outcome data;
the hand-coded dataset against Ofsted's official counts; error paths; fetching against a local HTTP server."""

import datetime as dt
import http.server
import re
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, run_cli

from sendstats import letters, load_inspections
from sendstats.errors import DataError

KINGSTON = RAW / "letters" / "kingston-upon-thames_2018-10-23.txt"
PDFS = sorted((RAW / "ofsted" / "reports_2023_framework").glob("*.pdf"))


def test_kingston_letter():
    rec = letters.extract(letters.read(KINGSTON))
    assert rec.framework == "2016" and rec.area == "Kingston upon Thames" and rec.wsoa_required is True
    assert (rec.inspection_start, rec.inspection_end) == (dt.date(2018, 9, 17), dt.date(2018, 9, 21))
    assert rec.letter_date == dt.date(2018, 10, 23)
    # the four bullets after "areas of significant weakness:" in the letter, cleaned
    assert rec.weaknesses == [
        "the overall poor quality and monitoring of EHC plans, including contributions from health professionals",
        "the timeliness of leaders ensuring that the annual review process and any subsequent amendments to EHC plans "
        "are consistently made in line with the SEN code of practice",
        "the strategic leadership and monitoring of the CCG's work in implementing the 2014 reforms",
        "to ensure that there is a productive and positive relationship between parents and parent representatives, "
        "including a parent carer forum.",
    ]
    coded = letters.code(rec.weaknesses)
    health = coded[coded["theme"] == "health_ccg_leadership"]
    assert health["item_no"].tolist() == [2] and "CCG" in health["matched"].iat[0]
    # the "■" bullet and the bullet split by a page break ("- 2018. Overall ...") are handled
    dev = rec.areas_for_development[letters.HEADINGS_2016[1]]
    assert dev[-1].startswith("Leaders are not effectively identifying and tracking")
    main = letters.bullets(letters.read(KINGSTON).sections["Main findings"])
    assert any("beginning of October 2018. Overall, leaders" in b for b in main)


@pytest.fixture(scope="module")
def reports():
    return letters.reports_2023()


def test_all_55_reports_match_the_published_outcome(reports):
    reps, items = reports
    assert len(PDFS) == 55 and len(reps) == 55
    official = load_inspections("2023")[["ofsted_urn", "published", "outcome", "inspection_start"]]
    m = reps.merge(
        official, on=["ofsted_urn", "published"], how="left", suffixes=("", "_official"), validate="one_to_one"
    )
    assert m["outcome_official"].notna().all()
    assert (m["outcome"] == m["outcome_official"].astype(str)).all()
    assert m["inspection_start"].notna().all() and (m["inspection_end"] >= m["inspection_start"]).all()
    differ = m[pd.to_datetime(m["inspection_start"]) != m["inspection_start_official"]]
    print(
        "\nstart dates differing from the outcome data:",
        differ[["area", "inspection_start", "inspection_start_official"]].values.tolist(),
    )
    # Derbyshire and North Yorkshire take their dates from these reports; Ofsted's MI gives a later day than the
    # report for Greenwich and Oxfordshire (documented in README)
    assert sorted(differ["area"]) == ["Greenwich", "Oxfordshire"]
    # framework rule: systemic failings <=> areas for priority action
    assert ((reps["n_priority_actions"] > 0) == (reps["outcome"] == "systemic_failings")).all()
    assert (reps["n_improvements"] > 0).all()


def test_priority_actions_match_ofsted_mi_counts(reports):
    reps, _ = reports
    mi = load_inspections("2023").dropna(subset=["n_priority_actions"])
    m = reps.merge(mi[["ofsted_urn", "n_priority_actions"]], on="ofsted_urn", suffixes=("", "_mi"))
    print("\n", m[["area", "n_priority_actions", "n_priority_actions_mi"]].to_string())
    assert len(m) >= 5 and (m["n_priority_actions"] == m["n_priority_actions_mi"]).all()


@pytest.mark.parametrize(
    "content, expect",
    [
        (b"hello, not a pdf", "not a PDF"),
        (b"", "not a PDF"),
        (b"%PDF-1.4\n%%EOF\n", "PDF"),
    ],
)
def test_bad_documents_name_the_file(tmp_path, content, expect):
    p = tmp_path / "bad.pdf"
    p.write_bytes(content)
    with pytest.raises(letters.LetterError, match=expect) as e:
        letters.read(p)
    assert str(p) in str(e.value)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(PDFS[0]).pages[:1]:
        w.add_page(page)
    w.encrypt("secret")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    with pytest.raises(letters.LetterError, match="encrypted PDF"):
        letters.read(p)


def test_text_without_sections_and_batch_goes_on(tmp_path):
    p = tmp_path / "note.txt"
    p.write_text("Minutes of a meeting about something else.\n")
    with pytest.raises(letters.LetterError, match="no recognisable sections"):
        letters.read(p)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"nope")
    r = run_cli("letters", "parse", str(bad), str(KINGSTON), str(p))
    assert r.returncode == 1 and "1 parsed, 2 failed" in r.stdout
    assert r.stderr.count("sendstats: failed:") == 2 and "bad.pdf" in r.stderr and "note.txt" in r.stderr


def test_hand_coded_dataset_counts():
    w = letters.load_weaknesses()
    areas = letters.weakness_areas()
    assert len(w) == 297 and len(areas) == 82
    assert areas["status"].value_counts().to_dict() == {"complete": 51, "not_found": 17, "partial": 14}
    # official n_weaknesses from the ODS: every complete list has exactly that many
    assert areas.loc[areas["status"] == "complete", "count_matches_official"].all()
    assert (
        areas.loc[areas["status"] != "complete", "n_found"]
        < areas.loc[areas["status"] != "complete", "n_weaknesses_official"]
    ).all()


def test_agreement_and_kappa_by_hand():
    w = letters.load_weaknesses()
    ag = letters.agreement(w).set_index("theme")
    auto = letters.code(w["summary"].tolist())
    hand = w["themes"].map(lambda ts: "local_offer" in ts)
    mine = pd.Series(range(len(w))).isin(auto.loc[auto["theme"] == "local_offer", "item_no"])
    po = (hand.to_numpy() == mine.to_numpy()).mean()
    pe = hand.mean() * mine.mean() + (1 - hand.mean()) * (1 - mine.mean())
    assert ag.loc["local_offer", "agreement"] == pytest.approx(po)
    assert ag.loc["local_offer", "kappa"] == pytest.approx((po - pe) / (1 - pe))
    # the built weakness_coding table is the same coding
    pd.testing.assert_frame_equal(letters.agreement(), letters.agreement(w))
    print("\n" + ag.to_string())


def test_own_codebook_and_bad_codebook(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text("- theme: ccg\n  patterns: ['\\bCCG']\n")
    out = letters.code(["the CCG's work", "parents"], book)
    assert out[["item_no", "theme", "matched"]].values.tolist() == [[0, "ccg", "CCG"], [1, "other", ""]]
    book.write_text("- theme: x\n  patterns: ['(unclosed']\n")
    with pytest.raises(DataError, match="bad pattern"):
        letters.code(["a"], book)


class _Handler(http.server.SimpleHTTPRequestHandler):
    hits = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Handler.hits.append(self.path)
        super().do_GET()


@pytest.fixture
def server(tmp_path):
    site = tmp_path / "site"
    (site / "provider" / "44").mkdir(parents=True)
    (site / "files").mkdir()
    (site / "files" / "report.pdf").write_bytes(PDFS[0].read_bytes())
    (site / "files" / "fake.pdf").write_bytes(b"<html>not a pdf</html>")
    (site / "provider" / "44" / "80545").write_text(
        '<html><a href="/files/report.pdf">Area SEND report</a> <a href="/files/fake.pdf">x</a>'
        ' <a href="https://example.org/evil.pdf">elsewhere</a></html>'
    )
    handler = lambda *a, **k: _Handler(*a, directory=str(site), **k)
    srv = _QuietServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    _Handler.hits = []
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_fetch_against_local_server(server, tmp_path):
    cache = tmp_path / "cache"
    page = f"{server}/provider/44/80545"
    allowed = {server.split("//")[1]}  # 127.0.0.1:<port>
    res = letters.fetch([page, "https://example.org/x"], cache, allowed_hosts=allowed, delay=0)
    by_url = res.set_index("url")
    assert by_url.loc[f"{server}/files/report.pdf", "status"] == "downloaded"
    assert by_url.loc[f"{server}/files/fake.pdf", "status"] == "failed"
    assert "not a PDF" in by_url.loc[f"{server}/files/fake.pdf", "error"]
    assert "host not allowed" in by_url.loc["https://example.org/evil.pdf", "error"]
    assert "host not allowed" in by_url.loc["https://example.org/x", "error"]
    pdf = Path(by_url.loc[f"{server}/files/report.pdf", "path"])
    assert pdf.read_bytes() == PDFS[0].read_bytes() and pdf.parent == cache / "pdf"
    assert all(c.isalnum() or c in "._-" for c in pdf.name)
    n = len(_Handler.hits)
    again = letters.fetch([page], cache, allowed_hosts=allowed, delay=0)
    assert (again.set_index("url").loc[f"{server}/files/report.pdf", "status"]) == "cached"
    assert len(_Handler.hits) == n + 1  # only fake.pdf (never cached) was requested again
    small = letters.fetch(
        [f"{server}/files/report.pdf"], tmp_path / "c2", allowed_hosts=allowed, delay=0, max_bytes=1000
    )
    assert "limit" in small["error"].iat[0]


# --- a fetcher that cannot be misled: servers on 127.0.0.1 only -------------------------------------------
class _Tricky(http.server.BaseHTTPRequestHandler):
    """/redirect-port -> another port; /redirect-localhost -> localhost; /loop -> itself; /trickle sends a
    byte every 0.2 s; /big sends 3,000 bytes without a Content-Length."""

    hits = []
    other = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Tricky.hits.append((self.server.server_address[1], self.path))
        port = self.server.server_address[1]
        if self.path.startswith("/redirect-"):
            target = {
                "/redirect-port": f"http://127.0.0.1:{_Tricky.other}/pdf",
                "/redirect-localhost": f"http://localhost:{port}/pdf",
                "/redirect-ok": "/pdf",
            }[self.path]
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        self.send_response(200)
        self.end_headers()
        if self.path == "/trickle":
            for _ in range(60):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
        elif self.path == "/big":
            self.wfile.write(b"%PDF" + b"x" * 2996)
        else:
            self.wfile.write(b"%PDF-1.4 tiny")


class _QuietServer(http.server.ThreadingHTTPServer):
    """A test server whose clients hang up on purpose (the fetcher's timeouts and size limits): a reset
    connection is expected, not a traceback in the test output."""

    def handle_error(self, request, client_address):
        pass


@pytest.fixture
def tricky():
    servers = []
    for _ in range(2):
        srv = _QuietServer(("127.0.0.1", 0), _Tricky)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(srv)
    _Tricky.other = str(servers[1].server_address[1])
    _Tricky.hits = []
    yield servers[0].server_address[1], servers[1].server_address[1]
    for srv in servers:
        srv.shutdown()


def test_redirects_are_checked_before_any_request(tricky):
    port, other = tricky
    allowed = {f"127.0.0.1:{port}"}
    assert (
        letters.download._get(f"http://127.0.0.1:{port}/redirect-ok", allowed_hosts=allowed, timeout=5, max_bytes=100)
        == b"%PDF-1.4 tiny"
    )
    with pytest.raises(letters.LetterError, match=f"host not allowed: 127.0.0.1:{other}"):
        letters.download._get(f"http://127.0.0.1:{port}/redirect-port", allowed_hosts=allowed, timeout=5, max_bytes=100)
    with pytest.raises(letters.LetterError, match=f"host not allowed: localhost:{port}"):
        letters.download._get(
            f"http://127.0.0.1:{port}/redirect-localhost", allowed_hosts=allowed, timeout=5, max_bytes=100
        )
    assert all(p == port for p, _ in _Tricky.hits), "a request reached a port outside the allow-list"
    assert [path for _, path in _Tricky.hits].count("/pdf") == 1  # only the allowed redirect was followed
    with pytest.raises(letters.LetterError, match="more than 5 redirects"):
        letters.download._get(f"http://127.0.0.1:{port}/loop", allowed_hosts=allowed, timeout=5, max_bytes=100)
    with pytest.raises(letters.LetterError, match="host not allowed"):
        letters.download._get(f"http://127.0.0.1:{other}/pdf", allowed_hosts={"127.0.0.1"}, timeout=5, max_bytes=100)


def test_a_trickling_server_meets_the_whole_download_deadline(tricky):
    port, _ = tricky
    t = time.monotonic()
    with pytest.raises(letters.LetterError, match="longer than the 1-second limit"):
        letters.download._get(
            f"http://127.0.0.1:{port}/trickle", allowed_hosts={f"127.0.0.1:{port}"}, timeout=1, max_bytes=10_000
        )
    assert time.monotonic() - t < 2.5  # a per-read timeout would wait for all 60 bytes (12 s)


def test_a_server_sending_too_much_is_cut_off(tricky):
    port, _ = tricky
    with pytest.raises(letters.LetterError, match="larger than the 1,000-byte limit"):
        letters.download._get(
            f"http://127.0.0.1:{port}/big", allowed_hosts={f"127.0.0.1:{port}"}, timeout=5, max_bytes=1000
        )


def test_parse_refuses_a_huge_file_and_takes_a_folder(tmp_path):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as fh:
        fh.truncate(letters.MAX_DOCUMENT_BYTES + 1)
    t = time.monotonic()
    r = run_cli("letters", "parse", str(big))
    assert r.returncode == 1 and "over the" in r.stderr and "huge.pdf" in r.stderr and time.monotonic() - t < 20
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "k.txt").write_bytes(KINGSTON.read_bytes())
    (folder / "ignored.csv").write_text("a,b\n")
    r = run_cli("letters", "parse", str(folder))
    assert r.returncode == 0 and "1 parsed, 0 failed" in r.stdout, r.stdout + r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("letters", "parse", str(empty))
    assert r.returncode == 2 and "no .pdf or .txt files" in r.stderr


def _norm(name):
    name = re.sub(r"\b(NHS|the|Integrated Care Board|ICB)\b", " ", name)
    return re.sub(r"[^a-z]+", " ", name.lower()).strip()


def test_icb_named_in_every_report():
    sub = pd.read_csv(RAW / "lookups" / "sub_icb_to_icb_july_2022.csv", encoding="utf-8-sig")
    known = {_norm(n) for n in sub["ICB22NM"]}
    docs = letters.documents()
    reps = docs[docs["framework"] == "2023"]
    assert len(reps) == 55 and reps["icb"].notna().all()
    for names in reps["icb"]:
        for name in names.split("; "):
            assert _norm(name) in known, name


def test_responsible_bodies():
    assert letters.classify_body("Health leaders must address the waiting times") == "icb"
    assert letters.classify_body("Leaders from the local authority need to strengthen") == "local_authority"
    assert letters.classify_body("Leaders across the partnership should improve") == "both"
    assert letters.classify_body("Leaders should improve") == "other"
    from sendstats.data.store import load_table

    rec = load_table("recommendations")
    items = letters.document_items()
    assert len(rec) == len(items[items["kind"] != "weakness"].drop_duplicates(["source", "kind", "item_no"]))
    assert rec["responsible_body"].isin(letters.BODY_LEVELS).all() and rec["body_from"].notna().all()
    # Plymouth's table, read by eye: council + ICB + schools (twice), council + school leaders, ICB, council
    ply = rec[rec["source"].str.startswith("80538_") & (rec["kind"] == "priority action")]
    assert ply["responsible_body"].tolist() == ["both", "both", "local_authority", "icb", "local_authority"]
    assert (ply["body_from"] == letters.COLUMN).all()
    nn = rec[rec["source"].str.startswith("2637539_") & (rec["kind"] == "priority action")]
    assert nn["responsible_body"].tolist() == ["both"] * 4


def test_health_theme_covers_icb_wording():
    coded = letters.code(["ICB leaders should ensure that oversight of health provision is strengthened"])
    assert "health_ccg_leadership" in set(coded["theme"])


def test_parse_prints_no_terminal_escape_sequences_from_documents_or_names(tmp_path):
    """A file name and document text carrying ESC sequences (ANSI colour, cursor moves) reach the terminal as
    plain text only."""
    text = KINGSTON.read_text().replace("Kingston", "King\x1b[31mston\x1b]0;owned\x07", 1)
    evil = tmp_path / "k\x1b[2Jx.txt"
    evil.write_text(text)
    bad = tmp_path / "bad\x1b[31m.txt"
    bad.write_text("not a letter \x1b[31m")
    r = run_cli("letters", "parse", str(evil), str(bad))
    out = r.stdout + r.stderr
    assert "k[2Jx.txt" in out and not any(c in out for c in ("\x1b", "\x07", "\x9b")), repr(out)
