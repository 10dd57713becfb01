"""What the letters' coding shows (report 05): themes by outcome, the reports read, health leadership and the
agreement of the two codings, in words."""

from __future__ import annotations

import pandas as pd

from .. import stats
from ..data import registry
from ..wording import md, p_is


# --- report 05: what the letters' coding shows, in words -------------------------------------------------------------
def themes_by_outcome_2023(items: pd.DataFrame, themes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Report 05's 2023-framework themes: per bundled report (``items`` of :func:`letters.reports_2023`), whether
    its recommendations include each theme (``per``: source, outcome, one column per theme), and the share of
    reports with each theme by outcome (``wide``: theme, one column per outcome)."""
    per = (items.groupby(["source", "outcome", "theme"]).size().unstack(fill_value=0) > 0).reset_index()
    rows = [
        {"outcome": outcome, "theme": t, "share": stats.proportion(int(g[t].sum()), len(g))["share"]}
        for outcome, g in per.groupby("outcome")
        for t in themes
        if t in g
    ]
    wide = pd.DataFrame(rows).pivot(index="theme", columns="outcome", values="share").reset_index()
    return per, wide


def describe_reports_read(reps: pd.DataFrame, items: pd.DataFrame, official: pd.DataFrame) -> str:
    """The line on the bundled 2023-framework reports: how many were read, how many extracted outcomes equal
    the published ones (``official``: load_inspections("2023")), how many recommendations were coded."""
    o = official[["ofsted_urn", "published", "outcome"]].rename(columns={"outcome": "official_outcome"})
    chk = reps.merge(o, on=["ofsted_urn", "published"], how="left", validate="one_to_one")
    same = int((chk["outcome"] == chk["official_outcome"].astype(str)).sum())
    return (
        f"**Reports read:** {len(reps)}; Extracted outcome equals the published outcome for {same} of {len(reps)}."
        f" Recommendations coded: {len(items.drop_duplicates(['source', 'kind', 'item_no']))}."
    )


def describe_health_leadership_2023(per: pd.DataFrame) -> str:
    """Whether the health-leadership theme goes with a systemic-failings outcome among the bundled reports
    (``per`` of :func:`themes_by_outcome_2023`): Fisher's exact test, or why there is nothing to test."""
    hl = per.assign(systemic=per["outcome"] == "systemic_failings")
    named = int(hl["health_ccg_leadership"].sum()) if "health_ccg_leadership" in hl else 0
    if not 0 < named < len(hl):
        return (
            f"The health-leadership theme (CCG or ICB wording, health leaders' oversight) matched the recommendations"
            f" of {named} of {len(hl)} reports, so there is no comparison to test; report 06 reads the responsible"
            " body of each recommendation instead."
        )
    t = stats.table_test(hl, "health_ccg_leadership", "systemic")
    return (
        f"Health leadership (the CCG or ICB, or health leaders' oversight) is named in the recommendations of {named}"
        f" of {len(hl)} reports. Against a systemic-failings outcome: {t['test']}, {p_is(t['p_value'])}, odds ratio"
        f" {t['effect']:.2f} (95% CI {t['ci_low']:.2f} to {t['ci_high']:.2f}), n = {t['n_used']} reports."
        " Systemic-failings reports list more recommendations, so any theme is more likely to appear in them; this is"
        " association in a non-random set of reports."
    )


def describe_dataset(weaknesses: pd.DataFrame, areas: pd.DataFrame) -> str:
    """The line that says what the hand-coded dataset holds, from :func:`load_weaknesses` and
    :func:`weakness_areas`."""
    status = areas["status"].value_counts()
    complete = int(status.get("complete", 0))
    matches = int(areas.loc[areas["status"] == "complete", "count_matches_official"].sum())
    return (
        f"**Hand-coded dataset:** {len(weaknesses)} weaknesses from {int((areas['n_found'] > 0).sum())} of"
        f" {len(areas)} WSoA areas: {complete} complete, {int(status.get('partial', 0))} partial,"
        f" {int(status.get('not_found', 0))} not found. Every complete area's count equals Ofsted's official number"
        f" of weaknesses: {matches} of {complete}."
    )


def describe_themes(freq: pd.DataFrame, area_themes: pd.DataFrame) -> str:
    """Report 05's sentences on how often each theme appears: the most frequent theme with its Wilson interval
    (``freq``: one row per theme, sorted by share) and how many complete areas named CCG/health leadership."""
    top = freq.iloc[0]
    return (
        f"The most frequent theme is {md(registry.value_label(top['theme']))}, named in {int(top['areas'])} of"
        f" {int(top['n'])} complete WSoA areas ({top['share']:.0%}; 95% CI {top['ci_low']:.0%} to"
        f" {top['ci_high']:.0%}). CCG/health leadership weaknesses were named in"
        f" {int(area_themes['health_ccg_leadership'].sum())} of {len(area_themes)} complete areas. These counts"
        " describe the letters that could be found in full; areas whose lists are missing may differ."
    )


def describe_agreement(agree: pd.DataFrame) -> str:
    """Report 05's sentence on how well the automatic coding agrees with the hand codes (:func:`agreement`)."""
    low = agree.sort_values("kappa").iloc[0]
    return (
        f"Across the {len(agree)} themes, the median Cohen's kappa of automatic against hand coding is"
        f" {agree['kappa'].median():.2f} (lowest: {md(registry.value_label(low['theme']))}, {low['kappa']:.2f})."
        " Where kappa is low, read that theme's automatic counts with caution."
    )


def describe_proxy(th: pd.DataFrame, test: dict) -> str:
    """Report 05's check of report 02's proxy: how often health / CCG leadership was named as a weakness in
    WSoA areas with and without one coterminous CCG (``th``: complete areas with ``not_coterminous`` and the
    theme), with the test of the 2 x 2 table (``test``: :func:`sendstats.stats.table_test`)."""
    out = th["not_coterminous"].astype(bool)
    named = th["health_ccg_leadership"].astype(bool)
    return (
        f"Health / CCG leadership was named in {int(named[out].sum())} of {int(out.sum())} WSoA areas without one"
        f" coterminous CCG and in {int(named[~out].sum())} of {int((~out).sum())} areas with one ({test['test']}"
        f" {p_is(test['p_value'])}; odds ratio {test['effect']:.2f}, 95% CI {test['ci_low']:.2f} to"
        f" {test['ci_high']:.2f}). "
        + (
            "The proxy and the inspectors' judgement of health leadership go together here."
            if test["p_value"] < 0.05
            else "With this few areas the proxy and the inspectors' judgement are not shown to go together, so the"
            " proxy's validity as a measure of oversight is unconfirmed."
        )
    )
