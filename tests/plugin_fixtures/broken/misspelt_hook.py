"""A hook name with one letter missing: it would never run."""

from typing import Any

from plangen import hookimpl


@hookimpl
def plangen_register_plan_type(register: Any) -> None:
    raise AssertionError("never called: the hook is plangen_register_plan_types")
