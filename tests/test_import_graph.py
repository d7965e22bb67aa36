"""plangen's layering, read from the source: no import cycles, and writer and check never import each other.

A cycle makes import order matter (a half-initialised module on the way back), and writer and check
are meant to share the GB/T 9704 layer (plangen.gbt9704, plangen.ooxml) instead of each other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importgraph import Graph, cycles, import_graph, reachable, under

SRC = Path(__file__).resolve().parent.parent / "src" / "plangen"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(SRC)


def test_the_graph_sees_every_kind_of_import(graph: Graph) -> None:
    """Module-level, `from pkg import submodule` and function-level imports all make edges."""
    assert "plangen.prewrite" in graph["plangen.api"]  # from plangen import files, markup, prewrite, templating
    assert "plangen.writer.notice" in graph["plangen.api"]  # inside a function
    assert "plangen.writer" in graph["plangen.api"]  # from plangen.writer import write_docx (a re-export)
    assert "plangen.markup.parser" in graph["plangen.markup"]
    assert len(graph) > 50


def test_no_import_cycles(graph: Graph) -> None:
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


@pytest.mark.parametrize(("source", "forbidden"), [("plangen.writer", "plangen.check"), ("plangen.check", "plangen.writer")])
def test_writer_and_check_do_not_import_each_other(graph: Graph, source: str, forbidden: str) -> None:
    """Not directly, and not through another module either."""
    bad = []
    for module in under(graph, source):
        paths = reachable(graph, module)
        bad += [" -> ".join(paths[target]) for target in under(paths, forbidden)]
    assert not bad, f"{source} imports {forbidden}:\n" + "\n".join(bad)


@pytest.mark.parametrize("forbidden", ["plangen.inputs", "plangen.prewrite"])
def test_writer_knows_no_inputs_and_no_guard(graph: Graph, forbidden: str) -> None:
    """The writer lays out a document model it is given: what a notice says is worded from the input
    and checked in plangen.issuing, not in the writer (not directly, nor through another module)."""
    assert under(graph, forbidden), f"{forbidden} is gone: name the module that took its place here"
    bad = []
    for module in under(graph, "plangen.writer"):
        paths = reachable(graph, module)
        bad += [" -> ".join(paths[target]) for target in under(paths, forbidden)]
    assert not bad, f"plangen.writer imports {forbidden}:\n" + "\n".join(bad)


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "import pkg.c\n",
        "pkg/c.py": "def f():\n    from pkg.a import thing\n",
    })
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_relative_imports_resolve(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "pkg/__init__.py": "from . import a\n",
        "pkg/a.py": "from .sub import x\n",
        "pkg/sub/__init__.py": "from .x import y\nfrom .. import b\n",
        "pkg/sub/x.py": "from ..a import z\n",
        "pkg/b.py": "",
    })
    graph = import_graph(package)
    assert graph["pkg"] == {"pkg.a"}
    assert graph["pkg.a"] == {"pkg.sub.x"}
    assert graph["pkg.sub"] == {"pkg.sub.x", "pkg.b"}
    assert graph["pkg.sub.x"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.sub.x", "pkg.a"]]


def test_a_package_re_exporting_its_children_is_no_cycle(tmp_path: Path) -> None:
    """Python imports pkg before pkg.a, but that implicit step is not an import pkg.a makes."""
    package = write_package(tmp_path, {
        "pkg/__init__.py": "from pkg.a import A\nfrom pkg.b import B\n",
        "pkg/a.py": "A = 1\n",
        "pkg/b.py": "from pkg.a import A\nB = A\n",
    })
    assert cycles(import_graph(package)) == []


def test_a_child_importing_its_package_back_is_a_cycle(tmp_path: Path) -> None:
    """`from pkg import A` in pkg.b while pkg/__init__ imports pkg.b: pkg is half built when b runs."""
    package = write_package(tmp_path, {
        "pkg/__init__.py": "from pkg.a import A\nfrom pkg.b import B\n",
        "pkg/a.py": "A = 1\n",
        "pkg/b.py": "from pkg import A\nB = A\n",
    })
    assert cycles(import_graph(package)) == [["pkg", "pkg.b", "pkg"]]


def private_uses(root: Path) -> list[str]:
    """``from plangen.x import _name`` and ``module._name`` on an imported plangen module, under ``root``:
    a private helper another module needs belongs public in the module that owns it."""
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("plangen")):
                for alias in node.names:
                    if alias.name.startswith("_") and alias.name != "_" and not alias.name.endswith("__"):
                        found.append(f"{path.name}:{node.lineno} imports {alias.name}")
                    modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("plangen"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                    and node.attr.startswith("_") and not node.attr.endswith("__")):
                found.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    assert private_uses(SRC) == []
    assert private_uses(SRC.parent / "plangen_plans") == []


def test_private_uses_are_found(tmp_path: Path) -> None:
    pkg = write_package(tmp_path, {
        "pkg/a.py": "from plangen.fix.clean import _merge, clean_runs\nfrom plangen import text as T\nx = T._HAN + T.CJK\n",
    })
    assert private_uses(pkg) == ["a.py:1 imports _merge", "a.py:3 uses T._HAN"]
