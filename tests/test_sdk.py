"""The plugin-author SDK: ``from plangen import …`` is the whole of it, lazy, and typed well enough
that ``mypy --strict`` passes on a freshly scaffolded plugin."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import plangen
from plangen.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pydantic", "jinja2", "yaml", "pluggy", "markdown_it", "docx", "openpyxl", "lunar_python", "importlib.metadata")


def test_all_lists_exactly_the_lazy_names_and_each_is_the_real_object() -> None:
    assert sorted(plangen.__all__) == sorted(["__version__", *plangen._SDK])
    for name, module in plangen._SDK.items():
        assert getattr(plangen, name) is getattr(importlib.import_module(module), name), name
    from plangen import Document, PlanInput, PlanType, hookimpl  # the documented one-line import

    assert PlanType.__module__ == "plangen.plugins.plantype"
    assert issubclass(PlanInput, importlib.import_module("pydantic").BaseModel)
    assert Document().blocks == []
    assert hookimpl.project_name == "plangen"


def test_unknown_names_are_attribute_errors_and_submodules_still_import() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        plangen.no_such_name  # noqa: B018
    from plangen import api, text

    assert text.cn_number(12) == "十二"
    assert callable(api.generate)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout.split()
    return {m for m in out if m in HEAVY}


def test_importing_plangen_imports_nothing_heavy() -> None:
    assert _modules_after("import plangen") == set()


IMPORT_LINE = re.compile(r"^[ \t]*(?:from\s+\S+\s+import\s+(?:\([^)]*\)|.*)|import\s+.*)$", re.MULTILINE)


def _imports(path: Path) -> list[ast.stmt]:
    """The import statements of a module; of a scaffold template (not Python until filled in), its import lines."""
    text = path.read_text(encoding="utf-8")
    try:
        trees = [ast.parse(text)]
    except SyntaxError:
        trees = []
        for m in IMPORT_LINE.finditer(text):
            if "[[" not in m.group():
                trees.append(tree := ast.parse(m.group().strip()))
                ast.increment_lineno(tree, text.count("\n", 0, m.start()))
    return [node for tree in trees for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def beyond_the_sdk(path: Path) -> list[str]:
    """Each import in ``path`` of a part of plangen that is not the SDK (``plangen.__all__``)."""
    found = []
    for node in _imports(path):
        if isinstance(node, ast.Import):
            found += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names if a.name.split(".")[0] == "plangen"]
        elif node.module == "plangen":
            found += [f"{path.name}:{node.lineno} from plangen import {a.name}" for a in node.names if a.name not in plangen.__all__]
        elif (node.module or "").startswith("plangen."):
            found.append(f"{path.name}:{node.lineno} from {node.module} import …")
    return found


def plugin_code() -> list[Path]:
    """The code of every plan type that ships with plangen (built-ins, the survey-report plugin, the
    scaffold), not their tests: what a plugin author copies from."""
    def code(folder: Path, pattern: str = "*.py") -> list[Path]:
        return [p for p in folder.rglob(pattern) if "tests" not in p.relative_to(folder).parts and p.name != "conftest.py"]

    packages = [init.parent for init in (ROOT / "plugins").glob("*/*/__init__.py")]
    packages += [init.parent for init in (ROOT / "plugins").glob("*/src/*/__init__.py")]
    return [*code(ROOT / "src" / "plangen_plans"), *(p for pkg in packages for p in code(pkg)),
            *code(ROOT / "src" / "plangen" / "scaffold" / "package", "*.py.tmpl")]


def test_plugin_code_imports_only_from_the_sdk() -> None:
    """The built-in plan types are plugins like any other: they reach plangen through ``from plangen
    import …`` alone, so what they need is in the SDK for every plugin author too."""
    files = plugin_code()
    assert {"shared.py", "model.py", "plugin.py", "model.py.tmpl"} <= {p.name for p in files} and len(files) >= 10
    assert [problem for path in files for problem in beyond_the_sdk(path)] == []
    fixtures = sorted((ROOT / "tests" / "plugin_fixtures").rglob("*.py"))  # the core's own tests run on these
    assert len(fixtures) >= 7 and [problem for path in fixtures for problem in beyond_the_sdk(path)] == []
    plugin = (ROOT / "plugins" / "survey-report" / "plangen_survey_report" / "plugin.py").read_text(encoding="utf-8")
    assert "templates_dir=" not in plugin and "example=" not in plugin and "template=" not in plugin


def test_imports_beyond_the_sdk_are_found(tmp_path: Path) -> None:
    module = tmp_path / "plan.py"
    module.write_text("from plangen import PlanInput, text as T\nfrom plangen.inputs.common import WORDS\n"
                      "import plangen.roster_words\nimport plangen\n", encoding="utf-8")
    assert beyond_the_sdk(module) == ["plan.py:1 from plangen import text", "plan.py:2 from plangen.inputs.common import …",
                                      "plan.py:3 import plangen.roster_words", "plan.py:4 import plangen"]
    template = tmp_path / "plugin.py.tmpl"
    template.write_text("from plangen import (\n    PlanType,\n    hookimpl,\n)\nfrom [[module]].model import [[cls]]\n"
                        "class [[cls]]:\n    from plangen.text import cn_count\n", encoding="utf-8")
    assert beyond_the_sdk(template) == ["plugin.py.tmpl:7 from plangen.text import …"]


@pytest.mark.slow  # mypy --strict over a scaffold: ~10 s
def test_mypy_strict_passes_on_a_scaffolded_plugin(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    dest = tmp_path / "plangen-flood-drill"
    with pytest.raises(SystemExit) as done:
        main(["plugin", "new", "flood-drill", "--title", "防汛演练方案", "-o", str(dest)])
    assert done.value.code == 0
    # a hook with the wrong argument type must be caught, so the check is known to see plangen's types
    bad = dest / "plangen_flood_drill" / "wrong.py"
    bad.write_text(
        "from plangen import Document, hookimpl\n\n\n@hookimpl\n"
        "def plangen_adjust_document(document: Document) -> None:\n    document.blocks.append(1)\n",
        encoding="utf-8",
    )
    run = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "plangen_flood_drill"]
    result = subprocess.run(run, capture_output=True, text=True, cwd=dest, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'wrong.py:6: error: Argument 1 to "append" of "list" has incompatible type "int"' in result.stdout, result.stdout
    bad.unlink()
    result = subprocess.run([*run, "tests"], capture_output=True, text=True, cwd=dest, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr  # its tests too: p.style may be None
    assert "Success: no issues found in 5 source files" in result.stdout
