"""What the analysis plan fixes for every page (docs/analysis_plan.md, third revision of 6 December 2026): which
of a report's p-values are confirmatory and which exploratory, and what the data cannot answer. Each core report
states these under its key findings; the sentences live here, once."""

from __future__ import annotations

import pandas as pd

# report -> (its confirmatory estimates and their family, what else it tests)
FAMILIES = {
    "01_inspection_outcomes": (
        None,
        "Its shares and intervals are descriptive; its few tests (trends, region tables) are exploratory.",
    ),
    "02_factors_and_wsoa": (
        "the two co-primary estimates of the headline question (structure: not coterminous; NHS England's rating:"
        " main CCG rated inadequate), one family of two with a Bonferroni correction",
        "Everything else on this page is exploratory: the sensitivity rows and specification curves (one family, no"
        " correction: they are not separate tests), the negative control, the checks of the confounders, the"
        " designated officers' rows, the factor screen (its own Benjamini-Hochberg family) and the secondary model.",
    ),
    "03_revisits": (
        None,
        "Every test on this page is exploratory; the factor screen and the theme screen are each their own"
        " Benjamini-Hochberg family.",
    ),
    "04_framework_transition": (
        None,
        "Every test on this page is exploratory: the transition tests were pre-specified as exploratory, with no"
        " correction.",
    ),
    "05_letter_themes": (
        None,
        "Every test on this page is exploratory; the themes against revisit progress are one Benjamini-Hochberg"
        " family.",
    ),
    "06_factors_2023": (
        "the primary estimate (more than one sub-ICB location), a family of one: the 2023 framework has no rating of"
        " the NHS partner to form a second co-primary measure",
        "Everything else on this page is exploratory: the sensitivity rows and specification curve, the other"
        " measures of oversight, the history and weighted models, the selection check and the factor screen (its"
        " own Benjamini-Hochberg family).",
    ),
}


def describe_families(report: str) -> str:
    """The sentence under a core report's key findings that says which of its p-values are confirmatory."""
    confirmatory, rest = FAMILIES[report]
    head = (
        f"**Confirmatory and exploratory.** Confirmatory in the analysis plan: {confirmatory}."
        if confirmatory
        else "**Confirmatory and exploratory.** No result on this page is confirmatory in the analysis plan."
    )
    return f"{head} {rest}"


def describe_money(areas: pd.DataFrame) -> str:
    """What the DSG deficit (the only measure of money) can and cannot answer for ``areas`` (a 2016-framework
    frame): how many inspections it exists for, and why."""
    have = int(areas["dsg_deficit_pct"].notna().sum())
    return (
        f"**Money.** The DSG deficit, the only measure of money in the sources, exists for {have} of the"
        f" {len(areas)} areas: DfE's table starts with the financial year 2019-20, so only inspections from April"
        " 2020 have a year ended before them. With so few areas, and all inspected late in the framework, this"
        " page cannot answer whether money goes with a WSoA; its row in the screen is descriptive."
    )
