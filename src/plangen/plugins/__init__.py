"""The plugin manager: loads plan-type plugins and keeps a broken one from taking the rest down.

Built-in plan types are ordinary entry points of the group ``plangen`` in plangen's own distribution,
so they take exactly the path a third-party plugin takes. Drop-in ``.py`` files are loaded from
``--plugins-dir`` / ``PLANGEN_PLUGINS_DIR``; ``PLANGEN_LOAD_PLUGINS=a,b`` narrows what loads;
``PLANGEN_TRACE_HOOKS=1`` prints every hook call on stderr.

The parts, one module each: :mod:`.loading` (entry points, drop-ins, misspelt hooks),
:mod:`.registry` (calling the hooks, what they register), :mod:`.blame` (which plugin did it),
:mod:`.tracing`, :mod:`.process` (the process-wide registry), :mod:`.plantype`.
"""

from __future__ import annotations

from plangen.plugins.loading import (
    GROUP,
    HOOK_NAMES,
    PluginInfo,
    plugins_dirs_from_env,
    templates_dirs_from_env,
)
from plangen.plugins.process import get_registry, reset
from plangen.plugins.registry import Registry, SafeHooks, build_registry

__all__ = [
    "GROUP",
    "HOOK_NAMES",
    "PluginInfo",
    "Registry",
    "SafeHooks",
    "build_registry",
    "get_registry",
    "plugins_dirs_from_env",
    "reset",
    "templates_dirs_from_env",
]
