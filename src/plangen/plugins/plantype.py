"""The typed object through which a plugin registers a plan type."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from plangen.inputs.common import PlanInput

OMITTABLE = ("leadership", "basis", "issuer", "contact")
"""Shared blocks of :class:`PlanInput` a plan type may leave out (``PlanType(omits=…)``)."""


def without_fields(model: type[PlanInput], names: tuple[str, ...]) -> type[PlanInput]:
    """A subclass of ``model`` that has no field ``names``: the web form, the JSON Schema, the example
    roster and validation then neither show nor take them (an input that gives one is told the key is
    unknown), and ``plan.<name>`` reads None, so the shared properties keep working."""
    gone = [name for name in names if name in OMITTABLE and name in model.model_fields]
    if not gone:
        return model
    narrowed = cast("type[PlanInput]", type(model.__name__, (model,), {
        "__module__": model.__module__, "__qualname__": model.__qualname__, "__doc__": model.__doc__}))
    for name in gone:
        del narrowed.__pydantic_fields__[name]
        setattr(narrowed, name, None)
    return narrowed


def _folder_of(model: type[Any]) -> Path | None:
    """The folder of the module that defines ``model``: a plan type's folder, by convention."""
    module = sys.modules.get(model.__module__)
    file = getattr(module, "__file__", None)
    return Path(file).resolve().parent if file else None


@dataclass(frozen=True)
class PlanType:
    """Everything the core needs to know about a plan type; the core never names one itself.

    Found by convention, as datasette finds a plugin's ``templates/``: the template
    ``templates/NAME.md.j2`` and the example ``templates/NAME.example.yaml`` beside the module that
    defines ``model``. Give ``template``, ``templates_dir`` or ``example`` only to depart from that.

    ``context`` returns extra template variables worked out from the input (edition numbers, a
    calendar…); the validated input itself is always available as ``plan`` and by its field names.
    """

    name: str
    """Machine name used after ``type:`` and on the command line, e.g. ``hygiene-month``."""
    title: str
    """Chinese name of the document kind, e.g. 爱国卫生月活动方案; also used in file names."""
    model: type[PlanInput]
    template: str = ""
    """Main template, looked up by name in the template folders (user folder first); default ``NAME.md.j2``."""
    templates_dir: Path | None = None
    """Default: the ``templates/`` folder beside the module that defines ``model``."""
    example: str = ""
    """A commented YAML input that validates and generates as it is (``plangen new``); default: the
    file ``NAME.example.yaml`` in ``templates_dir``."""
    context: Callable[[Any], dict[str, Any]] | None = None
    aliases: tuple[str, ...] = ()
    """Other names accepted after ``type:`` (Chinese names such as 爱国卫生月)."""
    description: str = ""
    roster_columns: dict[str, str] = field(default_factory=dict)
    """Default mapping of a roster's own column headers to field paths, for ``plangen batch``."""
    omits: tuple[str, ...] = ()
    """Shared blocks this plan type never prints, by field name (``("leadership",)`` for a plan with
    no 领导小组): left out of its input, form and schema. One of :data:`OMITTABLE`."""
    plugin: str = ""
    """Filled in by the plugin manager: which plugin registered this type."""

    def __post_init__(self) -> None:
        if self.omits:
            object.__setattr__(self, "omits", tuple(self.omits))
            object.__setattr__(self, "model", without_fields(self.model, self.omits))
        if not self.template:
            object.__setattr__(self, "template", f"{self.name}.md.j2")
        if self.templates_dir is None:
            folder = _folder_of(self.model)
            if folder is not None and (folder / "templates").is_dir():
                object.__setattr__(self, "templates_dir", folder / "templates")
        if not self.example and self.templates_dir is not None:
            path = Path(self.templates_dir) / f"{self.name}.example.yaml"
            if path.is_file():
                object.__setattr__(self, "example", path.read_text(encoding="utf-8"))

    def names(self) -> tuple[str, ...]:
        return (self.name, self.title, *self.aliases)
