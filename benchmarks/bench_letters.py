"""Letters benchmark, measured in one run (never asserted in tests). `make benchmark` runs it.

1. PDF text libraries on the 55 bundled reports: pypdf vs pdfminer.six, time and a quality proxy (how many
   of the reports' recommendation paragraphs are separated by a blank line, which item splitting needs);
2. parse + extract + code every bundled document cold (empty text cache) and warm (target: warm under 5 s).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDFS = sorted((ROOT / "data" / "raw" / "ofsted" / "reports_2023_framework").glob("*.pdf"))
RUN = """
import time; t = time.perf_counter()
from sendstats import letters
docs = letters.bundled_documents()
records, failures = letters.read_many(docs)
n = sum(len(letters.code(r.weaknesses + r.priority_actions + r.improvements)) for r in records)
print(f"{len(records)} documents, {len(failures)} failures, {n} coded rows in {time.perf_counter() - t:.2f} s")
"""


def blank_separated(text: str) -> int:
    """Paragraphs starting 'Leaders' preceded by a blank line: a proxy for kept paragraph breaks."""
    lines = text.splitlines()
    return sum(1 for i in range(1, len(lines)) if lines[i].startswith("Leaders") and not lines[i - 1].strip())


def main() -> None:
    from pdfminer.high_level import extract_text
    from pypdf import PdfReader

    t = time.perf_counter()
    a = ["\n".join(p.extract_text() or "" for p in PdfReader(f).pages) for f in PDFS]
    ta = time.perf_counter() - t
    t = time.perf_counter()
    b = [extract_text(str(f)) for f in PDFS]
    tb = time.perf_counter() - t
    print(
        f"{len(PDFS)} PDFs: pypdf {ta:.1f} s, {sum(map(blank_separated, a))} paragraph breaks kept; "
        f"pdfminer.six {tb:.1f} s, {sum(map(blank_separated, b))} kept; pypdf is {tb / ta:.1f}x faster"
    )

    with tempfile.TemporaryDirectory() as d:
        data = Path(d) / "data"
        shutil.copytree(ROOT / "data" / "raw", data / "raw")
        (data / "processed").mkdir()
        env = {**os.environ, "SENDSTATS_DATA": str(data)}
        for label in ("cold (empty text cache)", "warm (text cached)", "warm again"):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, check=True)
            print(f"parse + extract + code, {label}: {time.perf_counter() - t:.2f} s wall; {out.stdout.strip()}")


if __name__ == "__main__":
    main()
