"""Build the processed tables in data/processed/ from data/raw/ and load them, rebuilding when stale.

A table is stale when any raw file behind it or any of the package's source files changed since it was
written (the key is a sha256 over both, stored in data/processed/BUILD.json).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from . import sources
from .errors import DataError
from .ingest import dfe, ofsted
from .ingest import geography as geo

FACTOR_FILES = [geo.ccg_lookup_path(y) for y in geo.CCG_YEARS] + [geo.COUNTY16, geo.COUNTY20, geo.UTLA19, geo.IMD19,
                                                                   dfe.DMO_DCO, dfe.SEN2_MI, dfe.EHCP_ZIP, ofsted.LA_LOOKUP]

PACKAGE_DIR = Path(__file__).resolve().parent


def _inspections_2016() -> pd.DataFrame:
    return ofsted.read_2016(sources.raw_path(ofsted.ODS_2016))


def _inspections_2023() -> pd.DataFrame:
    return ofsted.read_2023(sources.raw_path(ofsted.OVERVIEW_2023), sources.raw_path(ofsted.MI_2023),
                            sources.raw_path(ofsted.LA_LOOKUP))


def _areas_2016() -> pd.DataFrame:
    from .factors import area_factors

    return area_factors(_inspections_2016())


def _areas_2023() -> pd.DataFrame:
    from .factors import area_factors

    return area_factors(_inspections_2023(), "2023")


def _schema(name):
    from . import schemas  # pandera is only needed when building
    return {"inspections_2016": schemas.INSPECTIONS_2016, "inspections_2023": schemas.INSPECTIONS_2023,
            "areas_2016": schemas.AREAS_2016, "areas_2023": schemas.AREAS_2023}[name]


# table name -> (builder, raw files it reads)
TABLES = {
    "inspections_2016": (_inspections_2016, [ofsted.ODS_2016]),
    "inspections_2023": (_inspections_2023, [ofsted.OVERVIEW_2023, ofsted.MI_2023, ofsted.LA_LOOKUP]),
    "areas_2016": (_areas_2016, [ofsted.ODS_2016, *FACTOR_FILES]),
    "areas_2023": (_areas_2023, [ofsted.OVERVIEW_2023, ofsted.MI_2023, *FACTOR_FILES]),
}


def processed_dir() -> Path:
    return sources.data_dir() / "processed"


def code_hash() -> str:
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(p.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _key(name: str, code: str) -> str:
    h = hashlib.sha256(code.encode())
    for rel in TABLES[name][1]:
        h.update(sources.entry(rel)["sha256"].encode())
        p = sources.raw_dir() / rel
        h.update(str(p.stat().st_size if p.exists() else -1).encode())
    return h.hexdigest()


def _read_build_info() -> dict:
    p = processed_dir() / "BUILD.json"
    try:
        return json.loads(p.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(names=None, *, verify: bool = True) -> dict[str, int]:
    """Build the named tables (default all). Raw files are hash-checked first; every table is built and
    validated before any is written, so a failure leaves data/processed/ as it was. Returns rows per table."""
    names = list(TABLES) if names is None else list(names)
    if verify:
        wanted = {rel for n in names for rel in TABLES[n][1]}
        bad = [(p, why) for p, why in sources.verify() if p in wanted]
        if bad:
            raise DataError(sources.raw_dir() / bad[0][0], bad[0][1] + " (run `sendstats data verify`)")
    built = {}
    for n in names:
        df = TABLES[n][0]()
        try:
            _schema(n).validate(df, lazy=False)
        except Exception as e:  # pandera SchemaError: name the table, its sources and the failed check
            raise DataError(", ".join(TABLES[n][1]), f"table {n} fails its schema: {str(e).splitlines()[0]}") from None
        built[n] = df
    code = code_hash()
    info = _read_build_info()
    for n, df in built.items():
        _atomic_write(processed_dir() / f"{n}.parquet", lambda tmp, df=df: df.to_parquet(tmp, index=False))
        info[n] = {"key": _key(n, code), "rows": len(df), "sources": TABLES[n][1]}
    _atomic_write(processed_dir() / "BUILD.json",
                  lambda tmp: Path(tmp).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n"))
    return {n: len(df) for n, df in built.items()}


def load_table(name: str) -> pd.DataFrame:
    """A processed table, rebuilt first if missing or stale. Records its raw sources for provenance."""
    if name not in TABLES:
        raise DataError(processed_dir(), f"unknown table {name!r}; known: {sorted(TABLES)}")
    path = processed_dir() / f"{name}.parquet"
    if not path.exists() or _read_build_info().get(name, {}).get("key") != _key(name, code_hash()):
        build([name])
    sources.mark_used(TABLES[name][1])
    return pd.read_parquet(path)
