"""Pages a reader can cite, reuse, navigate and trust: citation tags, How to cite, contents, downloads,
human labels, alt text from data, maps, and nothing from data ever becoming markup."""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from conftest import CORE, EPOCH, run_cli, table_csv

PAGES = [f"{n}.html" for n in CORE] + ["areas/E09000021.html"]


def _soup(path):
    return BeautifulSoup(path.read_text(), "html.parser")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_citable_navigable_and_labelled(rendered, page):
    soup = _soup(rendered / page)
    meta = {m.get("name"): m.get("content") for m in soup.find_all("meta")}
    for name in ("citation_title", "citation_author", "citation_publication_date", "citation_version"):
        assert meta.get(name), name
    assert meta["citation_publication_date"] == "2023/11/14"  # SOURCE_DATE_EPOCH 1700000000
    assert soup.title.string == meta["citation_title"] and not re.match(r"^(areas/)?[A-Z0-9_]+$", soup.title.string)
    cite = soup.find(id="how-to-cite").find_parent("section")
    assert "@misc{sendstats_" in cite.pre.get_text() and "commit" in cite.p.get_text()
    # a corporate author in double braces: BibTeX would otherwise read "contributors, The sendstats"
    assert "  author = {{The sendstats contributors}},\n" in cite.pre.get_text()
    nav = soup.find("nav", class_="sendstats-nav")
    assert nav.a["href"] == ("../index.html" if page.startswith("areas/") else "index.html")
    assert len(nav.find_all("li")) >= 3 and all(soup.find(id=a["href"][1:]) for a in nav.find_all("a")[1:])
    headers = [th.get_text(strip=True) for th in soup.select("table th")]
    assert not [h for h in headers if re.search(r"[a-z]_[a-z]", h)], "programmer names in table headers"
    imgs = soup.select("main img, body img")
    assert imgs and all(len(i["alt"]) > 40 and "no description" not in i["alt"] for i in imgs)
    counts = {"n", "count", "n used", "n dropped", "areas", "reports", "events", "areas compared", "WSoA required"}
    for table in soup.select("table[id^=T_]"):  # counts print as whole numbers
        heads = [th.get_text(strip=True) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            for h, td in zip(heads, tr.find_all("td")):
                assert not (h in counts and "." in td.get_text()), (page, h, td.get_text())
    links = [a["href"] for a in soup.select("p.sendstats-download a")]
    assert len(links) == len(soup.select("table[id^=T_]"))
    for href in links:  # each table's CSV parses, with the table's human headers
        rows = list(csv.reader(io.StringIO((rendered / page).parent.joinpath(href).read_text(encoding="utf-8-sig"))))
        assert len(rows) >= 2 and not any("_" in h and h.islower() for h in rows[0])


def test_numbers_on_the_pages_match_the_sources(rendered):
    soup = _soup(rendered / "01_inspection_outcomes.html")
    first = table_csv(rendered / "01_inspection_outcomes.html", 1)
    assert first[0]["n"] == "149" and first[0]["WSoA required"] == "82"  # Ofsted's published headline
    maps = [i["alt"] for i in soup.find_all("img") if i["alt"].startswith("Two maps")]
    assert len(maps) == 1
    # by hand: each 2016-framework result carried to the May 2023 areas (renamed codes; replaced councils'
    # results to each successor), counted over the areas on the map
    import sendstats
    from sendstats.data.store import load_table

    i16 = sendstats.load_inspections("2016")
    result = {
        {"E10000002": "E06000060", "E10000023": "E06000065", "E10000027": "E06000066"}.get(c, c): w
        for c, w in zip(i16["la_code"], i16["wsoa"])
    }
    for old, new in {
        "E10000009": ["E06000059"],
        "E10000021": ["E06000061", "E06000062"],
        "E10000006": ["E06000063", "E06000064"],
    }.items():
        for code in new:
            result.setdefault(code, result.get(old))
    codes = list(load_table("area_shapes")["area_code"])
    n_wsoa = sum(bool(result.get(c)) for c in codes)
    assert f"the {len(codes)} SEND local areas of England" in maps[0] and len(codes) == 153
    assert f"WSoA required: {n_wsoa} areas; no WSoA: {len(codes) - n_wsoa} areas" in maps[0]
    p02 = _soup(rendered / "02_factors_and_wsoa.html").get_text()
    assert "0.000" not in p02 or "< 0.001" in p02


def test_index_lists_reports_profiles_and_data(rendered):
    soup = _soup(rendered / "index.html")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert all(f"{n}.html" in hrefs for n in CORE) and "areas/E09000021.html" in hrefs
    assert "data/datapackage.json" in hrefs and "data/dictionary.html" in hrefs
    assert soup.find("input", id="area-filter") and soup.find("label", attrs={"for": "area-filter"})
    assert not [s for s in soup.find_all("script") if s.get("src")]  # inline only, works offline
    assert (rendered / "data" / "dictionary.html").exists()


def test_two_dorsets_are_told_apart(rendered):
    titles = sorted(a.get_text() for a in _soup(rendered / "index.html").select("#area-list a"))
    assert [t for t in titles if t.startswith("Dorset")] == [
        "Dorset (E06000059), the council created on 1 April 2019",
        "Dorset (E10000009), the former council (replaced on 1 April 2019)",
    ]


HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_hostile_text_in_data_never_becomes_markup(data_copy, tmp_path):
    """Markup in a bundled letter goes through the build into report 05 as text (a profile with hostile names
    is test_hardening's)."""
    letter = data_copy / "raw" / "letters" / "kingston-upon-thames_2018-10-23.txt"
    body = letter.read_text()
    from test_build import _replace

    from sendstats import letters

    first = letters.extract(letters.read(letter)).weaknesses[0][:30]
    lines = body.splitlines()
    i = next(k for k, ln in enumerate(lines) if first[:20] in ln)
    lines[i] = lines[i] + " " + HOSTILE
    _replace(data_copy, "letters/kingston-upon-thames_2018-10-23.txt", ("\n".join(lines) + "\n").encode())
    out = tmp_path / "out"
    r = run_cli("report", "05_letter_themes", "--output-dir", str(out), env={**EPOCH, "SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 0, r.stderr
    soup = _soup(out / "05_letter_themes.html")
    assert not soup.select("img[onerror]")
    assert not [s for s in soup.find_all("script") if "alert(" in (s.string or "")]
    assert 'onerror="alert(1)">' in soup.get_text()  # shown as text


def test_manifest_hashes_must_be_hex(data_copy):
    man = data_copy / "raw" / "MANIFEST.csv"
    rows = list(csv.DictReader(man.open(encoding="utf-8")))
    rows[0]["sha256"] = f"<b>{rows[0]['sha256']}</b>"
    with man.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = run_cli("data", "verify", env={"SENDSTATS_DATA": str(data_copy)})
    assert r.returncode == 2 and "64 lower-case hex" in r.stderr


def test_data_export_is_a_valid_frictionless_package(tmp_path):
    from frictionless import validate

    out = tmp_path / "export"
    r = run_cli("data", "export", str(out))
    assert r.returncode == 0, r.stderr
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    import json

    pkg = json.loads((out / "datapackage.json").read_text())
    fields = {f["name"]: f for res in pkg["resources"] if res["name"] == "areas-2016" for f in res["schema"]["fields"]}
    assert (
        fields["ehcp_20wk_pct"]["title"] == "% new EHC plans within 20 weeks (year before)"
        and fields["ehcp_20wk_pct"]["unit"] == "%"
    )
    assert list(csv.reader(open(out / "inspections_2016.csv")))[1:] and len(pkg["resources"]) >= 10
    r = run_cli("data", "export", str(out))
    assert r.returncode == 2 and "not an empty folder" in r.stderr
    r = run_cli("data", "export", str(tmp_path / "pq"), "--format", "parquet")
    assert r.returncode == 0 and (tmp_path / "pq" / "areas_2016.parquet").exists()
    # the Parquet package validates too (dates were stored as timestamps, lists as lists, fields out of order)
    report = validate(str(tmp_path / "pq" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_table_downloads_are_ready_for_analysis(rendered):
    """Every table CSV of the site reads into pandas with numbers as numbers and dates as ISO dates: no
    '100.0%', '+0.5 pp', '23,519', '0th' or '8 Jul 2024' in a download; file names say what each table is; the
    areas table comes as a workbook too."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    formatted = re.compile(
        r"^'?[+-]?[\d,]*\.?\d+\s*(%|pp)$|^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(st|nd|rd|th)$|^\d{1,2} [A-Z][a-z]+ \d{4}$"
    )
    files = sorted(rendered.glob("*.csv")) + sorted(rendered.glob("areas/E09000021.*.csv"))
    assert files and not [f.name for f in files if re.search(r"\.table-\d+\.csv$", f.name)]
    assert (rendered / "02_factors_and_wsoa.secondary-model-not-the-estimand.csv").exists()
    for f in files:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        bad = [(c, v) for c in df.columns for v in df[c] if formatted.match(v)]
        assert not bad, (f.name, bad[:3])
    factors = pd.read_csv(rendered / "areas" / "E09000021.factors.csv")
    assert factors["area"].dtype.kind == "f" and factors["national percentile (0-100)"].dtype.kind == "f"
    areas_csv = pd.read_csv(rendered / "areas.every-local-area.csv", parse_dates=["last full inspection"])
    assert areas_csv["last full inspection"].dtype.kind == "M" and areas_csv["years since"].dtype.kind == "f"
    rows = CalamineWorkbook.from_path(str(rendered / "areas.every-local-area.xlsx")).get_sheet_by_index(0).to_python()
    assert len(rows) == len(areas_csv) + 1 and rows[0][0] == "area"


def test_hostile_csv_values_round_trip_through_pandas_and_a_spreadsheet(tmp_path):
    """A carriage return inside a value is quoted (a lone CR used to go out unquoted, so a spreadsheet split the
    row and the next line began with a live formula); headers get the formula rule too. Read back by pandas,
    then written to .xlsx (xlsxwriter turns any text starting with '=' into a formula) and read by calamine:
    every value comes back as the text written, and no cell is a formula."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    from sendstats.fileio import csv_text

    hostile = ['x\r=HYPERLINK("http://evil")', "a\nb", "=1+1", "+SUM(A1)", "@cmd", "-2.5", "plain, with comma"]
    df = pd.DataFrame({'=HYPERLINK("h") (%)': hostile, "n": range(len(hostile))})
    text = csv_text(df)
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back.columns) == ['\'=HYPERLINK("h") (%)', "n"]
    expected = ['x\r=HYPERLINK("http://evil")', "a\nb", "'=1+1", "'+SUM(A1)", "'@cmd", "-2.5", "plain, with comma"]
    assert back.iloc[:, 0].tolist() == expected and back["n"].tolist() == [str(i) for i in range(len(hostile))]
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == len(hostile) + 1
    xlsx = tmp_path / "t.xlsx"
    back.to_excel(xlsx, index=False, engine="xlsxwriter")
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    assert [str(r[0]) for r in rows[1:]] == expected and rows[0][0] == '\'=HYPERLINK("h") (%)'


@pytest.mark.parametrize(
    "page, css", [("index.html", "assets/"), ("analysis_plan.html", "assets/"), ("strobe.html", "assets/"),
                  ("glossary.html", "assets/"), ("data/dictionary.html", "../assets/")],
)  # fmt: skip
def test_every_other_page_of_the_site_is_citable_too(rendered, page, css):
    """The index, the docs and the data dictionary carry the citation tags, the shared style sheet and How to
    cite (with the version), as the reports do."""
    soup = _soup(rendered / page)
    meta = {m.get("name"): m.get("content") for m in soup.find_all("meta")}
    assert meta["citation_title"] == soup.title.string and meta["citation_version"] and meta["citation_author"]
    assert soup.find("link", rel="stylesheet")["href"] == css + "sendstats.css"
    bib = soup.find(id="how-to-cite").find_parent("section").pre.get_text()
    assert bib.startswith("@misc{sendstats_") and f"  version = {{{meta['citation_version']}}},\n" in bib


def test_the_glossary_explains_the_terms_a_reader_meets(rendered):
    soup = _soup(rendered / "glossary.html")
    terms = {b.get_text(strip=True).rstrip(".") for b in soup.select("main p strong")}
    for term in ("Written Statement of Action (WSoA)", "Revisit", "Full inspection and monitoring inspection",
                 "The 20-week rate", "The appeal rate", "CCG and coterminous", "LSOA"):  # fmt: skip
        assert term in terms, term
    assert soup.find("a", href="glossary.html") is None  # the page does not link itself
    assert _soup(rendered / "index.html").find("a", href="glossary.html")
