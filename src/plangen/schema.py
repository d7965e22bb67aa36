"""JSON Schema of a plan type's input, for editor completion (VS Code's YAML extension, etc.).

pydantic describes English keys; every Chinese alias is added as an equal property, and "required"
accepts either spelling, so a file written in Chinese keys validates in the editor too.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from plangen.inputs.envelope import COLUMN_KEYS, ENVELOPE, FONT_KEYS, TYPE_KEYS
from plangen.inputs.fields import accepts_text
from plangen.inputs.walk import fields, models_below
from plangen.plugins.plantype import PlanType

_FIELD_PATHS = {"type": "string", "minLength": 1}


_HAN = re.compile("[\u4e00-\u9fff]")


_ENGLISH_WORDS = re.compile(r"[A-Za-z]+['’]?[a-z]*[ ,]+[A-Za-z]+['’]?[a-z]*[ ,]+[A-Za-z]+")


def _only_chinese_words(node: Any) -> None:
    """The titles pydantic makes from class and field names (Title, Number) and the class docstrings
    (written for maintainers, in English) are dropped: what an editor shows a clerk on hover is the
    Chinese key and description that each property carries."""
    if isinstance(node, dict):
        title = node.get("title")
        if isinstance(title, str) and not _HAN.search(title):
            del node["title"]
        description = node.get("description")
        if isinstance(description, str) and _ENGLISH_WORDS.search(description):
            del node["description"]
        for value in node.values():
            _only_chinese_words(value)
    elif isinstance(node, list):
        for value in node:
            _only_chinese_words(value)


def _envelope_properties(names: list[str]) -> dict[str, Any]:
    """The envelope keys (plangen.inputs.envelope), each under both spellings; the body forbids unknown keys."""
    english: dict[str, dict[str, Any]] = {
        TYPE_KEYS[0]: {"enum": names, "description": "方案类型"},
        FONT_KEYS[0]: {"description": "字体方案：gb、windows 或自定义", "anyOf": [{"enum": ["gb", "windows"]}, {"type": "object"}]},
        COLUMN_KEYS[0]: {
            "description": "列映射：plangen batch 花名册的列填写哪些字段（列名: 字段路径、路径列表，或 ~ 忽略该列）",
            "type": ["object", "null"],
            "additionalProperties": {"anyOf": [
                _FIELD_PATHS, {"type": "array", "items": _FIELD_PATHS, "minItems": 1},
                {"type": "null"}, {"const": False}, {"const": ""},
            ]},
        },
    }
    props: dict[str, Any] = {}
    for keys in ENVELOPE:
        props[keys[0]] = {"title": keys[1], **english[keys[0]]}
        for other in keys[1:]:
            props[other] = {"$ref": f"#/properties/{keys[0]}"}
    return props


def _add_chinese(node: dict[str, Any], model: type[BaseModel]) -> None:
    props = node.get("properties", {})
    required = node.pop("required", [])
    either: list[dict[str, Any]] = []
    for spot in fields(model):
        field, info = spot.name, spot.info
        if info.alias and field in props:
            # an editor shows the title and description on hover: the Chinese key a clerk types, and what it is
            props[field] = {**props[field], "title": info.alias}
            props[field].setdefault("description", info.description or info.alias)
            props[info.alias] = props[field]
        if field in required:
            keys = list(spot.keys)
            either.append({"anyOf": [{"required": [k]} for k in keys]} if len(keys) > 1 else {"required": keys})
    if either:
        node["allOf"] = either


_SHORTHAND_MODES = ("before", "wrap", "plain")
_TEXT = {"type": "string"}


def _shorthand_fields(model: type[BaseModel]) -> set[str]:
    """Fields whose validator runs before the type check: they also take a string (第三届, 丁燕、冯军, 1至2)."""
    out: set[str] = set()
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if decorator.info.mode in _SHORTHAND_MODES:
            fields = decorator.info.fields
            out.update(model.model_fields if "*" in fields else fields)
    return out


def _completes_input(model: type[BaseModel]) -> bool:
    """A model-level validator that rewrites a mapping may fill fields (default dates, phase names)."""
    before = any(d.info.mode in _SHORTHAND_MODES for d in model.__pydantic_decorators__.model_validators.values())
    return before and not accepts_text(model)


def _relax(node: dict[str, Any], model: type[BaseModel], *, optional: bool) -> None:
    """Accept what the validators accept, so the schema never rejects an input plangen takes."""
    props = node.get("properties", {})
    # a model that takes a string also rewrites its mappings (a catalogue entry takes kind: 文化建设 by name)
    shorthand = set(model.model_fields) if accepts_text(model) else _shorthand_fields(model)
    for name in shorthand:
        if name in props:
            props[name] = {"anyOf": [props[name], _TEXT]}
    if optional:
        node.pop("required", None)


def input_schema(plan_type: PlanType) -> dict[str, Any]:
    model = plan_type.model
    schema = model.model_json_schema(by_alias=False, mode="validation")
    defs = schema.get("$defs", {})
    classes: dict[str, type[BaseModel]] = {}
    for m in models_below(model):
        classes.setdefault(m.__name__, m)
    # models below one that completes its input: their required fields may be filled
    optional = {below.__name__ for m in classes.values() if _completes_input(m) for below in models_below(m)}
    for name, node in defs.items():
        if name in classes:
            _relax(node, classes[name], optional=name in optional)
            _add_chinese(node, classes[name])
            if accepts_text(classes[name]):
                defs[name] = {"anyOf": [node, _TEXT]}
    _relax(schema, model, optional=False)  # the top level keeps its required keys; see below
    _add_chinese(schema, model)
    names = list(plan_type.names())
    schema["properties"] = {**_envelope_properties(names), **schema.get("properties", {})}
    schema.setdefault("allOf", []).append({"anyOf": [{"required": [k]} for k in TYPE_KEYS]})
    for keys in ENVELOPE:  # one spelling or the other, as the input reader insists
        schema["allOf"].append({"not": {"required": list(keys)}})
    _only_chinese_words(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{plan_type.title} ({plan_type.name})"
    return schema
