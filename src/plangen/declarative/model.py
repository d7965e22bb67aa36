"""The pydantic input model of a declarative plan type, built from its ``plantype.yaml`` fields.

The model is a :class:`~plangen.PlanInput` like a Python plugin's, so the shared fields (单位, 日期,
领导小组, 联系人 …), the Chinese keys, the checks on text and dates and the error messages are the
same for both.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import create_model

from plangen.declarative.spec import FieldSpec, TypeSpec
from plangen.inputs.common import Person, PlanInput
from plangen.inputs.fields import Day, InputModel, Line, Para, Year, zh

_SIMPLE: dict[str, Any] = {"text": Line, "long text": Para, "date": Day, "number": int, "year": Year,
                           "list": list[Line], "person": Person, "people": list[Person]}


def _annotation(spec: TypeSpec, f: FieldSpec) -> Any:
    if f.kind == "choice":
        return Literal[f.choices]
    if f.kind == "table":
        cls = "".join(p.capitalize() for p in spec.name.split("-")) + "".join(p.capitalize() for p in f.key.split("_")) + "Row"
        row = create_model(cls, __base__=InputModel, __module__=__name__,
                           **{c.key: (Line | None, zh(c.label, None)) for c in f.columns})  # type: ignore[call-overload]
        return list[row]
    return _SIMPLE[f.kind]


def _field(spec: TypeSpec, f: FieldSpec) -> tuple[Any, Any]:
    annotation = _annotation(spec, f)
    if f.kind in ("list", "people", "table"):
        if f.default is not None:
            return annotation, zh(f.label, default=f.default, description=f.help)
        extra: dict[str, Any] = {"min_length": 1} if f.required else {}
        return annotation, zh(f.label, default_factory=list, description=f.help, **extra)
    if f.count_from is not None or (not f.required and f.default is None):
        return annotation | None, zh(f.label, None, description=f.help)
    if f.default is not None:
        return annotation, zh(f.label, f.default, description=f.help)
    return annotation, zh(f.label, description=f.help)


def build_model(spec: TypeSpec) -> type[PlanInput]:
    """A ``PlanInput`` subclass with one field per declared field, in order."""
    cls = "".join(p.capitalize() for p in spec.name.split("-"))
    fields = {f.key: _field(spec, f) for f in spec.fields}
    model: type[PlanInput] = create_model(cls, __base__=PlanInput, __module__=__name__, __doc__=spec.title, **fields)  # type: ignore[call-overload]
    return model


def context_for(spec: TypeSpec) -> Any:
    """``PlanType.context``: an edition left out is counted from the year (第N个…)."""
    counted = [f for f in spec.fields if f.count_from is not None]

    def context(plan: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        year = getattr(plan, "year", None) or plan.dates.start.year
        for f in counted:
            if getattr(plan, f.key) is None:
                out[f.key] = int(year) - int(f.count_from or 0) + 1
        return out

    return context


