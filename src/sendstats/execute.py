"""Executing notebooks: one kernel per worker process, reused across that worker's reports.

Process hygiene: workers ignore Ctrl-C (the command handles it and terminates them); each worker watches
the command's process and exits within half a second of it; each kernel polls its worker (ipykernel's
parent poller) and exits within a second of that. So no worker or kernel outlives the command by more than
a few seconds, even after SIGKILL of the command.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from .provenance import RENDER_ENV

_KERNEL = None


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # killed but not yet reaped
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def worker_init(main_pid: int) -> None:
    """Runs first in each worker process. A worker is a child of multiprocessing's fork server, which stays
    up while any worker does, so each worker watches the command's own process and exits soon after it goes
    (its kernel follows within a second through ipykernel's parent poller)."""
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch():
        while not _gone(main_pid):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="sendstats-parent-watch").start()


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
        # the kernel's own log lines (not the notebook's output, which comes over ZMQ) stay off the terminal
        km.start_kernel(cwd=str(cwd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

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
                                  initializer=worker_init, initargs=(os.getpid(),))
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
