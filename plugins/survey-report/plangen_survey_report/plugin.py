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
    targets = report.targets
    return {
        "area": report.area,
        "leadership_text": leadership_text(report),
        "targets_text": targets_text(report) if targets else "",
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
            # the gap is stated under problems (工作机制) when that item is there with its standard text
            "gap_stated": any(p.kind == "mechanism" and not p.title and not p.detail for p in report.problems),
            "staff_short": [c for c in rows if targets and targets.staff is not None and c.staff < targets.staff],
        },
    }


def leadership_text(report: SurveyReport) -> str:
    """The organisational recommendation, addressed to the party organ of the reporting unit's level:
    a town names a 镇党委副书记, a street a 街道党工委副书记, a county a 县委、县政府 leader."""
    unit = report.unit
    words = unit.words
    if unit.tier == "county":
        who = f"{words.leaders}明确一名负责同志分管社区工作，{unit.level}民政部门具体承办"
        office = f"{unit.level}社区建设领导小组办公室"
    elif unit.tier == "town":
        who = f"由{words.party}一名副书记专职分管社区工作"
        office = f"{unit.level}机关社区工作办公室" if unit.level != "街道" else "街道社区工作办公室"
    else:
        who = f"由{words.party}书记牵头、一名副书记具体负责社区建设工作"
        office = words.government
    return (
        f"把社区建设摆上重要议事日程，定期研究解决社区建设中的新情况新问题。建议{who}，集中精力、专司其职，"
        f"统筹协调各方力量；{office}要配备专人负责日常工作，做到职能明确、责任到人，从组织领导上为社区建设提供保证。"
    )


def targets_text(report: SurveyReport) -> str:
    """到2026年，每个社区配备正式人员4名、聘用人员3名，大专以上学历人员比例达到80%，平均年龄控制在45岁以内，党团员比例达到50%。"""
    t = report.targets
    assert t is not None
    staffing = []
    if t.staff is not None:
        staffing.append(f"正式人员{t.staff}名")
    if t.hired is not None:
        staffing.append(f"聘用人员{t.hired}名")
    parts = [f"每个社区配备{'、'.join(staffing)}"] if staffing else []
    if t.college_share is not None:
        parts.append(f"大专以上学历人员比例达到{figure(t.college_share, 1)}%")
    if t.average_age is not None:
        parts.append(f"平均年龄控制在{t.average_age}岁以内")
    if t.party_share is not None:
        parts.append(f"党团员比例达到{figure(t.party_share, 1)}%")
    return f"到{t.year}年，{'，'.join(parts)}。"


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
