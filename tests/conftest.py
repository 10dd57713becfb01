import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
ODS = RAW / "ofsted" / "Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods"
MI = RAW / "ofsted" / "area_send_mi_jan_to_aug_2023.csv"
OVERVIEW = RAW / "ofsted" / "area_send_2023_framework_overview.xlsx"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/raw (and an empty processed/) that SENDSTATS_DATA points to."""
    d = tmp_path / "data"
    shutil.copytree(RAW, d / "raw")
    (d / "processed").mkdir()
    monkeypatch.setenv("SENDSTATS_DATA", str(d))
    return d


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "sendstats.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)
