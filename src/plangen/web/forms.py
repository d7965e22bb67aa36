"""Forms generated from a plan type's pydantic model, so a plugin's type gets a form with no web code.

The model is walked once into a tree of :class:`Node` (groups for nested models, repeated rows for
lists, a leaf per value); the page is rendered from that tree, the posted form is turned back into
the same nested mapping a YAML file gives, and validation errors (``dates.phases[2].end``) are keyed
by the same paths the inputs are named by.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

from annotated_types import MaxLen
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from plangen.inputs.fields import CHOICE_LABELS, accepts_text
from plangen.inputs.paths import FieldPath
from plangen.inputs.walk import fields, is_model, peel

Kind = Literal["group", "rows", "text", "textarea", "date", "int", "bool", "select"]


@dataclass
class Node:
    """One field of the form: a group of fields, a list of rows, or one input."""

    name: str
    """The English key (``unit``); the posted name is the dotted path of these."""
    label: str
    """The Chinese key (``单位``), which is what the staff know the field by."""
    kind: Kind
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    """Chinese names of the choices, by stored value (the stored value when there is none)."""
    children: list[Node] = field(default_factory=list)
    """A group's fields; for rows, the fields of one row (or one leaf when the list holds plain values)."""
    item: Node | None = None
    """For rows: what one row is."""
    max_items: int | None = None
    model: type[BaseModel] | None = None


def _max_len(meta: list[Any]) -> int | None:
    lengths = [m.max_length for m in meta if isinstance(m, MaxLen)]
    return min(lengths) if lengths else None


def _leaf(name: str, label: str, annotation: Any, meta: list[Any], help: str, required: bool) -> Node:
    if typing.get_origin(annotation) is Literal:
        return Node(name, label, "select", help, required, choices=tuple(str(c) for c in typing.get_args(annotation)))
    if annotation is date:
        return Node(name, label, "date", help, required)
    if annotation is bool:
        return Node(name, label, "bool", help, required)
    if annotation is int:
        return Node(name, label, "int", help, required)
    longest = _max_len(meta)
    kind: Kind = "textarea" if longest is not None and longest > 200 else "text"
    return Node(name, label, kind, help, required)


def _node(name: str, info: FieldInfo | None, annotation: Any, label: str, help: str, required: bool) -> Node:
    annotation, meta = peel(annotation)
    if info is not None:
        meta = meta + list(info.metadata)
    if is_model(annotation):
        return Node(name, label, "group", help, required, children=model_nodes(annotation), model=annotation)
    if typing.get_origin(annotation) is list:
        (item_type,) = typing.get_args(annotation) or (str,)
        item = _node("", None, item_type, label, "", True)
        return Node(name, label, "rows", help, required, item=item, max_items=_max_len(meta))
    return _leaf(name, label, annotation, meta, help, required)


@lru_cache(maxsize=64)
def model_nodes(model: type[BaseModel]) -> list[Node]:
    """The form of a model: one node per field, in the model's order."""
    nodes = []
    for spot in fields(model):
        if spot.left_out:
            continue  # a shared block the plan type leaves out (``leadership: None``): no field for it
        info = spot.info
        node = _node(spot.name, info, info.annotation, spot.label, info.description or "", info.is_required())
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        labels = extra.get(CHOICE_LABELS)
        if node.kind == "select" and isinstance(labels, dict):
            node.labels = {str(k): str(v) for k, v in labels.items()}
        nodes.append(node)
    return nodes


# ---- posted form → mapping ------------------------------------------------------------------

def _path(name: str) -> list[str | int] | None:
    """A posted input's name (``dates.phases[0].end``, rows from 0) as its parts, or None."""
    path = FieldPath.parse_form(name)
    return list(path.parts) if path is not None else None


def _compact(value: Any) -> Any:
    """Index-keyed dicts become lists (in index order); empty strings, rows and groups are dropped."""
    if isinstance(value, dict):
        items = {k: _compact(v) for k, v in value.items()}
        items = {k: v for k, v in items.items() if v not in (None, "", [], {})}
        if items and all(isinstance(k, int) for k in items):
            return [items[k] for k in sorted(items)]
        return items
    if isinstance(value, str):
        return value.strip()
    return value


def form_to_mapping(nodes: list[Node], pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The nested mapping a YAML file would hold, from the posted ``a.b[0].c`` names.

    Names the form does not have are ignored, so a request cannot add keys the model does not know."""
    root: dict[Any, Any] = {}
    for name, value in pairs:
        path = _path(name)
        if path is None or not _known(nodes, path):
            continue
        here = root
        for part, _next in zip(path, path[1:]):
            here = here.setdefault(part, {})
            if not isinstance(here, dict):
                break
        else:
            here[path[-1]] = value
    out = _compact(root)
    return _coerce(nodes, out) if isinstance(out, dict) else {}


def _known(nodes: list[Node], path: list[str | int]) -> bool:
    node: Node | None = None
    current = nodes
    i = 0
    while i < len(path):
        part = path[i]
        if not isinstance(part, str):
            return False
        node = next((n for n in current if n.name == part), None)
        if node is None:
            return False
        i += 1
        if node.kind == "rows":
            if i >= len(path) or not isinstance(path[i], int):
                return False
            i += 1
            assert node.item is not None
            if node.item.kind == "group":
                current = node.item.children
                continue
            return i == len(path)
        if node.kind == "group":
            current = node.children
            continue
        return i == len(path)
    return False


def _coerce(nodes: list[Node], data: dict[str, Any]) -> dict[str, Any]:
    """Numbers and check boxes as the model wants them; anything unparsable is kept for the error."""
    out: dict[str, Any] = {}
    for node in nodes:
        if node.name not in data:
            continue
        value = data[node.name]
        if node.kind == "group" and isinstance(value, dict):
            value = _coerce(node.children, value)
        elif node.kind == "rows" and isinstance(value, list) and node.item is not None:
            if node.item.kind == "group":
                value = [_coerce(node.item.children, v) if isinstance(v, dict) else v for v in value]
        elif node.kind == "int" and isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,9}", value):
            value = int(value)
        elif node.kind == "bool":
            value = value in ("on", "true", "1", True)
        out[node.name] = value
    return out


# ---- any mapping (a YAML file, the type's example) → form values -----------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    return "" if value is None else str(value)


def to_form_values(nodes: list[Node], data: Any) -> dict[str, Any]:
    """A mapping keyed by English names, with Chinese keys, shorthand strings (``张三（社区主任）``) and
    dates turned into what the form's inputs show. What does not fit is left out, not guessed."""
    if not isinstance(data, dict):
        return {}
    out: dict[str, Any] = {}
    for node in nodes:
        raw = data.get(node.name, data.get(node.label)) if node.label != node.name else data.get(node.name)
        if raw is None:
            continue
        value = _value(node, raw)
        if value not in (None, "", [], {}):
            out[node.name] = value
    return out


def _value(node: Node, raw: Any) -> Any:
    if node.kind == "group":
        if node.model is not None and (isinstance(raw, dict) or (isinstance(raw, str) and accepts_text(node.model))):
            # The model's own reading of shorthand (张三（社区主任）, a catalogue entry's Chinese name)
            # gives the values the form's inputs and selects hold; what does not validate is shown as written.
            try:
                raw = node.model.model_validate(raw).model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            except ValidationError:
                if isinstance(raw, str):
                    return {}
        return to_form_values(node.children, raw)
    if node.kind == "rows":
        assert node.item is not None
        if isinstance(raw, (str, dict)) and not (isinstance(raw, str) and node.item.kind == "group"):
            raw = [p for p in re.split(r"[、，,；;\n]+", raw) if p.strip()] if isinstance(raw, str) else [raw]
        elif isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            return []
        return [v for v in (_value(node.item, r) for r in raw) if v not in (None, "", {}, [])]
    if isinstance(raw, (dict, list)):
        return None
    return _plain(raw)


def form_name(loc: tuple[Any, ...]) -> str:
    """The form's name of a place in the mapping: ("leadership", "deputies", 0, "post") → leadership.deputies[0].post."""
    return FieldPath(tuple(p if isinstance(p, int) else str(p) for p in loc)).form_name()


def problem_path(field: str) -> str:
    """A problem's field (``dates.phases[2].end``, ``theme（主题）``, ``主题（theme）``) as the form names it: rows count
    from 0 in the form and from 1 in messages."""
    # a missing key is shown with both spellings, the reader's language first: theme（主题） or 主题（theme）
    field = re.sub(r"([^.\[\]（]+)（([^）]*)）$",
                   lambda m: m.group(2) if re.fullmatch(r"[A-Za-z_]\w*", m.group(2)) else m.group(1), field)
    return FieldPath.parse(field).form_name()


def label_of(nodes: list[Node], path: str) -> str:
    """The Chinese name of a form path, as staff know the field: ``领导小组 › 副组长 2 › 姓名``."""
    parts = _path(path) if path else None
    if not parts:
        return ""
    words: list[str] = []
    current: list[Node] = nodes
    node: Node | None = None
    for part in parts:
        if isinstance(part, int):
            if words:
                words[-1] += f" {part + 1}"
            if node is not None and node.item is not None:
                current = node.item.children
            continue
        node = next((n for n in current if n.name == part), None)
        if node is None:
            words.append(part)
            current = []
            continue
        words.append(node.label)
        current = node.children
    return " › ".join(words)


def named_fields(nodes: list[Node], path: str, message: str) -> list[str]:
    """The fields under ``path`` (a group, or the whole form for "") whose Chinese names the message uses:
    成文日期 and 开始日期 (开始 in the group 日期) in “成文日期（…）比开始日期（…）早…”. Rows are not entered."""
    parts = _path(path) if path else []
    current = nodes
    for part in parts or []:
        node = next((n for n in current if n.name == part), None) if isinstance(part, str) else None
        if node is None or node.kind != "group":
            return []
        current = node.children
    found: list[str] = []

    def walk(children: list[Node], prefix: str, parent: str) -> None:
        for n in children:
            here = f"{prefix}.{n.name}" if prefix else n.name
            if n.kind == "group":
                walk(n.children, here, n.label)
            elif n.kind not in ("rows", "bool") and len(n.label) >= 2 and (n.label in message or (parent and n.label + parent in message)):
                found.append(here)

    walk(current, path, "")
    return found
