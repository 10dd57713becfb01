"""The questions' functions under their old home, kept for one release so notebooks and JupyterLab sessions
written against ``sendstats.analysis`` keep working. New code imports the question's own module from
:mod:`sendstats.questions` (``wsoa``, ``revisits``, ``transition``, ``first_2023``, ``outcome_2023``, ``letter_themes``,
``maps``)."""

from __future__ import annotations

from .questions.first_2023 import (  # noqa: F401
    EXPOSURE_2023,
    HISTORY_LEVELS,
    areas_2023_first,
    describe_areas_2023,
)
from .questions.letter_themes import (  # noqa: F401
    describe_agreement,
    describe_dataset,
    describe_health_leadership_2023,
    describe_proxy,
    describe_reports_read,
    describe_themes,
    themes_by_outcome_2023,
)
from .questions.maps import (  # noqa: F401
    MAP_2016,
    MAP_2023,
    describe_maps,
    map_frames,
)
from .questions.outcome_2023 import (  # noqa: F401
    LAST_PUBLISHED,
    WEIGHTED,
    cut_models_2023,
    describe_bodies,
    describe_first_cuts_2023,
    describe_history_2023,
    describe_primary_2023,
    describe_sensitivity_2023,
    describe_weights,
    history_model_2023,
    mediators_last_published,
    primary_model_2023,
    responsible_bodies_2023,
    sensitivity_2023,
)
from .questions.revisits import (  # noqa: F401
    describe_cuts_and_power,
    describe_few_no_progress,
    describe_per_step,
    describe_revisit_times,
    describe_revisit_trend,
    describe_revisited,
    revisit_times,
    revisits,
)
from .questions.transition import (  # noqa: F401
    SELECTION_TERMS,
    describe_history_split,
    describe_selection,
    describe_transition,
    describe_wsoa_2023,
    history_split,
    selection_2016,
    selection_check,
    transition,
    with_history,
)
from .questions.wsoa import (  # noqa: F401
    AREA_TYPE_LEVELS,
    CCG_MECHANISMS,
    CONFOUNDERS,
    EXPOSURE,
    FIRST_CONFOUNDERS,
    MECHANISM_WORDS,
    MEDIATORS,
    MODEL_TERMS,
    NEGATIVE_CONTROL_ADJUST,
    NEGATIVE_CONTROL_THEMES,
    REPEAT,
    REVISED,
    adjusted_for,
    areas_2016,
    ccg_measures,
    confounder_checks,
    describe_areas_2016,
    describe_e_value,
    describe_negative_control,
    describe_primary,
    describe_secondary_model,
    describe_sensitivity,
    mice_model,
    negative_control,
    negative_control_model,
    negative_control_reading,
    primary_frame,
    primary_model,
    sensitivity,
)
