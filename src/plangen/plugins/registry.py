"""The registry: what the loaded plugins provide (plan types, check rules), and the hook caller the
core uses so that a plugin's exception is a PluginError naming it, not a crash blamed on plangen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from plangen import hookspecs
from plangen.errors import InputError, PlangenError, PluginError, Problem
from plangen.plugins import loading
from plangen.plugins.blame import culprit, one_line
from plangen.plugins.loading import GROUP, Loaded, PluginInfo
from plangen.plugins.plantype import PlanType
from plangen.plugins.tracing import trace, tracing, monitor


class SafeHooks:
    """``manager.hook`` for the core's own calls: an exception inside a plugin becomes a PluginError
    naming the plugin and the hook (exit 1, no traceback), instead of a crash blamed on plangen."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self._manager = manager

    def __getattr__(self, hook_name: str) -> Callable[..., Any]:
        caller = getattr(self._manager.hook, hook_name)

        def call(**kwargs: Any) -> Any:
            try:
                return caller(**kwargs)
            except PlangenError:
                raise
            except Exception as exc:
                plugin = culprit(caller.get_hookimpls(), exc)
                raise PluginError(f"plugin {plugin!r} failed in {hook_name}: {one_line(exc)}") from None

        return call


@dataclass
class Registry:
    """What the loaded plugins provide."""

    manager: pluggy.PluginManager
    plan_types: dict[str, PlanType]
    plugins: list[PluginInfo]
    warnings: list[str]
    templates_dirs: list[Path] = field(default_factory=list)
    """User template folders (``--templates``), searched before every plugin's own."""
    hook: SafeHooks = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.hook = SafeHooks(self.manager)

    def plan_type(self, name: str) -> PlanType:
        """Find a plan type by its name, its Chinese title or an alias."""
        wanted = str(name).strip()
        for plan_type in self.plan_types.values():
            if wanted in plan_type.names():
                return plan_type
        known = ", ".join(sorted(self.plan_types)) or "none are installed"
        raise InputError(Problem(f"unknown plan type {wanted!r}; known types: {known}", field="type"))

    def check_rules(self) -> list[Callable[[str], Any]]:
        """Rules plugins add to the guard (and to ``plangen check``); a rule that crashes is named."""
        rules: list[Callable[[str], Any]] = []
        for impl in _each_impl(self.manager, "plangen_register_checks"):

            def register(rule: Callable[[str], Any], _plugin: str = impl.plugin_name) -> None:
                rules.append(_guarded_rule(rule, _plugin))

            try:
                _call_impl(impl, {"register": register})
            except PlangenError:
                raise
            except Exception as exc:
                raise PluginError(f"plugin {impl.plugin_name!r} failed in plangen_register_checks: {one_line(exc)}") from None
        return rules


def _guarded_rule(rule: Callable[[str], Any], plugin: str) -> Callable[[str], Any]:
    def checked(text: str) -> list[Any]:
        try:
            return list(rule(text))
        except PlangenError:
            raise
        except Exception as exc:
            name = getattr(rule, "__name__", "rule")
            raise PluginError(f"check {name!r} of plugin {plugin!r} failed: {one_line(exc)}") from None

    checked.__name__ = getattr(rule, "__name__", "rule")
    return checked


def _each_impl(manager: pluggy.PluginManager, hook_name: str) -> list[Any]:
    impls = getattr(manager.hook, hook_name).get_hookimpls()
    if tracing():
        trace(hook_name, [i.plugin_name for i in impls], {"register": _each_impl})
    return impls


def _call_impl(impl: Any, kwargs: dict[str, Any]) -> Any:
    return impl.function(*[kwargs[name] for name in impl.argnames])


def _collect_plan_types(manager: pluggy.PluginManager, loaded: Loaded) -> dict[str, PlanType]:
    """Call each plugin's registration hook on its own so a failure and a duplicate can be named.

    A plugin that raises here is unregistered as a whole, so none of its other hooks run later.
    """
    types: dict[str, PlanType] = {}
    claimed: dict[str, str] = {}  # every name, title and alias → the plan type that owns it
    by_name = {info.name: info for info in loaded.infos}
    for impl in _each_impl(manager, "plangen_register_plan_types"):
        plugin = impl.plugin_name
        found: list[PlanType] = []

        def register(plan_type: PlanType, _found: list[PlanType] = found) -> None:
            if not isinstance(plan_type, PlanType):
                raise PluginError(f"register() expects a PlanType, got {type(plan_type).__name__}")
            _found.append(plan_type)

        try:
            _call_impl(impl, {"register": register})
        except Exception as exc:
            loaded.warnings.append(f"plugin {plugin!r} failed while registering plan types: {one_line(exc)}")
            manager.unregister(name=plugin)
            if plugin in by_name:
                loaded.infos.remove(by_name.pop(plugin))
            continue
        for plan_type in found:
            if plan_type.name in types:
                other = types[plan_type.name].plugin
                raise PluginError(
                    f"plan type {plan_type.name!r} is registered twice: by plugin {other!r} and by plugin {plugin!r}"
                )
            for alias in plan_type.names()[1:]:
                if alias in claimed and claimed[alias] != plan_type.name:
                    loaded.warnings.append(
                        f"plan type {plan_type.name!r} (plugin {plugin!r}) uses the name {alias!r} that already "
                        f"means {claimed[alias]!r}; {alias!r} keeps its first meaning"
                    )
            for alias in plan_type.names():
                claimed.setdefault(alias, plan_type.name)
            stamped = PlanType(**{**plan_type.__dict__, "plugin": plugin})
            types[plan_type.name] = stamped
            if plugin in by_name:
                by_name[plugin].plan_types.append(plan_type.name)
    return types


def build_registry(
    plugins_dirs: Iterable[Path] = (),
    *,
    extra: Iterable[tuple[str, Any]] = (),
    entry_points_too: bool = True,
    templates_dirs: Iterable[Path] = (),
) -> Registry:
    """Load every plugin and collect what they register. ``extra`` lets tests add plugin objects."""
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    if tracing():
        monitor(manager)
    loaded = Loaded()
    if entry_points_too:
        loading.entry_point_plugins(manager, loaded)
    loading.dropin_plugins(manager, plugins_dirs, loaded)
    for name, plugin in extra:
        loading.register(manager, plugin, name, "registered by caller", getattr(plugin, "__version__", ""), loaded)
    loading.check_hook_names(manager)
    types = _collect_plan_types(manager, loaded)
    dirs = [Path(p) for p in templates_dirs]
    for folder in [*dirs, *loading.templates_dirs_from_env()]:
        if not folder.is_dir():
            loaded.warnings.append(f"templates folder {folder} does not exist")
    return Registry(manager=manager, plan_types=types, plugins=loaded.infos, warnings=loaded.warnings, templates_dirs=dirs)
