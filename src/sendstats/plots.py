"""The house style and the few figure types the reports use. Functions take tidy frames (``data=``),
return the matplotlib Axes, and never call ``plt.show()`` or choose a backend."""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns


def setup() -> None:
    """House style; in a notebook, SVG figures without a date and with a fixed hash salt, and a seeded global
    random generator (reproducible)."""
    import numpy as np

    np.random.seed(0)  # seaborn's jitter draws from numpy's global generator: same figure on every render
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams["svg.hashsalt"] = "sendstats"
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, searchable, and much faster to write
    plt.rcParams["figure.dpi"] = 100
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", metadata={"Date": None}, bbox_inches="tight")


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
    labels = [f"{v} (n={m})" for v, m in zip(data[y].astype(str), data[n])]
    pos = range(len(data))
    _intervals(ax, data[share], data[low], data[high], pos, color="C0", ecolor="0.4")
    ax.set_yticks(list(pos), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(xlabel or "share (95% Wilson interval)")
    if title:
        ax.set_title(title)
    return ax


def count_bars(data, x: str, y: str = "count", *, hue=None, title=None, xlabel=None, ylabel="number of areas", ax=None):
    """Bar chart of counts (e.g. the distribution of the number of weaknesses)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax, color=None if hue else "C0")
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def table(df, caption: str, *, percent=("share", "ci_low", "ci_high"), uuid: str | None = None):
    """A styled table for a report: headers are the registry's human labels, shares as percentages, values
    HTML-escaped, no index, a caption, a stable id (so two renders of the same data are byte-identical)."""
    import hashlib

    from . import registry

    shown = df.rename(columns=lambda c: registry.label(c) if isinstance(c, str) else c)
    fmt = {registry.label(c) if isinstance(c, str) else c: "{:.3f}" for c in df.columns if df[c].dtype.kind == "f"}
    fmt.update({registry.label(c): "{:.1%}" for c in percent if c in df.columns})
    sty = shown.style.format(fmt, na_rep="–", escape="html").hide(axis="index").set_caption(caption)
    return sty.set_uuid(uuid or hashlib.sha256(caption.encode()).hexdigest()[:8])


def outcome_label(level: str) -> str:
    from . import registry

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
    ax.legend(loc="lower right", fontsize="small")
    if title:
        ax.set_title(title)
    return ax


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
    ax.set_yticks(pos, d[label].astype(str))
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


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
                f"; the smallest unadjusted p-value is {lowest['p_value']:.3f} ({lowest['factor']}, "
                f"{lowest['effect_name']} {_ci(lowest)})"
            )
    else:
        lead = (
            f"{len(sig)} of {n} factors are associated with {outcome_text} after Benjamini-Hochberg correction: "
            + "; ".join(
                f"{r['factor']} ({r['effect_name']} {_ci(r)}, q = {r['q_value_bh']:.3f})" for _, r in sig.iterrows()
            )
        )
    return (
        lead + ". Each row uses the areas with a value for that factor (n_used; n_dropped lacked one). These are "
        "associations across areas, not causes: areas differ in many ways the table does not measure, and a "
        "non-significant result with a wide interval is not evidence of no association."
    )


def describe_model(model, outcome_text: str) -> str:
    """Plain English under a multivariable model table."""
    r0 = model.iloc[0]
    parts = [
        f"{r['term']} {r['odds_ratio']:.2f} ({r['ci_low']:.2f} to {r['ci_high']:.2f}, {r['unit']})"
        for _, r in model.iterrows()
    ]
    return (
        f"Odds ratios for {outcome_text}, each adjusted for the others: " + "; ".join(parts) + ". "
        f"Fitted on {int(r0['n_used'])} areas with every factor known ({int(r0['n_dropped'])} left out for a missing "
        f"value), method: {r0['method']}. An odds ratio above 1 means higher odds; an interval crossing 1 is "
        "compatible with no association. Adjustment is only for the factors listed; it does not make the "
        "estimates causal."
    )
