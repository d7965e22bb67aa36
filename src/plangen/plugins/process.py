"""The process-wide registry: built once per set of plugin and template folders (and plugin
environment variables), so the CLI and a batch's workers load plugins once."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from plangen.plugins.loading import plugins_dirs_from_env
from plangen.plugins.registry import Registry, build_registry

_registry: Registry | None = None
_registry_key: tuple[str, ...] | None = None


def get_registry(plugins_dirs: Iterable[Path] = (), templates_dirs: Iterable[Path] = ()) -> Registry:
    """The process-wide registry; only the last one is kept, so it cannot grow."""
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
