"""Run parameterised notebooks (papermill), render them to HTML (nbconvert), add the index page.

A report is a notebook ``notebooks/NN_name.ipynb`` whose metadata carries ``sendstats.description``.
Parameters are checked against the notebook's tagged ``parameters`` cell before anything runs. Output is
written to a temporary file and renamed, so a failed render leaves the previous HTML in place.
"""
from __future__ import annotations

import ast
import datetime as dt
import html
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from . import __version__, sources
from .errors import ParameterError, SendstatsError

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
RENDER_ENV = "SENDSTATS_RENDER"  # JSON handed to the kernel: parameters, render time, commit


class ReportError(SendstatsError):
    """A notebook failed while executing; names the report, the cell and the error."""


def notebooks_dir() -> Path:
    return Path(os.environ.get("SENDSTATS_NOTEBOOKS", ROOT / "notebooks"))


def reports_dir() -> Path:
    return Path(os.environ.get("SENDSTATS_REPORTS", ROOT / "reports"))


def available() -> dict[str, dict]:
    """Report name -> {"path", "description"} for every numbered notebook."""
    out = {}
    for p in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb")):
        meta = json.loads(p.read_text(encoding="utf-8")).get("metadata", {}).get("sendstats", {})
        out[p.stem] = {"path": p, "description": meta.get("description", "")}
    return out


def _notebook(name: str) -> Path:
    reps = available()
    if name not in reps:
        raise ParameterError(f"unknown report {name!r}; available: {', '.join(reps) or 'none'}")
    return reps[name]["path"]


def declared_parameters(path: Path) -> dict[str, dict]:
    """The notebook's parameters (papermill.inspect_notebook): name -> {default, inferred_type_name, help}."""
    import papermill

    params = papermill.inspect_notebook(str(path))
    if not params:
        raise ParameterError(f"{path}: no cell tagged 'parameters'")
    return params


def _coerce(name: str, raw, spec: dict, report: str):
    """Turn a CLI/user value into the type the notebook declares (str stays str: '001' is not 1)."""
    typ = (spec.get("inferred_type_name") or "None").replace(" ", "")
    nullable = "None" in typ or typ.startswith("Optional[")
    base = re.sub(r"^Optional\[(.*)\]$", r"\1", typ).replace("|None", "").replace("None|", "")
    if not isinstance(raw, str):
        value = raw
    elif nullable and raw.strip().lower() in ("none", ""):
        return None
    elif base == "bool":
        if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise ParameterError(f"report {report}: parameter {name} must be true or false, got {raw!r}")
        value = raw.lower() in ("true", "yes", "1")
    elif base == "int":
        try:
            value = int(raw)
        except ValueError:
            raise ParameterError(f"report {report}: parameter {name} must be a whole number, got {raw!r}") from None
    elif base.startswith("list"):
        value = [v.strip() for v in raw.split(",") if v.strip()]
    else:
        value = raw
    expected = {"bool": bool, "int": int, "str": str, "float": (int, float)}.get(base)
    if expected and not isinstance(value, expected) and not (nullable and value is None):
        raise ParameterError(f"report {report}: parameter {name} must be {base}, got {raw!r}")
    return value


def _check_value(name: str, value, rule: dict, report: str) -> None:
    """Extra rules from the notebook's metadata (sendstats.parameters): choices, date."""
    if value is None:
        return
    values = value if isinstance(value, list) else [value]
    if "choices" in rule:
        bad = [v for v in values if v not in rule["choices"]]
        if bad:
            raise ParameterError(f"report {report}: parameter {name}={bad[0]!r} is not one of {rule['choices']}")
    if rule.get("date"):
        import pandas as pd

        try:
            pd.Timestamp(value)
        except (ValueError, TypeError):
            raise ParameterError(f"report {report}: parameter {name} must be a date like 2021-03-31, got {value!r}") from None


def resolve_parameters(name: str, given: dict | None = None) -> dict:
    """Defaults from the notebook, overridden by ``given`` (checked: names and types)."""
    path = _notebook(name)
    declared = declared_parameters(path)
    given = dict(given or {})
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterError(f"report {name}: unknown parameter(s) {unknown}; it takes {sorted(declared)}")
    params = {k: ast.literal_eval(v["default"]) for k, v in declared.items()}
    for k, v in given.items():
        params[k] = _coerce(k, v, declared[k], name)
    rules = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("sendstats", {}).get("parameters", {})
    for k, v in params.items():
        _check_value(k, v, rules.get(k, {}), name)
    return params


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return (out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")) if out.returncode == 0 else "unknown"


def render_time() -> str:
    """UTC render time; pinned by SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")


def footer():
    """The provenance footer, shown as HTML by a notebook's last cell: package version, git commit,
    parameters, render time, and title/publisher/licence/sha256 of every raw data file read."""
    from IPython.display import HTML

    ctx = json.loads(os.environ.get(RENDER_ENV, "{}"))
    params = ctx.get("parameters")
    rows = "".join(
        f"<tr><td>{html.escape(r['title'])}</td><td>{html.escape(r['publisher'])}</td>"
        f"<td>{html.escape(r['original_publication'])}</td><td>{html.escape(r['licence'])}</td>"
        f"<td><code>{html.escape(r['path'])}</code></td><td><code>{r['sha256']}</code></td></tr>"
        for r in sources.used())
    ptxt = html.escape(json.dumps(params, sort_keys=True)) if params is not None else "interactive session (not rendered by sendstats report)"
    return HTML(
        '<footer class="sendstats-provenance"><h2>Provenance</h2><ul>'
        f"<li>sendstats version: {__version__}</li>"
        f"<li>git commit: <code>{html.escape(ctx.get('commit') or git_commit())}</code></li>"
        f"<li>parameters: <code>{ptxt}</code></li>"
        f"<li>rendered: {html.escape(ctx.get('render_time') or render_time())}</li></ul>"
        "<style>.sendstats-provenance table{table-layout:fixed;width:100%;font-size:0.85em}"
        ".jp-RenderedHTMLCommon .sendstats-provenance th,.jp-RenderedHTMLCommon .sendstats-provenance td{text-align:left;vertical-align:top}"
        ".sendstats-provenance code{word-break:break-all}</style>"
        "<table><thead><tr><th>data file</th><th>publisher</th><th>original publication</th><th>licence</th>"
        f"<th>path in data/raw</th><th>sha256</th></tr></thead><tbody>{rows}</tbody></table></footer>")


def _atomic_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_html(nb) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="sendstats", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return body


def render(name: str, parameters: dict | None = None, out_dir: Path | None = None) -> Path:
    """Execute report ``name`` with ``parameters`` and write ``<out_dir>/<name>.html``. Returns its path."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = _notebook(name)
    params = resolve_parameters(name, parameters)
    out_dir = Path(out_dir) if out_dir else reports_dir()
    os.environ[RENDER_ENV] = json.dumps({"parameters": params, "render_time": render_time(), "commit": git_commit()})
    os.environ.pop("MPLBACKEND", None)  # MPLBACKEND=Agg in the kernel would silently drop every figure
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / f"{name}.ipynb"
        try:
            papermill.execute_notebook(str(path), str(executed), parameters=params, kernel_name="python3",
                                       progress_bar=False, log_output=False, cwd=str(path.parent))
        except PapermillExecutionError as e:
            raise ReportError(f"report {name} failed in cell {e.cell_index + 1} ({e.ename}: {e.evalue}); "
                              f"previous HTML (if any) left in place") from None
        finally:
            os.environ.pop(RENDER_ENV, None)
        nb = nbformat.read(executed, as_version=4)
    target = out_dir / f"{name}.html"
    _atomic_text(target, to_html(nb))
    return target


def write_index(out_dir: Path | None = None) -> Path:
    """reports/index.html: every report with its description; links to those rendered."""
    out_dir = Path(out_dir) if out_dir else reports_dir()
    items = []
    for name, info in available().items():
        rendered = (out_dir / f"{name}.html").exists()
        link = f'<a href="{name}.html">{name}</a>' if rendered else f"{name} (not rendered yet)"
        items.append(f"<li>{link}: {html.escape(info['description'])}</li>")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sendstats reports</title>"
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}</style></head><body>"
            "<h1>sendstats reports</h1><p>Joint local area SEND inspections in England (Ofsted / CQC). "
            "Every figure is computed from the published files listed in each report's provenance footer.</p>"
            f"<ul>{''.join(items)}</ul><p>sendstats {__version__}</p></body></html>\n")
    target = out_dir / "index.html"
    _atomic_text(target, page)
    return target


def render_all(out_dir: Path | None = None) -> tuple[list[Path], list[str]]:
    """Render every core report, then the index. Returns (written paths, error messages); a failing report
    does not stop the others."""
    done, errors = [], []
    for name in available():
        try:
            done.append(render(name, out_dir=out_dir))
        except SendstatsError as e:
            errors.append(str(e))
    done.append(write_index(out_dir))
    return done, errors
