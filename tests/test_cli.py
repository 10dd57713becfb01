"""The command line as the README shows it: every `sendstats ...` example in README.md runs (into a
temporary folder), and user errors are one line with exit 2."""

import re
import shlex

import pytest
from conftest import ROOT, run_cli


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text()
    found = re.findall(r"`(sendstats [^`]+)`", text)
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        found += [ln.split("#")[0].strip() for ln in block.splitlines() if ln.strip().startswith("sendstats ")]
    out = []
    for cmd in found:
        if "[" in cmd or "<" in cmd or "letters fetch" in cmd:  # a synopsis, or the one needing the internet
            continue
        if cmd not in out:
            out.append(cmd)
    return out


EXAMPLES = _examples()


def test_the_readme_shows_the_commands():
    assert len(EXAMPLES) >= 10 and any("-p as_at=2019-12-31 -p exclude_regions=London" in c for c in EXAMPLES)


@pytest.mark.parametrize("cmd", EXAMPLES)
def test_every_readme_example_runs(cmd, tmp_path):
    args = shlex.split(cmd)[1:]
    if args[:2] == ["data", "export"]:
        args[2] = str(tmp_path / args[2])
    if args[0] == "report":
        args += ["--output-dir", str(tmp_path / "reports")]
    r = run_cli(*args)
    assert r.returncode == 0, f"{cmd}\n{r.stdout[-1500:]}\n{r.stderr[-1500:]}"
    assert "Traceback" not in r.stderr
    if args[0] == "report" and "-p" in args:
        core = [p.name for p in (tmp_path / "reports").glob("*.html")]
        assert not [n for n in core if re.fullmatch(r"0\d_[a-z_]+\.html", n)], (
            "a parameterised render wrote a core file"
        )


def test_letters_fetch_without_network_fails_cleanly(tmp_path):
    r = run_cli("letters", "fetch", "--limit", "1", "--delay", "0", "--cache", str(tmp_path))
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr  # no internet here: failures listed, exit 1


def test_unknown_things_are_one_line_exit_2():
    for args, word in (
        (["report", "no_such_report"], "unknown report"),
        (["report", "01_inspection_outcomes", "-p", "framework"], "key=value"),
        (["report", "01_inspection_outcomes", "-p", "as_at=01/02/2019"], "ISO date"),
        (["report", "02_factors_and_wsoa", "-p", "factors="], "at least 1"),
        (["report", "05_letter_themes", "-p", "codebook=/no/such.yaml"], "file not found"),
        (["report", "02_factors_and_wsoa", "-p", "sliver=nan"], "finite"),
        (["report", "02_factors_and_wsoa", "-p", "sliver=-1"], "at least 0"),
        (["report", "02_factors_and_wsoa", "-p", "sliver=0.5"], "below 0.5"),
        (["report", "02_factors_and_wsoa", "-p", "exclude_regions=Londn"], "not one of"),
    ):
        r = run_cli(*args)
        assert r.returncode == 2 and word in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
