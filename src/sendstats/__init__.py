"""sendstats: open research software for England's joint local area SEND inspections."""
__version__ = "0.1.0"

from .outcomes import (  # noqa: E402
    inspections_as_at,
    load_areas,
    load_inspections,
    outcome_summary,
    revisit_summary,
    weakness_distribution,
)

__all__ = ["load_areas", "load_inspections", "outcome_summary", "inspections_as_at", "revisit_summary",
           "weakness_distribution", "__version__"]
