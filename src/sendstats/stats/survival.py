"""Time to an event: Kaplan-Meier medians with log-log intervals and Cox models."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .models import design
from .tables import complete_cases


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan-Meier estimate: ``table`` one row per distinct event time (time, at_risk, events, survival: the
    share not yet having had the event); ``median`` and ``median_ci`` (95%, Brookmeyer-Crowley, log-log
    transformed; NaN where not reached); ``n`` (all) and ``n_events`` (the rest are censored)."""

    table: pd.DataFrame
    median: float
    median_ci: tuple[float, float]
    n: int
    n_events: int

    @property
    def n_censored(self) -> int:
        return self.n - self.n_events


def kaplan_meier(time, event) -> KaplanMeier:
    """Kaplan-Meier estimate of the time to an event (statsmodels SurvfuncRight).

    Returns
    -------
    KaplanMeier"""
    from statsmodels.duration.survfunc import SurvfuncRight

    t, e = np.asarray(time, float), np.asarray(event, float)
    sf = SurvfuncRight(t, e)
    table = pd.DataFrame({"time": sf.surv_times, "at_risk": sf.n_risk, "events": sf.n_events, "survival": sf.surv_prob})
    median = float(sf.quantile(0.5)) if (sf.surv_prob <= 0.5).any() else float("nan")
    with np.errstate(all="ignore"):
        lo, hi = sf.quantile_ci(0.5, method="cloglog")
    lo, hi = (float(v) if v is not None and np.isfinite(v) else float("nan") for v in (lo, hi))
    return KaplanMeier(table, median, (lo, hi), len(t), int(e.sum()))


def cox(df: pd.DataFrame, time: str, event: str, predictors) -> pd.DataFrame:
    """Cox proportional hazards (statsmodels PHReg, Breslow ties): one row per predictor with hazard_ratio,
    ci_low, ci_high (95% Wald), p_value (same fit), n_used, n_dropped, n_events.

    Returns
    -------
    pandas.DataFrame, one row per predictor: term, unit, hazard_ratio, ci_low, ci_high, p_value, n_used,
    n_dropped, n_events"""
    import statsmodels.api as sm

    predictors = list(predictors)
    used, dropped = complete_cases(df, [time, event, *predictors])
    X, units = design(used, predictors, standardise=False)
    res = sm.PHReg(
        used[time].astype(float).to_numpy(), X.to_numpy(), status=used[event].astype(float).to_numpy(), ties="breslow"
    ).fit()
    ci = res.conf_int()
    return pd.DataFrame(
        [
            {
                "term": t,
                "unit": units.get(t, ""),
                "hazard_ratio": float(np.exp(b)),
                "ci_low": float(np.exp(ci[i][0])),
                "ci_high": float(np.exp(ci[i][1])),
                "p_value": float(res.pvalues[i]),
                "n_used": len(used),
                "n_dropped": dropped,
                "n_events": int(used[event].astype(bool).sum()),
            }
            for i, (t, b) in enumerate(zip(X.columns, res.params))
        ]
    )
