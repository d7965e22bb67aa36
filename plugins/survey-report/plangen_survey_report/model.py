"""The input of a 社区建设调研报告: the surveyed communities with their figures, and the findings.

A user supplies the facts only they know (each community's staff, rooms and money); totals, averages
and the communities below the space standard are worked out in :mod:`plangen_survey_report.plugin`.
Problems and recommendations default to the usual three (facilities, working mechanism, staff); a
user may name catalogue items, write their own, or mix both.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import model_validator

from plangen import InputModel, Line, Name, Para, PlanInput, Problems, Unit, cross_check, get_key, mend_example_words, msg, zh

Kind = Literal["facilities", "mechanism", "staff", "leadership"]
KINDS: tuple[Kind, ...] = ("facilities", "mechanism", "staff")
RECOMMENDATION_KINDS: tuple[Kind, ...] = ("leadership", "facilities", "mechanism", "staff")
_KIND_WORDS: dict[str, Kind] = {
    "facilities": "facilities", "硬件设施": "facilities", "设施": "facilities", "硬件": "facilities",
    "mechanism": "mechanism", "工作机制": "mechanism", "机制": "mechanism",
    "staff": "staff", "队伍素质": "staff", "队伍": "staff", "队伍建设": "staff",
    "leadership": "leadership", "组织领导": "leadership", "领导": "leadership",
}


KIND_NAMES: dict[str, str] = {"leadership": "组织领导", "facilities": "硬件设施", "mechanism": "工作机制", "staff": "队伍素质"}


class Community(InputModel):
    """One surveyed community and its figures (one row of the table)."""

    name: Name = zh("名称", description="社区名称，如 东街社区")
    staff: int = zh("正式人员", ge=0, le=500, description="正式工作人员，名")
    hired: int = zh("聘用人员", 0, ge=0, le=500, description="聘用（临时）工作人员，名")
    office: float = zh("用房面积", ge=0, le=100000, description="办公和活动用房面积，平方米")
    funding: float = zh("经费", ge=0, le=100000, description="年度工作经费，万元")


class Finance(InputModel):
    """What the staff of all communities cost a year and how much of it higher finance pays."""

    needed: float = zh("年需经费", gt=0, le=1000000, description="社区工作人员年需经费合计，万元")
    granted: float = zh("财政补助", ge=0, le=1000000, description="上级财政每年补助，万元")


class StaffProfile(InputModel):
    average_age: int | None = zh("平均年龄", None, ge=18, le=80)
    college_share: float | None = zh("大专以上比例", None, ge=0, le=100, description="大专以上学历人员所占百分比")


class Finding(InputModel):
    """A problem or a recommendation: a catalogue item (``kind``), or a title with its text.

    ``硬件设施`` alone picks the standard wording; ``{kind: staff, detail: …}`` keeps the standard
    heading with the user's text; ``{title: …, detail: …}`` is entirely the user's.
    """

    kind: Kind | None = zh("类别", None, description="组织领导、硬件设施、工作机制或队伍素质", labels=KIND_NAMES)
    title: Line | None = zh("标题", None, description="自拟标题（不写序号）")
    detail: Para | None = zh("内容", None, description="具体内容；省略时用该类别的默认表述")

    @model_validator(mode="before")
    @classmethod
    def _from_word(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip()
            if word in _KIND_WORDS:
                return {"kind": _KIND_WORDS[word]}
            raise ValueError(msg("survey-report.unknown-kind",
                                 "{word!r} is not one of 组织领导, 硬件设施, 工作机制, 队伍素质; write your own as {{title: …, detail: …}}",
                                 word=word))
        if isinstance(value, dict):
            kind = get_key(value, "kind", "类别")
            if isinstance(kind, str) and kind.strip() in _KIND_WORDS:
                key = "kind" if "kind" in value else "类别"
                value = {**value, key: _KIND_WORDS[kind.strip()]}
        return value

    @cross_check
    def _complete(self) -> None:
        if self.kind is None and not (self.title and self.detail):
            raise ValueError(msg("survey-report.finding-empty", "give a kind (硬件设施, 工作机制 or 队伍素质) or both a title and a detail"))


def _defaults() -> list[Finding]:
    return [Finding(kind=kind) for kind in KINDS]


def _recommendation_defaults() -> list[Finding]:
    return [Finding(kind=kind) for kind in RECOMMENDATION_KINDS]


class Targets(InputModel):
    """Staffing targets the report recommends for every community, by a target year."""

    year: int = zh("目标年度", ge=2000, le=2100, description="到哪一年达到，如 2026")
    staff: int | None = zh("正式人员", None, ge=1, le=100, description="每个社区配备正式人员，名")
    hired: int | None = zh("聘用人员", None, ge=0, le=100, description="每个社区配备聘用人员，名")
    college_share: float | None = zh("大专以上比例", None, gt=0, le=100, description="大专以上学历人员比例，%")
    average_age: int | None = zh("平均年龄", None, ge=18, le=70, description="平均年龄控制在多少岁以内")
    party_share: float | None = zh("党团员比例", None, gt=0, le=100, description="党团员比例，%")

    @cross_check
    def _something(self) -> None:
        if all(v is None for v in (self.staff, self.hired, self.college_share, self.average_age, self.party_share)):
            raise ValueError(msg("survey-report.no-target", "targets names no target; give staff, hired, college_share, average_age or party_share"))


OWN_UNIT = ("scope!",)
"""The example's 调研范围 (城关镇城区) is 城关镇's own: a report of any other unit made from the example
speaks of its own place (the unit's name, or a department's county) unless the clerk writes a scope."""


@functools.cache
def _example() -> str:
    return (Path(__file__).parent / "templates" / "survey-report.example.yaml").read_text(encoding="utf-8")


class SurveyReport(PlanInput):
    """社区建设调研报告."""

    signed_after_period: ClassVar[bool] = True  # a report is written after the survey it reports on
    example_own_level: ClassVar[tuple[str, ...]] = OWN_UNIT
    """Read by the web form too, which empties the example's scope when another unit is typed."""

    @model_validator(mode="before")
    @classmethod
    def _own_place(cls, data: Any) -> Any:
        """梅渚镇's report made from the example does not survey 城关镇城区."""
        if not isinstance(data, dict):
            return data
        try:
            unit = Unit.model_validate(get_key(data, "unit", "单位"))
        except Exception:  # the unit's own error is reported by its field
            return data
        return mend_example_words(data, _example(), unit.level, unit.name, unit.parent, None, OWN_UNIT)[0]

    topic: Line = zh("主题", "社区建设", description="调研主题，标题写作 关于…情况的调研报告")
    scope: Name | None = zh("范围", None, description="调研范围，如 城关镇城区；省略时为单位全称")
    methods: list[Name] = zh("方式", default_factory=lambda: ["实地走访", "座谈交流", "查阅资料"], min_length=1, max_length=6)
    communities: list[Community] = zh("社区", min_length=1, max_length=80, description="被调研的社区及其数据，每个一行")
    standard: float = zh("用房标准", 200, gt=0, le=10000, description="每个社区办公和活动用房的达标面积，平方米")
    finance: Finance | None = zh("人员经费", None)
    staff_profile: StaffProfile | None = zh("队伍情况", None)
    achievements: list[Para] = zh("成效", default_factory=list, max_length=8, description="已取得的成效，每项一段；省略时用默认表述")
    problems: list[Finding] = zh("问题", default_factory=_defaults, min_length=1, max_length=8)
    recommendations: list[Finding] = zh("建议", default_factory=_recommendation_defaults, min_length=1, max_length=8,
                                        description="对策建议；省略时为 组织领导、硬件设施、工作机制、队伍素质 四项")
    targets: Targets | None = zh("配备目标", None, description="每个社区工作人员的配备目标（可省略）")

    @cross_check
    def _distinct(self) -> None:
        """Each community and each catalogue item once, every repetition beside its second entry."""
        found = Problems()
        names = [c.name for c in self.communities]
        for i, name in enumerate(names):
            if name in names[:i] and name not in names[i + 1:]:
                found.add(msg("survey-report.community-twice", "community {name} is listed twice", name=name), "communities", i)
        for i, f in enumerate(self.problems):
            if f.kind == "leadership" and not f.title:
                found.add(msg("survey-report.leadership-problem",
                              "problems: 组织领导 is a recommendation only; write the problem as {{title: …, detail: …}}",
                              field="problems"), "problems", i)
        for label, items in (("problems", self.problems), ("recommendations", self.recommendations)):
            kinds = [f.kind for f in items if f.kind and not f.title]
            if len(kinds) != len(set(kinds)):
                found.add(msg("survey-report.kind-twice", "{field}: a catalogue item is listed twice", field=label), label)
        found.raise_any()

    @cross_check
    def _made_above_communities(self) -> None:
        if self.unit.tier == "community":
            raise ValueError(msg("survey-report.unit-below-communities",
                                 "{name} is a community or village; a survey of communities is made by a county, town, street "
                                 "or department: give the unit that organised the survey", name=self.unit.name, field="unit"))

    @cross_check
    def _targets_after_survey(self) -> None:
        if self.targets and self.targets.year < self.dates.start.year:
            raise ValueError(msg("survey-report.target-before-survey", "targets.year {target} is before the survey ({year})",
                                 target=self.targets.year, year=self.dates.start.year))

    @property
    def area(self) -> str:
        """What the report is about: the scope given, or the unit's full name; a department (县民政局)
        reports on the place it serves (its parent, or 全县), not on itself."""
        if self.scope:
            return self.scope
        if self.unit.tier in ("department", "other"):
            return self.unit.parent or f"全{self.unit.seat}"
        return self.unit.full_name
