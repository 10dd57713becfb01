"""The project's own files agree with each other: dependencies, the lock, the version, the README's commands."""

import re
import tomllib

import yaml
from conftest import ROOT


def _names(reqs):
    return {
        re.sub(r"[-_.]+", "-", re.split(r"[<>=!~ \[;]", r.strip(), maxsplit=1)[0].lower()) for r in reqs if r.strip()
    }


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [p for d in env["dependencies"] if isinstance(d, dict) for p in d.get("pip", [])]
    have = _names(conda + pip) - {"python", "pip"}
    assert have == wanted, (
        f"only in environment.yml: {sorted(have - wanted)}; only in pyproject: {sorted(wanted - have)}"
    )


def test_lock_pins_every_dependency_with_hashes():
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {re.sub(r"[-_.]+", "-", m.group(1).lower()) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    assert wanted <= pinned, sorted(wanted - pinned)
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)


def test_one_version_shared_with_citation_cff():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert str(cff["version"]) == version
    import sendstats

    assert sendstats.__version__ == version


def test_zenodo_metadata_agrees_with_citation_cff():
    """A release can mint a DOI from .zenodo.json: the same title, authors and licence as CITATION.cff."""
    import json

    zen = json.loads((ROOT / ".zenodo.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert zen["title"] == cff["title"] and zen["license"] == cff["license"] and zen["upload_type"] == "software"
    assert [c["name"] for c in zen["creators"]] == [a["name"] for a in cff["authors"]]


def test_every_package_folder_ships_in_the_wheel():
    """pyproject.toml lists the packages by hand: a new folder of modules left off the list would be missing
    from the wheel (and a stale build/ folder can hide that), so every folder with an __init__.py is listed."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in src.rglob("__init__.py")}
    assert found - listed == set(), f"package folders not in pyproject.toml: {sorted(found - listed)}"
    assert {"sendstats.stats", "sendstats.data.registry", "sendstats.questions"} <= listed


def test_every_module_path_a_docstring_names_exists():
    """Issue 31 item 7: docstrings named module paths that had moved (``sendstats.factors.FACTORS``). Every
    ``sendstats.x.y`` in a Sphinx role or in double backticks in the package's source resolves to a module or
    a name in one."""
    import importlib

    bad = []
    for f in (ROOT / "src" / "sendstats").rglob("*.py"):
        text = f.read_text()
        for m in re.finditer(r"(?::(?:mod|func|data|class|meth):`|``)(sendstats(?:\.[A-Za-z_]\w*)+)", text):
            parts = m.group(1).split(".")
            for i in range(len(parts), 0, -1):
                try:
                    obj = importlib.import_module(".".join(parts[:i]))
                    break
                except ImportError:
                    continue
            try:
                for name in parts[i:]:
                    obj = getattr(obj, name)
            except AttributeError:
                bad.append(f"{f.relative_to(ROOT)}: {m.group(1)}")
    assert bad == []
