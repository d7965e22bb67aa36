"""Traps a plugin author falls into, each caught and blamed on the plugin (exit 1), not on the user.

Each test writes a small drop-in plugin (a copy of the pilot with one fault) and runs the real command
line on it: exit code, one-line message, no file written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plangen import api, plugins
from plangen.errors import GuardError, PluginError, TemplateError
from plangen.testing import docx as R

FIXTURES = Path(__file__).parent / "plugin_fixtures"
PILOT = (FIXTURES / "pilot.py").read_text(encoding="utf-8")
PILOT_TEMPLATE = (FIXTURES / "pilot_templates" / "pilot.md.j2").read_text(encoding="utf-8")
PILOT_INPUT = (FIXTURES / "pilot_templates" / "pilot.example.yaml").read_text(encoding="utf-8")


def plangen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, timeout=60)


def one_line(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert result.returncode == code, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("plangen: error: ") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in line, line
    return line


def drop_in(folder: Path, name: str = "pilot", *, extra: str = "", template: str = PILOT_TEMPLATE, code: str = PILOT) -> Path:
    """A pilot plugin under another name in ``folder``, with ``extra`` code appended and its own template."""
    plugins_dir = folder / "plugins"
    templates = plugins_dir / "pilot_templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "pilot.md.j2").write_text(template, encoding="utf-8")
    (templates / "pilot.example.yaml").write_text(PILOT_INPUT, encoding="utf-8")
    (plugins_dir / f"{name}.py").write_text(code + "\n" + extra, encoding="utf-8")
    (folder / "plan.yaml").write_text(PILOT_INPUT, encoding="utf-8")
    return plugins_dir


CONTEXT_CLASH = '''
import dataclasses
PLAN_TYPE = dataclasses.replace(PLAN_TYPE, context=lambda plan: {"note": "插件的要点"})
'''


def test_context_replacing_an_input_field_is_a_plugin_error(tmp_path: Path) -> None:
    plugins_dir = drop_in(tmp_path, extra=CONTEXT_CLASH)
    result = plangen("--plugins-dir", str(plugins_dir), "generate", str(tmp_path / "plan.yaml"), "-o", str(tmp_path / "out/"))
    one_line(result, 1, "plan type 'pilot'", "plugin 'pilot'", "'note'")
    assert not (tmp_path / "out").exists()


def test_context_may_fill_in_a_field_the_user_left_out(tmp_path: Path) -> None:
    """The built-in plan types work out defaults this way (edition, organiser): that stays allowed."""
    plugins_dir = drop_in(tmp_path, extra=CONTEXT_CLASH)
    registry = plugins.build_registry([plugins_dir], entry_points_too=False)
    data = yaml.safe_load(PILOT_INPUT)
    plan = api.plan_from_mapping(data, registry=registry)
    with pytest.raises(PluginError, match="'note'"):
        api.context_for(plan)
    import dataclasses

    same = dataclasses.replace(plan, plan_type=dataclasses.replace(plan.plan_type, context=lambda p: {"note": p.note}))
    assert api.context_for(same)["note"] == data["note"]  # repeating the user's value is no clash
    shadow = dataclasses.replace(plan, plan_type=dataclasses.replace(plan.plan_type, context=lambda p: {"plan": None}))
    with pytest.raises(PluginError, match="'plan'"):
        api.context_for(shadow)


def test_a_template_without_title_is_the_templates_fault_not_the_users(tmp_path: Path) -> None:
    no_title = PILOT_TEMPLATE.replace("# {{ unit.full_name }}试点工作方案", "{{ unit.full_name }}试点工作方案")
    plugins_dir = drop_in(tmp_path, template=no_title)
    result = plangen("--plugins-dir", str(plugins_dir), "generate", str(tmp_path / "plan.yaml"), "-o", str(tmp_path / "out/"))
    line = one_line(result, 1, "template pilot.md.j2", "plugin 'pilot'", "produced no title")
    assert "plan.yaml" not in line  # not the user's file: nothing in it can fix this
    assert not (tmp_path / "out").exists()


def test_template_text_breaking_a_rule_is_the_templates_fault(tmp_path: Path) -> None:
    residue = PILOT_TEMPLATE.replace("制定本方案。", "制定本方案,于20xx年实施。")
    registry = plugins.build_registry([drop_in(tmp_path, template=residue)], entry_points_too=False)
    with pytest.raises(TemplateError) as info:
        api.generate(yaml.safe_load(PILOT_INPUT), tmp_path / "out", registry=registry)
    message = str(info.value)
    assert message.startswith("template pilot.md.j2 (plugin 'pilot'): block 2")
    assert "'20xx'" in message and "ASCII ','" in message
    assert not (tmp_path / "out").exists()


def test_a_users_text_breaking_a_rule_is_still_the_users(tmp_path: Path) -> None:
    registry = plugins.build_registry([drop_in(tmp_path)], entry_points_too=False)
    with pytest.raises(GuardError) as info:
        api.generate({**yaml.safe_load(PILOT_INPUT), "note": "不得出现禁用词"}, tmp_path / "out", registry=registry)
    assert [p.field for p in info.value.problems] == ["note"]


def test_a_heading_numbered_by_the_template_is_its_fault_and_by_the_user_is_theirs(tmp_path: Path) -> None:
    numbered = PILOT_TEMPLATE.replace("## 工作要点", "## 一、工作要点")
    registry = plugins.build_registry([drop_in(tmp_path, template=numbered)], entry_points_too=False)
    with pytest.raises(TemplateError, match="heading '一、工作要点' carries its own number"):
        api.generate(yaml.safe_load(PILOT_INPUT), tmp_path / "out", registry=registry)
    from_user = PILOT_TEMPLATE.replace("## 工作要点", "## {{ note }}")
    registry = plugins.build_registry([drop_in(tmp_path / "two", template=from_user)], entry_points_too=False)
    with pytest.raises(GuardError) as info:
        api.generate({**yaml.safe_load(PILOT_INPUT), "note": "一、先行先试"}, tmp_path / "out", registry=registry)
    assert [p.field for p in info.value.problems] == ["note"]


SAME_FILTER = '''
from plangen.hookspecs import hookimpl as _hookimpl


@_hookimpl
def plangen_prepare_jinja(environment):
    environment.filters.update(quoted=lambda text: f"「{text}」")
'''


def test_a_filter_added_by_two_plugins_is_an_error_naming_both(tmp_path: Path) -> None:
    plugins_dir = drop_in(tmp_path)
    (plugins_dir / "other.py").write_text(SAME_FILTER, encoding="utf-8")
    result = plangen("--plugins-dir", str(plugins_dir), "generate", str(tmp_path / "plan.yaml"), "-o", str(tmp_path / "out/"))
    one_line(result, 1, "jinja filter 'quoted'", "plugin 'pilot'", "plugin 'other'")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["filters", "tests", "globals"])
def test_each_jinja_table_is_watched(kind: str, tmp_path: Path) -> None:
    code = f'''
from plangen.hookspecs import hookimpl


class Adds:
    def __init__(self, how):
        self.how = how

    @hookimpl
    def plangen_prepare_jinja(self, environment):
        table = environment.{kind}
        if self.how == "item":
            table["shared"] = len
        else:
            table.setdefault("shared", len)
'''
    namespace: dict[str, object] = {}
    exec(code, namespace)
    adds = namespace["Adds"]
    registry = plugins.build_registry(
        [drop_in(tmp_path)], extra=[("one", adds("item")), ("two", adds("setdefault"))], entry_points_too=False  # type: ignore[operator]
    )
    with pytest.raises(PluginError, match=rf"jinja {kind[:-1]} 'shared' is added by plugin '(one|two)' and by plugin '(one|two)'"):
        api.generate(yaml.safe_load(PILOT_INPUT), tmp_path / "out", registry=registry)


def test_one_plugin_setting_its_own_filter_twice_is_fine(tmp_path: Path) -> None:
    twice = PILOT.replace(
        'environment.filters["quoted"] = lambda text: f"“{text}”"',
        'environment.filters["quoted"] = str\n    environment.filters["quoted"] = lambda text: f"“{text}”"',
    )
    registry = plugins.build_registry([drop_in(tmp_path, code=twice)], entry_points_too=False)
    path = api.generate(yaml.safe_load(PILOT_INPUT), tmp_path / "out", registry=registry)
    assert "本次试点的要点是“先行先试、稳步推开”。" in [p.text for p in R.paragraphs(path)]
    env = registry.environment([])
    assert type(env.filters) is dict  # plain again once the hook has run


def test_check_rules_lists_plugin_rules_with_their_plugin() -> None:
    result = plangen("--plugins-dir", str(FIXTURES), "check", "--rules")
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1].split(None, 1)
    assert last == ["plugin:forbidden_word", "rule of plugin 'pilot'"]


def test_environments_live_on_the_registry_and_are_bounded() -> None:
    from plangen.templating import jinja

    registry = plugins.build_registry([FIXTURES], entry_points_too=False)
    first = registry.environment([FIXTURES / "pilot_templates"])
    assert registry.environment([FIXTURES / "pilot_templates"]) is first
    for i in range(jinja.ENVIRONMENTS_KEPT + 3):
        registry.environment([FIXTURES / f"folder-{i}"])
    assert len(registry._envs) == jinja.ENVIRONMENTS_KEPT
    assert not hasattr(jinja, "_envs") or not isinstance(jinja._envs, dict)
