"""How results read in prose and on axes: p-values, shares, intervals, and factor, term and outcome names as a
reader says them. The sentences themselves live next to the functions whose results they state; they all
format through these, so a p-value or an interval reads the same everywhere."""

from __future__ import annotations

import re


def format_p(p) -> str:
    """A p-value as a reader expects it: '< 0.001' below that, else three decimals."""
    if p is None or p != p:
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def p_is(p) -> str:
    """'p = 0.130' or 'p < 0.001' for prose."""
    f = format_p(p)
    return f"p {f}" if f.startswith("<") else f"p = {f}"


def pct(x) -> str:
    return f"{x:.0%}"


def ci(r) -> str:
    """'0.44 (95% CI 0.22 to 0.89)' from a row with effect, ci_low and ci_high."""
    return f"{r['effect']:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f})"


def label(term: str) -> str:
    """A model term or factor as a reader names it ('ccg_coterminous=True' -> its label = True)."""
    from .data import registry

    name, _, level = str(term).partition("=")
    return registry.label(name) + (f" = {registry.value_label(level)}" if level else "")


def vs_label(text):
    """'odds ratio ..., vs dmo_in_post=Yes' -> '... vs designated medical officer in post = Yes'."""
    if not isinstance(text, str):
        return text
    return re.sub(r"\bvs ([a-z][a-z0-9_]*=.*)$", lambda m: "vs " + label(m.group(1)), text)


def outcome_label(level: str) -> str:
    from .data import registry

    return registry.value_label(level)


def by_unit(value, unit: str) -> str:
    """A value as a reader expects it for its unit: counts, people, ranks and years as whole numbers (a median
    half-way keeps one decimal), shares (0-1) and per cent with one decimal and a % sign, percentage points
    signed with 'pp', rates per 1,000 with one decimal; '–' when missing."""
    if value is None or value != value:
        return "–"
    v = float(value)
    if unit == "share 0-1":
        return f"{v:.1%}"
    if unit == "%":
        return f"{v:.1f}%"
    if unit == "percentage points":
        return f"{v:+.1f} pp"
    if unit in ("count", "people", "rank", "year"):
        return f"{v:,.0f}" if v == round(v) or unit != "count" else f"{v:,.1f}"
    return f"{v:,.1f}"


def ordinal(n: int) -> str:
    """1 -> '1st', 22 -> '22nd', 13 -> '13th'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def and_list(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """'1 area', '2 areas' (never 'area(s)')."""
    return f"{n:,} {noun if n == 1 else (plural_form or noun + 's')}"


def long_date(v) -> str:
    """A date as a reader writes it: '1 May 2024'; '' when missing."""
    import pandas as pd

    return "" if v is None or pd.isna(v) else f"{pd.Timestamp(v).day} {pd.Timestamp(v):%B %Y}"


def slug(text: str) -> str:
    """A heading's anchor: 'The primary question' -> 'the-primary-question' (letters, digits and hyphens only,
    so a heading that holds a data value still makes a safe id). The page's headings and every link to a
    section (the key findings) read it."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "section"


# a sentence ends at '.', '!' or '?' followed by a space and a capital, a digit or '*' (Markdown bold), unless
# the dot closes an abbreviation
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)[.!?](?=\s+[A-Z0-9*])")


def first_sentence(text: str, n: int = 1) -> str:
    """The opening sentence (or ``n`` sentences) of a generated paragraph, its headline, with the full stop."""
    text = " ".join(str(text).split())
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    return text[: ends[n - 1]] if len(ends) >= n else text


def md(value) -> str:
    """A value from data made safe to put into Markdown: ``&``, ``<`` and ``>`` HTML-escaped once, Markdown
    punctuation backslash-escaped, and ``:``, ``@`` and ``$`` written as character references, so an area name
    or a letter line can never become markup, a link (no autolinked URL or address) or maths."""
    import html

    text = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", html.escape(str(value), quote=False))
    return text.replace(":", "&#58;").replace("@", "&#64;").replace("$", "&#36;")


def safe_href(url) -> str | None:
    """``url`` if it is a link a page may carry (http, https, or a relative path to a page of the site), else
    None: a value from a data file never becomes a javascript: or data: link."""
    import pandas as pd

    if url is None or pd.isna(url) or not str(url).strip():
        return None
    u = str(url).strip()
    if re.match(r"^https?://", u, re.I) or re.match(r"^[A-Za-z0-9_./-]+\.html(#[\w-]*)?$", u) and ".." not in u:
        return u
    return None


def md_link(text: str, url) -> str:
    """A Markdown link to ``url`` (when :func:`safe_href` allows it; else the text alone), the text escaped
    by :func:`md` and the address's brackets, spaces and angle brackets percent-encoded so it stays one link."""
    u = safe_href(url)
    if not u:
        return md(text)
    for c, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        u = u.replace(c, code)
    return f"[{md(text)}]({u})"
