"""Hook specifications: the whole plugin interface of plangen. Documented in docs/plugins.md.

The argument types are imported for type checkers only, so loading the hooks stays cheap and a
plugin checked with ``mypy --strict`` sees real types rather than ``Any``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import jinja2

    from plangen.document import Document
    from plangen.inputs.common import PlanInput
    from plangen.plugins.plantype import PlanType
    from plangen.prewrite import Rule

hookspec = pluggy.HookspecMarker("plangen")
hookimpl = pluggy.HookimplMarker("plangen")


@hookspec
def plangen_register_plan_types(register: Callable[[PlanType], None]) -> None:
    """Register plan types by calling ``register(PlanType(...))`` once for each."""


@hookspec
def plangen_prepare_jinja(environment: jinja2.Environment) -> None:
    """Add filters, tests or globals to the jinja2 environment that renders every template."""


@hookspec
def plangen_adjust_document(document: Document, plan: PlanInput, plan_type: PlanType) -> None:
    """Change the document model (in place) after the template is parsed and before it is checked and written."""


@hookspec
def plangen_register_checks(register: Callable[[Rule], None]) -> None:
    """Register extra rules for the guard and ``plangen check``: ``register(rule)``, where a rule takes
    the plan's text and yields :class:`plangen.TextFinding` objects."""
