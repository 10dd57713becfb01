"""The provenance footer, written on the kernel side from the build record of the tables a report needs
(not from a record of files touched): package version, git commit, parameters, render time, and each raw
file behind those tables with its publisher, licence, source URL and sha256. Every value is escaped."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import subprocess

from .. import config, package_version
from ..data import sources

context = config.render_context


def shown_parameters(params: dict) -> dict:
    """Parameters as a page shows them: a file given by its path (the ``file`` kind) as its name and sha256,
    so no local path reaches a page and the file is still identified."""
    return {
        k: f"{os.path.basename(v)} (sha256 {sources.sha256(v)})"
        if isinstance(v, str) and os.path.isabs(v) and os.path.isfile(v)
        else v
        for k, v in params.items()
    }


def git_commit() -> str:
    root = config.repo_root()
    if root is None:
        return "unknown (not run from a git checkout)"
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return (out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")) if out.returncode == 0 else "unknown"


def commit_epoch() -> str:
    root = config.repo_root()
    try:
        out = subprocess.run(
            ["git", "-C", str(root or "."), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "0"
    except (OSError, subprocess.SubprocessError):
        return "0"


def fmt_epoch(epoch) -> str:
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def source_date_epoch() -> str | None:
    """``SOURCE_DATE_EPOCH`` when set: whole seconds since 1970-01-01 UTC, up to the year 9999; else None."""
    from ..errors import ParameterError, shorten

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 12) or int(value) > 253402300799:
        raise ParameterError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC (up to the year 9999), "
            f"got {shorten(value, 40)!r}"
        )
    return value


def render_time() -> str:
    """UTC render time; pinned by SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = source_date_epoch()
    return fmt_epoch(epoch) if epoch else dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


LIBRARIES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert")


def environment() -> str:
    """Python's version and the versions of the main libraries in use (a byte-identical report needs the same)."""
    import platform
    from importlib import metadata

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return f"Python {platform.python_version()}; " + ", ".join(f"{n} {version(n)}" for n in LIBRARIES)


def _link(url: str) -> str:
    """A source URL as a link when it is one (http/https), else as text; escaped either way."""
    e = html.escape
    return f'<a href="{e(url, quote=True)}">{e(url)}</a>' if url.startswith(("https://", "http://")) else e(url)


def data_files(needs, area: str | None = None) -> list[dict]:
    """Manifest rows of the raw files behind the tables ``needs``, from the build record. For one area's page
    (``area``: its code), an inspection letter or report enters only if it is that area's own (the tables read
    every bundled document, but a profile shows only its area's)."""
    from ..data.rawfiles import LETTERS_DIR, REPORTS_2023_DIR
    from ..data.store import read_record

    rec = read_record()
    rels = {rel for n in needs for rel in rec.get(n, {}).get("sources", {})}
    if area:
        own = _documents_of(area)
        rels = {r for r in rels if not r.startswith((LETTERS_DIR + "/", REPORTS_2023_DIR + "/")) or r in own}
    return sources.rows_for(rels)


def _documents_of(code: str) -> set[str]:
    """The bundled letters and reports (their paths in data/raw) of the area ``code`` (its former council's
    letters too, as its profile carries that council's inspection)."""
    from ..questions import areas

    whose = _document_areas(areas.table_stamps("documents"))
    return {path for path, c in whose.items() if c in (code, areas.former_council(code))}


@functools.lru_cache(maxsize=2)
def _document_areas(_stamp) -> dict[str, str | None]:
    """Each bundled document's path in data/raw -> the code of the area it is about (by the documents table)."""
    from ..data.rawfiles import LETTERS_DIR, REPORTS_2023_DIR
    from ..data.store import load_table
    from ..questions import areas

    docs = load_table("documents")
    out: dict[str, str | None] = {}
    for source, code, framework in zip(docs["source"], areas.codes_of(docs["area"]), docs["framework"]):
        out[f"{LETTERS_DIR if str(framework) == '2016' else REPORTS_2023_DIR}/{source}"] = code
    return out


GROUP_AT = 5  # a folder the pipeline reads whole with this many files or more is one row of the footer


def grouped(files: list[dict]) -> list[dict]:
    """The footer's rows: a file on its own row, except that a folder the registry's tables read as a whole
    (declared with a trailing '/': the bundled inspection reports) holding ``GROUP_AT`` or more of the files is
    one row with the number of files and one sha256 over the folder's manifest lines (each file's path and
    sha256, sorted, one per line), which anyone can recompute from data/raw/MANIFEST.csv. The page stays short
    and still pins every file's bytes."""
    import hashlib
    from collections import defaultdict

    from ..data.registry import TABLES

    whole = {p.rstrip("/") for t in TABLES.values() for p in t.raw if p.endswith("/")}
    folders = defaultdict(list)
    for r in files:
        folder = r["path"].rpartition("/")[0]
        folders[folder if folder in whole else r["path"]].append(r)
    out = []
    for folder, rows in folders.items():
        if len(rows) < GROUP_AT:
            out.extend(rows)
            continue
        lines = "".join(f"{r['path']} {r['sha256']}\n" for r in sorted(rows, key=lambda r: r["path"]))
        one = lambda k, rows=rows: rows[0][k] if len({r[k] for r in rows}) == 1 else "each file's own (MANIFEST.csv)"
        out.append(
            {
                "title": f"{len(rows)} files, from {rows[0]['title']} to {rows[-1]['title']}",
                "publisher": one("publisher"),
                "original_publication": one("original_publication"),
                "licence": one("licence"),
                "url": one("url"),
                "path": f"{folder}/ ({len(rows)} files)",
                "sha256": hashlib.sha256(lines.encode()).hexdigest() + " (of the folder's manifest lines)",
            }
        )
    return sorted(out, key=lambda r: r["path"])


def footer(needs=None):
    """The footer as HTML (shown by a notebook's last cell). ``needs``: the tables behind the report (default:
    those the catalogue lists for the report being rendered; in an interactive session, every built table)."""
    from IPython.display import HTML

    from ..data.store import read_record

    ctx = context()
    needs = needs or ctx.get("needs") or sorted(read_record())
    params = ctx.get("parameters")
    e = html.escape
    files = data_files(needs, params.get("area") if isinstance(params, dict) else None)
    rows = "".join(
        f"<tr><td>{e(r['title'])}</td><td>{e(r['publisher'])}</td><td>{e(r['original_publication'])}</td>"
        f"<td>{e(r['licence'])}</td><td>{_link(r['url'])}</td>"
        f"<td><code>{e(r['path'])}</code></td><td><code>{e(r['sha256'])}</code></td></tr>"
        for r in grouped(files)
    )
    ptxt = (
        e(json.dumps(shown_parameters(params), sort_keys=True))
        if params is not None
        else "interactive session (not rendered by sendstats report)"
    )
    return HTML(
        '<footer class="sendstats-provenance"><h2>Provenance</h2><ul>'
        f"<li>sendstats version: {e(package_version())}</li>"
        f"<li>git commit: <code>{e(ctx.get('commit') or git_commit())}</code></li>"
        f"<li>parameters: <code>{ptxt}</code></li>"
        f"<li>tables: {e(', '.join(needs))}</li>"
        f"<li>software: {e(environment())}</li>"
        f"<li>rendered: {e(ctx.get('render_time') or render_time())}</li></ul>"
        f"<details><summary>The {len(files)} data files behind this page: publisher, licence, source and sha256"
        "</summary><table><thead><tr><th>data file</th><th>publisher</th><th>original publication</th>"
        "<th>licence</th><th>source</th><th>path in data/raw</th><th>sha256</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details></footer>"
    )
