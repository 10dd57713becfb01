"""The factor screen: each factor against an outcome, one test per factor chosen by its kind, with the
family's false discovery rate, and the sentences that read it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..wording import ci, format_p, label, outcome_label, plural
from .models import logistic, ordinal, ordinal_fit
from .power import mde_for
from .tables import bh, complete_cases, is_numeric, mann_whitney, table_test

SPARSE = 5  # a level of a categorical factor held by fewer areas is not estimable on its own (stated rule)


def _is_categorical(s: pd.Series) -> bool:
    return not is_numeric(s) and not (s.dtype == bool or str(s.dtype) == "boolean")


def sparse_split(df: pd.DataFrame, factor: str, outcome: str) -> tuple[pd.DataFrame, dict]:
    """The rows of a categorical ``factor`` whose level at least :data:`SPARSE` areas (with the outcome known)
    hold, and the levels left out with their counts: the screen's rule for levels too small to estimate.

    Returns
    -------
    tuple: (the rows without the sparse levels, {sparse level: areas})"""
    used, _ = complete_cases(df, [factor, outcome])
    counts = used[factor].value_counts()
    thin = {str(k): int(v) for k, v in counts.items() if 0 < v < SPARSE}
    if not thin:
        return df, {}
    keep = df[~df[factor].astype("string").isin(list(thin))].copy()
    if isinstance(keep[factor].dtype, pd.CategoricalDtype):
        keep[factor] = keep[factor].cat.remove_unused_categories()
    return keep, thin


def ordinal_joint_test(df: pd.DataFrame, outcome: str, factor: str) -> dict:
    """The likelihood-ratio test of all levels of a categorical ``factor`` together in a proportional-odds
    model of ``outcome`` (the fit of :func:`ordinal`, against the thresholds-only model, whose log-likelihood is
    the outcome's own multinomial one): statistic, df, p_value, and the fit's contrasts (each level against the
    first, Wald CI).

    Returns
    -------
    dict: statistic, df, p_value, contrasts (the fit's rows)"""
    from scipy import stats as st

    fit = ordinal_fit(df, outcome, [factor])
    m = fit.table
    used, _ = complete_cases(df, [outcome, factor])
    n_j = used[outcome].value_counts().to_numpy()
    n_j = n_j[n_j > 0]
    null = float((n_j * np.log(n_j / n_j.sum())).sum())
    lr = 2 * (fit.llf - null)
    k = int(m["odds_ratio"].notna().sum())
    p = float(st.chi2.sf(lr, k)) if k and lr == lr else float("nan")
    return {"statistic": lr, "df": k, "p_value": p, "contrasts": m}


def _contrast_rows(factor: str, fit: pd.DataFrame, counts: pd.Series) -> list[dict]:
    """A multi-level factor's contrasts from its fit, labelled ('North West vs East Midlands')."""
    rows = []
    for _, r in fit.iterrows():
        level, ref = r["term"].partition("=")[2], str(r["unit"]).partition("=")[2]
        rows.append(
            {
                "factor": factor,
                "contrast": f"{outcome_label(level)} vs {outcome_label(ref)}",
                "n_level": int(counts.get(level, 0)),
                **{k: r[k] for k in ("odds_ratio", "ci_low", "ci_high", "p_value", "method")},
            }
        )
    return rows


def _sparse_rows(factor: str, thin: dict) -> list[dict]:
    """The levels the sparse rule left out of a factor's test, each as a contrast row saying so."""
    why = f"not estimable: fewer than {SPARSE} areas, left out of this factor's test"
    return [
        {"factor": factor, "contrast": f"{outcome_label(level)} (held by {plural(n, 'area')})", "n_level": n}
        | dict.fromkeys(("odds_ratio", "ci_low", "ci_high", "p_value"), np.nan)
        | {"method": why}
        for level, n in thin.items()
    ]


def _screen_row(factor, kind, n_used, n_dropped, test, p_value, effect_name="", est=(np.nan,) * 3, mw_p=None) -> dict:
    """One row of :func:`screen`: ``est`` is (effect, ci_low, ci_high); ``mw_p``: the Mann-Whitney p beside a
    numeric factor's logistic p."""
    row = {"factor": factor, "kind": kind, "n_used": n_used, "n_dropped": n_dropped, "test": test, "p_value": p_value}
    if mw_p is not None:
        row["mw_p_value"] = mw_p
    return row | {"effect_name": effect_name, "effect": est[0], "ci_low": est[1], "ci_high": est[2]}


@dataclass(frozen=True)
class ScreenResult:
    """A factor screen (:func:`screen`). ``table``: one row per factor (factor, kind, n_used, n_dropped, test,
    p_value, q_value_bh, effect_name, effect, ci_low, ci_high, mw_p_value where computed, min_detectable_or).
    ``contrasts``: the factors of more than two levels level by level, and the levels too small to estimate
    (factor, contrast, n_level, odds_ratio, ci_low, ci_high, p_value, method)."""

    table: pd.DataFrame
    contrasts: pd.DataFrame


def screen(df: pd.DataFrame, outcome: str, factors, *, ordered: bool = False) -> ScreenResult:
    """Each factor against the outcome, one at a time, with Benjamini-Hochberg q-values across the screen.

    Boolean outcome: a numeric factor gets a univariable logistic odds ratio per SD with its p-value from the
    same fit (the p-value used, so p and interval agree), and the Mann-Whitney p in its own column
    (``mw_p_value``); a categorical or boolean factor gets :func:`table_test` (Fisher exact for 2 x 2).
    Ordered outcome (``ordered=True``): a proportional-odds model per factor (Wald p).

    Returns
    -------
    ScreenResult: the table and the contrasts."""
    rows, contrasts, mdes = [], [], []
    if ordered:
        top = outcome_label(str(df[outcome].cat.categories[-1]))
    full = df
    for f in factors:
        s = full[f] if f in full else None
        if s is None:
            raise ParameterError(f"unknown factor {f!r}; available: {sorted(full.columns)}")
        df, thin = sparse_split(full, f, outcome) if _is_categorical(s) else (full, {})
        s = df[f]
        levels = complete_cases(df, [f, outcome])[0][f].astype("string").value_counts()
        left_out = sum(thin.values())  # the sparse levels' areas, counted with the row's dropped
        # beside every result, how large an association it could have detected (an ordered outcome: its top
        # level against the rest, a binary approximation)
        mdes.append(mde_for(df, f, outcome))
        if _is_categorical(s) and len(levels) > 2:
            # a factor of more than two levels: one test of all its levels, its contrasts listed apart
            if ordered:
                j = ordinal_joint_test(df, outcome, f)
                fit, test = j["contrasts"], f"likelihood-ratio test of its {len(levels)} levels (proportional-odds)"
                p_joint, n_used, n_dropped = j["p_value"], int(fit["n_used"].iat[0]), int(fit["n_dropped"].iat[0])
            else:
                t = table_test(df, f, outcome)
                fit = logistic(df, outcome, [f])
                test, p_joint, n_used, n_dropped = t["test"], t["p_value"], t["n_used"], t["n_dropped"]
            contrasts += _contrast_rows(f, fit, levels)
            effect_name = f"joint test of {len(levels)} levels (contrasts listed apart)"
            rows.append(_screen_row(f, "categorical", n_used, n_dropped + left_out, test, p_joint, effect_name))
        elif _is_categorical(s) and len(levels) < 2:
            test = f"not testable: fewer than two levels held by {SPARSE} or more areas"
            n_used = int(levels.sum())
            rows.append(_screen_row(f, "categorical", n_used, len(full) - n_used, test, np.nan))
        elif ordered:
            r = ordinal(df, outcome, [f]).iloc[0]
            name = f"odds ratio of a higher outcome (towards {top}), {r['unit']}" if r["unit"] else "odds ratio"
            kind = "numeric" if is_numeric(s) else "categorical"
            est = (r["odds_ratio"], r["ci_low"], r["ci_high"])
            rows.append(
                _screen_row(f, kind, r["n_used"], r["n_dropped"] + left_out, r["method"], r["p_value"], name, est)
            )
        elif is_numeric(s):
            lg = logistic(df, outcome, [f]).iloc[0]
            mw = mann_whitney(df, f, outcome)
            test = "univariable logistic (p from the same fit); Mann-Whitney p alongside"
            name = f"odds ratio {lg['unit']} ({lg['method'].split(' (')[0]})"
            est = (lg["odds_ratio"], lg["ci_low"], lg["ci_high"])
            row = _screen_row(
                f, "numeric", mw["n_used"], mw["n_dropped"], test, lg["p_value"], name, est, mw["p_value"]
            )
            rows.append(row)
        else:
            t = table_test(df, f, outcome)
            est = (t["effect"], t["ci_low"], t["ci_high"])
            n_dropped = t["n_dropped"] + left_out
            rows.append(
                _screen_row(f, "categorical", t["n_used"], n_dropped, t["test"], t["p_value"], t["effect_name"], est)
            )
        contrasts += _sparse_rows(f, thin)
    out = pd.DataFrame(rows)
    out.insert(out.columns.get_loc("p_value") + 1, "q_value_bh", bh(out["p_value"]))
    out["min_detectable_or"] = mdes
    con = pd.DataFrame(
        contrasts, columns=["factor", "contrast", "n_level", "odds_ratio", "ci_low", "ci_high", "p_value", "method"]
    )
    return ScreenResult(out, con)


def _effect_text(r) -> str:
    """A screen row's effect as prose: the effect and its interval, or a joint test's name."""
    return f"{r['effect_name']} {ci(r)}" if r["effect"] == r["effect"] else r["effect_name"]


def describe_contrasts(result: ScreenResult) -> str:
    """The rule behind a screen's factors of more than two levels and its sparse levels, from its contrasts;
    '' when the screen has neither.

    Returns
    -------
    str: Markdown prose ('' when the screen has no contrasts)"""
    c = result.contrasts
    if not len(c):
        return ""
    joint = [f for f in dict.fromkeys(c.loc[c["odds_ratio"].notna(), "factor"])]
    thin = c[c["odds_ratio"].isna()]
    text = ""
    if joint:
        text += (
            f"For {', '.join(label(f) for f in joint)} (more than two levels) the p-value is one test of all the"
            " factor's levels together, not of one level against another; each level's own contrast with the first"
            " is listed in the table below, for description (its own Wald p, not in the q-value family). "
        )
    if len(thin):
        text += (
            f"A level held by fewer than {SPARSE} areas is not estimable on its own and is left out of its factor's"
            " test (its areas counted as dropped): "
            + "; ".join(f"{label(r['factor'])}, {r['contrast']}" for _, r in thin.iterrows())
            + "."
        )
    return text.strip()


def describe_screen(result: ScreenResult, outcome_text: str) -> str:
    """Plain English under a factor screen: what passed the BH threshold, what it does and does not show.

    Returns
    -------
    str: prose"""
    screen = result.table
    sig = screen[screen["q_value_bh"] < 0.05]
    n = len(screen)
    if sig.empty:
        lead = (
            f"None of the {n} factors is associated with {outcome_text} after Benjamini-Hochberg correction "
            "(all q >= 0.05)"
        )
        lowest = screen.sort_values("p_value").iloc[0] if screen["p_value"].notna().any() else None
        if lowest is not None:
            lead += (
                f"; the smallest unadjusted p-value is {format_p(lowest['p_value'])} ({label(lowest['factor'])}, "
                f"{_effect_text(lowest)})"
            )
    else:
        lead = (
            f"{len(sig)} of {n} factors are associated with {outcome_text} after Benjamini-Hochberg correction: "
            + "; ".join(
                f"{label(r['factor'])} ({_effect_text(r)}, q = {format_p(r['q_value_bh'])})" for _, r in sig.iterrows()
            )
        )
    if "min_detectable_or" in screen and screen["min_detectable_or"].notna().any():
        m = screen["min_detectable_or"].dropna()
        lead += (
            f". With these numbers of areas each test had 80% power only for odds ratios from {m.min():.1f} to "
            f"{m.max():.1f} or beyond (the last column), so these nulls rule out only associations that strong"
        )
        two_level = (screen["kind"] == "numeric") | screen["test"].astype(str).str.startswith("Fisher")
        unreachable = screen[two_level & screen["min_detectable_or"].isna()]
        if len(unreachable):
            lead += (
                f"; for {plural(len(unreachable), 'rarer factor')} no odds ratio up to 1,000 would have been"
                " detected (shown as –), so their rows say nothing either way"
            )
    return (
        lead
        + ". Each row uses the areas with a value for that factor (the n used; the n dropped lacked one). These are "
        "associations across areas, not causes: areas differ in many ways the table does not measure, and a "
        "non-significant result with a wide interval is not evidence of no association."
    )
