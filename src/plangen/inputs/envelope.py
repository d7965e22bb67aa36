"""The envelope of an input: the top-level keys that say how to make a plan, not what is in it.

``type``/``类型`` (which plan type), ``fonts``/``字体`` (font profile) and ``columns``/``列映射`` (how a
roster's columns fill the fields, for ``plangen batch``). Everything else is the body, validated by the
plan type's model. This module is their one owner: the library API, the batch and the JSON Schema all
ask it, so a key added here is known everywhere and "both spellings given" is an error everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from plangen.errors import InputError, Problem
from plangen.i18n import msg

TYPE_KEYS = ("type", "类型")
FONT_KEYS = ("fonts", "字体")
COLUMN_KEYS = ("columns", "列映射")
ENVELOPE = (TYPE_KEYS, FONT_KEYS, COLUMN_KEYS)
"""(English, Chinese) spelling of each envelope key."""
ENVELOPE_KEYS = (*TYPE_KEYS, *FONT_KEYS, *COLUMN_KEYS)


@dataclass(frozen=True)
class Envelope:
    """The envelope values of one input (None where not given) and the keys they were given under."""

    plan_type: Any = None
    fonts: Any = None
    columns: Any = None
    keys: Mapping[str, str] = field(default_factory=dict)
    """English key → the spelling the input used, for messages that point at the user's own key."""

    def key(self, english: str) -> str:
        return self.keys.get(english, english)


def first(mapping: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    """The value under whichever spelling of one key is given; both given is an error, not a choice."""
    found = [k for k in keys if k in mapping]
    if len(found) > 1:
        raise InputError(Problem(msg("input.both-spellings", "both {first} and {second} are given; keep one",
                                     first=repr(found[0]), second=repr(found[1]), first_text=found[0],
                                     second_text=found[1]), field=found[0]))
    return mapping[found[0]] if found else None


def split(mapping: Mapping[str, Any]) -> tuple[Envelope, dict[str, Any]]:
    """(envelope, body) of an input mapping; raises InputError when a key is given in both spellings."""
    plan_type, fonts, columns = (first(mapping, keys) for keys in ENVELOPE)
    used = {keys[0]: k for keys in ENVELOPE for k in keys if k in mapping}
    body = {k: v for k, v in mapping.items() if k not in ENVELOPE_KEYS}
    return Envelope(plan_type, fonts, columns, keys=used), body


def without_columns(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """The input minus its column mapping: what a batch lays each roster row over."""
    return {k: v for k, v in mapping.items() if k not in COLUMN_KEYS}


def with_type(plan_type: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """An input of this plan type and body, as a file holds it (the type first, under its English key)."""
    return {TYPE_KEYS[0]: plan_type, **body}
