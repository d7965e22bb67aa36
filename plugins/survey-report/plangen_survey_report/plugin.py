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
        # who has led the work so far: a department names the government it serves, not its own team
        "leaders": report.unit.words.leaders if report.unit.tier not in ("department", "other")
        else f"{report.unit.seat}委、{report.unit.seat}政府",
        "space_status": space_status(count, len(below), report.standard),
        "space_subject": share_word(len(below), count),
        "finance_status": finance_status(report, gap, stated_later=_gap_stated(report) or _gap_recommended(report)),
        "profile_status": profile_status(report),
        "staff_claim": staff_claim(report),
        "ordinals": ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"],
        "team": (report.leadership.name if report.leadership and report.leadership.name else "调研组"),
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
            "gap_stated": _gap_stated(report),
            "staff_short": [c for c in rows if targets and targets.staff is not None and c.staff < targets.staff],
        },
    }


def share_word(part: int, whole: int) -> str:
    """Who, of the surveyed communities: 各社区 (all), 多数社区 (more than half), 部分社区, 该社区 (one of one)."""
    if whole == 1 and part == 1:
        return "该社区"
    if part == whole:
        return "各社区"
    return "多数社区" if part * 2 > whole else "部分社区"


def space_status(count: int, below: int, standard: float) -> str:
    """How many meet the space standard, in words for none, all, or some."""
    std = figure(standard)
    if below == 0:
        return f"{'该社区' if count == 1 else '各社区'}用房面积均达到{std}平方米的标准"
    if below == count:
        return f"{'该社区' if count == 1 else '各社区'}用房面积均未达到{std}平方米的标准"
    return f"达到{std}平方米标准的有{count - below}个，未达到的有{below}个"


def _gap_stated(report: SurveyReport) -> bool:
    """The shortfall is stated under problems (工作机制 with its standard text)."""
    return any(p.kind == "mechanism" and not p.title and not p.detail for p in report.problems)


def _gap_recommended(report: SurveyReport) -> bool:
    return any(r.kind == "mechanism" and not r.title and not r.detail for r in report.recommendations)


def finance_status(report: SurveyReport, gap: float, *, stated_later: bool) -> str:
    """The staff money, said once: a shortfall the problems or recommendations state is left to them
    (the figures given only when the problems do not give them); a subsidy at or above the need is
    called covered, never 不够稳定."""
    if report.finance is None or (gap > 0 and _gap_stated(report)):
        return ""
    needed, granted = figure(report.finance.needed), figure(report.finance.granted)
    head = f"社区工作人员年需经费{needed}万元，上级财政每年补助{granted}万元"
    if gap > 0:
        return f"{head}。" if stated_later else f"{head}，缺口{figure(gap)}万元。"
    if gap == 0:
        return f"{head}，与年需经费持平。"
    return f"{head}，高于年需经费{figure(-gap)}万元，人员经费有保障。"


def profile_status(report: SurveyReport) -> str:
    """Average age and the college share, each only when given."""
    p = report.staff_profile
    if p is None:
        return ""
    parts = []
    if p.average_age is not None:
        parts.append(f"社区工作人员平均年龄{p.average_age}岁")
    if p.college_share is not None:
        parts.append(f"{'' if parts else '社区工作人员中'}大专以上学历的占{figure(p.college_share, 1)}%")
    return "，".join(parts) + "。" if parts else ""


OLD_AGE = 45
"""An average age from which a report calls the staff 年龄偏大."""
LOW_COLLEGE = 50
"""A college share below which a report calls the staff 学历层次偏低."""


def staff_claim(report: SurveyReport) -> str:
    """What the staff figures show, claimed only from figures given: 从前述年龄结构看，人员年龄偏大，…"""
    p = report.staff_profile
    age = p.average_age if p else None
    college = p.college_share if p else None
    given = [w for w, v in (("年龄", age), ("学历", college)) if v is not None]
    weak = []
    if age is not None and age >= OLD_AGE:
        weak.append("人员年龄偏大")
    if college is not None and college < LOW_COLLEGE:
        weak.append("学历层次偏低、知识结构老化")
    lead = f"从前述{'和'.join(given)}结构看，" if given else ""
    if given and not weak:
        return f"{lead}队伍结构总体合理，但部分人员运用信息化手段开展服务的能力不强；"
    return f"{lead}{'，'.join(weak)}{'，' if weak else '部分人员'}运用信息化手段开展服务的能力不强；"


def leadership_text(report: SurveyReport) -> str:
    """The organisational recommendation, addressed to the party organ of the reporting unit's level:
    a town names a 镇党委副书记, a street a 街道党工委副书记, a county a 县委、县政府 leader."""
    unit = report.unit
    words = unit.words
    if unit.tier in ("county", "department", "other"):
        # a department recommends to the government it serves (县民政局 → 县委、县政府)
        level = unit.level if unit.tier == "county" else unit.seat
        leaders = words.leaders if unit.tier == "county" else f"{level}委、{level}政府"
        who = f"{leaders}明确一名负责同志分管社区工作，{level}民政部门具体承办"
        office = f"{level}社区建设领导小组办公室"
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
