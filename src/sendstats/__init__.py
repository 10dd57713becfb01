"""sendstats: open research software for England's joint local area SEND inspections.

The public loaders are imported on first use (PEP 562), so ``import sendstats`` and the command line's
no-change path stay free of pandas."""

from __future__ import annotations

from functools import lru_cache as _lru_cache

_LAZY = {
    "load_areas": "outcomes",
    "load_inspections": "outcomes",
    "outcome_summary": "outcomes",
    "inspections_as_at": "outcomes",
    "revisit_summary": "outcomes",
    "weakness_distribution": "outcomes",
    "Scope": "scope",
    "stats": None,
    "analysis": None,
    "letters": None,
    "plots": None,
    "registry": "data.registry",
    "store": "data.store",
}

__all__ = [
    "load_areas",
    "load_inspections",
    "outcome_summary",
    "inspections_as_at",
    "revisit_summary",
    "weakness_distribution",
    "Scope",
    "__version__",
]


@_lru_cache(maxsize=1)
def package_version() -> str:
    """The installed package's version (pyproject.toml is its one source)."""
    from importlib import metadata

    try:
        return metadata.version("sendstats")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __getattr__(name):
    if name == "__version__":
        return package_version()
    if name not in _LAZY:
        raise AttributeError(f"module 'sendstats' has no attribute {name!r}")
    import importlib

    where = _LAZY[name] or name
    mod = importlib.import_module(f".{where}", __name__)
    return mod if where.rsplit(".", 1)[-1] == name else getattr(mod, name)


def __dir__():
    return sorted([*globals(), *_LAZY])
