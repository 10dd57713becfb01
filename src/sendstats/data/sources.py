"""The manifest of raw data files (data/raw/MANIFEST.csv): provenance, and the one check every raw file
passes before a build uses it.

:func:`raw_path` is the only way code reaches a raw file: it refuses a file the manifest does not list, a
missing file, and a file whose sha256 differs from the manifest's, naming the file. Hashes are remembered in
``data/interim/hashes.json`` by (size, modification time) so an unchanged file is not re-read; the stored
hash is only a shortcut, never part of any cache key.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import DataError

MANIFEST_COLUMNS = ["path", "publisher", "title", "original_publication", "url", "licence", "sha256"]
SHA256 = re.compile(r"^[0-9a-f]{64}$")
URL_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")  # a URL with a scheme (a url cell may also be a note)


raw_dir, manifest_path = config.raw_dir, config.manifest_path  # the readers' names for them


@lru_cache(maxsize=8)
def _manifest_cached(path: str, mtime_ns: int, size: int) -> tuple[dict, ...]:
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(p, f"missing column(s) {missing}; expected {MANIFEST_COLUMNS}")
            rows = tuple(dict(r) for r in reader)
    except FileNotFoundError:
        raise DataError(
            p, "manifest not found (give --data-dir or SENDSTATS_DATA: a folder holding raw/MANIFEST.csv)"
        ) from None
    except UnicodeDecodeError as e:
        raise DataError(p, f"not UTF-8 text ({e})") from None
    seen = set()
    for i, r in enumerate(rows, start=2):
        if not r["path"] or not SHA256.match(r["sha256"] or ""):
            raise DataError(p, "needs a path and a sha256 of 64 lower-case hex digits", where=f"line {i}")
        problem = path_problem(r["path"])
        if problem:
            raise DataError(p, f"path {r['path']!r} {problem}", where=f"line {i}")
        if URL_SCHEME.match(r["url"] or "") and not r["url"].lower().startswith(("https://", "http://")):
            raise DataError(p, f"source URL {r['url']!r} must start with http:// or https://", where=f"line {i}")
        if r["path"] in seen:
            raise DataError(p, f"{r['path']!r} is listed twice", where=f"line {i}")
        seen.add(r["path"])
    return rows


def path_problem(rel: str) -> str | None:
    """Why a manifest path could leave data/raw (absolute, '..', backslashes, empty parts), else None."""
    from pathlib import PurePosixPath

    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or PurePosixPath(rel).is_absolute():
        return "must be relative to data/raw"
    if any(part in ("", ".", "..") for part in parts):
        return "must stay inside data/raw (no '..', '.' or empty parts)"
    return None


@lru_cache(maxsize=8)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def _inside(rel: str) -> Path:
    """The file of manifest path ``rel``; a path that resolves outside data/raw (a symlink) is refused (the
    file's path is resolved on every call; data/raw's own, once per process)."""
    raw = raw_dir()
    p = raw / rel
    if not p.resolve().is_relative_to(_resolved(raw)):
        raise DataError(p, "resolves outside data/raw (a symbolic link?): refused")
    return p


def manifest() -> list[dict]:
    """The manifest rows (dicts with MANIFEST_COLUMNS)."""
    p = manifest_path()
    st = p.stat() if p.exists() else None
    return list(_manifest_cached(str(p), st.st_mtime_ns if st else 0, st.st_size if st else -1))


def entry(rel: str) -> dict:
    for r in manifest():
        if r["path"] == rel:
            return r
    raise DataError(manifest_path(), f"no entry for {rel!r}")


def expand(rels) -> list[str]:
    """Manifest paths, with a path ending in '/' standing for every manifest file under that folder."""
    rows = [r["path"] for r in manifest()]
    out = []
    for rel in rels:
        out += sorted(p for p in rows if p.startswith(rel)) if rel.endswith("/") else [rel]
    return out


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_HASHES: dict[str, list] = {}


def _hash_cache_path() -> Path:
    return config.interim_dir() / "hashes.json"


def _load_hash_cache() -> dict:
    if not _HASHES:
        try:
            _HASHES.update(json.loads(_hash_cache_path().read_text()))
        except (OSError, ValueError):
            pass
    return _HASHES


def _save_hash_cache() -> None:
    from ..fileio import atomic_text

    try:
        atomic_text(_hash_cache_path(), json.dumps(_HASHES, sort_keys=True))
    except OSError:  # a read-only data folder: the cache is only a shortcut
        pass


def file_hash(rel: str, *, fresh: bool = False) -> str | None:
    """The sha256 of raw file ``rel`` as it is on disk now (None if missing). Re-read from its bytes when
    ``fresh``, or when its size, modification time, status-change time or inode changed (``os.utime`` can
    restore a modification time but sets the status-change time to now, so an edit cannot keep the stamp)."""
    p = _inside(rel)
    try:
        st = p.stat()
    except FileNotFoundError:
        return None
    cache = _load_hash_cache()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    hit = cache.get(rel)
    if hit and not fresh and hit[:-1] == stamp:
        return hit[-1]
    digest = sha256(p)
    if hit and hit[:-1] == stamp and hit[-1] == digest:
        return digest
    cache[rel] = [*stamp, digest]
    _save_hash_cache()
    return digest


_READING: ContextVar[tuple[str, frozenset] | None] = ContextVar("reading", default=None)


@contextmanager
def reading(table: str, rels):
    """While a table's builder runs: only the raw files ``rels`` it declares may be read."""
    token = _READING.set((table, frozenset(rels)))
    try:
        yield
    finally:
        _READING.reset(token)


def check(rel: str, *, fresh: bool = False) -> Path:
    """The path of raw file ``rel`` after checking it is listed, present and unchanged; else DataError. While a
    table is being built, a file its registry entry does not declare is refused too."""
    guard = _READING.get()
    if guard is not None and rel not in guard[1]:
        raise DataError(
            raw_dir() / rel,
            f"the builder of table {guard[0]} reads this raw file, which its registry entry does not declare "
            "(add it to the table's raw files, or read it through a table the entry needs)",
        )
    want = entry(rel)["sha256"]
    p = _inside(rel)
    got = file_hash(rel, fresh=fresh)
    if got is None:
        raise DataError(p, "raw data file is missing (listed in data/raw/MANIFEST.csv)")
    if got != want:
        raise DataError(
            p,
            f"sha256 {got} differs from the manifest's {want}: the file was changed; "
            "restore it, or update its manifest row if the change is intended",
        )
    return p


raw_path = check  # every reader reaches raw files through this check


def cached_reads(files):
    """A decorator: keep what a raw-file reader returns for the process, keyed by its arguments and by the
    content (manifest sha256) of the raw files ``files(*args)`` names; every call passes :func:`check` on each
    of those files first. So a cached read can never skip the guard or the hash check: a builder that may not
    read a file is refused it whatever read it before (a plain ``functools.cache`` handed it the frame)."""
    import functools

    def wrap(func):
        kept: dict = {}

        @functools.wraps(func)
        def inner(*args):
            key = (args, tuple(entry(rel)["sha256"] for rel in files(*args) if check(rel)))
            if key not in kept:
                kept[key] = func(*args)
            return kept[key]

        inner.cache_clear = kept.clear
        return inner

    return wrap


def verify() -> list[tuple[str, str]]:
    """Check every manifest file's sha256, and look for files on disk that the manifest lacks. Returns
    (path, problem) pairs; empty when all match."""
    problems = []
    listed = set()
    for r in manifest():
        listed.add(r["path"])
        try:
            p = _inside(r["path"])
        except DataError as e:
            problems.append((r["path"], e.problem))
            continue
        if not p.is_file():
            problems.append((r["path"], "listed in the manifest but missing on disk"))
            continue
        got = sha256(p)
        if got != r["sha256"]:
            problems.append((r["path"], f"sha256 {got} differs from manifest {r['sha256']}"))
    for p in sorted(raw_dir().rglob("*")):
        rel = p.relative_to(raw_dir()).as_posix()
        if p.is_file() and rel != "MANIFEST.csv" and rel not in listed:
            problems.append((rel, "on disk but not listed in the manifest"))
    return problems


def manifest_lock():
    """Hold the manifest for one process's read-check-write (``data/interim/manifest.lock``): two
    ``add-snapshot`` runs at once both land, one after the other. Re-entrant within a process."""
    from ..fileio import exclusive_lock

    return exclusive_lock(config.interim_dir() / "manifest.lock")


def add(rel: str, data: bytes, row: dict) -> Path:
    with manifest_lock():
        return _add(rel, data, row)


def _add(rel: str, data: bytes, row: dict) -> Path:
    """Add a raw file: write ``data`` to ``data/raw/<rel>`` and a manifest row (``row`` plus path and sha256).
    Refuses a path already listed or present, and identical content already listed. The file and the manifest
    are each written atomically, and the file is removed again if the manifest cannot be written."""
    import hashlib

    from ..fileio import atomic_bytes

    digest = hashlib.sha256(data).hexdigest()
    rows = manifest()
    same = [r["path"] for r in rows if r["sha256"] == digest]
    if same:
        raise DataError(manifest_path(), f"the same file is already listed as {same[0]}; nothing added")
    target = raw_dir() / rel
    if target.exists() or any(r["path"] == rel for r in rows):
        raise DataError(target, "already exists; nothing added")
    atomic_bytes(target, data)
    try:
        import io

        # the new row is appended to the manifest as it is, byte for byte, in its own line endings
        old = manifest_path().read_bytes().decode("utf-8")
        end = "\r\n" if "\r\n" in old else "\n"
        out = io.StringIO()
        header = next(csv.reader(io.StringIO(old)))
        writer = csv.DictWriter(out, header, lineterminator=end, extrasaction="ignore")
        writer.writerow({**{c: row.get(c, "") for c in header}, "path": rel, "sha256": digest})
        atomic_bytes(
            manifest_path(),
            (old if old.endswith(("\n", "\r")) or not old else old + end).encode() + out.getvalue().encode(),
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def rows_for(rels) -> list[dict]:
    """Manifest rows of the given paths, in path order (for provenance)."""
    by_path = {r["path"]: r for r in manifest()}
    return [by_path[p] for p in sorted(set(rels)) if p in by_path]
