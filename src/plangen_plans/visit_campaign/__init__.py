"""visit-campaign — “察民情、访民意、解民忧、促和谐”大走访活动实施方案.

Works out who visits and who collects the reports from the unit's kind, names the 八知 by their
count, writes the 办实事 count and the report deadlines the way a 公文 does ("1至2件",
"分别于11月底前和12月底前各报送一次"), and lays the pairings out as a table.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from pydantic import ValidationInfo, field_validator, model_validator

from plangen import Day, InputModel, Line, Name, Person, PlanInput, PlanType, Problems, cn_number, get_key, hookimpl, key_of, msg, zh
from plangen_plans.shared import ROSTER_COLUMNS, bodies_of_level, check_deadline, repeated, reported, unquote

SLOGAN = "察民情、访民意、解民忧、促和谐"
EIGHT_KNOWS = (
    "知村社情况", "知生产就业状况", "知社会保障水平", "知困难群体",
    "知群众诉求", "知矛盾隐患", "知村社管理", "知党建工作",
)
# 村社 (village and community) in the default 八知 is a town's or county's word; a community knows its
# 社区, a village its 村组 and 村务.
KNOW_PLACE = {"社区": ("社区情况", "社区管理"), "街道": ("社区情况", "社区管理"), "村": ("村组情况", "村务管理"),
              "乡": ("村组情况", "村务管理")}
# Who does the 实事 each year: a town's or county's units, a community's party branches.
EACH = {"社区": "每个党支部", "村": "每个党小组"}
POLICY_TOPICS = (
    "党的路线方针政策和上级重大决策部署",
    "乡村振兴和城乡社区建设的有关政策",
    "就业、社保、医疗、教育、住房等民生政策",
    "群众关心关注的法律法规",
)
HOUSEHOLDS = ("特困户", "信访户", "征迁户", "老党员", "老干部", "老模范")
# Whom a unit pairs its visitors with, by its kind: a community's party branches pair with 网格, not villages.
PAIRED = {"县": "结对村（社区）", "区": "结对社区（村）", "市": "结对村（社区）", "镇": "结对村（社区）", "乡": "结对村",
          "街道": "结对社区", "社区": "结对网格", "村": "结对村民小组"}
# What the campaign serves, by tier: only a county or town promises 经济社会高质量发展.
PROSPECT = {"county": "推动{we}经济社会高质量发展", "town": "推动{we}经济社会高质量发展",
            "街道": "提升基层治理水平、建设和谐宜居城区", "社区": "建设和谐宜居社区", "村": "推进乡村振兴、建设和美乡村"}
OCCASION_VERBS = tuple(sorted((
    "认真学习贯彻落实", "深入学习贯彻落实", "认真学习贯彻", "深入学习贯彻", "认真贯彻落实", "深入贯彻落实",
    "全面贯彻落实", "学习贯彻落实", "贯彻落实", "学习贯彻", "认真贯彻", "深入贯彻", "贯彻", "落实", "学习",
), key=len, reverse=True))
DIFFICULTIES = ("出行难", "就业难", "看病难", "入学难", "基层活动场所不健全")


class Methods(InputModel):
    """活动方式: whom to visit, whom to invite, which difficulties, how many 实事, who prints the records."""

    households: list[Name] = zh("走访对象", default_factory=lambda: list(HOUSEHOLDS), min_length=1, max_length=12, description="入户走访的重点对象")
    per_cadre: int | None = zh("每人走访户数", None, ge=1, le=500, description="每名干部至少走访的户数（可省略）")
    forum: list[Name] = zh("座谈对象", default_factory=list, max_length=12, description="干部座谈会邀请的人员；省略时按单位层级给出")
    difficulties: list[Name] = zh("难点", default_factory=lambda: list(DIFFICULTIES), min_length=1, max_length=12, description="难点治理针对的问题")
    projects: tuple[int, int] = zh("实事", (1, 2), description="每个单位每年为结对对象办实事的件数：2 或 1至2")
    records_by: Name | None = zh("民情记录印制", None, description="统一印制民情日记的单位；省略时为牵头单位")

    @field_validator("projects", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        """2, "2", "1至2", "1-2" or [1, 2]."""
        if isinstance(value, bool):
            raise ValueError(msg("visit-campaign.bad-count", "write a count such as 2 or a range such as 1至2"))
        if isinstance(value, int):
            return (value, value)
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d+)\s*(?:(?:至|到|-|－|~|～|—)\s*(\d+))?\s*件?\s*", value)
            if not m:
                raise ValueError(msg("visit-campaign.not-a-count", "{value!r} is not a count; write 2 or 1至2", value=value))
            low = int(m.group(1))
            return (low, int(m.group(2) or low))
        if isinstance(value, list) and len(value) == 1:
            return (value[0], value[0])
        return value

    @field_validator("projects")
    @classmethod
    def _sane(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if low < 1 or high > 20:
            raise ValueError(msg("visit-campaign.count-out-of-range", "{low}至{high} is out of range; each unit does 1 to 20 实事 a year",
                                 low=low, high=high))
        if high < low:
            raise ValueError(msg("visit-campaign.range-backwards", "the range {low}至{high} runs backwards; write {high}至{low}",
                                 low=low, high=high))
        return value

    @property
    def project_count(self) -> str:
        low, high = self.projects
        return str(low) if low == high else f"{low}至{high}"


class Pairing(InputModel):
    """One row of the pairing table: a unit, the village or community it pairs with, the contact leader."""

    unit: Name = zh("单位")
    village: Name = zh("结对村", description="结对村（社区）")
    leader: Person = zh("联系领导", description="如 王立群（镇党委副书记）")

    @model_validator(mode="before")
    @classmethod
    def _long_key(cls, value: Any) -> Any:
        """The table's own header 结对村（社区） works as a key too."""
        if isinstance(value, dict):
            for long in ("结对村（社区）", "结对村(社区)", "结对社区"):
                if long in value and "village" not in value and "结对村" not in value:
                    value = {("结对村" if k == long else k): v for k, v in value.items()}
        return value


EXAMPLE = Path(__file__).parent / "templates" / "visit-campaign.example.yaml"
OWN_LEVEL = ("organiser", "participants", "goal", "pairings!", "methods.records_by")
"""What the example (a 镇's) fills for a 镇 only: a 村 or 县 left with them gets its level's defaults instead.
Its pairing table names 建平镇's own 村 and 社区: any other unit, another 镇 too, is left to write its own."""


class VisitCampaign(PlanInput):
    """“察民情、访民意、解民忧、促和谐”大走访活动实施方案."""

    example_own_level: ClassVar[tuple[str, ...]] = OWN_LEVEL
    """Read by the web form too, which empties these fields when the unit typed is not a 镇."""

    @model_validator(mode="before")
    @classmethod
    def _words_of_the_unit(cls, data: Any) -> Any:
        """The example's words, still unchanged, in the unit's words (村卫生室 where the example names
        社区卫生服务站 for a 社区): see :func:`plangen_plans.shared.bodies_of_level`."""
        return bodies_of_level(data, EXAMPLE, OWN_LEVEL)

    slogan: Line = zh("口号", SLOGAN, description="活动名称中引号内的口号")
    occasion: Line | None = zh("背景", None, description="开篇学习贯彻的对象，写名词短语，如 党的二十届三中全会精神；方案写作“为深入学习贯彻…”")
    organiser: Name | None = zh("牵头单位", None, description="汇总情况、转办问题的单位，如 镇创先办；省略时为活动领导小组办公室")
    participants: Name | None = zh("参加单位", None, description="开展走访的单位，如 镇直各单位；省略时按单位层级给出")
    goal: Line | None = zh("目标", None, description="本单位的发展目标口号，如 加快发展、富民强镇；方案写作 为实现我镇“加快发展、富民强镇”的奋斗目标营造良好环境")
    topics: list[Line] = zh("宣传内容", default_factory=lambda: list(POLICY_TOPICS), min_length=1, max_length=10, description="向群众宣传的政策法规，每项一个名词短语，方案写作“宣传…，宣传…”，如 党的二十届三中全会精神")
    knows: list[Name] = zh("八知", default_factory=list, max_length=10, description="干部须掌握的情况（省略时为默认八项，按单位层级表述）")
    methods: Methods = zh("活动方式", default_factory=Methods)
    paired: Name | None = zh("结对对象", None, description="结对对象的称谓（含“结对”二字，如 结对网格），也是结对表的列名；省略时按单位层级：镇为 结对村（社区），社区为 结对网格，村为 结对村民小组")
    pairings: list[Pairing] = zh("结对", default_factory=list, max_length=80, description="单位、结对对象、联系领导")
    reports: list[Day] = zh("报送时间", default_factory=list, max_length=6, description="情况报送截止日期；省略时为活动结束日")

    @field_validator("slogan", "goal")
    @classmethod
    def _unquote(cls, value: str | None) -> str | None:
        return None if value is None else unquote(value)

    @field_validator("occasion")
    @classmethod
    def _occasion_object(cls, value: str | None) -> str | None:
        """The occasion is what is studied (党的二十届三中全会精神); a verb typed in front of it is
        dropped, since the template says 为深入学习贯彻…."""
        if value is None:
            return None
        text = value.strip().rstrip("，。")
        for verb in OCCASION_VERBS:
            if text.startswith(verb):
                text = text[len(verb):]
                break
        if not text:
            raise ValueError(msg("visit-campaign.occasion-empty",
                                 "{value!r} names nothing to study; write what is studied, such as 党的二十届三中全会精神", value=value))
        return text

    @property
    def default_signer(self) -> str:
        """A party-led campaign: a county or town signs as its party committee (中共城南镇委员会), a
        community or village as its 居民委员会/村民委员会."""
        return self.unit.party_organ

    @field_validator("knows")
    @classmethod
    def _know_prefix(cls, value: list[str]) -> list[str]:
        """Each item reads 知…; a repeated one is a mistake."""
        if len(value) == 1:
            raise ValueError(msg("visit-campaign.one-know", "list at least two items (the 知 the cadres must know), or leave knows out"))
        items = [v if v.startswith("知") else "知" + v for v in value]
        twice = repeated(items)
        if twice:
            raise ValueError(msg("visit-campaign.know-twice", "{item} is listed twice", item=twice))
        return items

    @field_validator("pairings")
    @classmethod
    def _pairs_once(cls, value: list[Pairing]) -> list[Pairing]:
        twice = repeated([(pair.unit, pair.village) for pair in value])
        if twice:
            raise ValueError(msg("visit-campaign.pairing-twice", "{unit} is paired with {village} twice; list each pairing once",
                                 unit=twice[0], village=twice[1]))
        return value

    @field_validator("reports")
    @classmethod
    def _reports_in_order(cls, value: list[Any], info: ValidationInfo) -> list[Any]:
        dates = info.data.get("dates")
        found = Problems()  # every deadline's problem at once, beside its deadline
        for i, day in enumerate(value):
            if dates is not None and day < dates.start:
                found.add(msg("visit-campaign.deadline-before-start", "deadline {n} ({day}) is before the campaign starts ({start})",
                              n=i + 1, day=day, start=dates.start), i)
            elif dates is not None:
                with found.at(i):
                    check_deadline(day, dates, msg("visit-campaign.reports-deadline", "reports deadline {n}", n=i + 1))
            if i and day <= value[i - 1]:
                found.add(msg("visit-campaign.deadlines-out-of-order",
                              "deadline {n} ({day}) is not after deadline {i} ({before}); list each deadline once, in order",
                              n=i + 1, day=day, i=i, before=value[i - 1]), i)
        found.raise_any()
        return value

    @model_validator(mode="before")
    @classmethod
    def _methods_key(cls, data: Any) -> Any:
        """活动方式 may also be written 方式."""
        if isinstance(data, dict) and "方式" in data and get_key(data, "methods", "活动方式") is None:
            data = {(key_of(data, "methods", "活动方式") if k == "方式" else k): v for k, v in data.items()}
        return data


VISITORS = {"县": "县直各单位", "区": "区直各单位", "市": "市直各单位", "镇": "镇直各单位", "乡": "乡直各单位",
            "街道": "街道各科室", "社区": "社区各党支部", "村": "村各党小组"}


def default_knows(level: str) -> list[str]:
    """The default 八知 in the words of the unit's level."""
    place, management = KNOW_PLACE.get(level, ("村社情况", "村社管理"))
    return [{"知村社情况": "知" + place, "知村社管理": "知" + management}.get(k, k) for k in EIGHT_KNOWS]


def default_organiser(plan: VisitCampaign) -> str:
    """Who collects reports and refers problems when the input names no one: the 领导小组's office only
    when the plan sets one up; otherwise the unit's own office (镇党政办公室, 县委办公室, 社区居委会, 局办公室),
    never an office the plan does not establish."""
    unit = plan.unit
    if plan.leadership and plan.leadership.office:
        return f"{plan.leadership_group_name('大走访活动')}办公室"
    if unit.tier == "county":
        return f"{unit.level}委办公室"
    return unit.words.office


def context(plan: VisitCampaign) -> dict[str, Any]:
    """Who visits, who collects, whom they pair with, how the deadlines and the 八知 read."""
    unit = plan.unit
    words = unit.words
    organiser = plan.organiser or default_organiser(plan)
    knows = plan.knows or default_knows(unit.level)
    tier = unit.tier if unit.tier in ("county", "town", "community") else "county"
    if unit.tier in ("department", "other"):  # a department's cadres visit villages and communities
        forum = ["村（社区）“两委”成员", "村民小组长（居民小组长）", "党员代表", "群众代表"]
    else:
        forum = [words.members, words.group_leaders] + (["楼栋长"] if unit.level == "社区" else []) + ["党员代表", words.resident_reps]
    prospect = PROSPECT.get(unit.level) or PROSPECT.get(tier, PROSPECT["county"])
    we = unit.we if unit.tier not in ("department", "other") else f"全{unit.seat}"  # a department serves its county
    return {
        "tier": tier,
        "campaign": "大走访活动",
        "organiser": organiser,
        "records_by": plan.methods.records_by or organiser,
        "forum": plan.methods.forum or forum,
        "visitors": plan.participants or words.units,
        "paired": plan.paired or PAIRED.get(unit.level, "结对村（社区）"),
        "office_named": bool(plan.leadership and plan.leadership.office),
        "prospect": prospect.format(we=we),
        "knows": knows,
        "each": EACH.get(unit.level, "每个单位"),
        "knows_label": "八知" if len(knows) == 8 else f"{cn_number(len(knows))}知",
        "report_phrase": reported(plan.reports or [plan.dates.end], plan.dates.start.year),
    }


PLAN_TYPE = PlanType(
    name="visit-campaign",
    title="大走访活动实施方案",
    model=VisitCampaign,
    context=context,
    aliases=("大走访", "大走访活动", "大走访活动实施方案", "察民情访民意"),
    description="“察民情、访民意、解民忧、促和谐”大走访活动实施方案：活动内容、活动方式、结对安排、活动要求",
    roster_columns=dict(ROSTER_COLUMNS),
)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)
