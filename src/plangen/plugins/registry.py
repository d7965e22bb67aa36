"""The registry: what the loaded plugins provide (plan types, check rules), and the hook caller the
core uses so that a plugin's exception is a PluginError naming it, not a crash blamed on plangen."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from plangen import hookspecs
from plangen.errors import InputError, PlangenError, PluginError, Problem
from plangen.i18n import _, msg
from plangen.plugins import loading
from plangen.plugins.blame import calling_plugin, culprit, one_line
from plangen.plugins.loading import GROUP, Loaded, PluginInfo
from plangen.plugins.plantype import PlanType
from plangen.plugins.tracing import monitor, tracing


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
                raise PluginError(msg("plugin.hook-failed", "plugin {name!r} failed in {hook}: {error}",
                                      name=plugin, hook=hook_name, error=one_line(exc))) from None

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
    left_out: dict[str, str] = field(default_factory=dict)
    """Plan types whose plugin was dropped for them → why (the warning), so asking for one says so."""
    hook: SafeHooks = field(init=False, repr=False)
    _by_plugin: list[tuple[str, Callable[[str], Any]]] | None = field(default=None, init=False, repr=False)
    _rules: list[Callable[[str], Any]] | None = field(default=None, init=False, repr=False)
    _envs: Any = field(default=None, init=False, repr=False)
    built_from: Any = field(default=None, init=False, repr=False, compare=False)
    """What :func:`plangen.plugins.process.get_registry` built it from (folders and plugin settings)."""
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.hook = SafeHooks(self.manager)

    def plan_type(self, name: str) -> PlanType:
        """Find a plan type by its name, its Chinese title or an alias."""
        wanted = str(name).strip()
        for plan_type in self.plan_types.values():
            if wanted in plan_type.names():
                return plan_type
        if wanted in self.left_out:
            raise PluginError(self.left_out[wanted])
        known = ", ".join(sorted(self.plan_types)) or "none are installed"
        raise InputError(Problem(msg("input.unknown-type", "unknown plan type {wanted}; known types: {known}",
                                     wanted=repr(wanted), known=known), field="type"))

    def environment(self, plan_dirs: Sequence[Path]) -> Any:
        """The jinja2 environment for this search path, built once and kept on the registry (so it
        goes when the registry goes): the user's folders first, then ``plan_dirs``."""
        from plangen.templating import jinja  # not at import: `plangen types` never renders

        if self._envs is None:
            self._envs = jinja.EnvironmentCache()
        return self._envs.get(plan_dirs, self.templates_dirs, lambda users, plans: jinja.build_environment(users, plans, prepare=self.prepare_jinja))

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once for this registry and kept on it: a cache of what its plan types
        imply (the keys an input may use…) dies with the registry, and a new registry never finds an
        old one's entry (as a cache keyed by ``id(registry)`` could, once the id is reused)."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    def prepare_jinja(self, environment: Any) -> None:
        """``plangen_prepare_jinja``, with a name added by two plugins reported as a PluginError."""
        from plangen.plugins import jinja_names

        jinja_names.prepare(environment, self.hook, self.manager.hook.plangen_prepare_jinja.get_hookimpls())

    def check_rules(self) -> list[Callable[[str], Any]]:
        """Rules plugins add to the guard (and to ``plangen check``), each wrapped so that a crash names
        its plugin. Collected once per registry: the hook is about what a plugin offers, not about a plan."""
        if self._rules is None:
            self._rules = [_guarded_rule(rule, plugin) for plugin, rule in self.check_rules_by_plugin()]
        return list(self._rules)

    def check_rules_by_plugin(self) -> list[tuple[str, Callable[[str], Any]]]:
        """(plugin, rule) for every rule registered, in pluggy's call order (``plangen check --rules``)."""
        if self._by_plugin is None:
            impls = self.manager.hook.plangen_register_checks.get_hookimpls()
            found: list[tuple[str, Callable[[str], Any]]] = []

            def register(rule: Callable[[str], Any]) -> None:
                if not callable(rule):
                    raise PluginError(_("register() expects a rule function, got {kind}", kind=type(rule).__name__))
                found.append((calling_plugin(impls, "called register()"), rule))

            self.hook.plangen_register_checks(register=register)
            self._by_plugin = found
        return list(self._by_plugin)


def _guarded_rule(rule: Callable[[str], Any], plugin: str) -> Callable[[str], Any]:
    def checked(text: str) -> list[Any]:
        try:
            return list(rule(text))
        except PlangenError:
            raise
        except Exception as exc:
            name = getattr(rule, "__name__", "rule")
            raise PluginError(msg("plugin.check-failed", "check {check!r} of plugin {name!r} failed: {error}",
                                  check=name, name=plugin, error=one_line(exc))) from None

    checked.__name__ = getattr(rule, "__name__", "rule")
    return checked


def _collect_plan_types(manager: pluggy.PluginManager, loaded: Loaded) -> tuple[dict[str, PlanType], dict[str, str]]:
    """Call ``plangen_register_plan_types`` through pluggy (so ``tryfirst``/``trylast`` and wrappers are
    honoured) and attribute each registered type to the plugin whose implementation called ``register``.

    A plugin that raises here, or registers a plan type that fails :func:`vetting.problems` or whose
    name another plugin took first, is dropped as a whole (none of its other hooks runs later) with one
    warning, and the others keep working. Which plugin keeps a contested name does not depend on the
    call order: the plugin loaded first keeps it. Returns the plan types, and the names of those left
    out with the reason (so ``plangen new NAME`` can say why NAME is not there).
    """
    caller = manager.hook.plangen_register_plan_types
    left_out: dict[str, str] = {}
    while True:
        impls = caller.get_hookimpls()
        found: list[tuple[str, PlanType]] = []

        def register(plan_type: PlanType, _found: list[tuple[str, PlanType]] = found, _impls: list[Any] = impls) -> None:
            plugin = calling_plugin(_impls, "called register()")
            if not isinstance(plan_type, PlanType):
                raise PluginError(_("register() expects a PlanType, got {kind}", kind=type(plan_type).__name__))
            _found.append((plugin, plan_type))

        try:
            caller(register=register)
        except Exception as exc:
            plugin = culprit(impls, exc)
            if not manager.has_plugin(plugin):
                raise PluginError(msg("plugin.register-failed", "a plugin failed while registering plan types: {error}",
                                      error=one_line(exc))) from None
            loaded.drop(manager, plugin, _("plugin {name!r} failed while registering plan types: {error}",
                                           name=plugin, error=_reason(exc)))
            continue
        order = {info.name: i for i, info in enumerate(loaded.infos)}
        found.sort(key=lambda pair: order.get(pair[0], len(order)))  # stable: one plugin's types keep their order
        broken = _vet(found, loaded, left_out)
        if not broken:
            return _plan_types(found, loaded), left_out
        for plugin, warning in broken.items():
            loaded.drop(manager, plugin, warning)


def _reason(exc: BaseException) -> str:
    """A plugin's own exception as ``Type: message``; plangen's own errors (a bad ``register()``) as their message."""
    return " ".join(str(exc).split()) if isinstance(exc, PlangenError) else one_line(exc)


def _vet(found: list[tuple[str, PlanType]], loaded: Loaded, left_out: dict[str, str]) -> dict[str, str]:
    """Plugin → the one warning that drops it: a plan type that fails the checks, or a name taken by
    a plugin loaded before."""
    from plangen.plugins import vetting

    broken: dict[str, str] = {}
    owner: dict[str, str] = {}
    for plugin, plan_type in found:
        where = loaded.files.get(plugin, "")
        wrong = vetting.problems(plan_type)
        if plan_type.name in owner:
            first = owner[plan_type.name]
            wrong.insert(0, _("the name is already taken by plugin {first!r}", first=first) if first != plugin
                         else _("it is registered twice by this plugin"))
        owner.setdefault(plan_type.name, plugin)
        if wrong and plugin not in broken:
            reasons = _("; ").join(wrong)
            broken[plugin] = _("plugin {name!r} ({file}) is left out: plan type {type!r}: {reasons}",
                               name=plugin, file=where, type=plan_type.name, reasons=reasons)
            if owner[plan_type.name] == plugin:
                left_out[plan_type.name] = broken[plugin]
    return broken


def _plan_types(found: list[tuple[str, PlanType]], loaded: Loaded) -> dict[str, PlanType]:
    """Each type stamped with its plugin; a name, title or alias another type took first keeps its first meaning."""
    by_name = {info.name: info for info in loaded.infos}
    types: dict[str, PlanType] = {}
    claimed: dict[str, str] = {}  # every name, title and alias → the plan type that owns it
    for plugin, plan_type in found:
        for alias in plan_type.names()[1:]:
            if alias in claimed and claimed[alias] != plan_type.name:
                loaded.warnings.append(_("plan type {type!r} (plugin {name!r}) uses the name {alias!r} that already "
                                         "means {other!r}; {alias!r} keeps its first meaning",
                                         type=plan_type.name, name=plugin, alias=alias, other=claimed[alias]))
        for alias in plan_type.names():
            claimed.setdefault(alias, plan_type.name)
        types[plan_type.name] = PlanType(**{**plan_type.__dict__, "plugin": plugin})
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
    plugins_dirs = [Path(p) for p in plugins_dirs]
    loading.dropin_plugins(manager, plugins_dirs, loaded)
    if plugins_dirs:  # plan types without code (plantype.yaml); imported only then, as it builds models
        from plangen.declarative.plugin import folder_plugins

        folder_plugins(manager, plugins_dirs, loaded, loading.wanted())
    for name, plugin in extra:
        loading.register(manager, plugin, name, "registered by caller", getattr(plugin, "__version__", ""), loaded)
    loading.check_hook_names(manager, loaded)
    types, left_out = _collect_plan_types(manager, loaded)
    dirs = [Path(p) for p in templates_dirs]
    for folder in [*dirs, *loading.templates_dirs_from_env()]:
        if not folder.is_dir():
            loaded.warnings.append(_("templates folder {folder} does not exist", folder=folder))
    return Registry(manager=manager, plan_types=types, plugins=loaded.infos, warnings=loaded.warnings, templates_dirs=dirs,
                    left_out=left_out)
