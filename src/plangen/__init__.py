"""plangen: Chinese community work plans as GB/T 9704-2012 Word documents.

``from plangen import hookimpl, PlanType, PlanInput, …`` is the whole plugin-author SDK (docs/plugins.md).
The names are resolved lazily (PEP 562): ``import plangen`` alone imports nothing heavy, so
``plangen --help`` does not pay for pydantic or jinja2. Type checkers see the real types through the
``TYPE_CHECKING`` imports below. The library API lives in :mod:`plangen.api`; the CLI is a thin layer over it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plangen.declarative.plugin import plan_type_from_folder
    from plangen.document import (
        Block,
        Document,
        Heading,
        PageBreak,
        Paragraph,
        Roster,
        Run,
        Signature,
        Table,
        Title,
        block_text,
    )
    from plangen.errors import InputError, PlangenError, PluginError, Problem, TemplateError
    from plangen.hookspecs import hookimpl, hookspec
    from plangen.i18n import N_, Msg, add_catalogue, msg
    from plangen.inputs.common import (
        WORDS,
        Basis,
        Contact,
        Dates,
        Issuer,
        Leadership,
        Office,
        Person,
        Phase,
        PlanInput,
        Unit,
        Words,
        get_key,
        key_of,
        phases_evenly,
    )
    from plangen.inputs.fields import Day, DocNo, InputModel, Line, Name, Para, Problems, Year, cross_check, zh
    from plangen.plugins.plantype import PlanType
    from plangen.prewrite import Rule, TextFinding
    from plangen.roster_words import (
        DEFAULT_POSTS,
        LEVEL_BODIES,
        ROSTER_HEADERS,
        foreign_bodies,
        header_role,
        kind_of_name,
        post_for,
        to_level,
    )
    from plangen.sample_words import mend_example_words, without_example_kind
    from plangen.text import CN_DIGITS, cn_count, cn_date, cn_month_day, cn_number, normalise, xun

# public name → the module that defines it (imported on first use)
_SDK: dict[str, str] = {
    "hookimpl": "plangen.hookspecs",
    "hookspec": "plangen.hookspecs",
    "PlanType": "plangen.plugins.plantype",
    "plan_type_from_folder": "plangen.declarative.plugin",
    **dict.fromkeys(
        ["PlanInput", "Phase", "phases_evenly", "get_key", "key_of", "Unit", "Dates", "Person", "Office",
         "Leadership", "Basis", "Issuer", "Contact", "WORDS", "Words"],
        "plangen.inputs.common",
    ),
    **dict.fromkeys(["InputModel", "Line", "Name", "Para", "Day", "DocNo", "Year", "zh", "Problems", "cross_check"], "plangen.inputs.fields"),
    **dict.fromkeys(
        ["Document", "Block", "Run", "Title", "Heading", "Paragraph", "Table", "Roster", "Signature",
         "PageBreak", "block_text"],
        "plangen.document",
    ),
    **dict.fromkeys(["PlangenError", "InputError", "Problem", "PluginError", "TemplateError"], "plangen.errors"),
    **dict.fromkeys(["Rule", "TextFinding"], "plangen.prewrite"),
    **dict.fromkeys(["cn_number", "cn_count", "cn_date", "cn_month_day", "xun", "CN_DIGITS", "normalise"], "plangen.text"),
    **dict.fromkeys(["msg", "Msg", "N_", "add_catalogue"], "plangen.i18n"),
    **dict.fromkeys(["ROSTER_HEADERS", "DEFAULT_POSTS", "header_role", "post_for", "kind_of_name", "LEVEL_BODIES",
                     "foreign_bodies", "to_level"], "plangen.roster_words"),
    **dict.fromkeys(["mend_example_words", "without_example_kind"], "plangen.sample_words"),
}

# a literal list, so type checkers know these names are re-exported (kept equal to _SDK by a test)
__all__ = [
    "CN_DIGITS",
    "DEFAULT_POSTS",
    "LEVEL_BODIES",
    "N_",
    "ROSTER_HEADERS",
    "WORDS",
    "Basis",
    "Block",
    "Contact",
    "Dates",
    "Day",
    "DocNo",
    "Document",
    "Heading",
    "InputError",
    "InputModel",
    "Issuer",
    "Leadership",
    "Line",
    "Msg",
    "Name",
    "Office",
    "PageBreak",
    "Para",
    "Paragraph",
    "Person",
    "Phase",
    "PlanInput",
    "PlanType",
    "PlangenError",
    "PluginError",
    "Problem",
    "Problems",
    "Roster",
    "Rule",
    "Run",
    "Signature",
    "Table",
    "TemplateError",
    "TextFinding",
    "Title",
    "Unit",
    "Words",
    "Year",
    "__version__",
    "add_catalogue",
    "block_text",
    "cn_count",
    "cn_date",
    "cn_month_day",
    "cn_number",
    "cross_check",
    "foreign_bodies",
    "get_key",
    "header_role",
    "hookimpl",
    "hookspec",
    "key_of",
    "kind_of_name",
    "mend_example_words",
    "msg",
    "normalise",
    "phases_evenly",
    "plan_type_from_folder",
    "post_for",
    "to_level",
    "without_example_kind",
    "xun",
    "zh",
]


def __getattr__(name: str) -> Any:
    """Import the module behind a public name on first use and cache the value on the package."""
    if name == "__version__":
        value: Any = _version()
    elif name in _SDK:
        value = getattr(import_module(_SDK[name]), name)
    else:  # lets ``from plangen import api`` fall through to importing the submodule
        raise AttributeError(f"module 'plangen' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _version() -> str:
    """The installed version; importlib.metadata is slow to import, so only ``--version`` pays for it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plangen")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0.0.0+src"


if TYPE_CHECKING:
    __version__: str
