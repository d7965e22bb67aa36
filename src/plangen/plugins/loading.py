"""Finding and registering plugins: entry points of the group ``plangen``, drop-in ``.py`` files, and
the checks that keep a broken or misspelt plugin from going unnoticed.

A broken plugin fails alone: one that fails to import, has a hook with a wrong signature or a hook
implementation whose name is not a hook (a typo, which would otherwise never run) is dropped with a
one-line warning naming its file and line, and every other plugin keeps working.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from plangen import hookspecs
from plangen.i18n import _
from plangen.plugins.blame import one_line

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


@dataclass
class Loaded:
    """What loading gathers before the hooks are called: plugins, warnings, and where each came from."""

    infos: list[PluginInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Plugin name → the file of its code, for warnings a plugin author can act on."""

    def drop(self, manager: pluggy.PluginManager, name: str, warning: str) -> None:
        """Take a broken plugin out (none of its hooks runs again) and say why, once."""
        if manager.has_plugin(name):
            manager.unregister(name=name)
        self.infos[:] = [info for info in self.infos if info.name != name]
        self.warnings.append(warning)


def plugins_dirs_from_env() -> list[Path]:
    value = os.environ.get("PLANGEN_PLUGINS_DIR", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def templates_dirs_from_env() -> list[Path]:
    """``PLANGEN_TEMPLATES_DIR`` (read by :mod:`plangen.templating.jinja`), checked here so a typo is reported."""
    value = os.environ.get("PLANGEN_TEMPLATES_DIR", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def wanted() -> set[str] | None:
    """The names ``PLANGEN_LOAD_PLUGINS`` allows, or None for all."""
    return _wanted()


def _wanted() -> set[str] | None:
    value = os.environ.get("PLANGEN_LOAD_PLUGINS")
    if value is None:
        return None
    return {p.strip() for p in value.split(",") if p.strip()}


def entry_point_plugins(manager: pluggy.PluginManager, loaded: Loaded) -> None:
    wanted = _wanted()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if wanted is not None and ep.name not in wanted:
            continue
        dist = ep.dist
        source = f"entry point {ep.value}" + (f" ({dist.metadata['Name']})" if dist else "")
        if ep.name in loaded.sources:
            loaded.warnings.append(_("plugin {name!r} from {source} skipped: a plugin of that name is already loaded from {other}",
                                     name=ep.name, source=source, other=loaded.sources[ep.name]))
            continue
        try:
            module = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            where = failed_at(exc, _package_folder(ep.module))
            loaded.warnings.append(_("plugin {name!r} failed to load ({source}): {error}",
                                     name=ep.name, source=f"{where}, {source}" if where else source, error=one_line(exc)))
            continue
        register(manager, module, ep.name, source, dist.version if dist else "", loaded)


def dropin_plugins(manager: pluggy.PluginManager, folders: Iterable[Path], loaded: Loaded) -> None:
    wanted = _wanted()
    for folder in folders:
        if not folder.is_dir():
            loaded.warnings.append(_("plugins folder {folder} does not exist", folder=folder))
            continue
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or (wanted is not None and name not in wanted):
                continue
            if name in loaded.sources:
                loaded.warnings.append(_("plugin {name!r} from {source} skipped: a plugin of that name is already loaded from {other}",
                                         name=name, source=path, other=loaded.sources[name]))
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
                loaded.warnings.append(_("plugin {name!r} failed to load ({source}): {error}",
                                         name=name, source=failed_at(exc, path) or path, error=one_line(exc)))
                continue
            register(manager, module, name, str(path), getattr(module, "__version__", ""), loaded)


def register(manager: pluggy.PluginManager, module: ModuleType | object, name: str, source: str, version: str, loaded: Loaded) -> None:
    """Register one plugin object with pluggy and note it; a bad hook signature is an error naming it."""
    try:
        manager.register(module, name=name)
    except ValueError as exc:  # already registered under another name
        loaded.warnings.append(_("plugin {name!r} ({source}) not registered: {error}", name=name, source=source, error=exc))
        return
    except pluggy.PluginValidationError as exc:  # pluggy may have kept the hooks it checked before this one
        place, error = _invalid_hook(manager, exc)
        loaded.drop(manager, name, _("plugin {name!r} ({source}) is left out: {error}", name=name, source=place or source, error=error))
        return
    loaded.sources[name] = source
    loaded.files[name] = str(getattr(module, "__file__", "") or source)
    hooks = sorted(impl_name for impl_name in HOOK_NAMES if _implements(manager, name, impl_name))
    loaded.infos.append(PluginInfo(name=name, source=source, version=str(version or ""), hooks=hooks))
    _undecorated(module, name, loaded.warnings)


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
            warnings.append(_("plugin {name!r}: function {function} has no @hookimpl decorator and is ignored", name=name, function=attr))


def check_hook_names(manager: pluggy.PluginManager, loaded: Loaded) -> None:
    """A hook implementation whose name is not a hook would never run: its plugin is dropped with a
    warning naming the file and line of the function, and a guess at the hook meant."""
    for hook_name in sorted(vars(manager.hook)):
        if hook_name.startswith("_"):
            continue
        caller = getattr(manager.hook, hook_name)
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook or not manager.has_plugin(impl.plugin_name):
                continue
            guess = difflib.get_close_matches(hook_name, HOOK_NAMES, n=1, cutoff=0.6)
            hint = _("; did you mean {guess!r}?", guess=guess[0]) if guess else _("; the hooks are {hooks}", hooks=", ".join(HOOK_NAMES))
            place = function_place(impl.function) or loaded.files.get(impl.plugin_name, "")
            loaded.drop(manager, impl.plugin_name, _(
                "plugin {name!r} ({place}) is left out: it implements unknown hook {hook!r}{hint} (see docs/plugins.md)",
                name=impl.plugin_name, place=place, hook=hook_name, hint=hint))


def function_place(function: object) -> str:
    """``file:line`` where a function is defined, or "" for one without Python code."""
    code = getattr(function, "__code__", None)
    return f"{code.co_filename}:{code.co_firstlineno}" if code is not None else ""


def _invalid_hook(manager: pluggy.PluginManager, exc: pluggy.PluginValidationError) -> tuple[str, str]:
    """Where the hook function with a wrong signature is, and what to fix, from pluggy's error
    (which names the hook and the arguments only in its English message)."""
    hook = re.search(r"for hook '(\w+)'", str(exc))
    if hook is None:
        return "", " ".join(str(exc).split())
    name = hook.group(1)
    place = function_place(getattr(getattr(exc, "plugin", None), name, None))
    spec = getattr(getattr(manager.hook, name, None), "spec", None)
    expected = ", ".join(spec.argnames) if spec is not None else ""
    return place, _("its function {hook} takes arguments the hook does not pass; the hook passes: {expected}",
                    hook=name, expected=expected)


def _package_folder(module: str) -> Path | None:
    """The folder of an entry point's top-level package (found without importing it), or None."""
    try:
        spec = importlib.util.find_spec(module.split(".")[0])
    except (ImportError, ValueError):
        return None
    origin = spec.origin if spec is not None else None
    return Path(origin).resolve().parent if origin else None


def failed_at(exc: BaseException, within: Path | str | None) -> str:
    """``file:line`` of a plugin that failed to import: a syntax error's own place, else the innermost
    frame of the traceback in ``within`` (a drop-in's file, or an entry point's package folder)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}" if exc.lineno else exc.filename
    if within is None:
        return ""
    wanted = Path(within).resolve()
    found = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if not str(filename).startswith("<") and (filename.resolve() == wanted or wanted in filename.resolve().parents):
            shown = within if filename.resolve() == wanted else filename
            found = f"{shown}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
