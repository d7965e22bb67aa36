"""A plan type that never prints a 领导小组 and leaves the shared block out (PlanType.omits)."""

from pathlib import Path
from typing import Any

from plangen import Line, PlanInput, PlanType, hookimpl, zh

TEMPLATES = Path(__file__).parent / "quiet_templates"


class Quiet(PlanInput):
    note: Line = zh("要点")


PLAN_TYPE = PlanType(name="quiet", title="静默工作方案", model=Quiet, omits=("leadership",), templates_dir=TEMPLATES)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)
