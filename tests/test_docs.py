"""docs/plugins.md against the code: every hook documented with its exact signature, and the page's
examples run as written (they are complete drop-in plugins, templates and inputs)."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from plangen import hookspecs
from plangen.document import Paragraph, Roster, Run, Signature
from plangen.errors import TemplateError
from plangen.markup import parser as markup
from plangen.templating import jinja as render
from plangen.testing import docx as R

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = {name: fn for name, fn in vars(hookspecs).items() if name.startswith("plangen_") and callable(fn)}
FENCE = re.compile(r"^(`{3,})(\w*)\n(.*?)^\1$", re.MULTILINE | re.DOTALL)
FILE_LINE = re.compile(r"^(?:#|\{#)\s*file:\s*(\S+?)\s*(?:#\})?$")


# each fenced block the reference documents, a body for it, and the blocks the parser must make of it
FENCES: dict[str, tuple[str, list[object]]] = {
    "roster": ("组长：叶兰（社区党委书记）\n成员：丁燕、冯军", [Roster([("组长", "叶兰（社区党委书记）"), ("成员", "丁燕、冯军")])]),
    "signature": ("城关镇东街社区\n2024年3月25日", [Signature("城关镇东街社区", "2024年3月25日")]),
    "flush": ("第一行\n第二行", [Paragraph([Run("第一行")], kind="flush"), Paragraph([Run("第二行")], kind="flush")]),
}


def documented_hooks() -> dict[str, list[str]]:
    section = DOC.split("\n## The hooks\n", 1)[1].split("\n## Overriding templates\n", 1)[0]
    found = re.findall(r"^### (plangen_\w+)\(([^)]*)\)$", section, re.MULTILINE)
    return {name: [a.strip() for a in args.split(",") if a.strip()] for name, args in found}


def example_files() -> dict[str, str]:
    """Fenced blocks whose first line is ``# file: PATH`` (or ``{# file: PATH #}``), by path."""
    files: dict[str, str] = {}
    for _, _, body in FENCE.findall(DOC):
        first, _, rest = body.partition("\n")
        m = FILE_LINE.match(first.strip())
        if m:
            files[m.group(1)] = rest
    return files


def test_every_hook_is_documented_with_its_signature() -> None:
    documented = documented_hooks()
    assert sorted(documented) == sorted(HOOKS), "docs/plugins.md and hookspecs.py list different hooks"
    for name, fn in HOOKS.items():
        assert documented[name] == list(inspect.signature(fn).parameters), f"{name}: signature differs from hookspecs.py"


def test_every_hook_has_a_runnable_example() -> None:
    code = "\n".join(text for path, text in example_files().items() if path.endswith(".py"))
    for name, fn in HOOKS.items():
        params = list(inspect.signature(fn).parameters)
        pattern = rf"@hookimpl\ndef {name}\(" + r"[^,)]*,\s*".join(params)
        assert re.search(pattern, code), f"no example implements {name}({', '.join(params)})"


def test_every_filter_fence_and_heading_level_is_in_the_reference() -> None:
    reference = DOC.split("\n## Template reference\n", 1)[1]
    for name in render.filters():
        assert f"| `{name}` |" in reference, f"filter {name} is missing from the reference"
    for fence, (body, blocks) in FENCES.items():
        assert f"```{fence}" in reference, f"fenced block {fence} is missing from the reference"
        parsed = markup.parse(f"```{fence}\n{body}\n```\n", source="docs").blocks
        assert parsed == blocks, f"```{fence} does not parse as the reference says"
    with pytest.raises(TemplateError, match="unknown block"):
        markup.parse("```nonesuch\n文字\n```\n", source="docs")
    for hashes in ("# title", "## heading", "### heading", "#### heading", "##### heading"):
        assert f"| `{hashes}` |" in reference


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs-examples")
    for path, text in example_files().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def plangen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PLANGEN_")}, "PLANGEN_LANG": "en"}  # the docs show English output
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


def test_the_examples_generate_what_the_page_says(examples: Path) -> None:
    assert sorted(p.relative_to(examples).as_posix() for p in examples.rglob("*") if p.is_file()) == [
        "clean-up.yaml", "flood-drill/checks.py", "flood-drill/dates.py", "flood-drill/drill.md.j2", "flood-drill/model.py", "my-templates/clean-up.md.j2",
        "plugins/clean_up.py", "plugins/no_english_words.py", "plugins/public_note.py", "plugins/templates/clean-up.example.yaml",
        "plugins/templates/clean-up.md.j2", "sdk/words.py",
    ]
    result = plangen("--plugins-dir", "plugins", "generate", "clean-up.yaml", "-o", "out/", cwd=examples)
    assert result.returncode == 0, result.stderr
    paras = R.paragraphs(examples / "out" / "东街社区-楼道杂物清理行动方案.docx")
    sentence = "2024年6月15日（星期六）集中清理3号楼、5号楼和8号楼楼道内堆放的杂物。"
    assert sentence in DOC
    assert [p.text for p in paras if p.text][:3] == [
        "城关镇东街社区楼道杂物清理行动方案", "为消除消防安全隐患，营造整洁有序的居住环境，结合我社区实际，制定本方案。", "一、行动安排",
    ]
    assert sentence in [p.text for p in paras]  # plangen_prepare_jinja's weekday filter
    assert paras[-1].text == "（此件公开发布）" and paras[-2].style == "Date"  # plangen_adjust_document


def test_the_check_example_stops_the_file_as_the_page_says(examples: Path) -> None:
    bad = (examples / "clean-up.yaml").read_text(encoding="utf-8").replace("8号楼]", "东楼and西楼]")
    (examples / "bad").mkdir(exist_ok=True)
    (examples / "bad" / "clean-up.yaml").write_text(bad, encoding="utf-8")
    result = plangen("--plugins-dir", "../plugins", "generate", "clean-up.yaml", "-o", "out/", cwd=examples / "bad")
    expected = "plangen: error: clean-up.yaml: buildings[3]: English word 'and' between Chinese characters"
    assert result.returncode == 2
    assert expected in result.stderr.splitlines()
    assert expected in DOC.replace("\n", " ").replace("`", "")
    assert not (examples / "bad" / "out").exists()


def test_the_override_example_extends_the_default(examples: Path) -> None:
    result = plangen("--plugins-dir", "plugins", "--templates", "my-templates", "generate", "clean-up.yaml", "-o", "over/", cwd=examples)
    assert result.returncode == 0, result.stderr
    paras = R.paragraphs(examples / "over" / "东街社区-楼道杂物清理行动方案.docx")
    assert paras[0].text == "城关镇东街社区楼道杂物清理行动方案"  # the title block of the original
    assert [p.text for p in paras if p.style == "Heading1"] == ["一、行动安排", "二、安全要求"]
    assert "2024年6月15日上午8时起，各楼栋长带领志愿者集中清理3号楼、5号楼和8号楼楼道杂物。" in [p.text for p in paras]


DRILL_KEYS = """drill_day: 2024-06-15
site: 东街社区文化广场
scenario: 强降雨导致低洼小区积水，需转移独居老人。
participants: 120
"""


def test_the_flood_drill_snippets_work_in_the_scaffold(examples: Path, tmp_path: Path) -> None:
    """"Make it a flood drill": the page's model replaces the scaffold's class, its template part goes
    into the scaffold's template, and the example gains the new keys; the plan then generates, with
    every field the scaffold's template prints still there."""
    import importlib

    import yaml

    from plangen import api, plugins
    from plangen.cli import main

    dest = tmp_path / "plangen-flood-drill"
    with pytest.raises(SystemExit) as done:
        main(["-q", "plugin", "new", "flood-drill", "--title", "防汛演练方案", "-o", str(dest)])
    assert done.value.code == 0
    package = dest / "plangen_flood_drill"
    model = (package / "model.py").read_text(encoding="utf-8")
    model = model.replace("from plangen import InputModel, Line, Para, PlanInput, zh", "from plangen import Day, InputModel, Line, Name, Para, PlanInput, zh")
    model = model[: model.index("class FloodDrill(PlanInput):")] + (examples / "flood-drill" / "model.py").read_text(encoding="utf-8")
    (package / "model.py").write_text(model, encoding="utf-8")
    template_path = package / "templates" / "flood-drill.md.j2"
    template = template_path.read_text(encoding="utf-8")
    part = (examples / "flood-drill" / "drill.md.j2").read_text(encoding="utf-8")
    template_path.write_text(template.replace("{% block steps %}", part + "\n{% block steps %}"), encoding="utf-8")
    example_path = package / "templates" / "flood-drill.example.yaml"
    example_path.write_text(example_path.read_text(encoding="utf-8") + DRILL_KEYS, encoding="utf-8")
    sys.path.insert(0, str(dest))
    try:
        module = importlib.import_module("plangen_flood_drill.plugin")
        registry = plugins.build_registry(extra=[("flood-drill", module)], entry_points_too=False)
        assert registry.warnings == []
        out = api.generate(yaml.safe_load(registry.plan_types["flood-drill"].example), tmp_path / "out", registry=registry)
    finally:
        sys.path.remove(str(dest))
        for name in [m for m in sys.modules if m.startswith("plangen_flood_drill")]:
            del sys.modules[name]
    paras = R.paragraphs(out)
    headings = [p.text for p in paras if p.style == "Heading1"]
    assert headings[:3] == ["一、工作目标", "二、主要任务", "三、演练安排"] and headings[-1].endswith("工作要求")
    assert "2024年6月15日，在东街社区文化广场举行，参演人员约120人。" in [p.text for p in paras]


def test_the_dates_from_the_year_snippet_fills_the_period(examples: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_dates", examples / "flood-drill" / "dates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    drill = module.YearlyDrill.model_validate({"单位": {"名称": "东街社区"}, "年度": 2025})
    assert (drill.dates.start.isoformat(), drill.dates.end.isoformat()) == ("2025-06-01", "2025-06-30")
    own = module.YearlyDrill.model_validate({"unit": {"name": "东街社区"}, "year": 2025, "日期": {"开始": "2025-06-10"}})
    assert (own.dates.start.isoformat(), own.dates.end.isoformat()) == ("2025-06-10", "2025-06-30")


def test_the_checks_snippet_reports_every_mistake_at_once(examples: Path) -> None:
    import importlib.util

    from plangen.errors import InputError
    from plangen.inputs.fields import validate

    spec = importlib.util.spec_from_file_location("docs_checks", examples / "flood-drill" / "checks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = {"单位": {"名称": "东街社区"}, "日期": {"开始": "2025-06-01", "结束": "2025-06-30", "成文日期": "2025-07-05"},
            "演练日期": "2025-07-01", "演练地点": ["文化广场", "东门", "文化广场"]}
    with pytest.raises(InputError) as err:
        validate(module.CheckedDrill, data)
    found = [(p.field, str(p.message)) for p in err.value.problems]
    assert len(found) == 3, found
    assert "is after the period ends" in found[0][1]  # PlanInput's own check comes first
    assert found[1][1] == "the drill day 2025-07-01 is outside the period"
    assert found[2] == ("sites[3]", "文化广场 is listed twice")


def test_sharing_a_wheel_builds_only_the_plugin() -> None:
    assert "pip wheel --no-deps ./plangen-flood-drill -w dist/" in DOC
    assert not re.search(r"pip wheel (?!--no-deps)", DOC)


def test_the_sdk_table_names_every_sdk_name_and_no_other() -> None:
    import plangen

    section = DOC.split("\n## The SDK, name by name\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (`.*?) \|", section, re.MULTILINE)
    named = [name for row in rows for name in re.findall(r"`(\w+)`", row)]
    assert len(named) == len(set(named)), "a name is in the table twice"
    assert sorted(named) == sorted(n for n in plangen.__all__ if n != "__version__")


def test_the_words_and_numbers_snippet_runs(examples: Path) -> None:
    import runpy

    runpy.run_path(str(examples / "sdk" / "words.py"))  # its asserts are the page's claims
