"""The store of processed tables (data/processed/): keys, the build record, building, loading, staleness.

The registry (:data:`sendstats.registry.TABLES`) is the only description of the pipeline. Each table names its
builder (``module:function``), the raw files the builder itself reads (``raw``) and the tables it is built from
(``needs``). A builder is called with each needed table as a keyword argument of the same name, read from the
store; builders never call one another. While a builder runs, reading a raw file its table does not declare is
an error (:func:`sendstats.data.sources.check`), so no table can depend on a file its key does not cover.

A table's key is a sha256 over the source of the package modules its builder depends on
(:mod:`sendstats.deps`), the package files it reads, the sha256 of each raw file it declares (as on disk now)
and the keys of the tables it needs. ``BUILD.json`` records each table's key and the size and sha256 of the
file written; a table whose key differs, or whose file is not the one written (a changed size or hash), is
rebuilt on load and by ``data build``; a malformed record is no record. Every raw file passes
:func:`sources.check` (manifest sha256) before a builder reads it. ``build()``
writes every table and the build record into a staging folder and swaps it in at the end
(:func:`sendstats.fileio.replace_folder`): a failure at any point leaves the previous tables untouched.

In a report's kernel, :func:`load_table` refuses a table the report's catalogue entry does not list under
``needs`` (the render's cache key covers only those).
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import json
import os
import shutil
import tempfile
from functools import cache, lru_cache
from pathlib import Path

from .. import config, deps
from ..errors import DataError
from ..fileio import exclusive_lock, replace_folder
from . import registry, sources

BUILD_RECORD = "BUILD.json"


def processed_dir() -> Path:
    return config.processed_dir()


def _table(name: str):
    if name not in registry.TABLES:
        raise DataError(processed_dir(), f"unknown table {name!r}; known: {sorted(registry.TABLES)}")
    return registry.TABLES[name]


@cache
def upstream(name: str) -> tuple[str, ...]:
    """Every table ``name`` is built from, directly or not, in an order that builds each before its users."""
    out: list[str] = []
    for need in _table(name).needs:
        out += [n for n in (*upstream(need), need) if n not in out]
    return tuple(out)


def code_hash(table: str) -> str:
    """Hash of the package modules the table's builder depends on and the package files it reads."""
    t = registry.TABLES[table]
    module, func = t.builder.split(":")
    h = hashlib.sha256(deps.modules_hash(deps.function_deps(module, func)).encode())
    for f in t.package_files:
        h.update(f.encode() + b"\0" + (config.PACKAGE_DIR / f).read_bytes())
    return h.hexdigest()


def own_raw(table: str) -> list[str]:
    """The raw files the table's builder itself reads (its declaration, folders expanded)."""
    return sources.expand(registry.TABLES[table].raw)


def raw_files(table: str) -> list[str]:
    """Every raw file behind the table: its own and those of the tables it is built from."""
    return sorted({rel for n in (*upstream(table), table) for rel in own_raw(n)})


def table_key(table: str) -> str:
    """The key a built table must carry to be current (see the module docstring)."""
    h = hashlib.sha256(code_hash(table).encode())
    for rel in own_raw(table):
        h.update(f"{rel}\0{sources.file_hash(rel)}\n".encode())
    for need in registry.TABLES[table].needs:
        h.update(f"table {need}\0{table_key(need)}\n".encode())
    return h.hexdigest()


def read_record() -> dict:
    """The build record (table -> its key, rows, sources, sha256 and size when written). A missing, unreadable or
    malformed record, or a malformed entry, reads as no record for those tables: they are rebuilt. Read-only
    (parsed once per version of the file: a render's plan reads it for every page)."""
    path = processed_dir() / BUILD_RECORD
    try:
        st = path.stat()
    except OSError:
        return {}
    return _parsed_record(str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@lru_cache(maxsize=4)
def _parsed_record(path: str, *_stamp) -> dict:
    try:
        rec = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in rec.items() if isinstance(v, dict)} if isinstance(rec, dict) else {}


@lru_cache(maxsize=64)
def _file_sha256(path: str, size: int, mtime_ns: int, ctime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _intact(path: Path, entry: dict) -> bool:
    """The table file is the one the build wrote: its size and sha256 as recorded (the hash is remembered per
    size and times within a process; the whole processed folder is about half a megabyte)."""
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != entry.get("bytes"):
        return False
    return _file_sha256(str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns) == entry.get("sha256")


def _current(name: str, record: dict, folder: Path) -> bool:
    entry = record.get(name, {})
    return entry.get("key") == table_key(name) and _intact(folder / f"{name}.parquet", entry)


def stale(names) -> list[str]:
    """The tables among ``names`` that are missing or out of date (no pandas needed)."""
    rec = read_record()
    return [n for n in names if not _current(n, rec, processed_dir())]


def _validate(name: str, df):
    try:
        return registry.schema(name).validate(df, lazy=False)
    except Exception as e:  # pandera SchemaError: name the table, its sources and the failed check
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise DataError(", ".join(own_raw(name)) or name, f"table {name} fails its schema: {first}") from None


def _run_builder(name: str, folder: Path):
    """Call the table's builder with its needed tables (read from ``folder``), allowed to read only its own
    declared raw files."""
    import pandas as pd

    t = registry.TABLES[name]
    module, func = t.builder.split(":")
    inputs = {need: pd.read_parquet(folder / f"{need}.parquet") for need in t.needs}
    with sources.reading(name, own_raw(name)):
        df = getattr(importlib.import_module(f"sendstats.{module}"), func)(**inputs)
    return _validate(name, df)


STAGING = ".processed-staging-"  # a build's staging folder: this prefix, the building process's id, a random part


def clean_stale_staging(parent: Path) -> list[Path]:
    """Remove the staging folders that builds killed before they could clean up left in ``parent``: every
    ``.processed-staging-*`` folder whose process (the id in its name) is no longer running, and any without an
    id (made before ids were written). A running build's folder is kept. Returns the folders removed."""
    gone = []
    for p in parent.glob(STAGING + "*"):
        pid = p.name[len(STAGING) :].split("-")[0]
        if pid.isdigit():
            try:
                os.kill(int(pid), 0)
                continue  # still running (or another user's process with that id): leave it
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
        shutil.rmtree(p, ignore_errors=True)
        gone.append(p)
    return gone


def _build_lock():
    """One build at a time per data folder (``data/interim/build.lock``): two processes that find the same
    table stale (two report kernels, a test and a command) build it one after the other, so neither swaps in a
    folder whose build record describes the other's files."""
    return exclusive_lock(config.interim_dir() / "build.lock")


def build(names=None, *, check_all: bool = False, only_stale: bool = False) -> dict[str, int]:
    """Build the named tables (default all), and any table they are built from that is missing or out of
    date, and swap them in together. Their raw files (``check_all``: every registered table's) are checked
    against the manifest first. ``only_stale``: of the named tables, only those still stale once this process
    holds the build lock (another may have built them meanwhile). Returns rows per table built."""
    with _build_lock():
        if only_stale:
            names = stale(list(registry.TABLES) if names is None else list(names))
        return _build(names, check_all=check_all)


def _build(names=None, *, check_all: bool = False) -> dict[str, int]:
    names = list(registry.TABLES) if names is None else list(names)
    for n in names:
        _table(n)
    order = list(dict.fromkeys(m for n in names for m in (*upstream(n), n)))
    for rel in sorted({r for n in (registry.TABLES if check_all else order) for r in own_raw(n)}):
        sources.check(rel, fresh=True)  # from the bytes, whatever the hash cache says
    if not order:
        return {}
    target = processed_dir()
    record = dict(read_record())  # this build's record: the entries it rebuilds are replaced, not changed
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=target.parent))
    except OSError as e:
        raise DataError(target.parent, f"cannot write the processed tables here: {e.strerror}") from None
    rows = {}
    try:
        if target.is_dir():
            for p in target.iterdir():
                if p.is_file() and p.name != BUILD_RECORD:
                    try:
                        os.link(p, staging / p.name)  # unchanged tables come along without copying
                    except OSError:  # another file system, or links refused: copy
                        shutil.copy2(p, staging / p.name)
        for n in order:
            if n not in names and _current(n, record, staging):
                continue
            df = _run_builder(n, staging)
            tmp = staging / f".{n}.parquet.tmp"
            df.to_parquet(tmp, index=False)
            (staging / f"{n}.parquet").unlink(missing_ok=True)  # a hard link to the old table: never written into
            os.replace(tmp, staging / f"{n}.parquet")
            written = (staging / f"{n}.parquet").read_bytes()
            record[n] = {
                "key": table_key(n),
                "rows": len(df),
                "bytes": len(written),
                "sha256": hashlib.sha256(written).hexdigest(),
                "sources": {rel: sources.entry(rel)["sha256"] for rel in raw_files(n)},
            }
            rows[n] = len(df)
        (staging / BUILD_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
        try:
            replace_folder(staging, target)
        except OSError as e:
            ro = e.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.EXDEV, errno.EBUSY)
            why = "the folder is read-only or a mount point that cannot be replaced; " if ro else ""
            raise DataError(target, f"cannot replace the processed tables ({why}{e.strerror or e})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return rows


def update() -> dict[str, int]:
    """What `sendstats data build` does: check every raw file from its bytes, then build the tables that are
    missing or out of date (and nothing else). Returns rows per table built (empty when all are current)."""
    return build(list(registry.TABLES), check_all=True, only_stale=True)


_LOADED: dict = {}  # (data folder, table) -> (key, frame): a table read once per process and key


def load_table(name: str):
    """A processed table, rebuilt first if missing or stale (a copy: callers may change it). In a report's
    kernel only the tables its catalogue entry needs can be loaded."""
    import pandas as pd

    _table(name)
    allowed = config.render_context().get("needs")
    if allowed is not None and name not in allowed:
        raise DataError(
            config.notebooks_dir() / "reports.yaml",
            f"this report loads table {name!r}, which its catalogue entry does not list under needs ({allowed})",
        )
    path = processed_dir() / f"{name}.parquet"
    key = table_key(name)
    if not _current(name, read_record(), processed_dir()):
        build([name], only_stale=True)
    hit = _LOADED.get((str(path), name))
    if hit is None or hit[0] != key:
        hit = (key, pd.read_parquet(path))
        _LOADED[(str(path), name)] = hit
    return hit[1].copy()


def data_date():
    """The date the inspection data run to: the last weekly snapshot of the 2023-framework table (a Timestamp)."""
    import pandas as pd

    return pd.Timestamp(load_table("inspections_2023")["last_snapshot"].max())
