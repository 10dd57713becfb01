"""Helpers shared by the readers: reading spreadsheets with clear errors, checking columns and values."""

from __future__ import annotations

import zlib
from pathlib import Path

import pandas as pd

from ...errors import DataError


def read_sheet(path: Path, sheet: str | int, **kwargs) -> pd.DataFrame:
    """Read one sheet with calamine; any failure becomes a DataError naming the file and sheet."""
    try:
        return pd.read_excel(path, sheet_name=sheet, engine="calamine", **kwargs)
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except (ValueError, KeyError) as e:  # calamine/pandas say "Worksheet named ... not found"
        if "not found" in str(e).lower() and str(sheet) in str(e):
            raise DataError(path, f"sheet {sheet!r} not found") from None
        raise DataError(path, f"cannot read sheet {sheet!r}: {e}") from None
    except Exception as e:  # corrupt / truncated / not a spreadsheet
        raise DataError(path, f"cannot read as a spreadsheet ({type(e).__name__}: {e})") from None


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    try:
        return pd.read_csv(path, **kwargs)
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
        raise DataError(path, f"cannot parse CSV ({e})") from None
    except (EOFError, OSError, zlib.error) as e:  # gzip: truncated (EOFError) or not gzip (BadGzipFile)
        raise DataError(path, f"corrupt or truncated compressed file ({type(e).__name__}: {e})") from None


def require_rows(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A curated file must have rows: a header alone is an error, not a table of nothing."""
    if df.empty:
        raise DataError(path, "has a header but no rows")
    return df


def require_columns(df: pd.DataFrame, columns, path: Path, where: str | None = None) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(path, f"missing column(s) {missing}; found {list(df.columns)}", where=where)


def yes_no(s: pd.Series, path: Path, where: str, allowed=("Yes", "No")) -> pd.Series:
    """Map Yes/No strings to a nullable boolean; anything else is an error naming the row."""
    clean = s.astype("string").str.strip()
    bad = clean.notna() & ~clean.isin(allowed)
    if bad.any():
        i = bad.idxmax()
        raise DataError(path, f"expected one of {list(allowed)}, got {clean[i]!r}", where=f"{where}, row {i}")
    return clean.map({"Yes": True, "No": False}).astype("boolean")


def dates(s: pd.Series, path: Path, where: str, fmt: str | None = None) -> pd.Series:
    try:
        out = pd.to_datetime(s, format=fmt, errors="raise")
    except (ValueError, TypeError) as e:
        raise DataError(path, f"unparseable date ({e})", where=where) from None
    return out.astype("datetime64[ns]")


def counts(s: pd.Series, path: Path, where: str) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    bad = (s.notna() & num.isna()) | (num < 0) | (num.notna() & (num != num.round()))
    if bad.any():
        i = bad.idxmax()
        raise DataError(path, f"expected a non-negative whole number, got {s[i]!r}", where=f"{where}, row {i}")
    return num.astype("Int64")
