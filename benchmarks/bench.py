"""Benchmarks, reported as measured in one run (never asserted in tests). `make benchmark` runs it.

Targets (2 cores):
1. `sendstats data build` from raw in a fresh process, vs a warm `load_areas()`;
2. the core report suite: a naive sequential loop (papermill + nbconvert, one fresh kernel per notebook) vs
   `sendstats report --core-only --force` cold: at least 3x faster;
3. `sendstats report` again with nothing changed (the whole site): at most 0.25 s;
4. the whole default site (`sendstats report`: core reports, areas page, every profile) from an empty output
   folder: at most 45 s;
5. edit the codebook, re-render: only the pages that read the letter tables (report 05, and report 02 for its
   negative control) and the letter tables are redone;
6. a moved checkout with a warm cache: `sendstats report` re-renders nothing.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 3
ROOT = Path(__file__).resolve().parents[1]
SENDSTATS = [sys.executable, "-m", "sendstats.cli"]


def timed(cmd, **kw) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        raise SystemExit(f"benchmark step failed ({' '.join(map(str, cmd[:4]))}...):\n{r.stderr[-2000:]}")
    return time.perf_counter() - t, r.stdout.strip()


NAIVE = """
import sys, papermill, nbformat
from pathlib import Path
from nbconvert import HTMLExporter
out = Path(sys.argv[1])
for nb in sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb")):
    executed = papermill.execute_notebook(str(nb), None, kernel_name="python3", progress_bar=False, cwd="notebooks")
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(executed)
    (out / f"{nb.stem}.html").write_text(body)
"""


def moved_checkout(tmp: Path, reports: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", "reports")
    co = tmp / "moved-checkout"
    shutil.copytree(ROOT, co, ignore=ignore)
    shutil.copytree(reports, co / "reports")
    return co


def main() -> None:
    os.chdir(ROOT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENDSTATS_")}
    build = min(
        timed([sys.executable, "-c", "from sendstats import store; store.build()"], env=env)[0] for _ in range(ROUNDS)
    )
    load = min(
        timed([sys.executable, "-c", "import sendstats; sendstats.load_areas()"], env=env)[0] for _ in range(ROUNDS)
    )
    print(
        f"1. data build from raw, all tables (fresh process, best of {ROUNDS}): {build:.2f} s; "
        f"warm load_areas(): {load:.2f} s; ratio {build / load:.1f}x"
    )

    with (
        tempfile.TemporaryDirectory() as naive_dir,
        tempfile.TemporaryDirectory() as ours,
        tempfile.TemporaryDirectory() as profiles,
        tempfile.TemporaryDirectory() as tmp,
    ):
        naive, _ = timed([sys.executable, "-c", NAIVE, naive_dir], env=env)
        cold, _ = timed([*SENDSTATS, "report", "--core-only", "--force", "--output-dir", ours], env=env)
        print(
            f"2. core suite: naive sequential papermill+nbconvert loop {naive:.1f} s; sendstats report --core-only "
            f"cold {cold:.1f} s; speed-up {naive / cold:.2f}x (target >= 3x)"
        )
        site, out = timed([*SENDSTATS, "report", "--output-dir", profiles], env=env)
        n = len(list(Path(profiles).rglob("*.html")))
        size = sum(p.stat().st_size for p in Path(profiles).rglob("*") if p.is_file() and ".cache" not in p.parts)
        biggest = max(p.stat().st_size for p in (Path(profiles) / "areas").glob("*.html"))
        print(
            f"4. the whole site from empty: {site:.1f} s for {n} pages (target <= 45 s; {out.split(';')[0]}); "
            f"{size / 1e6:.1f} MB in all, largest profile {biggest / 1e3:.0f} KB"
        )
        warm = min(timed([*SENDSTATS, "report", "--output-dir", profiles], env=env)[0] for _ in range(ROUNDS))
        print(f"3. no-change rebuild of the whole site (best of {ROUNDS}): {warm:.3f} s (target <= 0.25 s)")
        ours = profiles  # the moved checkout starts from the whole site

        co = moved_checkout(Path(tmp), Path(ours))
        menv = {**env, "PYTHONPATH": str(co / "src")}
        moved, out = timed([*SENDSTATS, "report"], cwd=co, env=menv)
        print(f"6. moved checkout, warm cache: {moved:.3f} s ({out.split(';')[0]})")
        book = co / "src" / "sendstats" / "letters" / "codebook.yaml"
        book.write_text(book.read_text() + "# edited\n")
        edit, out = timed([*SENDSTATS, "report"], cwd=co, env=menv)
        print(f"5. edit the codebook, re-render: {edit:.1f} s ({out.split(';')[0]}; letter tables rebuilt first)")


if __name__ == "__main__":
    main()
