"""The manifest of raw data files (data/raw/MANIFEST.csv): provenance, hashes and which files were read.

Every reader opens raw files through :func:`raw_path`, which records the file so that a report's
provenance footer can list exactly the files behind its numbers.
"""
from __future__ import annotations

import csv
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from .errors import DataError

MANIFEST_COLUMNS = ["path", "publisher", "title", "original_publication", "url", "licence", "sha256"]
_USED: dict[str, None] = {}  # insertion-ordered set of manifest paths read in this process


def data_dir() -> Path:
    """The project's data folder (``$SENDSTATS_DATA`` or ``<repo>/data``)."""
    return Path(os.environ.get("SENDSTATS_DATA", Path(__file__).resolve().parents[2] / "data"))


def raw_dir() -> Path:
    return data_dir() / "raw"


def manifest_path() -> Path:
    return raw_dir() / "MANIFEST.csv"


@lru_cache(maxsize=None)
def _manifest_cached(path: str, mtime_ns: int) -> tuple[dict, ...]:
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(p, f"missing column(s) {missing}; expected {MANIFEST_COLUMNS}")
            rows = tuple(dict(r) for r in reader)
    except FileNotFoundError:
        raise DataError(p, "manifest not found (is this a sendstats checkout?)") from None
    for i, r in enumerate(rows, start=2):
        if not r["path"] or len(r["sha256"] or "") != 64:
            raise DataError(p, "needs a path and a 64-hex sha256", where=f"line {i}")
    return rows


def manifest() -> list[dict]:
    """The manifest rows (dicts with MANIFEST_COLUMNS)."""
    p = manifest_path()
    mtime = p.stat().st_mtime_ns if p.exists() else 0
    return list(_manifest_cached(str(p), mtime))


def entry(rel: str) -> dict:
    for r in manifest():
        if r["path"] == rel:
            return r
    raise DataError(manifest_path(), f"no entry for {rel!r}")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def raw_path(rel: str) -> Path:
    """Absolute path of a manifest-listed raw file; records it as used. Raises DataError if absent."""
    entry(rel)
    p = raw_dir() / rel
    if not p.is_file():
        raise DataError(p, "raw data file is missing (see data/raw/MANIFEST.csv)")
    _USED[rel] = None
    return p


def mark_used(rels) -> None:
    for rel in rels:
        _USED[rel] = None


def reset_used() -> None:
    """Forget the files recorded so far (a reused kernel starts each report afresh)."""
    _USED.clear()


def used() -> list[dict]:
    """Manifest rows of the raw files read (directly or behind processed tables) in this process, by path."""
    by_path = {r["path"]: r for r in manifest()}
    return [by_path[p] for p in sorted(_USED) if p in by_path]


def verify() -> list[tuple[str, str]]:
    """Check every manifest file's sha256. Returns (path, problem) pairs; empty when all match."""
    problems = []
    for r in manifest():
        p = raw_dir() / r["path"]
        if not p.is_file():
            problems.append((r["path"], "missing"))
            continue
        got = sha256(p)
        if got != r["sha256"]:
            problems.append((r["path"], f"sha256 {got} differs from manifest {r['sha256']}"))
    return problems
