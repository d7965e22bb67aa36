"""The plugin manager: loads plan-type plugins and keeps a broken one from taking the rest down.

Built-in plan types are ordinary entry points of the group ``plangen`` in plangen's own distribution,
so they take exactly the path a third-party plugin takes. Drop-in ``.py`` files are loaded from
``--plugins-dir`` / ``PLANGEN_PLUGINS_DIR``; ``PLANGEN_LOAD_PLUGINS=a,b`` narrows what loads.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from plangen import hookspecs
from plangen.errors import InputError, PluginError, Problem
from plangen.plantype import PlanType

GROUP = "plangen"


@dataclass
class PluginInfo:
    """One loaded plugin, for ``plangen plugins``."""

    name: str
    source: str
    version: str = ""
    plan_types: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """What the loaded plugins provide."""

    manager: pluggy.PluginManager
    plan_types: dict[str, PlanType]
    plugins: list[PluginInfo]
    warnings: list[str]

    def plan_type(self, name: str) -> PlanType:
        """Find a plan type by its name, its Chinese title or an alias."""
        wanted = str(name).strip()
        for plan_type in self.plan_types.values():
            if wanted in plan_type.names():
                return plan_type
        known = ", ".join(sorted(self.plan_types)) or "none are installed"
        raise InputError(Problem(f"unknown plan type {wanted!r}; known types: {known}", field="type"))


def _wanted() -> set[str] | None:
    value = os.environ.get("PLANGEN_LOAD_PLUGINS")
    if value is None:
        return None
    return {p.strip() for p in value.split(",") if p.strip()}


def _entry_point_plugins(manager: pluggy.PluginManager, infos: list[PluginInfo], warnings: list[str]) -> None:
    wanted = _wanted()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if wanted is not None and ep.name not in wanted:
            continue
        if manager.has_plugin(ep.name):
            continue
        dist = ep.dist
        source = f"entry point {ep.value}" + (f" ({dist.metadata['Name']})" if dist else "")
        try:
            module = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            warnings.append(f"plugin {ep.name!r} failed to load ({source}): {type(exc).__name__}: {exc}")
            continue
        _register(manager, module, ep.name, source, dist.version if dist else "", infos, warnings)


def _dropin_plugins(
    manager: pluggy.PluginManager, folders: Iterable[Path], infos: list[PluginInfo], warnings: list[str]
) -> None:
    wanted = _wanted()
    for folder in folders:
        if not folder.is_dir():
            warnings.append(f"plugins folder {folder} does not exist")
            continue
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or (wanted is not None and name not in wanted):
                continue
            module_name = f"plangen_dropin_{name}"
            try:
                spec = importlib.util.spec_from_file_location(module_name, path)
                if spec is None or spec.loader is None:
                    raise ImportError("not a Python module")
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
            except Exception as exc:
                sys.modules.pop(module_name, None)
                warnings.append(f"plugin {name!r} failed to load ({path}): {type(exc).__name__}: {exc}")
                continue
            _register(manager, module, name, str(path), getattr(module, "__version__", ""), infos, warnings)


def _register(
    manager: pluggy.PluginManager,
    module: ModuleType,
    name: str,
    source: str,
    version: str,
    infos: list[PluginInfo],
    warnings: list[str],
) -> None:
    try:
        manager.register(module, name=name)
    except ValueError as exc:  # already registered under another name
        warnings.append(f"plugin {name!r} ({source}) not registered: {exc}")
        return
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name!r} ({source}): {exc}") from None
    infos.append(PluginInfo(name=name, source=source, version=version))


def _collect_plan_types(
    manager: pluggy.PluginManager, infos: list[PluginInfo], warnings: list[str]
) -> dict[str, PlanType]:
    """Call each plugin's registration hook on its own so a failure and a duplicate can be named."""
    types: dict[str, PlanType] = {}
    by_name = {info.name: info for info in infos}
    for impl in reversed(manager.hook.plangen_register_plan_types.get_hookimpls()):
        plugin = impl.plugin_name
        found: list[PlanType] = []

        def register(plan_type: PlanType, _found: list[PlanType] = found) -> None:
            if not isinstance(plan_type, PlanType):
                raise PluginError(f"register() expects a PlanType, got {type(plan_type).__name__}")
            _found.append(plan_type)

        try:
            impl.function(register=register)
        except Exception as exc:
            warnings.append(f"plugin {plugin!r} failed while registering plan types: {type(exc).__name__}: {exc}")
            continue
        for plan_type in found:
            if plan_type.name in types:
                other = types[plan_type.name].plugin
                raise PluginError(
                    f"plan type {plan_type.name!r} is registered twice: by plugin {other!r} and by plugin {plugin!r}"
                )
            stamped = PlanType(**{**plan_type.__dict__, "plugin": plugin})
            types[plan_type.name] = stamped
            if plugin in by_name:
                by_name[plugin].plan_types.append(plan_type.name)
    return types


def build_registry(
    plugins_dirs: Iterable[Path] = (), *, extra: Iterable[tuple[str, Any]] = (), entry_points_too: bool = True
) -> Registry:
    """Load every plugin and collect what they register. ``extra`` lets tests add plugin objects."""
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    warnings: list[str] = []
    if entry_points_too:
        _entry_point_plugins(manager, infos, warnings)
    _dropin_plugins(manager, plugins_dirs, infos, warnings)
    for name, plugin in extra:
        _register(manager, plugin, name, "registered by caller", "", infos, warnings)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"{exc}; hook names are listed in docs/plugins.md") from None
    types = _collect_plan_types(manager, infos, warnings)
    return Registry(manager=manager, plan_types=types, plugins=infos, warnings=warnings)


_registry: Registry | None = None
_registry_key: tuple[str, ...] | None = None


def plugins_dirs_from_env() -> list[Path]:
    value = os.environ.get("PLANGEN_PLUGINS_DIR", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def get_registry(plugins_dirs: Iterable[Path] = ()) -> Registry:
    """The process-wide registry, built once per set of plugin folders."""
    global _registry, _registry_key
    dirs = [*plugins_dirs_from_env(), *plugins_dirs]
    key = (os.environ.get("PLANGEN_LOAD_PLUGINS", "\0"), *map(str, dirs))
    if _registry is None or _registry_key != key:
        _registry = build_registry(dirs)
        _registry_key = key
    return _registry


def reset() -> None:
    """Forget the loaded registry (tests, or after installing a plugin in-process)."""
    global _registry, _registry_key
    _registry = None
    _registry_key = None
