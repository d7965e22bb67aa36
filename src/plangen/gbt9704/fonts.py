"""Font profiles. GB names by default; the Windows names for machines without the GB2312 fonts."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from plangen.errors import InputError, Problem
from plangen.i18n import msg


@dataclass(frozen=True)
class FontProfile:
    name: str
    title: str
    body: str
    heading1: str
    heading2: str
    page_number: str
    latin: str = "Times New Roman"


PROFILES = {
    "gb": FontProfile("gb", title="方正小标宋简体", body="仿宋_GB2312", heading1="黑体", heading2="楷体_GB2312", page_number="宋体"),
    "windows": FontProfile("windows", title="宋体", body="仿宋", heading1="黑体", heading2="楷体", page_number="宋体"),
}

# Fonts Word may substitute when the named one is missing (written to the font table as w:altName).
ALTERNATES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "方正小标宋_GBK": "宋体"}


def font_profile(spec: str | dict[str, Any] | None) -> FontProfile:
    """``gb``, ``windows``, or a mapping of element → font name over the GB profile (a custom set)."""
    if spec is None or spec == "":
        return PROFILES["gb"]
    if isinstance(spec, str):
        try:
            return PROFILES[spec]
        except KeyError:
            raise InputError(Problem(msg("input.font-profile", "unknown font profile {spec}; use gb, windows or a mapping",
                                         spec=repr(spec)), field="fonts")) from None
    base = PROFILES[str(spec.get("base", "gb"))] if spec.get("base", "gb") in PROFILES else PROFILES["gb"]
    allowed = {f.name for f in fields(FontProfile)} - {"name"}
    unknown = set(spec) - allowed - {"base"}
    if unknown:
        raise InputError(Problem(msg("input.font-element", "unknown font element(s) {unknown}; use {allowed}",
                                     unknown=sorted(unknown), allowed=sorted(allowed)), field="fonts"))
    values = {k: str(v) for k, v in spec.items() if k in allowed}
    for key, value in values.items():
        if not value.strip() or any(c in value for c in "<>&\"'"):
            raise InputError(Problem(msg("input.font-name", "{value} is not a font name", value=repr(value)), field=f"fonts.{key}"))
    return FontProfile(**{**base.__dict__, **values, "name": "custom"})
