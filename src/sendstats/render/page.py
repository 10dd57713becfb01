"""The parts of a report page that are not figures: the report table (HTML with human headers, its CSV and
its analysis-ready download), the areas page's filterable table, the key findings, and the contrasts under a
factor screen. The figures are :mod:`sendstats.plots`."""

from __future__ import annotations

import re

import pandas as pd

from ..fileio import csv_text, xlsx_base64
from ..plots import labelled
from ..stats import ScreenResult, describe_contrasts
from ..wording import format_p, long_date, safe_href, vs_label
from ..wording import label as term_label

P_COLUMNS = ("p_value", "q_value_bh", "mw_p_value")


class Table:
    """A report table: displayed as an HTML table (human headers from the registry, values escaped,
    integers as integers, shares as percentages, p-values as '< 0.001'), and carrying its data as CSV with
    the same headers, which the HTML export writes next to the page with a download link."""

    def __init__(self, df, caption: str, percent, uuid, links=None, name=None, data=None):
        import hashlib

        from ..data import registry

        self.name = slug(name or caption)
        self._given_download = data

        if "fit_note" in df.columns and not df["fit_note"].fillna("").astype(str).str.len().any():
            df = df.drop(columns="fit_note")  # no fit warned: no empty "fit warning" column
        self.df, self.caption = df, caption
        df = df.assign(**{c: df[c].map(term_label) for c in ("term", "factor") if c in df.columns})
        for c in ("unit", "effect_name"):  # '... vs wsoa_2016=no WSoA' -> '... vs 2016 WSoA = no WSoA'
            if c in df.columns:
                df = df.assign(**{c: df[c].map(vs_label)})
        shown = labelled(df)
        fmt: dict[str, object] = {}
        for c in df.columns:
            lab = registry.label(c) if isinstance(c, str) else c
            col = df[c]
            if c in percent:
                fmt[lab] = lambda v: "–" if v != v else f"{v:.1%}"
            elif c in P_COLUMNS:
                fmt[lab] = format_p
            elif col.dtype.kind == "M":
                fmt[lab] = lambda v: long_date(v) or "–"  # one date style on every page: '8 July 2024
            elif col.dtype.kind == "f":
                whole = col.dropna().pipe(lambda v: bool(len(v)) and bool((v == v.round()).all()))
                fmt[lab] = "{:.0f}" if whole else "{:.3f}"
        # the download holds what the page shows: shares in per cent (one decimal), the unit in the header
        pct_cols = {registry.label(c) if isinstance(c, str) else c for c in df.columns if c in percent}
        download = shown.assign(**{c: (shown[c].astype(float) * 100).round(1) for c in pct_cols})
        linked = {registry.label(c): list(u) for c, u in (links or {}).items()}
        download = download.assign(**{f"{c} (link)": [safe_href(u) or "" for u in urls] for c, urls in linked.items()})
        self.csv = csv_text(
            (
                _for_analysis(self._given_download)
                if self._given_download is not None
                else download.rename(columns={c: f"{c} (%)" for c in pct_cols})
            ),
        )
        import html

        shown = shown.assign(**{c: [_anchor(t, u) for t, u in zip(shown[c], urls)] for c, urls in linked.items()})
        sty = (
            shown.style.format(fmt, na_rep="–", escape="html")
            .format(lambda v: v, subset=list(linked), escape=None)  # already escaped, with its link
            .format_index(escape="html", axis=1)
            .hide(axis="index")
            .set_caption(html.escape(caption))
        )
        self.styler = sty.set_uuid(uuid or hashlib.sha256(caption.encode()).hexdigest()[:8])

    def _repr_mimebundle_(self, include=None, exclude=None):
        from ..config import TABLE_CSV_MIME, TABLE_NAME_MIME

        return {"text/html": self.styler.to_html(), TABLE_CSV_MIME: self.csv, TABLE_NAME_MIME: self.name}


def slug(text: str, words: int = 6) -> str:
    """A table's file name part from its name or caption: its first ``words`` words, lower case, hyphenated
    ('By Ofsted region, 2016 framework. ...' -> 'by-ofsted-region-2016-framework')."""
    first = re.split(r"(?<=[.;:])\s", str(text).strip(), maxsplit=1)[0]
    parts = re.findall(r"[a-z0-9]+", first.lower())[:words]
    return "-".join(parts) or "table"


def _for_analysis(df):
    """A frame as an analysis-ready download: :func:`labelled`, numbers as numbers, dates as ISO dates."""
    out = labelled(df)
    for c in out.columns:
        if out[c].dtype.kind == "M":
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out


def _anchor(text, url) -> str:
    """A table cell's HTML: ``text`` escaped once, inside a link to ``url`` when :func:`safe_href` allows it."""
    import html

    t = "–" if text is None or pd.isna(text) else html.escape(str(text))
    u = safe_href(url)
    return f'<a href="{html.escape(u, quote=True)}">{t}</a>' if u else t


def table(
    df,
    caption: str,
    *,
    percent=("share", "ci_low", "ci_high"),
    uuid: str | None = None,
    links=None,
    name=None,
    data=None,
) -> Table:
    """A report table (see :class:`Table`); ``percent`` columns are shares shown as percentages; ``links``:
    {column: the URL of each row's cell} (a page of the site or an http(s) source; anything else is shown
    unlinked); the download gets each link column's URLs beside it. ``name``: what the downloaded file is
    called after the page's name (default: the caption's first words); ``data``: the frame the download holds
    when ``df`` is already formatted for reading (numbers as numbers, dates as ISO dates). Returns the table."""
    return Table(df, caption, tuple(percent), uuid, links, name, data)


# The areas page's filter and sort, inline (no external code). A row shows when every word typed begins a
# word of its data-names; a heading's button sorts by its column (data-sort where given), blanks last.
AREA_SCRIPT = """(function () {
  var box = document.getElementById('area-filter'), table = document.getElementById('area-table'),
      count = document.getElementById('area-count'), body = table.tBodies[0];
  // the controls exist only once this script runs: without it the page is the complete table, with a note
  document.getElementById('area-controls').hidden = false;
  table.querySelectorAll('thead th').forEach(function (head, i) {
    var button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('data-col', i);
    button.textContent = head.textContent;
    head.textContent = '';
    head.setAttribute('aria-sort', 'none');
    head.appendChild(button);
  });
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().match(/[a-z0-9]+/g) || [], n = 0;
    function hits(attr) {
      return Array.prototype.filter.call(body.rows, function (row) {
        var names = ' ' + row.getAttribute(attr);
        return words.every(function (w) { return names.indexOf(' ' + w) >= 0; });
      });
    }
    // an area's own names first; only when none matches, the towns and districts that lie in areas
    var found = hits('data-names');
    if (!found.length) found = hits('data-places');
    Array.prototype.forEach.call(body.rows, function (row) {
      var show = found.indexOf(row) >= 0;
      row.hidden = !show;
      if (show) n++;
    });
    count.textContent = n + (n === 1 ? ' area' : ' areas') + ' shown';
    suggest(n === 0 ? box.value.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() : '');
  });
  // nothing found: the names closest to what was typed, by edit distance on the name's start
  var hint = document.getElementById('area-suggest');
  function distance(a, b) {
    var prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      var cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }
  function suggest(typed) {
    hint.textContent = '';
    if (!typed) return;
    var scored = Array.prototype.map.call(body.rows, function (row) {
      var name = row.cells[0].textContent, low = name.toLowerCase();
      return [Math.min(distance(typed, low), distance(typed, low.slice(0, typed.length))), name];
    }).filter(function (s) { return s[0] <= Math.max(1, Math.floor(typed.length / 3)); });
    scored.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); });
    if (!scored.length) return;
    hint.appendChild(document.createTextNode('Did you mean: '));
    scored.slice(0, 5).forEach(function (s, k) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = s[1];
      b.addEventListener('click', function () {
        box.value = s[1];
        box.dispatchEvent(new Event('input'));
      });
      if (k) hint.appendChild(document.createTextNode(', '));
      hint.appendChild(b);
    });
  }
  table.querySelectorAll('th button').forEach(function (button) {
    button.addEventListener('click', function () {
      var col = +button.getAttribute('data-col'), head = button.parentNode;
      var up = head.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
      head.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      function key(row) {
        var cell = row.cells[col];
        return cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.toLowerCase();
      }
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) return 0;
        if (x === '') return 1;
        if (y === '') return -1;
        return (x < y ? -1 : 1) * (up ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();"""


class AreaList:
    """The areas page's table: one row per area (:func:`sendstats.questions.coverage.summary`), each area's name
    linking to its profile, a filter box (each word typed must begin a word of the area's name, another name it goes by,
    or its code: "hull" finds Kingston upon Hull, not Solihull; when no area's own names match, the towns and
    districts in ``places`` do: "kendal" finds Westmorland and Furness) and sortable columns, written by a small inline
    script (no external code: it works offline). Every value is escaped here, once. Carries its data as CSV
    (the page's download), the same columns as shown."""

    COLUMNS = [
        "area",
        "code",
        "region",
        "2016 result",
        "weaknesses",
        "revisit (sufficient progress)",
        "2023-framework outcomes",
        "last full inspection",
        "years since",
        "monitoring inspection due by",
        "next full inspection due by",
        "evidence",
    ]

    def __init__(self, summary, caption: str, aliases: dict[str, list[str]], places=None):
        self.df, self.caption, self.aliases, self.places = summary, caption, aliases, places or {}

    def _shown(self):
        d = self.df.assign(
            evidence=[
                "; ".join(filter(None, [safe_href(p) or "", safe_href(r) or ""]))
                for p, r in zip(self.df["ofsted_page"], self.df["latest_report"])
            ]
        )[self.COLUMNS].copy()
        d["area"] = [a + (" (former council)" if s != "current" else "") for a, s in zip(d["area"], self.df["status"])]
        for c in ("last full inspection", "monitoring inspection due by", "next full inspection due by"):
            d[c] = [long_date(v) for v in d[c]]
        d["years since"] = ["" if v is None or v != v else f"{v:.1f}" for v in d["years since"]]
        d["weaknesses"] = ["" if pd.isna(v) else str(int(v)) for v in d["weaknesses"]]
        return d

    def _repr_mimebundle_(self, include=None, exclude=None):
        import html

        from ..config import TABLE_CSV_MIME, TABLE_NAME_MIME, TABLE_XLSX_MIME

        e = html.escape
        d = self._shown()
        sort_keys = {
            "last full inspection": self.df["last full inspection"].dt.strftime("%Y-%m-%d").fillna(""),
            "monitoring inspection due by": self.df["monitoring inspection due by"].dt.strftime("%Y-%m-%d").fillna(""),
            "next full inspection due by": self.df["next full inspection due by"].dt.strftime("%Y-%m-%d").fillna(""),
            "years since": self.df["years since"].map(lambda v: "" if v is None or v != v else f"{v:08.2f}"),
            "weaknesses": self.df["weaknesses"].map(lambda v: "" if pd.isna(v) else f"{int(v):03d}"),
            "2023-framework outcomes": self.df["outcome_order"],  # by severity, then latest first
        }
        head = "".join(f'<th scope="col">{e(c)}</th>' for c in d.columns)  # the script adds the sort buttons
        rows = []
        for i, r in d.iterrows():
            code = self.df.at[i, "code"]
            names = " ".join(re.findall(r"[a-z0-9]+", " ".join([r["area"], code, *self.aliases.get(code, [])]).lower()))
            cells = []
            for c in d.columns:
                key = f' data-sort="{e(sort_keys[c][i], quote=True)}"' if c in sort_keys else ""
                text = e(str(r[c]))
                if c == "area" and self.df.at[i, "profile"]:
                    text = f'<a href="areas/{e(code, quote=True)}.html">{text}</a>'
                if c == "evidence":  # the area's own Ofsted page (2016 letters) and latest 2023 report
                    text = "; ".join(
                        _anchor(what, self.df.at[i, col])
                        for what, col in (("Ofsted page", "ofsted_page"), ("2023 report", "latest_report"))
                        if safe_href(self.df.at[i, col])
                    )
                tag = "th" if c == "area" else "td"
                label = "" if tag == "th" else f' data-label="{e(c, quote=True)}"'  # a phone's card names each value
                cells.append(f"<{tag}{' scope=row' if tag == 'th' else ''}{label}{key}>{text}</{tag}>")
            places = " ".join(re.findall(r"[a-z0-9]+", " ".join(self.places.get(code, [])).lower()))
            rows.append(
                f'<tr data-names="{e(names, quote=True)}" data-places="{e(places, quote=True)}">{"".join(cells)}</tr>'
            )
        page = (
            '<div class="sendstats-areas"><p id="area-controls" hidden><label for="area-filter">Filter by area name'
            ", code, town or district: </label>"
            '<input type="search" id="area-filter" autocomplete="off" aria-controls="area-table"> '
            f'<span id="area-count" role="status">{len(d)} areas shown</span> <span id="area-suggest"></span></p>'
            f"<noscript><p>The table below lists all {len(d)} areas; filtering and sorting it need JavaScript."
            "</p></noscript>"
            f'<table id="area-table"><caption>{e(self.caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<script>{AREA_SCRIPT}</script></div>"
        )
        raw = self.df.assign(evidence=d["evidence"])[self.COLUMNS].copy()
        raw["area"] = d["area"]
        ready = _for_analysis(raw)
        return {
            "text/html": page,
            TABLE_CSV_MIME: csv_text(ready),
            TABLE_NAME_MIME: "every-local-area",
            TABLE_XLSX_MIME: xlsx_base64(ready, "areas"),
        }


class KeyFindings:
    """The sentences a core report opens with, as an official statistics bulletin does: created under the
    page's "Key findings" heading, then each section adds the opening sentence of the paragraph it generated
    from its own result (:meth:`add`), with a link to that section. The list is one display updated in place
    (a Jupyter display id), so it sits at the top of the page while its sentences come from the cells that
    compute them: no sentence is written twice, none is typed."""

    MOST = 5

    def __init__(self):
        from IPython.display import Markdown, display

        self.items: list[tuple[str, str]] = []
        self._markdown = Markdown
        self.handle = display(Markdown(self._text()), display_id=True)

    def _text(self) -> str:
        from ..wording import slug

        if not self.items:
            return "The key findings are added here as the sections below are computed."
        return "\n".join(f"- {s} ([{section}](#{slug(section)}))" for s, section in self.items)

    def add(self, paragraph: str, section: str, sentences: int = 1) -> None:
        """Add the opening sentence (or ``sentences``) of ``paragraph``, generated from a result, linked to the
        heading ``section`` of this page; at most :attr:`MOST` findings."""
        from ..wording import first_sentence

        if len(self.items) >= self.MOST:
            raise ValueError(f"a page opens with at most {self.MOST} key findings; {section!r} is one too many")
        self.items.append((first_sentence(paragraph, sentences), section))
        self.handle.update(self._markdown(self._text()))

    def show(self, paragraph: str, section: str, sentences: int = 1) -> None:
        """Display ``paragraph`` (Markdown) where the section states it, and :meth:`add` its opening."""
        from IPython.display import display

        display(self._markdown(paragraph))
        self.add(paragraph, section, sentences)


def key_findings() -> KeyFindings:
    """Start the page's key findings (see :class:`KeyFindings`)."""
    return KeyFindings()


def show_contrasts(screen: ScreenResult) -> None:
    """Under a factor screen (:func:`sendstats.stats.screen`): the rule for its factors of more than two
    levels and its sparse levels, and their level-by-level table, when it has any."""
    from IPython.display import Markdown, display

    con = screen.contrasts
    if not len(con):
        return
    display(Markdown(describe_contrasts(screen)))
    display(
        table(
            con,
            "Factors of more than two levels, level by level (odds ratio against the factor's first level, from the"
            " fit of the factor's test), and levels too small to estimate. Denominator: the areas at each level.",
            percent=(),
        )
    )
