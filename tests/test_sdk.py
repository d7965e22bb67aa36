"""The plugin-author SDK: ``from plangen import …`` is the whole of it, lazy, and typed well enough
that ``mypy --strict`` passes on a freshly scaffolded plugin."""

from __future__ import annotations

import importlib
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


def test_plugin_code_imports_only_from_the_sdk() -> None:
    """The examples plugin authors copy from never reach into plangen's internal modules."""
    files = [
        *(ROOT / "src" / "plangen" / "scaffold").rglob("*.py.tmpl"),
        *(ROOT / "plugins" / "survey-report" / "plangen_survey_report").glob("*.py"),
        *(ROOT / "src" / "plangen_plans").glob("*/__init__.py"),
    ]
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.name in ("test_plugin.py.tmpl", "conftest.py.tmpl"):
            continue  # the tests drive the CLI and the registry, and use plangen.testing: not plugin code
        assert "from plangen." not in text and "import plangen." not in text, path
    plugin = (ROOT / "plugins" / "survey-report" / "plangen_survey_report" / "plugin.py").read_text(encoding="utf-8")
    assert "templates_dir=" not in plugin and "example=" not in plugin and "template=" not in plugin


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
