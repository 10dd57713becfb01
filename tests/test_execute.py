"""Process hygiene: Ctrl-C stops a render with one line and exit 130; no worker or kernel outlives the
command by more than a few seconds, even after SIGKILL of the parent."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import proc_stat


def _children():
    """pid -> parent pid for every process."""
    stats = ((int(d.name), proc_stat(d.name)) for d in Path("/proc").iterdir() if d.name.isdigit())
    return {pid: int(s[1][1]) for pid, s in stats if s}


def _descendants(pid):
    tree, found, todo = _children(), set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in tree.items() if pp == p]
        found.update(kids)
        todo += kids
    return found


def _alive(pids):
    return {p for p in pids if (s := proc_stat(p)) and s[1][0] != "Z"}


def _cmdline(pid) -> bytes:
    """A process's command line, or nothing if it ended meanwhile (a short-lived helper can go between the
    listing and the read)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _start_render(tmp_path):
    """A cold render of the whole site from the repository's data, whose tables the ``built`` fixture has
    brought up to date first (so no build runs in the command, nor in another test process meanwhile)."""
    return subprocess.Popen(
        [sys.executable, "-m", "sendstats.cli", "report", "--force", "--workers", "2", "--output-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_kernels(proc, n=2, timeout=60):
    """Wait until the render has started its workers' kernels; returns every descendant seen."""
    seen, t0 = set(), time.time()
    while time.time() - t0 < timeout:
        seen |= _descendants(proc.pid)
        kernels = [p for p in _alive(seen) if b"ipykernel" in _cmdline(p)]
        if len(kernels) >= n:
            time.sleep(0.5)
            return seen | _descendants(proc.pid)
        time.sleep(0.2)
    pytest.fail("kernels did not start")


def _gone_within(pids, seconds):
    t0 = time.time()
    while time.time() - t0 < seconds:
        if not _alive(pids):
            return time.time() - t0
        time.sleep(0.2)
    return None


def test_sigkill_of_the_parent_leaves_no_worker_or_kernel(tmp_path, built):
    proc = _start_render(tmp_path)
    seen = _wait_for_kernels(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    took = _gone_within(seen, 10)
    assert took is not None, f"still running 10 s after SIGKILL: {sorted(_alive(seen))}"


def test_ctrl_c_stops_with_one_line_and_exit_130(tmp_path, built):
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.html")}
    proc = _start_render(tmp_path)
    seen = _wait_for_kernels(proc)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "sendstats: interrupted" and "Traceback" not in err, err
    assert _gone_within(seen, 10) is not None, f"left running: {sorted(_alive(seen))}"
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.html")} == before


def test_a_finished_render_returns_after_its_workers_and_helpers_are_reaped(rendered):
    """The shared cold render ran two workers (and multiprocessing's fork server and resource tracker): the
    moment the command returned, nothing of its session was left, running or waiting to be reaped."""
    import json

    assert json.loads((rendered.parent / "left-behind.json").read_text()) == []
