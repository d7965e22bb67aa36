"""A broken plugin fails alone (issue 23): it is left out with one warning naming its file (and line
where known), and every other plan type keeps working. The broken plugins are the drop-ins in
tests/plugin_fixtures/broken, each wrong in one way; tests/plugin_fixtures/omits has a plan type that
leaves out the shared 领导小组."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plangen import api, plugins
from plangen.errors import InputError, PluginError, TemplateError
from plangen.plugins.vetting import TEMPLATE_VARIABLES
from plangen.schema import input_schema
from plangen.testing import docx as R

FIXTURES = Path(__file__).parent / "plugin_fixtures"
BROKEN = FIXTURES / "broken"
OMITS = FIXTURES / "omits"


def plangen(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PLANGEN_")}
    return subprocess.run([sys.executable, "-m", "plangen", "--lang", lang, *args], capture_output=True, text=True,
                          timeout=60, env=environ)


def about(stderr: str, plugin: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"'{plugin}'" in line or f"“{plugin}”" in line]


@pytest.fixture(scope="module")
def new_with_broken() -> subprocess.CompletedProcess[str]:
    return plangen("--plugins-dir", str(BROKEN), "new", "hygiene-month")


def test_every_other_command_keeps_working(new_with_broken: subprocess.CompletedProcess[str]) -> None:
    assert new_with_broken.returncode == 0, new_with_broken.stderr
    assert "\ntype: hygiene-month" in new_with_broken.stdout and "爱国卫生月活动方案" in new_with_broken.stdout
    assert "Traceback" not in new_with_broken.stderr
    assert len(new_with_broken.stderr.strip().splitlines()) == 5  # one warning per broken plugin


def test_a_misspelt_hook_names_file_line_and_the_hook_meant(new_with_broken: subprocess.CompletedProcess[str]) -> None:
    assert about(new_with_broken.stderr, "misspelt_hook") == [
        f"plangen: warning: plugin 'misspelt_hook' ({BROKEN / 'misspelt_hook.py'}:8) is left out: it implements unknown "
        "hook 'plangen_register_plan_type'; did you mean 'plangen_register_plan_types'? (see docs/plugins.md)"
    ]


def test_an_import_error_names_file_and_line(new_with_broken: subprocess.CompletedProcess[str]) -> None:
    [line] = about(new_with_broken.stderr, "import_error")
    assert f"failed to load ({BROKEN / 'import_error.py'}:5): ModuleNotFoundError" in line


def test_a_taken_plan_type_name_leaves_the_later_plugin_out(new_with_broken: subprocess.CompletedProcess[str]) -> None:
    assert about(new_with_broken.stderr, "taken_name") == [
        f"plangen: warning: plugin 'taken_name' ({BROKEN / 'taken_name.py'}) is left out: plan type 'hygiene-month': "
        "the name is already taken by plugin 'hygiene-month'"
    ]
    assert "仿冒" not in new_with_broken.stdout


def test_fields_without_chinese_label_or_clashing_are_named(new_with_broken: subprocess.CompletedProcess[str]) -> None:
    [line] = about(new_with_broken.stderr, "bad_fields")
    assert line.endswith(
        "plan type 'bad-fields': field note has no Chinese label; declare it with zh(\"中文名\", …); "
        "field liaison uses the key 联系人, which already means 联系人（contact）; rename the field; "
        "field plan has the name of a template variable; rename the field"
    )


def test_a_plan_type_without_example_is_an_error_not_an_empty_file(tmp_path: Path) -> None:
    out = tmp_path / "input.yaml"
    result = plangen("--plugins-dir", str(BROKEN), "new", "no-example", "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"plangen: error: plugin 'no_example' ({BROKEN / 'no_example.py'}) is left out: plan type 'no-example': "
        "it has no example input (templates/no-example.example.yaml), so plangen new would print nothing"
    )
    assert not out.exists()


@pytest.mark.chinese
def test_the_warnings_are_chinese(new_with_broken: subprocess.CompletedProcess[str]) -> None:
    result = plangen("--plugins-dir", str(BROKEN), "types", lang="zh")
    assert result.returncode == 0
    assert about(result.stderr, "misspelt_hook") == [
        f"plangen：警告：插件“misspelt_hook”（{BROKEN / 'misspelt_hook.py'}:8）未启用：它实现的钩子“plangen_register_plan_type”"
        "不存在；是否应为“plangen_register_plan_types”？（见 docs/plugins.md）"
    ]
    [no_example] = about(result.stderr, "no_example")
    assert no_example.endswith("方案类型“no-example”：缺少示例输入（templates/no-example.example.yaml），plangen new 将无内容可写")
    [fields] = about(result.stderr, "bad_fields")
    assert "字段 note 没有中文名" in fields and "已表示共用的“联系人（contact）”" in fields and "字段 plan 与模板变量同名" in fields


def test_a_template_missing_from_its_folder_is_named(tmp_path: Path) -> None:
    plugin = (BROKEN / "no_example.py").read_text(encoding="utf-8")
    plugin = plugin.replace('template="pilot.md.j2", templates_dir=folder', 'template="gone.md.j2", templates_dir=folder, example="type: no-example\\n"')
    (tmp_path / "no_template.py").write_text(plugin, encoding="utf-8")
    registry = plugins.build_registry([tmp_path], entry_points_too=False)
    [warning] = registry.warnings
    assert f"its template gone.md.j2 is not in {tmp_path.parent / 'pilot_templates'}" in warning
    with pytest.raises(PluginError, match="no_template"):
        registry.plan_type("no-example")


def test_the_reserved_names_cover_the_template_globals() -> None:
    registry = plugins.build_registry([FIXTURES], entry_points_too=False)
    env = registry.environment([FIXTURES / "pilot_templates"])
    assert set(env.globals) - {"quoted"} <= set(TEMPLATE_VARIABLES)


# ---- PlanType.omits: a shared block the plan type never prints --------------------------------

def test_an_omitted_block_is_neither_shown_nor_taken(tmp_path: Path) -> None:
    registry = plugins.build_registry([OMITS], entry_points_too=False)
    assert registry.warnings == []
    kind = registry.plan_type("quiet")
    assert "leadership" not in kind.model.model_fields and "note" in kind.model.model_fields
    schema = input_schema(kind)
    assert "leadership" not in schema["properties"] and "领导小组" not in schema["properties"]
    from plangen.web import forms

    assert "leadership" not in [node.name for node in forms.model_nodes(kind.model)]
    example = yaml.safe_load(kind.example)
    path = api.generate(example, tmp_path, registry=registry)
    text = R.text(path)
    assert "城关镇东街社区静默工作方案" in text and "领导小组" not in text
    with pytest.raises(InputError) as info:
        api.plan_from_mapping({**example, "领导小组": {"组长": "韩晓东（社区党委书记）"}}, registry=registry)
    assert "unknown key '领导小组'" in str(info.value)
    plan = api.plan_from_mapping(example, registry=registry)
    assert plan.data.leadership is None  # the shared properties still read it


def test_omits_names_only_shared_blocks(tmp_path: Path) -> None:
    source = (OMITS / "quiet.py").read_text(encoding="utf-8").replace('omits=("leadership",)', 'omits=("unit",)')
    (tmp_path / "quiet.py").write_text(source.replace('Path(__file__).parent / "quiet_templates"', repr(str(OMITS / "quiet_templates"))),
                                       encoding="utf-8")
    registry = plugins.build_registry([tmp_path], entry_points_too=False)
    [warning] = registry.warnings
    assert "omits=('unit',) names unit, which is not a shared block it can leave out (leadership, basis, issuer, contact)" in warning


# ---- template errors name the template and line, in the reader's language ----------------------

def _pilot_with(tmp_path: Path, template: str) -> plugins.Registry:
    folder = tmp_path / "pilot_templates"
    folder.mkdir()
    (folder / "pilot.example.yaml").write_text((FIXTURES / "pilot_templates" / "pilot.example.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "pilot.md.j2").write_text(template, encoding="utf-8")
    (tmp_path / "pilot.py").write_text((FIXTURES / "pilot.py").read_text(encoding="utf-8"), encoding="utf-8")
    return plugins.build_registry([tmp_path], entry_points_too=False)


PILOT_TEMPLATE = (FIXTURES / "pilot_templates" / "pilot.md.j2").read_text(encoding="utf-8")
PILOT_INPUT = yaml.safe_load((FIXTURES / "pilot_templates" / "pilot.example.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "expected"), [
    (("{{ note|quoted }}", "{{ notes|quoted }}"), "template pilot.md.j2, line 12: the variable notes is not defined"),
    (("{{ note|quoted }}", "{{ unit.nam }}"), "template pilot.md.j2, line 12: Unit has no attribute nam"),
    (("{% endblock %}\n\n```", "\n\n```"), "template pilot.md.j2, line 17: the template ends before a block is closed; "
                                           "add the missing {% endif %}, {% endfor %} or {% endblock %}"),
    (("{{ note|quoted }}", "{{ note|quote }}"), "template pilot.md.j2, line 12: there is no filter named quote"),
])
def test_a_template_mistake_names_template_and_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    registry = _pilot_with(tmp_path, PILOT_TEMPLATE.replace(*change))
    with pytest.raises(TemplateError) as info:
        api.render_docx(api.plan_from_mapping(PILOT_INPUT, registry=registry), registry=registry)
    assert str(info.value) == expected


@pytest.mark.chinese
def test_a_template_mistake_reads_chinese(tmp_path: Path) -> None:
    registry = _pilot_with(tmp_path, PILOT_TEMPLATE.replace("{{ note|quoted }}", "{{ notes|quoted }}"))
    with pytest.raises(TemplateError) as info:
        api.render_docx(api.plan_from_mapping(PILOT_INPUT, registry=registry), registry=registry)
    assert str(info.value) == "模板 pilot.md.j2 第12行：变量 notes 未定义"


@pytest.mark.chinese
def test_a_template_fault_found_by_the_guard_has_no_english(tmp_path: Path) -> None:
    registry = _pilot_with(tmp_path, PILOT_TEMPLATE.replace("# {{ unit.full_name }}试点工作方案", "{{ unit.full_name }}试点工作方案"))
    with pytest.raises(TemplateError) as info:
        api.render_docx(api.plan_from_mapping(PILOT_INPUT, registry=registry), registry=registry)
    assert str(info.value) == "模板 pilot.md.j2（插件“pilot”）：没有生成标题（以“# ”开头的一行）"


def test_an_entry_point_that_fails_is_placed_in_its_own_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """For an installed plugin the warning names the line of its own package that failed, not the
    import machinery's, nor a library's deeper down."""
    import importlib

    from plangen.plugins.loading import _package_folder, failed_at

    package = tmp_path / "plangen_brokenpkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "plugin.py").write_text('"""A plugin."""\n\nimport json\njson.loads("{not json")\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError) as info:
        importlib.import_module("plangen_brokenpkg.plugin")
    assert failed_at(info.value, _package_folder("plangen_brokenpkg.plugin")) == f"{package / 'plugin.py'}:4"
    assert failed_at(info.value, None) == ""
    for name in [m for m in sys.modules if m.startswith("plangen_brokenpkg")]:
        del sys.modules[name]
