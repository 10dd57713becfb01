"""Inspection outcomes: the public loaders and the headline summaries (counts, shares, Wilson intervals)."""

from __future__ import annotations

import pandas as pd

from .data.store import load_table
from .errors import ParameterError
from .scope import Scope
from .stats import proportion
from .vocabulary import COUNTINGS, OUTCOME_LEVELS, REVISIT_SHOWN
from .wording import md, outcome_label, pct, plural

# The 2016-framework file covers inspections carried out by 31 Aug 2022 (published by 31 Oct 2022):
# with no as_at, predecessor areas are judged as at that date, i.e. not counted, as in Ofsted's 149.
FILE_DATE_2016 = pd.Timestamp("2022-08-31")


def _framework(framework) -> str:
    return Scope(framework=framework).framework


def load_inspections(framework="2016") -> pd.DataFrame:
    """One row per area inspection under the given framework ("2016" or "2023").

    2016: ``la_code`` (9-digit ONS), ``area``, ``region`` (Ofsted region), ``inspection_start``,
    ``published``, ``wsoa`` (bool), ``n_weaknesses``, ``revisit_status`` (revisited / not_revisited_yet /
    not_required), ``revisit_start``, ``revisit_published``, ``revisit_outcome`` (ordered No < Some < Yes),
    ``n_weaknesses_progress``, ``n_weaknesses_no_progress``, ``ofsted_url`` (column A's link target),
    ``ofsted_urn``, ``inspection_month``, ``predecessor`` (True for Dorset and Northamptonshire, described
    only in the file's Notes sheet; their exact dates and counts are not published there), ``ceased``.

    2023: ``la_code``, ``area``, ``region``, ``inspection_start``, ``inspection_end``, ``published``,
    ``outcome`` (ordered positive < inconsistent < systemic_failings), ``priority_action_plan``,
    ``priority_action_plan_source`` (ofsted_mi, or framework_rule: a systemic-failings outcome requires a
    plan), ``n_priority_actions`` (Ofsted MI only), ``previous_inspection_end``, ``ofsted_urn``,
    ``report_url``, ``missing_reason``, ``source_note``.
    """
    return load_table(f"inspections_{_framework(framework)}")


def load_areas(framework="2016") -> pd.DataFrame:
    """One row per inspected area (2016 framework: 149 + 2 predecessors; 2023 framework: one row per
    inspection, 97 of 96 areas) with its inspection outcome
    columns plus every area factor as at its inspection (``factor_date``): CCG structure, DMO/DCO in post,
    EHC-plan 20-week timeliness, IMD 2019. Each factor's unit and source: ``sendstats.data.registry.FACTORS`` and
    docs/data_dictionary.md. A missing factor has a reason in its ``*_reason`` column (not_applicable,
    suppressed, not_collected_yet, not_published_yet, no_match)."""
    return load_table(f"areas_{_framework(framework)}")


def basis_date(df: pd.DataFrame, date_col: str) -> pd.Series:
    """Each inspection's date on ``date_col``; a predecessor (only its month is published) counts from the end
    of its inspection month."""
    if "inspection_month" not in df:
        return df[date_col]
    return df[date_col].fillna(df["inspection_month"].dt.end_time.dt.normalize())


def _filter_2016(df, as_at, date_col, include_predecessors, counting="ofsted"):
    ref = FILE_DATE_2016 if as_at is None else as_at
    dated = basis_date(df, date_col)
    exists = (df["ceased"] >= ref) | (counting == "every_inspection")
    keep_pred = df["predecessor"] & exists & (dated <= ref) & include_predecessors
    keep_main = ~df["predecessor"] & (True if as_at is None else (dated <= as_at))
    return df[keep_main | keep_pred]


def _add_year(df, date_col):
    year = df[date_col].dt.year.astype("Int64")
    if "inspection_month" in df:  # predecessors: the month of inspection is all that is published
        year = year.fillna(df["inspection_month"].dt.year.astype("Int64"))
    return df.assign(year=year)


def _groups(df: pd.DataFrame, keys: list):
    """(group labels as a dict, rows) for each group of ``keys`` (missing values kept as a group)."""
    if not keys:
        yield {}, df
        return
    for key, g in df.groupby(keys, dropna=False, observed=True):
        yield dict(zip(keys, key if isinstance(key, tuple) else (key,))), g


def outcome_summary(scope="2016", by=None, **fields) -> pd.DataFrame:
    """Counts and shares of inspection outcomes with Wilson 95% intervals.

    framework "2016": columns ``n`` (areas counted), ``n_wsoa``, ``share``, ``ci_low``, ``ci_high``,
    ``n_predecessors`` (how many of ``n`` are predecessor areas).
    framework "2023": one row per outcome level: ``outcome``, ``count``, ``n`` (inspections with a
    published outcome), ``share``, ``ci_low``, ``ci_high``, ``n_no_outcome`` (left out: no outcome in source),
    ``n_date_unknown`` (of those counted, how many have no basis date: with ``by="year"`` they form their own
    group, year missing) and ``n_undated_left_out`` (inspections ``as_at`` left out because their basis date
    is unknown, so it cannot say whether they fall before it; 0 without ``as_at``).

    ``as_at`` keeps inspections published on or before that date (``basis="inspected"``: started on or
    before). A predecessor area counts only if it still existed on ``as_at`` (Dorset until 31 Mar 2019,
    Northamptonshire until 31 Mar 2021) and had been inspected by the end of its inspection month (only the
    month is published). With no ``as_at`` the 2016 figures are as at the file's date (predecessors not
    counted: Ofsted's 149 areas). ``counting="every_inspection"`` keeps a predecessor after it was abolished,
    as evidence to Parliament counted published reports (151 with no ``as_at``).
    ``by``: None, ``"region"``, ``"year"`` (calendar year of the basis date)
    or another column of :func:`load_inspections`.
    """
    scope = Scope.of(scope, **fields)
    f = scope.framework
    df = inspections_as_at(scope)
    # as_at can only leave out an undated inspection (2023: a few have no start date in any source)
    left_out = 0 if f == "2016" or scope.as_at is None else int(load_inspections(f)[scope.date_column].isna().sum())
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    unknown = [k for k in keys if k not in df.columns]
    if unknown:
        raise ParameterError(f"by: unknown column(s) {unknown}; choose from {sorted(df.columns)}")

    if f == "2016":
        rows = []
        for labels, g in _groups(df, keys):
            p = proportion(int(g["wsoa"].sum()), len(g))
            rows.append(
                {
                    **labels,
                    "n": len(g),
                    "n_wsoa": int(g["wsoa"].sum()),
                    "share": p["share"],
                    "ci_low": p["ci_low"],
                    "ci_high": p["ci_high"],
                    "n_predecessors": int(g["predecessor"].sum()),
                }
            )
        return pd.DataFrame(rows)

    rows = []
    for labels, g in _groups(df, keys):
        has = g[g["outcome"].notna()]
        for level in OUTCOME_LEVELS:
            k = int((has["outcome"] == level).sum())
            p = proportion(k, len(has))
            rows.append(
                {
                    **labels,
                    "outcome": level,
                    "count": k,
                    "n": len(has),
                    "share": p["share"],
                    "ci_low": p["ci_low"],
                    "ci_high": p["ci_high"],
                    "n_no_outcome": len(g) - len(has),
                    "n_date_unknown": int(has[scope.date_column].isna().sum()),
                    "n_undated_left_out": left_out,
                }
            )
    cols = [
        "outcome",
        "count",
        "n",
        "share",
        "ci_low",
        "ci_high",
        "n_no_outcome",
        "n_date_unknown",
        "n_undated_left_out",
    ]
    out = pd.DataFrame(rows, columns=[*keys, *cols])  # no inspection in scope: an empty frame with its columns
    out["outcome"] = pd.Categorical(out["outcome"], categories=OUTCOME_LEVELS, ordered=True)
    return out


def describe_overall(overall, framework: str, counting: str = "ofsted") -> str:
    """One plain-English paragraph for the overall table; the 2016 sentence says which counting convention
    (:data:`sendstats.vocabulary.COUNTINGS`) gave its number."""
    if str(framework) == "2016":
        r = overall.iloc[0].to_dict()
        r.update({k: int(r[k]) for k in ("n", "n_wsoa", "n_predecessors")})
        pred = f" (including {plural(r['n_predecessors'], 'predecessor area')})" if r["n_predecessors"] else ""
        how, rule = COUNTINGS[counting]
        return (
            f"Of {r['n']} inspected areas{pred}, {r['n_wsoa']} ({pct(r['share'])}; 95% CI "
            f"{pct(r['ci_low'])} to {pct(r['ci_high'])}) were required to write a WSoA, counted {how} ({rule})."
            " The interval describes "
            "uncertainty if these areas are seen as a sample of how areas perform; it says nothing about causes."
        )
    parts = [
        f"{outcome_label(str(r['outcome']))}: {r['count']} ({pct(r['share'])}; 95% CI "
        f"{pct(r['ci_low'])} to {pct(r['ci_high'])})"
        for _, r in overall.iterrows()
    ]
    n, miss = overall["n"].iat[0], overall["n_no_outcome"].iat[0]
    tail = (
        f" {plural(miss, 'inspection')} without a published outcome in the sources {'is' if miss == 1 else 'are'}"
        " not counted."
        if miss
        else ""
    )
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
        notes.append(
            f'{plural(undated, "inspection")} with no start date in any source are counted under "date unknown"'
        )
    if left:
        notes.append(
            f"{plural(left, 'inspection')} with no start date in any source are left out, as it is unknown whether they"
            f" {verb.split()[-1]} by {as_at}"
        )
    if none:
        notes.append(
            f"{plural(none, 'inspection')} without a published outcome {'is' if none == 1 else 'are'} not in the shares"
        )
    return f"Inspections with an outcome, counted {basis_text}: {years}." + (
        " " + "; ".join(notes) + "." if notes else ""
    )


def inspections_as_at(scope="2016", **fields):
    """The inspections :func:`outcome_summary` counts, with a ``year`` column (of the basis date): the
    scope's ``as_at``, ``basis``, ``include_predecessors`` and ``counting`` (2016) and ``exclude_regions``."""
    scope = Scope.of(scope, **fields).only("inspections_as_at", *_HONOURED)
    df = _add_year(load_inspections(scope.framework), scope.date_column)
    if scope.framework == "2016":
        df = _filter_2016(df, scope.as_at, scope.date_column, scope.include_predecessors, scope.counting)
    elif scope.as_at is not None:
        df = df[df[scope.date_column] <= scope.as_at]
    return scope.without_excluded_regions(df)


# the fields the outcome summaries honour (the sliver and the 2023 inspection choice are the models')
_HONOURED = ("as_at", "basis", "include_predecessors", "counting", "exclude_regions")


def year_labels(df: pd.DataFrame) -> pd.DataFrame:
    """For display: the ``year`` column as text, "date unknown" where the basis date is missing."""
    return df.assign(year=[("date unknown" if pd.isna(y) else str(int(y))) for y in df["year"]])


def reinspections() -> pd.DataFrame:
    """Areas inspected more than once under the 2023 framework: one row per area, each inspection's start,
    publication and outcome side by side (``first_*``, ``second_*``) and the days between the two starts."""
    df = load_inspections("2023")
    again = df[df.duplicated("la_code", keep=False)].sort_values(["la_code", "inspection_number"])
    cols = ["inspection_start", "published", "outcome"]
    first = again[again["inspection_number"] == 1].set_index("la_code")
    second = again[again["inspection_number"] == 2].set_index("la_code")
    out = first[["area", "region"]].join(first[cols].add_prefix("first_")).join(second[cols].add_prefix("second_"))
    out["days_between"] = (out["second_inspection_start"] - out["first_inspection_start"]).dt.days.astype("Int64")
    return out.reset_index().sort_values("second_published").reset_index(drop=True)


def describe_reinspections(again) -> str:
    if not len(again):
        return "No area had been inspected twice under the 2023 framework in the sources."
    same = int((again["first_outcome"].astype(str) == again["second_outcome"].astype(str)).sum())
    names = ", ".join(again["area"].astype(str))
    return (
        f"{plural(len(again), 'area')} inspected twice under the 2023 framework ({names}); {same} of them had the same"
        " outcome both times. The next inspection is due within 18 months after widespread or systemic failings,"
        " 3 years after an inconsistent outcome and 5 years after a typically positive one (the snapshots' 'next"
        " inspection' column), so the areas re-inspected so far are not a random sample."
    )


def weakness_distribution(scope="2016", **fields) -> pd.DataFrame:
    """How many WSoA areas listed each number of significant weaknesses (2016 framework).

    Columns ``n_weaknesses``, ``count``, ``share`` (of WSoA areas with a published count, ``n``), and
    ``n_unknown`` (WSoA areas counted without a published number: the predecessor Dorset)."""
    df = inspections_as_at(Scope.of(scope, **fields).need("2016", "weakness_distribution"))
    w = df[df["wsoa"]]
    known = w["n_weaknesses"].dropna().astype(int)
    counts = known.value_counts().reindex(range(1, max(known.max(), 1) + 1), fill_value=0)
    return pd.DataFrame(
        {
            "n_weaknesses": counts.index,
            "count": counts.values,
            "share": counts.values / max(len(known), 1),
            "n": len(known),
            "n_unknown": len(w) - len(known),
        }
    )


def revisit_summary(scope="2016", **fields) -> pd.DataFrame:
    """Revisit outcomes of WSoA areas (2016 framework): one row per outcome (Yes = sufficient progress on
    all weaknesses, Some, No) among revisited areas, with a Wilson interval; plus rows for WSoA areas not
    yet revisited. ``as_at`` filters on the first inspection, and a revisit counts as
    :meth:`Scope.revisit_known` says."""
    scope = Scope.of(scope, **fields).need("2016", "revisit_summary")
    w = inspections_as_at(scope)
    w = w[w["wsoa"]]
    known = scope.revisit_known(w)
    rev = w[known]
    rows = []
    for level in REVISIT_SHOWN:
        k = int((rev["revisit_outcome"] == level).sum())
        p = proportion(k, len(rev))
        rows.append(
            {
                "revisit_outcome": level,
                "count": k,
                "n": len(rev),
                "share": p["share"],
                "ci_low": p["ci_low"],
                "ci_high": p["ci_high"],
            }
        )
    rows.append(
        {
            "revisit_outcome": "not revisited yet",
            "count": int((~known).sum()),
            "n": len(w),
            "share": float("nan"),
            "ci_low": float("nan"),
            "ci_high": float("nan"),
        }
    )
    return pd.DataFrame(rows)


def describe_revisits(rev) -> str:
    yes = rev[rev["revisit_outcome"] == "Yes"].iloc[0].to_dict()
    yes.update({k: int(yes[k]) for k in ("n", "count")})
    pending = int(rev["count"].iat[-1])
    return (
        f"Of {yes['n']} revisited WSoA areas, {yes['count']} ({pct(yes['share'])}; 95% CI {pct(yes['ci_low'])} "
        f"to {pct(yes['ci_high'])}) had made sufficient progress on all their significant weaknesses; "
        f"{plural(pending, 'WSoA area')} as inspected (councils before the 2019-2023 mergers; the areas page counts "
        "today's areas instead) had no published revisit in the period. Revisited areas are those inspected "
        "earliest, so they are not a random sample of WSoA areas."
    )


def describe_spread(table: pd.DataFrame, by: str, framework: str) -> str:
    """How far apart the groups of an :func:`outcome_summary` table by ``by`` (region or year) are: the lowest
    and highest share of areas required to write a WSoA (2016) or of inspections with widespread or systemic
    failings (2023), with counts, and whether those two 95% intervals overlap."""
    worst = "systemic_failings"
    if str(framework) == "2016":
        rows, what, k = table, "the share of areas required to write a WSoA", "n_wsoa"
    else:
        rows, k = table[table["outcome"] == worst], "count"
        what = "the share of inspections with widespread or systemic failings"
    rows = rows[rows["n"] > 0]
    if len(rows) < 2:
        return ""
    name = "Ofsted region" if by == "region" else by
    lo, hi = rows.loc[rows["share"].idxmin()], rows.loc[rows["share"].idxmax()]
    group = lambda r: f"{_group_name(r[by])} ({pct(r['share'])}, {int(r[k])} of {int(r['n'])})"
    overlap = "overlap" if lo["ci_high"] >= hi["ci_low"] else "do not overlap"
    return (
        f"By {name}, {what} ranged from {group(lo)} to {group(hi)}; the 95% intervals of these two {overlap}, and"
        f" as the extremes of {len(rows)} groups, picked after seeing the data, they overstate how far the groups"
        " differ."
    )


def _group_name(value) -> str:
    """A group's name (a region, or a year as a whole number) made safe for Markdown."""
    return md(int(value) if isinstance(value, float) and value == int(value) else value)


def describe_counted(scope: Scope) -> str:
    """The line that opens report 01: the framework of its headline sections and what they count."""
    return f"**Framework:** {scope.framework}. **Inspections counted:** {scope.describe()}."
