"""Statistics returning tidy DataFrames (or small dicts), built on statsmodels / scipy."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError


def proportion(successes, n, alpha: float = 0.05) -> pd.Series:
    """Estimate ``successes / n`` with a Wilson score interval (default 95%).

    Returns a Series: successes, n, share, ci_low, ci_high. ``n == 0`` gives NaN share and interval.
    Array-like inputs give a DataFrame with one row per element.
    """
    from statsmodels.stats.proportion import proportion_confint  # heavy: imported on first use

    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(m < 0) or np.any(k > m):
        raise ParameterError(f"proportion needs 0 <= successes <= n, got successes={successes!r}, n={n!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(m > 0, k / np.where(m > 0, m, 1), np.nan)
        lo, hi = proportion_confint(k, np.where(m > 0, m, 1), alpha=alpha, method="wilson")
    lo, hi = np.where(m > 0, lo, np.nan), np.where(m > 0, hi, np.nan)
    cols = {"successes": k.astype(int), "n": m.astype(int), "share": share, "ci_low": lo, "ci_high": hi}
    if k.ndim == 0:
        return pd.Series({c: v.item() for c, v in cols.items()})
    return pd.DataFrame(cols)
