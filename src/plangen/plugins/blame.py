"""Pinning a failure, or a registration, on the plugin whose code did it.

pluggy calls every implementation of a hook in one call; these helpers recover which plugin was
running from the traceback of an exception or from the live call stack, by the code objects of the
hook implementations.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from types import CodeType, FrameType
from typing import Any

from plangen.errors import PluginError


def one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, for warnings that must not turn into a traceback."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _code_of(function: Any) -> CodeType | None:
    return getattr(function, "__code__", None)


def _codes(impls: Iterable[Any]) -> dict[int, list[Any]]:
    """Implementations by the identity of their code object: code objects compare equal by value, so
    two plugins made from the same source (a generated module, say) must not be merged."""
    codes: dict[int, list[Any]] = {}
    for impl in impls:
        code = _code_of(impl.function)
        if code is not None:
            codes.setdefault(id(code), []).append(impl)
    return codes


def _owner(frame: FrameType, candidates: list[Any]) -> str | None:
    """The plugin of the implementation running in ``frame``; two plugins can share one function
    (two instances of a class), told apart by the ``self`` the frame runs with."""
    if len(candidates) == 1:
        return str(candidates[0].plugin_name)
    code = frame.f_code
    first = frame.f_locals.get(code.co_varnames[0]) if code.co_argcount else None
    owners = {c.plugin_name for c in candidates if getattr(c.function, "__self__", None) is first}
    return owners.pop() if len(owners) == 1 else None


def culprit(impls: Iterable[Any], exc: BaseException) -> str:
    """The plugin whose hook function raised: the innermost implementation in the traceback (a
    wrapper that lets an inner implementation's exception pass is not to blame)."""
    codes = _codes(impls)
    found = "unknown"
    tb = exc.__traceback__
    while tb is not None:
        candidates = codes.get(id(tb.tb_frame.f_code))
        if candidates:
            found = _owner(tb.tb_frame, candidates) or found
        tb = tb.tb_next
    return found


def calling_plugin(impls: Iterable[Any], what: str) -> str:
    """The plugin whose hook implementation is on the call stack now (innermost first), for a
    ``register`` callback or an environment change; a PluginError when it cannot be told."""
    codes = _codes(impls)
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        candidates = codes.get(id(frame.f_code))
        if candidates:
            owner = _owner(frame, candidates)
            if owner is None:
                names = ", ".join(sorted(repr(c.plugin_name) for c in candidates))
                raise PluginError(f"cannot tell which of plugins {names} {what}: they share one hook function")
            return owner
        frame = frame.f_back
    raise PluginError(f"{what} from outside a hook implementation; call it inside the hook")
