"""Which package modules a piece of code depends on, read from its imports with ``ast`` (no import runs).

Cache keys use this so that a change to a module re-builds or re-renders only what imports it, directly
or not: editing ``plots.py`` rebuilds no table; editing ``letters.py`` re-renders only what uses it.
Keys hash module *source*, by module name, never paths or modification times, so a moved checkout keeps
its cache.
"""

from __future__ import annotations

import ast
import hashlib
import json
from functools import cache, lru_cache

from . import config
from .errors import ParameterError

PACKAGE = "sendstats"


@cache
def _path(module: str):
    base = config.PACKAGE_DIR.joinpath(*module.split(".")) if module else config.PACKAGE_DIR
    for p in (base.with_suffix(".py"), base / "__init__.py"):
        if p.is_file():
            return p
    return None


def _resolve(module: str, node: ast.ImportFrom | ast.Import, is_pkg: bool) -> set[str]:
    """Package-relative module names an import statement in ``module`` names."""
    out = set()
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name == PACKAGE or a.name.startswith(PACKAGE + "."):
                out.add(a.name[len(PACKAGE) + 1 :])
        return out
    if node.level:
        parts = module.split(".") if module else []
        if not is_pkg:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        base = ".".join([*parts, *([node.module] if node.module else [])])
    elif node.module and (node.module == PACKAGE or node.module.startswith(PACKAGE + ".")):
        base = node.module[len(PACKAGE) + 1 :]
    else:
        return out
    out.add(base)
    for a in node.names:  # `from . import stats` names a module
        sub = f"{base}.{a.name}" if base else a.name
        if _path(sub) is not None:
            out.add(sub)
    return out


_DISK: dict = {}  # module -> [mtime_ns, size, [direct deps]], kept in data/interim/deps.json between runs


def _disk_cache() -> dict:
    if not _DISK:
        try:
            _DISK.update(json.loads((config.interim_dir() / "deps.json").read_text()))
        except (OSError, ValueError, ParameterError):
            _DISK["__loaded__"] = True
    return _DISK


def _direct(module: str) -> frozenset:
    """The package modules ``module`` imports (memoised on the file's mtime and size, which never enter a
    key: the import graph is read from the source when either changes)."""
    if _path(module) is None:
        return frozenset()
    stamp = list(_stamp(module))
    return frozenset(_memo("direct", module, stamp, lambda: sorted(_direct_cached(module, *stamp))))


@cache
def _direct_cached(module: str, mtime_ns: int, size: int) -> frozenset:
    p = _path(module)
    tree = ast.parse(p.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= _resolve(module, node, p.name == "__init__.py")
    if module == "":  # the package's lazy attributes (see __init__._LAZY)
        out |= {"outcomes"}
    return frozenset(m for m in out if _path(m) is not None)


def closure(modules) -> list[str]:
    """The modules and everything they import inside the package, transitively, sorted."""
    seen, todo = set(), list(modules)
    while todo:
        m = todo.pop()
        if m in seen or _path(m) is None:
            continue
        seen.add(m)
        todo += _direct(m)
        parts = m.split(".")  # importing a.b runs a/__init__.py
        todo += [".".join(parts[:i]) for i in range(len(parts))]
    return sorted(seen)


def _memo(kind: str, key: str, stamp: list, compute):
    """A value computed from source, kept in the disk cache under its file's (mtime, size)."""
    disk = _disk_cache()
    name = f"{kind}:{key}"
    hit = disk.get(name)
    if hit and hit[:2] == stamp:
        return hit[2]
    value = compute()
    disk[name] = [*stamp, value]
    try:
        from .fileio import atomic_text

        atomic_text(
            config.interim_dir() / "deps.json", json.dumps({k: v for k, v in disk.items() if k != "__loaded__"})
        )
    except (OSError, ParameterError):  # a read-only data folder: the cache is only a shortcut
        pass
    return value


def function_deps(module: str, func: str) -> list[str]:
    """Modules a top-level function needs: its module's top-level imports and the imports in its body."""
    stamp = list(_stamp(module))
    start = _memo("function", f"{module}:{func}", stamp, lambda: _function_deps(module, func, *stamp))
    return closure(start)


@cache
def _function_deps(module: str, func: str, mtime_ns: int, size: int) -> list[str]:
    p = _path(module)
    tree = ast.parse(p.read_text(encoding="utf-8"))
    start = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            start |= _resolve(module, node, p.name == "__init__.py")
        if isinstance(node, ast.FunctionDef) and node.name == func:
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    start |= _resolve(module, sub, False)
    return sorted(start | {module})


def source_deps(code: str) -> list[str]:
    """Modules a piece of source (e.g. a notebook's code cells) imports from the package, transitively."""
    digest = hashlib.sha256(code.encode()).hexdigest()
    return closure(_memo("source", digest, [0, 0], lambda: _source_imports(code)))


def _source_imports(code: str) -> list[str]:
    start = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            start |= set() if getattr(node, "level", 0) else _resolve("", node, True)
    return sorted(start)


def modules_hash(modules) -> str:
    stamp = tuple((m, *_stamp(m)) for m in sorted(modules))
    return _modules_hash(stamp)


def _stamp(module: str) -> tuple:
    st = _path(module).stat()
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=256)
def _modules_hash(stamp: tuple) -> str:
    """Hash of the modules' source (by name); memoised on their (mtime, size), which never enter a key."""
    h = hashlib.sha256()
    for m, *_ in stamp:
        h.update(m.encode() + b"\0" + _path(m).read_bytes() + b"\0")
    return h.hexdigest()
