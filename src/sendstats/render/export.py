"""Turning an executed notebook into a page: normalisation (so two renders of the same inputs are
byte-identical), HTML export (nbconvert, offline template), the page title, and the index page."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from .. import config, package_version
from ..fileio import atomic_text
from ..wording import long_date, slug


def normalise(nb):
    """Make an executed notebook depend only on its inputs: stable cell ids, execution counts 1..n, no
    papermill/execution metadata (timestamps, durations)."""
    keep = ("kernelspec", "language_info", "sendstats")
    nb.metadata = type(nb.metadata)({k: v for k, v in nb.metadata.items() if k in keep})
    n = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        for k in ("papermill", "execution", "tags") if cell.cell_type != "code" else ("papermill", "execution"):
            cell.metadata.pop(k, None)
        if cell.cell_type == "code":
            n += 1
            cell.execution_count = n
            for o in cell.outputs:
                if "execution_count" in o:
                    o["execution_count"] = n
    return nb


def take_stderr(nb) -> str:
    """Remove every stderr stream (warnings, log lines) from the executed notebook and return their text:
    it goes to the render log, never to a page."""
    text = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = []
        for o in cell.outputs:
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                text.append(f"[{cell['id']}] {o.get('text', '')}")
            else:
                keep.append(o)
        cell.outputs = keep
    return "".join(text)


def page_title(nb, fallback: str) -> str:
    """The first Markdown heading the notebook's outputs show (e.g. an area's name), else the first heading of
    its Markdown cells, else ``fallback``."""
    outputs = [o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])]
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for texts in (outputs, cells):
        for t in texts:
            t = "".join(t) if isinstance(t, list) else t
            m = re.search(r"^#{1,2}\s+(.+)$", t or "", re.M)
            if m:  # plain text: Markdown escapes and HTML entities undone (escaped again where it is used)
                return html.unescape(re.sub(r"\\(.)", r"\1", m.group(1).strip()))
    return fallback


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Exporter(HTMLExporter):
        """nbconvert's HTML exporter without its final BeautifulSoup pass over the whole page (default alt
        text, focusable outputs): :func:`finish` does both in its one pass."""

        def from_notebook_node(self, nb, resources=None, **kw):
            lexer = nb.metadata.get("language_info", {}).get("name")
            self.register_filter("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return Exporter(
        template_name="sendstats",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        filters={"sendstats_base64": _base64},
    )


def _base64(text) -> str:
    import base64

    return base64.b64encode("".join(text).encode()).decode()


def warm_up() -> None:
    """Build the exporter (and load nbconvert) ahead of the first page."""
    _exporter()


CSS = "assets/sendstats.css"  # one style sheet for every page, beside index.html


def css_href(output: str) -> str:
    """The shared style sheet's address from the page ``output`` (``areas/E09000021`` -> ``../assets/...``)."""
    return "../" * output.count("/") + CSS


def _metas(c: dict) -> list[tuple[str, str]]:
    """The citation meta tags (Google Scholar's, Zotero's) of a page with citation fields ``c``."""
    return [
        ("citation_title", c["title"]),
        ("citation_author", c["author"]),
        ("citation_publication_date", c["date"].replace("-", "/")),
        ("citation_version", c["version"]),
        ("description", f"sendstats report: {c['title']}"),
    ] + ([("citation_public_url", c["url"])] if c["url"] else [])


CONTENTS = "<!--sendstats-contents-->"  # where finish() puts the contents list, in the template's navigation bar


def to_html(nb, title: str, output: str = "", ctx: dict | None = None) -> str:
    """The notebook through the template (``templates/sendstats``), with what the page adds besides it:
    citation meta tags, the navigation bar, figures with alt text, download links, How to cite."""
    c = citation(title, output, ctx or {})
    metas = _metas(c)
    res = {
        "metadata": {"name": title},
        "sendstats_css": css_href(output),
        "sendstats": {
            "metas": metas,
            "index": "../" * output.count("/") + "index.html",
            "contents_mark": CONTENTS,
            "cite": _cite_block(c, output),
            "no_alt": NO_ALT,
        },
    }
    body, _ = _exporter().from_notebook_node(nb, resources=res)
    return body


def page(nb, job: dict) -> dict:
    """The one place a page is assembled from an executed notebook: made to depend on its inputs only
    (:func:`normalise`), its stderr taken out for the render log, its tables' CSVs taken out as files, then
    the template and :func:`finish`. Returns {"html", "files", "title", "log"}."""
    nb = normalise(nb)
    log = take_stderr(nb)
    title = page_title(nb, job["title"])
    files = take_tables(nb, Path(job["output"]).name)
    return {
        "html": finish(to_html(nb, title, job["output"], job["context"])),
        "files": files,
        "title": title,
        "log": log,
    }


# what the lab template inlined besides its two style sheets, and the house style of the pages' own parts
HOUSE_CSS = """
a.anchor-link { display: none; }
.jp-InputArea, .jp-InputArea-editor { overflow: hidden; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-Collapser { display: none; }
@page { margin: 0.5in; }
@media print { .jp-Cell-inputWrapper, .jp-Cell-outputWrapper { display: block; } }
.sendstats-nav { font-family: sans-serif; font-size: 0.9em; border-bottom: 1px solid #ccc; margin-bottom: 1em;
  padding: 0.5em 0; }
.sendstats-nav ol { margin: 0.3em 0; padding-left: 1.5em; }
.sendstats-cite { font-family: var(--jp-content-font-family); font-size: var(--jp-content-font-size1);
  line-height: var(--jp-content-line-height); color: var(--jp-content-font-color1); padding: 0 var(--jp-cell-padding); }
.sendstats-cite h2 { font-size: var(--jp-content-font-size4); font-weight: var(--jp-content-heading-font-weight);
  line-height: var(--jp-content-heading-line-height); margin: 1.5em 0 0.5em; }
.sendstats-cite pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5em; font-size: 0.85em; }
.sendstats-figure { margin: 0; }
.sendstats-figure img { max-width: 100%; }
.sendstats-provenance table { table-layout: fixed; width: 100%; font-size: 0.85em; }
.jp-RenderedHTMLCommon .sendstats-provenance th, .jp-RenderedHTMLCommon .sendstats-provenance td {
  text-align: left; vertical-align: top; }
.sendstats-provenance code, .sendstats-provenance a { word-break: break-all; }
.sendstats-provenance summary { cursor: pointer; font-weight: bold; }
.sendstats-areas table { font-size: 0.85em; }
.jp-RenderedHTMLCommon .sendstats-areas td, .jp-RenderedHTMLCommon .sendstats-areas th { text-align: left; }
.sendstats-areas th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
  text-align: left; cursor: pointer; text-decoration: underline dotted; }
.sendstats-areas th[aria-sort="ascending"] button::after { content: " \\25B2"; }
.sendstats-areas th[aria-sort="descending"] button::after { content: " \\25BC"; }
/* targets of at least 24 px (WCAG 2.2, 2.5.8) for the links a reader moves by */
.sendstats-nav a, nav[aria-label="Site"] a, nav[aria-label="Contents"] a { display: inline-block;
  min-height: 24px; line-height: 24px; }
/* a phone: each area's row is a card, each value under its column's name */
@media (max-width: 640px) {
  .sendstats-areas table, .sendstats-areas tbody, .sendstats-areas tr, .sendstats-areas th,
  .sendstats-areas td { display: block; width: auto; }
  .sendstats-areas thead tr { display: flex; flex-wrap: wrap; gap: 0.2em 0.8em; }
  .sendstats-areas thead th { display: inline-block; border: 0; }
  .sendstats-areas tbody tr { border: 1px solid #ccc; margin: 0 0 0.6em; padding: 0.3em 0.5em; }
  .jp-RenderedHTMLCommon .sendstats-areas tbody td, .jp-RenderedHTMLCommon .sendstats-areas tbody th {
    border: 0; padding: 0.1em 0; }
  .sendstats-areas tbody td[data-label]::before { content: attr(data-label) ": "; font-weight: bold; }
  .sendstats-areas tbody th a { display: inline-block; min-height: 24px; line-height: 24px; font-size: 1.1em; }
}
"""


def site_css() -> str:
    """The shared style sheet: the lab template's own (index and light theme) and the house style."""
    env = _exporter().environment
    parts = [env.loader.get_source(env, f"static/{n}")[0] for n in ("index.css", "theme-light.css")]
    return "\n".join([*parts, HOUSE_CSS])


def _write_if_changed(target: Path, text: str) -> None:
    try:
        if target.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_text(target, text)


DOCS = {
    "analysis_plan": "Analysis plan",
    "strobe": "STROBE checklist",
    "glossary": "Glossary",
}  # docs/<name>.md of the checkout -> <name>.html, a page of the site


def write_assets(out_dir: Path) -> None:
    """``assets/sendstats.css``, rewritten only when its text changed."""
    _write_if_changed(out_dir / CSS, site_css())


def write_docs(out_dir: Path) -> None:
    """The site's pages made from the checkout's docs (the analysis plan), each rewritten only when its text
    changed; written with the index, after the reports. Outside a checkout (an installed package) there are
    no docs."""
    import mistune

    root = config.repo_root()
    for name, title in DOCS.items():
        src = root / "docs" / f"{name}.md" if root else None
        if src is None or not src.is_file():
            continue
        body = mistune.create_markdown(escape=True, plugins=["table"])(src.read_text(encoding="utf-8"))
        nav = _back_to_index(name)
        page = _plain_page(f"{title}: sendstats", f"{nav}<main>{body}</main>", output=name)
        _write_if_changed(out_dir / f"{name}.html", page)


def _back_to_index(output: str) -> str:
    """A plain page's link back to the index, from the page ``output`` (its path in the site, no ``.html``)."""
    return (
        f'<nav aria-label="Site"><a href="{"../" * output.count("/")}index.html">\u2190 All sendstats reports</a></nav>'
    )


def _plain_page(title: str, body: str, head: str = "", output: str = "index") -> str:
    """A page of the site that is not a notebook's (the index, the docs, the data dictionary): ``body`` inside
    the house's plain frame, with what every page carries: the shared style sheet, the citation meta tags and How
    to cite (dated by the commit, so an unchanged page is not rewritten). ``title`` is text (escaped here);
    ``head`` and ``body`` are markup; ``output`` is the page's path in the site without ``.html``."""
    from . import provenance

    ctx = {
        "render_time": provenance.fmt_epoch(provenance.source_date_epoch() or provenance.commit_epoch()),
        "commit": provenance.git_commit(),
        "pinned": True,
        "data_as_at": data_as_at(),
    }
    c = citation(title, output, ctx)
    e = html.escape
    metas = "".join(f'<meta name="{e(n)}" content="{e(v, quote=True)}">' for n, v in _metas(c) if n != "description")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>'
        f'{metas}{head}<link rel="stylesheet" href="{e(css_href(output), quote=True)}">'
        f"<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.5}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:0.2em 0.4em;text-align:left}"
        "a{color:#0645ad;text-decoration:underline}</style>"
        f"</head><body>{body}{_cite_block(c, output)}</body></html>\n"
    )


CSV_MIME, NAME_MIME, XLSX_MIME = config.TABLE_CSV_MIME, config.TABLE_NAME_MIME, config.TABLE_XLSX_MIME
NO_ALT = "Figure (no description was given)"


def take_tables(nb, base: str) -> dict[str, str | bytes]:
    """Take each table's CSV out of the notebook as the attachment ``<base>.<its name>.csv`` (the name its
    table gave, e.g. ``02_factors_and_wsoa.secondary-model.csv``; the template links it under the table).
    Returns {file name: CSV text}."""
    files, k = {}, 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if CSV_MIME in data:
                k += 1
                stem = f"{base}.{data.pop(NAME_MIME, None) or f'table-{k}'}"
                name, n = f"{stem}.csv", 1
                while name in files:  # two tables of one name: -2, -3
                    n += 1
                    name = f"{stem}-{n}.csv"
                files[name] = "\ufeff" + data.pop(CSV_MIME)  # a BOM: spreadsheets then read it as UTF-8
                o.setdefault("metadata", {}).update(sendstats_download=name, sendstats_table=k)
                if XLSX_MIME in data:  # the same table as a workbook (bytes, carried as base64)
                    import base64

                    xlsx = name[: -len(".csv")] + ".xlsx"
                    files[xlsx] = base64.b64decode(data.pop(XLSX_MIME))
                    o["metadata"]["sendstats_download_xlsx"] = xlsx
    return files


def citation(title: str, output: str, ctx: dict) -> dict:
    """Citation fields of a page: title, author, date, version, commit, URL (when a base URL is set)."""

    date = (ctx.get("render_time") or "")[:10]
    base = config.base_url()
    return {
        "title": title,
        "author": "The sendstats contributors",
        "date": date,
        "year": date[:4],
        "version": package_version(),
        "commit": (ctx.get("commit") or "unknown").split()[0],
        "url": f"{base}/{output}.html" if base else "",
        "data_as_at": ctx.get("data_as_at") or "",
        # what the date is: a reproducible render is dated by its commit, not by when it ran
        "dated": "the time of that commit (a reproducible render)" if ctx.get("pinned") else "when it was rendered",
    }


HEADING = re.compile(r"<(h[1-6])\b([^>]*)>(.*?)</\1>", re.S)
ANCHOR = re.compile(r"<a\b[^>]*\bclass=\"anchor-link\"[^>]*>.*?</a>", re.S)
CELL_CLASS = re.compile(r"<div\b[^>]*\bclass=\"(jp-Cell(?:\s[^\"]*)?)\"")
FOCUSABLE = re.compile(
    r"(<div\b[^>]*\bclass=\"[^\"]*(?<![\w-])(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?![\w-])[^\"]*\")"
)


def _cite_block(c: dict, output: str) -> str:
    """The "How to cite" section: the citation in plain text and as BibTeX."""
    e = html.escape
    key = re.sub(r"[^A-Za-z0-9]+", "_", output).strip("_")
    note = (
        f"Data as at {c['data_as_at']}; " if c["data_as_at"] else ""
    ) + f"rendered from commit {c['commit']} of sendstats {c['version']}, dated {c['date']} ({c['dated']})"
    bib = (
        f"@misc{{sendstats_{key}_{c['year']},\n  title = {{{c['title']}}},\n  author = {{{{{c['author']}}}}},\n"
        f"  year = {{{c['year']}}},\n  version = {{{c['version']}}},\n"
        f"  note = {{{note}}},\n" + (f"  url = {{{c['url']}}},\n" if c["url"] else "") + "}"
    )
    plain = f"{c['author']} ({c['year']}). {c['title']}. {note}." + (f" {c['url']}" if c["url"] else "")
    return (
        '<section class="sendstats-cite" aria-labelledby="how-to-cite"><h2 id="how-to-cite">How to cite</h2>'
        f"<p>{e(plain)}</p><pre>{e(bib)}</pre></section>"
    )


def finish(page: str) -> str:
    """The one step after the template, over the page's text (it is the template's output, so its landmarks
    are known; most of its bytes are figures): each heading gets an id (a heading of the notebook's own
    Markdown its slug, the anchor the key findings link to, a repeat -2, -3; a heading an output printed may
    hold a data value, so it is numbered), the contents list is filled from the h2 and h3 headings, an image
    without alt text gets a default one and outputs are focusable (what nbconvert's own pass did)."""
    e = html.escape
    page = re.sub(r"<img(?![^>]*\balt=)", f'<img alt="{e(NO_ALT)}"', page)
    page = FOCUSABLE.sub(r'\1 tabindex="0"', page)
    start = page.index("</nav>", page.index(CONTENTS)) + len("</nav>")
    cut = page.find('<section class="sendstats-cite"', start)
    cut = cut if cut >= 0 else page.rfind("</main>")
    headings, used, n = [], {"how-to-cite"}, 0
    body = page[start:cut]
    # where each cell starts, and whether it is a Markdown cell (the notebook's own words) or an output
    kinds = [(c.start(), "jp-MarkdownCell" in c.group(1)) for c in CELL_CLASS.finditer(body)]

    def heading(m):
        nonlocal n
        n += 1
        level, attrs, inner = m.groups()
        inner = ANCHOR.sub("", inner)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        own = next((md for at, md in reversed(kinds) if at <= m.start()), False)
        base = slug(text) if own else f"section-{n}"
        hid, k = base, 1
        while hid in used:
            k += 1
            hid = f"{base}-{k}"
        used.add(hid)
        attrs = re.sub(r'\s+id="[^"]*"', "", attrs) + f' id="{hid}"'
        if level in ("h2", "h3"):
            headings.append((level, hid, text))
        return f"<{level}{attrs}>{inner}</{level}>"

    body = HEADING.sub(heading, body)
    headings.append(("h2", "how-to-cite", "How to cite"))
    items = "".join(f'<li><a href="#{e(hid, quote=True)}">{e(text)}</a></li>' for _lv, hid, text in headings)
    return page[:start].replace(CONTENTS, items, 1) + body + page[cut:]


def _records(out_dir: Path) -> list[dict]:
    out = []
    for p in sorted((out_dir / ".cache").rglob("*.json")) if (out_dir / ".cache").is_dir() else []:
        try:
            rec = json.loads(p.read_text())
        except ValueError:
            continue
        if rec.get("output") and (out_dir / f"{rec['output']}.html").exists():
            out.append(rec)
    return out


def index_current(out_dir: Path) -> bool:
    """The index exists and no render record is newer than it (so rewriting it would change nothing)."""
    index = out_dir / "index.html"
    if not index.exists():
        return False
    t = index.stat().st_mtime_ns
    cache = out_dir / ".cache"
    return not cache.is_dir() or all(p.stat().st_mtime_ns <= t for p in cache.rglob("*.json"))


# pages of the whole site that are not core reports: rendered with every profile by plain `sendstats report`,
# and linked from the index on their own (not as other renders)
SITE = ("areas",)


def data_as_at() -> str:
    """The date the inspection data run to (:func:`sendstats.data.store.data_date`), as a reader writes it."""
    from ..data.store import data_date

    return long_date(data_date())


def coverage() -> str:
    """What dates the data cover, from the tables: the 2016-framework inspections (first start, last
    publication) and the 2023-framework table's last weekly snapshot."""
    from ..data.store import load_table

    a = load_table("inspections_2016")
    last16 = max(a["published"].max(), a["revisit_published"].max())
    return (
        f"The data cover the 2016-framework inspections from {long_date(a['inspection_start'].min())} to their last"
        f" letter or revisit letter on {long_date(last16)} (Ofsted's official statistics), and 2023-framework"
        f" inspections published up to {data_as_at()}, the date of the last weekly snapshot of Data to Insight's "
        "table of them."
    )


def write_index(out_dir: Path, catalogue: dict) -> Path:
    """``index.html``: the core reports with their descriptions, other renders with their parameters, and
    the area profiles (each with its page title)."""
    e = html.escape
    recs = _records(out_dir)
    find = (
        '<p class="sendstats-find"><a href="areas.html"><strong>Find your area</strong></a>: every local area in one '
        "table, with its inspections under both frameworks, what followed, and a link to its profile.</p>"
        if (out_dir / "areas.html").exists()
        else ""
    )
    core = [r for r in catalogue.values() if r.core]
    items = []
    for r in core:
        link = (
            f'<a href="{e(r.name)}.html">{e(r.title)}</a>'
            if (out_dir / f"{r.name}.html").exists()
            else f"{e(r.title)} (not rendered yet)"
        )
        items.append(f"<li>{link}: {e(r.description)}</li>")
    others = [
        x
        for x in recs
        if x["output"] not in {r.name for r in core}
        and x["report"] not in SITE
        and not x["output"].startswith("areas/")
    ]

    def other(x):
        from .catalogue import describe

        try:
            words = describe(x["report"], x.get("parameters") or {})
        except Exception:  # a render of a report the catalogue no longer has: its parameters as recorded
            words = json.dumps(x.get("parameters"), sort_keys=True)
        return f'<li><a href="{e(x["output"])}.html">{e(x.get("title", x["output"]))}</a>: {e(words)}</li>'

    olist = "".join(other(x) for x in others)
    profiles = sorted((x for x in recs if x["output"].startswith("areas/")), key=lambda x: x.get("title", x["output"]))
    plist = "".join(f'<li><a href="{e(x["output"])}.html">{e(x.get("title", x["output"]))}</a></li>' for x in profiles)
    area_html = (
        f'<h2 id="areas">Area profiles ({len(profiles)})</h2>'
        '<p><label for="area-filter">Filter the areas by name or code: </label>'
        '<input type="search" id="area-filter" autocomplete="off"></p>'
        f'<ul id="area-list">{plist}</ul><p id="area-none" hidden>No area matches.</p>'
        "<script>(function(){var f=document.getElementById('area-filter'),items=document.querySelectorAll("
        "'#area-list li'),none=document.getElementById('area-none');f.addEventListener('input',function(){"
        "var q=f.value.toLowerCase(),n=0;items.forEach(function(li){var show=li.textContent.toLowerCase()"
        ".indexOf(q)>=0;li.hidden=!show;if(show)n++;});none.hidden=n>0;});})();</script>"
        if profiles
        else '<h2 id="areas">Area profiles</h2><p>None rendered: plain <code>sendstats report</code> renders them '
        "all.</p>"
    )
    other_html = f'<h2 id="other">Other renders ({len(others)})</h2><ul>{olist}</ul>' if others else ""
    data_html = (
        '<h2 id="data">Data</h2><ul><li><a href="data/datapackage.json">The processed tables</a> as CSV with a '
        'Frictionless Data Package (<a href="data/">folder</a>), for R, Stata or a spreadsheet</li>'
        '<li><a href="data/dictionary.html">Data dictionary</a>: every column\'s label, type, unit and source</li>'
        + (
            '<li><a href="analysis_plan.html">Analysis plan</a>: the questions, models and confounders, with the '
            "date each was fixed and what had been seen</li>"
            if (out_dir / "analysis_plan.html").exists()
            else ""
        )
        + (
            '<li><a href="strobe.html">STROBE checklist</a>: where the reports answer each item of the reporting'
            " standard for observational studies</li>"
            if (out_dir / "strobe.html").exists()
            else ""
        )
        + (
            '<li><a href="glossary.html">Glossary</a>: WSoA, revisit, the three outcomes, monitoring and full'
            " inspections, the 20-week and appeal rates, coterminous, LSOA</li>"
            if (out_dir / "glossary.html").exists()
            else ""
        )
        + "</ul>"
        if (out_dir / "data" / "datapackage.json").exists()
        else ""
    )
    body = (
        "<main><h1>sendstats reports</h1><p>Joint local area SEND inspections in England (Ofsted / "
        "CQC). Every figure is computed from the published files listed in each report's provenance footer.</p>"
        f"<p>{e(coverage())}</p>{find}"
        '<nav aria-label="Contents"><ul><li><a href="#core">Core reports</a></li>'
        + ('<li><a href="#other">Other renders</a></li>' if others else "")
        + '<li><a href="#areas">Area profiles</a></li>'
        + ('<li><a href="#data">Data</a></li>' if data_html else "")
        + f'</ul></nav><h2 id="core">Core reports</h2><ul>{"".join(items)}</ul>{other_html}{area_html}{data_html}'
        f"<p>sendstats {e(package_version())}</p></main>"
    )
    description = (
        '<meta name="description" content="sendstats: reports on joint local area SEND inspections in England">'
    )
    target = out_dir / "index.html"
    atomic_text(target, _plain_page("sendstats reports", body, description))
    return target


def write_data(out_dir: Path) -> None:
    """``data/``: the processed tables as CSV with datapackage.json, and the data dictionary as a page; rewritten
    only when a table changed (its build key)."""
    import shutil
    import tempfile

    from ..data import datapackage, registry, store
    from ..fileio import replace_folder

    keys = {n: store.table_key(n) for n in registry.TABLES}
    target = out_dir / "data"
    try:
        if json.loads((target / "keys.json").read_text()) == keys:
            return
    except (OSError, ValueError):
        pass
    staging = Path(tempfile.mkdtemp(prefix=".data-", dir=out_dir))
    try:
        datapackage.export(staging / "data")
        nav = _back_to_index("data/dictionary")
        dictionary = _plain_page("Data dictionary: sendstats", nav + dictionary_html(), output="data/dictionary")
        (staging / "data" / "dictionary.html").write_text(dictionary, encoding="utf-8")
        (staging / "data" / "keys.json").write_text(json.dumps(keys, sort_keys=True) + "\n")
        replace_folder(staging / "data", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def dictionary_html() -> str:
    """The data dictionary's content (escaped): the ``<main>`` element of the site's dictionary page, from the
    table registry (the page frame is :func:`_plain_page`'s)."""
    import html

    from ..data import registry

    e = html.escape
    parts = ["<main><h1>Data dictionary</h1><p>Every processed table, from the table registry.</p>"]
    for t in registry.TABLES.values():
        parts.append(
            f'<h2 id="{e(t.name)}">{e(t.name)}</h2><p>{e(t.description)} Raw files: '
            f"{e(', '.join(t.raw) or 'none of its own')}."
            + (f" Built from: {e(', '.join(t.needs))}." if t.needs else "")
            + f' Download: <a href="{e(t.name)}.csv">{e(t.name)}.csv</a></p>'
            "<table><thead><tr><th>column</th><th>label</th><th>type</th><th>unit</th><th>description</th>"
            "<th>source</th></tr></thead><tbody>"
        )
        parts += [
            f"<tr><td><code>{e(c.name)}</code></td><td>{e(c.label)}</td><td>{e(registry.type_word(c))}</td><td>{e(c.unit)}</td>"
            f"<td>{e(c.description)}</td><td>{e(c.source)}</td></tr>"
            for c in t.columns
        ]
        parts.append("</tbody></table>")
    parts.append(
        '<h2 id="corrections">Corrections applied</h2><p>Values the published sources leave out, filled in'
        " inspections_2023 from data/raw/curated/corrections_2023.csv, each with its source (also in the row's"
        " source note).</p><table><thead><tr><th>area code</th><th>inspection published</th><th>field</th>"
        "<th>value</th><th>source</th></tr></thead><tbody>"
    )
    parts += [
        f'<tr><td>{e(a)}</td><td>{e(p)}</td><td><code>{e(f)}</code></td><td>{e(v)}</td><td><a href="{e(u)}">'
        f"{e(s)}</a></td></tr>"
        for a, p, f, v, s, u in registry.corrections()
    ]
    parts.append("</tbody></table></main>")
    return "".join(parts)
