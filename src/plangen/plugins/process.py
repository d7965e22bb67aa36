"""The process-wide registry: built once per set of plugin and template folders (and plugin
environment variables), so the CLI and a batch's workers load plugins once.

The registry carries what it was built from (:class:`Settings`, on ``Registry.built_from``), so the
one kept here is rebuilt exactly when a command asks for other folders or settings, and nothing about
it is kept apart from it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from plangen.plugins.loading import plugins_dirs_from_env
from plangen.plugins.registry import Registry, build_registry

_registry: Registry | None = None


@dataclass(frozen=True)
class Settings:
    """What a registry is built from: the folders asked for (the environment's plugin folders first)
    and the plugin environment variables that change what is loaded or how hooks are called."""

    plugins_dirs: tuple[Path, ...]
    templates_dirs: tuple[Path, ...]
    load_plugins: str | None
    trace_hooks: str
    templates_env: str

    @classmethod
    def asked(cls, plugins_dirs: Iterable[Path] = (), templates_dirs: Iterable[Path] = ()) -> Settings:
        """The settings in force now, for these folders."""
        return cls(
            plugins_dirs=(*plugins_dirs_from_env(), *map(Path, plugins_dirs)),
            templates_dirs=tuple(map(Path, templates_dirs)),
            load_plugins=os.environ.get("PLANGEN_LOAD_PLUGINS"),
            trace_hooks=os.environ.get("PLANGEN_TRACE_HOOKS", ""),
            templates_env=os.environ.get("PLANGEN_TEMPLATES_DIR", ""),
        )


def get_registry(plugins_dirs: Iterable[Path] = (), templates_dirs: Iterable[Path] = ()) -> Registry:
    """The process-wide registry; only the last one is kept, so it cannot grow."""
    global _registry
    wanted = Settings.asked(plugins_dirs, templates_dirs)
    if _registry is None or _registry.built_from != wanted:
        _registry = build_registry(wanted.plugins_dirs, templates_dirs=wanted.templates_dirs)
        _registry.built_from = wanted
    return _registry


def reset() -> None:
    """Forget the loaded registry (tests, or after installing a plugin in-process)."""
    global _registry
    _registry = None
