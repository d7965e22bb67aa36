"""A plugin whose import fails on its fifth line."""

from typing import Any

import plangen_module_that_is_not_installed  # noqa: F401

from plangen import hookimpl


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    raise AssertionError("never imported")
