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

from ..config import RENDER_ENV
from . import internals

_KERNEL = None
_CLIENT = None
ENGINE = "sendstats-reused-client"


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


def _lean_imports() -> None:
    """papermill -> nbformat -> jsonschema builds IRI grammars (lark) at import when rfc3987_syntax is
    installed: about 1 s of CPU per process for a format the notebook schema never uses. Without it,
    jsonschema skips that checker. Called by :func:`run` before it imports papermill (a no-op after)."""
    import sys

    # None in sys.modules makes an import fail (documented Python behaviour); typeshed types values as modules
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


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
    km = KernelManager(
        kernel_name="python3", transport="ipc", ip=str(Path(tempfile.mkdtemp(prefix="sendstats-kernel-")) / "kernel")
    )
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


# what every report imports: loaded by a new kernel while its worker loads papermill and nbconvert
WARM_UP = (
    "import pandas, matplotlib.pyplot, sendstats.plots, sendstats.stats,"
    " sendstats.questions.wsoa, sendstats.questions.outcome_2023, sendstats.render.provenance"
)


def client(km):
    """One client per kernel, connected once (a new client costs a handshake of up to a second). A new
    kernel starts importing what the reports use at once, without waiting."""
    global _CLIENT
    if _CLIENT is None or _CLIENT.parent is not km:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute(WARM_UP, silent=True, store_history=False)
        _CLIENT = kc
    return _CLIENT


def _reset(kc, context: dict) -> None:
    """Before each report: remove every name the previous report defined (cheaper than ``%reset -f``, which
    also collects garbage and clears history), close its figures, and hand over the render context."""
    code = (
        "import sys as _sys, os as _os\n"
        "_ns = get_ipython().user_ns\n"
        "_base = _sys.modules.get('_sendstats_baseline') or"
        " _sys.modules.setdefault('_sendstats_baseline', type(_sys)('_sendstats_baseline'))\n"
        "if not hasattr(_base, 'names'): _base.names = set(_ns) | {'_sys', '_os', '_ns', '_base', '_k'}\n"
        "_k = None\n"
        "for _k in [k for k in _ns if k not in _base.names]: del _ns[_k]\n"
        "get_ipython().history_manager.output_hist.clear(); _ns.update({'_': '', '__': '', '___': ''})\n"
        "if 'matplotlib.pyplot' in _sys.modules: _sys.modules['matplotlib.pyplot'].close('all')\n"
        f"_os.environ[{RENDER_ENV!r}] = {json.dumps(context)!r}\n"
        "del _sys, _os, _ns, _base, _k"
    )
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"could not prepare the kernel: {reply['content'].get('evalue')}")


def _register_engine() -> None:
    """A papermill engine that runs on this worker's connected client instead of connecting anew."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class ReusedClientEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kc = kwargs.pop("kc")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            nbc = PapermillNotebookClient(nb_man, **final)
            internals.use_connected_client(nbc, kc)
            return nbc.execute()

    if not internals.engine_registered(ENGINE):
        papermill_engines.register(ENGINE, ReusedClientEngine)


def run(job: dict) -> dict:
    """Run one job ({path, params, title, output, context}) -> {"html", "title", "seconds"} or {"error"}."""
    import logging
    import time
    import warnings

    t0 = time.perf_counter()
    try:
        km = kernel(Path(job["path"]).parent)
        kc = client(km)  # a new kernel warms up while this worker imports the rest
        _lean_imports()
        import papermill

        from . import export

        logging.getLogger("papermill").setLevel(logging.ERROR)  # its notes on parameter cells are not the reader's
        export.warm_up()
        _register_engine()
        _reset(kc, job["context"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = papermill.execute_notebook(
                job["path"], None, parameters=job["params"], km=km, kc=kc, engine_name=ENGINE,
                progress_bar=False, log_output=False, cwd=str(Path(job["path"]).parent),
            )  # fmt: skip
        return {**export.page(nb, job), "seconds": time.perf_counter() - t0}
    except Exception as e:  # a failing cell, a dead kernel, a timeout: reported per report, the others go on
        if type(e).__name__ == "PapermillExecutionError":
            cell, name, value = (getattr(e, a) for a in ("cell_index", "ename", "evalue"))
            return {
                "error": f"report {job['output']} failed in cell {cell + 1} ({name}: {value}); "
                "previous HTML (if any) left in place"
            }
        global _KERNEL, _CLIENT
        _KERNEL = _CLIENT = None
        why = f"{type(e).__name__}: {e}"
        return {"error": f"report {job['output']} could not run ({why}); previous HTML (if any) left in place"}


def run_all(jobs: list[dict], workers: int, on_result) -> None:
    """Run jobs in ``workers`` processes (in this process if 1), calling ``on_result(job, result)`` as each
    finishes. Ctrl-C terminates the workers (their kernels follow) and re-raises KeyboardInterrupt."""
    if workers <= 1:
        for job in jobs:
            on_result(job, run(job))
        return
    import concurrent.futures as cf
    import multiprocessing as mp

    pool = cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=mp.get_context("forkserver"), initializer=worker_init, initargs=(os.getpid(),)
    )
    try:
        futures = {pool.submit(run, job): job for job in jobs}
        for f in cf.as_completed(futures):
            on_result(futures[f], f.result())
        pool.shutdown()
    except BaseException:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        for p in procs:
            p.terminate()
        for p in procs:
            p.join(5)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _stop_helpers()


def _stop_helpers() -> None:
    """Stop multiprocessing's fork server and resource tracker, so the command returns with no process of
    its own left (they would otherwise exit just after it, reaped by whoever adopts them)."""
    internals.stop_multiprocessing_helpers()
