"""JSON Schema of a plan type's input, for editor completion (VS Code's YAML extension, etc.).

pydantic describes English keys; every Chinese alias is added as an equal property, and "required"
accepts either spelling, so a file written in Chinese keys validates in the editor too.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from plangen.plugins.plantype import PlanType


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_models_in(arg))
    return out


def _add_chinese(node: dict[str, Any], model: type[BaseModel]) -> None:
    props = node.get("properties", {})
    required = node.pop("required", [])
    either: list[dict[str, Any]] = []
    for field, info in model.model_fields.items():
        if info.alias and field in props:
            props[info.alias] = props[field]
        if field in required:
            keys = [field] + ([info.alias] if info.alias else [])
            either.append({"anyOf": [{"required": [k]} for k in keys]} if len(keys) > 1 else {"required": keys})
    if either:
        node["allOf"] = either


def input_schema(plan_type: PlanType) -> dict[str, Any]:
    model = plan_type.model
    schema = model.model_json_schema(by_alias=False, mode="validation")
    defs = schema.get("$defs", {})
    classes: dict[str, type[BaseModel]] = {}

    def collect(m: type[BaseModel]) -> None:
        if m.__name__ in classes:
            return
        classes[m.__name__] = m
        for info in m.model_fields.values():
            for inner in _models_in(info.annotation):
                collect(inner)

    collect(model)
    for name, node in defs.items():
        if name in classes:
            _add_chinese(node, classes[name])
    _add_chinese(schema, model)
    names = list(plan_type.names())
    schema["properties"] = {
        "type": {"enum": names, "description": "方案类型"},
        "类型": {"enum": names, "description": "方案类型"},
        "fonts": {"description": "字体方案：gb、windows 或自定义", "anyOf": [{"enum": ["gb", "windows"]}, {"type": "object"}]},
        "字体": {"$ref": "#/properties/fonts"},
        **schema.get("properties", {}),
    }
    schema.setdefault("allOf", []).append({"anyOf": [{"required": ["type"]}, {"required": ["类型"]}]})
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{plan_type.title} ({plan_type.name})"
    return schema
