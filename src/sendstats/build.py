"""Build the registered tables (:mod:`sendstats.registry`) into data/processed/ and load them.

A table's key is a sha256 over the sha256 of every raw file it reads (as on disk now), the package files it
reads, and the source of the package modules its builder depends on (:mod:`sendstats.deps`). A table whose
key differs from the one in ``BUILD.json`` is rebuilt on load. Every raw file passes
:func:`sources.check` (manifest sha256) before a builder reads it, so an edited file stops the build with
a message naming it. ``build()`` writes every table and the build record into a staging folder and swaps
it in at the end: a failure at any point (including a write error) leaves the previous tables untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from . import config, deps, registry, sources
from .errors import DataError

BUILD_RECORD = "BUILD.json"


# --- builders that combine readers; other tables name their builder directly (registry: module:function)
def inspections_2016():
    from .ingest import ofsted

    return ofsted.read_2016(sources.raw_path(ofsted.ODS_2016))


def inspections_2023():
    """Every snapshot, the overview workbook and Ofsted's MI; an inspection still without dates takes them from
    its bundled report."""
    from . import letters, rawfiles
    from .ingest import ofsted

    snapshots = [sources.raw_path(p) for p in sources.expand([rawfiles.SNAPSHOTS_DIR + "/"])]
    df = ofsted.read_2023(
        snapshots,
        sources.raw_path(ofsted.OVERVIEW_2023),
        sources.raw_path(ofsted.MI_2023),
        sources.raw_path(ofsted.LA_LOOKUP),
    )
    return ofsted.dates_from_reports(df, letters.report_dates(df[df["inspection_start"].isna()]))


def areas_2016():
    from .factors import area_factors

    return area_factors(inspections_2016())


def areas_2023():
    from .factors import area_factors

    return area_factors(inspections_2023(), "2023")


def la_lookup():
    from .ingest import ofsted

    return ofsted.read_la_lookup(sources.raw_path(ofsted.LA_LOOKUP))


def weaknesses():
    from . import letters

    return letters.read_weaknesses(inspections_2016())


def wsoa_areas():
    from . import letters

    return letters.read_wsoa_areas(inspections_2016())


def ccg_shares_2016():
    from . import geography

    return geography.ccg_shares(inspections_2016())


# --- keys and the build record -------------------------------------------------------------------------------
def processed_dir() -> Path:
    return config.processed_dir()


def code_hash(table: str) -> str:
    """Hash of the package modules the table's builder depends on and the package files it reads."""
    t = registry.TABLES[table]
    module, func = t.builder.split(":")
    h = hashlib.sha256(deps.modules_hash(deps.function_deps(module, func)).encode())
    for f in t.package_files:
        h.update(f.encode() + b"\0" + (config.PACKAGE_DIR / f).read_bytes())
    return h.hexdigest()


def raw_files(table: str) -> list[str]:
    return sources.expand(registry.TABLES[table].raw)


def table_key(table: str) -> str:
    """The key a built table must carry to be current (see the module docstring)."""
    h = hashlib.sha256(code_hash(table).encode())
    for rel in raw_files(table):
        h.update(f"{rel}\0{sources.file_hash(rel)}\n".encode())
    return h.hexdigest()


def read_record() -> dict:
    try:
        return json.loads((processed_dir() / BUILD_RECORD).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _validate(name: str, df):
    try:
        return registry.schema(name).validate(df, lazy=False)
    except Exception as e:  # pandera SchemaError: name the table, its sources and the failed check
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise DataError(", ".join(registry.TABLES[name].raw), f"table {name} fails its schema: {first}") from None


def build(names=None) -> dict[str, int]:
    """Build the named tables (default all) and swap them in together. Every raw file is checked against
    the manifest first. Returns rows per table."""
    names = list(registry.TABLES) if names is None else list(names)
    unknown = sorted(set(names) - set(registry.TABLES))
    if unknown:
        raise DataError(processed_dir(), f"unknown table(s) {unknown}; known: {sorted(registry.TABLES)}")
    for rel in sorted({r for n in names for r in raw_files(n)}):
        sources.check(rel)
    built = {}
    for n in names:
        module, func = registry.TABLES[n].builder.split(":")
        import importlib

        df = getattr(importlib.import_module(f"sendstats.{module}"), func)()
        built[n] = _validate(n, df)
    record = read_record()
    for n, df in built.items():
        files = raw_files(n)
        record[n] = {
            "key": table_key(n),
            "rows": len(df),
            "sources": {rel: sources.entry(rel)["sha256"] for rel in files},
        }
    _swap_in(built, record)
    return {n: len(df) for n, df in built.items()}


def _swap_in(built: dict, record: dict) -> None:
    target = processed_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".processed-staging-", dir=target.parent))
    try:
        if target.is_dir():
            for p in target.iterdir():
                if p.is_file():
                    os.link(p, staging / p.name)  # unchanged tables come along without copying
        for n, df in built.items():
            tmp = staging / f".{n}.parquet.tmp"
            df.to_parquet(tmp, index=False)
            (staging / f"{n}.parquet").unlink(missing_ok=True)
            os.replace(tmp, staging / f"{n}.parquet")
        (staging / BUILD_RECORD).unlink(missing_ok=True)
        (staging / BUILD_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".processed-old-", dir=target.parent))
            os.rmdir(old)
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


_LOADED: dict = {}  # (data folder, table) -> (key, frame): a table read once per process and key


def load_table(name: str):
    """A processed table, rebuilt first if missing or stale (a copy: callers may change it)."""
    import pandas as pd

    if name not in registry.TABLES:
        raise DataError(processed_dir(), f"unknown table {name!r}; known: {sorted(registry.TABLES)}")
    path = processed_dir() / f"{name}.parquet"
    key = table_key(name)
    if not path.exists() or read_record().get(name, {}).get("key") != key:
        build([name])
    hit = _LOADED.get((str(path), name))
    if hit is None or hit[0] != key:
        hit = (key, pd.read_parquet(path))
        _LOADED[(str(path), name)] = hit
    return hit[1].copy()


def stale(names) -> list[str]:
    """The tables among ``names`` that are missing or out of date (no pandas needed)."""
    rec = read_record()
    return [
        n for n in names if not (processed_dir() / f"{n}.parquet").exists() or rec.get(n, {}).get("key") != table_key(n)
    ]
