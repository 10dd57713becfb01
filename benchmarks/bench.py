"""Benchmarks, reported as measured in one run (never asserted in tests).

1. `sendstats data build` from raw, in a fresh process (the issue's target: under 10 s on 2 cores);
2. load_areas() when the processed table is current (no rebuild), for the ratio.
"""
import subprocess
import sys
import time

ROUNDS = 3


def timed(code: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    build = [timed("from sendstats import build; build.build()") for _ in range(ROUNDS)]
    load = [timed("import sendstats; sendstats.load_areas()") for _ in range(ROUNDS)]
    imp = [timed("import sendstats") for _ in range(ROUNDS)]
    b, l, i = min(build), min(load), min(imp)
    print(f"sendstats data build (fresh process, best of {ROUNDS}): {b:.2f} s  (of which importing: {i:.2f} s)")
    print(f"load_areas() with current processed data (fresh process): {l:.2f} s")
    print(f"ratio build / warm load: {b / l:.1f}x; build excluding import: {b - i:.2f} s")


if __name__ == "__main__":
    main()
