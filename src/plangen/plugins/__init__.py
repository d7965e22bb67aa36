"""The plugin manager: loads plan-type plugins and keeps a broken one from taking the rest down.

Built-in plan types are ordinary entry points of the group ``plangen`` in plangen's own distribution,
so they take exactly the path a third-party plugin takes. Drop-in ``.py`` files are loaded from
``--plugins-dir`` / ``PLANGEN_PLUGINS_DIR``; ``PLANGEN_LOAD_PLUGINS=a,b`` narrows what loads;
``PLANGEN_TRACE_HOOKS=1`` prints every hook call on stderr.

A plugin that fails to import or raises while registering is dropped with a one-line warning; a hook
implementation whose name is not a hook (a typo) is an error, because it would otherwise never run.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Any

import pluggy

from plangen import hookspecs
from plangen.errors import InputError, PlangenError, PluginError, Problem
from plangen.plugins.plantype import PlanType

GROUP = "plangen"
HOOK_NAMES = tuple(sorted(n for n in vars(hookspecs) if n.startswith("plangen_")))


@dataclass
class PluginInfo:
    """One loaded plugin, for ``plangen plugins``."""

    name: str
    source: str
    version: str = ""
    plan_types: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)


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
                plugin = _culprit(caller.get_hookimpls(), exc)
                raise PluginError(f"plugin {plugin!r} failed in {hook_name}: {_one_line(exc)}") from None

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
                raise PluginError(f"plugin {impl.plugin_name!r} failed in plangen_register_checks: {_one_line(exc)}") from None
        return rules


def _guarded_rule(rule: Callable[[str], Any], plugin: str) -> Callable[[str], Any]:
    def checked(text: str) -> list[Any]:
        try:
            return list(rule(text))
        except PlangenError:
            raise
        except Exception as exc:
            name = getattr(rule, "__name__", "rule")
            raise PluginError(f"check {name!r} of plugin {plugin!r} failed: {_one_line(exc)}") from None

    checked.__name__ = getattr(rule, "__name__", "rule")
    return checked


def _one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, for warnings that must not turn into a traceback."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _culprit(impls: Iterable[Any], exc: BaseException) -> str:
    """The plugin whose hook function appears in the traceback (the outermost one)."""
    codes: dict[CodeType, str] = {}
    for impl in impls:
        code = getattr(impl.function, "__code__", None)
        if code is not None:
            codes[code] = impl.plugin_name
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in codes:
            return codes[tb.tb_frame.f_code]
        tb = tb.tb_next
    return "unknown"


def _short(value: Any) -> str:
    if isinstance(value, PlanType):
        return f"PlanType({value.name!r})"
    if isinstance(value, (str, int, float)):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "…"
    if isinstance(value, FunctionType):
        return "function"
    return type(value).__name__


def _trace(hook_name: str, plugins: list[str], kwargs: dict[str, Any]) -> None:
    """One stderr line per hook call: the arguments in short, and the plugins in the order loaded."""
    args = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
    print(f"plangen: hook {hook_name}({args}) -> {', '.join(plugins) or 'no plugin'}", file=sys.stderr)


def _tracing() -> bool:
    return os.environ.get("PLANGEN_TRACE_HOOKS", "") not in ("", "0", "false", "no")


def _each_impl(manager: pluggy.PluginManager, hook_name: str) -> list[Any]:
    """The implementations of a hook the core calls one by one (so a failure can be pinned on one),
    traced as a single call like the hooks pluggy calls."""
    impls = getattr(manager.hook, hook_name).get_hookimpls()
    if _tracing():
        _trace(hook_name, [i.plugin_name for i in impls], {"register": _each_impl})
    return impls


def _call_impl(impl: Any, kwargs: dict[str, Any]) -> Any:
    return impl.function(*[kwargs[name] for name in impl.argnames])


def _wanted() -> set[str] | None:
    value = os.environ.get("PLANGEN_LOAD_PLUGINS")
    if value is None:
        return None
    return {p.strip() for p in value.split(",") if p.strip()}


def _entry_point_plugins(
    manager: pluggy.PluginManager, infos: list[PluginInfo], warnings: list[str], sources: dict[str, str]
) -> None:
    wanted = _wanted()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if wanted is not None and ep.name not in wanted:
            continue
        dist = ep.dist
        source = f"entry point {ep.value}" + (f" ({dist.metadata['Name']})" if dist else "")
        if ep.name in sources:
            warnings.append(f"plugin {ep.name!r} from {source} skipped: a plugin of that name is already loaded from {sources[ep.name]}")
            continue
        try:
            module = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            warnings.append(f"plugin {ep.name!r} failed to load ({source}): {_one_line(exc)}")
            continue
        _register(manager, module, ep.name, source, dist.version if dist else "", infos, warnings, sources)


def _dropin_plugins(
    manager: pluggy.PluginManager,
    folders: Iterable[Path],
    infos: list[PluginInfo],
    warnings: list[str],
    sources: dict[str, str],
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
            if name in sources:
                warnings.append(f"plugin {name!r} from {path} skipped: a plugin of that name is already loaded from {sources[name]}")
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
                warnings.append(f"plugin {name!r} failed to load ({path}): {_one_line(exc)}")
                continue
            _register(manager, module, name, str(path), getattr(module, "__version__", ""), infos, warnings, sources)


def _register(
    manager: pluggy.PluginManager,
    module: ModuleType | object,
    name: str,
    source: str,
    version: str,
    infos: list[PluginInfo],
    warnings: list[str],
    sources: dict[str, str],
) -> None:
    try:
        manager.register(module, name=name)
    except ValueError as exc:  # already registered under another name
        warnings.append(f"plugin {name!r} ({source}) not registered: {exc}")
        return
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name!r} ({source}): {exc}") from None
    sources[name] = source
    hooks = sorted(impl_name for impl_name in HOOK_NAMES if _implements(manager, name, impl_name))
    infos.append(PluginInfo(name=name, source=source, version=str(version or ""), hooks=hooks))
    _undecorated(module, name, warnings)


def _implements(manager: pluggy.PluginManager, plugin: str, hook_name: str) -> bool:
    caller = getattr(manager.hook, hook_name, None)
    return caller is not None and any(i.plugin_name == plugin for i in caller.get_hookimpls())


def _undecorated(module: object, name: str, warnings: list[str]) -> None:
    """A hook function without ``@hookimpl`` is silently ignored by pluggy; say so."""
    marker = f"{GROUP}_impl"
    for attr in dir(module):
        if not attr.startswith("plangen_"):
            continue
        value = getattr(module, attr, None)
        if callable(value) and not hasattr(value, marker) and difflib.get_close_matches(attr, HOOK_NAMES, n=1, cutoff=0.8):
            warnings.append(f"plugin {name!r}: function {attr} has no @hookimpl decorator and is ignored")


def _check_hook_names(manager: pluggy.PluginManager) -> None:
    """A hook implementation whose name is not a hook would never run: that is an error, named."""
    for hook_name in sorted(vars(manager.hook)):
        if hook_name.startswith("_"):
            continue
        caller = getattr(manager.hook, hook_name)
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook:
                continue
            guess = difflib.get_close_matches(hook_name, HOOK_NAMES, n=1, cutoff=0.6)
            hint = f"; did you mean {guess[0]!r}?" if guess else f"; the hooks are {', '.join(HOOK_NAMES)}"
            raise PluginError(
                f"plugin {impl.plugin_name!r} implements unknown hook {hook_name!r}{hint} (see docs/plugins.md)"
            )


def _collect_plan_types(
    manager: pluggy.PluginManager, infos: list[PluginInfo], warnings: list[str]
) -> dict[str, PlanType]:
    """Call each plugin's registration hook on its own so a failure and a duplicate can be named.

    A plugin that raises here is unregistered as a whole, so none of its other hooks run later.
    """
    types: dict[str, PlanType] = {}
    claimed: dict[str, str] = {}  # every name, title and alias → the plan type that owns it
    by_name = {info.name: info for info in infos}
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
            warnings.append(f"plugin {plugin!r} failed while registering plan types: {_one_line(exc)}")
            manager.unregister(name=plugin)
            if plugin in by_name:
                infos.remove(by_name.pop(plugin))
            continue
        for plan_type in found:
            if plan_type.name in types:
                other = types[plan_type.name].plugin
                raise PluginError(
                    f"plan type {plan_type.name!r} is registered twice: by plugin {other!r} and by plugin {plugin!r}"
                )
            for alias in plan_type.names()[1:]:
                if alias in claimed and claimed[alias] != plan_type.name:
                    warnings.append(
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
    if _tracing():
        manager.add_hookcall_monitoring(
            lambda name, impls, kwargs: _trace(name, [i.plugin_name for i in impls], dict(kwargs)),
            lambda outcome, name, impls, kwargs: None,
        )
    infos: list[PluginInfo] = []
    warnings: list[str] = []
    sources: dict[str, str] = {}
    if entry_points_too:
        _entry_point_plugins(manager, infos, warnings, sources)
    _dropin_plugins(manager, plugins_dirs, infos, warnings, sources)
    for name, plugin in extra:
        _register(manager, plugin, name, "registered by caller", getattr(plugin, "__version__", ""), infos, warnings, sources)
    _check_hook_names(manager)
    types = _collect_plan_types(manager, infos, warnings)
    dirs = [Path(p) for p in templates_dirs]
    for folder in [*dirs, *templates_dirs_from_env()]:
        if not folder.is_dir():
            warnings.append(f"templates folder {folder} does not exist")
    return Registry(manager=manager, plan_types=types, plugins=infos, warnings=warnings, templates_dirs=dirs)


_registry: Registry | None = None
_registry_key: tuple[str, ...] | None = None


def plugins_dirs_from_env() -> list[Path]:
    value = os.environ.get("PLANGEN_PLUGINS_DIR", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def templates_dirs_from_env() -> list[Path]:
    """``PLANGEN_TEMPLATES_DIR`` (read by :mod:`plangen.templating.jinja`), checked here so a typo is reported."""
    value = os.environ.get("PLANGEN_TEMPLATES_DIR", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def get_registry(plugins_dirs: Iterable[Path] = (), templates_dirs: Iterable[Path] = ()) -> Registry:
    """The process-wide registry, built once per set of plugin and template folders."""
    global _registry, _registry_key
    dirs = [*plugins_dirs_from_env(), *plugins_dirs]
    templates = [Path(p) for p in templates_dirs]
    key = (
        os.environ.get("PLANGEN_LOAD_PLUGINS", "\0"),
        os.environ.get("PLANGEN_TRACE_HOOKS", ""),
        os.environ.get("PLANGEN_TEMPLATES_DIR", ""),
        *map(str, dirs),
        "\0templates",
        *map(str, templates),
    )
    if _registry is None or _registry_key != key:
        _registry = build_registry(dirs, templates_dirs=templates)
        _registry_key = key
    return _registry


def reset() -> None:
    """Forget the loaded registry (tests, or after installing a plugin in-process)."""
    global _registry, _registry_key
    _registry = None
    _registry_key = None
