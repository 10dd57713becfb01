"""Installable anywhere: the wheel, installed into a fresh virtual environment outside the repository, runs
`sendstats --version` and renders report 01 from another folder against the repository's data.

To keep the test fast the fresh environment takes its third-party dependencies from the project's
environment (a .pth line, which adds that folder without running its editable-install hook, and
JUPYTER_PATH for nbconvert's templates), so the `sendstats` it imports is the installed wheel's and nothing
else. A full `pip install` of the wheel with its dependencies was checked by hand (see the closing note)."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT


def test_wheel_in_a_fresh_venv_renders_report_01_from_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(wheels.glob("sendstats-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    r = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "zz_project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SENDSTATS_", "PYTHONPATH"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the borrowed nbconvert's templates
    where = subprocess.run(
        [str(py), "-c", "import sendstats; print(sendstats.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert str(venv) in where.stdout, where.stdout + where.stderr

    def sendstats(*args):
        return subprocess.run(
            [str(venv / "bin" / "sendstats"), *args],
            capture_output=True,
            text=True,
            cwd=elsewhere,
            env=env,
            timeout=600,
        )

    r = sendstats("--version")
    assert r.returncode == 0 and r.stdout.strip().startswith("sendstats 0."), r.stdout + r.stderr
    r = sendstats("report", "01_inspection_outcomes", "--output-dir", "out")
    assert r.returncode == 2 and "no data folder" in r.stderr  # outside a checkout, the data folder must be named
    env["SENDSTATS_DATA"] = str(ROOT / "data")
    r = sendstats("report", "01_inspection_outcomes", "--output-dir", "out")
    assert r.returncode == 0, r.stdout + r.stderr
    html = (elsewhere / "out" / "01_inspection_outcomes.html").read_text()
    assert "Of 149 inspected areas, 82 (55%" in html and "Provenance" in html
