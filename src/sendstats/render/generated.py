"""The parts of the checkout written from a declaration instead of by hand, and the check that they are
current: each notebook's parameters cell (from its catalogue entry, whose factor defaults come from the factor
declarations) and the analysis plan's variable table (from the factor declarations).

``make sync`` (``python -m sendstats.render.generated``) rewrites what is out of date; a test fails while
anything is (``stale()``), so a declaration cannot change without its copies."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import config
from ..fileio import atomic_text
from . import catalogue

PARAMETERS_HEAD = "# Parameters (papermill). Each line: name: type = default  # meaning"
PLAN = "analysis_plan.md"
BEGIN = "<!-- variable table: generated from the factor declarations (make sync); do not edit by hand -->"
END = "<!-- end of the generated variable table -->"


def _literal(value) -> str:
    return json.dumps(value) if isinstance(value, (str, list)) else repr(value)


def parameters_cell(name: str) -> str:
    """The parameters cell of report ``name``, one line per catalogue parameter: its type, default and help."""
    lines = [PARAMETERS_HEAD]
    for pname, spec in catalogue.get(name).parameters.items():
        typ = spec["type"] + (" | None" if spec.get("default") is None else "")
        lines.append(f"{pname}: {typ} = {_literal(spec.get('default'))}  # {spec.get('help', '')}".rstrip())
    if len(lines) == 1:
        lines.append("# (this page has none)")
    return "\n".join(lines)


ROLES = {
    "exposure": "exposure",
    "confounder": "confounder (adjusted for)",
    "mediator": "mediator (not adjusted for)",
    "descriptive": "descriptive",
}


def variable_table() -> str:
    """The plan's variables, as declared: every factor with a role in the models or offered to the screens,
    and the two columns every model adds (region, year), by role."""
    from ..data import registry

    def cell(text) -> str:
        return str(text).replace("|", "\\|")

    rows = [
        (
            "confounder",
            registry.label(n),
            n,
            "both",
            "" if n == "region" else "year",
            "from the inspection",
            "yes",
        )
        for n in registry.MODEL_EXTRAS
    ]
    for n, c in registry.FACTOR_COLUMNS.items():
        f = c.factor
        if f.kind == "descriptive" and not f.screened:
            continue
        rows.append(
            (
                f.kind,
                c.label,
                n,
                "both" if len(f.frameworks) == 2 else f.frameworks[0],
                c.unit,
                c.source,
                "yes" if f.screened else "no",
            )
        )
    rows.sort(key=lambda r: list(ROLES).index(r[0]))  # stable: declaration order within a role
    head = "| role | variable | column | framework | unit | source | offered to the screens |\n" + "|---" * 7 + "|"
    body = "\n".join(
        f"| {ROLES[r[0]]} | {cell(r[1])} | `{r[2]}` | {r[3]} | {cell(r[4])} | {cell(r[5])} | {r[6]} |" for r in rows
    )
    return f"{BEGIN}\n{head}\n{body}\n{END}"


def _plan_path() -> Path:
    return (config.repo_root() or Path(".")) / "docs" / PLAN


def _cells():
    """Each catalogued notebook, its parameters cell and the cell its entry gives: (path, notebook, cell, want)."""
    import nbformat

    for name, rep in catalogue.reports().items():
        nb = nbformat.read(rep.path, as_version=4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        yield rep.path, nb, cell, parameters_cell(name)


def _plan() -> tuple[Path, str, str | None]:
    """The plan's path, its text, and its text with the variable table written anew (None without the markers)."""
    path = _plan_path()
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return path, text, None
    return path, text, text[: text.index(BEGIN)] + variable_table() + text[text.index(END) + len(END) :]


def stale() -> list[str]:
    """What is out of date with its declaration (paths, relative to the checkout); empty when all is current."""
    out = [f"notebooks/{path.name} (parameters cell)" for path, _, cell, want in _cells() if cell.source != want]
    _, text, new = _plan()
    return out + ([f"docs/{PLAN} (variable table)"] if new != text else [])


def sync() -> list[str]:
    """Rewrite what is out of date (each file atomically); returns what was rewritten."""
    import nbformat

    done = []
    for path, nb, cell, want in _cells():
        if cell.source != want:
            cell.source = want
            atomic_text(path, nbformat.writes(nb) + "\n")
            done.append(f"notebooks/{path.name} (parameters cell)")
    path, text, new = _plan()
    if new is None:
        raise SystemExit(f"docs/{PLAN}: the markers of the variable table are missing ({BEGIN!r} ... {END!r})")
    if new != text:
        atomic_text(path, new)
        done.append(f"docs/{PLAN} (variable table)")
    return done


if __name__ == "__main__":
    rewritten = sync()
    print("\n".join(f"rewrote {p}" for p in rewritten) or "everything generated is current")
    sys.exit(0)
