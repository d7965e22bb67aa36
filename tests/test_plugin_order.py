"""Every hook is called through pluggy, so ``tryfirst``, ``trylast`` and wrappers (``wrapper=True``)
work as pluggy documents them, and each registration is still pinned on its own plugin.

The plugins are registered in the order late, plain, early, wrap: pluggy's own list order, which the
core used to walk itself, would call ``late`` first and never run the wrapper's code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from plangen import api, plugins
from plangen.errors import PluginError
from plangen.hookspecs import hookimpl
from plangen.plugins.plantype import PlanType
from plangen.testing import docx as R

FIXTURES = Path(__file__).parent / "plugin_fixtures"
PILOT_INPUT = yaml.safe_load((FIXTURES / "pilot_templates" / "pilot.example.yaml").read_text(encoding="utf-8"))
EXPECTED = ["wrap:before", "early", "plain", "late", "wrap:after"]


def _pilot_type() -> PlanType:
    plugins.build_registry([FIXTURES], entry_points_too=False)  # loads the drop-in module
    import sys

    return sys.modules["plangen_dropin_pilot"].PLAN_TYPE  # type: ignore[no-any-return]


def _plugins(calls: list[str], hook: str) -> list[tuple[str, Any]]:
    """Four plugins implementing ``hook``: trylast, plain, tryfirst and a new-style wrapper."""
    import dataclasses

    pilot = _pilot_type()

    def body(name: str, kwargs: dict[str, Any]) -> None:
        calls.append(name)
        if hook == "plangen_register_plan_types":
            kwargs["register"](dataclasses.replace(pilot, name=f"type-{name}", title=f"{name}方案", aliases=()))
        elif hook == "plangen_register_checks":
            rule = lambda text: []
            rule.__name__ = f"rule_{name}"
            kwargs["register"](rule)
        elif hook == "plangen_prepare_jinja":
            kwargs["environment"].globals[f"from_{name}"] = name

    params = {
        "plangen_register_plan_types": "register",
        "plangen_register_checks": "register",
        "plangen_prepare_jinja": "environment",
        "plangen_adjust_document": "document, plan, plan_type",
    }[hook]
    source = f"""
def make(marker, body, calls):
    @marker
    def {hook}({params}):
        body(NAME, dict(locals()))
    return {hook}

def make_wrapper(marker, body, calls):
    @marker
    def {hook}({params}):
        body("wrap:before", dict(locals()))
        result = yield
        calls.append("wrap:after")
        return result
    return {hook}
"""
    out: list[tuple[str, Any]] = []
    for name, marker in (
        ("late", hookimpl(trylast=True)),
        ("plain", hookimpl),
        ("early", hookimpl(tryfirst=True)),
        ("wrap", hookimpl(wrapper=True)),
    ):
        namespace: dict[str, Any] = {"NAME": name}
        exec(source, namespace)  # one module-like namespace per plugin: its own function, its own code
        function = namespace["make_wrapper" if name == "wrap" else "make"](marker, body, calls)
        out.append((name, type(name, (), {hook: staticmethod(function)})()))
    return out


@pytest.mark.parametrize(
    "hook", ["plangen_register_plan_types", "plangen_prepare_jinja", "plangen_adjust_document", "plangen_register_checks"]
)
def test_every_hook_honours_tryfirst_trylast_and_wrappers(hook: str, tmp_path: Path) -> None:
    calls: list[str] = []
    registry = plugins.build_registry([FIXTURES], extra=_plugins(calls, hook), entry_points_too=False)
    path = api.generate(PILOT_INPUT, tmp_path, registry=registry)
    assert R.paragraphs(path)[0].text == "城关镇东街社区试点工作方案"
    assert calls == EXPECTED


def test_registered_plan_types_belong_to_the_plugin_that_registered_them() -> None:
    calls: list[str] = []
    registry = plugins.build_registry([FIXTURES], extra=_plugins(calls, "plangen_register_plan_types"), entry_points_too=False)
    owners = {name: t.plugin for name, t in registry.plan_types.items()}
    assert owners == {
        "pilot": "pilot",
        "type-late": "late",
        "type-plain": "plain",
        "type-early": "early",
        "type-wrap:before": "wrap",  # registered by the wrapper, before it yields
    }
    assert {p.name: p.plan_types for p in registry.plugins}["wrap"] == ["type-wrap:before"]


def test_check_rules_are_in_call_order_and_named_by_plugin() -> None:
    calls: list[str] = []
    registry = plugins.build_registry([FIXTURES], extra=_plugins(calls, "plangen_register_checks"), entry_points_too=False)
    assert [(plugin, rule.__name__) for plugin, rule in registry.check_rules_by_plugin()] == [
        ("wrap", "rule_wrap:before"),
        ("early", "rule_early"),
        ("plain", "rule_plain"),  # plain ones last registered first, as pluggy calls them
        ("pilot", "forbidden_word"),
        ("late", "rule_late"),
    ]


def test_globals_from_every_plugin_reach_the_environment(tmp_path: Path) -> None:
    calls: list[str] = []
    registry = plugins.build_registry([FIXTURES], extra=_plugins(calls, "plangen_prepare_jinja"), entry_points_too=False)
    env = registry.environment([FIXTURES / "pilot_templates"])
    assert {env.globals[f"from_{n}"] for n in ("late", "plain", "early", "wrap:before")} == {"late", "plain", "early", "wrap:before"}


def test_check_rules_are_collected_once_per_registry(tmp_path: Path) -> None:
    calls: list[str] = []

    class Counting:
        @hookimpl
        def plangen_register_checks(self, register: Any) -> None:
            calls.append("called")
            register(lambda text: [])

    registry = plugins.build_registry([FIXTURES], extra=[("counting", Counting())], entry_points_too=False)
    for folder in ("one", "two", "three"):
        api.generate(PILOT_INPUT, tmp_path / folder, registry=registry)
    assert calls == ["called"]


def test_a_tryfirst_plugin_that_raises_is_dropped_and_the_others_still_load() -> None:
    class Broken:
        @hookimpl(tryfirst=True)
        def plangen_register_plan_types(self, register: Any) -> None:
            raise RuntimeError("no database")

    registry = plugins.build_registry([FIXTURES], extra=[("broken", Broken())], entry_points_too=False)
    assert registry.warnings == ["plugin 'broken' failed while registering plan types: RuntimeError: no database"]
    assert list(registry.plan_types) == ["pilot"]
    assert [p.name for p in registry.plugins] == ["pilot"]


def test_a_wrapper_that_raises_after_yield_is_the_one_dropped() -> None:
    class BrokenWrapper:
        @hookimpl(wrapper=True)
        def plangen_register_plan_types(self, register: Any) -> Any:
            result = yield
            raise RuntimeError("teardown failed")
            return result  # pragma: no cover

    registry = plugins.build_registry([FIXTURES], extra=[("broken-wrapper", BrokenWrapper())], entry_points_too=False)
    assert registry.warnings == ["plugin 'broken-wrapper' failed while registering plan types: RuntimeError: teardown failed"]
    assert list(registry.plan_types) == ["pilot"]


def test_an_inner_failure_passing_through_a_wrapper_blames_the_inner_plugin() -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def plangen_register_plan_types(self, register: Any) -> Any:
            return (yield)

    class Broken:
        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            raise RuntimeError("no database")

    registry = plugins.build_registry([FIXTURES], extra=[("wrapper", Wrapper()), ("broken", Broken())], entry_points_too=False)
    assert registry.warnings == ["plugin 'broken' failed while registering plan types: RuntimeError: no database"]
    assert {p.name for p in registry.plugins} == {"pilot", "wrapper"}


def test_two_instances_of_one_class_are_told_apart() -> None:
    import dataclasses

    pilot = _pilot_type()

    class Registers:
        def __init__(self, name: str) -> None:
            self.name = name

        @hookimpl
        def plangen_register_plan_types(self, register: Any) -> None:
            register(dataclasses.replace(pilot, name=self.name, title=f"{self.name}方案", aliases=()))

    registry = plugins.build_registry(extra=[("a", Registers("type-a")), ("b", Registers("type-b"))], entry_points_too=False)
    assert {n: t.plugin for n, t in registry.plan_types.items()} == {"type-a": "a", "type-b": "b"}


def test_register_outside_the_hook_is_an_error() -> None:
    kept: list[Any] = []

    class Keeps:
        @hookimpl
        def plangen_register_checks(self, register: Any) -> None:
            kept.append(register)

    registry = plugins.build_registry(extra=[("keeps", Keeps())], entry_points_too=False)
    assert registry.check_rules() == []
    with pytest.raises(PluginError, match="outside a hook implementation"):
        kept[0](lambda text: [])


def test_tracing_lists_plugins_in_call_order(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANGEN_TRACE_HOOKS", "1")
    calls: list[str] = []
    extra = _plugins(calls, "plangen_register_plan_types")
    capsys.readouterr()
    plugins.build_registry([FIXTURES], extra=extra, entry_points_too=False)
    assert capsys.readouterr().err.splitlines() == [
        "plangen: hook plangen_register_plan_types(register=function) -> wrap, early, plain, pilot, late"
    ]
