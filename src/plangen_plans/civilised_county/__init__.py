"""civilised-county — 创建文明县城（城市）实施方案, written by a community, town or the county itself.

Works out the honour's full name (第三届省级文明县城, 全国县级文明城市…), who "the county" is from the
writer's point of view (我县 or 郎溪县), four default phases over the period, 旬 ranges when asked for,
and the catalogue of the seven usual measures with their standard wording.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import ValidationInfo, field_validator, model_validator

from plangen import (
    N_,
    InputModel,
    Leadership,
    Line,
    Name,
    Para,
    Phase,
    PlanInput,
    PlanType,
    Problems,
    Year,
    cn_number,
    cross_check,
    get_key,
    hookimpl,
    key_of,
    kind_of_name,
    msg,
    phases_evenly,
    xun,
    zh,
)
from plangen_plans.shared import ROSTER_COLUMNS, bodies_of_level, catalogue_entry, cn_to_int, repeated

MeasureKind = Literal["publicity", "morality", "science", "culture", "health", "law", "environment"]
MEASURE_NAMES: dict[str, str] = {
    "publicity": "舆论宣传",
    "morality": "道德教育",
    "science": "科教普及",
    "culture": "文化建设",
    "health": "卫生保健",
    "law": "法治宣传与平安建设",
    "environment": "人居环境",
}
MEASURE_HEADINGS: dict[str, str] = {
    "publicity": "强化舆论宣传，营造浓厚创建氛围",
    "morality": "深化道德教育，提升群众文明素养",
    "science": "推进科教普及，培育崇学向上风尚",
    "culture": "繁荣群众文化，丰富精神文化生活",
    "health": "做好卫生保健，倡导健康生活方式",
    "law": "加强法治宣传，建设平安和谐家园",
    "environment": "整治人居环境，建设美丽宜居家园",
}
_BY_CHINESE: dict[str, str] = {name: kind for kind, name in MEASURE_NAMES.items()} | {
    "宣传": "publicity", "舆论": "publicity",
    "道德": "morality", "道德建设": "morality",
    "科教": "science", "科普": "science", "科学普及": "science",
    "文化": "culture", "文体": "culture",
    "卫生": "health", "健康": "health",
    "法治宣传": "law", "平安建设": "law", "法治": "law", "法律普及": "law",
    "环境": "environment", "环境整治": "environment", "人居环境整治": "environment",
}
DEFAULT_PHASES = ("全面动员", "扎实落实", "全面提升", "迎接检查")
_PHASE_SHARES = (1, 2, 1, 2)

class Campaign(InputModel):
    """The 创建 campaign: which honour, which edition, whose county, by when."""

    level: Literal["省级", "全国"] = zh("级别", "省级", description="省级或全国")
    kind: Literal["县城", "城市"] = zh("类别", "县城", description="创建文明县城选 县城，创建文明城市选 城市")
    edition: int | None = zh("届次", None, ge=1, le=99, description="第几届，如 3 或 第三届（可省略）")
    county: Name | None = zh("县市", None, description="创建的县（市），如 郎溪县；省略时取单位所在的县（市），县级单位取自身")
    province: Name | None = zh("省份", None, description="如 安徽省：目标写作 第三届安徽省文明县城（可省略）")
    target_year: Year | None = zh("目标年度", None, ge=2000, le=2100, description="全面达标的年度；省略时取方案结束的年度")

    @field_validator("edition", mode="before")
    @classmethod
    def _edition(cls, value: Any) -> Any:
        """第三届, 三, 第3届 or 3."""
        if isinstance(value, str):
            core = value.strip().removeprefix("第").removesuffix("届").strip()
            number = cn_to_int(core)
            if number is None:
                raise ValueError(msg("civilised-county.bad-edition", "{value!r} is not an edition; write 3 or 第三届", value=value))
            return number
        return value

    @property
    def honour(self) -> str:
        """省级文明县城 / 省级文明城市 / 全国文明城市 / 全国县级文明城市."""
        if self.level == "全国":
            return "全国文明城市" if self.kind == "城市" else "全国县级文明城市"
        return f"省级文明{self.kind}"

    @property
    def full_name(self) -> str:
        """第三届省级文明县城, or 第三届安徽省文明县城 when the province is given."""
        name = f"{self.province}文明{self.kind}" if self.province and self.level == "省级" else self.honour
        return f"第{cn_number(self.edition)}届{name}" if self.edition else name


class Measure(InputModel):
    """A 创建措施: one of the catalogue (by kind or Chinese name) or a custom one (title and text)."""

    kind: MeasureKind | None = zh("类别", None, description="舆论宣传、道德教育、科教普及、文化建设、卫生保健、法治宣传与平安建设或人居环境",
                                  labels=MEASURE_NAMES)
    title: Line | None = zh("标题", None, description="自定措施的标题，如 打造特色楼院文化")
    text: Para | None = zh("内容", None, description="自定措施的具体内容")
    extra: Para | None = zh("补充", None, description="接在标准表述之后的本单位做法")

    @model_validator(mode="before")
    @classmethod
    def _accept_names(cls, value: Any) -> Any:
        return catalogue_entry(
            value, _BY_CHINESE, MEASURE_NAMES, code="civilised-county.unknown-measure",
            text=N_("unknown measure {name!r}; choose from {known}, or write a custom one with title and text"),
        )

    @cross_check
    def _custom_or_catalogue(self) -> None:
        if self.kind is None and self.title is None:
            raise ValueError(msg("civilised-county.measure-empty", "a measure needs a kind from the catalogue or a title of its own"))
        if self.kind is not None and self.title is not None:
            raise ValueError(msg("civilised-county.measure-kind-and-title", "give either kind ({kind}) or title ({title}), not both",
                                 kind=self.kind, title=self.title))
        if self.title is not None and self.text is None:
            raise ValueError(msg("civilised-county.measure-without-text", "the custom measure {title!r} needs its text (内容)",
                                 title=self.title))

    @property
    def heading(self) -> str:
        return MEASURE_HEADINGS[self.kind] if self.kind else str(self.title)

    @property
    def name(self) -> str:
        return MEASURE_NAMES[self.kind] if self.kind else str(self.title)


EXAMPLE = Path(__file__).parent / "templates" / "civilised-county.example.yaml"
OWN_LEVEL = ("measures.3.extra@村,镇,乡,街道", "measures.7@村")
"""What the example (a 社区's) adds for a community: the monthly show on its own square suits a 村, 镇 or 街道
too, never a county's or a department's plan; the “红色楼院” brand of its 12 楼院 suits a 村 (mended to its
村组), never a unit above the grassroots (see :func:`plangen.sample_words.own_level_paths`)."""


def _city_campaign(data: Any) -> Any:
    """A campaign whose 类别 is not given is a city's (文明城市) when the place it serves is a 市 or 区
    (宁国市, a 街道 of 宣州区), a county seat's (文明县城) otherwise: the web form sends the 类别 empty."""
    if not isinstance(data, dict):
        return data
    campaign, unit = get_key(data, "campaign", "创建"), get_key(data, "unit", "单位")
    if not isinstance(campaign, dict) or get_key(campaign, "kind", "类别") not in (None, ""):
        return data
    names = [get_key(campaign, "county", "县市")]
    if isinstance(unit, dict):
        names += [get_key(unit, "name", "名称"), get_key(unit, "county", "所在县市"), get_key(unit, "parent", "上级单位")]
    place = next((n for n in names if isinstance(n, str) and kind_of_name(n.strip()) in ("县", "区", "市")), None)
    if place is None or kind_of_name(place.strip()) == "县":
        return data
    kept = {k: v for k, v in campaign.items() if k not in ("kind", "类别")}
    return {**data, key_of(data, "campaign", "创建"): {**kept, "kind": "城市"}}


class CivilisedCounty(PlanInput):
    """创建文明县城（城市）实施方案."""

    example_own_level: ClassVar[tuple[str, ...]] = OWN_LEVEL
    """Read by the web form too, which empties these fields when the unit typed is above the grassroots."""

    @model_validator(mode="before")
    @classmethod
    def _words_of_the_unit(cls, data: Any) -> Any:
        """The example's words, still unchanged, in the unit's words (村卫生室 where the example names
        社区卫生服务站 for a 社区): see :func:`plangen_plans.shared.bodies_of_level`."""
        return _city_campaign(bodies_of_level(data, EXAMPLE, OWN_LEVEL))

    campaign: Campaign = zh("创建", description="创建目标：级别、届次、县市、目标年度")
    leadership: Leadership = zh("领导小组", description="创建工作领导小组：组长、副组长（至少一名）、成员、办公室")
    measures: list[Measure] = zh("措施", default_factory=list, max_length=12, description="创建措施；省略时为目录中的七项")
    guiding: Para | None = zh("指导思想", None, description="替换默认的指导思想表述，写成完整的一段话")
    goal: Para | None = zh("目标", None, description="本单位的具体目标，写成完整的句子，单独成段接在总体目标之后，如 年内创建市级文明社区。")

    @model_validator(mode="before")
    @classmethod
    def _name_the_phases(cls, data: Any) -> Any:
        """Phases given only with dates take the four standard names in order."""
        if not isinstance(data, dict):
            return data
        dates = get_key(data, "dates", "日期")
        if not isinstance(dates, dict):
            return data
        phases = get_key(dates, "phases", "阶段")
        if not isinstance(phases, list) or len(phases) > len(DEFAULT_PHASES):
            return data
        named = []
        for phase, default in zip(phases, DEFAULT_PHASES):
            if isinstance(phase, dict) and get_key(phase, "name", "名称") is None:
                phase = {"name": default, **phase}
            named.append(phase)
        dates = {**dates, key_of(dates, "phases", "阶段"): named}
        return {**data, key_of(data, "dates", "日期"): dates}

    @field_validator("leadership")
    @classmethod
    def _needs_deputy(cls, value: Leadership) -> Leadership:
        if not value.deputies:
            raise ValueError(msg("civilised-county.no-deputy",
                                 "the 创建 leadership group needs at least one 副组长 (deputies) as well as its 组长"))
        return value

    @field_validator("campaign")
    @classmethod
    def _county_and_year(cls, value: Campaign, info: ValidationInfo) -> Campaign:
        unit, dates = info.data.get("unit"), info.data.get("dates")
        found = Problems()  # both at once
        if value.county is None and unit is not None and unit.county is None and unit.tier != "county":
            found.add(msg("civilised-county.no-county",
                          "say which county is being created: campaign.county (县市), or unit.county"), "county")
        if value.target_year is not None and dates is not None and value.target_year < dates.start.year:
            found.add(msg("civilised-county.target-before-start", "target_year {target} is before the plan starts ({start})",
                          target=value.target_year, start=dates.start), "target_year")
        found.raise_any()
        return value

    @field_validator("measures")
    @classmethod
    def _once_each(cls, value: list[Measure]) -> list[Measure]:
        twice = repeated([m.name for m in value])
        if twice:
            raise ValueError(msg("civilised-county.measure-twice", "the measure {measure} is listed twice", measure=twice))
        return value


def span(plan: PlanInput, start: date, end: date) -> str:
    """A date range as the plan writes it: by 旬 a range ending on 31 December runs 至年底, and a
    range in a later year than the plan's start carries its year."""
    if plan.dates.by_xun and end == date(end.year, 12, 31) and start.year == end.year:
        text = f"{start.month}月{xun(start)}至年底"
    else:
        text = plan.dates.span(start, end)
    if start.year == end.year != plan.dates.start.year:
        text = f"{start.year}年{text}"  # a phase in the plan's second year says which year
    return text


def context(plan: CivilisedCounty) -> dict[str, Any]:
    """The honour, the county seen from the writer's side, phases and measures."""
    unit, campaign = plan.unit, plan.campaign
    own = unit.tier == "county" and campaign.county in (None, unit.name, unit.place)
    county = campaign.county or (unit.place if unit.tier == "county" else unit.county) or unit.place
    suffix = county[-1] if county[-1] in "县市区旗" else "县"
    phases = plan.dates.phases or [
        Phase(**p) for p in phases_evenly(plan.dates.start, plan.dates.end, list(DEFAULT_PHASES), list(_PHASE_SHARES),
                                          by_xun=plan.dates.by_xun)
    ]
    measures = plan.measures or [Measure(kind=k) for k in MEASURE_NAMES]
    return {
        "tier": unit.tier if unit.tier in ("county", "town", "community") else "county",
        "honour": campaign.honour,
        "full_name": campaign.full_name,
        "county_ref": unit.we if own else county,
        "authorities": f"{suffix}委、{suffix}政府" if own else f"{county}委、{suffix}政府",
        "target_year": campaign.target_year or plan.dates.end.year,
        "people": unit.words.people,
        "scope": unit.words.scope,
        "rural": unit.level in ("村", "乡"),
        "dept": unit.tier in ("department", "other"),
        "measure_list": measures,
        "carriers": [m.name for m in measures if m.kind],
        "phases": [(p, span(plan, p.start, p.end)) for p in phases],
        "period": f"{plan.dates.start.year}年{span(plan, plan.dates.start, plan.dates.end)}"
        if plan.dates.start.year == plan.dates.end.year
        else plan.dates.period,
        "group": plan.leadership_group_name(f"创建{campaign.honour}"),
    }


PLAN_TYPE = PlanType(
    name="civilised-county",
    title="创建文明县城实施方案",
    model=CivilisedCounty,
    context=context,
    aliases=("创建文明县城", "文明县城", "创建文明城市", "文明城市", "创建文明县城实施方案", "创建文明城市实施方案"),
    description="创建文明县城（城市）实施方案：指导思想、总体目标、创建措施、方法步骤、工作要求与领导小组",
    roster_columns=dict(ROSTER_COLUMNS),
)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)
