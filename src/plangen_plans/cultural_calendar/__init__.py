"""cultural-calendar — 社区文化建设方案 with a twelve-month calendar of themed activities.

Works out each month's default theme from that year's festivals: the lunar ones (春节, 元宵, 端午,
中秋, 重阳) and 清明 are computed for the year with ``lunar_python``, so Spring Festival lands in
January in 2023 and in February in 2024, and 中秋 shares October with 国庆 in 2025. The user may
override any month's theme, activity form or person in charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from pydantic import ValidationInfo, field_validator, model_validator

from plangen import (
    Day,
    InputModel,
    Line,
    Name,
    Para,
    Person,
    PlanInput,
    PlanType,
    Problems,
    Year,
    cn_month_day,
    cn_number,
    cross_check,
    get_key,
    hookimpl,
    key_of,
    msg,
    zh,
)
from plangen_plans.shared import ROSTER_COLUMNS, bodies_of_level, by_day, cn_to_int, repeated, unquote, year_of


@dataclass(frozen=True)
class Festival:
    """A festival that can give a month its theme; a lower rank wins when several share a month."""

    name: str
    rank: int
    theme: str
    form: str


# Lunar festivals by (lunar month, day); solar ones by (month, day); 清明 and 冬至 are solar terms.
LUNAR = {
    "春节": (1, 1), "元宵节": (1, 15), "端午节": (5, 5), "中秋节": (8, 15), "重阳节": (9, 9),
}
SOLAR = {
    "元旦": (1, 1), "学雷锋日": (3, 5), "妇女节": (3, 8), "世界读书日": (4, 23), "劳动节": (5, 1),
    "儿童节": (6, 1), "建党节": (7, 1), "建军节": (8, 1), "教师节": (9, 10), "国庆节": (10, 1),
    "消防宣传日": (11, 9), "国家宪法日": (12, 4),
}
TERMS = {"清明节": ("清明", 4, range(3, 7)), "冬至": ("冬至", 12, range(20, 24))}

FESTIVALS: dict[str, Festival] = {
    f.name: f
    for f in (
        Festival("春节", 1, "欢欢喜喜过春节", "写春联送福字、新春团拜会、走访慰问困难群众"),
        Festival("中秋节", 2, "月圆中秋 邻里同乐", "中秋邻里宴、赏月诗会、走访慰问空巢老人"),
        Festival("端午节", 3, "粽香端午 传承文化", "包粽子比赛、制作香囊、端午民俗知识讲座"),
        Festival("国庆节", 4, "喜迎国庆 礼赞祖国", "升国旗仪式、国庆文艺汇演、爱国主义影片展映"),
        Festival("元宵节", 5, "红红火火闹元宵", "猜灯谜、包汤圆、民俗文艺展演"),
        Festival("重阳节", 6, "九九重阳 孝老爱亲", "敬老宴、为老人义诊理发、评选孝老爱亲模范"),
        Festival("清明节", 7, "清明祭英烈 文明树新风", "网上祭英烈、文明祭扫倡议、经典诗文诵读"),
        Festival("学雷锋日", 8, "学雷锋 树新风", "学雷锋志愿服务集中行动、便民服务进{doorstep}"),
        Festival("建党节", 9, "七一颂党恩 奋进新征程", "重温入党誓词、党史知识竞赛、红歌传唱"),
        Festival("建军节", 10, "八一拥军 情暖军属", "走访慰问退役军人和军属、拥军优属座谈会"),
        Festival("元旦", 11, "辞旧迎新庆元旦", "新年联欢会、趣味游园、文明家庭表彰"),
        Festival("消防宣传日", 12, "消防安全 平安同行", "消防知识宣传、应急疏散演练、安全隐患排查"),
        Festival("国家宪法日", 13, "宪法进万家 法治润人心", "宪法宣传、法律知识讲座、法律咨询进{doorstep}"),
        Festival("教师节", 14, "尊师重教 崇文尚学", "慰问辖区教师、亲子读书会、优秀学子表彰"),
        Festival("世界读书日", 15, "书香满家园 阅读伴成长", "读书分享会、图书漂流、好书推荐"),
        Festival("儿童节", 16, "六一童心向党 快乐成长", "少儿才艺展示、亲子游园会"),
        Festival("劳动节", 17, "五一劳动最光荣", "劳模事迹宣讲、家务劳动技能比赛"),
        Festival("妇女节", 18, "三八巾帼展风采", "妇女健康讲座、巾帼风采展示"),
        Festival("冬至", 19, "冬至暖人心", "包饺子送温暖、冬季健身活动"),
    )
}
# Two great festivals in one month share it.
PAIRS: dict[frozenset[str], tuple[str, str]] = {
    frozenset({"春节", "元宵节"}): ("欢度春节 喜闹元宵", "写春联送福字、新春团拜会、猜灯谜闹元宵"),
    frozenset({"中秋节", "国庆节"}): ("喜迎中秋 欢度国庆", "中秋邻里宴、国庆文艺汇演、走访慰问空巢老人"),
    frozenset({"国庆节", "重阳节"}): ("欢度国庆 情暖重阳", "国庆文艺汇演、重阳敬老宴、为老人义诊理发"),
}
MOVABLE = ("春节", "元宵节", "清明节", "端午节", "中秋节", "重阳节")
# The festivals a month's row must name whenever they fall in it: the movable ones (the plan's text
# gives their dates) and 国庆. Each has a short theme phrase and one activity, so a month holding three
# of them (October 2025: 国庆, 中秋, 重阳) can name them all.
GREAT: dict[str, tuple[str, str]] = {
    "春节": ("欢度春节", "写春联送福字、新春团拜会"),
    "元宵节": ("喜闹元宵", "猜灯谜闹元宵"),
    "清明节": ("清明祭英烈", "文明祭扫倡议"),
    "端午节": ("粽香端午", "包粽子比赛"),
    "中秋节": ("月圆中秋", "中秋邻里宴"),
    "国庆节": ("欢度国庆", "国庆文艺汇演"),
    "重阳节": ("情暖重阳", "重阳敬老宴"),
}


@lru_cache(maxsize=64)
def festival_dates(year: int) -> dict[str, date]:
    """Every festival's date in ``year``, lunar ones converted with lunar_python.

    Imported here, not at module level: every plangen command loads every plugin, and only a
    calendar needs the lunar tables (~40 ms of each cold start otherwise)."""
    from lunar_python import Lunar, Solar

    out: dict[str, date] = {}
    for name, (month, day) in LUNAR.items():
        solar = Lunar.fromYmd(year, month, day).getSolar()
        out[name] = date(solar.getYear(), solar.getMonth(), solar.getDay())
    for name, (month, day) in SOLAR.items():
        out[name] = date(year, month, day)
    for name, (term, month, days) in TERMS.items():
        for day in days:
            if Solar.fromYmd(year, month, day).getLunar().getJieQi() == term:
                out[name] = date(year, month, day)
    return out


@dataclass(frozen=True)
class MonthPlan:
    """One row of the calendar."""

    month: int
    theme: str
    form: str
    person: str
    festivals: tuple[str, ...]
    """The festivals falling in this month, best first (empty when the user wrote the theme)."""


def default_months(year: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """(theme, form, festivals) for January … December of ``year``."""
    dates = festival_dates(year)
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for month in range(1, 13):
        here = sorted((FESTIVALS[n] for n, d in dates.items() if d.month == month and d.year == year), key=lambda f: f.rank)
        if not here:  # cannot happen with the catalogue above, but a month never goes without a theme
            out.append(("文明新风进万家", "文明家庭评选、志愿服务活动", ()))
            continue
        great = [f.name for f in sorted(here, key=lambda f: dates[f.name]) if f.name in GREAT]
        if len(great) < 2:
            theme, form = here[0].theme, here[0].form
        elif frozenset(great) in PAIRS:
            theme, form = PAIRS[frozenset(great)]
        else:  # three great festivals (or a pair without its own wording): each named, in date order
            theme = " ".join(GREAT[n][0] for n in great)
            form = "、".join(GREAT[n][1] for n in great)
        out.append((theme, form, tuple(f.name for f in here)))
    return out


def _month_number(value: Any) -> Any:
    """3, "3", "3月" or "三月"."""
    if isinstance(value, str):
        number = cn_to_int(value.strip().removesuffix("份").removesuffix("月"))
        if number is None:
            raise ValueError(msg("cultural-calendar.bad-month", "{value!r} is not a month; write 1 to 12", value=value))
        return number
    return value


class Month(InputModel):
    """The user's word on one month: any of theme, form and person replaces the default."""

    month: int = zh("月份", description="1 至 12")
    theme: Line | None = zh("主题", None)
    form: Line | None = zh("活动形式", None)
    person: Name | None = zh("负责人", None)

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        value = _month_number(value)
        if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 12:
            raise ValueError(msg("cultural-calendar.month-out-of-range", "{value} is not a month; write 1 to 12", value=value))
        return value

    @field_validator("theme")
    @classmethod
    def _unquote(cls, value: str | None) -> str | None:
        return None if value is None else unquote(value)

    @cross_check
    def _says_something(self) -> None:
        if self.theme is None and self.form is None and self.person is None:
            raise ValueError(msg("cultural-calendar.month-empty",
                                 "month {month} changes nothing; give its theme, form or person (主题、活动形式、负责人)",
                                 month=self.month))


class _Named(InputModel):
    """Something a user may give by its name alone: ``- 书画队`` as well as ``- {name: 书画队, …}``."""

    name: Name = zh("名称")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class Facility(_Named):
    """A cultural facility (图书阅览室, 文体活动室…) and how it is run."""

    text: Para | None = zh("内容", None, description="开放和管理方式；省略时用默认表述")


class Team(_Named):
    """A volunteer or amateur team (健身秧歌队, 书画队…)."""

    leader: Person | None = zh("负责人", None)
    members: int | None = zh("人数", None, ge=1, le=10000)
    text: Para | None = zh("内容", None, description="活动安排；省略时用默认表述")


class Project(InputModel):
    """A project to finish by a deadline in the year (爱心进万家, 书香楼院…)."""

    name: Line = zh("名称")
    deadline: Day = zh("完成时间")
    text: Para | None = zh("内容", None)


EXAMPLE = Path(__file__).parent / "templates" / "cultural-calendar.example.yaml"
OWN_LEVEL = ("responsible", "aims@村", "facilities@村", "teams@村", "projects@村", "months.1@村")
"""The example's default 负责人 (社区居委会) is a 社区's: another unit gets its level's (镇综合文化站, 县文化馆).
Its aims, reading room, teams, 楼院 projects and 楼院 show in May are a community's, at a community's scale
(3200 books, 36 dancers, 30 families): a 村 keeps them in its words; a 镇, 街道 or county gets its level's
defaults instead of a community's numbers."""


class CulturalCalendar(PlanInput):
    """社区文化建设方案."""

    example_own_level: ClassVar[tuple[str, ...]] = OWN_LEVEL
    """Read by the web form too, which empties these fields when the unit typed is not a 社区."""

    @model_validator(mode="before")
    @classmethod
    def _words_of_the_unit(cls, data: Any) -> Any:
        """The example's words, still unchanged, in the unit's words (村卫生室 where the example names
        社区卫生服务站 for a 社区): see :func:`plangen_plans.shared.bodies_of_level`."""
        return bodies_of_level(data, EXAMPLE, OWN_LEVEL)

    year: Year = zh("年度", ge=1950, le=2100)
    guiding: Para | None = zh("指导思想", None, description="替换默认的指导思想表述")
    aims: list[Line] = zh("目标", default_factory=list, max_length=6, description="工作目标，每项一个分句（不加句末标点），方案写作“一是…；二是…。”；省略时用默认的三项")
    responsible: Name | None = zh("默认负责人", None, description="各月活动的默认负责人；省略时按单位层级给出")
    months: list[Month] = zh("月度活动", default_factory=list, description="改写某月的主题、活动形式或负责人")
    facilities: list[Facility] = zh("阵地", default_factory=list, max_length=10, description="文化阵地，如 图书阅览室")
    teams: list[Team] = zh("队伍", default_factory=list, max_length=12, description="文体队伍，如 健身秧歌队")
    projects: list[Project] = zh("项目", default_factory=list, max_length=8, description="年度重点项目及完成时间")
    seasons: bool = zh("四季展演", True, description="每季度举办一场集中展演（春晖、夏韵、秋实、冬暖）；不需要时写 否")

    @model_validator(mode="before")
    @classmethod
    def _default_dates(cls, data: Any) -> Any:
        """The plan runs through its calendar year unless the user says otherwise."""
        if not isinstance(data, dict):
            return data
        year = year_of(get_key(data, "year", "年度"))
        dates = get_key(data, "dates", "日期")
        if year is not None and 1950 <= year <= 2100 and (dates is None or isinstance(dates, dict)):
            dates = dict(dates or {})
            dates.setdefault(key_of(dates, "start", "开始"), date(year, 1, 1))
            dates.setdefault(key_of(dates, "end", "结束"), date(year, 12, 31))
            data = {**data, key_of(data, "dates", "日期"): dates}
        return data

    @field_validator("aims")
    @classmethod
    def _aims_are_clauses(cls, value: list[str]) -> list[str]:
        """Each aim is joined as 一是…；二是…。, so its own final punctuation would double it."""
        return [v.strip().rstrip("。；;，,.") for v in value]

    @field_validator("months", mode="before")
    @classmethod
    def _twelve_at_most(cls, value: Any) -> Any:
        if isinstance(value, list) and len(value) > 12:
            raise ValueError(msg("cultural-calendar.too-many-months", "{count} months are listed; a year has 12, list each month once",
                                 count=len(value)))
        return value

    @field_validator("months")
    @classmethod
    def _each_month_once(cls, value: list[Month]) -> list[Month]:
        twice = repeated([m.month for m in value])
        if twice:
            raise ValueError(msg("cultural-calendar.month-twice", "month {month} is listed twice; put its theme, form and person in one entry",
                                 month=twice))
        return value

    @field_validator("projects")
    @classmethod
    def _deadlines_in_period(cls, value: list[Project], info: ValidationInfo) -> list[Project]:
        dates = info.data.get("dates")
        if dates is None:
            return value
        found = Problems()  # every project's problem at once, beside its project
        for i, project in enumerate(value, 1):
            if not dates.start <= project.deadline <= dates.end:
                found.add(msg(
                    "cultural-calendar.project-outside-period",
                    "project {i} ({name}) is due {deadline}, outside the plan's period {start} to {end}",
                    i=i, name=project.name, deadline=project.deadline, start=dates.start, end=dates.end,
                ), i - 1, "deadline")
        found.raise_any()
        return value

    @cross_check
    def _a_place(self) -> None:
        if self.unit.tier in ("department", "other"):
            raise ValueError(msg("cultural-calendar.not-a-place",
                                 "{name} is a department or office; a cultural calendar is made by a county, town, street, "
                                 "community or village: set unit.kind or use another plan type", name=self.unit.name))

    @cross_check
    def _months_fit(self) -> None:
        """A month the user wrote lies in the period, and one naming a movable festival (中秋, 端午) is the
        month that festival falls in this year: otherwise last year's month would be printed."""
        inside = months_in(self)
        dates = festival_dates(self.year)
        found = Problems()  # every month's problem at once, beside its month
        for i, m in enumerate(self.months):
            if m.month not in inside:
                found.add(msg("cultural-calendar.month-outside-period",
                              "month {month} lies outside the period {start} to {end}; remove it or widen dates",
                              month=m.month, start=self.dates.start, end=self.dates.end), "months", i)
                continue
            words = f"{m.theme or ''}{m.form or ''}"
            for name in MOVABLE:
                short = name.removesuffix("节")
                if short in words and dates[name].month != m.month and not _named_elsewhere(short, m.month, dates):
                    found.add(msg(
                        "cultural-calendar.festival-moved",
                        "month {month} names {festival}, which falls in month {right} in {year}; move this entry to month {right}",
                        month=m.month, festival=name, right=dates[name].month, year=self.year), "months", i)
                    break
        found.raise_any()

    @field_validator("year")
    @classmethod
    def _year_matches(cls, value: int, info: ValidationInfo) -> int:
        dates = info.data.get("dates")
        if dates is not None and dates.start.year != value:
            raise ValueError(msg("cultural-calendar.year-contradicts-start",
                                 "the calendar is for {year}, but dates.start is {start}; correct one of them",
                                 year=value, start=dates.start))
        return value


def _named_elsewhere(short: str, month: int, dates: dict[str, date]) -> bool:
    """True when the word is part of another festival's name falling in that month (none today; kept so a
    future 春节 look-alike does not misfire)."""
    return any(short in other and other.removesuffix("节") != short and d.month == month for other, d in dates.items())


def months_in(plan: CulturalCalendar) -> list[int]:
    """The months of the plan's year its period touches: a July–December calendar schedules only those."""
    start, end = plan.dates.start, plan.dates.end
    first = start.month if start.year == plan.year else 1
    last = end.month if end.year == plan.year else 12
    return list(range(first, last + 1))


RESPONSIBLE = {"社区": "社区居委会", "村": "村民委员会", "街道": "街道综合文化站", "镇": "镇综合文化站", "乡": "乡综合文化站",
               "县": "县文化馆", "区": "区文化馆", "市": "市文化馆"}
DEFAULT_AIMS = (
    "群众思想道德素质和文明素养明显提升，文明健康的生活方式蔚然成风",
    "文化阵地功能更加完善，做到月月有主题、季季有亮点",
    "文体队伍不断壮大，培育一批群众喜爱、特色鲜明的文化品牌",
)
DEFAULT_FACILITIES = {
    "community": ("图书阅览室", "文体活动室"),
    "村": ("农家书屋", "村综合文化服务中心"),
    "街道": ("街道综合文化站", "社区图书阅览室"),
    "town": ("综合文化站", "农家书屋"),
    "county": ("文化馆", "图书馆"),
}
# Four seasonal showcases on top of the monthly themes: (season, name, what it is).
SEASONS = (
    ("春季", "春晖", "新春文艺展演"),
    ("夏季", "夏韵", "广场纳凉文艺晚会"),
    ("秋季", "秋实", "文体队伍成果汇演"),
    ("冬季", "冬暖", "年度文明风采展示和评选表彰"),
)


SEASON_MONTHS = {"春季": (3, 4, 5), "夏季": (6, 7, 8), "秋季": (9, 10, 11), "冬季": (12, 1, 2)}

# Where a service "goes to" in a month's activities: a community's 楼院, a village's 农户.
DOORSTEP = {"社区": "楼院", "街道": "楼院", "村": "农户", "乡": "村组", "镇": "村（社区）", "县": "基层", "区": "社区", "市": "基层"}


def month_rows(plan: CulturalCalendar) -> list[MonthPlan]:
    """The twelve rows: the festival defaults with the user's months laid over them."""
    person = plan.responsible or RESPONSIBLE.get(plan.unit.level, "文化活动负责人")
    doorstep = DOORSTEP.get(plan.unit.level, "基层")
    given = {m.month: m for m in plan.months}
    inside = months_in(plan)
    rows = []
    for number, (theme, form, festivals) in enumerate(default_months(plan.year), 1):
        if number not in inside:
            continue
        form = form.replace("{doorstep}", doorstep)
        mine = given.get(number)
        if mine is None:
            rows.append(MonthPlan(number, theme, form, person, festivals))
            continue
        mine_form = mine.form or (form if mine.theme is None else "主题文艺活动、知识讲座、志愿服务")
        kept = festivals
        if mine.theme is not None or mine.form is not None:
            # a great festival falling in a month the user rewrote keeps its activity (端午 in May 2025)
            words = f"{mine.theme or ''}{mine.form or ''}"
            great = [n for n in festivals if n in GREAT and n.removesuffix("节") not in words]
            mine_form = "、".join([mine_form, *(GREAT[n][1] for n in great)])
            if mine.theme is not None:
                kept = tuple(n for n in festivals if n in GREAT)
        rows.append(MonthPlan(number, mine.theme or theme, mine_form, mine.person or person, kept))
    return rows


def context(plan: CulturalCalendar) -> dict[str, Any]:
    """The calendar, the movable festivals' dates, and the words for the unit's people and place."""
    dates = festival_dates(plan.year)
    tier = plan.unit.tier if plan.unit.tier in DEFAULT_FACILITIES else "community"
    facilities = DEFAULT_FACILITIES.get(plan.unit.level) or DEFAULT_FACILITIES[tier]
    rows = month_rows(plan)
    inside = months_in(plan)
    # months whose row joins several great festivals: the text says so, so no festival seems dropped
    shared = [(r.month, [n for n in sorted(r.festivals, key=dates.__getitem__) if n in GREAT]) for r in rows]
    whole_year = len(inside) == 12
    teams = plan.teams
    return {
        "whole_year": whole_year,
        "period_words": "全年" if whole_year else f"{inside[0]}月至{inside[-1]}月",
        "plain_teams": [t for t in teams if not t.text],
        "described_teams": [t for t in teams if t.leader or t.members or t.text],
        "tier": tier,
        "calendar": rows,
        "shared": [(m, names) for m, names in shared if len(names) > 1],
        "movable": [(name, cn_month_day(dates[name])) for name in MOVABLE if dates[name].month in inside],
        "aim_list": plan.aims or list(DEFAULT_AIMS),
        "ordinals": [cn_number(i) for i in range(1, 13)],
        "facility_list": plan.facilities or [Facility(name=n) for n in facilities],
        "season_list": [s for s in SEASONS if set(SEASON_MONTHS[s[0]]) & set(inside)] if plan.seasons else [],
        "territory": plan.unit.words.territory,
        "due": {p.name: by_day(p.deadline, plan.year) for p in plan.projects},
        "people": plan.unit.words.people,
        # a county-level plan builds culture across its territory (县域), not in its seat (县城) alone
        "scope": plan.unit.words.territory if plan.unit.tier == "county" else plan.unit.words.scope,
    }


PLAN_TYPE = PlanType(
    name="cultural-calendar",
    title="社区文化建设方案",
    model=CulturalCalendar,
    context=context,
    aliases=("社区文化建设", "文化建设方案", "社区文化建设方案", "文化月历"),
    description="社区文化建设方案：指导思想、工作目标、十二个月主题活动表、文化阵地、文体队伍、年度项目",
    roster_columns=dict(ROSTER_COLUMNS),
)


@hookimpl
def plangen_register_plan_types(register: Any) -> None:
    register(PLAN_TYPE)
