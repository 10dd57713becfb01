"""The command line as the README shows it: every `sendstats ...` example in README.md runs (into a
temporary folder), and user errors are one line with exit 2."""

import html
import re
import shlex
import shutil

import pytest
from conftest import CORE, EPOCH, ROOT, run_cli

from sendstats.render import catalogue


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
def test_every_readme_example_runs(cmd, tmp_path, rendered):
    """Each example as a reader would type it after `make reports`: the report commands start from a copy of
    the suite's shared cold render (its pages and cache), so each renders only what it adds."""
    args = shlex.split(cmd)[1:]
    if args[:2] == ["data", "export"]:
        args[2] = str(tmp_path / args[2])
    if args[0] == "report":
        shutil.copytree(rendered, tmp_path / "reports")
        args += ["--output-dir", str(tmp_path / "reports")]
    core = {p.name: p.read_bytes() for p in (tmp_path / "reports").glob("0*.html")}
    pinned = "--reproducible" in args  # the shared render's SOURCE_DATE_EPOCH: the pages must come out the same
    r = run_cli(*args, env=EPOCH if pinned else None)
    assert r.returncode == 0, f"{cmd}\n{r.stdout[-1500:]}\n{r.stderr[-1500:]}"
    assert "Traceback" not in r.stderr
    if pinned and "--force" in args:  # a second cold render, in another folder: byte for byte the first
        assert f"rendered {len(CORE)}, unchanged 0" in r.stdout, r.stdout
        # no terminal here: plain progress lines in the log instead of a bar
        assert f"rendering: {len(CORE)} of {len(CORE)} pages" in r.stderr, r.stderr
        for name in CORE:
            assert (tmp_path / "reports" / f"{name}.html").read_bytes() == (rendered / f"{name}.html").read_bytes()
            for csv in rendered.glob(f"{name}.*.csv"):
                assert (tmp_path / "reports" / csv.name).read_bytes() == csv.read_bytes(), csv.name
    if args[0] == "report" and "-p" in args:
        after = {p.name: p.read_bytes() for p in (tmp_path / "reports").glob("0*.html")}
        assert {n: b for n, b in after.items() if n in core} == core, "a parameterised render wrote a core file"
        if args[1] != "area_profile":  # its own file, linked from the index with its parameters
            (page,) = [n for n in after if n not in core and n.startswith(f"{args[1]}--")]
            index = (tmp_path / "reports" / "index.html").read_text()
            assert f'href="{page}"' in index
            given = dict(args[i + 1].split("=", 1) for i, a in enumerate(args) if a == "-p")
            for k, v in given.items():
                assert v in (tmp_path / "reports" / page).read_text(), (k, v)
            # the index describes the render by its parameters in words ("as at 31 December 2019; leaving out London")
            words = html.escape(catalogue.describe(args[1], catalogue.resolve(args[1], given)))
            assert words and f"</a>: {words}</li>" in index, words


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


def test_the_readmes_python_block_runs():
    """Every line of the README's Python example runs as written (the block, in one namespace)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README shows a Python example"
    for block in blocks:
        exec(compile(block, "README.md (python block)", "exec"), {})
