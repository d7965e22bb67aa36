"""Checks of a plan type's example input (``plangen new``): every comment names the key the user may
type, and every field of the model is shown, commented out where optional.

A clerk copies the Chinese label a comment shows (``# 总结报送``) as a key; if the model does not
accept it the file fails. So the comment on each ``key: value`` line starts with that key's Chinese
alias (``report:  # 报送：…``), and a field the example does not fill is there as a commented-out line
(``# signature: 城关镇人民政府  # 落款：…``) a user only has to uncomment.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel

from plangen.inputs.envelope import TYPE_KEYS
from plangen.inputs.fields import accepts_text
from plangen.inputs.walk import field_named, fields, inner_model
from plangen.plugins.plantype import PlanType

_COMMENTED = re.compile(r"^(\s*)# (?=\s*(?:- |[A-Za-z_]\w*:(?:\s|$)))")
_KEY_LINE = re.compile(r"^(\s*)(- )?([A-Za-z_]\w*|[\u4e00-\u9fff（）()]+):(?:\s+|$)(.*)$")
_LABEL = re.compile(r"[^\s（(；;：:，,、/|]+")


def uncommented(text: str) -> str:
    """The example with its commented-out YAML lines (``# key: …``, ``#   - …``) switched on."""
    return "\n".join(_COMMENTED.sub(r"\1", line) for line in text.splitlines()) + "\n"


def label_problems(plan_type: PlanType) -> list[str]:
    """Lines whose comment starts with a Chinese label that is not the key's accepted Chinese key."""
    problems: list[str] = []
    stack: list[tuple[int, type[BaseModel]]] = [(-1, plan_type.model)]
    for number, line in enumerate(uncommented(plan_type.example).splitlines(), 1):
        m = _KEY_LINE.match(line)
        if not m:
            continue
        indent = len(m.group(1)) + (2 if m.group(2) else 0)
        key, rest = m.group(3), m.group(4)
        parts = re.split(r"(?:^|\s)#\s?", rest, maxsplit=1)
        value, comment = parts[0], parts[1] if len(parts) > 1 else ""
        while stack[-1][0] >= indent:
            stack.pop()
        owner = stack[-1][1]
        label = _LABEL.match(comment.strip())
        if len(stack) == 1 and key in TYPE_KEYS:
            if label and label.group(0) not in TYPE_KEYS:
                problems.append(f"line {number}: {key}: the comment shows {label.group(0)}, but the key is {TYPE_KEYS[1]}")
            continue
        found = field_named(owner, key)
        if found is None:
            problems.append(f"line {number}: {key} is not a key of {owner.__name__}")
            continue
        info = found.info
        if label and re.search(r"[\u4e00-\u9fff]", label.group(0)) and label.group(0) != info.alias:
            problems.append(f"line {number}: {key}: the comment shows {label.group(0)}, but the accepted Chinese key is {info.alias}")
        inner = inner_model(info.annotation)
        if inner is not None and not value.strip():
            stack.append((indent, inner))
    return problems


def _covered(model: type[BaseModel], values: list[Any], path: str, out: list[str]) -> None:
    mappings = [v for v in values if isinstance(v, dict)]
    if not mappings and any(isinstance(v, str) for v in values) and accepts_text(model):
        return  # shown in its shorthand (叶兰（社区党委书记）, 《…》（…号）)
    for spot in fields(model):
        if spot.left_out:
            continue  # a shared block the plan type leaves out
        found = [m[k] for m in mappings for k in spot.keys if k in m]
        where = f"{path}{spot.name}"
        if not found:
            out.append(where)
            continue
        inner = inner_model(spot.info.annotation)
        if inner is None:
            continue
        items: list[Any] = []
        for value in found:
            items.extend(value if isinstance(value, list) else [value])
        _covered(inner, items, where + ".", out)


def missing_fields(plan_type: PlanType) -> list[str]:
    """Field paths of the model the example shows neither filled in nor commented out."""
    data = yaml.safe_load(uncommented(plan_type.example))
    out: list[str] = []
    _covered(plan_type.model, [data], "", out)
    return out
