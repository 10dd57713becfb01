"""`sendstats data export DIR`: every registered table as CSV (or Parquet) plus a Frictionless Data Package
(``datapackage.json``) whose field titles, descriptions, types and units come from the registry and whose
resource sources and licences come from the manifest, so R, Stata or a spreadsheet can take the data."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from ..errors import DataError, ParameterError
from ..fileio import FORMULA_START, csv_text, replace_folder
from . import registry, sources, store

FORMATS = ("csv", "parquet")


def _field_type(dtype: str) -> str:
    return {
        "Int64": "integer",
        "int64": "integer",
        "float64": "number",
        "boolean": "boolean",
        "bool": "boolean",
        "datetime64[ns]": "date",
        "period[M]": "yearmonth",
    }.get(dtype, "string")


def _frame_for_csv(name: str, df):
    """Values as the package declares them: dates as YYYY-MM-DD, months as YYYY-MM, lists joined by ';'."""
    out = df[[c.name for c in registry.TABLES[name].columns]].copy()  # the schema's field order
    for c in registry.TABLES[name].columns:
        if c.dtype == "datetime64[ns]":
            out[c.name] = out[c.name].dt.strftime("%Y-%m-%d")
        elif c.dtype == "period[M]":
            out[c.name] = out[c.name].astype("string")
        elif c.dtype == "object":
            out[c.name] = out[c.name].map(lambda v: ";".join(map(str, v)) if v is not None else None)
        elif c.dtype in ("boolean", "bool"):
            out[c.name] = out[c.name].map({True: "true", False: "false"})
    return out


def _frame_for_parquet(name: str, df):
    """Values as the package declares them, typed: the schema's field order, dates as dates (Arrow date32, not
    timestamps), months as YYYY-MM, lists joined by ';' (as in the CSV)."""
    import pandas as pd

    out = df[[c.name for c in registry.TABLES[name].columns]].copy()
    for c in registry.TABLES[name].columns:
        if c.dtype == "datetime64[ns]":
            out[c.name] = pd.Series([v.date() if pd.notna(v) else None for v in out[c.name]], dtype=object)
        elif c.dtype == "period[M]":
            out[c.name] = out[c.name].astype("string")
        elif c.dtype == "object":
            out[c.name] = out[c.name].map(lambda v: ";".join(map(str, v)) if v is not None else None)
    return out


LICENCE_NAMES = {"Open Government Licence v3.0": "OGL-UK-3.0", "MIT": "MIT"}


def _licence(title: str) -> dict:
    import re

    name = LICENCE_NAMES.get(title) or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return {"name": name, "title": title}


def descriptor(fmt: str = "csv") -> dict:
    from .. import __version__

    rows = {r["path"]: r for r in sources.manifest()}
    resources = []
    for name, t in registry.TABLES.items():
        files = store.raw_files(name)
        licences = sorted({rows[f]["licence"] for f in files if f in rows})
        fields = []
        for c in t.columns:
            f = {
                "name": c.name,
                "title": c.label,
                "description": c.description + (f" (unit: {c.unit})" if c.unit else ""),
                "type": _field_type(c.dtype),
            }
            if c.unit:
                f["unit"] = c.unit
            if c.dtype == "object":
                f["description"] += "; several values are separated by ';'"
            fields.append(f)
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": f"{name}.{fmt}",
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                "title": name.replace("_", " "),
                "description": t.description,
                "schema": {"fields": fields, "missingValues": [""]},
                "sources": [{"title": rows[f]["title"], "path": rows[f]["url"]} for f in files if f in rows][:60],
                "licenses": [_licence(lic) for lic in licences],
            }
        )
    return {
        "name": "sendstats",
        "title": "sendstats: joint local area SEND inspections in England",
        "version": __version__,
        "description": "Processed tables built from published files (see each "
        "resource's sources); column meanings in docs/data_dictionary.md. Spreadsheet-safe CSV: a text value "
        f"starting with {' '.join(repr(c) for c in FORMULA_START)} is written with a leading ' so that a "
        "spreadsheet opens it as text, not as a formula (OWASP's CSV-injection rule).",
        "licenses": [
            {
                "name": "OGL-UK-3.0",
                "title": "Open Government Licence v3.0 (most sources; each resource lists its own)",
                "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            }
        ],
        "resources": resources,
    }


def export(target, fmt: str = "csv") -> Path:
    """Write every table and ``datapackage.json`` into the new folder ``target`` (made whole or not at all)."""
    if fmt not in FORMATS:
        raise ParameterError(f"--format must be one of {list(FORMATS)}, got {fmt!r}")
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ParameterError(f"{target} exists and is not an empty folder; give a new folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as e:
        raise ParameterError(f"cannot write in {target.parent}: {e.strerror}") from None
    try:
        for name in registry.TABLES:
            df = store.load_table(name)
            if fmt == "csv":
                (staging / f"{name}.csv").write_bytes(csv_text(_frame_for_csv(name, df)).encode())
            else:
                _frame_for_parquet(name, df).to_parquet(staging / f"{name}.parquet", index=False)
        (staging / "datapackage.json").write_text(json.dumps(descriptor(fmt), indent=2, ensure_ascii=False) + "\n")
        replace_folder(staging, target)
    except OSError as e:  # a full disk, a folder that vanished: nothing of the export is left behind
        shutil.rmtree(staging, ignore_errors=True)
        raise DataError(target, f"cannot write the export: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
