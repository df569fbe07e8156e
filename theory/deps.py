"""Which project files a module depends on, found by a static scan of its imports (ast, nothing is imported): the Snakemake inputs that make an edit re-run exactly what uses the edited file."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_file(module: str) -> Path | None:
    """The project file of a dotted module name (a package's __init__.py), or None outside the project."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(path: Path) -> set[str]:
    """Dotted names this file imports, at any depth (an import inside a function counts: it runs when called).  For
    ``from a.b import c`` both a.b and a.b.c are returned, since c may be a submodule."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import
                parts = package.split(".") if package else []
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@lru_cache(maxsize=None)
def _direct(path: Path) -> frozenset[Path]:
    found = set()
    for name in _imported(path):
        parts = name.split(".")
        # importing a.b.c runs a/__init__.py and a/b/__init__.py too
        for i in range(1, len(parts) + 1):
            f = module_file(".".join(parts[:i]))
            if f is not None:
                found.add(f)
    return frozenset(found - {path})


def closure(*paths: Path) -> list[Path]:
    """The files themselves and every project file they import, transitively, sorted."""
    seen: set[Path] = set()
    todo = [Path(p).resolve() for p in paths]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo.extend(_direct(p) - seen)
    return sorted(seen)


def relative(paths: list[Path]) -> list[str]:
    return [p.relative_to(ROOT).as_posix() for p in paths]
