"""Hook specifications: the whole plugin interface of plangen. Documented in docs/plugins.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("plangen")
hookimpl = pluggy.HookimplMarker("plangen")


@hookspec
def plangen_register_plan_types(register: Callable[[Any], None]) -> None:
    """Register plan types by calling ``register(PlanType(...))`` once for each."""


@hookspec
def plangen_prepare_jinja(environment: Any) -> None:
    """Add filters, tests or globals to the jinja2 environment that renders every template."""


@hookspec
def plangen_adjust_document(document: Any, plan: Any, plan_type: Any) -> None:
    """Change the document model (in place) after the template is parsed and before it is checked and written."""


@hookspec
def plangen_register_checks(register: Callable[[Any], None]) -> None:
    """Register extra rules for the guard and ``plangen check``: ``register(rule)``."""
