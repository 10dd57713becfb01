"""Revisits of WSoA areas (report 03): which areas were revisited, the outcomes, the trend over time and the
time to a revisit."""

from __future__ import annotations

import pandas as pd

from .. import stats
from ..errors import ParameterError
from ..scope import PLAN, Scope, scoped
from ..vocabulary import REVISIT_SHOWN
from ..wording import p_is, plural
from .wsoa import areas_2016


@scoped(PLAN)
def revisits(scope: Scope = PLAN) -> pd.DataFrame:
    """WSoA areas of :func:`areas_2016` whose revisit outcome is known as at the scope
    (:meth:`Scope.revisit_known`), with ``days_to_revisit`` (first inspection start to revisit start) and
    ``years_to_revisit``."""
    a = areas_2016(scope)
    r = a[a["wsoa"] & scope.revisit_known(a)].copy()
    r["days_to_revisit"] = (r["revisit_start"] - r["inspection_start"]).dt.days.astype(float)
    r["years_to_revisit"] = r["days_to_revisit"] / 365.25
    return r.reset_index(drop=True)


def describe_revisit_trend(ex: dict, model, mde: float) -> str:
    """Revisit outcome (2016) against the 2023 outcome: exact tests, the proportional-odds odds ratio per step
    of revisit progress, and what the fit could detect (``mde``: :func:`stats.mde_from_fit` of it)."""
    r = model.iloc[0]
    direction = "better" if r["odds_ratio"] < 1 else "worse"
    est = (
        f"Each step up in revisit progress (No, Some, Yes) went with {r['odds_ratio']:.2f} times the odds of a worse"
        f" 2023 outcome (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; Wald {p_is(r['p_value'])};"
        " proportional-odds model)"
        if pd.notna(r["odds_ratio"])
        else "The proportional-odds model could not be estimated"
    )
    return (
        f"Among {ex['n_used']} revisited WSoA areas with a 2023 outcome, the exact Fisher-Freeman-Halton test gives "
        f"{p_is(ex['ffh_p'])} and the exact linear-by-linear trend test {p_is(ex['trend_p'])} "
        f"(all {ex['n_tables']:,} tables with the observed margins enumerated; scores in category order; the "
        f"correlation of the scores is {ex['trend_r']:.2f}, i.e. more progress at revisit went with {direction} "
        f"2023 outcomes in this sample). {est}. "
        + stats.describe_power(r, mde)
        + "This is an association among the areas inspected so far, not a cause."
    )


def describe_cuts_and_power(cuts, model) -> str:
    """Report 04's check of its ordinal model: the plan's proportional-odds check of the exposure at each cut
    of the outcome (``cuts``: :func:`stats.cut_models`), then what the ordinal fit could detect and rules out."""
    r = model.iloc[0]
    return (stats.describe_cuts(cuts, model, "WSoA areas") + stats.describe_power(r, stats.mde_from_fit(r))).strip()


def describe_few_no_progress(rev: pd.DataFrame) -> str:
    """Report 03's caveat on its lowest cut: how many revisited areas made no progress."""
    n = int((rev["revisit_outcome"] == "No").sum())
    return f"Only {plural(n, 'revisited area')} made no progress, so the cut at 'No' rests on very few areas. "


def describe_revisited(rev: pd.DataFrame, scope: Scope) -> str:
    """The line that says which revisited WSoA areas report 03 analyses (:func:`revisits`)."""
    counts = rev["revisit_outcome"].value_counts()
    by = ", ".join(f"{level} {int(counts.get(level, 0))}" for level in REVISIT_SHOWN)
    return f"**Revisited WSoA areas:** {len(rev)} ({by}); {scope.describe()}."


def describe_per_step(model, per: str, *, tail: str, cuts=None) -> str:
    """Report 03's sentence for a proportional-odds model of the revisit outcome on one count or duration
    (``per``: 'additional significant weakness', 'extra year before the revisit'), then ``tail``, the
    caveat that goes with it. With ``cuts`` (:func:`stats.cut_models` of the same term) and the plan's
    proportional-odds rule firing, the cut-specific estimates lead (:func:`stats.describe_cut_estimates`).
    The direction words come from the estimate's sign and interval."""
    r = model.iloc[0]
    lead = (
        stats.describe_cut_estimates(cuts, model, f"each {per}", "a better revisit outcome") if cuts is not None else ""
    )
    way = (
        "its interval includes 1"
        if r["ci_low"] <= 1 <= r["ci_high"]
        else f"each {per} went with {'higher' if r['odds_ratio'] > 1 else 'lower'} odds of a better revisit outcome"
    )
    return (
        lead + f"Per {per}, the {'single ordinal odds ratio of' if lead else 'odds of'} a better revisit outcome"
        f" {'was' if lead else 'were'} {r['odds_ratio']:.2f}{'' if lead else ' times as high'} (95% CI"
        f" {r['ci_low']:.2f} to {r['ci_high']:.2f}; {p_is(r['p_value'])}; n = {int(r['n_used'])}): {way}. " + tail
    )


@scoped(PLAN)
def revisit_times(scope: Scope = PLAN) -> pd.DataFrame:
    """Each WSoA area's time from its inspection letter's publication to its revisit letter's publication
    (years), censored at the data's end (``as_at``, or the last publication date in the 2016 file) for areas
    whose revisit is not known by then (:meth:`Scope.revisit_known`): columns la_code, area, region, years,
    revisited (the event), n_weaknesses, inspection_year."""
    if scope.basis != "published":
        raise ParameterError("revisit_times measures letter to letter: it needs basis 'published'")
    a = areas_2016(scope)
    end = scope.as_at if scope.as_at is not None else max(a["published"].max(), a["revisit_published"].max())
    w = a[a["wsoa"] & ~a["predecessor"]].copy()
    done = scope.revisit_known(w)
    stop = w["revisit_published"].where(done, end)
    w["years"] = (stop - w["published"]).dt.days / 365.25
    w["revisited"] = done
    return w[["la_code", "area", "region", "years", "revisited", "n_weaknesses", "inspection_year"]].reset_index(
        drop=True
    )


def describe_revisit_times(times: pd.DataFrame, km: stats.KaplanMeier, cx: pd.DataFrame) -> str:
    """Report 03's time to revisit in words: the Kaplan-Meier median for all WSoA areas and for each
    inspection-year cohort (with how many of each are censored, since later cohorts wait longer and hold the
    censored areas), then the Cox model's hazard ratios. ``km``: :func:`stats.kaplan_meier` of ``times``;
    ``cx``: :func:`stats.cox` on n_weaknesses and inspection_year."""

    def median(m):
        v, (lo, hi) = m.median, m.median_ci
        if v != v:
            return "not reached"
        ci = f"{lo:.1f} to {hi:.1f}" if hi == hi else f"{lo:.1f} to not reached"
        return f"{v:.1f} years (95% CI {ci})" if lo == lo else f"{v:.1f} years (no interval: too few events)"

    cohorts = []
    for year, g in times.groupby("inspection_year", sort=True):
        k = stats.kaplan_meier(g["years"], g["revisited"])
        cohorts.append(f"{int(year)}: {k.n} areas, {k.n_censored} censored, median {median(k)}")
    n_cens = km.n_censored
    late = times.loc[~times["revisited"].astype(bool), "inspection_year"]
    where = (
        f" All {n_cens} censored areas were inspected in {int(late.min())}-{int(late.max())}, so the overall median"
        " mixes cohorts that waited very differently; read it by cohort."
        if n_cens and late.min() > times["inspection_year"].min()
        else ""
    )
    hr = lambda i: (
        f"{cx['hazard_ratio'].iat[i]:.2f} times (95% CI {cx['ci_low'].iat[i]:.2f} to {cx['ci_high'].iat[i]:.2f},"
        f" {p_is(cx['p_value'].iat[i])})"
    )
    return (
        f"Kaplan-Meier median time from the inspection letter to the revisit letter: {median(km)} for all"
        f" {km.n} WSoA areas ({n_cens} not revisited by the end of the data are censored, not dropped)."
        f"{where} By inspection year: " + "; ".join(cohorts) + ". In the Cox model, per additional weakness the"
        f" rate of revisit was {hr(0)}, and per later inspection year {hr(1)}: revisits paused in 2020-21, so later"
        " WSoAs waited longer. These are associations."
    )
