"""Executing notebooks: one kernel per worker process, reused across that worker's reports.

Process hygiene: workers ignore Ctrl-C (the parent handles it and terminates them); each worker asks the
kernel (Linux ``PR_SET_PDEATHSIG``) to be killed when its parent goes, and checks its parent is still there;
each kernel polls its worker (ipykernel's parent poller) and exits within a second of it. So no worker or
kernel outlives the command by more than a few seconds, even after SIGKILL of the parent.
"""
from __future__ import annotations

import json
import os
import signal
import tempfile
from pathlib import Path

from .provenance import RENDER_ENV

_KERNEL = None


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker_init() -> None:
    """Runs first in each worker process (a child of multiprocessing's fork server, which exits when the
    command does)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent went before the death signal was set
        os._exit(1)


def kernel(cwd: Path):
    """This process's kernel (started once, without MPLBACKEND, on unix sockets; shut down at exit)."""
    global _KERNEL
    if _KERNEL is not None and _KERNEL.is_alive():
        return _KERNEL
    import atexit
    import warnings

    from jupyter_client.manager import KernelManager

    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # MPLBACKEND=Agg would drop figures
    km = KernelManager(kernel_name="python3", transport="ipc",
                       ip=str(Path(tempfile.mkdtemp(prefix="sendstats-kernel-")) / "kernel"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        km.start_kernel(cwd=str(cwd), env=env)

    def stop():
        import shutil

        try:
            if km.is_alive():
                km.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(Path(km.ip).parent, ignore_errors=True)

    import multiprocessing.util

    multiprocessing.util.Finalize(None, stop, exitpriority=10)  # worker processes skip atexit
    atexit.register(stop)
    _KERNEL = km
    return km


def _reset(km, context: dict) -> None:
    """Before each report: empty the user namespace and hand over the render context."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        code = ("get_ipython().run_line_magic('reset', '-f')\n"
                f"import os as _os; _os.environ[{RENDER_ENV!r}] = {json.dumps(context)!r}; del _os")
        reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"could not prepare the kernel: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


def run(job: dict) -> dict:
    """Run one job ({path, params, title, output, context}) -> {"html", "title"} or {"error"}."""
    import warnings

    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import export

    try:
        km = kernel(Path(job["path"]).parent)
        _reset(km, job["context"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = papermill.execute_notebook(job["path"], None, parameters=job["params"], km=km, progress_bar=False,
                                            log_output=False, cwd=str(Path(job["path"]).parent))
        nb = export.normalise(nb)
        title = export.page_title(nb, job["title"])
        return {"html": export.to_html(nb, title), "title": title}
    except PapermillExecutionError as e:
        return {"error": f"report {job['output']} failed in cell {e.cell_index + 1} ({e.ename}: {e.evalue}); "
                         "previous HTML (if any) left in place"}
    except Exception as e:  # kernel died, timeout, ...: reported per report, the others go on
        global _KERNEL
        _KERNEL = None
        return {"error": f"report {job['output']} could not run ({type(e).__name__}: {e}); previous HTML (if any) left in place"}


def run_all(jobs: list[dict], workers: int, on_result) -> None:
    """Run jobs in ``workers`` processes (in this process if 1), calling ``on_result(job, result)`` as each
    finishes. Ctrl-C terminates the workers (their kernels follow) and re-raises KeyboardInterrupt."""
    if workers <= 1:
        for job in jobs:
            on_result(job, run(job))
        return
    import concurrent.futures as cf
    import multiprocessing as mp

    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver"),
                                  initializer=worker_init)
    try:
        futures = {pool.submit(run, job): job for job in jobs}
        for f in cf.as_completed(futures):
            on_result(futures[f], f.result())
    except BaseException:
        for p in list((getattr(pool, "_processes", None) or {}).values()):
            p.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
