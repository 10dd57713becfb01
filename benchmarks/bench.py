"""Benchmarks, reported as measured in one run (never asserted in tests). `make benchmark` runs it.

1. `sendstats data build` from raw, in a fresh process (target: under 10 s on 2 cores), vs a warm load_areas();
2. the core report suite: a naive sequential loop (papermill + nbconvert, one fresh kernel per notebook) vs
   `sendstats report --force` (parallel kernels, reused) cold (target: at least 1.8x faster);
3. `sendstats report` again with nothing changed (target: under 1 s);
4. every area profile: `sendstats report --areas all` from an empty output directory (target: under 3 min).
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 3
ROOT = Path(__file__).resolve().parents[1]
SENDSTATS = [sys.executable, "-m", "sendstats.cli"]


def timed(cmd) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"benchmark step failed ({' '.join(cmd[:4])}...):\n{r.stderr[-2000:]}")
    return time.perf_counter() - t


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


def main() -> None:
    os.chdir(ROOT)
    build = min(timed([sys.executable, "-c", "from sendstats import build; build.build()"]) for _ in range(ROUNDS))
    load = min(timed([sys.executable, "-c", "import sendstats; sendstats.load_areas()"]) for _ in range(ROUNDS))
    print(f"data build from raw (fresh process, best of {ROUNDS}): {build:.2f} s; warm load_areas(): {load:.2f} s; "
          f"ratio {build / load:.1f}x")

    with tempfile.TemporaryDirectory() as naive_dir, tempfile.TemporaryDirectory() as ours, \
            tempfile.TemporaryDirectory() as profiles:
        naive = timed([sys.executable, "-c", NAIVE, naive_dir])
        cold = timed([*SENDSTATS, "report", "--force", "--output-dir", ours])
        print(f"core suite: naive sequential papermill+nbconvert loop {naive:.1f} s; sendstats report cold {cold:.1f} s; "
              f"speed-up {naive / cold:.2f}x (target >= 1.8x)")
        warm = min(timed([*SENDSTATS, "report", "--output-dir", ours]) for _ in range(ROUNDS))
        print(f"no-change rebuild (best of {ROUNDS}): {warm:.2f} s (target < 1 s); cold / warm {cold / warm:.0f}x")
        allp = timed([*SENDSTATS, "report", "--areas", "all", "--output-dir", profiles])
        n = len(list((Path(profiles) / "areas").glob("*.html")))
        print(f"all {n} area profiles + core suite from empty: {allp:.1f} s (target < 180 s); "
              f"{allp / n:.2f} s per profile")


if __name__ == "__main__":
    main()
