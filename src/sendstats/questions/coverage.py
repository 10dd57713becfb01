"""Every area in one table (the areas page and report 01's coverage sections): each area's latest result, the
one count of areas inspected under the 2023 framework, the areas past due or never revisited, and the gaps
and corrections in the sources."""

from __future__ import annotations

import pandas as pd

from ..data import registry
from ..data.boundaries import REPLACED_ON
from ..data.ingest.ofsted import CORRECTED
from ..data.store import data_date
from ..vocabulary import CATEGORY_LABELS as WORDS  # the words for each category, one home
from ..wording import and_list, long_date, md, outcome_label, plural
from .areas import area_index, coded, former_council, profile_links


# --- every area --------------------------------------------------------------------------------------------------
def summary() -> pd.DataFrame:
    """One row per local area: the 153 current areas (May 2023 boundaries) and each former council as its own
    row. Per area: its region, status, 2016-framework result (a successor council's from its former council,
    said so), weaknesses and revisit, every 2023-framework outcome with its date, the last full inspection's
    start date and the years from it to the date the data run to, and the next full inspection's due date."""
    from ..data.store import load_table

    shapes = load_table("area_shapes")
    idx = area_index().set_index("code")
    asof = data_date()
    old = coded("2016").set_index("code")
    new = coded("2023").sort_values(["code", "published"])
    codes = list(shapes["area_code"]) + [c for c in REPLACED_ON if c not in set(shapes["area_code"])]
    rows = []
    for code in codes:
        former = code in REPLACED_ON
        src = code if code in old.index else former_council(code)
        o = old.loc[src] if src in old.index else None
        via = f" ({idx.at[src, 'area']}, the former council)" if o is not None and src != code else ""
        mine = new[new["code"] == code]
        events = [
            f"{outcome_label(str(r['outcome'])) if pd.notna(r['outcome']) else 'outcome not in the sources'}"
            f" ({long_date(r['published'])})"
            for _, r in mine.iterrows()
        ]
        # a 2023-framework inspection with no start date in any source counts from its publication
        began = [
            *mine["inspection_start"].fillna(mine["published"]),
            o["inspection_start"] if o is not None else pd.NaT,
        ]
        starts = [d for d in began if pd.notna(d)]
        last = max(starts) if starts else pd.NaT
        if o is None:
            wsoa, revisit = WORDS["not_inspected"], ""
        else:
            wsoa = (WORDS["wsoa"] if o["wsoa"] else WORDS["no_wsoa"]) + via
            revisit = (
                str(o["revisit_outcome"])
                if o["revisit_status"] == "revisited"
                else registry.value_label(o["revisit_status"])
            )
        rows.append(
            {
                "area": idx.at[code, "area"] if code in idx.index else code,
                "code": code,
                "region": idx.at[code, "region"] if code in idx.index else "",
                "status": f"former council, replaced on {REPLACED_ON[code]}" if former else "current",
                "2016 result": wsoa,
                "weaknesses": o["n_weaknesses"] if o is not None and o["wsoa"] else pd.NA,
                "revisit (sufficient progress)": revisit,
                "2023-framework outcomes": "; ".join(events)
                if events
                else ("" if former else WORDS["not_inspected_yet"]),
                "last full inspection": last,
                "years since": round((asof - last).days / 365.25, 1) if pd.notna(last) and not former else None,
                "monitoring inspection due by": mine["next_monitoring_by"].iat[-1] if len(mine) else pd.NaT,
                "next full inspection due by": mine["next_full_by"].iat[-1] if len(mine) else pd.NaT,
                "profile": code in idx.index,
                "ofsted_page": o["ofsted_url"] if o is not None else None,
                "latest_report": mine["report_url"].iat[-1] if len(mine) else None,
                "outcome_order": outcome_order(mine["outcome"].iat[-1], mine["published"].iat[-1])
                if len(mine)
                else "9",
            }
        )
    out = pd.DataFrame(rows)
    out["weaknesses"] = out["weaknesses"].astype("Int64")
    out.attrs["as_at"] = asof
    return out.sort_values(
        ["status", "area"], key=lambda s: s.str.startswith("former") if s.name == "status" else s.str.lower()
    ).reset_index(drop=True)


def outcome_order(outcome, published) -> str:
    """A sort key for an area's latest 2023-framework outcome: by severity (widespread or systemic failings
    first, then inconsistent, then typically positive; no outcome in the sources, then not inspected, last), then
    by publication date, latest first."""
    rank = {"systemic_failings": 0, "inconsistent": 1, "positive": 2}.get(str(outcome), 3)
    day = 99999999 - int(f"{pd.Timestamp(published):%Y%m%d}") if pd.notna(published) else 99999999
    return f"{rank}-{day:08d}"


def describe_summary(s: pd.DataFrame) -> str:
    """The areas page's opening sentences, from :func:`summary`."""
    cur = _current(s)
    asof = s.attrs["as_at"]
    late, never = past_due(s), never_revisited(s)
    return (
        f"{plural(len(cur), 'current local area')} (May 2023 boundaries) and "
        f"{plural(len(s) - len(cur), 'former council')}, as at {long_date(asof)}, the date the data run to. "
        f"{inspected_2023(s)} of the {len(cur)} current areas have had a 2023-framework inspection; "
        f"{len(late)} of them are past the date by which their next full inspection was due. "
        + never_revisited_sentence(never)
    )


def inspected_2023(s: pd.DataFrame) -> int:
    """From :func:`summary` ``s``: the number of current areas with at least one published 2023-framework
    inspection (with or without a start date in the sources). The one count of "areas inspected under the 2023
    framework" that the areas page and report 01 both state."""
    return int(_current(s)["2023-framework outcomes"].ne(WORDS["not_inspected_yet"]).sum())


def never_revisited_sentence(never: pd.DataFrame) -> str:
    """The one sentence for :func:`never_revisited`'s count, on today's boundaries (report 03 counts WSoA
    inspections as inspected instead, and says so)."""
    return (
        f"{plural(len(never), 'current area')} (on today's boundaries: a former council's WSoA counts for each of "
        "its successors) were required to write a Written Statement of Action and never revisited under the 2016 "
        "framework."
    )


# --- coverage and follow-up (report 01) ------------------------------------------------------------------
def _current(s: pd.DataFrame) -> pd.DataFrame:
    return s[s["status"] == "current"]


def coverage_by_month(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: how far the 2023-framework cycle has got. Per month, the current areas
    whose first 2023-framework inspection began that month, the running total and its share of all current
    areas (an area with no start date in any source is left out and counted in ``attrs['undated']``)."""
    cur = set(_current(s)["code"])
    i = coded("2023")
    first = i[i["code"].isin(cur)].sort_values("inspection_start").drop_duplicates("code")
    dated = first.dropna(subset=["inspection_start"])
    months = dated["inspection_start"].dt.to_period("M")
    full = pd.period_range(months.min(), months.max(), freq="M")
    n = months.value_counts().reindex(full, fill_value=0).sort_index()
    out = pd.DataFrame({"month": [f"{p:%b %Y}" for p in full], "areas first inspected": n.to_numpy()})
    out["areas inspected so far"] = out["areas first inspected"].cumsum()
    out["share of current areas"] = out["areas inspected so far"] / len(cur)
    out.attrs.update(n_areas=len(cur), undated=len(first) - len(dated))
    return out


YEAR_BANDS = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 8), (8, 11)]


def time_since_inspection(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: current areas by the years from the start of their last full inspection
    (either framework) to the date the data run to."""
    years = _current(s)["years since"].astype(float)
    rows = [
        {
            "years since the last full inspection": f"{lo} to under {hi}",
            "areas": int(((years >= lo) & (years < hi)).sum()),
        }
        for lo, hi in YEAR_BANDS
    ]
    out = pd.DataFrame(rows)
    out.attrs["not inspected"] = int(years.isna().sum())
    return out


def past_due(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: current areas past the date by which their next full inspection was due (the
    framework's rule: 5 or 3 years from the inspection's start; a monitoring inspection is not a full one), as at
    the date the data run to, longest overdue first."""
    cur = _current(s)
    due = cur["next full inspection due by"]
    late = cur[due.notna() & (due < s.attrs["as_at"])].copy()
    late["months past due"] = (
        ((s.attrs["as_at"] - late["next full inspection due by"]).dt.days / 30.44).round(0).astype(int)
    )
    cols = ["area", "code", "region", "2023-framework outcomes", "next full inspection due by", "months past due"]
    return late.sort_values("next full inspection due by")[cols].reset_index(drop=True)


def never_revisited(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: areas required to write a WSoA under the 2016 framework (their own or their
    former council's) with no published revisit, and what the 2023 framework has found there since."""
    cur = _current(s)
    rows = cur[
        cur["2016 result"].str.startswith(WORDS["wsoa"])
        & cur["revisit (sufficient progress)"].eq(registry.value_label("not_revisited_yet"))
    ]
    cols = ["area", "code", "region", "2016 result", "weaknesses", "2023-framework outcomes"]
    return rows[cols].reset_index(drop=True)


def describe_coverage(
    s: pd.DataFrame, by_month: pd.DataFrame, bands: pd.DataFrame, late: pd.DataFrame, never: pd.DataFrame
) -> str:
    """The coverage section's sentences, from :func:`summary` ``s`` and its four tables (the counts the areas
    page states come from the same functions)."""
    undated = by_month.attrs["undated"]
    five = int(
        bands.loc[bands["years since the last full inspection"].str.split().str[0].astype(int) >= 5, "areas"].sum()
    )
    dated = int(by_month["areas first inspected"].sum())
    return (
        f"{inspected_2023(s)} of the {by_month.attrs['n_areas']} current areas have had a 2023-framework inspection"
        + (
            f"; the chart places the {dated} whose first one has a start date in the sources by the month it began"
            f" ({plural(undated, 'area')} with no start date in any source: see the gaps below)"
            if undated
            else ", each placed in the chart by the month its first one began"
        )
        + f". {plural(five, 'current area')} last had a full inspection five or more years before the date the data "
        f"run to; {plural(len(late), 'area')} are past the date by which their next full inspection was due. "
        + never_revisited_sentence(never)
    )


def source_gaps() -> pd.DataFrame:
    """Every 2023-framework inspection the sources leave incomplete, and every value filled from the curated
    corrections file: area, code, published, what is missing (or was filled), and the evidence (the report's
    link, or the correction's source). One row per inspection."""
    i = coded("2023")
    gap = i["missing_reason"].notna() | i["source_note"].fillna("").str.contains(CORRECTED, regex=False)
    rows = i[gap].sort_values(["published", "code"])
    return pd.DataFrame(
        {
            "area": rows["area"].astype(str),
            "code": rows["code"],
            "published": rows["published"],
            "missing from the sources": rows["missing_reason"].fillna("nothing (corrected)"),
            "corrected from": [corrected(n) for n in rows["source_note"]],
            "report url": rows["report_url"],
        }
    ).reset_index(drop=True)


def shown_gaps(gaps: pd.DataFrame):
    """:func:`source_gaps` as report 01 shows it, with the links of its area and report columns (from the top
    of the site): (frame, links)."""
    shown = gaps.drop(columns=["code", "report url"]).assign(report="Ofsted report")
    shown = shown.rename(columns={"published": "report published"})
    return shown, {"area": profile_links(gaps["code"]), "report": list(gaps["report url"])}


def corrected(note) -> str:
    if not isinstance(note, str):
        return "–"
    parts = [p.strip().split(CORRECTED, 1) for p in note.split(";") if CORRECTED in p]
    return f"{and_list([registry.label(f) for f, _ in parts])} from {parts[0][1]}" if parts else "–"


def describe_gaps(gaps: pd.DataFrame) -> str:
    """The gaps paragraph of report 01: which inspections the sources leave incomplete, which the curated
    corrections fill, and what that does to the counts."""
    open_ = gaps[gaps["missing from the sources"] != "nothing (corrected)"]
    fixed = gaps[gaps["corrected from"] != "–"]
    undated = open_[open_["missing from the sources"].str.contains("dates")]
    no_outcome = open_[open_["missing from the sources"].str.contains("outcome")]
    out = []
    if len(fixed):
        out.append(
            f"The curated corrections file fills what the sources leave out for {and_list(list(fixed['area']))} "
            "(the table gives each value's source)."
        )
    if len(undated):
        out.append(
            f"No source gives the inspection dates of {and_list(list(undated['area']))}: counts by the date an "
            f"inspection began leave {'it' if len(undated) == 1 else 'them'} out, and no next inspection date is "
            "shown for them."
        )
    if len(no_outcome):
        out.append(
            f"No source gives the outcome of {and_list(list(no_outcome['area']))}'s inspection: outcome counts "
            f"leave {'it' if len(no_outcome) == 1 else 'them'} out."
        )
    return " ".join(out) or "Every 2023-framework inspection has its dates and outcome in the sources."


def coverage_left_out(scope) -> str:
    """Why report 01's coverage section is missing from a render with an ``as_at``."""
    return (
        f"This section is for the data's latest date only; this page counts {md(scope.describe())}, so it is left out."
    )
