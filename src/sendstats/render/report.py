"""Render reports: the pipeline's last step, split by job.

- :mod:`sendstats.render.catalogue`: which reports exist, the tables they need, their parameters (checked
  here, before any kernel starts);
- :mod:`sendstats.data.store`: the tables a report needs are brought up to date first, in this process;
- :mod:`sendstats.render.cache`: a report whose inputs are unchanged is skipped;
- :mod:`sendstats.render.execute`: notebooks run in parallel workers, one reused kernel each (the private
  library parts it needs: :mod:`sendstats.render.internals`);
- :mod:`sendstats.render.export`: normalised notebook -> HTML, the index and the site's plain pages;
- :mod:`sendstats.render.page`: the tables, key findings and other page parts a notebook displays;
- :mod:`sendstats.render.provenance`: the footer, written on the kernel side.

The renderer sits above the questions: it asks :mod:`sendstats.questions.areas` for every area's code (the
whole site) and which bundled documents are an area's (a profile's provenance); the ``area`` parameter kind is
resolved through the catalogue's kind registry. Output is written to a temporary file and renamed, so a failed
render leaves the previous HTML in place.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .. import config
from ..data import store
from ..errors import ParameterError
from ..fileio import atomic_bytes, atomic_text
from . import cache, catalogue, execute, export, provenance


def check_output_dir(out_dir: Path) -> Path:
    """The output folder exists (or can be made), is a folder and is writable; else ParameterError."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"output folder {out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ParameterError(f"cannot create output folder {out_dir}: {e.strerror}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise ParameterError(f"output folder {out_dir} is not writable")
    return out_dir


def plan(jobs, out_dir: Path, *, force: bool = False) -> tuple[list[dict], list[Path]]:
    """Check every job's parameters, bring the tables they need up to date, and split the jobs into those
    to run and the unchanged outputs to skip. ``jobs``: (report name, given parameters) pairs."""
    resolved = []
    for name, given in jobs:
        rep = catalogue.get(name)
        params = catalogue.resolve(name, given)
        resolved.append((rep, params, catalogue.output_name(name, params)))
    needs = sorted({n for rep, _, _ in resolved for n in rep.needs})
    stale = store.stale(needs)
    if stale:
        store.build(stale, only_stale=True)
    table_keys = {n: store.table_key(n) for n in needs}
    todo: list[dict] = []
    skipped: list[Path] = []
    code_keys = {}  # one per notebook: the 156 profiles share theirs
    for rep, params, output in resolved:
        if rep.path not in code_keys:
            code_keys[rep.path] = cache.code_key(rep.path)
        key = cache.key(rep, params, table_keys, code_keys[rep.path])
        if not force and cache.fresh(out_dir, output, key):
            skipped.append(out_dir / f"{output}.html")
            continue
        todo.append(
            {
                "name": rep.name,
                "path": str(rep.path),
                "params": params,
                "title": rep.title,
                "output": output,
                "key": key,
                "needs": list(rep.needs),
            }
        )
    # longest first (the last render's time, else the notebook's size), so two workers finish together
    todo.sort(key=lambda j: -cache.read(out_dir, j["output"]).get("seconds", Path(j["path"]).stat().st_size / 1000))
    return todo, skipped


def render(
    jobs,
    out_dir=None,
    *,
    force: bool = False,
    workers: int | None = None,
    progress: bool = False,
    reproducible: bool = False,
) -> dict:
    """Render reports in parallel and rewrite the index. Returns {"written", "skipped", "errors", "index"}; a
    failing report keeps its previous HTML and does not stop the others."""
    # absolute: papermill runs each notebook in its own folder (a chdir), while this process writes the data
    # export in a thread; a relative folder would then point somewhere else
    epoch, _ = provenance.source_date_epoch(), config.base_url()  # checked before anything is written
    out_dir = check_output_dir((Path(out_dir) if out_dir else config.reports_dir()).absolute())
    todo, skipped = plan(jobs, out_dir, force=force)
    written, errors = [], []
    if todo:
        pinned = epoch or (provenance.commit_epoch() if reproducible else None)
        when = provenance.fmt_epoch(pinned) if pinned else provenance.render_time()
        commit = provenance.git_commit()
        as_at = export.data_as_at()
        for job in todo:
            job["context"] = {
                "parameters": job["params"],
                "needs": job["needs"],
                "render_time": when,
                "pinned": bool(pinned),
                "commit": commit,
                "data_as_at": as_at,
            }
        from tqdm import tqdm

        bar = tqdm(
            total=len(todo),
            desc="rendering",
            unit="report",
            file=sys.stderr,
            disable=not (progress and sys.stderr.isatty()),
        )

        # in a log (no terminal) the bar is off: a plain line at each tenth of the pages instead
        plain = progress and not sys.stderr.isatty() and len(todo) > 1
        step, started, finished = max(1, len(todo) // 10), time.monotonic(), [0]

        def done(job, res):
            bar.update(1)
            finished[0] += 1
            if plain and (finished[0] % step == 0 or finished[0] == len(todo)):
                print(
                    f"rendering: {finished[0]} of {len(todo)} pages ({time.monotonic() - started:.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
            if "error" in res:
                errors.append(res["error"])
                return
            target = out_dir / f"{job['output']}.html"
            try:
                for name, data in res.get("files", {}).items():  # the tables' CSVs first, then the page
                    (atomic_bytes if isinstance(data, bytes) else atomic_text)(target.parent / name, data)
                atomic_text(target, res["html"])
                atomic_text(cache.log_path(out_dir, job["output"]), res.get("log", ""))  # warnings: here, not the page
                cache.write(
                    out_dir,
                    job["output"],
                    {
                        "key": job["key"],
                        "output": job["output"],
                        "report": job["name"],
                        "title": res["title"],
                        "parameters": job["params"],
                        "seconds": round(res["seconds"], 1),
                    },
                )
            except OSError as e:
                errors.append(f"cannot write {target}: {e.strerror or e}; previous HTML (if any) left in place")
                return
            written.append(target)

        import concurrent.futures as cf

        # the data export depends on the tables only: written by this process while the workers render
        export.write_assets(out_dir)  # the style sheet every page links to
        data = cf.ThreadPoolExecutor(max_workers=1)
        data_done = data.submit(export.write_data, out_dir)
        try:
            n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
            execute.run_all(todo, n, done)
        finally:
            bar.close()
            data.shutdown(wait=True)
    try:
        index = out_dir / "index.html"
        if todo:
            data_done.result()  # re-raises a write error
        if written or not export.index_current(out_dir):
            if not todo:
                export.write_data(out_dir)
                export.write_assets(out_dir)
            export.write_docs(out_dir)
            index = export.write_index(out_dir, catalogue.reports())
    except OSError as e:
        raise ParameterError(f"cannot write {out_dir / 'index.html'}: {e.strerror or e}") from None
    return {"written": written, "skipped": skipped, "errors": errors, "index": index}


def _all_areas(out_dir) -> list[str]:
    """Every area's code, remembered per version of the inspection tables in ``.cache/all-areas.json``, so a
    no-change rebuild does not load the tables (and pandas) to list them."""
    import json

    keys = [store.table_key(n) for n in ("inspections_2016", "inspections_2023")]
    memo = (Path(out_dir) if out_dir else config.reports_dir()).absolute() / ".cache" / "all-areas.json"
    try:
        saved = json.loads(memo.read_text())
        if saved.get("keys") == keys:
            return saved["codes"]
    except (OSError, ValueError, AttributeError):
        pass
    from ..questions import areas

    codes = areas.area_codes("all")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        atomic_text(memo, json.dumps({"keys": keys, "codes": codes}))
    except OSError:
        pass  # only a memo: the next run lists them again
    return codes


def render_all(out_dir=None, *, area_codes=None, **opts) -> dict:
    """The whole site: every core report, the areas page and every area's profile, then the index.
    ``area_codes``: only these profiles (and no areas page); ``()``: the core reports alone."""
    jobs: list[tuple[str, dict]] = [(n, {}) for n in catalogue.core()]
    if area_codes is None:
        jobs += [(n, {}) for n in export.SITE]  # the areas page links every profile: rendered with them all
        area_codes = _all_areas(out_dir)
        catalogue.RESOLVED.update(("area", c) for c in area_codes)  # codes that areas.area_codes returned
    return render(jobs + [("area_profile", {"area": c}) for c in area_codes], out_dir, **opts)
