"""Robustness a referee expects, on the page (the analysis plan's third revision, 6 December 2026): the
specification curves of the primary estimates (reports 02 and 06), year as categories and as a spline, and
region as a random intercept.

Every function here refits a model of :mod:`sendstats.questions.wsoa` or :mod:`sendstats.questions.oversight` with one
choice changed; none chooses a specification."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .. import stats
from ..scope import PLAN, PLAN_2023, Scope, scoped
from . import first_2023, wsoa

YEAR_CODINGS = ("linear", "categories", "spline")  # how inspection year enters a model
SPLINE_DF = 3  # the natural cubic spline's degrees of freedom (the plan's third revision)
CONFOUNDER_SETS = {"pre-specified": wsoa.FIRST_CONFOUNDERS, "revised": wsoa.CONFOUNDERS}
SLIVERS_2016 = (0.0, 0.05, 0.10)
SLIVERS_2023 = (None, 0.05)  # none (the primary) and the 2016 analysis's 5% rule
CURVE_COLUMNS = ["confounders", "sliver", "year", "odds_ratio", "ci_low", "ci_high", "p_value", "n_used", "method"]


def with_year(a: pd.DataFrame, coding: str, confounders) -> tuple[pd.DataFrame, list[str]]:
    """``a`` with inspection year coded as ``coding`` (:data:`YEAR_CODINGS`), and ``confounders`` with
    ``inspection_year`` replaced by the terms of that coding.

    Returns (frame, confounder list): linear keeps the column; categories adds ``inspection_year_cat`` (the
    first year the reference); spline adds ``year_spline_1`` .. ``year_spline_3`` (patsy's natural cubic
    regression spline ``cr``, centred, :data:`SPLINE_DF` degrees of freedom)."""
    if coding not in YEAR_CODINGS:
        from ..errors import ParameterError

        raise ParameterError(f"year coding must be one of {', '.join(YEAR_CODINGS)}, got {coding!r}")
    if coding == "linear":
        return a, list(confounders)
    a = a.copy()
    if coding == "categories":
        years = sorted(a["inspection_year"].dropna().astype(int).unique())
        a["inspection_year_cat"] = pd.Categorical(
            a["inspection_year"].astype("Int64").astype(str), [str(y) for y in years]
        )
        terms = ["inspection_year_cat"]
    else:
        import patsy

        x = a["inspection_year"].astype(float)
        basis = np.asarray(patsy.dmatrix(f"cr(x, df={SPLINE_DF}, constraints='center') - 1", {"x": x}))
        terms = [f"year_spline_{i + 1}" for i in range(basis.shape[1])]
        for i, t in enumerate(terms):
            a[t] = basis[:, i]
    out = [t for c in confounders for t in (terms if c == "inspection_year" else [c])]
    return a, out


def _fit(kind: str, frame: pd.DataFrame, exposure: str, confounders) -> dict:
    fit = (
        stats.logistic(frame, "wsoa", [exposure, *confounders])
        if kind == "logistic"
        else stats.ordinal(frame, "outcome", [exposure, *confounders])
    )
    r = fit[fit["term"] == exposure].iloc[0]
    return {k: r[k] for k in ("odds_ratio", "ci_low", "ci_high", "p_value", "n_used", "method")}


@scoped(PLAN)
def spec_curve_2016(scope: Scope = PLAN) -> pd.DataFrame:
    """The structural primary estimate of report 02 under every combination of confounder set
    (:data:`CONFOUNDER_SETS`), sliver (:data:`SLIVERS_2016`) and year coding (:data:`YEAR_CODINGS`).

    Returns a DataFrame sorted by odds ratio, one row per specification: specification (its number in the
    order of the choices), confounders, sliver, year, odds_ratio, ci_low, ci_high, p_value, n_used, method,
    excludes_1."""
    rows = []
    for (name, conf), sliver, coding in itertools.product(CONFOUNDER_SETS.items(), SLIVERS_2016, YEAR_CODINGS):
        frame, terms = with_year(wsoa.primary_frame(scope.replace(sliver=sliver)), coding, conf)
        rows.append(
            {
                "confounders": name,
                "sliver": f"{sliver:.0%}",
                "year": coding,
                **_fit("logistic", frame, wsoa.EXPOSURE, terms),
            }
        )
    return _sorted(rows)


@scoped(PLAN)
def spec_curve_direct(scope: Scope = PLAN) -> pd.DataFrame:
    """The direct measure's estimate (main CCG rated inadequate) under every combination of confounder set,
    year coding and list (HSJ; Clarke Willmott). Columns as :func:`spec_curve_2016`, with the list in the
    ``sliver`` column's place named ``list``."""
    a = wsoa.primary_frame(scope)
    rows = []
    lists = {"HSJ": "ccg_rated_inadequate", "Clarke Willmott": "ccg_rated_inadequate_cw"}
    for (name, conf), coding, (source, col) in itertools.product(CONFOUNDER_SETS.items(), YEAR_CODINGS, lists.items()):
        frame, terms = with_year(a, coding, conf)
        rows.append({"confounders": name, "list": source, "year": coding, **_fit("logistic", frame, col, terms)})
    return _sorted(rows)


@scoped(PLAN_2023)
def spec_curve_2023(scope: Scope = PLAN_2023) -> pd.DataFrame:
    """Report 06's primary estimate under every combination of confounder set, sliver (:data:`SLIVERS_2023`)
    and year coding (linear; categories: the framework has four years, too few for a spline). Columns as
    :func:`spec_curve_2016`."""
    a = first_2023.areas_2023_first(scope)
    outside = 1 - a["main_sub_icb_share"].astype(float)
    rows = []
    for (name, conf), sliver, coding in itertools.product(CONFOUNDER_SETS.items(), SLIVERS_2023, YEAR_CODINGS[:2]):
        frame = (
            a
            if sliver is None
            else a.assign(**{first_2023.EXPOSURE_2023: (outside >= sliver - 1e-12).astype("boolean")})
        )
        frame, terms = with_year(frame, coding, conf)
        label = "none" if sliver is None else f"{sliver:.0%}"
        rows.append(
            {
                "confounders": name,
                "sliver": label,
                "year": coding,
                **_fit("ordinal", frame, first_2023.EXPOSURE_2023, terms),
            }
        )
    return _sorted(rows)


def _sorted(rows) -> pd.DataFrame:
    out = pd.DataFrame(rows).rename_axis("specification").reset_index()  # numbered in the order of the choices
    out = out.sort_values("odds_ratio", kind="stable").reset_index(drop=True)
    out["excludes_1"] = (out["ci_low"] > 1) | (out["ci_high"] < 1)
    return out


def describe_spec_curve(curve: pd.DataFrame, what: str) -> str:
    """The sentence under a specification curve: how many specifications, the range of the odds ratio, the
    share whose interval excludes 1, and the range of n."""
    k = int(curve["excludes_1"].sum())
    return (
        f"Across all {len(curve)} specifications of {what} the odds ratio runs from {curve['odds_ratio'].min():.2f}"
        f" to {curve['odds_ratio'].max():.2f} (median {curve['odds_ratio'].median():.2f}); {k} of the {len(curve)}"
        f" intervals ({k / len(curve):.0%}) exclude 1 (n from {int(curve['n_used'].min())} to"
        f" {int(curve['n_used'].max())})."
    )


def random_intercept(a: pd.DataFrame, exposure: str, confounders=wsoa.CONFOUNDERS, *, method: str = "vb") -> dict:
    """The logistic model of a WSoA on ``exposure`` and ``confounders`` with region as a random intercept
    instead of a fixed effect: statsmodels' ``BinomialBayesMixedGLM`` with its default priors (normal, SD 2, on
    the fixed effects; on the log SD of the region effects, normal, SD 1), numbers per SD, complete cases.
    ``method``: "vb" (variational Bayes, the plan's) or "map" (the Laplace approximation at the posterior mode).

    Returns a dict: odds_ratio, ci_low, ci_high (95% credible interval from the posterior mean and SD of the
    exposure's log odds ratio), p_value (NaN: a Bayesian fit has none), n_used, n_dropped, region_sd (the region
    effects' SD: exp of the posterior mean, or mode, of its log), method. The mode's search starts from a fixed
    seed (:data:`sendstats.stats.SEED`), so the fit is reproducible."""
    from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM

    fixed = [exposure, *(c for c in confounders if c != "region")]
    used = a.dropna(subset=["wsoa", "region", *fixed])
    X, _ = stats.design(used, fixed, standardise=True)
    X.insert(0, "intercept", 1.0)
    regions = pd.get_dummies(used["region"].astype(str), dtype=float)
    model = BinomialBayesMixedGLM(
        used["wsoa"].astype(float).to_numpy(), X.to_numpy(), regions.to_numpy(), np.zeros(regions.shape[1], dtype=int)
    )
    import warnings

    with warnings.catch_warnings(record=True) as caught:  # a fit's warning goes into its method, never a page
        warnings.simplefilter("always")
        rng = np.random.default_rng(stats.SEED)  # both fits draw their starting values
        fit = model.fit_vb(rng=rng) if method == "vb" else model.fit_map(rng=rng)
    note = "the optimiser stopped before its convergence criterion" if caught else ""
    i = list(X.columns).index(exposure)
    m, sd = float(fit.fe_mean[i]), float(fit.fe_sd[i])
    return {
        "odds_ratio": float(np.exp(m)),
        "ci_low": float(np.exp(m - 1.959964 * sd)),
        "ci_high": float(np.exp(m + 1.959964 * sd)),
        "p_value": np.nan,
        "n_used": len(used),
        "n_dropped": len(a) - len(used),
        "region_sd": float(np.exp(fit.vcp_mean[0])),
        "method": "Bayesian mixed logistic, region as a random intercept ("
        + ("variational Bayes" if method == "vb" else "Laplace approximation")
        + "; statsmodels BinomialBayesMixedGLM, default priors)"
        + (f"; the fit warned: {note}" if note else ""),
    }


@scoped(PLAN)
def further_rows(scope: Scope = PLAN) -> pd.DataFrame:
    """The rows the plan's third revision adds to report 02's sensitivity family, for both co-primary exposures
    (structure: not coterminous; rating: main CCG rated inadequate): year as categories, year as a natural
    cubic spline, and region as a random intercept (variational Bayes, the plan's; variational Bayes is known
    to understate posterior spread, so its interval is read as at most as wide as the posterior's).

    Returns a DataFrame, one row per exposure and specification: exposure, specification, odds_ratio, ci_low,
    ci_high, p_value, n_used, method."""
    a = wsoa.primary_frame(scope)
    rows = []
    for name, exposure in (("structure", wsoa.EXPOSURE), ("rating", "ccg_rated_inadequate")):
        for coding in YEAR_CODINGS[1:]:
            frame, terms = with_year(a, coding, wsoa.CONFOUNDERS)
            words = (
                "year as categories" if coding == "categories" else f"year as a natural cubic spline ({SPLINE_DF} df)"
            )
            rows.append({"exposure": name, "specification": words, **_fit("logistic", frame, exposure, terms)})
        r = random_intercept(a, exposure)
        rows.append(
            {
                "exposure": name,
                "specification": f"region as a random intercept (variational Bayes; SD of the region effects"
                f" {r['region_sd']:.2f})",
                **{k: r[k] for k in ("odds_ratio", "ci_low", "ci_high", "p_value", "n_used", "method")},
            }
        )
    return pd.DataFrame(rows)
