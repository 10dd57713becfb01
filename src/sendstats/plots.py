"""The house style and the few figure types the reports use: figures only (the tables, key findings and other
page parts are :mod:`sendstats.render.page`). Functions take tidy frames (``data=``), never call
``plt.show()`` or choose a backend, and return what they drew, each with its alt text: the matplotlib Axes,
the two Axes of a specification curve, or an SVG figure for the charts drawn as SVG (each docstring's
Returns section says which)."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .vocabulary import CATEGORY_LABELS
from .wording import and_list, outcome_label, pct
from .wording import label as term_label


def setup() -> None:
    """House style; in a notebook, SVG figures without a date and with a fixed hash salt (reproducible). No
    global random state is set: a figure that draws at random (:func:`strip`) has a generator of its own.

    Returns
    -------
    None"""
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
    data) is left exactly as drawn.

    Returns
    -------
    str: the SVG text"""
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
    labelled with the denominator.

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
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
    region, neighbours, England: :func:`sendstats.questions.profiles.trends`), the area against the three
    medians. Drawn as SVG text directly (a line chart is a few polylines; matplotlib's SVG writer took a third
    of a profile's time), as a display object carrying its alt text.

    Returns
    -------
    an SVG figure with its alt text (drawn as SVG, one small chart per measure)"""
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
    legend: list[str] = []
    lx: float = left
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
    """A running total over time (one point per row, in order) against a line at ``total``.

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
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


def strip(data: pd.DataFrame, x: str, y: str, order, title: str, ax=None):
    """A strip chart: one point per row of ``data`` at its ``x`` value, one row of points per level of ``y``
    (in ``order``), spread vertically by a jitter drawn from a generator of its own with the package's seed
    (:data:`sendstats.stats.SEED`), so the figure is the same on every render and no global state is touched.
    Axis labels are the columns' labels; the alt text gives each level's count, median and range.

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
    from .stats import SEED

    rng = np.random.default_rng(SEED)
    ax = ax or plt.subplots(figsize=(7, 1 + 0.6 * len(order)))[1]
    parts = []
    for row, level in enumerate(order):
        values = data.loc[data[y] == level, x].dropna()
        ax.scatter(values, row + rng.uniform(-0.2, 0.2, len(values)), s=18, color="C0", alpha=0.8)
        if len(values):
            parts.append(
                f"{level}: {len(values)} areas, median {values.median():.0f} (range {values.min()} to {values.max()})"
            )
    ax.set_yticks(range(len(order)), [str(o) for o in order])
    ax.invert_yaxis()
    ax.set_xlabel(term_label(x))
    ax.set_ylabel(term_label(y))
    ax.set_title(title)
    return alt(
        ax,
        f"Strip chart: {title}. The {term_label(x)} of each area, one row of points per {term_label(y)}: "
        + "; ".join(parts)
        + ".",
    )


def time_to_event(km, *, title: str, xlabel: str, ylabel: str, who: str, event: str, since: str):
    """The Kaplan-Meier share that has had the event (one minus survival) as a step chart, from a
    :class:`sendstats.stats.KaplanMeier`; the alt text gives how many had the event, how many are censored and
    the median (``who``: "WSoA areas"; ``event``: "revisited"; ``since``: what the time counts from).

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
    _, ax = plt.subplots(figsize=(7, 3.5))
    ax.step(np.r_[0, km.table["time"]], 1 - np.r_[1, km.table["survival"]], where="post", color="C0")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    half = (
        f"half had been {event} after {km.median:.1f} years" if km.median == km.median else "the median is not reached"
    )
    return alt(
        ax,
        f"Step chart: the Kaplan-Meier share of the {km.n} {who} {event}, against {since}; {km.n_events} {event},"
        f" {km.n_censored} censored at the end of the data; {half}.",
    )


def count_bars(data, x: str, y: str = "count", *, hue=None, title=None, xlabel=None, ylabel="number of areas", ax=None):
    """Bar chart of counts (e.g. the distribution of the number of weaknesses).

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    from .data import registry

    codes = [str(v) for v in data[hue].unique()] if hue else []
    palette = {v: COLOURS[v] for v in codes} if codes and all(v in COLOURS for v in codes) else None
    sns.barplot(
        data=data, x=x, y=y, hue=hue, ax=ax, color=None if hue else "#0072B2", palette=palette, errorbar=None
    )  # one count per bar: no error bar, so no bootstrap and no random draw

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


def labelled(df):
    """``df`` as a reader sees it: human headers and coded values as words (both from the registry).

    Returns
    -------
    pandas.DataFrame: the frame with coded values as a reader names them"""
    from .data import registry

    out = df.rename(columns=lambda c: registry.label(c) if isinstance(c, str) else c)
    return out.apply(
        lambda col: (
            col.map(registry.value_label)
            if col.dtype == object or str(col.dtype) in ("string", "str", "category")
            else col
        )
    )


def outcome_figure(data, by: str, framework: str, *, title=None):
    """The figure for an ``outcome_summary(..., by=by)`` frame: WSoA share with intervals (2016), or
    each outcome's share with intervals, side by side per group (2023).

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
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
        colour = COLOURS[level]
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
    """Forest plot of odds ratios: one row per ``label`` with its interval; a line at 1 (no association).

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
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
# Keyed by the category codes of vocabulary.CATEGORY_LABELS, so rewording a label changes no colour.
COLOURS = {
    "wsoa": "#D55E00",
    "no_wsoa": "#56B4E9",
    "not_inspected": "#d5d8dc",
    "positive": "#009E73",
    "inconsistent": "#E69F00",
    "systemic_failings": "#882255",
    "no_outcome": "#aab7b8",
    "not_inspected_yet": "#eaeded",
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
        + "; ".join(
            f"{CATEGORY_LABELS[c]}: {int(counts.get(c, 0))} area{'' if counts.get(c, 0) == 1 else 's'}" for c in order
        )
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
    handles = [Patch(facecolor=COLOURS[c], label=f"{CATEGORY_LABELS[c]} ({int(counts.get(c, 0))})") for c in order]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    ax.set_title(title)
    return alt(ax, _map_text(categories, title, order, where))


def causal_diagram(confounders, ax=None):
    """The analysis plan's causal diagram (docs/analysis_plan.md): the ``confounders`` (their names, e.g. the
    primary model's :data:`sendstats.questions.wsoa.CONFOUNDERS`; shown by their labels), exposure, mediators and
    outcome.

    Returns
    -------
    matplotlib.axes.Axes, with its alt text"""
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
    inline style, which an ordinary style sheet rule would lose to.)

    Returns
    -------
    an SVG figure with its alt text"""
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
        outlined = f" {me['area'].iat[0]} is outlined in black ({CATEGORY_LABELS[me['category'].iat[0]]})."
    return _WithAlt(SVG(svg), " ".join((_map_text(categories, title, order, where) + outlined + labelled).split()))


class _WithAlt:
    """A display object whose SVG output carries alt text in its metadata (the HTML export uses it)."""

    def __init__(self, svg, alt_text: str):
        self.svg, self.alt = svg, alt_text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg.data}, {"image/svg+xml": {"alt": self.alt}}
