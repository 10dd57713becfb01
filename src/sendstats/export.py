"""Turning an executed notebook into a page: normalisation (so two renders of the same inputs are
byte-identical), HTML export (nbconvert, offline template), the page title, and the index page."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from . import config
from .fileio import atomic_text


def _version() -> str:
    from . import __version__

    return __version__


def normalise(nb):
    """Make an executed notebook depend only on its inputs: stable cell ids, execution counts 1..n, no
    papermill/execution metadata (timestamps, durations)."""
    keep = ("kernelspec", "language_info", "sendstats")
    nb.metadata = type(nb.metadata)({k: v for k, v in nb.metadata.items() if k in keep})
    n = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        for k in ("papermill", "execution", "tags") if cell.cell_type != "code" else ("papermill", "execution"):
            cell.metadata.pop(k, None)
        if cell.cell_type == "code":
            n += 1
            cell.execution_count = n
            for o in cell.outputs:
                if "execution_count" in o:
                    o["execution_count"] = n
    return nb


def page_title(nb, fallback: str) -> str:
    """The first Markdown heading the notebook's outputs show (e.g. an area's name), else the first heading of
    its Markdown cells, else ``fallback``."""
    outputs = [o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])]
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for texts in (outputs, cells):
        for t in texts:
            t = "".join(t) if isinstance(t, list) else t
            m = re.search(r"^#{1,2}\s+(.+)$", t or "", re.M)
            if m:
                return m.group(1).strip()
    return fallback


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="sendstats",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def warm_up() -> None:
    """Build the exporter (and load nbconvert) ahead of the first page."""
    _exporter()


def to_html(nb, title: str) -> str:
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _records(out_dir: Path) -> list[dict]:
    out = []
    for p in sorted((out_dir / ".cache").rglob("*.json")) if (out_dir / ".cache").is_dir() else []:
        try:
            rec = json.loads(p.read_text())
        except ValueError:
            continue
        if rec.get("output") and (out_dir / f"{rec['output']}.html").exists():
            out.append(rec)
    return out


def index_current(out_dir: Path) -> bool:
    """The index exists and no render record is newer than it (so rewriting it would change nothing)."""
    index = out_dir / "index.html"
    if not index.exists():
        return False
    t = index.stat().st_mtime_ns
    cache = out_dir / ".cache"
    return not cache.is_dir() or all(p.stat().st_mtime_ns <= t for p in cache.rglob("*.json"))


def write_index(out_dir: Path, catalogue: dict) -> Path:
    """``index.html``: the core reports with their descriptions, other renders with their parameters, and
    the area profiles (each with its page title)."""
    e = html.escape
    recs = _records(out_dir)
    core = [r for r in catalogue.values() if r.core]
    items = []
    for r in core:
        link = (
            f'<a href="{e(r.name)}.html">{e(r.title)}</a>'
            if (out_dir / f"{r.name}.html").exists()
            else f"{e(r.title)} (not rendered yet)"
        )
        items.append(f"<li>{link}: {e(r.description)}</li>")
    others = [x for x in recs if x["output"] not in {r.name for r in core} and not x["output"].startswith("areas/")]
    olist = "".join(
        f'<li><a href="{e(x["output"])}.html">{e(x.get("title", x["output"]))}</a> '
        f"({e(x['report'])}; parameters: <code>{e(json.dumps(x.get('parameters'), sort_keys=True))}</code>)</li>"
        for x in others
    )
    profiles = sorted((x for x in recs if x["output"].startswith("areas/")), key=lambda x: x.get("title", x["output"]))
    plist = "".join(f'<li><a href="{e(x["output"])}.html">{e(x.get("title", x["output"]))}</a></li>' for x in profiles)
    area_html = (
        f"<h2>Area profiles ({len(profiles)})</h2><ul>{plist}</ul>"
        if profiles
        else "<h2>Area profiles</h2><p>None rendered: <code>sendstats report --areas all</code> renders them.</p>"
    )
    other_html = f"<h2>Other renders ({len(others)})</h2><ul>{olist}</ul>" if others else ""
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>sendstats reports</title>'
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}</style></head><body>"
        "<h1>sendstats reports</h1><p>Joint local area SEND inspections in England (Ofsted / CQC). "
        "Every figure is computed from the published files listed in each report's provenance footer.</p>"
        f"<h2>Core reports</h2><ul>{''.join(items)}</ul>{other_html}{area_html}<p>sendstats"
        f" {e(_version())}</p></body></html>\n"
    )
    target = out_dir / "index.html"
    atomic_text(target, page)
    return target
