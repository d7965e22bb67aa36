"""survey-report — 社区建设调研报告: the plan type, the facts worked out for it, and two hooks.

``plangen_register_plan_types`` registers the document type; ``plangen_prepare_jinja`` adds the
``figure`` filter that prints 12.5 and 20 rather than 12.50 and 20.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plangen import PlanType, hookimpl

from plangen_survey_report.model import Community, SurveyReport

if TYPE_CHECKING:
    import jinja2


def figure(value: float | int, digits: int = 2) -> str:
    """A figure as a report prints it: at most ``digits`` decimals, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def _total(values: list[float]) -> float:
    return round(sum(values), 2)


def context(report: SurveyReport) -> dict[str, Any]:
    """Totals and averages for the text and the table, and who falls below the space standard."""
    rows: list[Community] = list(report.communities)
    count = len(rows)
    below = [c for c in rows if c.office < report.standard]
    staff = sum(c.staff for c in rows)
    hired = sum(c.hired for c in rows)
    office = _total([c.office for c in rows])
    funding = _total([c.funding for c in rows])
    gap = round(report.finance.needed - report.finance.granted, 2) if report.finance else 0.0
    return {
        "area": report.area,
        "figures": {
            "count": count,
            "staff": staff,
            "hired": hired,
            "people": staff + hired,
            "people_avg": round((staff + hired) / count, 1),
            "office": office,
            "office_avg": round(office / count, 1),
            "funding": funding,
            "funding_avg": round(funding / count, 2),
            "meeting": count - len(below),
            "below": below,
            "below_share": round(100 * len(below) / count),
            "smallest": min(rows, key=lambda c: c.office),
            "gap": gap,
        },
    }


PLAN_TYPE = PlanType(
    name="survey-report",
    title="社区建设调研报告",
    model=SurveyReport,
    context=context,
    aliases=("调研报告", "社区建设调研报告"),
    description="社区建设调研报告：基本情况（数据表）、存在的问题、对策建议",
)


@hookimpl
def plangen_register_plan_types(register: Callable[[PlanType], None]) -> None:
    register(PLAN_TYPE)


@hookimpl
def plangen_prepare_jinja(environment: jinja2.Environment) -> None:
    environment.filters.setdefault("figure", figure)
