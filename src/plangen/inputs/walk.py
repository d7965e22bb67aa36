"""One walk over a plan type's pydantic model, for everything that reads a model's shape.

The web form, the roster's column matching, the JSON Schema, the input reader's list of keys, the
error messages and the example checks all need the same facts about each field: where it is
(:class:`~plangen.inputs.paths.FieldPath`), its Chinese key, its type with ``Optional`` and
``Annotated`` taken off, and the model below it. They get them here, as :class:`Spot`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from plangen.inputs.paths import FieldPath, PathPart

_LISTS = (list, tuple, set, frozenset)
TOP = FieldPath()
"""The path of the walked model itself."""


def is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def unwrap(annotation: Any) -> Any:
    """``X | None`` → X and ``Annotated[X, …]`` → X, however nested (a union of two types stays as it is)."""
    return peel(annotation)[0]


def peel(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under ``Optional`` and ``Annotated``, and the ``Annotated`` metadata met on the way (a
    ``Field(...)``'s own constraints flattened in), for what reads bounds such as ``MaxLen``."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, meta
            annotation = args[0]
        elif origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for m in extra:
                meta.append(m)
                if isinstance(m, FieldInfo):
                    meta.extend(m.metadata)
        else:
            return annotation, meta


def is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) in _LISTS


def list_item(annotation: Any) -> Any:
    """What one item of a list type is (unwrapped); ``Any`` when the list does not say."""
    args = typing.get_args(annotation)
    return unwrap(args[0]) if args else Any


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every model an annotation holds: itself, a list's items, each side of a union, ``Annotated``'s base."""
    if is_model(annotation):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) or () for m in models_in(arg)]


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The first model an annotation holds, or None."""
    found = models_in(annotation)
    return found[0] if found else None


@dataclass(frozen=True)
class Spot:
    """One field of a model where the walk met it."""

    owner: type[BaseModel]
    name: str
    info: FieldInfo
    path: FieldPath
    """From the walked model down to this field, English names and 0-based positions."""
    labels: tuple[str, ...]
    """The Chinese keys along the path, this field's last (its name where it has no Chinese key)."""

    @property
    def label(self) -> str:
        """The Chinese key a clerk types and reads (the English name where there is none)."""
        return self.labels[-1]

    @property
    def annotation(self) -> Any:
        """The field's type with ``Optional`` and ``Annotated`` taken off."""
        return unwrap(self.info.annotation)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys an input may give it under: the English name, and the Chinese key if any."""
        return (self.name, self.info.alias) if self.info.alias else (self.name,)

    @property
    def left_out(self) -> bool:
        """A shared block the plan type leaves out (``leadership: None``): no value, no form field."""
        return self.info.annotation is type(None)

    @property
    def model(self) -> type[BaseModel] | None:
        """The model below: the field's own type, or a list's item type, when that is a model."""
        annotation = self.annotation
        if is_model(annotation):
            return annotation
        item = list_item(annotation) if is_list(annotation) else None
        return item if is_model(item) else None


def fields(model: type[BaseModel], at: FieldPath = TOP, labels: tuple[str, ...] = ()) -> Iterator[Spot]:
    """The fields of one model, in declaration order, placed under ``at``."""
    for name, info in model.model_fields.items():
        yield Spot(model, name, info, at / name, (*labels, info.alias or name))


def walk(model: type[BaseModel], *, enter: Callable[[Spot], bool] | None = None) -> Iterator[Spot]:
    """Every field of ``model`` and, depth first, of the models below it (not into lists: a list's
    items have no path until there is a value). ``enter`` says which nested models to walk into."""
    stack: list[Iterator[Spot]] = [fields(model)]
    while stack:
        spot = next(stack[-1], None)
        if spot is None:
            stack.pop()
            continue
        yield spot
        inner = spot.annotation
        if is_model(inner) and (enter is None or enter(spot)):
            stack.append(fields(inner, spot.path, spot.labels))


def models_below(*models: type[BaseModel]) -> list[type[BaseModel]]:
    """Each model class reachable from ``models`` (these first), once, depth first in declaration order."""
    seen: dict[type[BaseModel], None] = {}

    def visit(current: type[BaseModel]) -> None:
        if current in seen:
            return
        seen[current] = None
        for info in current.model_fields.values():
            for inner in models_in(info.annotation):
                visit(inner)

    for model in models:
        visit(model)
    return list(seen)


def key_names(model: type[BaseModel]) -> dict[str, str]:
    """Every accepted key of a model (English and Chinese) mapped to its English field name."""
    names: dict[str, str] = {}
    for name, info in model.model_fields.items():
        names[name] = name
        if info.alias:
            names[info.alias] = name
    return names


def field_named(model: type[BaseModel], key: str, at: FieldPath = TOP) -> Spot | None:
    """The field an input names ``key`` (its English name or its Chinese key), or None."""
    name = key_names(model).get(key)
    if name is None:
        return None
    info = model.model_fields[name]
    return Spot(model, name, info, at / name, (info.alias or name,))


def steps(model: type[BaseModel], path: Iterable[PathPart]) -> Iterator[tuple[PathPart, Spot | None]]:
    """Each part of ``path`` the model knows, as (field name, its spot) or (0-based position, None);
    Chinese keys are read as their field. Ends quietly at the first part the model does not have."""
    current: Any = model
    at = TOP
    for part in path:
        if isinstance(part, int):
            yield part, None
            at = at / part
            current = list_item(current) if is_list(current) else Any
            continue
        if not is_model(current):
            return
        spot = field_named(current, part, at)
        if spot is None:
            return
        yield spot.name, spot
        at = spot.path
        current = spot.annotation
