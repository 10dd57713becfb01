"""Render cache keys: a report re-renders only when its notebook, its catalogue entry, its parameters (and the
content of a file a parameter names), the tables it needs (their build keys), the manifest rows its footer
lists or the package code it imports change. Keys hold content hashes only,
never paths or modification times, so a moved or freshly cloned checkout with a warm cache re-renders
nothing. Records live in ``<output dir>/.cache/<output name>.json``."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from .. import config, deps
from ..fileio import atomic_text


@cache
def _templates_hash() -> str:
    h = hashlib.sha256()
    for p in sorted(config.TEMPLATES_DIR.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(config.TEMPLATES_DIR).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def notebook_code(path: Path) -> str:
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    src = [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code"
    ]
    return "\n".join(s for s in src if not s.lstrip().startswith(("%", "!")))


def code_key(path: Path) -> str:
    """Hash of the package modules the notebook imports (transitively), the renderer's export code, and the
    HTML templates."""
    mods = set(deps.source_deps(notebook_code(path))) | set(deps.closure(["export"]))
    return hashlib.sha256((deps.modules_hash(mods) + _templates_hash()).encode()).hexdigest()


def _file_params(report, params: dict) -> dict:
    """The content hash of each file a parameter names (a file edited in place changes the page)."""
    out = {}
    for k, v in params.items():
        if report.parameters.get(k, {}).get("kind") == "file" and v:
            try:
                out[k] = hashlib.sha256(Path(v).read_bytes()).hexdigest()
            except OSError:
                out[k] = "unreadable"
    return out


def key(report, params: dict, table_keys: dict, code: str | None = None) -> str:
    """The render key of one report with ``params``; ``code``: its :func:`code_key` when the caller already has
    it (one per notebook, however many renders of it are planned). Besides the notebook, its catalogue entry,
    the parameters, the tables and the code, the key covers what else the page shows: the content of every file
    a parameter names and the manifest rows (titles, publishers, URLs, licences) its footer lists."""
    from .provenance import data_files

    h = hashlib.sha256()
    for part in (
        Path(report.path).read_bytes(),
        report.digest().encode(),
        json.dumps(params, sort_keys=True).encode(),
        json.dumps(_file_params(report, params), sort_keys=True).encode(),
        json.dumps({n: table_keys[n] for n in report.needs}, sort_keys=True).encode(),
        json.dumps(data_files(report.needs, params.get("area")), sort_keys=True).encode(),
        (code or code_key(report.path)).encode(),
    ):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def record_path(out_dir: Path, output: str) -> Path:
    return out_dir / ".cache" / f"{output}.json"


def log_path(out_dir: Path, output: str) -> Path:
    """The render log of one page: the warnings and log lines its notebook wrote to stderr."""
    return out_dir / ".cache" / f"{output}.log"


def read(out_dir: Path, output: str) -> dict:
    try:
        return json.loads(record_path(out_dir, output).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def fresh(out_dir: Path, output: str, k: str) -> bool:
    return (out_dir / f"{output}.html").exists() and read(out_dir, output).get("key") == k


def write(out_dir: Path, output: str, record: dict) -> None:
    atomic_text(record_path(out_dir, output), json.dumps(record, sort_keys=True) + "\n")
