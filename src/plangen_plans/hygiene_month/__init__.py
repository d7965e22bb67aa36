"""hygiene-month — 爱国卫生月活动方案.

Works out the edition ("第N个爱国卫生月": April 1989 was the first), the April period and three
default phases, and a catalogue of the usual tasks with the departments that usually carry them at
county, town and community level.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import field_validator, model_validator

from plangen import (
    N_,
    Day,
    InputModel,
    Line,
    Name,
    Para,
    Phase,
    PlanInput,
    PlanType,
    Problems,
    Year,
    cross_check,
    get_key,
    hookimpl,
    key_of,
    msg,
    phases_evenly,
    zh,
)
from plangen_plans.shared import ROSTER_COLUMNS, bodies_of_level, catalogue_entry, check_deadline, observance, unquote, year_of

EXAMPLE = Path(__file__).parent / "templates" / "hygiene-month.example.yaml"
FIRST_YEAR = 1989  # the first 爱国卫生月 was April 1989
# A goal that starts with one of these is a sentence, not the name of the work.
GOAL_VERBS = ("确保", "力争", "争取", "推进", "推动", "实现", "做好", "完成", "通过", "迎接", "巩固", "全力", "努力", "顺利")
# Words of aspiration dropped after 为 (为我县顺利通过…打下坚实基础, not 为确保…打下坚实基础).
GOAL_ASPIRATIONS = ("确保", "力争", "争取", "全力", "努力")
# A goal starting with a preposition cannot be set after 为 or 作为: asked, not guessed.
GOAL_PREPOSITIONS = ("为", "以", "把", "对", "在")

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

# Who usually carries each task, by the kind of the issuing unit; the user's list replaces these.
# {L} is the unit's level (县/区, 镇/乡): 区委宣传部, 乡党政办公室.
DEFAULT_DEPARTMENTS: dict[str, dict[str, list[str]]] = {
    "county": {
        "publicity": ["{L}委宣传部", "{L}卫生健康局", "{L}融媒体中心"],
        "environment": ["{L}住房和城乡建设局", "{L}城市管理局", "{subunits}"],
        "health": ["{L}卫生健康局", "{L}文化和旅游体育局", "{L}教育局"],
        "vectors": ["{L}疾病预防控制中心", "{L}爱卫办", "{subunits}"],
        "tobacco": ["{L}卫生健康局", "{L}市场监督管理局"],
        "waste": ["{L}城市管理局", "{L}住房和城乡建设局"],
    },
    "town": {
        "publicity": ["{L}党政办公室", "{L}宣传办"],
        "environment": ["{L}规划建设办公室", "{L}环卫所", "{subunits}"],
        "health": ["{L}卫生院", "{L}文化站", "{L}中心学校"],
        "vectors": ["{L}卫生院", "{L}爱卫办", "{subunits}"],
        "tobacco": ["{L}卫生院", "辖区市场监督管理所"],
        "waste": ["{L}环卫所", "{subunits}"],
    },
    "街道": {
        "publicity": ["街道党政办公室", "街道宣传办"],
        "environment": ["街道城市管理办公室", "街道环卫所", "各社区"],
        "health": ["社区卫生服务中心", "街道文化站", "辖区中小学校"],
        "vectors": ["社区卫生服务中心", "街道爱卫办", "各社区"],
        "tobacco": ["社区卫生服务中心", "辖区市场监督管理所"],
        "waste": ["街道环卫所", "各社区"],
    },
    "部门": {
        "publicity": ["{short}办公室", "{short}机关党组织"],
        "environment": ["{short}办公室", "{short}机关各科室（股室）"],
        "health": ["{short}机关工会", "{short}机关党组织"],
        "vectors": ["{short}办公室", "{short}属各单位"],
        "tobacco": ["{short}办公室", "{short}机关各科室（股室）"],
        "waste": ["{short}办公室", "{short}机关各科室（股室）"],
    },
    "community": {
        "publicity": ["社区党委", "社区居委会"],
        "environment": ["社区居委会", "各网格", "辖区物业服务企业"],
        "health": ["社区卫生服务站", "社区文体队伍"],
        "vectors": ["社区卫生服务站", "各网格", "辖区物业服务企业"],
        "tobacco": ["社区卫生服务站", "社区居委会"],
        "waste": ["社区居委会", "辖区物业服务企业", "各网格"],
    },
    "村": {
        "publicity": ["村党组织", "村民委员会"],
        "environment": ["村民委员会", "各村民小组", "村保洁员队伍"],
        "health": ["村卫生室", "村文体队伍"],
        "vectors": ["村卫生室", "各村民小组"],
        "tobacco": ["村卫生室", "村民委员会"],
        "waste": ["村民委员会", "村保洁员队伍", "各村民小组"],
    },
}


def departments_for(unit: Any) -> dict[str, list[str]]:
    """The default departments for this unit's kind, with its level's own words filled in."""
    key = unit.level if unit.level in DEFAULT_DEPARTMENTS else unit.tier if unit.tier in DEFAULT_DEPARTMENTS else "部门"
    words = {"L": unit.level, "subunits": unit.words.subunits, "short": unit.short}
    return {kind: [d.format(**words) for d in names] for kind, names in DEFAULT_DEPARTMENTS[key].items()}


class Task(InputModel):
    """One task of the month, chosen from the catalogue."""

    kind: TaskKind = zh("类别", description="宣传、环境整治、健康教育、病媒生物防制、控烟或垃圾分类", labels=TASK_NAMES)
    departments: list[Name] = zh("责任单位", default_factory=list, max_length=12)
    extra: Para | None = zh("补充", None, description="本单位的具体做法，写成完整的句子，在标准表述之后单独成段")

    @model_validator(mode="before")
    @classmethod
    def _accept_names(cls, value: Any) -> Any:
        return catalogue_entry(value, _BY_CHINESE, TASK_NAMES, code="hygiene-month.unknown-task",
                               text=N_("unknown task {name!r}; choose from {known}"))

    @property
    def name(self) -> str:
        return TASK_NAMES[self.kind]


class Report(InputModel):
    deadline: Day | None = zh("截止日期", None, description="总结报送截止日期；省略时为活动结束后第5天")
    to: Name | None = zh("报送至", None, description="上级报送单位，如 县爱卫办；省略时为上级单位的爱卫办")


class HygieneMonth(PlanInput):
    """爱国卫生月活动方案."""

    @property
    def default_signer(self) -> str:
        """A county's plan is issued by its 爱国卫生运动委员会; a town's, street's, community's or
        village's by its administrative organ."""
        if self.unit.tier == "county":
            return f"{self.unit.place}爱国卫生运动委员会"
        return self.unit.organ

    year: Year = zh("年度", ge=FIRST_YEAR, le=2100)
    edition: int | None = zh("届次", None, description="第几个爱国卫生月；省略时按年度推算（1989年为第1个）")
    theme: Line = zh("主题", description="当年全国爱国卫生月主题")

    @field_validator("theme")
    @classmethod
    def _unquote(cls, value: str) -> str:
        return unquote(value)
    focus: Line = zh("重点", "以春季灭鼠为重点的病媒生物防制和环境卫生整治", description="活动重点，写名词短语，方案写作“集中开展…”，如 以春季灭鼠为重点的病媒生物防制和环境卫生整治")
    goal: Line | None = zh(
        "目标", None,
        description="本单位借活动推进的重点工作，如 省级卫生县城复评；也可写要达到的结果，如 确保我县顺利通过省级卫生县城复审。"
        "方案写作“为做好省级卫生县城复评工作打下坚实基础”或“为我县顺利通过省级卫生县城复审打下坚实基础”",
    )

    @field_validator("goal")
    @classmethod
    def _goal_is_the_work(cls, value: str | None) -> str | None:
        """The goal is the work (省级卫生县城复评) or a clause naming it (确保我县顺利通过省级卫生县城复审);
        :attr:`goal_for` and :attr:`goal_aim` word either. One starting with 为/以/把 is asked about."""
        if value is None:
            return None
        value = value.strip().rstrip("。；，,.;").strip()
        if value.startswith(GOAL_PREPOSITIONS):
            raise ValueError(msg(
                "hygiene-month.goal-preposition",
                "goal starts with {word!r}; write the work (省级卫生县城复评) or what is to be achieved "
                "(确保我县顺利通过省级卫生县城复审): the plan writes 为…打下坚实基础", word=value[0]))
        return value if value.startswith(GOAL_VERBS) else value.removesuffix("工作").strip()

    @property
    def goal_is_clause(self) -> bool:
        return bool(self.goal and self.goal.startswith(GOAL_VERBS))

    @property
    def goal_for(self) -> str:
        """After 为…打下坚实基础: 做好省级卫生县城复评工作, or 我县顺利通过省级卫生县城复审."""
        goal = self.goal or ""
        if not self.goal_is_clause:
            return f"做好{goal}工作"
        for word in GOAL_ASPIRATIONS:
            if goal.startswith(word) and len(goal) > len(word) + 1:
                return goal[len(word):]
        return goal

    @property
    def goal_aim(self) -> str:
        """After 作为…的重要抓手: 做好省级卫生县城复评工作, or 确保我县顺利通过省级卫生县城复审."""
        return self.goal if self.goal_is_clause and self.goal else f"做好{self.goal}工作"

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
            year, stand_in = FIRST_YEAR, True
        else:
            stand_in = False
        dates = get_key(data, "dates", "日期")
        if dates is None:
            dates = {}
        if not isinstance(dates, dict):
            return data
        dates = dict(dates)
        if stand_in and not (get_key(dates, "start", "开始") or get_key(dates, "end", "结束")):
            dates = {k: v for k, v in dates.items() if k not in ("issued", "成文日期")}
        dates.setdefault(key_of(dates, "start", "开始"), date(year, 4, 1))
        dates.setdefault(key_of(dates, "end", "结束"), date(year, 4, 30))
        key = key_of(data, "dates", "日期")
        return {**{k: v for k, v in data.items() if k not in ("dates", "日期")}, key: dates}

    @model_validator(mode="before")
    @classmethod
    def _bodies_of_the_level(cls, data: Any) -> Any:
        """A 村's plan names 村卫生室, not the example's 社区卫生服务站: see :func:`bodies_of_level`."""
        return bodies_of_level(data, EXAMPLE)

    @cross_check
    def _edition_and_year(self) -> None:
        """Four independent checks, every failure shown at once (with the shared checks of the dates)."""
        found = Problems()
        expected = self.year - FIRST_YEAR + 1
        if self.edition is not None and self.edition != expected:
            found.add(msg(
                "hygiene-month.edition-contradicts-year",
                "edition {edition} contradicts year {year}: April {year} is the "
                "{expected}th 爱国卫生月 (the 1st was in {first}); leave edition out or correct it",
                edition=self.edition, year=self.year, expected=expected, first=FIRST_YEAR,
            ))
        if self.dates.start.year != self.year:
            found.add(msg("plan.period-in-other-year", "the period starts in {start}, but the plan is for {year}",
                          start=self.dates.start.year, year=self.year))
        if self.report.deadline is not None:
            with found.at():
                check_deadline(self.report.deadline, self.dates, msg("hygiene-month.report-deadline", "report.deadline"))
        kinds = [t.kind for t in self.tasks]
        for kind in dict.fromkeys(k for k in kinds if kinds.count(k) > 1):
            found.add(msg("hygiene-month.task-twice", "task {task} is listed twice", task=TASK_NAMES[kind]),
                      "tasks", len(kinds) - 1 - kinds[::-1].index(kind))
        found.raise_any()

    @property
    def number(self) -> int:
        """Which 爱国卫生月 this is."""
        return self.year - FIRST_YEAR + 1


def own_offices(unit: Any) -> set[str]:
    """How the unit's own 爱卫办 may be written (县爱卫办, 青山县爱卫办, 青山县爱国卫生运动委员会办公室)."""
    names = {f"{unit.level}爱卫办", f"{unit.name}爱卫办", f"{unit.place}爱卫办", f"{unit.full_name}爱卫办", f"{unit.place}爱国卫生运动委员会办公室",
             unit.name, unit.place, unit.full_name, unit.organ}
    if unit.tier == "community":
        names |= {unit.words.government, unit.words.office}
    return names


def superior_office(unit: Any) -> str:
    """The 爱卫办 one level up, which receives the summary: the parent's when known."""
    if unit.parent and unit.tier in ("town", "community"):
        return f"{unit.parent}爱卫办"
    if unit.tier == "town" and unit.county:
        return f"{unit.county}爱卫办"
    if unit.tier == "county":
        if unit.rank == "县级市" or unit.rank == "地级市":
            return f"{unit.parent}爱卫办" if unit.parent else "省爱卫办"
        return f"{unit.parent}爱卫办" if unit.parent else "市爱卫办"
    if unit.tier == "department":
        return f"{unit.seat}爱卫办"  # a county department reports to its county's office
    return {"town": "县（区）爱卫办", "community": "乡镇（街道）爱卫办" if unit.level == "村" else "镇（街道）爱卫办"}.get(
        unit.tier, "上级爱卫办"
    )


def context(plan: HygieneMonth) -> dict[str, Any]:
    """Facts the template needs that the user did not have to type."""
    unit = plan.unit
    tier = unit.tier if unit.tier in ("county", "town", "community", "department") else "department"
    tasks = plan.tasks or [Task(kind=k) for k in ("publicity", "environment", "health", "vectors")]
    defaults = departments_for(unit)
    departments = {t.kind: t.departments or defaults[t.kind] for t in tasks}
    phases = plan.dates.phases
    if not phases:
        phases = [Phase(**p) for p in phases_evenly(plan.dates.start, plan.dates.end, ["宣传发动", "集中整治", "总结验收"], [1, 3, 1],
                                                    by_xun=plan.dates.by_xun)]
    deadline = plan.report.deadline or plan.dates.end + timedelta(days=5)
    report_to = plan.report.to or superior_office(unit)
    # Who gathers the summaries below it: the unit's own 爱卫办, a community's 居委会/村委会 (an organ, not a
    # place), a department's own office (局办公室).
    collector = (unit.words.government if unit.tier == "community" else f"{unit.level}爱卫办" if unit.tier in ("county", "town")
                 else unit.words.office)
    # report.to naming the unit's own office (县爱卫办 in a county plan) is where the units below report;
    # the office then does not 汇总后报送 itself.
    forward = plan.report.to is None or plan.report.to not in own_offices(unit) | {collector}
    return {
        "edition": plan.number,
        "task_list": tasks,
        "departments": departments,
        "phase_list": phases,
        "deadline": deadline,
        "report_to": report_to,
        "tier": tier,
        "rural": unit.level in ("村", "乡"),
        "collector": collector,
        "forward": forward,
        "guide": report_to if forward else superior_office(unit),
        "spans": [plan.dates.span(p.start, p.end) for p in phases],
        "no_tobacco_day": observance("世界无烟日", plan.dates.start, plan.dates.end),
        # A county's month is carried by its towns and the members of its 爱卫会, not by every county office.
        "below": f"{unit.words.subunits}、{unit.level}爱卫会各成员单位" if tier == "county" else unit.below,
    }


PLAN_TYPE = PlanType(
    name="hygiene-month",
    title="爱国卫生月活动方案",
    model=HygieneMonth,
    context=context,
    aliases=("爱国卫生月", "爱国卫生月活动方案"),
    description="爱国卫生月活动方案：主题、活动内容、时间安排、工作要求、总结报送",
    roster_columns=dict(ROSTER_COLUMNS),
)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)
