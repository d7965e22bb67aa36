"""Cross checks over the fields that are right, when others are wrong: every problem in one answer.

pydantic runs a model's after-validators only once every field is valid, so an empty 主题 would hide a
成文日期 after the period until the 主题 is filled in. When the fields fail, :func:`with_cross_checks`
validates each field that did not fail on its own, builds the model from those, runs every
:func:`plangen.inputs.fields.cross_check` that needs only them (a check that reads a failed field waits
for it) and adds what they find to the field errors.
"""

from __future__ import annotations

import weakref
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

_ADAPTERS: weakref.WeakKeyDictionary[type[BaseModel], dict[str, TypeAdapter[Any]]] = weakref.WeakKeyDictionary()
"""One validator per field of a model, made on the first failure that needs it (weak: reloaded plugins)."""


def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    own = _ADAPTERS.setdefault(model, {})
    if name not in own:
        info = model.model_fields[name]  # its type and constraints (not its key: the value is validated alone)
        kind: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        own[name] = TypeAdapter(kind)
    return own[name]


def _before(model: type[BaseModel], data: Any) -> Any:
    """``data`` as the model's fields see it: through its before-validators, the last defined first, as pydantic runs them."""
    befores = [d for d in model.__pydantic_decorators__.model_validators.values() if d.info.mode == "before"]
    for decorator in reversed(befores):
        data = getattr(model, decorator.cls_var_name)(data)
    return data


def _field_name(model: type[BaseModel], key: Any) -> str | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return None


def _partial(model: type[BaseModel], data: dict[str, Any], failed: set[str]) -> BaseModel:
    """The model built from the fields that validate on their own; the failed ones are left unset."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in failed:
            continue
        for key in (name, info.alias):
            if key is not None and key in data:
                try:
                    values[name] = _adapter(model, name).validate_python(data[key])
                except ValidationError:
                    failed.add(name)
                break
    instance = model.model_construct(**values)
    for name in failed:
        instance.__dict__.pop(name, None)  # a check reading it raises AttributeError and waits
    return instance


def with_cross_checks(model: type[BaseModel], data: Any, exc: ValidationError, checks: tuple[str, ...], found: Any) -> ValidationError | None:
    """``exc`` with the problems of the cross checks that can run without the failed fields, or None when
    none can or none finds anything (the field errors are then the whole answer).

    ``checks`` are the model's cross checks and ``found`` an empty :class:`plangen.inputs.fields.Problems`,
    both given by the caller, so this module does not import the one that imports it."""
    errors = exc.errors(include_url=False)
    if not checks or any(not e["loc"] for e in errors):
        return None
    try:  # the partial model is a best effort: whatever it cannot build leaves the field errors alone
        prepared = _before(model, data)
        if not isinstance(prepared, dict):
            return None
        failed = {n for n in (_field_name(model, e["loc"][0]) for e in errors) if n is not None}
        instance = _partial(model, prepared, failed)
    except Exception:
        return None
    for name in checks:
        try:
            with found.at():
                getattr(instance, name)()
        except Exception:  # the check needs a field that is wrong (AttributeError) or not yet sound
            continue
    if not found.items:
        return None
    details: list[Any] = [{"type": e["type"], "loc": e["loc"], "input": e["input"], **({"ctx": e["ctx"]} if "ctx" in e else {})}
                          for e in errors]
    details.append({"type": "value_error", "loc": (), "input": data, "ctx": {"error": found}})
    try:
        return ValidationError.from_exception_data(exc.title, details)
    except Exception:
        return None
