"""Atomic writing: a file (or a folder of files) appears whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
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


def atomic_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def atomic_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))


def swap_in(staging: Path, target: Path, names: list[str]) -> None:
    """Move the files ``names`` from ``staging`` into ``target``. Each file is renamed (atomic per file) only
    after all were written to ``staging``; on a failure before the first rename ``target`` is untouched."""
    target.mkdir(parents=True, exist_ok=True)
    for n in names:
        os.replace(staging / n, target / n)
    shutil.rmtree(staging, ignore_errors=True)
