"""hygiene-month — 爱国卫生月活动方案.

Works out the edition ("第N个爱国卫生月": April 1989 was the first), the April period and three
default phases, and a catalogue of the usual tasks with the departments that usually carry them at
county, town and community level.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import field_validator, model_validator

from plangen import Day, get_key, hookimpl, InputModel, key_of, Line, Name, Para, Phase, phases_evenly, PlanInput, PlanType, Year, zh
from plangen_plans.shared import year_of, ROSTER_COLUMNS, catalogue_entry, unquote

FIRST_YEAR = 1989  # the first 爱国卫生月 was April 1989

TaskKind = Literal["publicity", "environment", "health", "vectors", "tobacco", "waste"]
TASK_NAMES: dict[str, str] = {
    "publicity": "爱国卫生宣传",
    "environment": "城乡环境卫生整洁行动",
    "health": "全民健身和健康教育",
    "vectors": "病媒生物防制",
    "tobacco": "控烟宣传",
    "waste": "生活垃圾分类",
}
_BY_CHINESE = {
    "宣传": "publicity", "爱国卫生宣传": "publicity",
    "环境整治": "environment", "环境卫生": "environment", "城乡环境卫生整洁": "environment", "城乡环境卫生整洁行动": "environment",
    "健康教育": "health", "全民健身": "health", "全民健身和健康教育": "health",
    "病媒生物防制": "vectors", "除四害": "vectors", "病媒防制": "vectors",
    "控烟": "tobacco", "控烟宣传": "tobacco",
    "垃圾分类": "waste", "生活垃圾分类": "waste",
}

# Who usually carries each task, by the tier of the issuing unit; the user's list replaces these.
DEFAULT_DEPARTMENTS: dict[str, dict[str, list[str]]] = {
    "county": {
        "publicity": ["县委宣传部", "县卫生健康局", "县融媒体中心"],
        "environment": ["县住房和城乡建设局", "县城市管理局", "各乡镇人民政府", "各街道办事处"],
        "health": ["县卫生健康局", "县文化和旅游体育局", "县教育局"],
        "vectors": ["县疾病预防控制中心", "县爱卫办", "各乡镇人民政府", "各街道办事处"],
        "tobacco": ["县卫生健康局", "县市场监督管理局"],
        "waste": ["县城市管理局", "县住房和城乡建设局"],
    },
    "town": {
        "publicity": ["镇党政办公室", "镇宣传办"],
        "environment": ["镇村镇建设办公室", "镇环卫所", "各村（社区）"],
        "health": ["镇卫生院", "镇文化站", "镇中心学校"],
        "vectors": ["镇卫生院", "镇爱卫办", "各村（社区）"],
        "tobacco": ["镇卫生院", "镇市场监督管理所"],
        "waste": ["镇环卫所", "各村（社区）"],
    },
    "community": {
        "publicity": ["社区党委", "社区居委会"],
        "environment": ["社区居委会", "各网格", "辖区物业服务企业"],
        "health": ["社区卫生服务站", "社区文体队伍"],
        "vectors": ["社区卫生服务站", "各网格", "辖区物业服务企业"],
        "tobacco": ["社区卫生服务站", "社区居委会"],
        "waste": ["社区居委会", "辖区物业服务企业", "各网格"],
    },
}


class Task(InputModel):
    """One task of the month, chosen from the catalogue."""

    kind: TaskKind = zh("类别", description="publicity 宣传 / environment 环境整治 / health 健康教育 / vectors 病媒生物防制 / tobacco 控烟 / waste 垃圾分类")
    departments: list[Name] = zh("责任单位", default_factory=list, max_length=12)
    extra: Para | None = zh("补充", None, description="本单位的具体做法，接在标准表述之后")

    @model_validator(mode="before")
    @classmethod
    def _accept_names(cls, value: Any) -> Any:
        return catalogue_entry(value, _BY_CHINESE, TASK_NAMES, what="task")

    @property
    def name(self) -> str:
        return TASK_NAMES[self.kind]


class Report(InputModel):
    deadline: Day | None = zh("截止日期", None, description="总结报送截止日期；省略时为活动结束后第5天")
    to: Name | None = zh("报送至", None, description="报送单位，如 县爱卫办")


class HygieneMonth(PlanInput):
    """爱国卫生月活动方案."""

    year: Year = zh("年度", ge=FIRST_YEAR, le=2100)
    edition: int | None = zh("届次", None, description="第几个爱国卫生月；省略时按年度推算（1989年为第1个）")
    theme: Line = zh("主题", description="当年全国爱国卫生月主题")

    @field_validator("theme")
    @classmethod
    def _unquote(cls, value: str) -> str:
        return unquote(value)
    focus: Line = zh("重点", "以春季灭鼠为重点的病媒生物防制和环境卫生整治", description="活动重点")
    goal: Line | None = zh("目标", None, description="如 确保我县顺利通过省级卫生县城复评")
    tasks: list[Task] = zh("任务", default_factory=list, max_length=6)
    cooperating: list[Name] = zh("协作单位", default_factory=list, max_length=30)
    report: Report = zh("报送", default_factory=Report)

    @model_validator(mode="before")
    @classmethod
    def _default_dates(cls, data: Any) -> Any:
        """The month is April of the given year unless the user says otherwise."""
        if not isinstance(data, dict):
            return data
        year = year_of(get_key(data, "year", "年度"))
        if year is None or not FIRST_YEAR <= year <= 2100:
            # The year itself is wrong and is reported; stand-in dates keep that the only error.
            year = FIRST_YEAR
        dates = get_key(data, "dates", "日期")
        if dates is None:
            dates = {}
        if not isinstance(dates, dict):
            return data
        dates = dict(dates)
        dates.setdefault(key_of(dates, "start", "开始"), date(year, 4, 1))
        dates.setdefault(key_of(dates, "end", "结束"), date(year, 4, 30))
        key = key_of(data, "dates", "日期")
        return {**{k: v for k, v in data.items() if k not in ("dates", "日期")}, key: dates}

    @model_validator(mode="after")
    def _edition_and_year(self) -> "HygieneMonth":
        expected = self.year - FIRST_YEAR + 1
        if self.edition is not None and self.edition != expected:
            raise ValueError(
                f"edition {self.edition} contradicts year {self.year}: April {self.year} is the "
                f"{expected}th 爱国卫生月 (the 1st was in {FIRST_YEAR}); leave edition out or correct it"
            )
        if self.dates.start.year != self.year:
            raise ValueError(f"the period starts in {self.dates.start.year}, but the plan is for {self.year}")
        kinds = [t.kind for t in self.tasks]
        duplicated = {k for k in kinds if kinds.count(k) > 1}
        if duplicated:
            raise ValueError(f"task {TASK_NAMES[duplicated.pop()]} is listed twice")
        return self

    @property
    def number(self) -> int:
        """Which 爱国卫生月 this is."""
        return self.year - FIRST_YEAR + 1


def context(plan: HygieneMonth) -> dict[str, Any]:
    """Facts the template needs that the user did not have to type."""
    tier = plan.unit.tier if plan.unit.tier in DEFAULT_DEPARTMENTS else "community"
    tasks = plan.tasks or [Task(kind=k) for k in ("publicity", "environment", "health", "vectors")]
    departments = {t.kind: t.departments or DEFAULT_DEPARTMENTS[tier][t.kind] for t in tasks}
    phases = plan.dates.phases
    if not phases:
        phases = [Phase(**p) for p in phases_evenly(plan.dates.start, plan.dates.end, ["宣传发动", "集中整治", "总结验收"], [1, 3, 1])]
    deadline = plan.report.deadline or plan.dates.end + timedelta(days=5)
    fallback = {"county": "市爱卫办", "town": "县爱卫办", "community": "所在镇（街道）爱卫办"}[tier]
    report_to = plan.report.to or (f"{plan.unit.parent}爱卫办" if plan.unit.parent else fallback)
    collector = plan.unit.name if tier == "community" else f"{plan.unit.name}爱卫办"
    return {
        "edition": plan.number,
        "task_list": tasks,
        "departments": departments,
        "phase_list": phases,
        "deadline": deadline,
        "report_to": report_to,
        "tier": tier,
        "collector": collector,
    }


PLAN_TYPE = PlanType(
    name="hygiene-month",
    title="爱国卫生月活动方案",
    model=HygieneMonth,
    template="hygiene-month.md.j2",
    context=context,
    aliases=("爱国卫生月", "爱国卫生月活动方案"),
    description="爱国卫生月活动方案：主题、活动内容、时间安排、工作要求、总结报送",
    roster_columns=dict(ROSTER_COLUMNS),
)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)
