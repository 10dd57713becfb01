"""Where things are: one home for every path the package uses.

The data folder is, in order: ``--data-dir`` (the CLI sets ``SENDSTATS_DATA``), ``$SENDSTATS_DATA``, or the
``data/`` folder of the checkout the package runs from. Reports go to ``--output-dir``,
``$SENDSTATS_REPORTS``, or the checkout's ``reports/`` (outside a checkout: ``./reports``). Notebooks,
templates, the codebook and the report catalogue ship inside the package.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .errors import ParameterError

PACKAGE_DIR = Path(__file__).resolve().parent
NOTEBOOKS_DIR = PACKAGE_DIR / "notebooks"  # installed copy of <repo>/notebooks (pyproject package-dir)
TEMPLATES_DIR = PACKAGE_DIR / "render" / "templates"
CODEBOOK = PACKAGE_DIR / "letters" / "codebook.yaml"
# a report table's data travels from the kernel to the HTML export under this mimetype (then a CSV file)
TABLE_CSV_MIME = "application/vnd.sendstats.table+csv"
TABLE_NAME_MIME = "application/vnd.sendstats.table-name"  # what the table's CSV file is called
TABLE_XLSX_MIME = "application/vnd.sendstats.table+xlsx"  # the table as a workbook, base64
RENDER_ENV = "SENDSTATS_RENDER"  # JSON handed to a report's kernel: parameters, needs, render time, commit


def render_context() -> dict:
    """What a report's kernel was handed (empty outside a render)."""
    import json

    return json.loads(os.environ.get(RENDER_ENV, "{}"))


@cache
def repo_root() -> Path | None:
    """The checkout the package runs from (a folder with pyproject.toml and data/raw/MANIFEST.csv), else None.
    Looked up once per process (thousands of path lookups go through it in a render)."""
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data" / "raw" / "MANIFEST.csv").is_file():
            return parent
        if parent == Path(parent.anchor):
            break
    return None


def data_dir() -> Path:
    env = os.environ.get("SENDSTATS_DATA")
    if env:
        return Path(env)
    root = repo_root()
    if root is None:
        raise ParameterError(
            "no data folder: outside a sendstats checkout, give --data-dir DIR or set "
            "SENDSTATS_DATA to a folder holding raw/MANIFEST.csv"
        )
    return root / "data"


def raw_dir() -> Path:
    return data_dir() / "raw"


def manifest_path() -> Path:
    return raw_dir() / "MANIFEST.csv"


def processed_dir() -> Path:
    return data_dir() / "processed"


def interim_dir() -> Path:
    """Caches that are not tables: the PDF text cache, the raw-file hash cache."""
    return data_dir() / "interim"


def reports_dir() -> Path:
    env = os.environ.get("SENDSTATS_REPORTS")
    if env:
        return Path(env)
    root = repo_root()
    return root / "reports" if root else Path.cwd() / "reports"


def base_url() -> str:
    """``SENDSTATS_BASE_URL`` (where the site is published), without a trailing slash; only http(s)."""
    url = os.environ.get("SENDSTATS_BASE_URL", "").strip().rstrip("/")
    if url and not url.lower().startswith(("https://", "http://")):
        from .errors import shorten

        raise ParameterError(f"SENDSTATS_BASE_URL must start with http:// or https://, got {shorten(url, 60)!r}")
    return url


def notebooks_dir() -> Path:
    """The notebooks and their catalogue: ``$SENDSTATS_NOTEBOOKS``, the checkout's ``notebooks/``, or the
    copy installed with the package."""
    env = os.environ.get("SENDSTATS_NOTEBOOKS")
    if env:
        return Path(env)
    root = repo_root()
    if root is not None and (root / "notebooks" / "reports.yaml").is_file():
        return root / "notebooks"
    return NOTEBOOKS_DIR
