"""A plan type whose fields a clerk could not use: one without a Chinese label, one keyed 联系人 beside
the shared contact, one named like the template variable ``plan``."""

from pathlib import Path
from typing import Any

from pydantic import Field

from plangen import Line, PlanInput, PlanType, hookimpl, zh


class BadFields(PlanInput):
    note: Line = Field("要点")
    liaison: Line = zh("联系人", "")
    plan: Line = zh("计划", "")


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    folder = Path(__file__).parent.parent / "pilot_templates"
    register(PlanType(name="bad-fields", title="字段有误方案", model=BadFields, template="pilot.md.j2",
                      templates_dir=folder, example="type: bad-fields\n"))
