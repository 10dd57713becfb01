"""The house style and the few figure types the reports use. Functions take tidy frames (``data=``),
return the matplotlib Axes, and never call ``plt.show()`` or choose a backend."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .fileio import csv_text, xlsx_base64
from .wording import and_list, format_p, long_date, outcome_label, pct, safe_href, vs_label
from .wording import label as term_label
from .wording import md as md  # re-exported: the notebooks call plots.md


def setup() -> None:
    """House style; in a notebook, SVG figures without a date and with a fixed hash salt, and a seeded global
    random generator (reproducible)."""
    import numpy as np

    np.random.seed(0)  # seaborn's jitter draws from numpy's global generator: same figure on every render
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams["svg.hashsalt"] = "sendstats"
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, searchable, and much faster to write
    plt.rcParams["figure.dpi"] = 100
    plt.rcParams["text.parse_math"] = False  # a "$" in an area name is text, never maths
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    ip = get_ipython()
    if ip is not None:
        # no metadata block (date, creator): the same figure gives the same bytes, and fewer of them
        set_matplotlib_formats("svg", metadata=SVG_METADATA, bbox_inches="tight")
        # pyplot redraws every open figure with Agg after each cell (for GUI windows); inline figures are drawn
        # as SVG when displayed, so that draw is wasted: a third of a profile's kernel time
        try:
            ip.events.unregister("post_execute", plt._draw_all_if_interactive)
        except (AttributeError, ValueError):
            pass
        from matplotlib.figure import Figure

        svg = ip.display_formatter.formatters["image/svg+xml"]
        plain = svg.lookup_by_type(Figure)

        def with_alt(fig):  # the figure's alt text travels as output metadata; the HTML export uses it
            data = compact_svg(plain(fig))
            alt = getattr(fig, "sendstats_alt", None)
            return (data, {"alt": alt}) if alt else data

        svg.for_type(Figure, with_alt)


SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}  # none: same figure, same bytes
SVG_ATTRIBUTE = re.compile(r'(\s[\w:-]+=")([^"]*)"')


def compact_svg(svg: str, decimals: int = 2) -> str:
    """A figure's SVG with the coordinates in its attributes (paths, positions, transforms) cut to ``decimals``
    of a point, far below what a screen shows: about a tenth of a profile page. Text (labels, which may hold
    data) is left exactly as drawn."""
    long = re.compile(rf"(\d\.\d{{{decimals}}})\d+")
    return SVG_ATTRIBUTE.sub(lambda m: m.group(1) + long.sub(r"\1", m.group(2)) + '"', svg)


def alt(ax, text: str):
    """Give the figure of ``ax`` its alternative text (what it shows, from its data). Returns ``ax``."""
    ax.figure.sendstats_alt = " ".join(str(text).split())
    return ax


def _series_text(labels, values, lows=None, highs=None, fmt="{:.0%}") -> str:
    parts = []
    for i, (lab, v) in enumerate(zip(labels, values)):
        if v is None or v != v:
            continue
        ci = f" (95% CI {fmt.format(lows[i])} to {fmt.format(highs[i])})" if lows is not None else ""
        parts.append(f"{lab}: {fmt.format(v)}{ci}")
    return "; ".join(parts)


def _intervals(ax, x, lo, hi, pos, **kw):
    """Points at ``x`` with horizontal intervals [lo, hi] at heights ``pos``."""
    import numpy as np

    # a Wilson bound at k = 0 or k = n lands ~1e-16 on the wrong side of the share: clip to zero
    err = [
        np.clip(np.asarray(x, float) - np.asarray(lo, float), 0, None),
        np.clip(np.asarray(hi, float) - np.asarray(x, float), 0, None),
    ]
    return ax.errorbar(x, pos, xerr=err, fmt="o", capsize=3, **kw)


def share_with_ci(
    data, y: str, *, share="share", low="ci_low", high="ci_high", n="n", title=None, xlabel=None, ax=None
):
    """Horizontal point-and-interval plot of a share with its confidence interval, one row per ``y``,
    labelled with the denominator."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(data) + 1.2))
    from .data import registry

    labels = [f"{registry.value_label(v)} (n={int(m)})" for v, m in zip(data[y].astype(str), data[n])]
    pos = range(len(data))
    _intervals(ax, data[share], data[low], data[high], pos, color="C0", ecolor="0.4")
    ax.set_yticks(list(pos), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(xlabel or "share (95% Wilson interval)")
    if title:
        ax.set_title(title)
    what = xlabel or "share"
    return alt(
        ax,
        f"Chart{': ' + title if title else ''}. Points with 95% intervals of the {what}, one row per "
        f"group: " + _series_text(labels, list(data[share]), list(data[low]), list(data[high])) + ".",
    )


def percentiles(data, *, title: str):
    """Where an area stands on each factor: one point per row of ``data`` (columns factor, national
    percentile 0-1 as mid-ranks, better), a dashed line at the median; each factor's label says which way is
    better where it has a direction. No interval: a percentile of all areas is not an estimate. Returns the Axes."""
    from .wording import ordinal

    _, ax = plt.subplots(figsize=(7, 0.45 * len(data) + 1.2))
    pos = range(len(data))
    names = [f"{f} ({b})" if b and not b.startswith("no ") else f for f, b in zip(data["factor"], data["better"])]
    ax.plot(data["national percentile"], list(pos), "o", color="#0072B2")
    ax.axvline(0.5, color="0.5", ls="--", lw=1)
    ax.set_yticks(list(pos), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(
        "percentile: share of areas with a lower value plus half of those with the same value"
        "\n(dashed line: the median area)"
    )
    ax.set_title(title)
    parts = [f"{f}: {ordinal(round(100 * v))} percentile" for f, v in zip(names, data["national percentile"])]
    return alt(
        ax,
        f"Chart: {title}. Percentile among all areas (share with a lower value plus half of those with the same"
        " value), per factor: " + "; ".join(parts) + ".",
    )


# the lines of an area's trend chart: the area itself and the medians it is compared with (not outcomes, so
# none of the outcome colours; dash patterns differ too, for greyscale)
TREND_LINES = {
    "area": {"colour": "#000000", "dash": "", "width": 2.2},
    "region": {"colour": "#0072B2", "dash": "6 3", "width": 1.5},
    "neighbours": {"colour": "#CC79A7", "dash": "7 2 2 2", "width": 1.5},
    "England": {"colour": "#737373", "dash": "2 2", "width": 1.7},
}


def trend(data, measures: dict, *, name: str, title: str):
    """Small multiples of measures over years: one panel per measure of ``data`` (columns measure, year, area,
    region, neighbours, England: :func:`sendstats.areas.trends`), the area against the three medians. Drawn as
    SVG text directly (a line chart is a few polylines; matplotlib's SVG writer took a third of a profile's
    time), as a display object carrying its alt text."""
    import html

    from IPython.display import SVG

    e = html.escape
    names = {"area": name, "region": "region median", "neighbours": "neighbours' median", "England": "England median"}
    w, h, left, top, bottom = 330, 190, 44, 26, 28
    years = sorted(data["year"].unique())
    x0, x1 = years[0], max(years[-1], years[0] + 1)
    parts, panels = [], []
    for i, (col, what) in enumerate(measures.items()):
        d = data[data["measure"] == col].set_index("year")
        vals = d[list(TREND_LINES)].to_numpy(dtype=float)
        hi = float(pd.Series(vals.ravel()).max()) if pd.notna(vals).any() else 1.0
        step = next(s for s in (0.5, 1, 2, 5, 10, 20, 25, 50) if hi / s <= 5)
        ymax = step * (int(hi / step) + 1)
        ox = i * (w + 20)
        X = lambda y, ox=ox: ox + left + (y - x0) / (x1 - x0) * (w - left - 10)
        Y = lambda v, ymax=ymax: top + (1 - v / ymax) * (h - top - bottom)
        g = [f'<text x="{ox + left}" y="16" font-size="13">{e(what)}</text>']
        for k in range(int(ymax / step) + 1):
            v = k * step
            g.append(f'<line x1="{ox + left}" x2="{ox + w - 10}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#d9d9d9"/>')
            g.append(f'<text x="{ox + left - 5}" y="{Y(v) + 4:.1f}" font-size="11" text-anchor="end">{v:g}</text>')
        for y in years[:: max(1, len(years) // 5)]:
            g.append(f'<text x="{X(y):.1f}" y="{h - 10}" font-size="11" text-anchor="middle">{y}</text>')
        for key, st in TREND_LINES.items():
            pts = [(X(y), Y(v)) for y, v in d[key].items() if v == v]
            if not pts:
                continue
            dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
            g.append(
                f'<polyline fill="none" stroke="{st["colour"]}" stroke-width="{st["width"]}"{dash} points="'
                + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
                + '"/>'
            )
            if key == "area":
                g += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.6" fill="#000000"/>' for a, b in pts]
        panels.append("".join(g))
        have = d[d["area"].notna()]
        if len(have):
            f, r = have.iloc[0], have.iloc[-1]
            parts.append(
                f"{what}: {name} {f['area']:.1f} in {have.index[0]}, {r['area']:.1f} in {have.index[-1]}"
                f" (England median {r['England']:.1f}, region median {r['region']:.1f}, neighbours' median"
                f" {r['neighbours']:.1f})"
            )
        else:
            parts.append(f"{what}: no published value for {name}")
    width = len(measures) * (w + 20)
    legend, lx = [], left
    for key, st in TREND_LINES.items():
        dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
        legend.append(
            f'<line x1="{lx}" x2="{lx + 26}" y1="{h + 12}" y2="{h + 12}" stroke="{st["colour"]}"'
            f' stroke-width="{st["width"]}"{dash}/>'
            f'<text x="{lx + 31}" y="{h + 16}" font-size="11">{e(names[key])}</text>'
        )
        lx += 36 + 6.5 * len(names[key])
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h + 26}" viewBox="0 0 {width} {h + 26}"'
        ' font-family="sans-serif" fill="#262626">' + "".join(panels) + "".join(legend) + "</svg>"
    )
    return _WithAlt(SVG(svg), " ".join(f"Line charts: {title}. {'; '.join(parts)}.".split()))


def running_total(data, *, x: str, y: str, total: int, title: str):
    """A running total over time (one point per row, in order) against a line at ``total``."""
    _, ax = plt.subplots(figsize=(7, 3.5))
    pos = range(len(data))
    ax.step(list(pos), data[y], where="post", color="#0072B2")
    ax.axhline(total, color="0.5", ls="--", lw=1)
    step = max(1, len(data) // 8)
    ax.set_xticks(list(pos)[::step], list(data[x])[::step], rotation=30, ha="right")
    ax.set_ylim(0, total * 1.05)
    ax.set_ylabel(y)
    ax.set_title(title)
    last = data.iloc[-1]
    return alt(
        ax,
        f"Step chart: {title}. {y} by {x}, against a dashed line at all {total}: from {int(data[y].iat[0])} in "
        f"{data[x].iat[0]} to {int(last[y])} in {last[x]}.",
    )


def count_bars(data, x: str, y: str = "count", *, hue=None, title=None, xlabel=None, ylabel="number of areas", ax=None):
    """Bar chart of counts (e.g. the distribution of the number of weaknesses)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    from .data import registry

    shown = {v: registry.value_label(str(v)) for v in data[hue].unique()} if hue else {}
    palette = {v: COLOURS[t] for v, t in shown.items()} if shown and all(t in COLOURS for t in shown.values()) else None
    sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax, color=None if hue else "#0072B2", palette=palette)

    ax.set_xticks(ax.get_xticks(), [registry.value_label(t.get_text()) for t in ax.get_xticklabels()])
    ax.set_xlabel(xlabel or registry.label(x))
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if hue:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), frameon=False, title=registry.label(hue))
        rows = [
            f"{registry.value_label(h)}, {registry.value_label(v)}: {int(c)}"
            for v, h, c in zip(data[x], data[hue], data[y])
        ]
    else:
        rows = [f"{registry.value_label(v)}: {int(c)}" for v, c in zip(data[x], data[y])]
    return alt(
        ax,
        f"Bar chart{': ' + title if title else ''}. {ylabel} by {xlabel or registry.label(x)}: "
        + "; ".join(rows)
        + ".",
    )


P_COLUMNS = ("p_value", "q_value_bh", "mw_p_value")


class Table:
    """A report table: displayed as an HTML table (human headers from the registry, values escaped,
    integers as integers, shares as percentages, p-values as '< 0.001'), and carrying its data as CSV with
    the same headers, which the HTML export writes next to the page with a download link."""

    def __init__(self, df, caption: str, percent, uuid, links=None, name=None, data=None):
        import hashlib

        from .data import registry

        self.name = slug(name or caption)
        self._given_download = data

        if "fit_note" in df.columns and not df["fit_note"].fillna("").astype(str).str.len().any():
            df = df.drop(columns="fit_note")  # no fit warned: no empty "fit warning" column
        self.df, self.caption = df, caption
        df = df.assign(**{c: df[c].map(term_label) for c in ("term", "factor") if c in df.columns})
        for c in ("unit", "effect_name"):  # '... vs wsoa_2016=no WSoA' -> '... vs 2016 WSoA = no WSoA'
            if c in df.columns:
                df = df.assign(**{c: df[c].map(vs_label)})
        shown = _labelled(df)
        fmt = {}
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
        from .config import TABLE_CSV_MIME, TABLE_NAME_MIME

        return {"text/html": self.styler.to_html(), TABLE_CSV_MIME: self.csv, TABLE_NAME_MIME: self.name}


def slug(text: str, words: int = 6) -> str:
    """A table's file name part from its name or caption: its first ``words`` words, lower case, hyphenated
    ('By Ofsted region, 2016 framework. ...' -> 'by-ofsted-region-2016-framework')."""
    first = re.split(r"(?<=[.;:])\s", str(text).strip(), maxsplit=1)[0]
    parts = re.findall(r"[a-z0-9]+", first.lower())[:words]
    return "-".join(parts) or "table"


def _labelled(df):
    """``df`` as a reader sees it: human headers and coded values as words (both from the registry)."""
    from .data import registry

    out = df.rename(columns=lambda c: registry.label(c) if isinstance(c, str) else c)
    return out.apply(
        lambda col: (
            col.map(registry.value_label)
            if col.dtype == object or str(col.dtype) in ("string", "str", "category")
            else col
        )
    )


def _for_analysis(df):
    """A frame as an analysis-ready download: :func:`_labelled`, numbers as numbers, dates as ISO dates."""
    out = _labelled(df)
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


def outcome_figure(data, by: str, framework: str, *, title=None):
    """The figure for an ``outcome_summary(..., by=by)`` frame: WSoA share with intervals (2016), or
    each outcome's share with intervals, side by side per group (2023)."""
    if str(framework) == "2016":
        return share_with_ci(
            data, by, title=title, xlabel="share of areas required to write a WSoA (95% Wilson interval)"
        )
    groups = list(dict.fromkeys(data[by].astype(str)))
    _, ax = plt.subplots(figsize=(7, 0.9 * len(groups) + 1.5))
    offsets = {"positive": -0.22, "inconsistent": 0.0, "systemic_failings": 0.22}
    for level, off in offsets.items():
        d = data[data["outcome"].astype(str) == level]
        pos = [groups.index(g) + off for g in d[by].astype(str)]
        colour = COLOURS[outcome_label(level)]
        _intervals(ax, d["share"], d["ci_low"], d["ci_high"], pos, color=colour, label=outcome_label(level))
    n = data.drop_duplicates(by)["n"].tolist()
    ax.set_yticks(range(len(groups)), [f"{g} (n={m})" for g, m in zip(groups, n)])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of inspections (95% Wilson interval)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)  # never over a point
    if title:
        ax.set_title(title)
    rows = []
    for g in groups:
        d = data[data[by].astype(str) == g]
        rows.append(
            f"{g}: " + ", ".join(f"{outcome_label(str(r['outcome']))} {pct(r['share'])}" for _, r in d.iterrows())
        )
    return alt(
        ax,
        f"Chart{': ' + title if title else ''}. Share of inspections with each outcome, with 95% "
        "intervals, per group: " + "; ".join(rows) + ".",
    )


def forest(data, *, label="term", title=None, xlabel="odds ratio (95% CI, log scale)", ax=None):
    """Forest plot of odds ratios: one row per ``label`` with its interval; a line at 1 (no association)."""
    import numpy as np

    d = data.dropna(subset=["odds_ratio", "ci_low", "ci_high"])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(d) + 1.3))
    pos = np.arange(len(d))
    _intervals(ax, d["odds_ratio"], d["ci_low"], d["ci_high"], pos, color="C0", ecolor="0.4")
    ax.axvline(1, color="0.5", lw=1, ls="--")
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    lo, hi = float(d["ci_low"].min()), float(d["ci_high"].max())
    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if lo / 1.5 <= t <= hi * 1.5] or [1]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    names = [term_label(t) if re.match(r"^[a-z][a-z0-9_]*(=.*)?$", str(t)) else str(t) for t in d[label]]
    ax.set_yticks(pos, names)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    text = _series_text(names, list(d["odds_ratio"]), list(d["ci_low"]), list(d["ci_high"]), "{:.2f}")
    return alt(
        ax,
        f"Forest plot{': ' + title if title else ''}. Odds ratio with 95% interval per term, on a log "
        f"scale with a line at 1 (no association): {text}.",
    )


def spec_curve(curve, choices, *, title: str):
    """A specification curve (:mod:`sendstats.questions.robustness`): the odds ratios of every specification,
    sorted, with their 95% intervals on a log scale (filled where the interval excludes 1), and beneath them an
    indicator panel with one row per level of each choice in ``choices`` (columns of ``curve``), marked where
    the specification uses it. Returns the figure's two Axes (estimates, indicators)."""
    import numpy as np

    n = len(curve)
    ordered = curve.sort_values("specification")  # levels in the order the choices were made
    rows = [(c, level) for c in choices for level in dict.fromkeys(ordered[c])]
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(7, 3.2 + 0.28 * len(rows)),
        sharex=True,
        gridspec_kw={"height_ratios": [3, 0.28 * len(rows) + 0.4]},
    )
    x = np.arange(n)
    lo, hi = curve["ci_low"].to_numpy(float), curve["ci_high"].to_numpy(float)
    est = curve["odds_ratio"].to_numpy(float)
    top.vlines(x, lo, hi, color="0.5", lw=1)
    excl = curve["excludes_1"].to_numpy(bool)
    top.scatter(x[excl], est[excl], color="C0", zorder=3, label="interval excludes 1")
    top.scatter(x[~excl], est[~excl], facecolor="white", edgecolor="C0", zorder=3, label="interval includes 1")
    top.axhline(1, color="0.5", lw=1, ls="--")
    top.set_yscale("log")
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50) if lo.min() / 1.5 <= t <= hi.max() * 1.5] or [1]
    top.yaxis.set_major_locator(FixedLocator(ticks))
    top.set_yticks(ticks, [f"{t:g}" for t in ticks])
    top.yaxis.set_minor_locator(NullLocator())
    top.yaxis.set_minor_formatter(NullFormatter())
    top.set_ylabel("odds ratio (95% CI, log scale)")
    top.legend(loc="best", frameon=False, fontsize=8)
    top.set_title(title)
    for j, (c, level) in enumerate(rows):
        used = (curve[c] == level).to_numpy()
        bottom.scatter(x[used], np.full(used.sum(), j), marker="s", color="0.2", s=14)
    bottom.set_yticks(range(len(rows)), [f"{c}: {level}" for c, level in rows], fontsize=8)
    bottom.set_ylim(len(rows) - 0.5, -0.5)
    bottom.set_xticks(x, [str(i + 1) for i in x], fontsize=7)
    bottom.set_xlabel("specification, sorted by odds ratio")
    k = int(excl.sum())
    alt(
        top,
        f"Specification curve: {title}. {n} odds ratios sorted from {est.min():.2f} to {est.max():.2f}, each with its"
        f" 95% interval on a log scale; {k} of the {n} intervals exclude 1. Beneath, which choice each specification"
        f" makes: {'; '.join(f'{c} ' + ', '.join(map(str, dict.fromkeys(ordered[c]))) for c in choices)}.",
    )
    return top, bottom


def flow(steps, *, title: str):
    """A flow diagram (STROBE item 13) of ``steps`` (:mod:`sendstats.questions.samples`): one box per stage with its
    n, top to bottom, and beside each arrow the areas left out and why. Returns the Axes."""
    k = len(steps)
    fig, ax = plt.subplots(figsize=(7.5, 1.1 * k + 0.4))
    ax.set_xlim(0, 10)
    ax.set_ylim(k - 0.4, -0.6)
    ax.axis("off")
    for i, r in enumerate(steps.to_dict("records")):
        ax.text(
            3.2,
            i,
            f"{r['stage']}\nn = {r['n']}",
            ha="center",
            va="center",
            fontsize=8,
            wrap=True,
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.3"},
        )
        if i:
            ax.annotate("", xy=(3.2, i - 0.32), xytext=(3.2, i - 0.68), arrowprops={"arrowstyle": "->", "color": "0.3"})
            if r["left out"]:
                ax.text(6.6, i - 0.5, f"left out: {r['left out']}\n({r['why']})", ha="left", va="center", fontsize=7)
    ax.set_title(title)
    parts = [
        f"{r['stage']}: {r['n']}" + (f" ({r['left out']} left out: {r['why']})" if r["left out"] else "")
        for r in steps.to_dict("records")
    ]
    return alt(ax, f"Flow diagram: {title}. " + "; then ".join(parts) + ".")


# One colour per outcome, on every chart and map (Okabe-Ito's colour-blind-safe set; the failings and WSoA
# colours are the darkest, so they stay apart in greyscale too). Legends list outcomes in this order.
COLOURS = {
    "WSoA required": "#D55E00",
    "no WSoA": "#56B4E9",
    "not inspected": "#d5d8dc",
    "typically positive": "#009E73",
    "inconsistent": "#E69F00",
    "widespread or systemic failings": "#882255",
    "no outcome in sources": "#aab7b8",
    "not inspected yet": "#eaeded",
}


@lru_cache(maxsize=2)
def _rings(geometries: tuple) -> dict:
    """Exterior rings of each area's polygons (simplified for drawing), parsed once per process."""
    from shapely import wkt

    out = {}
    for code, text in geometries:
        geom = wkt.loads(text).simplify(0.008, preserve_topology=True)  # under a kilometre: invisible at page size
        out[code] = [
            list(p.exterior.coords)
            for p in getattr(geom, "geoms", [geom])
            if p.geom_type == "Polygon" and p.area > 1e-5
        ]  # drop specks (tiny islands)
    return out


def _map_text(categories, title: str, order, where: str = "England") -> str:
    counts = categories["category"].value_counts()
    return (
        f"Map of the {len(categories)} SEND local areas of {where} (May 2023 boundaries): {title}. "
        + "; ".join(f"{c}: {int(counts.get(c, 0))} area{'' if counts.get(c, 0) == 1 else 's'}" for c in order)
        + "."
    )


def england_map(categories, *, title: str, order, ax=None, where: str = "England"):
    """A static map of England's SEND local areas (May 2023 geography) coloured by ``categories`` (a frame
    with area_code, area, category, one row per area of ``area_shapes``), with a legend giving each
    category's count. Each area's shapes carry the SVG id ``area-<code>-<n>``. Returns the Axes (alt text set
    from the counts)."""
    from matplotlib.patches import Patch, Polygon

    from .data.store import load_table

    shapes = load_table("area_shapes")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 7))
    rings = _rings(tuple(zip(shapes["area_code"], shapes["geometry_wkt"])))
    for code, cat in zip(categories["area_code"], categories["category"]):
        for i, ring in enumerate(rings.get(code, [])):
            patch = Polygon(ring, closed=True, facecolor=COLOURS.get(cat, "#ffffff"), edgecolor="white", linewidth=0.3)
            patch.set_gid(f"area-{code}-{i}")
            ax.add_patch(patch)
    ax.autoscale_view()
    ax.set_aspect(1 / 0.6)  # longitude is about 0.6 of latitude at 53 degrees north
    ax.set_axis_off()
    counts = categories["category"].value_counts()
    handles = [Patch(facecolor=COLOURS[c], label=f"{c} ({int(counts.get(c, 0))})") for c in order]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    ax.set_title(title)
    return alt(ax, _map_text(categories, title, order, where))


def causal_diagram(confounders, ax=None):
    """The analysis plan's causal diagram (docs/analysis_plan.md): the ``confounders`` (their names, e.g. the
    primary model's :data:`sendstats.questions.wsoa.CONFOUNDERS`; shown by their labels), exposure, mediators and
    outcome."""
    confounders = [term_label(c) for c in confounders]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * len(confounders)))
    exposure, outcome = "CCG structure\n(exposure)", "WSoA required\n(outcome)"
    mediators = ["EHC-plan timeliness\n(mediator)", "appeal rate\n(mediator)"]
    step = 0.8 / max(len(confounders) - 1, 1)
    nodes = {c: (0.13, 0.9 - i * step) for i, c in enumerate(confounders)}
    nodes.update({exposure: (0.45, 0.5), mediators[0]: (0.7, 0.82), mediators[1]: (0.7, 0.18), outcome: (0.93, 0.5)})
    style = {exposure: "#d6eaf8", outcome: "#fadbd8"}
    for name, (x, y) in nodes.items():
        ax.text(
            x,
            y,
            textwrap.fill(name, 24) if name in confounders else name,
            ha="center",
            va="center",
            fontsize=8.5,
            bbox={"boxstyle": "round", "facecolor": style.get(name, "#f2f3f4"), "edgecolor": "0.4"},
        )
    edges = [(c, t) for c in confounders for t in (exposure, outcome)]
    edges += [(exposure, m) for m in mediators] + [(m, outcome) for m in mediators] + [(exposure, outcome)]
    for a, b in edges:
        (x0, y0), (x1, y1) = nodes[a], nodes[b]
        ax.annotate(
            "",
            xy=(x1 - 0.06 * (x1 > x0), y1),
            xytext=(x0 + 0.11 * (a in confounders) + 0.07 * (a not in confounders), y0),
            arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 0.8, "shrinkA": 6, "shrinkB": 12},
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.set_title("Causal diagram of the analysis plan")
    return alt(
        ax,
        f"Causal diagram: {and_list(confounders)} each point to CCG structure (the exposure) and to WSoA required"
        " (the outcome), so the primary model adjusts for them; CCG structure points to EHC-plan timeliness and"
        " the appeal rate (mediators), which point to WSoA required, so the primary model does not adjust for"
        " them; CCG structure also points directly to WSoA required.",
    )


@lru_cache(maxsize=16)
def _map_svg(cells: tuple, title: str, order: tuple, where: str) -> str:
    """:func:`england_map` as SVG text, drawn once per process and reused (a profile only adds a CSS outline)."""
    from IPython.core.pylabtools import print_figure

    fig, ax = plt.subplots(figsize=(5.5, 5))
    england_map(pd.DataFrame(cells, columns=["area_code", "category"]), title=title, order=order, ax=ax, where=where)
    svg = print_figure(fig, "svg", bbox_inches="tight", metadata=SVG_METADATA)
    plt.close(fig)
    svg = svg.decode() if isinstance(svg, bytes) else svg
    # every profile page carries this map: coordinates to 0.1 pt (invisible at this size) and one line per path
    # make it 40% smaller
    return re.sub(r"\s*\n\s*(?=[MLCQz]\b)", " ", compact_svg(svg, decimals=1))


@lru_cache(maxsize=16)
def _svg_polygons(svg: str) -> dict:
    """Each area's shapes in the SVG's own coordinates (from the ``area-<code>-<n>`` groups' paths), as one
    shapely geometry per area code; once per map (every profile of a region shares its map). Read-only."""
    from shapely.geometry import MultiPolygon, Polygon

    rings: dict = {}
    for code, d in re.findall(r'<g id="area-([A-Z0-9]+)-\d+">\s*<path d="([^"]+)"', svg):
        xy = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
        pts = list(zip(xy[0::2], xy[1::2]))
        if len(pts) >= 3:
            rings.setdefault(code, []).append(Polygon(pts).buffer(0))
    return {c: MultiPolygon([g for p in ps for g in getattr(p, "geoms", [p])]) for c, ps in rings.items()}


def _free_spot(point, text: str, placed: list):
    """``point``, or the nearest spot above or below it where ``text`` (7 pt) overlaps no label in ``placed``
    (a list of boxes, appended to)."""
    from shapely.geometry import Point, box

    w = 3.6 * len(text) + 2
    for dy in (0, 8, -8, 16, -16, 24, -24):
        b = box(point.x - w / 2, point.y + dy - 7, point.x + w / 2, point.y + dy + 1)
        if not any(b.intersects(o) for o in placed):
            break
    placed.append(b)
    return Point(point.x, point.y + dy)


def _svg_label(point, text: str, *, bold: bool = False) -> str:
    from html import escape

    weight = "bold" if bold else "normal"
    return (
        f'<text x="{point.x:.1f}" y="{point.y:.1f}" text-anchor="middle" font-family="sans-serif" font-size="7"'
        f' font-weight="{weight}" fill="#000000" stroke="#ffffff" stroke-width="2" paint-order="stroke">'
        f"{escape(text)}</text>"
    )


def area_on_map(categories, code: str, *, title: str, order, where: str = "England"):
    """A map of ``categories`` (all of England, or the areas of one region: ``where`` names it) with one area
    outlined in black and labelled, and the areas that border it labelled, as an SVG display object carrying
    its alt text. (The outline's style is ``!important``: matplotlib writes each shape's white edge as an
    inline style, which an ordinary style sheet rule would lose to.)"""
    from IPython.display import SVG

    base = _map_svg(tuple(zip(categories["area_code"], categories["category"])), title, tuple(order), where)
    shapes = _svg_polygons(base)
    j = base.index(">", base.index("<svg")) + 1
    style = f'g[id^="area-{code}-"] path {{stroke: #000000 !important; stroke-width: 2.5px !important}}'
    svg = base[:j] + f"<style>{style}</style>" + base[j:]
    names = dict(zip(categories["area_code"], categories["area"]))
    me = categories[categories["area_code"] == code]
    outlined = labelled = ""
    if code in shapes:
        near = [c for c, g in shapes.items() if c != code and g.distance(shapes[code]) < 1.0]
        placed: list = []
        labels = [
            _svg_label(
                _free_spot(shapes[code].representative_point(), names.get(code, code), placed),
                names.get(code, code),
                bold=True,
            )
        ]
        labels += [
            _svg_label(_free_spot(shapes[c].representative_point(), names[c], placed), names[c])
            for c in sorted(near)
            if c in names
        ]
        k = svg.rindex("</svg>")
        svg = svg[:k] + '<g id="labels">' + "".join(labels) + "</g>" + svg[k:]
        if near:
            border = and_list(sorted(names[c] for c in near if c in names))
            labelled = f" Labelled: {names.get(code, code)} and the areas that border it, {border}."
    if len(me):
        outlined = f" {me['area'].iat[0]} is outlined in black ({me['category'].iat[0]})."
    return _WithAlt(SVG(svg), " ".join((_map_text(categories, title, order, where) + outlined + labelled).split()))


class _WithAlt:
    """A display object whose SVG output carries alt text in its metadata (the HTML export uses it)."""

    def __init__(self, svg, alt_text: str):
        self.svg, self.alt = svg, alt_text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg.data}, {"image/svg+xml": {"alt": self.alt}}


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
    """The areas page's table: one row per area (:func:`sendstats.areas.summary`), each area's name linking to
    its profile, a filter box (each word typed must begin a word of the area's name, another name it goes by,
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

        from .config import TABLE_CSV_MIME, TABLE_NAME_MIME, TABLE_XLSX_MIME

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
        from .wording import slug

        if not self.items:
            return "The key findings are added here as the sections below are computed."
        return "\n".join(f"- {s} ([{section}](#{slug(section)}))" for s, section in self.items)

    def add(self, paragraph: str, section: str, sentences: int = 1) -> None:
        """Add the opening sentence (or ``sentences``) of ``paragraph``, generated from a result, linked to the
        heading ``section`` of this page; at most :attr:`MOST` findings."""
        from .wording import first_sentence

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


def show_contrasts(screen) -> None:
    """Under a factor screen (:func:`sendstats.stats.screen`): the rule for its factors of more than two
    levels and its sparse levels, and their level-by-level table, when it has any."""
    from IPython.display import Markdown, display

    from .stats import describe_contrasts

    con = screen.attrs.get("contrasts")
    if con is None or not len(con):
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
