"""The shape the code keeps (issue 23): web views are module-level functions in plangen.web.views.*, all
routed from one table; no function in src/plangen is over 120 lines (the vendored schema checker aside)."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.routing import Mount, Route

SRC = Path(__file__).resolve().parent.parent / "src" / "plangen"
VENDORED = SRC / "testing" / "ooxml"
LONGEST = 120


def test_every_route_is_a_module_level_view_in_one_table(tmp_path: Path) -> None:
    from plangen.web.app import build_app
    from plangen.web.routes import ROUTES

    app = build_app(tmp_path / "data")
    assert app.routes == ROUTES  # the app routes exactly the one table, nothing added beside it
    views = [r for r in ROUTES if isinstance(r, Route)]
    assert len(views) >= 30 and all(isinstance(r, (Route, Mount)) for r in ROUTES)
    for route in views:
        view = route.endpoint
        module = importlib.import_module(view.__module__)
        assert view.__module__.startswith("plangen.web.views."), (route.path, view.__module__)
        assert "<locals>" not in view.__qualname__ and getattr(module, view.__name__) is view, (route.path, view.__qualname__)
        assert inspect.iscoroutinefunction(view), route.path
        assert list(inspect.signature(view).parameters) == ["request"], route.path  # state comes from the app, not a closure
    taken = [(r.path, tuple(sorted(r.methods or ()))) for r in views]
    assert len(taken) == len(set(taken))  # one view per URL and method


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def test_no_function_in_src_plangen_is_over_120_lines() -> None:
    files = [f for f in SRC.rglob("*.py") if VENDORED not in f.parents]
    assert len(files) > 100
    long = []
    for path in files:
        for node in _functions(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > LONGEST:
                long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, long


def test_the_measure_finds_a_long_function() -> None:
    """The check above counts a nested function's lines too (the closures this replaced were nested)."""
    body = "\n".join(f"        x{i} = {i}" for i in range(LONGEST))
    tree = ast.parse(f"def outer():\n    def inner():\n{body}\n    return inner\n")
    sizes = {n.name: (n.end_lineno or 0) - n.lineno + 1 for n in _functions(tree)}
    assert sizes == {"outer": LONGEST + 3, "inner": LONGEST + 1}
