"""A second plan type named hygiene-month: the built-in one, loaded first, keeps the name."""

from pathlib import Path
from typing import Any

from plangen import Line, PlanInput, PlanType, hookimpl, zh


class Copy(PlanInput):
    note: Line = zh("要点")


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    folder = Path(__file__).parent.parent / "pilot_templates"
    register(PlanType(name="hygiene-month", title="仿冒卫生月方案", model=Copy, template="pilot.md.j2",
                      templates_dir=folder, example="type: hygiene-month\n"))
