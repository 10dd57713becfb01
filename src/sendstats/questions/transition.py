"""The framework transition (report 04): how areas with a WSoA under the 2016 framework fared under the 2023
framework, and whether the areas inspected so far are a fair sample of them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..data import geography
from ..data.boundaries import SUCCESSORS
from ..errors import ParameterError
from ..outcomes import load_inspections
from ..scope import PLAN_2023, Scope, scoped
from ..vocabulary import REVISIT_LEVELS
from ..wording import p_is
from .first_2023 import HISTORY_LEVELS, areas_2023_first, same_rows
from .wsoa import CONFOUNDERS, adjusted_for, model_scope


@scoped(PLAN_2023)
def transition(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Areas inspected under both frameworks: each area's first (or latest) 2023-framework inspection with an
    outcome, joined to the 2016-framework inspection of the same area (same code after
    :data:`geography.SUCCESSION`; a 2023 area whose 2016 predecessor was a former council takes that council's
    result, flagged ``via_predecessor``: see :data:`SUCCESSORS`). The scope's ``inspection`` picks the
    inspection."""
    inspection = model_scope(scope, "2023", "transition", "inspection").inspection
    old = load_inspections("2016").copy()
    old["key"] = geography.harmonise(old["la_code"])
    rows = []
    for _, r in old.iterrows():
        for key in SUCCESSORS.get(r["la_code"], [r["key"]]):
            rows.append({**r.to_dict(), "key": key, "via_predecessor": r["la_code"] in SUCCESSORS})
    old = pd.DataFrame(rows)
    new = load_inspections("2023")
    new = new[new["outcome"].notna()].copy()
    new["key"] = geography.harmonise(new["la_code"])
    new = new.sort_values("published").drop_duplicates("key", keep="last" if inspection == "latest" else "first")
    m = new.merge(
        old[
            [
                "key",
                "area",
                "wsoa",
                "n_weaknesses",
                "revisit_outcome",
                "revisit_status",
                "via_predecessor",
                "inspection_start",
                "published",
            ]
        ].rename(
            columns={
                "area": "area_2016",
                "inspection_start": "inspection_start_2016",
                "published": "published_2016",
            }
        ),
        on="key",
        how="inner",
        validate="one_to_many",
    )
    # an area covered by two predecessors is not possible here; one 2016 row per 2023 inspection
    if m["key"].duplicated().any():
        raise ParameterError(f"transition: area {m['key'][m['key'].duplicated()].iloc[0]} joined twice")
    m["revisit_outcome"] = pd.Categorical(m["revisit_outcome"], categories=REVISIT_LEVELS, ordered=True)
    m["wsoa_2016"] = m["wsoa"].map({True: "WSoA", False: "no WSoA"})
    m["wsoa_2016"] = pd.Categorical(m["wsoa_2016"], categories=["no WSoA", "WSoA"])
    return m.reset_index(drop=True)


def describe_transition(t: pd.DataFrame, inspection: str, include_successors: bool) -> str:
    """The line that says which areas report 04 matches (:func:`transition`'s frame, successors left out when
    ``include_successors`` is false)."""
    return (
        f"**Areas inspected under both frameworks with a 2023 outcome (matched n):** {len(t)}, each with its"
        f" {inspection} 2023-framework inspection ({int((t['wsoa_2016'] == 'WSoA').sum())} had a WSoA;"
        f" {int(t['via_predecessor'].sum())} through a former council{'' if include_successors else ', left out'})."
    )


def describe_wsoa_2023(test: dict, model) -> str:
    """Report 04's sentences on the 2016 WSoA and the 2023 outcome: the proportional-odds odds ratio first,
    then the exact tests of the same table (``test``: :func:`stats.exact_ordinal_tests`)."""
    r = model.iloc[0]
    return (
        f"Areas that had to write a WSoA under the 2016 framework had {r['odds_ratio']:.2f} times the odds of a"
        f" worse 2023 outcome than other areas (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; Wald"
        f" {p_is(r['p_value'])}; n = {int(r['n_used'])}; proportional-odds model). The exact Fisher-Freeman-Halton"
        f" test gives {p_is(test['ffh_p'])} and the exact linear-by-linear trend test {p_is(test['trend_p'])}"
        f" (n = {test['n_used']}). The comparison shows association only, and the two frameworks judge different"
        " things."
    )


@scoped(PLAN_2023)
def selection_2016(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Every 2016-framework area (former councils through their successors, as in :func:`transition`), without
    the scope's ``exclude_regions``, with ``inspected_2023`` (True when :func:`areas_2023_first` of the scope
    holds it: a 2023-framework inspection with an outcome by the scope's ``as_at``), ``inspection_2016_days``
    and ``inspection_year_2016``: to check whether the areas inspected so far under the new framework differ
    from the rest in their 2016 inspection date or result, and to weight for it."""
    old = scope.without_excluded_regions(load_inspections("2016"))
    old = old[~old["predecessor"]].copy()
    old["key"] = geography.harmonise(old["la_code"])
    done = set(geography.harmonise(areas_2023_first(scope)["la_code"]))
    for former, successors in SUCCESSORS.items():
        if any(s in done for s in successors):
            done.add(former)
    old["inspected_2023"] = old["key"].isin(done) | old["la_code"].isin(done)
    old["inspection_2016_days"] = (old["inspection_start"] - pd.Timestamp("2016-05-01")).dt.days.astype(float)
    old["inspection_year_2016"] = old["inspection_start"].dt.year.astype(float)
    return old.reset_index(drop=True)


@scoped(PLAN_2023)
def selection_check(scope: Scope = PLAN_2023) -> tuple[str, pd.DataFrame]:
    """Report 04's selection check on the scope's areas: its sentence (:func:`describe_selection`) and the
    table of the two groups (n, median days from May 2016 to the 2016 inspection, WSoA count)."""
    sel = selection_2016(scope)
    mw = stats.mann_whitney(sel, "inspection_2016_days", "inspected_2023")
    fisher = stats.table_test(sel, "inspected_2023", "wsoa")
    n_in = int(sel["inspected_2023"].sum())
    table = (
        sel.groupby("inspected_2023")
        .agg(n=("area", "size"), median_days=("inspection_2016_days", "median"), n_wsoa=("wsoa", "sum"))
        .rename(index={True: "inspected under 2023 framework", False: "not yet"})
        .rename_axis("group")
        .reset_index()
        .rename(columns={"median_days": "median days from May 2016 to the 2016 inspection"})
    )
    return describe_selection(mw, fisher, n_in, len(sel) - n_in), table


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


SELECTION_TERMS = ["inspection_year_2016", "wsoa", "region"]  # the plan's model of having been inspected yet


def with_history(areas: pd.DataFrame, scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Report 06's areas (:func:`areas_2023_first`) with their 2016-framework history (via :func:`transition`):
    ``history_2016`` (:data:`HISTORY_LEVELS`), ``years_since_2016`` (2016 inspection start, or its publication
    where no start is given, to the 2023 inspection's factor date; missing for the successors of the former
    councils, whose 2016 dates Ofsted's file does not give), and ``inspection_weight``, the stabilised
    inverse-probability weight of having been inspected yet, from :func:`selection_2016` (logistic on
    :data:`SELECTION_TERMS`)."""
    t = transition(Scope("2023", inspection=scope.inspection)).set_index("key")  # the 2016 side: every area
    key = geography.harmonise(areas["la_code"])
    wsoa = key.map(t["wsoa"]).astype("boolean")
    progress = key.map(t["revisit_outcome"].astype(object)).eq("Yes").fillna(False).astype(bool)
    start = pd.to_datetime(key.map(t["inspection_start_2016"].fillna(t["published_2016"])))
    out = areas.copy()
    level = np.where(
        ~wsoa.fillna(False).astype(bool), HISTORY_LEVELS[0], np.where(progress, HISTORY_LEVELS[1], HISTORY_LEVELS[2])
    )
    out["history_2016"] = pd.Series(pd.Categorical(level, categories=HISTORY_LEVELS), index=out.index).where(
        wsoa.notna().to_numpy()
    )
    out["years_since_2016"] = ((out["factor_date"] - start).dt.days / 365.25).to_numpy()
    sel = selection_2016(scope)
    at = pd.DataFrame({"inspection_year_2016": start.dt.year.astype(float), "wsoa": wsoa, "region": out["region"]})
    out["inspection_weight"] = stats.inverse_probability_weights(
        sel, "inspected_2023", SELECTION_TERMS, at.astype({"wsoa": float})
    )
    out.attrs = {**areas.attrs, "n_selection": len(sel), "n_inspected": int(sel["inspected_2023"].sum())}
    return out


def history_split(hist: pd.DataFrame) -> pd.DataFrame:
    """Report 04's split of the 2016 WSoA by revisit progress (the plan's third revision): the 2023 outcome on
    the area's 2016 history (:data:`HISTORY_LEVELS`, no WSoA the reference) adjusted for the plan's
    :data:`CONFOUNDERS`, unweighted and weighted by the inverse probability of having been inspected yet, both
    on the same areas (those with a weight: ``hist`` from :func:`with_history`).

    Returns a DataFrame, one row per level and fit: fit, level, odds_ratio, ci_low, ci_high, p_value, n_used,
    n_level (areas at that level), method."""
    same = same_rows(hist, ["history_2016", "inspection_weight"])
    rows = []
    for fit, weights in (("adjusted", None), ("adjusted and weighted", "inspection_weight")):
        m = stats.ordinal(same, "outcome", ["history_2016", *CONFOUNDERS], weights=weights)
        for level in HISTORY_LEVELS[1:]:
            r = m[m["term"] == f"history_2016={level}"].iloc[0]
            rows.append(
                {
                    "fit": fit,
                    "level": level,
                    **{k: r[k] for k in ("odds_ratio", "ci_low", "ci_high", "p_value", "n_used")},
                    "n_level": int((same["history_2016"] == level).sum()),
                    "method": r["method"],
                }
            )
    return pd.DataFrame(rows)


def describe_history_split(split: pd.DataFrame) -> str:
    """The sentence under :func:`history_split`: each WSoA group against areas without a WSoA, both fits on the
    same areas, with which way each points."""
    parts = []
    for fit, g in split.groupby("fit", sort=False):
        each = "; ".join(
            f"{r['level']} ({r['n_level']} areas): {r['odds_ratio']:.2f} (95% CI {r['ci_low']:.2f} to"
            f" {r['ci_high']:.2f}; {stats.way(r, 'a worse 2023 outcome')})"
            for r in g.to_dict("records")
        )
        parts.append(f"{fit[0].upper() + fit[1:]}: {each}")
    n = int(split["n_used"].iat[0])
    return (
        f"Split by revisit progress, against areas without a WSoA, on the same {n} areas: "
        + ". ".join(parts)
        + f". Both fits adjust for {adjusted_for()}; the weights are report 06's. The single WSoA odds ratio above"
        " pools these groups, which may point in opposite directions."
    )
