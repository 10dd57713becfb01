"""Statistics returning tidy DataFrames (or small dicts), built on statsmodels / scipy, one module per kind of
method: ``tables`` (shares, cross-tabulations, exact, permutation and rank tests), ``models`` (logistic and
proportional-odds fits), ``screen`` (the factor screen), ``power`` (power and minimum detectable effects),
``robust`` (E-values, Bayesian, weighted and imputed fits) and ``survival`` (Kaplan-Meier, Cox). Everything
public is importable from here, as ``sendstats.stats.logistic``."""

from __future__ import annotations

from .models import (  # noqa: F401
    LOG,
    PO_RATIO,
    UNINFORMATIVE_SPAN,
    OrdinalFit,
    cut_models,
    describe_cut_estimates,
    describe_cuts,
    describe_model,
    describe_separation,
    design,
    fit_notes,
    fit_notes_text,
    logistic,
    ordinal,
    ordinal_fit,
    proportional_odds_check,
    separated_levels,
    way,
)
from .power import (  # noqa: F401
    approx_power,
    describe_power,
    mde_from_fit,
    min_detectable_or,
    min_detectable_or_ordinal,
    min_detectable_or_per_sd,
    se_from_ci,
    simulated_power,
)
from .robust import (  # noqa: F401
    bayes_logistic,
    describe_e_value,
    e_value,
    inverse_probability_weights,
    mice_logistic,
    weight_summary,
)
from .screen import (  # noqa: F401
    SPARSE,
    ScreenResult,
    describe_contrasts,
    describe_screen,
    ordinal_joint_test,
    screen,
    sparse_split,
)
from .survival import (  # noqa: F401
    KaplanMeier,
    cox,
    kaplan_meier,
)
from .tables import (  # noqa: F401
    MAX_TABLES,
    SEED,
    bh,
    cochran_armitage,
    cramers_v,
    crosstab,
    describe_table_test,
    exact_ordinal_tests,
    kruskal_by,
    mann_whitney,
    mantel_haenszel,
    mid_rank,
    permutation_chi2_p,
    proportion,
    proportions,
    share_by,
    table_test,
)
