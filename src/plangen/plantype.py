"""The typed object through which a plugin registers a plan type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plangen.inputs.common import PlanInput


@dataclass(frozen=True)
class PlanType:
    """Everything the core needs to know about a plan type; the core never names one itself.

    ``context`` returns extra template variables worked out from the input (edition numbers, a
    calendar…); the validated input itself is always available as ``plan`` and by its field names.
    """

    name: str
    """Machine name used after ``type:`` and on the command line, e.g. ``hygiene-month``."""
    title: str
    """Chinese name of the document kind, e.g. 爱国卫生月活动方案; also used in file names."""
    model: type[PlanInput]
    template: str
    """Main template, looked up by name in the template folders (user folder first)."""
    templates_dir: Path | None = None
    example: str = ""
    """A commented YAML input that validates and generates as it is (``plangen new``)."""
    context: Callable[[Any], dict[str, Any]] | None = None
    aliases: tuple[str, ...] = ()
    """Other names accepted after ``type:`` (Chinese names such as 爱国卫生月)."""
    description: str = ""
    roster_columns: dict[str, str] = field(default_factory=dict)
    """Default mapping of a roster's own column headers to field paths, for ``plangen batch``."""
    plugin: str = ""
    """Filled in by the plugin manager: which plugin registered this type."""

    def names(self) -> tuple[str, ...]:
        return (self.name, self.title, *self.aliases)
