"""Atomic writing: a file (or a folder of files) appears whole or not at all; and the lock that makes one
process wait for another."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
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


def read_input(path, limit: int, what: str) -> bytes:
    """A user's input file, checked before a byte is read: a regular file (a FIFO, device or folder is refused
    at once) of at most ``limit`` bytes, by ``stat``. Anything else is a DataError naming the file."""
    import os
    import stat

    from .errors import DataError

    try:
        st = os.stat(path)
    except OSError as e:
        raise DataError(path, f"cannot read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe" if stat.S_ISFIFO(st.st_mode) else "not a file"
        raise DataError(path, f"{kind}: expected {what}")
    if st.st_size > limit:
        raise DataError(path, f"{st.st_size:,} bytes is more than {what} ({limit:,} at most)")
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except OSError as e:
        raise DataError(path, f"cannot read ({e.strerror or e})") from None


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(df):
    """A copy of ``df`` for a CSV that a spreadsheet may open: a text cell or header starting with ``= + - @``,
    a tab or a carriage return gets a leading ``'`` (OWASP's CSV-injection rule), so it opens as text, not a formula.
    Numbers, and text that is only a number (``-1.5``), are left alone."""
    import re

    import pandas as pd

    number = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?%?$")

    def safe(v):
        if isinstance(v, str) and v.startswith(FORMULA_START) and not number.match(v):
            return "'" + v
        return v

    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
            out[c] = out[c].map(safe, na_action="ignore")
    return out.rename(columns=lambda c: safe(c) if isinstance(c, str) else c)  # headers follow the same rule


def csv_text(df) -> str:
    """The one way a table becomes CSV (downloads, exports): :func:`spreadsheet_safe` on headers and cells, then
    the ``csv`` module's rules with RFC 4180's CRLF line ends, so that every value holding a line feed *or* a
    carriage return is quoted (with a bare LF line end, a lone CR is written unquoted and splits the row in a
    spreadsheet)."""
    return spreadsheet_safe(df).to_csv(index=False, lineterminator="\r\n")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system or kernel cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_folder(staging: Path, target: Path) -> None:
    """Put the finished folder ``staging`` at ``target`` in one step: readers see the old folder or the new one,
    never neither or a mix. The old folder is removed afterwards. ``staging`` must sit beside ``target``; the
    new folder is world-readable (0755), as :func:`atomic_write`'s files are (0644)."""
    staging, target = Path(staging), Path(target)
    os.chmod(staging, 0o755)  # mkdtemp makes it 0700: readable by a web server or another user, as files are
    if not target.exists():
        os.replace(staging, target)
        return
    if not _exchange(staging, target):  # two renames: the old folder is put back if the second fails
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
        try:
            os.replace(staging, target)
        except BaseException:
            os.replace(old, target)
            raise
        staging = old
    shutil.rmtree(staging, ignore_errors=True)


def xlsx_base64(df, sheet: str) -> str:
    """``df`` as an .xlsx workbook (base64 text, to travel in a notebook's output), headers and cells under the
    same formula rule as the CSV (:func:`spreadsheet_safe`), every text cell written as text."""
    import base64
    import io

    buf = io.BytesIO()
    safe = spreadsheet_safe(df)
    safe.to_excel(buf, index=False, sheet_name=sheet, engine="xlsxwriter",
                  engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}})  # fmt: skip
    return base64.b64encode(buf.getvalue()).decode()


_HELD = threading.local()  # per thread: lock file -> how deep this thread holds it


@contextmanager
def exclusive_lock(path: Path):
    """Hold an exclusive ``flock`` on the file ``path`` (made if missing): another process, or another thread of
    this one, asking for it waits. Re-entrant within a thread (a holder that asks again does not wait for
    itself)."""
    import fcntl

    key = str(Path(path).resolve())
    held = _HELD.__dict__.setdefault("depth", {})
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:  # its own open file: flock makes a second one wait, in this process too
        fcntl.flock(fh, fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            held[key] = 0
            fcntl.flock(fh, fcntl.LOCK_UN)
