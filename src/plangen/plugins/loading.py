"""Finding and registering plugins: entry points of the group ``plangen``, drop-in ``.py`` files, and
the checks that keep a broken or misspelt plugin from going unnoticed.

A plugin that fails to import is dropped with a one-line warning; a hook implementation whose name
is not a hook (a typo) is an error, because it would otherwise never run.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from plangen import hookspecs
from plangen.i18n import _, msg
from plangen.errors import PluginError
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
            loaded.warnings.append(_("plugin {name!r} failed to load ({source}): {error}", name=ep.name, source=source, error=one_line(exc)))
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
                loaded.warnings.append(_("plugin {name!r} failed to load ({source}): {error}", name=name, source=path, error=one_line(exc)))
                continue
            register(manager, module, name, str(path), getattr(module, "__version__", ""), loaded)


def register(manager: pluggy.PluginManager, module: ModuleType | object, name: str, source: str, version: str, loaded: Loaded) -> None:
    """Register one plugin object with pluggy and note it; a bad hook signature is an error naming it."""
    try:
        manager.register(module, name=name)
    except ValueError as exc:  # already registered under another name
        loaded.warnings.append(_("plugin {name!r} ({source}) not registered: {error}", name=name, source=source, error=exc))
        return
    except pluggy.PluginValidationError as exc:
        raise PluginError(msg("plugin.invalid", "plugin {name!r} ({source}): {error}", name=name, source=source, error=exc)) from None
    loaded.sources[name] = source
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


def check_hook_names(manager: pluggy.PluginManager) -> None:
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
            hint = _("; did you mean {guess!r}?", guess=guess[0]) if guess else _("; the hooks are {hooks}", hooks=", ".join(HOOK_NAMES))
            raise PluginError(msg("plugin.unknown-hook", "plugin {name!r} implements unknown hook {hook!r}{hint} (see docs/plugins.md)",
                                  name=impl.plugin_name, hook=hook_name, hint=hint))
