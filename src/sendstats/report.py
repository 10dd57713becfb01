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
import sys
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
    """Report name -> {"path", "description"} for every notebook (numbered ones are the core suite)."""
    out = {}
    for p in sorted(notebooks_dir().glob("*.ipynb")):
        meta = json.loads(p.read_text(encoding="utf-8")).get("metadata", {}).get("sendstats", {})
        out[p.stem] = {"path": p, "description": meta.get("description", "")}
    return out


def _notebook(name: str) -> Path:
    reps = available()
    if name not in reps:
        raise ParameterError(f"unknown report {name!r}; available: {', '.join(reps) or 'none'}")
    return reps[name]["path"]


def declared_parameters(path: Path) -> dict[str, dict]:
    """The notebook's parameters: name -> {default, inferred_type_name, help}, as papermill.inspect_notebook
    gives them, read from the cell tagged ``parameters`` (lines ``name: type = default  # help``) with
    ``ast``, so checking parameters does not import papermill/nbformat (1 s)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError(f"{path}: no cell tagged 'parameters'")
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    lines = src.splitlines()
    params = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            line = lines[node.lineno - 1]
            params[node.target.id] = {"name": node.target.id, "default": ast.get_source_segment(src, node.value),
                                      "inferred_type_name": ast.get_source_segment(src, node.annotation),
                                      "help": line.split("#", 1)[1].strip() if "#" in line else ""}
    if not params:
        raise ParameterError(f"{path}: the parameters cell declares nothing (expected lines like `name: str = \"x\"`)")
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


def _check_value(name: str, value, rule: dict, report: str):
    """Extra rules from the notebook's metadata (sendstats.parameters): choices, date, area (a name or code,
    returned as the area's 9-digit code). Returns the value to use."""
    if value is None:
        return value
    if rule.get("area"):
        from .analysis import resolve_area

        try:
            return resolve_area(value)
        except ParameterError as e:
            raise ParameterError(f"report {report}: parameter {name}: {e}") from None
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
    return value


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
        params[k] = _check_value(k, v, rules.get(k, {}), name)
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


def to_html(nb, title: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="sendstats", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


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


# --- execution: one kernel per worker process, reused across that worker's reports -----------------------
_KERNEL = None


def _kernel():
    """This process's kernel (started once, in notebooks/, without MPLBACKEND; shut down at exit)."""
    global _KERNEL
    if _KERNEL is not None and _KERNEL.is_alive():
        return _KERNEL
    import atexit
    import multiprocessing.util
    import warnings

    from jupyter_client.manager import KernelManager

    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # MPLBACKEND=Agg would drop figures
    # unix sockets at an absolute path (the kernel runs in notebooks/): no TCP, so no plain-text warning
    km = KernelManager(kernel_name="python3", transport="ipc",
                       ip=str(Path(tempfile.mkdtemp(prefix="sendstats-kernel-")) / "kernel"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jupyter_client's "running over TCP without encryption" notice
        km.start_kernel(cwd=str(notebooks_dir()), env=env)
    def stop():
        import shutil

        if km.is_alive():
            km.shutdown_kernel(now=True)
        shutil.rmtree(Path(km.ip).parent, ignore_errors=True)

    multiprocessing.util.Finalize(None, stop, exitpriority=10)
    atexit.register(stop)
    _KERNEL = km
    return km


def _reset_kernel(km, context: dict) -> None:
    """Before each report: empty the user namespace, forget recorded data files, hand over the context."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        code = ("get_ipython().run_line_magic('reset', '-f')\n"
                f"import os as _os; _os.environ[{RENDER_ENV!r}] = {json.dumps(context)!r}\n"
                "import sendstats.sources as _s; _s.reset_used(); del _os, _s")
        reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise ReportError(f"could not prepare the kernel: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


def _execute(job: dict) -> dict:
    """Run one report job ({name, path, params, title, context}) -> {"html"} or {"error"}. Runs in a worker."""
    import warnings

    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        km = _kernel()
        _reset_kernel(km, job["context"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = papermill.execute_notebook(job["path"], None, parameters=job["params"], km=km, progress_bar=False,
                                            log_output=False, cwd=str(Path(job["path"]).parent))
        return {"html": to_html(normalise(nb), job["title"])}
    except PapermillExecutionError as e:
        return {"error": f"report {job['title']} failed in cell {e.cell_index + 1} ({e.ename}: {e.evalue}); "
                         "previous HTML (if any) left in place"}
    except Exception as e:  # kernel died, timeout, ...: reported per report, the others go on
        global _KERNEL
        _KERNEL = None
        return {"error": f"report {job['title']} could not run ({type(e).__name__}: {e}); previous HTML (if any) left in place"}


def code_hash() -> str:
    """The package's code hash (:func:`sendstats.build.code_hash`) extended with its data files: the HTML
    templates and the theme codebook."""
    import hashlib

    from .build import code_hash as package_hash

    h = hashlib.sha256(package_hash().encode())
    pkg = TEMPLATES.parent
    for p in sorted([*TEMPLATES.rglob("*"), pkg / "codebook.yaml"]):
        if p.is_file():
            h.update(p.relative_to(pkg).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def data_stamp() -> str:
    """The data a render reads: MANIFEST.csv (every raw file's sha256) plus each raw file's path, size and
    modification time, so a file changed on disk without a new manifest still invalidates the cache."""
    parts = [sources.manifest_path().read_bytes().decode("utf-8", "replace")]
    for r in sources.manifest():
        p = sources.raw_dir() / r["path"]
        st = p.stat() if p.exists() else None
        parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}" if st else f"{p}:missing")
    return "\n".join(parts)


def cache_key(path: Path, params: dict, code: str, data: str) -> str:
    import hashlib

    h = hashlib.sha256()
    for part in (path.read_bytes(), json.dumps(params, sort_keys=True).encode(), code.encode(), data.encode()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _cache_file(out_dir: Path, title: str) -> Path:
    return out_dir / ".cache" / f"{title}.json"


def render_jobs(jobs: list[tuple[str, dict | None, str | None]], out_dir: Path | None = None, *, force: bool = False,
                workers: int | None = None, progress: bool = False, reproducible: bool = False) -> dict:
    """Render reports in parallel. ``jobs``: (report name, parameters, output name or None = report name).
    Parameters of every job are checked before anything runs. A job whose notebook, parameters, package code
    and data (MANIFEST.csv) are unchanged since its last render, and whose HTML exists, is skipped unless
    ``force``. Returns {"written": [paths], "skipped": [paths], "errors": [messages]}; a failing report keeps
    its previous HTML and does not stop the others."""
    out_dir = Path(out_dir) if out_dir else reports_dir()
    code, data = code_hash(), data_stamp()
    pinned = os.environ.get("SOURCE_DATE_EPOCH") or (_commit_epoch() if reproducible else None)
    when = render_time() if not pinned else _fmt_epoch(pinned)
    commit = git_commit()
    todo, skipped = [], []
    for name, given, title in jobs:
        path = _notebook(name)
        params = resolve_parameters(name, given)
        title = title or (f"areas/{params['area']}" if name == AREA_REPORT else name)
        key = cache_key(path, params, code, data)
        target = out_dir / f"{title}.html"
        cached = _cache_file(out_dir, title)
        if not force and target.exists() and cached.exists() and json.loads(cached.read_text()).get("key") == key:
            skipped.append(target)
            continue
        todo.append({"name": name, "path": str(path), "params": params, "title": title, "key": key,
                     "context": {"parameters": params, "render_time": when, "commit": commit}})
    written, errors = [], []
    if todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="rendering", unit="report", file=sys.stderr,
                   disable=not (progress and sys.stderr.isatty()))  # no bar in logs or notebooks
        n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        if n == 1:
            results = ((job, _execute(job)) for job in todo)
        else:
            import concurrent.futures as cf
            import multiprocessing as mp

            pool = cf.ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("forkserver"))
            futures = {pool.submit(_execute, job): job for job in todo}
            results = ((futures[f], f.result()) for f in cf.as_completed(futures))
        try:
            for job, res in results:
                bar.update(1)
                if "error" in res:
                    errors.append(res["error"])
                    continue
                target = out_dir / f"{job['title']}.html"
                _atomic_text(target, res["html"])
                _atomic_text(_cache_file(out_dir, job["title"]), json.dumps({"key": job["key"]}) + "\n")
                written.append(target)
        finally:
            bar.close()
            if n > 1:
                pool.shutdown()
    return {"written": written, "skipped": skipped, "errors": errors}


def _commit_epoch() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "0"
    except (OSError, subprocess.SubprocessError):
        return "0"


def _fmt_epoch(epoch: str) -> str:
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


AREA_REPORT = "area_profile"


def area_jobs(areas: str) -> list[tuple[str, dict, str]]:
    """``--areas all`` (every inspected area) or a comma-separated list of names/codes -> profile jobs."""
    from . import analysis

    if areas.strip().lower() == "all":
        codes = analysis.area_index()["code"].tolist()
    else:
        codes = [analysis.resolve_area(a) for a in areas.split(",") if a.strip()]
    return [(AREA_REPORT, {"area": c}, f"areas/{c}") for c in codes]


def write_index(out_dir: Path | None = None) -> Path:
    """reports/index.html: every core report with its description, and every rendered area profile."""
    out_dir = Path(out_dir) if out_dir else reports_dir()
    items = []
    for name, info in available().items():
        if name == AREA_REPORT:
            continue
        rendered = (out_dir / f"{name}.html").exists()
        link = f'<a href="{name}.html">{name}</a>' if rendered else f"{name} (not rendered yet)"
        items.append(f"<li>{link}: {html.escape(info['description'])}</li>")
    profiles = sorted((out_dir / "areas").glob("*.html")) if (out_dir / "areas").is_dir() else []
    names = {}
    if profiles:
        from . import analysis

        names = dict(zip(analysis.area_index()["code"], analysis.area_index()["area"]))
    plist = "".join(f'<li><a href="areas/{p.name}">{html.escape(names.get(p.stem, p.stem))}</a> ({p.stem})</li>'
                    for p in sorted(profiles, key=lambda p: names.get(p.stem, p.stem)))
    area_html = (f"<h2>Area profiles ({len(profiles)})</h2><ul>{plist}</ul>" if profiles else
                 "<h2>Area profiles</h2><p>None rendered: <code>sendstats report --areas all</code> renders them.</p>")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sendstats reports</title>"
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}</style></head><body>"
            "<h1>sendstats reports</h1><p>Joint local area SEND inspections in England (Ofsted / CQC). "
            "Every figure is computed from the published files listed in each report's provenance footer.</p>"
            f"<ul>{''.join(items)}</ul>{area_html}<p>sendstats {__version__}</p></body></html>\n")
    target = out_dir / "index.html"
    _atomic_text(target, page)
    return target


def core_reports() -> list[str]:
    return [n for n in available() if n != AREA_REPORT]


def render_all(out_dir: Path | None = None, *, force: bool = False, progress: bool = False, areas: str | None = None,
               reproducible: bool = False, workers: int | None = None) -> dict:
    """Render every core report (and, with ``areas``, area profiles), then the index."""
    jobs = [(n, None, None) for n in core_reports()] + (area_jobs(areas) if areas else [])
    res = render_jobs(jobs, out_dir, force=force, progress=progress, reproducible=reproducible, workers=workers)
    res["index"] = write_index(out_dir)
    return res
