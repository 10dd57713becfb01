"""The whole default site as a reader gets it from `make reports`: the areas page, every profile's weight and
story, one palette, figures and alt text in words (never code names), downloads a spreadsheet reads."""

import base64
import csv
import io
import re
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from conftest import CORE, check_key_findings

from sendstats.data import registry


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_areas_page_has_a_row_and_a_profile_link_per_area(rendered):
    soup = _soup(rendered / "areas.html")
    rows = soup.select("#area-table tbody tr")
    assert len(rows) == 156
    links = [a["href"] for a in soup.select("#area-table tbody th a")]
    assert len(links) == 156 and all((rendered / h).exists() for h in links)
    kingston = next(r for r in rows if r.th.get_text() == "Kingston upon Thames")
    cells = [td.get_text() for td in kingston.find_all("td")]
    assert cells[:5] == ["E09000021", "London", "WSoA required", "4", "not revisited yet"]
    assert soup.select_one("#area-filter") and soup.find("label", attrs={"for": "area-filter"})
    # without JavaScript no control that does nothing shows: the filter is hidden, the headers are plain text,
    # and a note says the table is complete
    assert soup.select_one("#area-controls").has_attr("hidden") and not soup.select("#area-table thead button")
    assert "lists all 156 areas" in soup.find("noscript").get_text()
    assert not [s for s in soup.find_all("script") if s.get("src")]  # inline: works offline
    download, workbook = [a["href"] for a in soup.select("p.sendstats-download a")]  # CSV, and an Excel workbook
    assert workbook.endswith(".xlsx") and (rendered / workbook).read_bytes()[:2] == b"PK"
    raw = (rendered / download).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: a spreadsheet reads the accents and dashes
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == 156 and table[0]["area"] == "Barking and Dagenham"
    index = _soup(rendered / "index.html")
    first = index.select("main a")[0]
    assert first["href"] == "areas.html" and first.get_text() == "Find your area"
    assert "29 June 2026" in index.get_text()  # what dates the data cover


def test_every_profile_is_at_most_150_kb_and_the_site_shares_one_style_sheet(rendered):
    sizes = {p.name: p.stat().st_size for p in (rendered / "areas").glob("*.html")}
    assert len(sizes) == 156 and max(sizes.values()) <= 150_000, max(sizes.items(), key=lambda kv: kv[1])
    for page in [*(f"{n}.html" for n in CORE), "areas.html", "areas/E09000021.html"]:
        text = (rendered / page).read_text(encoding="utf-8")
        href = "../assets/sendstats.css" if page.startswith("areas/") else "assets/sendstats.css"
        assert f'<link rel="stylesheet" href="{href}">' in text and "jp-RenderedHTMLCommon {" not in text
    assert "jp-RenderedHTMLCommon" in (rendered / "assets" / "sendstats.css").read_text()


def test_cumberland_shows_cumbrias_2016_inspection(rendered):
    text = _soup(rendered / "areas" / "E06000063.html").get_text(" ")
    assert "Cumbria (the former council)" in text and "18 March 2019" in text
    assert "number of ICBs serving the area" in text  # the factors of its 2023-framework inspection


def test_a_profile_prints_numbers_by_their_unit(rendered):
    text = _soup(rendered / "areas" / "E09000021.html").get_text(" ")
    assert "88.7%" in text and "23,519" in text
    assert not re.search(r"\b\d+\.\d{3}\b", text), re.findall(r".{30}\b\d+\.\d{3}\b.{10}", text)[:3]
    assert "95% CI 66% to 66%" not in text


def _figures(soup):
    """Each figure's alt text and the words of its SVG (the page holds figures as data: URIs)."""
    for img in soup.find_all("img"):
        src = img.get("src", "")
        words = ""
        if src.startswith("data:image/svg+xml;base64,"):
            root = ElementTree.fromstring(base64.b64decode(src.split(",", 1)[1]))
            words = " ".join(t for el in root.iter() if el.tag.endswith("text") for t in el.itertext())
        yield img["alt"], words


def test_no_figure_or_alt_text_holds_a_code_name(rendered):
    names = {n for n in registry.all_columns() if "_" in n}
    code = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    pages = [*(f"{n}.html" for n in CORE), "areas.html", "areas/E09000021.html", "areas/E06000063.html"]
    seen = 0
    for page in pages:
        for alt, words in _figures(_soup(rendered / page)):
            seen += 1
            for text in (alt, words):
                assert not code.search(text), (page, code.search(text).group(0), text[:200])
                assert not re.search(r"\b(True|False)\b", text), (page, text[:200])
    assert seen >= 15


def test_one_colour_per_outcome_on_every_chart_and_map(rendered):
    """Report 01's outcome charts and maps draw each outcome in its palette colour (and no chart uses
    matplotlib's default cycle for them)."""
    from sendstats.plots import COLOURS

    soup = _soup(rendered / "01_inspection_outcomes.html")
    svg = [base64.b64decode(i["src"].split(",", 1)[1]).decode() for i in soup.find_all("img")]
    drawn = {c.lower() for s in svg for c in re.findall(r"(?:fill|stroke): ?(#[0-9a-fA-F]{6})", s)}
    for outcome in ("positive", "inconsistent", "systemic_failings", "wsoa"):  # keyed by code, not by label
        assert COLOURS[outcome].lower() in drawn, outcome
    assert not {"#1f77b4", "#ff7f0e", "#2ca02c"} & drawn  # matplotlib's default blue, orange, green


def test_the_analysis_plan_and_dictionary_are_pages_linked_where_reports_mention_them(rendered):
    plan = _soup(rendered / "analysis_plan.html")
    assert plan.find("html")["lang"] == "en" and plan.find("h1") and plan.find("a", href="index.html")
    hrefs = {a["href"] for a in _soup(rendered / "02_factors_and_wsoa.html").find_all("a", href=True)}
    assert {"analysis_plan.html", "data/dictionary.html"} <= hrefs
    assert all((rendered / h).exists() for h in ("analysis_plan.html", "data/dictionary.html"))
    assert "analysis_plan.html" in {a["href"] for a in _soup(rendered / "index.html").find_all("a", href=True)}
    assert "docs/analysis_plan.md" not in (rendered / "02_factors_and_wsoa.html").read_text()


def test_every_core_report_opens_with_key_findings_its_sections_state(rendered):
    found = {name: check_key_findings((rendered / f"{name}.html").read_text(encoding="utf-8")) for name in CORE}
    # Ofsted's headline for the 2016 framework (82 of the 149 areas inspected wrote a WSoA), from its release
    assert found["01_inspection_outcomes"][0].startswith("Of 149 inspected areas, 82 (55%;")
    # report 02 opens with every measure of oversight (the plan's third revision): both co-primary estimates on
    # one sample, then the structural model's own sentence (1.82: the revised model, checked against an
    # independent formula fit in test_analysis), never a secondary model's
    assert found["02_factors_and_wsoa"][0].startswith(
        "On the same 149 areas, the two co-primary measures of weak CCG oversight point in opposite directions"
    )
    assert found["02_factors_and_wsoa"][1].startswith("Areas not served by one coterminous CCG had 1.82 times the odds")


def test_a_profile_shows_its_trends_and_groups_the_bundled_reports_in_its_footer(rendered):
    import hashlib

    from conftest import RAW

    soup = _soup(rendered / "areas" / "E09000021.html")
    section = soup.find(id="over-the-years-the-20-week-rate-and-appeals")
    assert section is not None
    alts = [i["alt"] for i in soup.find_all("img") if i["alt"].startswith("Line charts")]
    assert len(alts) == 1 and "Kingston upon Thames 88.2 in 2015" in alts[0]
    # on a page that reads them all (report 01), the 55 bundled 2023 reports are one row of the footer, its
    # sha256 recomputed here from the manifest (a profile lists only its own area's: the test below)
    soup = _soup(rendered / "01_inspection_outcomes.html")
    with open(RAW / "MANIFEST.csv", encoding="utf-8", newline="") as f:
        rows = sorted(
            (r["path"], r["sha256"])
            for r in csv.DictReader(f)
            if r["path"].startswith("ofsted/reports_2023_framework/")
        )
    digest = hashlib.sha256("".join(f"{p} {s}\n" for p, s in rows).encode()).hexdigest()
    foot = soup.find("footer").get_text(" ")
    assert f"ofsted/reports_2023_framework/ ({len(rows)} files)" in foot and digest in foot
    assert not any(p in foot for p, _ in rows)  # no report listed on its own


def test_a_profiles_provenance_lists_only_its_own_letters_and_reports(rendered):
    """Every profile used to list Kingston's 2018 letter and all 55 bundled reports; now only the area's own."""
    bury = (rendered / "areas" / "E08000002.html").read_text(encoding="utf-8")
    footer = bury[bury.index('class="sendstats-provenance"') :]
    assert "80443_bury__area-send-full-inspection" in footer and "kingston-upon-thames_2018" not in footer
    assert "(55 files)" not in footer
    kingston = (rendered / "areas" / "E09000021.html").read_text(encoding="utf-8")
    assert "letters/kingston-upon-thames_2018-10-23.txt" in kingston[kingston.index('class="sendstats-provenance"') :]
