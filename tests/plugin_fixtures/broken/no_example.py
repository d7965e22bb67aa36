"""A plan type with its template but without its example: `plangen new` would print nothing."""

from pathlib import Path
from typing import Any

from plangen import Line, PlanInput, PlanType, hookimpl, zh


class NoExample(PlanInput):
    note: Line = zh("要点")


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    folder = Path(__file__).parent.parent / "pilot_templates"
    register(PlanType(name="no-example", title="缺例方案", model=NoExample, template="pilot.md.j2", templates_dir=folder))
