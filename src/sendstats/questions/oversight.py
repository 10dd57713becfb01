"""Does weak CCG oversight go with a WSoA? Every measure of oversight the sources hold, side by side (report
02's opening section; the analysis plan's third revision, 6 December 2026).

Two co-primary estimates answer the headline question: the structural one (not served by one coterminous CCG,
:func:`sendstats.questions.wsoa.primary_model`) and the direct one (the area's main CCG rated inadequate in NHS
England's 2015/16 assessment, :func:`direct_model`), one Bonferroni family of two. The other rows of
:func:`oversight_table` are exploratory or, for the inspectors' own words, descriptive and selected on the
outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

from .. import stats
from ..data import geography, registry
from ..scope import PLAN, Scope, scoped
from ..wording import and_list, long_date, p_is
from . import first_2023, outcome_2023, wsoa

EXPOSURE = wsoa.EXPOSURE
DIRECT = "ccg_rated_inadequate"  # the plan's direct measure: main CCG on the HSJ list
FAMILY = 2  # the co-primary family: structural and direct (Bonferroni)
SHARE_UNIT = 10  # the share of LSOAs in an inadequate CCG, per 10 percentage points
ESTIMATE = ["odds_ratio", "ci_low", "ci_high", "p_value", "n_used", "n_dropped", "n_events", "method"]


TABLE = ["odds_ratio", "ci_low", "ci_high", "p_value", "n_used", "n_dropped", "method"]  # an oversight table's
OFFICERS = ("dmo_in_post", "dco_in_post")


def _exposure_row(fit: pd.DataFrame, term: str, columns=ESTIMATE) -> dict:
    return fit.loc[fit["term"] == term, list(columns)].iloc[0].to_dict()


def _pick(fit: pd.DataFrame, term: str) -> dict:
    """A term's row of a fit with the columns of an oversight table."""
    return _exposure_row(fit, term, TABLE)


def _no_officer(a: pd.DataFrame) -> pd.DataFrame:
    """``a`` with ``no_dmo_in_post`` and ``no_dco_in_post``: the officer recruiting or none (True), in post
    (False), or not collected (missing)."""
    return a.assign(
        **{
            f"no_{c}": a[c].astype(object).map({"Yes": False, "Recruiting": True, "No": True}).astype("boolean")
            for c in OFFICERS
        }
    )


def direct_model(
    scope: Scope = PLAN, *, data=None, exposure: str = DIRECT, confounders=wsoa.CONFOUNDERS
) -> pd.DataFrame:
    """WSoA on the direct measure of oversight (``exposure``, by default the area's main CCG in April 2016 rated
    inadequate, HSJ list), adjusted for the revised primary model's confounders (or ``confounders``), on the
    scope's areas (or ``data``, a frame of :func:`sendstats.questions.wsoa.areas_2016`).

    Returns a DataFrame, one row per term, exposure first, with the columns of :func:`sendstats.stats.logistic`
    (term, unit, odds_ratio, ci_low, ci_high, p_value, n_used, n_dropped, n_events, method)."""
    a = wsoa.primary_frame(scope) if data is None else data
    return stats.logistic(a, "wsoa", [exposure, *confounders])


def bonferroni(row: dict, family: int = FAMILY) -> dict:
    """The Bonferroni reading of a Wald estimate in a family of ``family``: the (1 - 0.05/family) interval from
    the same standard error as the row's 95% interval, and p times ``family`` (at most 1).

    Returns a dict: ci_low_adj, ci_high_adj, p_adj, level (e.g. 0.975)."""
    level = 1 - 0.05 / family
    if "Wald" not in str(row.get("method", "")):  # a profile-likelihood interval cannot be rescaled this way
        return {"ci_low_adj": np.nan, "ci_high_adj": np.nan, "p_adj": np.nan, "level": level}
    se, orr = stats.se_from_ci(row), float(row["odds_ratio"])
    z = st.norm.ppf(1 - (1 - level) / 2)
    return {
        "ci_low_adj": float(np.exp(np.log(orr) - z * se)),
        "ci_high_adj": float(np.exp(np.log(orr) + z * se)),
        "p_adj": float(min(1.0, family * row["p_value"])),
        "level": level,
    }


@scoped(PLAN)
def direct_sensitivity(scope: Scope = PLAN) -> pd.DataFrame:
    """The direct measure under each specification of the plan's third revision, on the scope's areas.

    Returns a DataFrame, one row per specification: specification, odds_ratio, ci_low, ci_high, p_value,
    n_used, n_dropped, n_events, method, unit (what one step of the exposure is)."""
    a = wsoa.primary_frame(scope)
    rows = []

    def add(spec, row, unit="rated inadequate vs not"):
        rows.append({"specification": spec, **row, "unit": unit})

    add(
        f"co-primary: main CCG rated inadequate (HSJ list), adjusted for {wsoa.adjusted_for()}",
        _exposure_row(direct_model(data=a), DIRECT),
    )
    share = a.assign(inadequate_share_10pp=a["inadequate_ccg_share"] * 100 / SHARE_UNIT)
    add(
        "share of the area's LSOAs in a CCG rated inadequate",
        _exposure_row(
            stats.logistic(share, "wsoa", ["inadequate_share_10pp", *wsoa.CONFOUNDERS], standardise=False),
            "inadequate_share_10pp",
        ),
        f"per {SHARE_UNIT} percentage points",
    )
    add(
        f"any CCG holding {geography.RATING_SLIVER:.0%} or more of the area's LSOAs rated inadequate",
        _exposure_row(direct_model(data=a, exposure="ccg_inadequate_any5"), "ccg_inadequate_any5"),
    )
    add(
        "Clarke Willmott's list in place of the HSJ list",
        _exposure_row(direct_model(data=a, exposure="ccg_rated_inadequate_cw"), "ccg_rated_inadequate_cw"),
    )
    until = geography.ratings_current_until()
    early = a[a["factor_date"] < until]
    add(
        f"inspections that started before {long_date(until)}, when the rated CCGs began to merge",
        _exposure_row(direct_model(data=early), DIRECT)
        if early[DIRECT].nunique() == 2 and len(early) > 10
        else {**dict.fromkeys(ESTIMATE, np.nan), "n_used": len(early), "method": "not estimable: too few areas"},
    )
    add(
        f"adjusted for the pre-specified confounders only ({wsoa.adjusted_for(wsoa.FIRST_CONFOUNDERS)})",
        _exposure_row(direct_model(data=a, confounders=wsoa.FIRST_CONFOUNDERS), DIRECT),
    )
    return pd.DataFrame(rows)


@scoped(PLAN)
def co_primary(scope: Scope = PLAN) -> pd.DataFrame:
    """The two co-primary estimates of the headline question, with their Bonferroni reading (family of two).

    Returns a DataFrame, one row per measure: measure, odds_ratio, ci_low, ci_high (95%), p_value,
    ci_low_adj, ci_high_adj (97.5%), p_adj (Bonferroni), n_used, n_dropped, n_events, method."""
    a = wsoa.primary_frame(scope)
    rows = []
    for measure, fit, term in (
        ("structure: not served by one coterminous CCG", wsoa.primary_model(data=a), wsoa.EXPOSURE),
        ("NHS England's rating: main CCG rated inadequate (2015/16)", direct_model(data=a), DIRECT),
    ):
        r = _exposure_row(fit, term)
        adj = bonferroni(r)
        rows.append({"measure": measure, **r, **{k: v for k, v in adj.items() if k != "level"}})
    return pd.DataFrame(rows)


def _row(measure, what, sample, r, kind):
    return {"measure": measure, "what it measures": what, "sample": sample, "role": kind, **r}


@scoped(PLAN)
def oversight_table(scope: Scope = PLAN, co: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every measure of CCG oversight the sources hold, one row each (report 02's opening table); its first two
    rows are :func:`co_primary`'s (``co``, when the page has fitted it already).

    Returns a DataFrame with columns measure, what it measures, sample, role (confirmatory, exploratory or
    descriptive), odds_ratio, ci_low, ci_high (95%), p_value, n_used, n_dropped, method. An odds ratio above 1
    means the weaker oversight goes with a WSoA, except the last row (see its measure)."""
    from ..letters import area_themes

    a = wsoa.primary_frame(scope)
    co = co_primary(scope) if co is None else co
    adj = wsoa.adjusted_for()
    rows = [
        _row(
            "not served by one coterminous CCG",
            "structure: more than one CCG, or one shared with other areas (CCGs under the sliver ignored)",
            f"every area in scope; adjusted for {adj}",
            co.iloc[0][TABLE].to_dict(),
            "confirmatory (co-primary, revised model)",
        ),
        _row(
            "main CCG rated inadequate by NHS England (2015/16)",
            "the quality of the CCG as NHS England rated it (five domains, leadership among them)",
            f"every area in scope; adjusted for {adj}",
            co.iloc[1][TABLE].to_dict(),
            "confirmatory (co-primary, pre-specified in the third revision)",
        ),
    ]
    mech = stats.logistic(a, "wsoa", ["ccg_mechanism", *wsoa.CONFOUNDERS])
    for level in wsoa.CCG_MECHANISMS[1:]:
        rows.append(
            _row(
                f"{level} CCG",
                wsoa.MECHANISM_WORDS[level].split(": ", 1)[1],
                f"every area in scope; against coterminous, one model of both; adjusted for {adj}",
                _pick(mech, f"ccg_mechanism={level}"),
                "exploratory",
            )
        )
    few = ["region", "inspection_year"]
    for c in OFFICERS:
        rows.append(
            _row(
                f"no {registry.label(c)} (recruiting or none)",
                "the health system's named lead for SEND",
                f"areas inspected from 2019 (DfE collected it from then); adjusted for {wsoa.adjusted_for(few)}"
                " only (few areas)",
                _pick(stats.logistic(_no_officer(a), "wsoa", [f"no_{c}", *few]), f"no_{c}"),
                "exploratory",
            )
        )
    # WSoA areas with a complete hand-coded list, and whether inspectors named CCG or health leadership
    th = area_themes().merge(a.loc[a["wsoa"], ["la_code", EXPOSURE]].dropna(), left_on="code", right_on="la_code")
    t = stats.table_test(th.astype({EXPOSURE: bool}), EXPOSURE, "health_ccg_leadership")
    rows.append(
        _row(
            "inspectors named CCG or health leadership a significant weakness, by not coterminous",
            "the inspectors' own judgement of health leadership; odds of it being named in areas not served by"
            " one coterminous CCG against areas served by one",
            "WSoA areas with a complete list of weaknesses only (selected on the outcome)",
            {
                "odds_ratio": t["effect"],
                "ci_low": t["ci_low"],
                "ci_high": t["ci_high"],
                "p_value": t["p_value"],
                "n_used": t["n_used"],
                "n_dropped": int(a["wsoa"].sum()) - t["n_used"],
                "method": t["test"],
            },
            "descriptive",
        )
    )
    return pd.DataFrame(rows)


def _direction(r, towards: str, away: str, n: bool = False) -> str:
    """Which way one row of an oversight table points: 'points {towards}' or 'points {away}', with its odds ratio,
    interval (and n), and whether the interval excludes 1."""
    if not np.isfinite(r["odds_ratio"]):
        return "not estimable"
    sure = "its interval excludes 1" if (r["ci_low"] > 1 or r["ci_high"] < 1) else "its interval includes 1"
    return (
        f"points {towards if r['odds_ratio'] > 1 else away} ({r['odds_ratio']:.2f}, 95% CI {r['ci_low']:.2f} to"
        f" {r['ci_high']:.2f}; " + (f"n = {int(r['n_used'])}; " if n else "") + f"{sure})"
    )


def describe_oversight(table: pd.DataFrame, co: pd.DataFrame) -> str:
    """The page's answer to the headline question, generated from :func:`oversight_table` and
    :func:`co_primary`: the two co-primary estimates with their Bonferroni reading, which way every measure
    points, and where they agree."""
    s, d = co.iloc[0], co.iloc[1]
    same = int(s["n_used"]) == int(d["n_used"])
    sample = f"on the same {int(s['n_used'])} areas" if same else f"on {int(s['n_used'])} and {int(d['n_used'])} areas"
    agree = (s["odds_ratio"] > 1) == (d["odds_ratio"] > 1)
    decided = [r for r in (s, d) if r["ci_low_adj"] > 1 or r["ci_high_adj"] < 1]
    text = (
        f"{sample[0].upper() + sample[1:]}, the two co-primary measures of weak CCG oversight point"
        f" {'the same way' if agree else 'in opposite directions'}: areas not served by one coterminous CCG had"
        f" {s['odds_ratio']:.2f} times the odds of a WSoA (95% CI {s['ci_low']:.2f} to {s['ci_high']:.2f}), and areas"
        f" whose main CCG NHS England rated inadequate for 2015/16 had {d['odds_ratio']:.2f} times the odds (95% CI"
        f" {d['ci_low']:.2f} to {d['ci_high']:.2f}); "
        + (
            "after the Bonferroni correction for the two, neither interval excludes 1. "
            if not decided
            else f"after the Bonferroni correction, {len(decided)} of the two intervals"
            f" exclude{'s' * (len(decided) == 1)} 1. "
        )
        + f"Bonferroni readings (97.5% intervals, p times 2): structure {s['ci_low_adj']:.2f} to"
        f" {s['ci_high_adj']:.2f}, {p_is(s['p_adj'])}; rating {d['ci_low_adj']:.2f} to {d['ci_high_adj']:.2f},"
        f" {p_is(d['p_adj'])}. "
    )
    ways: dict[bool, list[str]] = {}
    for _, r in table.iloc[:-1].iterrows():
        ways.setdefault(bool(r["odds_ratio"] > 1), []).append(r["measure"])
        text += f"{r['measure'][0].upper() + r['measure'][1:]}: {_direction(r, 'with a WSoA', 'against a WSoA')}. "
    up, down = ways.get(True, []), ways.get(False, [])
    if up and down:
        text += (
            f"The measures do not agree: {and_list(up)} point{'s' if len(up) == 1 else ''} towards a WSoA and"
            f" {and_list(down)} away from one. "
        )
    else:
        text += f"Every measure points {'towards' if up else 'away from'} a WSoA. "
    last = table.iloc[-1]
    text += (
        f"Among WSoA areas with a complete list, the inspectors named CCG or health leadership a significant weakness"
        f" with odds ratio {last['odds_ratio']:.2f} (95% CI {last['ci_low']:.2f} to {last['ci_high']:.2f};"
        f" n = {int(last['n_used'])}) in areas not served by one coterminous CCG against areas served by one;"
        " this is descriptive, and selected on the outcome. Every estimate here is an association, not an effect."
    )
    return text


def oversight_table_2023(areas: pd.DataFrame) -> pd.DataFrame:
    """Every measure of the NHS partner's oversight the sources hold for the 2023 framework, one row each
    (report 06's opening table; ``areas``: :func:`sendstats.questions.first_2023.areas_2023_first`): the
    structure of the ICB era (more than one sub-ICB location, the primary exposure; more than one ICB), the
    designated medical and clinical officers, and, descriptive and written after the outcome was decided, the
    share of each bundled report's recommendations that name the ICB as a responsible body.

    Returns a DataFrame with the columns of :func:`oversight_table`; each odds ratio is of a worse outcome
    (proportional odds), above 1 meaning the weaker oversight goes with a worse outcome."""
    adj = wsoa.adjusted_for()
    a = _no_officer(areas).assign(multi_icb=(areas["n_icbs"] > 1).astype("boolean"))
    rows = [
        _row(
            "more than one sub-ICB location",
            "structure: the former CCGs that serve the area's LSOAs (July 2022 boundaries)",
            f"each area's first 2023 inspection; adjusted for {adj}",
            _pick(outcome_2023.primary_model_2023(a), first_2023.EXPOSURE_2023),
            "confirmatory (report 06's primary, revised model)",
        ),
        _row(
            "more than one ICB",
            "structure: the area's NHS partner is more than one integrated care board",
            f"each area's first 2023 inspection; adjusted for {adj}",
            _pick(stats.ordinal(a, "outcome", ["multi_icb", *wsoa.CONFOUNDERS]), "multi_icb"),
            "exploratory",
        ),
    ]
    for c in OFFICERS:
        rows.append(
            _row(
                f"no {registry.label(c)} (recruiting or none)",
                "the health system's named lead for SEND (SEN2, the January before the inspection)",
                f"each area's first 2023 inspection; adjusted for {adj}",
                _pick(stats.ordinal(a, "outcome", [f"no_{c}", *wsoa.CONFOUNDERS]), f"no_{c}"),
                "exploratory",
            )
        )
    bodies = outcome_2023.responsible_bodies_2023().dropna(subset=["share_naming_icb", "outcome"])
    bodies = bodies.assign(icb_share_10pp=bodies["share_naming_icb"] * 100 / SHARE_UNIT)
    fit = stats.ordinal(bodies, "outcome", ["icb_share_10pp"], standardise=False)
    rows.append(
        _row(
            "share of the report's recommendations naming the ICB (per 10 percentage points)",
            "how far the inspectors held the ICB responsible for what must improve",
            "bundled 2023 reports only, unadjusted; written after the outcome was decided",
            {**_pick(fit, "icb_share_10pp"), "n_dropped": 0},
            "descriptive",
        )
    )
    return pd.DataFrame(rows)


def describe_oversight_2023(table: pd.DataFrame) -> str:
    """Report 06's answer from :func:`oversight_table_2023`: the primary estimate, which way each measure points
    and on which sample."""
    p = table.iloc[0]
    text = (
        f"For the 2023 framework the sources hold no rating of ICBs, so oversight is measured by structure, the"
        f" designated officers and the reports' own words: areas served by more than one sub-ICB location had"
        f" {p['odds_ratio']:.2f} times the odds of a worse outcome (95% CI {p['ci_low']:.2f} to {p['ci_high']:.2f};"
        f" n = {int(p['n_used'])}). "
    )
    for _, r in table.iloc[1:].iterrows():
        way = _direction(r, "towards a worse outcome", "away from a worse outcome", n=True)
        text += f"{r['measure'][0].upper() + r['measure'][1:]}: {way}. "
    return text + (
        "The last row is on the bundled reports only and describes what inspectors wrote once the outcome was"
        " decided; every estimate here is an association."
    )
