"""sendstats: open research software for England's joint local area SEND inspections.

The public loaders are imported on first use (PEP 562), so ``import sendstats`` and the command line's
no-change path stay free of pandas."""
from __future__ import annotations

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("sendstats")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_LAZY = {"load_areas": "outcomes", "load_inspections": "outcomes", "outcome_summary": "outcomes",
         "inspections_as_at": "outcomes", "revisit_summary": "outcomes", "weakness_distribution": "outcomes",
         "stats": None, "analysis": None, "letters": None, "plots": None, "registry": None}

__all__ = ["load_areas", "load_inspections", "outcome_summary", "inspections_as_at", "revisit_summary",
           "weakness_distribution", "__version__"]


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'sendstats' has no attribute {name!r}")
    import importlib

    mod = importlib.import_module(f".{_LAZY[name] or name}", __name__)
    return mod if _LAZY[name] is None else getattr(mod, name)


def __dir__():
    return sorted([*globals(), *_LAZY])
