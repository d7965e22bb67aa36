"""The plugin machinery in process: each hook is called and matters, and a broken plugin is named.

Plugins here are small objects registered on a fresh registry (``build_registry(extra=…)``) and
unregistered afterwards, or the drop-in file tests/plugin_fixtures/pilot.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from plangen import api, plugins
from plangen.errors import GuardError, PluginError
from plangen.hookspecs import hookimpl
from plangen.testing import docx as R

FIXTURES = Path(__file__).parent / "plugin_fixtures"
PILOT_INPUT = yaml.safe_load((FIXTURES / "pilot_templates" / "pilot.example.yaml").read_text(encoding="utf-8"))


def pilot_registry(*extra: tuple[str, Any]) -> plugins.Registry:
    return plugins.build_registry([FIXTURES], extra=extra, entry_points_too=False)


class Registered:
    """Build a registry with extra plugin objects and unregister them on the way out."""

    def __init__(self, *extra: tuple[str, Any]) -> None:
        self.extra = extra

    def __enter__(self) -> plugins.Registry:
        self.registry = pilot_registry(*self.extra)
        return self.registry

    def __exit__(self, *exc: object) -> None:
        for name, _ in self.extra:
            if self.registry.manager.has_plugin(name):
                self.registry.manager.unregister(name=name)


def test_every_hook_of_the_pilot_plugin_takes_effect(tmp_path: Path) -> None:
    registry = pilot_registry()
    info = registry.plugins[0]
    assert (info.name, info.version, info.plan_types) == ("pilot", "1.2.3", ["pilot"])
    assert info.source == str(FIXTURES / "pilot.py")
    assert info.hooks == sorted(plugins.HOOK_NAMES)
    path = api.generate(PILOT_INPUT, tmp_path, registry=registry)
    paras = R.paragraphs(path)
    assert paras[0].text == "城关镇东街社区试点工作方案"
    body = [p.text for p in paras]
    assert "本次试点的要点是“先行先试、稳步推开”。" in body  # the filter from plangen_prepare_jinja
    assert body.index("本方案由试点插件补充说明。") < body.index("东街社区居民委员会")  # plangen_adjust_document
    assert [p.text for p in paras if p.style == "Heading1"] == ["一、工作要点"]


def test_a_plugin_check_stops_the_file_and_blames_the_field(tmp_path: Path) -> None:
    registry = pilot_registry()
    with pytest.raises(GuardError) as info:
        api.generate({**PILOT_INPUT, "note": "不得出现禁用词"}, tmp_path, registry=registry)
    [problem] = info.value.problems
    assert problem.field == "note" and "禁用词 may not appear" in problem.message
    assert list(tmp_path.iterdir()) == []
    assert [r.__name__ for r in registry.check_rules()] == ["forbidden_word"]


def test_a_plugin_object_can_add_a_check_and_is_cleaned_up(tmp_path: Path) -> None:
    seen: list[str] = []

    class Watching:
        @hookimpl
        def plangen_register_checks(self, register: Any) -> None:
            register(lambda text: seen.append(text) or [])

    with Registered(("quiet-check", Watching())) as registry:
        assert len(registry.check_rules()) == 2
        api.generate(PILOT_INPUT, tmp_path, registry=registry)
    assert "城关镇东街社区试点工作方案" in seen  # the rule saw every block's text
    assert not registry.manager.has_plugin("quiet-check")


def test_a_misspelt_hook_drops_its_plugin_with_a_warning_naming_file_line_and_hook() -> None:
    class Typo:
        @hookimpl
        def plangen_register_plan_type(self, register: Any) -> None:  # missing "s"
            raise AssertionError("never called")

        @hookimpl
        def plangen_prepare_jinja(self, environment: Any) -> None:
            raise AssertionError("a dropped plugin's other hooks never run")

    line = Typo.plangen_register_plan_type.__code__.co_firstlineno
    with Registered(("typo-plugin", Typo())) as registry:
        [warning] = registry.warnings
        assert warning == (
            f"plugin 'typo-plugin' ({__file__}:{line}) is left out: it implements unknown hook "
            "'plangen_register_plan_type'; did you mean 'plangen_register_plan_types'? (see docs/plugins.md)"
        )
        assert not registry.manager.has_plugin("typo-plugin")
        assert [p.name for p in registry.plugins] == ["pilot"] and set(registry.plan_types) == {"pilot"}
        api.render_docx(api.plan_from_mapping(PILOT_INPUT, registry=registry), registry=registry)


def test_a_hook_with_a_wrong_argument_drops_its_plugin() -> None:
    class WrongArgument:
        @hookimpl
        def plangen_prepare_jinja(self, env: Any) -> None:
            pass

    line = WrongArgument.plangen_prepare_jinja.__code__.co_firstlineno
    with Registered(("wrong-arg", WrongArgument())) as registry:
        assert registry.warnings == [
            f"plugin 'wrong-arg' ({__file__}:{line}) is left out: its function plangen_prepare_jinja takes "
            "arguments the hook does not pass; the hook passes: environment"
        ]
        assert not registry.manager.has_plugin("wrong-arg") and set(registry.plan_types) == {"pilot"}


def test_a_plugin_that_raises_while_registering_is_dropped_with_a_warning(tmp_path: Path) -> None:
    calls: list[str] = []

    class Broken:
        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            raise RuntimeError("database\nunreachable")

        @hookimpl
        def plangen_prepare_jinja(self, environment: Any) -> None:
            calls.append("jinja")

    with Registered(("broken", Broken())) as registry:
        assert registry.warnings == [
            "plugin 'broken' failed while registering plan types: RuntimeError: database unreachable"
        ]
        assert [p.name for p in registry.plugins] == ["pilot"]
        assert not registry.manager.has_plugin("broken")  # none of its other hooks will run
        api.generate(PILOT_INPUT, tmp_path, registry=registry)
    assert calls == []


def test_register_accepts_only_plan_types() -> None:
    class Wrong:
        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            register({"name": "dict-type"})

    with Registered(("wrong", Wrong())) as registry:
        assert "register() expects a PlanType, got dict" in registry.warnings[0]
        assert set(registry.plan_types) == {"pilot"}



def _copy_plugin() -> Any:
    pilot_registry()  # loads the drop-in module
    import sys

    module = sys.modules["plangen_dropin_pilot"]

    class Copy:
        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            register(module.PLAN_TYPE)

    return Copy()


def test_a_second_plan_type_of_a_taken_name_drops_the_later_plugin() -> None:
    with Registered(("copycat", _copy_plugin())) as registry:
        assert registry.warnings == [
            "plugin 'copycat' (registered by caller) is left out: plan type 'pilot': the name is already taken by plugin 'pilot'"
        ]
        assert registry.plan_types["pilot"].plugin == "pilot"
        assert [p.name for p in registry.plugins] == ["pilot"]


def test_one_plugin_registering_a_name_twice_is_left_out() -> None:
    pilot_registry()
    import sys

    module = sys.modules["plangen_dropin_pilot"]

    class Twice:
        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            other = module.PLAN_TYPE.__class__(**{**module.PLAN_TYPE.__dict__, "name": "pilot-twice", "aliases": ()})
            register(other)
            register(other)

    with Registered(("twice", Twice())) as registry:
        assert registry.warnings == [
            "plugin 'twice' (registered by caller) is left out: plan type 'pilot-twice': it is registered twice by this plugin"
        ]
        assert set(registry.plan_types) == {"pilot"}


def test_an_alias_already_taken_is_a_warning_and_keeps_its_first_meaning() -> None:
    import dataclasses
    import sys

    pilot_registry()
    module = sys.modules["plangen_dropin_pilot"]
    other = dataclasses.replace(module.PLAN_TYPE, name="pilot-two", title="第二试点方案", aliases=("试点方案",))

    class Two:
        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            register(other)

    with Registered(("two", Two())) as registry:
        assert any("uses the name '试点方案' that already means 'pilot'" in w for w in registry.warnings)
        assert registry.plan_type("试点方案").name == "pilot"
        assert registry.plan_type("第二试点方案").name == "pilot-two"


def test_a_crash_inside_a_hook_is_a_plugin_error_naming_it(tmp_path: Path) -> None:
    class Crashes:
        @hookimpl
        def plangen_adjust_document(self, document: Any, plan: Any, plan_type: Any) -> None:
            document.blocks[99]

    with Registered(("crashes", Crashes())) as registry, pytest.raises(PluginError) as info:
        api.generate(PILOT_INPUT, tmp_path, registry=registry)
    assert str(info.value) == "plugin 'crashes' failed in plangen_adjust_document: IndexError: list index out of range"
    assert list(tmp_path.iterdir()) == []


def test_a_crashing_check_is_named(tmp_path: Path) -> None:
    def explodes(text: str) -> list[Any]:
        raise ValueError("bad rule")

    class Checks:
        @hookimpl
        def plangen_register_checks(self, register: Any) -> None:
            register(explodes)

    with Registered(("checks", Checks())) as registry, pytest.raises(PluginError, match="check 'explodes' of plugin 'checks' failed: ValueError: bad rule"):
        api.generate(PILOT_INPUT, tmp_path, registry=registry)


def test_a_hook_function_without_hookimpl_is_reported() -> None:
    class Forgot:
        def plangen_register_plan_types(self, register: Any) -> None:
            raise AssertionError("pluggy ignores it")

    with Registered(("forgot", Forgot())) as registry:
        assert registry.warnings == [
            "plugin 'forgot': function plangen_register_plan_types has no @hookimpl decorator and is ignored"
        ]


def test_tracing_prints_each_hook_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANGEN_TRACE_HOOKS", "1")
    api.generate(PILOT_INPUT, tmp_path, registry=pilot_registry())
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "plangen: hook plangen_register_plan_types(register=function) -> pilot",
        "plangen: hook plangen_prepare_jinja(environment=SandboxedEnvironment) -> pilot",
        "plangen: hook plangen_adjust_document(document=Document, plan=Pilot, plan_type=PlanType('pilot')) -> pilot",
        "plangen: hook plangen_register_checks(register=function) -> pilot",
    ]


def test_no_tracing_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api.generate(PILOT_INPUT, tmp_path, registry=pilot_registry())
    assert capsys.readouterr().err == ""


def test_load_plugins_narrows_entry_points_and_drop_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGEN_LOAD_PLUGINS", "hygiene-month")
    registry = plugins.build_registry([FIXTURES])
    assert [p.name for p in registry.plugins] == ["hygiene-month"]
    monkeypatch.setenv("PLANGEN_LOAD_PLUGINS", "pilot")
    assert list(plugins.build_registry([FIXTURES]).plan_types) == ["pilot"]
    monkeypatch.setenv("PLANGEN_LOAD_PLUGINS", "")
    assert plugins.build_registry([FIXTURES]).plugins == []


def test_the_same_drop_in_name_twice_is_a_warning_naming_both(tmp_path: Path) -> None:
    (tmp_path / "pilot.py").write_text("", encoding="utf-8")
    registry = plugins.build_registry([FIXTURES, tmp_path], entry_points_too=False)
    assert registry.warnings == [
        f"plugin 'pilot' from {tmp_path / 'pilot.py'} skipped: a plugin of that name is already loaded from {FIXTURES / 'pilot.py'}"
    ]
