"""Shared input models: unit, people and the leadership group, dates and phases, basis, issuer, contact.

Plan types subclass :class:`PlanInput` and add their own fields. Properties on these models (``unit.we``,
``leadership.roster``) are the facts templates use, so a sentence reads right for a county or a
community, for one deputy or many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, PrivateAttr, field_validator, model_validator

from plangen import joins
from plangen import text as T
from plangen.i18n import msg
from plangen.inputs.fields import Day, DocNo, InputModel, Line, Name, Para, Problems, cross_check, zh

UnitKind = Literal["省", "市", "地级市", "县级市", "县", "区", "镇", "乡", "街道", "社区", "村", "部门", "单位"]
_SUFFIX_KIND: tuple[tuple[str, str], ...] = (
    ("社区", "社区"), ("居委会", "社区"), ("村", "村"), ("街道", "街道"), ("办事处", "街道"),
    ("镇", "镇"), ("乡", "乡"), ("县", "县"), ("区", "区"), ("市", "市"), ("省", "省"),
)
# An organ typed as the unit (桥头村村民委员会, 青山县人民政府): the place it belongs to and its rank.
_ORGAN_TAILS: tuple[tuple[str, str, str], ...] = (
    # (tail, what the place then ends with, rank or "" to take the place's own)
    ("村民委员会", "村", "村"), ("村委会", "村", "村"), ("居民委员会", "社区", "社区"), ("居委会", "社区", "社区"),
    ("街道办事处", "街道", "街道"), ("街道工作委员会", "街道", "街道"), ("人民政府", "", ""),
)
_DEPARTMENT_TAILS = ("局", "委", "办", "办公室", "部", "厅", "中心", "所", "站", "院", "校", "馆", "会", "队", "处", "科")
_PLACE_CHARS = "省市县区镇乡"


def recognise(name: str) -> tuple[str, str] | None:
    """(kind, place) of a unit typed by its name: 桥头村委会 → (村, 桥头村), 青山县人民政府 → (县, 青山县),
    县民政局 → (部门, 县); None when the name says neither (a rank then has to be given)."""
    body = name.removeprefix("中共")
    for tail, place_end, kind in _ORGAN_TAILS:
        if body.endswith(tail) and len(body) > len(tail):
            place = body[: -len(tail)]
            if place_end and not place.endswith(place_end):
                place = place + place_end  # 桥头村民委员会 → 桥头村
            found = kind or _place_kind(place)
            return (found, place) if found else None
    if name.startswith("中共") and body.endswith(("委员会", "工作委员会")):
        place = body.removesuffix("工作委员会").removesuffix("委员会")
        found = _place_kind(place)
        return (found, place) if found else None
    found = _place_kind(name)
    if found:
        return found, name
    if name.endswith(_DEPARTMENT_TAILS):
        return "部门", _department_place(name)
    return None


def _place_kind(place: str) -> str | None:
    for suffix, kind in _SUFFIX_KIND:
        if place.endswith(suffix):
            return kind
    return None


def _department_place(name: str) -> str:
    """The place a department serves, as far as its name says: 青山县民政局 → 青山县, 县民政局 → 县."""
    firsts = [i for i in (name.find(c) for c in _PLACE_CHARS) if i >= 0]
    at = min(firsts) if firsts else -1
    return name[: at + 1] if at >= 0 else ""


@dataclass(frozen=True)
class Words:
    """The organs and words a plan uses for one kind of unit, so every template reads right for a
    county, a town, a street, a community or a village without an if/else of its own.

    Short forms (``party``, ``government``, ``office``) are how a unit names its own organs in running
    text (镇党委、镇人民政府); ``organ`` and ``party_organ`` are suffixes of the full names used to
    sign (城南镇人民政府, 中共城南镇委员会)."""

    party: str
    """The party organ in running text: 县委, 镇党委, 街道党工委, 社区党委, 村党组织."""
    government: str
    """The administrative organ in running text: 县人民政府, 街道办事处, 社区居委会, 村民委员会."""
    organ: str
    """Appended to the unit's name to sign as its administrative organ: 人民政府, 办事处, 居民委员会."""
    party_organ: str
    """Wrapped as 中共{name}{party_organ} for the party organ's full name: 委员会, 工作委员会."""
    office: str
    """The office that runs day-to-day work: 县政府办公室, 镇党政办公室, 社区居委会."""
    residents: str
    """Who lives there: 居民, 村民, 群众."""
    groups: str
    """The small groups below it: 各居民小组, 各村民小组."""
    subunits: str
    """The units one level down: 各乡镇（街道）, 各村（社区）, 各社区, 各网格, 各村民小组."""
    units: str
    """The unit's own departments: 县直各单位, 镇直各单位, 街道各科室（站所）."""
    below: str
    """Who carries the work out below the unit, as the subject of "{below}要…"."""
    people: str
    """Whom a plan addresses: 全县广大干部群众, 辖区居民, 全村群众."""
    scope: str
    """The place a plan improves: 县城, 城镇, 乡村, 城区, 社区."""
    leaders: str
    """The unit's leadership team: 县委、县政府, 镇党委、镇政府, 社区“两委”."""
    members: str
    """Whom a meeting in the units below invites first: 村（社区）“两委”成员, 社区“两委”成员, 村“两委”成员."""
    resident_reps: str
    """Residents' representatives: 居民代表, 村民代表."""
    group_leaders: str
    """Leaders of the small groups: 居民小组长, 村民小组长."""
    territory: str = "基层"
    """What the unit governs, before 治理: 县域, 市域, 社区, 乡村 (a county's territory is 县域, not 县城)."""
    smoke_free: str = "无烟党政机关、无烟医疗卫生机构和无烟学校"
    """What a 控烟 task builds: offices and schools for a county or town, families in a village."""


# One row per kind of unit: every template takes its organs and words from here (unit.words).
def _words(level: str, **given: str) -> Words:
    """A county-, town- or community-like row with the level's own character: 区委, 乡党政办公室."""
    L = level
    base = dict(
        party=f"{L}委", government=f"{L}人民政府", organ="人民政府", party_organ="委员会",
        office=f"{L}政府办公室", residents="群众", groups="", subunits="", units=f"{L}直各单位",
        below="", people=f"全{L}广大干部群众", scope="城区", leaders=f"{L}委、{L}政府",
        members="村（社区）“两委”成员", resident_reps="群众代表", group_leaders="村民小组长（居民小组长）",
    )
    base.update(given)
    if not base["below"]:
        base["below"] = f"{base['subunits']}、{base['units']}" if base["subunits"] else base["units"]
    return Words(**base)


WORDS: dict[str, Words] = {
    "市": _words("市", subunits="各县（市、区）", scope="城市", territory="市域"),
    # a 县级市 leads towns and streets as a county does, and governs its 市域 (kind 市 under a 地级市)
    "县级市": _words("市", subunits="各乡镇（街道）", scope="城市", territory="市域"),
    "县": _words("县", subunits="各乡镇（街道）", scope="县城", territory="县域"),
    "区": _words("区", subunits="各街道（镇）", scope="城区", members="社区（村）“两委”成员",
                group_leaders="居民小组长（村民小组长）", territory="城区"),
    "镇": _words("镇", party="镇党委", office="镇党政办公室", subunits="各村（社区）", people="全镇干部群众",
                scope="城镇", leaders="镇党委、镇政府", members="村（社区）“两委”成员"),
    "乡": _words("乡", party="乡党委", office="乡党政办公室", subunits="各村", people="全乡干部群众",
                scope="乡村", leaders="乡党委、乡政府", members="村“两委”成员", group_leaders="村民小组长",
                resident_reps="村民代表"),
    "街道": _words("街道", party="街道党工委", government="街道办事处", organ="办事处", party_organ="工作委员会",
                  office="街道党政办公室", residents="居民", subunits="各社区", units="街道各科室（站所）",
                  people="辖区居民群众", scope="城区", leaders="街道党工委、办事处", members="社区“两委”成员",
                  resident_reps="居民代表", group_leaders="居民小组长"),
    "社区": _words("社区", party="社区党委", government="社区居委会", organ="居民委员会", party_organ="",
                  office="社区居委会", residents="居民", groups="各居民小组", subunits="各网格", units="社区各党支部",
                  below="各网格、各居民小组和辖区单位", people="辖区居民", scope="社区", leaders="社区“两委”",
                  members="社区“两委”成员", resident_reps="居民代表", group_leaders="居民小组长", territory="社区",
                  smoke_free="无烟家庭、无烟单位"),
    "村": _words("村", party="村党组织", government="村民委员会", organ="村民委员会", party_organ="",
                office="村民委员会", residents="村民", groups="各村民小组", subunits="各村民小组", units="村各党小组",
                below="各村民小组、各网格和驻村单位", people="全村群众", scope="乡村", leaders="村“两委”",
                members="村“两委”成员", resident_reps="村民代表", group_leaders="村民小组长", territory="乡村",
                smoke_free="无烟家庭"),
    "单位": _words("单位", party="单位党组织", government="单位", organ="", party_organ="", office="办公室",
                  residents="干部职工", units="各部门", people="广大干部职工", scope="机关", leaders="单位领导班子",
                  members="干部职工代表", resident_reps="干部职工代表", group_leaders="各部门负责人",
                  smoke_free="无烟机关"),
}
WORDS["省"] = _words("省", subunits="各市（州）", scope="城乡", territory="省域")
WORDS["地级市"] = WORDS["市"]


def department_words(short: str) -> Words:
    """A department typed as the unit (县民政局): its own offices and staff, not a place's residents.
    ``short`` is how it names itself: 局, 委, 办, 中心."""
    return _words(
        short, party=f"{short}党组（党委）", government=short, organ="", party_organ="", office=f"{short}办公室",
        residents="干部职工", units=f"{short}机关各科室（股室）和{short}属各单位", people=f"全{short}干部职工",
        scope="机关", leaders=f"{short}领导班子", members="干部职工代表", resident_reps="干部职工代表",
        group_leaders="各科室（股室）负责人", smoke_free="无烟机关",
    )


WORDS["部门"] = department_words("局")


_TIERS = {"省": "county", "地级市": "county", "县级市": "county", "县": "county", "区": "county",
          "镇": "town", "乡": "town", "街道": "town", "社区": "community", "村": "community", "部门": "department"}


class Unit(InputModel):
    """The unit that issues and carries out the plan (建平镇东街社区, 城关镇, 松阳县), typed as a place
    (桥头村) or as its organ (桥头村委会, 青山县人民政府) or a department (县民政局).

    One level model decides everything level-dependent: :attr:`rank` (省, 地级市, 县级市, 县, 区, 镇, 乡,
    街道, 社区, 村, 部门, 单位) picks the row of :data:`WORDS` (vocabulary and organs), :attr:`organ` signs,
    and the plan types take who reports to whom from it."""

    name: Annotated[Name, AfterValidator(joins.org_name)] = zh("名称", description="单位名称，如 东街社区")
    kind: UnitKind | None = zh("类别", None, description="县/县级市/区/镇/乡/街道/社区/村/部门；省略时按名称推断")
    parent: Annotated[Name, AfterValidator(joins.org_name)] | None = zh("上级单位", None, description="上级单位，如 城关镇")
    county: Annotated[Name, AfterValidator(joins.org_name)] | None = zh("所在县市", None, description="所在县（市、区），如 郎溪县")

    @model_validator(mode="after")
    def _known_rank(self) -> Unit:
        """A name that says neither a place, an organ nor a department is asked about, not guessed."""
        if self.kind is None and recognise(self.name) is None:
            raise ValueError(msg(
                "input.unit-kind-unknown",
                "cannot tell what kind of unit {name!r} is; write unit.kind: 县, 县级市, 区, 镇, 乡, 街道, 社区, 村, 部门 or 单位",
                name=self.name, text=self.name))
        return self

    @property
    def _recognised(self) -> tuple[str, str]:
        return recognise(self.name) or (self.kind or "单位", self.name)

    @property
    def rank(self) -> str:
        """省, 地级市, 县级市, 县, 区, 镇, 乡, 街道, 社区, 村, 部门 or 单位. A 市 under a 市 (or 州, 盟, 地区) is a
        县级市: the level follows from kind and parent, not from the word 市."""
        found = recognise(self.name)
        if found and found[0] == "部门" and self.kind not in ("单位",):
            return "部门"  # 松川县民政局 with kind 县: a county's department, not the county
        kind = self.kind or self._recognised[0]
        if kind == "市":
            parent = self.parent or ""
            return "县级市" if parent.endswith(("市", "州", "盟", "地区")) else "地级市"
        return kind

    @property
    def place(self) -> str:
        """The place the unit is (桥头村 for 桥头村委会, 青山县 for 青山县人民政府); a department's own name."""
        if self.rank in ("部门", "单位"):
            return self.name
        return self._recognised[1] if recognise(self.name) else self.name

    @property
    def is_organ(self) -> bool:
        """The name is already an organ (桥头村委会, 县民政局), so it signs as typed."""
        return self.place != self.name or self.rank in ("部门", "单位")

    @property
    def seat(self) -> str:
        """The level of government a department belongs to (县 for 县民政局), or the unit's own level."""
        if self.rank == "部门":
            if self.kind in ("省", "市", "县", "区", "镇", "乡", "街道"):
                return self.kind
            place = _department_place(self.name)
            return place[-1] if place else (self.parent or "县")[-1] if (self.parent or "")[-1:] in _PLACE_CHARS else "县"
        return self.level

    @property
    def short(self) -> str:
        """How a department names itself: 局 (我局), 委 (县卫生健康委员会: 我委, never 我会), 办, 中心, 院."""
        for tail, short in (("办公室", "办"), ("中心", "中心"), ("委员会", "委")):
            if self.name.endswith(tail):
                return short
        return self.name[-1]

    @property
    def level(self) -> str:
        """The character a unit names itself by: 县, 市 (地级市 and 县级市), 镇, 街道, 社区, 村; 部门, 单位."""
        rank = self.rank
        return "市" if rank in ("地级市", "县级市") else rank

    @property
    def tier(self) -> Literal["county", "town", "community", "department", "other"]:
        return _TIERS.get(self.rank, "other")  # type: ignore[return-value]

    @property
    def words(self) -> Words:
        """The organs and words for this kind of unit (the table :data:`WORDS`)."""
        if self.rank == "部门":
            return department_words(self.short)
        return WORDS.get(self.rank, WORDS["单位"])

    @property
    def full_name(self) -> str:
        """The place with its parent in front (城关镇东街社区), unless it already carries it.

        A county or district is named alone: its own plans do not name the city above it; a department
        or an organ typed as the unit is named by its place (桥头村委会 → 石门乡桥头村)."""
        place = self.place
        if self.tier in ("county", "department", "other"):
            return place
        if self.parent and not place.startswith(self.parent):
            return self.parent + place
        return place

    @property
    def organ(self) -> str:
        """The unit's administrative organ, which signs its plans: 青山县人民政府, 城南镇人民政府,
        东街街道办事处, 东街社区居民委员会, 凌笪村村民委员会. A place does not sign; an organ does."""
        if self.is_organ:
            return self.name  # already an organ (东街居委会, 青山县人民政府, 县民政局)
        suffix = self.words.organ
        return self.name + suffix if suffix else self.name

    @property
    def party_organ(self) -> str:
        """The unit's party organ in full: 中共青山县委员会, 中共城南镇委员会, 中共东街街道工作委员会;
        for a community or village (whose party organisation may be a 党委, 总支 or 支部) the
        administrative organ."""
        if self.name.startswith("中共") or self.is_organ:
            return self.name  # an organ typed as the unit (青山县人民政府, 桥头村委会) is the organ it named
        if self.tier in ("county", "town") and self.words.party_organ:
            return f"中共{self.place}{self.words.party_organ}"
        return self.organ

    @property
    def we(self) -> str:
        """How the unit names itself in its own plan: 我县, 我市, 我镇, 我街道, 我社区, 我村, 我局, 我单位."""
        return "我" + (self.short if self.rank == "部门" else self.level)

    @property
    def whole(self) -> str:
        """全县 / 全镇 / 全街道 / 全社区 / 全村 / 全局."""
        return "全" + (self.short if self.rank == "部门" else self.level)

    @property
    def below(self) -> str:
        """Who carries the work out below this unit, for sentences such as "{below}要…"."""
        return self.words.below


class Person(InputModel):
    """A person by name, with an optional post. ``张三`` or ``张三（社区主任）`` as a string also works."""

    name: Annotated[Name, AfterValidator(joins.person_name)] = zh("姓名")
    post: Name | None = zh("职务", None)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            m = re.fullmatch(r"\s*([^（(]+?)\s*[（(]\s*([^）)]+?)\s*[）)]\s*", value)
            return {"name": m.group(1), "post": m.group(2)} if m else {"name": value}
        return value

    @property
    def label(self) -> str:
        """张三（社区主任） or 张三."""
        return f"{self.name}（{self.post}）" if self.post else self.name


_PHONE_RE = re.compile(r"^[0-9０-９+\-－ ()（）转]{5,30}$")


def _phone(value: str) -> str:
    value = joins.phone_digits(value)
    if not _PHONE_RE.match(value):
        raise ValueError(msg("input.not-phone", "{value} is not a phone number; write digits such as 0523-88229815",
                             value=repr(value), text=value))
    return value


class Office(InputModel):
    """The leadership group's office (办公室设在…，主任由…兼任)."""

    location: Name = zh("设在", description="办公室设在哪个部门，如 社区居委会")
    director: Person | None = zh("主任", None, description="办公室主任")
    phone: Annotated[Name, AfterValidator(_phone)] | None = zh("电话", None)


class Leadership(InputModel):
    """领导小组: 组长, 副组长 (any number), 成员 (any number), 办公室."""

    name: Line | None = zh("名称", None, description="领导小组名称；省略时按单位和方案生成")
    leader: Person = zh("组长")
    deputies: list[Person] = zh("副组长", default_factory=list, max_length=20)
    members: list[Person] = zh("成员", default_factory=list, max_length=80)
    office: Office | None = zh("办公室", None)

    @field_validator("deputies", "members", mode="before")
    @classmethod
    def _split_names(cls, value: Any) -> Any:
        """Rosters often hold several names in one cell: 丁燕、冯军、陆丽杰."""
        if isinstance(value, str):
            names = joins.split_names(value)
            if names is None:
                raise ValueError(msg("input.names-ambiguous",
                                     "{value!r}: cannot tell where one name ends; separate the names with 、",
                                     value=value, text=value))
            return names
        return value

    def roster(self) -> list[tuple[str, str]]:
        """(label, names) lines of the roster, names joined with 、 as a plan writes them."""
        lines = [("组长", self.leader.label)]
        if self.deputies:
            lines.append(("副组长", "、".join(p.label for p in self.deputies)))
        if self.members:
            lines.append(("成员", "、".join(p.label for p in self.members)))
        return lines


class Phase(InputModel):
    """One dated step of a plan (宣传发动阶段, 4月1日至4月7日)."""

    name: Name = zh("名称")
    start: Day = zh("开始")
    end: Day = zh("结束")
    work: Para | None = zh("内容", None, description="这一阶段做什么；省略时用方案类型的默认表述")

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.end < self.start:
            raise ValueError(msg("input.phase-reversed", "phase {name} ends ({end}) before it starts ({start})",
                                 name=repr(self.name), text=self.name, end=self.end, start=self.start))
        return self

    @property
    def title(self) -> str:
        """宣传发动阶段 — the name with 阶段 added once."""
        return self.name if self.name.endswith("阶段") else self.name + "阶段"


def _span(start: date, end: date, *, by_xun: bool) -> str:
    if by_xun:
        a, b = f"{start.month}月{T.xun(start)}", f"{end.month}月{T.xun(end)}"
        years = start.year != end.year
        if years:
            a, b = f"{start.year}年{a}", f"{end.year}年{b}"
        return a if a == b else f"{a}至{b}"
    if start == end:
        return T.cn_month_day(start)
    if start.year != end.year:
        return f"{T.cn_date(start)}至{T.cn_date(end)}"
    return f"{T.cn_month_day(start)}至{T.cn_month_day(end)}"


def xun_index(day: date) -> int:
    """A running number of the 旬 a day falls in, so two days compare by 旬."""
    return (day.year * 12 + day.month) * 3 + (0 if day.day <= 10 else 1 if day.day <= 20 else 2)


def _xun_apart(phases: list[Phase]) -> None:
    """Phases written by 旬 must not share one: 4月上旬 / 4月上旬至4月下旬 reads as an overlap."""
    for i in range(1, len(phases)):
        before, phase = phases[i - 1], phases[i]
        if xun_index(phase.start) <= xun_index(before.end):
            shared = f"{phase.start.month}月{T.xun(phase.start)}"
            raise ValueError(msg(
                "input.phase-xun-shared",
                "phases {before} ({previous}) and {i} ({name}) both fall in {xun} when written by 旬; start each phase "
                "on the 1st, 11th or 21st of a month, or set dates.by_xun to false",
                before=i, previous=before.name, i=i + 1, name=phase.name, xun=shared))


def _xun_start(day: date) -> date:
    """The first day of the 旬 nearest to ``day`` (1st, 11th or 21st)."""
    candidates = [date(day.year, day.month, d) for d in (1, 11, 21)]
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return min([*candidates, following], key=lambda c: abs((c - day).days))


ISSUED_AHEAD_DAYS = 92
"""A plan is signed at most about three months before it starts; more means a date left from another year."""
SIGNED_AFTER_DAYS = 92
"""A report (``signed_after_period``) is signed at most about three months after the work ends."""


class Dates(InputModel):
    """The plan's period, its issue date (成文日期) and its phases."""

    start: Day = zh("开始")
    end: Day = zh("结束")
    issued: Day | None = zh("成文日期", None, description="落款日期；省略时取开始日期")
    phases: list[Phase] = zh("阶段", default_factory=list, max_length=12)
    by_xun: bool = zh("按旬", False, description="阶段按旬表述，如 4月中旬至5月上旬")
    _report: bool = PrivateAttr(False)
    """Set by a report (``signed_after_period``): without 成文日期 it is signed when the work ends."""

    @model_validator(mode="after")
    def _consistent(self) -> Dates:
        if self.end < self.start:
            raise ValueError(msg("input.period-reversed", "the period ends ({end}) before it starts ({start})",
                                 end=self.end, start=self.start))
        if (self.end - self.start).days > 3 * 366:
            raise ValueError(msg("input.period-too-long", "the period is longer than three years; check the years of start and end"))
        found = Problems()  # every phase's problem at once, beside its phase
        previous: Phase | None = None
        for i, phase in enumerate(self.phases, 1):
            if phase.start < self.start or phase.end > self.end:
                found.add(msg(
                    "input.phase-outside",
                    "phase {i} ({name}, {start} to {end}) lies outside the period {period_start} to {period_end}",
                    i=i, name=phase.name, start=phase.start, end=phase.end,
                    period_start=self.start, period_end=self.end), "phases", i - 1)
            if previous and phase.start <= previous.end:
                found.add(msg(
                    "input.phase-overlap",
                    "phase {i} ({name}) starts on {start}, before phase {before} ({previous}) ends on {end}; "
                    "phases must be in order and not overlap",
                    i=i, name=phase.name, start=phase.start, before=i - 1, previous=previous.name, end=previous.end),
                    "phases", i - 1)
            previous = phase
        if self.by_xun and not found.items:  # overlapping phases share a 旬 too: one problem, not two
            with found.at():
                _xun_apart(self.phases)
        found.raise_any()
        return self

    @property
    def issue_date(self) -> date:
        """成文日期: given, or the start of a plan's period; a report without one is signed on the day the
        work it reports on ends (the earliest day a report on all of it can carry), never on its first day."""
        return self.issued or (self.end if self._report else self.start)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def period(self) -> str:
        """2024年4月1日至4月30日: the year once, or both years when the period crosses a new year."""
        span = self.span()
        return span if self.start.year != self.end.year else f"{self.start.year}年{span}"

    def span(self, start: date | None = None, end: date | None = None) -> str:
        """How the plan writes a date range: 4月1日至4月30日, or 4月中旬至5月上旬 when asked for 旬."""
        return _span(start or self.start, end or self.end, by_xun=self.by_xun)


class Basis(InputModel):
    """A superior document the plan is based on: 《title》（number）."""

    title: Line = zh("标题")
    number: DocNo | None = zh("文号", None)

    @field_validator("title", mode="after")
    @classmethod
    def _no_book_marks(cls, value: str) -> str:
        return value.removeprefix("《").removesuffix("》")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            m = re.fullmatch(r"\s*《?(.+?)》?\s*[（(]([^（）()]+号)[）)]\s*", value)
            return {"title": m.group(1), "number": m.group(2)} if m else {"title": value}
        return value

    @property
    def cited(self) -> str:
        return f"《{self.title}》（{self.number}）" if self.number else f"《{self.title}》"


class Issuer(InputModel):
    """Who issues the plan under a notice (关于印发《…》的通知) and how it is distributed."""

    body: Name = zh("发文机关", description="发文机关全称，如 中共城关镇委员会")
    mark: Name | None = zh("机关标志", None, description="版头的发文机关标志；省略时为 发文机关+文件")
    number: DocNo | None = zh("发文字号", None, description="如 城发〔2024〕12号")
    addressees: list[Name] = zh("主送", default_factory=list, max_length=30)
    copy_to: list[Name] = zh("抄送", default_factory=list, max_length=30)
    printer: Name | None = zh("印发机关", None, description="印发机关，如 城关镇党政办公室")
    printed: Day | None = zh("印发日期", None)


class Contact(InputModel):
    person: Annotated[Name, AfterValidator(joins.person_name)] = zh("联系人")
    phone: Annotated[Name, AfterValidator(_phone)] = zh("电话")


class PlanInput(InputModel):
    """Fields every plan type shares. Subclass it and add the type's own fields."""

    unit: Unit = zh("单位")
    dates: Dates = zh("日期")
    leadership: Leadership | None = zh("领导小组", None)
    basis: list[Basis] = zh("依据", default_factory=list, max_length=10)
    issuer: Issuer | None = zh("发文", None)
    contact: Contact | None = zh("联系人", None)
    signature: Name | None = zh("落款", None, description="落款机关全称，如 城南镇人民政府；省略时为单位的行政机关（人民政府、街道办事处、居民委员会、村民委员会）")

    signed_after_period: ClassVar[bool] = False
    """A plan is signed before its period ends; a report (survey-report) after the work it reports on."""

    def model_post_init(self, context: Any, /) -> None:
        """The dates know whether they belong to a report before any check reads ``issue_date``."""
        dates = self.__dict__.get("dates")  # unset in a partial model whose dates are wrong (inputs.partial_checks)
        if dates is not None:
            dates._report = self.signed_after_period

    @cross_check
    def _dates_of_one_year(self) -> None:
        """Dates left from another year (a 2025 plan signed 2024年3月25日) contradict the period: each is
        an error naming both fields, so changing ``year`` never silently keeps last year's dates."""
        d, issued = self.dates, self.dates.issued
        found = Problems()  # the issue date and the print date are checked apart: both shown at once
        if issued is not None:
            if self.signed_after_period:
                if issued < d.start or (issued - d.end).days > SIGNED_AFTER_DAYS:
                    found.add(msg(
                        "input.issued-not-after-work",
                        "dates.issued ({issued}) does not follow the work it reports on (dates.start {start} "
                        "to dates.end {end}); is it another year's date? correct one of them",
                        issued=issued, start=d.start, end=d.end))
            elif issued > d.end:
                found.add(msg(
                    "input.issued-after-period",
                    "dates.issued ({issued}) is after the period ends (dates.end {end}); "
                    "a plan is signed before or while it runs — correct one of them",
                    issued=issued, end=d.end))
            elif (d.start - issued).days > ISSUED_AHEAD_DAYS:
                found.add(msg(
                    "input.issued-too-early",
                    "dates.issued ({issued}) is {days} days before the period starts (dates.start {start}); "
                    "is it last year's date? correct one of them, or leave issued out to sign on the start date",
                    issued=issued, days=(d.start - issued).days, start=d.start))
        printed = self.issuer.printed if self.issuer else None
        if printed is not None and abs((printed - d.issue_date).days) > ISSUED_AHEAD_DAYS:
            found.add(msg(
                "input.printed-far",
                "issuer.printed ({printed}) is months away from the signing date (dates.issued {issued}); "
                "is it another year's date? correct one of them",
                printed=printed, issued=d.issue_date))
        found.raise_any()

    @property
    def signer(self) -> str:
        """Who signs: the organ given, or the organ this plan type signs as for this unit."""
        return self.signature or self.default_signer

    @property
    def default_signer(self) -> str:
        """The unit's administrative organ; a plan type signed by another organ overrides this."""
        return self.unit.organ

    def leadership_group_name(self, purpose: str) -> str:
        """领导小组 name: given, or 城关镇东街社区{purpose}领导小组 — 工作 added only when the purpose
        lacks it (no 活动工作领导小组); a county's group does not name its city (see Unit.full_name)."""
        if self.leadership and self.leadership.name:
            return self.leadership.name
        tail = "" if purpose.endswith(("工作", "活动")) else "工作"
        return f"{self.unit.full_name}{purpose}{tail}领导小组"


def phases_evenly(start: date, end: date, names: list[str], shares: list[int], *, by_xun: bool = False) -> list[dict[str, Any]]:
    """Default phases that split a period by shares, back to back, for plan types that offer defaults.

    ``by_xun``: each boundary moved to the start of a 旬 (1st, 11th, 21st), so phases written by 旬 never
    share one; phases that would then be empty are merged into their neighbour's span."""
    if by_xun:
        return _phases_by_xun(start, end, names, shares)
    total_days = (end - start).days + 1
    out: list[dict[str, Any]] = []
    cursor = start
    weight = sum(shares)
    used = 0
    for i, (name, share) in enumerate(zip(names, shares, strict=True)):
        used += share
        last = end if i == len(names) - 1 else start + timedelta(days=max(0, round(total_days * used / weight) - 1))
        last = max(last, cursor)
        out.append({"name": name, "start": cursor, "end": last})
        cursor = last + timedelta(days=1)
    return out


def _phases_by_xun(start: date, end: date, names: list[str], shares: list[int]) -> list[dict[str, Any]]:
    plain = phases_evenly(start, end, names, shares)
    bounds = [start]
    for phase in plain[1:]:
        snapped = _xun_start(phase["start"])
        if xun_index(snapped) > xun_index(bounds[-1]) and snapped <= end:
            bounds.append(snapped)
    used = names if len(bounds) == len(names) else [*names[: len(bounds) - 1], names[-1]]
    out = []
    for i, first in enumerate(bounds):
        last = end if i == len(bounds) - 1 else bounds[i + 1] - timedelta(days=1)
        out.append({"name": used[i], "start": first, "end": last})
    return out


def key_of(data: dict[str, Any], english: str, chinese: str) -> str:
    """The key the user wrote for a field (English unless only the Chinese one is there), so a
    before-validator adds defaults under the same spelling and never creates a second key."""
    return chinese if chinese in data and english not in data else english


def get_key(data: dict[str, Any], *keys: str) -> Any:
    """The value of whichever spelling of a key the user wrote (for before-validators)."""
    for key in keys:
        if key in data:
            return data[key]
    return None
