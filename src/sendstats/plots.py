"""The house style and the few figure types the reports use. Functions take tidy frames (``data=``),
return the matplotlib Axes, and never call ``plt.show()`` or choose a backend."""

from __future__ import annotations

import re
from functools import lru_cache

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .fileio import spreadsheet_safe


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
        set_matplotlib_formats("svg", metadata={"Date": None}, bbox_inches="tight")
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
            data = plain(fig)
            alt = getattr(fig, "sendstats_alt", None)
            return (data, {"alt": alt}) if alt else data

        svg.for_type(Figure, with_alt)


def md(value) -> str:
    """A value from data made safe to put into Markdown: ``&``, ``<`` and ``>`` HTML-escaped once, Markdown
    punctuation backslash-escaped, and ``:``, ``@`` and ``$`` written as character references, so an area name
    or a letter line can never become markup, a link (no autolinked URL or address) or maths."""
    import html
    import re

    text = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", html.escape(str(value), quote=False))
    return text.replace(":", "&#58;").replace("@", "&#64;").replace("$", "&#36;")


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


def count_bars(data, x: str, y: str = "count", *, hue=None, title=None, xlabel=None, ylabel="number of areas", ax=None):
    """Bar chart of counts (e.g. the distribution of the number of weaknesses)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax, color=None if hue else "C0")
    from .data import registry

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


def p_is(p) -> str:
    """'p = 0.130' or 'p < 0.001' for prose."""
    f = format_p(p)
    return f"p {f}" if f.startswith("<") else f"p = {f}"


def format_p(p) -> str:
    """A p-value as a reader expects it: '< 0.001' below that, else three decimals."""
    if p is None or p != p:
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


class Table:
    """A report table: displayed as an HTML table (human headers from the registry, values escaped,
    integers as integers, shares as percentages, p-values as '< 0.001'), and carrying its data as CSV with
    the same headers, which the HTML export writes next to the page with a download link."""

    def __init__(self, df, caption: str, percent, uuid):
        import hashlib

        from .data import registry

        if "fit_note" in df.columns and not df["fit_note"].fillna("").astype(str).str.len().any():
            df = df.drop(columns="fit_note")  # no fit warned: no empty "fit warning" column
        self.df, self.caption = df, caption
        df = df.assign(**{c: df[c].map(_label) for c in ("term", "factor") if c in df.columns})
        for c in ("unit", "effect_name"):  # '... vs wsoa_2016=no WSoA' -> '... vs 2016 WSoA = no WSoA'
            if c in df.columns:
                df = df.assign(**{c: df[c].map(_vs_label)})
        shown = df.rename(columns=lambda c: registry.label(c) if isinstance(c, str) else c)
        shown = shown.apply(
            lambda col: (
                col.map(registry.value_label)
                if col.dtype == object or str(col.dtype) in ("string", "str", "category")
                else col
            )
        )
        fmt = {}
        for c in df.columns:
            lab = registry.label(c) if isinstance(c, str) else c
            col = df[c]
            if c in percent:
                fmt[lab] = lambda v: "–" if v != v else f"{v:.1%}"
            elif c in P_COLUMNS:
                fmt[lab] = format_p
            elif col.dtype.kind == "M":
                fmt[lab] = lambda v: "–" if pd.isna(v) else v.strftime("%d %b %Y")
            elif col.dtype.kind == "f":
                whole = col.dropna().pipe(lambda v: bool(len(v)) and bool((v == v.round()).all()))
                fmt[lab] = "{:.0f}" if whole else "{:.3f}"
        self.csv = spreadsheet_safe(shown).to_csv(index=False)
        import html

        sty = (
            shown.style.format(fmt, na_rep="–", escape="html")
            .format_index(escape="html", axis=1)
            .hide(axis="index")
            .set_caption(html.escape(caption))
        )
        self.styler = sty.set_uuid(uuid or hashlib.sha256(caption.encode()).hexdigest()[:8])

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .config import TABLE_CSV_MIME

        return {"text/html": self.styler.to_html(), TABLE_CSV_MIME: self.csv}


def table(df, caption: str, *, percent=("share", "ci_low", "ci_high"), uuid: str | None = None) -> Table:
    """A report table (see :class:`Table`); ``percent`` columns are shares shown as percentages."""
    return Table(df, caption, tuple(percent), uuid)


def outcome_label(level: str) -> str:
    from .data import registry

    return registry.value_label(level)


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
    for i, (level, off) in enumerate(offsets.items()):
        d = data[data["outcome"].astype(str) == level]
        pos = [groups.index(g) + off for g in d[by].astype(str)]
        _intervals(ax, d["share"], d["ci_low"], d["ci_high"], pos, color=f"C{i}", label=outcome_label(level))
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
            f"{g}: " + ", ".join(f"{outcome_label(str(r['outcome']))} {_pct(r['share'])}" for _, r in d.iterrows())
        )
    return alt(
        ax,
        f"Chart{': ' + title if title else ''}. Share of inspections with each outcome, with 95% "
        "intervals, per group: " + "; ".join(rows) + ".",
    )


def _pct(x) -> str:
    return f"{x:.0%}"


def describe_overall(overall, framework: str) -> str:
    """One plain-English paragraph for the overall table."""
    if str(framework) == "2016":
        r = overall.iloc[0].to_dict()
        r.update({k: int(r[k]) for k in ("n", "n_wsoa", "n_predecessors")})
        pred = f" (including {r['n_predecessors']} predecessor area(s))" if r["n_predecessors"] else ""
        return (
            f"Of {r['n']} inspected areas{pred}, {r['n_wsoa']} ({_pct(r['share'])}; 95% CI "
            f"{_pct(r['ci_low'])} to {_pct(r['ci_high'])}) were required to write a WSoA. The interval describes "
            "uncertainty if these areas are seen as a sample of how areas perform; it says nothing about causes."
        )
    parts = [
        f"{outcome_label(str(r['outcome']))}: {r['count']} ({_pct(r['share'])}; 95% CI "
        f"{_pct(r['ci_low'])} to {_pct(r['ci_high'])})"
        for _, r in overall.iterrows()
    ]
    n, miss = overall["n"].iat[0], overall["n_no_outcome"].iat[0]
    tail = f" {miss} inspection(s) without a published outcome in the sources are not counted." if miss else ""
    return f"Of {n} inspections with an outcome: " + "; ".join(parts) + "." + tail


def describe_2023_years(y23, as_at=None, basis="inspected") -> str:
    """The sentence above the 2023-framework table by year: its basis, each year's total, and the inspections
    without a date (counted as "date unknown", or left out by ``as_at``)."""
    verb = "started" if basis == "inspected" else "was published"
    if not len(y23):
        return (
            f"No 2023-framework inspection {verb} on or before {as_at}: the framework's first inspections began in"
            " January 2023."
        )
    per = y23.groupby("year", dropna=False, sort=True).agg(n=("n", "first"), none=("n_no_outcome", "first"))
    years = "; ".join(
        f"{'date unknown' if pd.isna(y) else int(y)}: {int(r['n'])}" for y, r in per.iterrows() if r["n"] or r["none"]
    )
    basis_text = (
        "by the year the inspection started (the basis of Ofsted's own counts)"
        if basis == "inspected"
        else "by the year the report was published"
    )
    undated = int(y23.drop_duplicates("year")["n_date_unknown"].sum())
    left = int(y23["n_undated_left_out"].iat[0])
    none = int(per["none"].sum())
    notes = []
    if undated:
        notes.append(f'{undated} inspection(s) with no start date in any source are counted under "date unknown"')
    if left:
        notes.append(
            f"{left} inspection(s) with no start date in any source are left out, as it is unknown whether they"
            f" {verb.split()[-1]} by {as_at}"
        )
    if none:
        notes.append(f"{none} inspection(s) without a published outcome are not in the shares")
    return f"Inspections with an outcome, counted {basis_text}: {years}." + (
        " " + "; ".join(notes) + "." if notes else ""
    )


def describe_reinspections(again) -> str:
    if not len(again):
        return "No area had been inspected twice under the 2023 framework in the sources."
    same = int((again["first_outcome"].astype(str) == again["second_outcome"].astype(str)).sum())
    names = ", ".join(again["area"].astype(str))
    return (
        f"{len(again)} area(s) inspected twice under the 2023 framework ({names}); {same} of them had the same"
        " outcome both times. The next inspection is due within 18 months after widespread or systemic failings,"
        " 3 years after an inconsistent outcome and 5 years after a typically positive one (the snapshots' 'next"
        " inspection' column), so the areas re-inspected so far are not a random sample."
    )


def describe_selection(mw: dict, fisher: dict, n_in: int, n_out: int) -> str:
    """The selection check of report 04: 2016 inspection timing and result of areas already inspected under
    the 2023 framework against the rest."""
    days = f"a median of {mw['median_true']:.0f} days after May 2016 against {mw['median_false']:.0f} days"
    timing = (
        f"Their 2016 inspections came earlier ({days}; Mann-Whitney {p_is(mw['p_value'])}, rank-biserial "
        f"correlation {mw['rank_biserial']:.2f})"
        if mw["p_value"] < 0.05 and mw["median_true"] < mw["median_false"]
        else f"Their 2016 inspections came {days} (Mann-Whitney {p_is(mw['p_value'])}, rank-biserial "
        f"correlation {mw['rank_biserial']:.2f})"
    )
    return (
        f"Of {n_in + n_out} areas inspected under the 2016 framework, {n_in} have a 2023-framework outcome in the "
        f"sources and {n_out} do not yet. {timing}. The odds of having had a WSoA were {fisher['effect']:.2f} times "
        f"as high in the areas already inspected (95% CI {fisher['ci_low']:.2f} to {fisher['ci_high']:.2f}; Fisher "
        f"exact {p_is(fisher['p_value'])}). Ofsted's order of inspection under the new framework "
        + (
            "follows the order of the old one, so time since the 2016 inspection differs between the groups"
            if mw["p_value"] < 0.05
            else "shows no clear link to the timing of the old one"
        )
        + "; any comparison below describes the areas inspected so far, not all areas."
    )


def describe_revisit_trend(ex: dict, model, mde: float) -> str:
    """Revisit outcome (2016) against the 2023 outcome: exact tests, the proportional-odds odds ratio per step
    of revisit progress, and the smallest odds ratio the sample could detect."""
    r = model.iloc[0]
    direction = "better" if r["odds_ratio"] < 1 else "worse"
    est = (
        f"Each step up in revisit progress (No, Some, Yes) went with {r['odds_ratio']:.2f} times the odds of a worse"
        f" 2023 outcome (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; Wald {p_is(r['p_value'])};"
        " proportional-odds model)"
        if pd.notna(r["odds_ratio"])
        else "The proportional-odds model could not be estimated"
    )
    null = ex["trend_p"] >= 0.05
    return (
        f"Among {ex['n_used']} revisited WSoA areas with a 2023 outcome, the exact Fisher-Freeman-Halton test gives "
        f"{p_is(ex['ffh_p'])} and the exact linear-by-linear trend test {p_is(ex['trend_p'])} "
        f"(all {ex['n_tables']:,} tables with the observed margins enumerated; scores in category order; the "
        f"correlation of the scores is {ex['trend_r']:.2f}, i.e. more progress at revisit went with {direction} "
        f"2023 outcomes in this sample). {est}. "
        + (
            f"With {ex['n_used']} areas the model had 80% power only for an odds ratio per step of {mde:.1f} or more "
            f"(or {1 / mde:.2f} or less), so this null does not show that the two are unrelated."
            if null
            else f"With {ex['n_used']} areas the model had 80% power for odds ratios per step beyond {1 / mde:.2f} or "
            f"{mde:.1f}."
        )
        + " This is an association among the areas inspected so far, not a cause."
    )


def describe_bodies(bodies, kw: dict) -> str:
    """Report 06's paragraph on the responsible bodies of the bundled 2023 reports' recommendations."""
    n_rec = int(bodies["n_recommendations"].sum())
    icb, alone = int(bodies["n_naming_icb"].sum()), int(bodies["n_icb_alone"].sum())
    col = int(bodies["n_from_column"].sum())
    meds = "; ".join(f"{outcome_label(k)}: {v:.0%}" for k, v in kw["medians"].items())
    return (
        f"Across {len(bodies)} bundled reports, {icb} of {n_rec} recommendations ({icb / n_rec:.0%}) name the ICB as a"
        f" responsible body, {alone} of them the ICB alone; the rest name the local authority alone or no body."
        f" {col} bodies were read from the reports' Responsible body column (priority actions) and the rest from the"
        f" recommendation's own subject (areas for improvement have no such column). The median share per report"
        f" naming the ICB is {meds} (Kruskal-Wallis H = {kw['statistic']:.2f}, {p_is(kw['p_value'])},"
        f" epsilon-squared {kw['epsilon2']:.2f}; n = {kw['n_used']} reports). Most recommendations address the whole"
        " partnership, so this share separates reports mainly by their few single-body recommendations; the bundled"
        " reports are not every report published."
    )


def describe_revisits(rev) -> str:
    yes = rev[rev["revisit_outcome"] == "Yes"].iloc[0].to_dict()
    yes.update({k: int(yes[k]) for k in ("n", "count")})
    pending = int(rev["count"].iat[-1])
    return (
        f"Of {yes['n']} revisited WSoA areas, {yes['count']} ({_pct(yes['share'])}; 95% CI {_pct(yes['ci_low'])} "
        f"to {_pct(yes['ci_high'])}) had made sufficient progress on all their significant weaknesses; "
        f"{pending} WSoA area(s) had no published revisit in the period. Revisited areas are those inspected "
        "earliest, so they are not a random sample of WSoA areas."
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
    names = [_label(t) if re.match(r"^[a-z][a-z0-9_]*(=.*)?$", str(t)) else str(t) for t in d[label]]
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


def _vs_label(text):
    """'odds ratio ..., vs dmo_in_post=Yes' -> '... vs designated medical officer in post = Yes'."""
    if not isinstance(text, str):
        return text
    return re.sub(r"\bvs ([a-z][a-z0-9_]*=.*)$", lambda m: "vs " + _label(m.group(1)), text)


def _label(term: str) -> str:
    """A model term or factor as a reader names it ('ccg_coterminous=True' -> its label = True)."""
    from .data import registry

    name, _, level = str(term).partition("=")
    return registry.label(name) + (f" = {registry.value_label(level)}" if level else "")


def _ci(r) -> str:
    return f"{r['effect']:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f})"


def describe_screen(screen, outcome_text: str) -> str:
    """Plain English under a factor screen: what passed the BH threshold, what it does and does not show."""
    sig = screen[screen["q_value_bh"] < 0.05]
    n = len(screen)
    if sig.empty:
        lead = (
            f"None of the {n} factors is associated with {outcome_text} after Benjamini-Hochberg correction "
            "(all q >= 0.05)"
        )
        lowest = screen.sort_values("p_value").iloc[0] if screen["p_value"].notna().any() else None
        if lowest is not None:
            lead += (
                f"; the smallest unadjusted p-value is {format_p(lowest['p_value'])} ({_label(lowest['factor'])}, "
                f"{lowest['effect_name']} {_ci(lowest)})"
            )
    else:
        lead = (
            f"{len(sig)} of {n} factors are associated with {outcome_text} after Benjamini-Hochberg correction: "
            + "; ".join(
                f"{_label(r['factor'])} ({r['effect_name']} {_ci(r)}, q = {format_p(r['q_value_bh'])})"
                for _, r in sig.iterrows()
            )
        )
    if "min_detectable_or" in screen and screen["min_detectable_or"].notna().any():
        m = screen["min_detectable_or"].dropna()
        lead += (
            f". With these numbers of areas each test had 80% power only for odds ratios from {m.min():.1f} to "
            f"{m.max():.1f} or beyond (the last column), so these nulls rule out only associations that strong"
        )
        two_level = (screen["kind"] == "numeric") | screen["test"].astype(str).str.startswith("Fisher")
        unreachable = screen[two_level & screen["min_detectable_or"].isna()]
        if len(unreachable):
            lead += (
                f"; for {len(unreachable)} rarer factor(s) no odds ratio up to 1,000 would have been detected "
                "(shown as –), so their rows say nothing either way"
            )
    return (
        lead
        + ". Each row uses the areas with a value for that factor (the n used; the n dropped lacked one). These are "
        "associations across areas, not causes: areas differ in many ways the table does not measure, and a "
        "non-significant result with a wide interval is not evidence of no association."
    )


def describe_model(model, outcome_text: str) -> str:
    """Plain English under a multivariable model table."""
    r0 = model.iloc[0]
    parts = [
        f"{_label(r['term'])} {r['odds_ratio']:.2f} ({r['ci_low']:.2f} to {r['ci_high']:.2f}, {r['unit']})"
        for _, r in model.iterrows()
    ]
    return (
        f"Odds ratios for {outcome_text}, each adjusted for the others: " + "; ".join(parts) + ". "
        f"Fitted on {int(r0['n_used'])} areas with every factor known ({int(r0['n_dropped'])} left out for a missing "
        f"value), method: {r0['method']}. An odds ratio above 1 means higher odds; an interval crossing 1 is "
        "compatible with no association. Adjustment is only for the factors listed; it does not make the "
        "estimates causal."
    )


MAP_COLOURS = {
    "WSoA required": "#c0392b",
    "no WSoA": "#2e86c1",
    "not inspected": "#d5d8dc",
    "typically positive": "#1e8449",
    "inconsistent": "#f5b041",
    "widespread or systemic failings": "#922b21",
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


def _map_text(categories, title: str, order) -> str:
    counts = categories["category"].value_counts()
    return (
        f"Map of England's {len(categories)} SEND local areas (May 2023 boundaries): {title}. "
        + "; ".join(f"{c}: {int(counts.get(c, 0))} area{'' if counts.get(c, 0) == 1 else 's'}" for c in order)
        + "."
    )


def england_map(categories, *, title: str, order, ax=None):
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
            patch = Polygon(
                ring, closed=True, facecolor=MAP_COLOURS.get(cat, "#ffffff"), edgecolor="white", linewidth=0.3
            )
            patch.set_gid(f"area-{code}-{i}")
            ax.add_patch(patch)
    ax.autoscale_view()
    ax.set_aspect(1 / 0.6)  # longitude is about 0.6 of latitude at 53 degrees north
    ax.set_axis_off()
    counts = categories["category"].value_counts()
    handles = [Patch(facecolor=MAP_COLOURS[c], label=f"{c} ({int(counts.get(c, 0))})") for c in order]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    ax.set_title(title)
    return alt(ax, _map_text(categories, title, order))


def causal_diagram(ax=None):
    """The analysis plan's causal diagram (docs/analysis_plan.md): confounders, exposure, mediators, outcome."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6))
    nodes = {
        "region": (0.08, 0.85),
        "inspection year": (0.08, 0.5),
        "deprivation": (0.08, 0.15),
        "CCG structure\n(exposure)": (0.42, 0.5),
        "EHC-plan timeliness\n(mediator)": (0.7, 0.82),
        "appeal rate\n(mediator)": (0.7, 0.18),
        "WSoA required\n(outcome)": (0.93, 0.5),
    }
    style = {"CCG structure\n(exposure)": "#d6eaf8", "WSoA required\n(outcome)": "#fadbd8"}
    for name, (x, y) in nodes.items():
        ax.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=9,
            bbox={"boxstyle": "round", "facecolor": style.get(name, "#f2f3f4"), "edgecolor": "0.4"},
        )
    edges = [
        (c, t)
        for c in ("region", "inspection year", "deprivation")
        for t in ("CCG structure\n(exposure)", "WSoA required\n(outcome)")
    ]
    edges += [("CCG structure\n(exposure)", m) for m in ("EHC-plan timeliness\n(mediator)", "appeal rate\n(mediator)")]
    edges += [(m, "WSoA required\n(outcome)") for m in ("EHC-plan timeliness\n(mediator)", "appeal rate\n(mediator)")]
    edges += [("CCG structure\n(exposure)", "WSoA required\n(outcome)")]
    for a, b in edges:
        (x0, y0), (x1, y1) = nodes[a], nodes[b]
        ax.annotate(
            "",
            xy=(x1 - 0.06 * (x1 > x0), y1),
            xytext=(x0 + 0.07, y0),
            arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 0.8, "shrinkA": 6, "shrinkB": 12},
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.set_title("Causal diagram of the analysis plan")
    return alt(
        ax,
        "Causal diagram: region, inspection year and deprivation each point to CCG structure (the "
        "exposure) and to WSoA required (the outcome), so the primary model adjusts for them; CCG "
        "structure points to EHC-plan timeliness and the appeal rate (mediators), which point to WSoA "
        "required, so the primary model does not adjust for them; CCG structure also points directly "
        "to WSoA required.",
    )


def describe_primary(model, sens, mde: float = float("nan")) -> str:
    """Plain English for the primary model, generated from it (no causal verbs); ``mde``: the minimum
    detectable odds ratio at 80% power for its n and exposure share."""
    r = model.iloc[0]
    inside = r["ci_low"] <= 1 <= r["ci_high"]
    lo, hi = sens["odds_ratio"].min(), sens["odds_ratio"].max()
    text = (
        f"Areas not served by one coterminous CCG had {r['odds_ratio']:.2f} times the odds of being required to "
        f"write a WSoA (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; {p_is(r['p_value'])}; "
        f"n = {int(r['n_used'])}, {int(r['n_dropped'])} dropped for a missing value), compared with areas served by "
        "one, among areas of the same region, inspection year and deprivation. "
    )
    if inside:
        text += (
            "The interval includes 1: the data are compatible with no association, and with an association "
            "of the size shown by the interval. "
        )
    else:
        text += (
            "The interval excludes 1: an association that region, year and deprivation do not account for; it "
            "does not show that CCG structure led to the outcome. "
        )
    if mde == mde:
        text += (
            f"With {int(r['n_used'])} areas, an odds ratio of {mde:.2f} or more (or {1 / mde:.2f} or less) would "
            f"have been detected with 80% power; the interval's upper limit, {r['ci_high']:.2f}, is "
            + (
                "below it, so an association that strong is ruled out. "
                if r["ci_high"] < mde
                else "above it, so an association that strong is not ruled out: the result is not informative about "
                "associations of that size. "
            )
        )
    return text + (
        f"Across the {len(sens)} specifications below the odds ratio ranges from {lo:.2f} to {hi:.2f}. "
        + fit_notes_text(sens)  # its first row is the primary model's own fit
        + "CCG structure is geography, a proxy for oversight, not a measure of its quality."
    )


def fit_notes_text(frame, name: str = "specification") -> str:
    """One sentence per estimate whose fit warned (its ``fit_note``), naming it; the warnings' own text is in
    the render log. The names and notes are the package's own words, not data."""
    rows = frame[frame["fit_note"].fillna("").astype(str) != ""] if "fit_note" in frame else frame.iloc[:0]
    return "".join(f'The estimate "{r[name]}" is {r["fit_note"]}. ' for _, r in rows.iterrows())


def describe_primary_2023(model, cuts, mde: float, sample: dict) -> str:
    """Plain English for report 06's primary model (ordinal), generated from it; ``cuts``: the binary models
    at each cut (:func:`stats.cut_models`) for the exposure; ``sample``: the frame's attrs."""
    r = model.iloc[0]
    text = (
        f"Areas served by more than one sub-ICB location had {r['odds_ratio']:.2f} times the odds of a worse 2023"
        f" outcome (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; Wald {p_is(r['p_value'])}; n = {int(r['n_used'])},"
        f" {int(r['n_dropped'])} dropped for a missing value) compared with areas served by one, among areas of the"
        " same region, inspection year and deprivation. "
    )
    if r["ci_low"] <= 1 <= r["ci_high"]:
        text += (
            "The interval includes 1: the data are compatible with no association and with one as large as the"
            " interval. "
        )
    else:
        text += "The interval excludes 1: an association that region, year and deprivation do not account for. "
    mine = cuts[cuts["term"] == model["term"].iat[0]]
    if len(mine):
        text += (
            f"The binary models at each cut of the outcome give {', '.join(f'{v:.2f}' for v in mine['odds_ratio'])}"
            f" ({'; '.join(str(m) for m in mine['method'].str.split('(').str[0].str.strip())}), the check of the"
            " proportional-odds assumption. "
        )
    if mde == mde:
        text += (
            f"With {int(r['n_used'])} areas, an odds ratio of {mde:.2f} or more (or {1 / mde:.2f} or less) would have"
            " been detected with 80% power"
            + (
                "; the interval's upper limit is below it, so an association that strong is ruled out. "
                if r["ci_high"] < mde
                else "; the interval reaches beyond it, so an association that strong is not ruled out. "
            )
        )
    return text + (
        "The sample is each area's first 2023-framework inspection with an outcome"
        f" ({sample.get('n_reinspections_left_out', 0)}"
        f" re-inspection(s) and {sample.get('n_no_outcome', 0)} inspection(s) without a published outcome left out)."
        " The number of sub-ICB locations is geography, a proxy for how joined-up the NHS partner is, not a measure"
        " of its oversight."
    )


@lru_cache(maxsize=4)
def _map_svg(cells: tuple, title: str, order: tuple) -> str:
    """:func:`england_map` as SVG text, drawn once per process and reused (a profile only adds a CSS outline)."""
    from IPython.core.pylabtools import print_figure

    fig, ax = plt.subplots(figsize=(5.5, 6.5))
    england_map(pd.DataFrame(cells, columns=["area_code", "category"]), title=title, order=order, ax=ax)
    svg = print_figure(fig, "svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = svg.decode() if isinstance(svg, bytes) else svg
    # every profile page carries this map: coordinates to 0.1 pt (invisible at this size) and one line per path
    # make it 40% smaller
    svg = re.sub(r"(\d\.\d)\d+", r"\1", svg)
    return re.sub(r"\s*\n\s*(?=[MLCQz]\b)", " ", svg)


def area_on_map(categories, code: str, *, title: str, order):
    """The national map with one area outlined, as an SVG display object carrying its alt text."""
    from IPython.display import SVG

    svg = _map_svg(tuple(zip(categories["area_code"], categories["category"])), title, tuple(order))
    j = svg.index(">", svg.index("<svg")) + 1
    svg = svg[:j] + f'<style>g[id^="area-{code}-"] path {{stroke: #000000; stroke-width: 2.5px}}</style>' + svg[j:]
    me = categories[categories["area_code"] == code]
    where = f" {me['area'].iat[0]} is outlined in black ({me['category'].iat[0]})." if len(me) else ""
    return _WithAlt(SVG(svg), " ".join((_map_text(categories, title, order) + where).split()))


class _WithAlt:
    """A display object whose SVG output carries alt text in its metadata (the HTML export uses it)."""

    def __init__(self, svg, alt_text: str):
        self.svg, self.alt = svg, alt_text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg.data}, {"image/svg+xml": {"alt": self.alt}}
