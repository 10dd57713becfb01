"""Each area's first (or latest) 2023-framework inspection with its factors: the sample reports 04 and 06
share, and the sentence that says what it holds."""

from __future__ import annotations

import pandas as pd

from ..data.boundaries import ICB_MERGERS_BEGAN
from ..outcomes import load_areas
from ..scope import PLAN_2023, Scope, scoped
from ..wording import long_date, plural
from .wsoa import CONFOUNDERS, for_models, model_scope

# --- the 2023 framework: factors and the three-level outcome (docs/analysis_plan.md, report 06) -------------
EXPOSURE_2023 = "multi_sub_icb"


@scoped(PLAN_2023)
def areas_2023_first(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Each area's first (scope ``inspection="latest"``: latest) 2023-framework inspection with a published
    outcome, among inspections published (or started) by the scope's ``as_at``, without its
    ``exclude_regions``, with every factor as at it, ``inspection_year`` and the plan's exposure
    ``multi_sub_icb`` (more than one sub-ICB location serves the area). ``attrs``: n_inspections (with an
    outcome), n_reinspections_left_out, n_no_outcome, n_region_left_out."""
    scope = model_scope(scope, "2023", "areas_2023_first", "as_at", "basis", "exclude_regions", "inspection")
    a = load_areas("2023")
    if scope.as_at is not None:
        a = a[a[scope.date_column] <= scope.as_at]
    has = a[a["outcome"].notna()].sort_values("published")
    first = has.drop_duplicates("la_code", keep="last" if scope.inspection == "latest" else "first")
    out = for_models(first, scope)
    out[EXPOSURE_2023] = (out["n_sub_icbs"] > 1).astype("boolean")
    out.attrs.update(
        n_inspections=len(has),
        n_reinspections_left_out=len(has) - len(first),
        n_no_outcome=int(a["outcome"].isna().sum()),
        n_region_left_out=len(first) - len(out),
    )
    return out


def describe_areas_2023(areas: pd.DataFrame, scope: Scope) -> str:
    """The sentences that say which areas report 06 analyses (:func:`areas_2023_first`'s frame and attrs), how
    many of its inspections came after the ICB mergers began (their structure is pre-merger), and how many lack
    a 20-week rate because its year is not published yet."""
    s = areas.attrs
    text = (
        f"**Areas analysed:** {len(areas)}, each area's first 2023-framework inspection with a published outcome"
        f" ({s['n_inspections']} inspections have an outcome; {plural(s['n_reinspections_left_out'], 're-inspection')}"
        f" left out so each area counts once; {plural(s['n_no_outcome'], 'inspection')} without a published outcome"
        " left out"
        + (
            f"; {plural(s['n_region_left_out'], 'area')} in {', '.join(scope.exclude_regions)} left out"
            if scope.exclude_regions
            else ""
        )
        + "). "
    )
    merged = int((areas["factor_date"] >= pd.Timestamp(ICB_MERGERS_BEGAN)).sum())
    text += (
        f"The ICB structure is measured on the July 2022 boundaries; {merged} of these inspections are dated (by"
        f" their start, or their publication where no start is known) on or after {long_date(ICB_MERGERS_BEGAN)},"
        " when ICBs began merging, so theirs is the structure before the mergers. "
    )
    late = areas[areas["ehcp_20wk_pct_reason"].astype("string") == "not_published_yet"]
    if len(late):
        years = ", ".join(str(int(y)) for y in sorted(late["inspection_year"].unique()))
        text += (
            f"{plural(len(late), 'area')} (inspected in {years}) have no 20-week rate for the year before: DfE had"
            " not published it yet, so every model with the 20-week rate leaves them out."
        )
    return text.strip()


HISTORY_LEVELS = ["no WSoA", "WSoA, sufficient progress on every weakness", "WSoA, not sufficient or not revisited"]


def same_rows(hist: pd.DataFrame, columns) -> pd.DataFrame:
    """The rows of ``hist`` a model with ``columns`` uses (complete cases on the primary terms and them)."""
    need = [EXPOSURE_2023, "outcome", *CONFOUNDERS, *columns]
    return hist.dropna(subset=[c for c in need if c in hist])
