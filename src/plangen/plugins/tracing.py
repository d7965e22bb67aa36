"""``PLANGEN_TRACE_HOOKS=1``: one stderr line per hook call, with the plugins in the order called."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import FunctionType
from typing import Any

import pluggy

from plangen.plugins.plantype import PlanType


def tracing() -> bool:
    return os.environ.get("PLANGEN_TRACE_HOOKS", "") not in ("", "0", "false", "no")


def _short(value: Any) -> str:
    if isinstance(value, PlanType):
        return f"PlanType({value.name!r})"
    if isinstance(value, (str, int, float)):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "…"
    if isinstance(value, FunctionType):
        return "function"
    return type(value).__name__


def trace(hook_name: str, plugins: Sequence[str], kwargs: dict[str, Any]) -> None:
    """One stderr line per hook call: the arguments in short, and the plugins."""
    args = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
    print(f"plangen: hook {hook_name}({args}) -> {', '.join(plugins) or 'no plugin'}", file=sys.stderr)


def monitor(manager: pluggy.PluginManager) -> None:
    """Trace every call pluggy makes. pluggy runs ``impls`` from last to first, so they are
    printed reversed: in the order they are called (wrappers and ``tryfirst`` ones first)."""
    manager.add_hookcall_monitoring(
        lambda name, impls, kwargs: trace(name, [i.plugin_name for i in reversed(impls)], dict(kwargs)),
        lambda outcome, name, impls, kwargs: None,
    )
