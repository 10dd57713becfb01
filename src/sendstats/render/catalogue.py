"""The report catalogue (``notebooks/reports.yaml``): which reports exist, what tables they need, and their
parameters, checked here before any kernel starts.

Parameter kinds beyond the plain types are named in :data:`KINDS` as ``"module:function"`` strings; the
``area`` kind is :func:`sendstats.questions.areas.resolve_area`, imported only when an area parameter is given.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import ParameterError
from ..scope import DATA_START, parse_date

CATALOGUE = "reports.yaml"
TYPES: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list}
KINDS: dict[str, str] = {"area": "sendstats.questions.areas:resolve_area"}
# values a kind's resolver has already returned in this process, (kind, value): a resolved value resolves to
# itself, so a render of every profile need not import the resolver's module (pandas) to check 156 codes
RESOLVED: set[tuple[str, object]] = set()


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    description: str
    core: bool
    needs: tuple
    parameters: dict
    output: str | None
    path: Path

    def digest(self) -> str:
        """Hash of this entry (a changed title or parameter spec re-renders the report)."""
        entry = {k: getattr(self, k) for k in ("name", "title", "description", "core", "needs", "parameters", "output")}
        return hashlib.sha256(json.dumps(entry, sort_keys=True, default=list).encode()).hexdigest()


def catalogue_path() -> Path:
    return config.notebooks_dir() / CATALOGUE


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> dict[str, Report]:
    import yaml

    p = Path(path)
    try:
        doc = yaml.load(p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise ParameterError(f"{p}: report catalogue not found") from None
    except yaml.YAMLError as e:
        raise ParameterError(f"{p}: not valid YAML ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("reports"), dict):
        raise ParameterError(f"{p}: expected a mapping 'reports:' of report name -> entry")
    out = {}
    for name, entry in doc["reports"].items():
        for key in ("title", "description", "needs", "parameters"):
            if key not in entry:
                raise ParameterError(f"{p}: report {name} lacks {key!r}")
        for pname, spec in entry["parameters"].items():
            if spec.get("type") not in TYPES:
                raise ParameterError(f"{p}: report {name}, parameter {pname}: type must be one of {list(TYPES)}")
            if isinstance(spec.get("choices"), str):  # a named vocabulary: its one home is the package
                spec["choices"] = _named_choices(spec["choices"], f"{p}: report {name}, parameter {pname}")
            if spec["type"] == "list" and isinstance(spec.get("default"), str):  # a declared default factor list
                spec["default"] = _named_default(spec["default"], f"{p}: report {name}, parameter {pname}")
        out[name] = Report(
            name,
            entry["title"],
            entry["description"],
            bool(entry.get("core", False)),
            tuple(entry["needs"]),
            entry["parameters"],
            entry.get("output"),
            p.parent / f"{name}.ipynb",
        )
    return out


def _named_choices(name: str, where: str) -> list:
    """``regions`` (Ofsted's regions), ``countings`` (the counting conventions), ``factors-2016`` /
    ``factors-2023`` (the factors a screen may take, from their declarations),
    ``revisit-factors`` (the 2016 factors plus the revisit frame's own)."""
    from .. import vocabulary
    from ..data import registry

    named = {
        "regions": list(vocabulary.REGIONS),
        "countings": list(vocabulary.COUNTINGS),
        "factors-2016": registry.factor_choices("2016"),
        "factors-2023": registry.factor_choices("2023"),
        "revisit-factors": ["n_weaknesses", "years_to_revisit", *registry.factor_choices("2016")],
    }
    if name not in named:
        raise ParameterError(f"{where}: unknown choices {name!r}; named choices: {', '.join(named)}")
    return named[name]


def _named_default(name: str, where: str) -> list:
    """A default factor list named in the catalogue (``screen-2016``, ``model-2016``, ...): the factors whose
    declaration lists it, read from the registry."""
    from ..data import registry

    if name not in registry.DEFAULT_LISTS:
        raise ParameterError(f"{where}: unknown default {name!r}; named defaults: {', '.join(registry.DEFAULT_LISTS)}")
    return registry.factor_defaults(name)


def reports() -> dict[str, Report]:
    p = catalogue_path()
    return _load(str(p), p.stat().st_mtime_ns if p.exists() else 0)


def get(name: str) -> Report:
    reps = reports()
    if name not in reps:
        raise ParameterError(f"unknown report {name!r}; available: {', '.join(reps) or 'none'}")
    return reps[name]


def core() -> list[str]:
    return [n for n, r in reports().items() if r.core]


def _coerce(report: str, name: str, raw, spec: dict):
    """A command-line string (or a Python value) -> the declared type. '' and 'none' mean empty where
    the parameter may be empty (default null or nullable)."""
    typ = spec["type"]
    nullable = spec.get("default") is None or spec.get("nullable", False)
    where = f"report {report}: parameter {name}"
    if spec.get("kind") == "date" and raw is not None and not isinstance(raw, str):
        # a date object is a date; anything else gets the one date parser's message, as at every door
        return f"{parse_date(raw, where, spec.get('min', DATA_START), spec.get('min_reason', '')):%Y-%m-%d}"
    if isinstance(raw, str):
        s = raw.strip()
        if nullable and s.lower() in ("", "none", "null"):
            return None
        if typ == "bool":
            if s.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ParameterError(f"{where} must be true or false, got {raw!r}")
            return s.lower() in ("true", "yes", "1")
        if typ == "int":
            try:
                return int(s)
            except ValueError:
                raise ParameterError(f"{where} must be a whole number, got {raw!r}") from None
        if typ == "float":
            try:
                return float(s)
            except ValueError:
                raise ParameterError(f"{where} must be a number, got {raw!r}") from None
        if typ == "list":
            return [v.strip() for v in s.split(",") if v.strip()]
        return s
    if raw is None and nullable:
        return None
    if not isinstance(raw, TYPES[typ]) or (typ in ("int", "float") and isinstance(raw, bool)):
        raise ParameterError(f"{where} must be {typ}, got {raw!r}")
    return raw


def _check(report: str, name: str, value, spec: dict):
    where = f"report {report}: parameter {name}"
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if "choices" in spec:
        bad = [v for v in values if v not in spec["choices"]]
        if bad:
            raise ParameterError(f"{where}={bad[0]!r} is not one of {spec['choices']}")
    if spec["type"] in ("int", "float"):
        import math

        if not math.isfinite(value):
            raise ParameterError(f"{where} must be a finite number, got {value!r}")
        if "min" in spec and value < spec["min"]:
            raise ParameterError(f"{where} must be at least {spec['min']}, got {value!r}")
        if "below" in spec and value >= spec["below"]:
            raise ParameterError(f"{where} must be below {spec['below']}, got {value!r}")
    if isinstance(value, list) and len(value) < spec.get("min_items", 0):
        raise ParameterError(f"{where} needs at least {spec['min_items']} value(s), got none")
    kind = spec.get("kind")
    if kind == "date":
        parse_date(value, where, spec.get("min", DATA_START), spec.get("min_reason", ""))
    elif kind == "file":
        p = Path(value).expanduser()
        if not p.is_file():
            raise ParameterError(f"{where}: file not found: {value}")
        return str(p.resolve())
    elif kind in KINDS:
        if (kind, value) in RESOLVED:
            return value
        module, func = KINDS[kind].split(":")
        try:
            out = getattr(importlib.import_module(module), func)(value)
        except ParameterError as e:
            raise ParameterError(f"{where}: {e}") from None
        RESOLVED.add((kind, out))
        return out
    elif kind is not None:
        raise ParameterError(f"{where}: unknown kind {kind!r}; registered: date, file, {', '.join(KINDS)}")
    return value


def resolve(name: str, given: dict | None = None) -> dict:
    """The report's parameters: catalogue defaults overridden by ``given``, each coerced and checked."""
    rep = get(name)
    given = dict(given or {})
    unknown = sorted(set(given) - set(rep.parameters))
    if unknown:
        raise ParameterError(f"report {name}: unknown parameter(s) {unknown}; it takes {sorted(rep.parameters)}")
    params = {}
    for k, spec in rep.parameters.items():
        value = _coerce(name, k, given[k], spec) if k in given else spec.get("default")
        given_or_plain = k in given or spec.get("kind") not in KINDS  # a registered kind's default is already resolved
        params[k] = _check(name, k, value, spec) if given_or_plain else value
    return params


def is_default(name: str, params: dict) -> bool:
    return all(params[k] == spec.get("default") for k, spec in get(name).parameters.items())


def output_name(name: str, params: dict) -> str:
    """Where a render goes (without .html): the report's name for its defaults; the catalogue's ``output``
    pattern, else ``<name>--<slug of the non-default parameters>`` (deterministic), otherwise."""
    rep = get(name)
    if rep.output:
        return rep.output.format(**params)
    if is_default(name, params):
        return name
    parts = []
    for k, spec in rep.parameters.items():
        if params[k] != spec.get("default"):
            v = ",".join(map(str, params[k])) if isinstance(params[k], list) else str(params[k])
            parts.append(f"{k}-{v}")
    slug = re.sub(r"[^A-Za-z0-9_.,-]+", "-", "_".join(parts)).strip("-")
    if len(slug) > 60:
        slug = slug[:40] + "-" + hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{name}--{slug}"


def notebook_parameters(path: Path) -> dict:
    """name -> default of the notebook's tagged ``parameters`` cell (lines ``name: type = default``)."""
    import ast

    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError(f"{path}: no cell tagged 'parameters'")
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return {
        n.target.id: ast.literal_eval(n.value)
        for n in ast.parse(src).body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.value is not None
    }


def describe(name: str, params: dict) -> str:
    """A render's parameters in words, those that differ from the defaults only: 'as at 31 December 2019;
    leaving out London'. Empty when every parameter has its default."""
    import datetime as dt

    rep = get(name)
    words = []
    for k, v in params.items():
        spec = rep.parameters.get(k, {})
        if v == spec.get("default") or (v in ([], None, "") and spec.get("default") in ([], None, "")):
            continue
        if spec.get("kind") == "date" and v:
            d = dt.date.fromisoformat(str(v))
            words.append(f"{k.replace('_', ' ')} {d.day} {d:%B %Y}")
        elif k.startswith("exclude_") and isinstance(v, list):
            words.append("leaving out " + ", ".join(map(str, v)))
        elif isinstance(v, bool):
            words.append(f"{k.replace('_', ' ')}: {'yes' if v else 'no'}")
        elif isinstance(v, list):
            words.append(f"{k.replace('_', ' ')}: {', '.join(map(str, v))}")
        else:
            words.append(f"{k.replace('_', ' ')} {v}")
    return "; ".join(words)
