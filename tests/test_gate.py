"""What the wheel needs at run time is declared, and nothing it runs needs a development tool."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [p for p in (ROOT / "src").rglob("*.py")
           if "testing" not in p.relative_to(ROOT / "src").parts and "tests" not in p.parts
           and p.name != "conftest.py" and p != ROOT / "src" / "plangen" / "i18n" / "build.py"]


def _top_level_imports(path: Path) -> set[str]:
    """Modules a file imports, at the top of the module or inside functions alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


PART_OF = {"pydantic-core": "pydantic", "annotated-types": "pydantic", "markupsafe": "jinja2"}
"""Packages that are part of a declared dependency's own interface (pydantic pins its core to the
version; jinja2 documents MarkupSafe as its own): importing them needs no declaration of its own. lxml is
not one: python-docx may change what it parses with, and plangen uses lxml directly."""


def _declared() -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in PROJECT["dependencies"]}


def test_every_third_party_module_the_runtime_imports_is_a_dependency() -> None:
    """lxml was imported by five run-time modules without being declared; it came only through python-docx."""
    dists = packages_distributions()
    declared = _declared()
    missing: dict[str, list[str]] = {}
    for path in RUNTIME:
        for module in _top_level_imports(path):
            if module in sys.stdlib_module_names or module.startswith("plangen") or module == "__future__":
                continue
            names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
            if not names & declared and not any(PART_OF.get(n) in declared for n in names):
                missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    assert missing == {}
    assert "lxml" in declared


def test_babel_is_a_tool_not_a_runtime_dependency() -> None:
    """plangen.i18n.build (shipped for plugin authors) imports Babel only when it compiles; no run-time module imports either."""
    for path in RUNTIME:
        imports = _top_level_imports(path)
        assert "babel" not in imports, path
        assert "plangen.i18n.build" not in path.read_text(encoding="utf-8").replace("python -m plangen.i18n.build", ""), path
    build = ast.parse((ROOT / "src" / "plangen" / "i18n" / "build.py").read_text(encoding="utf-8"))
    module_level = {n.module for n in build.body if isinstance(n, ast.ImportFrom)} | {a.name for n in build.body if isinstance(n, ast.Import) for a in n.names}
    assert not any(str(m).startswith("babel") for m in module_level)
    assert "babel" not in " ".join(_declared())
    assert any(spec.startswith("babel") for spec in PROJECT["optional-dependencies"]["i18n"])


def test_the_gate_is_configured() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert tool["mypy"]["strict"] is True and any("testing/ooxml" in e for e in tool["mypy"]["exclude"])
    assert {"E", "F", "I", "B", "UP", "RUF"} <= set(tool["ruff"]["lint"]["select"])
    test_extra = " ".join(PROJECT["optional-dependencies"]["test"])
    for tool_name in ("ruff", "mypy", "types-PyYAML", "lxml-stubs", "types-openpyxl"):
        assert tool_name in test_extra
