"""Which areas each primary model counts, from the source file to the model (the STROBE flow diagram of reports 02
and 06; the analysis plan's third revision). The counts come from the functions that select the areas, so the
diagram cannot disagree with the models."""

from __future__ import annotations

import pandas as pd

from ..outcomes import inspections_as_at, load_inspections
from ..scope import DEFAULT_SLIVER, PLAN, PLAN_2023, Scope, scoped
from ..wording import plural
from . import first_2023, outcome_2023, wsoa

MISSING = "missing a value the model needs"


def _step(stage: str, n: int, left_out: int = 0, why: str = "") -> dict:
    return {"stage": stage, "n": int(n), "left out": int(left_out), "why": why}


@scoped(PLAN)
def flow_2016(scope: Scope = PLAN) -> pd.DataFrame:
    """The 2016 primary models' flow: Ofsted's file, the areas the scope counts, the areas each co-primary
    model used.

    Returns a DataFrame, one row per stage: stage, n (areas at that stage), left out (since the stage before),
    why."""
    from .oversight import direct_model

    every = load_inspections("2016")
    kept = inspections_as_at(scope.replace(exclude_regions=(), sliver=DEFAULT_SLIVER))  # regions: the next step
    gone = every[~every["la_code"].isin(kept["la_code"])]
    former = int(gone["predecessor"].sum())
    areas = wsoa.areas_2016(scope)
    structural = wsoa.primary_model(data=wsoa.primary_frame(scope)).iloc[0]
    direct = direct_model(data=wsoa.primary_frame(scope)).iloc[0]
    why = [f"{plural(former, 'former council')} that no longer existed then" if former else ""]
    why.append(f"{len(gone) - former} not yet published" if len(gone) > former else "")
    models = (
        [_step("analysed by both co-primary models", structural["n_used"], structural["n_dropped"], MISSING)]
        if structural["n_used"] == direct["n_used"]
        else [
            _step("analysed by the structural model", structural["n_used"], structural["n_dropped"], MISSING),
            _step("analysed by the direct model", direct["n_used"], direct["n_dropped"], MISSING),
        ]
    )
    return pd.DataFrame(
        [
            _step(
                "inspections in Ofsted's 2016-framework file\n(with the former councils of its Notes sheet)", len(every)
            ),
            _step("areas counted at the page's date", len(kept), len(every) - len(kept), "; ".join(filter(None, why))),
            _step("areas in the page's scope", len(areas), len(kept) - len(areas), "in a region the page leaves out"),
            *models,
        ]
    )


@scoped(PLAN_2023)
def flow_2023(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Report 06's flow: every 2023-framework inspection in the sources, those with a published outcome, each
    area's first, the scope's, the primary model's. Columns as :func:`flow_2016`."""
    areas = first_2023.areas_2023_first(scope)
    at = areas.attrs
    model = outcome_2023.primary_model_2023(areas).iloc[0]
    total = at["n_inspections"] + at["n_no_outcome"]
    first = at["n_inspections"] - at["n_reinspections_left_out"]
    return pd.DataFrame(
        [
            _step("2023-framework inspections in the sources", total),
            _step("with a published outcome", at["n_inspections"], at["n_no_outcome"], "no outcome in any source"),
            _step("each area's first inspection", first, at["n_reinspections_left_out"], "re-inspections"),
            _step("areas in the page's scope", len(areas), first - len(areas), "in a region the page leaves out"),
            _step(
                "analysed by the primary model", model["n_used"], model["n_dropped"], "missing a value the model needs"
            ),
        ]
    )
