"""The import graph of a package, read with ``ast`` (nothing is imported), for the layering tests.

An edge ``A -> B`` means module A's source names module B in an import statement anywhere (top level,
inside functions, inside ``try``), because a lazy import is still a dependency: hiding one inside a
function moves the cycle to run time, it does not remove it. ``from pkg import x`` points at ``pkg.x``
when x is a submodule and at ``pkg`` (its ``__init__``) otherwise. Python's implicit import of a
module's parent packages is not an edge: a package ``__init__`` that re-exports its children is not
in a cycle with them unless a child explicitly imports the package back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

Graph = dict[str, set[str]]


def module_files(package_dir: Path) -> dict[str, Path]:
    """Every module under ``package_dir`` by dotted name (``pkg/__init__.py`` is ``pkg``)."""
    root = package_dir.parent
    out: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imported(node: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, list[str]]]:
    """(base module, names imported from it) for every import statement under ``node``."""
    for n in ast.walk(node):
        if isinstance(n, ast.Import):
            for alias in n.names:
                yield alias.name, []
        elif isinstance(n, ast.ImportFrom):
            if n.level:
                # `from . import x` in a package's __init__ is relative to the package itself
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (n.level - 1)]
                base = ".".join(parts + ([n.module] if n.module else []))
            else:
                base = n.module or ""
            yield base, [alias.name for alias in n.names]


def import_graph(package_dir: Path) -> Graph:
    """Edges between the modules of the package at ``package_dir``; imports from outside it are left out."""
    files = module_files(package_dir)
    graph: Graph = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for base, names in _imported(tree, name, is_package):
            targets = [f"{base}.{n}" for n in names if f"{base}.{n}" in files]
            if len(targets) < len(names) or not names:
                targets.append(base)  # a name defined in base itself (or a plain `import base`)
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle (``[a, b, …, a]``) for every strongly connected group of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for u in sorted(graph[v]):
            if u not in index:
                visit(u)
                low[v] = min(low[v], low[u])
            elif u in on_stack:
                low[v] = min(low[v], index[u])
        if low[v] == index[v]:
            group: set[str] = set()
            while True:
                u = stack.pop()
                on_stack.discard(u)
                group.add(u)
                if u == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(graph, g) for g in sorted(groups, key=min)]


def _cycle_in(graph: Graph, group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, staying inside the group."""
    start = min(group)
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for u in sorted(graph[v] & group):
            if u == start:
                return paths[v] + [start]
            if u not in paths:
                paths[u] = paths[v] + [u]
                queue.append(u)
    raise AssertionError(f"no cycle through {start} in {sorted(group)}")  # a group always has one


def reachable(graph: Graph, start: str) -> dict[str, list[str]]:
    """Every module ``start`` imports at any depth, each with one import path leading to it."""
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for u in sorted(graph[v]):
            if u not in paths:
                paths[u] = paths[v] + [u]
                queue.append(u)
    return paths


def under(names: Iterable[str], package: str) -> list[str]:
    """The names that are ``package`` or inside it."""
    return sorted(n for n in names if n == package or n.startswith(package + "."))
