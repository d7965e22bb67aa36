"""Which parts of last year's document change from year to year and unit to unit.

The fix recogniser gives the structure (title, headings by level, paragraphs, tables, signature);
here every block's text is cut into fixed text and fields: the unit, its parent and the words of its
level (我镇, 全镇, 镇党委 …), the year and the edition counted from it, dates, the 领导小组 roster
and other people, the contact and phone numbers, document numbers and the theme. Everything else
stays the template's fixed wording.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from plangen.declarative.learned import LearnedBlock, LearnedField
from plangen.inputs.common import WORDS, Unit

LEVELS = "街道|社区|村|镇|乡|县|区|市"
_NOT_UNITS = {"城乡", "乡镇", "村镇", "城区", "社区", "街道", "县区", "市区", "农村", "乡村", "城镇", "山区", "景区", "园区", "小区", "辖区", "片区", "新区", "城市", "都市"}
YEAR_RE = re.compile(r"(?<![\d〔\[（(])((?:19|20)\d{2})(?=\s*年)")
FULL_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
MONTH_DAY_RE = re.compile(r"(?<!\d年)(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DAY_ONLY_RE = re.compile(r"(?<=[至到—－\-~～])\s*(\d{1,2})\s*日")
_CN_NUM = "一二三四五六七八九十百"
EDITION_RE = re.compile(f"第(\\d{{1,3}}|[{_CN_NUM}]{{1,4}})(个|届|次)(?=[\u4e00-\u9fff“”]{{0,14}}?(?:月|日|周|节|会|赛|运动))")
THEME_RE = re.compile(r"主题(?:为|是)?[：:]?\s*[“\"]([^”\"]{2,40})[”\"]|[“\"]([^”\"]{2,40})[”\"]的?(?:活动)?主题")
PHONE_RE = re.compile(r"(?<![\d\w])(0\d{2,3}[-－]?\d{7,8}|1[3-9]\d{9})(?!\d)")
DOCNO_RE = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【](?:19|20)\d{2}[〕\]】]第?\d{1,4}号")
CONTACT_RE = re.compile(r"联系人[：:]\s*([\u4e00-\u9fff]{2,3})(?![\u4e00-\u9fff])")
PERSON_RE = re.compile(r"(?:[长记任席员由请、，：:])([\u4e00-\u9fff]{2,3}?)(?=同志)|"
                       r"(?:负责人|责任人|带班领导|值班领导)[：:]\s*([\u4e00-\u9fff]{2,3})(?![\u4e00-\u9fff])")
_PLACE = "[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡|村|社区)"
PLACES_RE = re.compile(f"{_PLACE}(?:、{_PLACE})+")
_GENERIC_PLACE = re.compile(r"^(各|全|本|我|该|行政|城中|城乡|农村|乡村|所在|相关|有关|辖区|驻)")
ROSTER_RE = re.compile(r"^(组\s*长|第一组长|常务副组长|副\s*组\s*长|成\s*员)\s*[：:]\s*(.+)$")
_ROLES = {"组长": "leader", "第一组长": "leader", "常务副组长": "deputies", "副组长": "deputies", "成员": "members"}
_POST_END = ("长", "书记", "主任", "委员", "干部", "员", "记", "任", "理", "师", "官")
_ORGAN_SUFFIXES = ("人民政府", "居民委员会", "村民委员会", "办事处", "委员会", "居委会", "村委会")


def cn_value(text: str) -> int | None:
    """一 → 1, 三十六 → 36, 36 → 36."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}
    if "百" in text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text) if len(text) == 1 else None


@dataclass
class Facts:
    """What the whole document says once: worked out before the blocks are cut."""

    year: int | None = None
    unit: Unit | None = None
    edition: tuple[int, int] | None = None
    """(edition, year it counts from)."""
    theme: str = ""
    issued: date | None = None
    signer: str = ""
    dates: dict[date, str] = field(default_factory=dict)
    """Each date the text names → the field it becomes (dates.start, dates.end, date_2 …)."""
    literals: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Literal text → (field path, template expression)."""
    fields: dict[str, LearnedField] = field(default_factory=dict)
    heading: str = ""
    """The text of the last heading, to name the dates under it."""
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, f: LearnedField) -> LearnedField:
        return self.fields.setdefault(f.path, f)


def find_unit(title: str, signer: str) -> Unit | None:
    """The unit from the title's start (城关镇东街社区2024年…), else from the signing organ."""
    text = re.sub(r"^关于", "", title)
    first = re.match(f"([\u4e00-\u9fff]{{1,12}}?(?:{LEVELS}))", text)
    names: list[str] = []
    if first and first.group(1) not in _NOT_UNITS:
        names.append(first.group(1))
        rest = text[first.end():]
        second = re.match(f"([\u4e00-\u9fff]{{2,10}}?(?:{LEVELS}))(?=\\d|[\u4e00-\u9fff“]{{2,}})", rest)
        if second and second.group(1) not in _NOT_UNITS and not re.search("月|日|周|年|工作|活动|安全|防", second.group(1)):
            names.append(second.group(1))
    if not names and signer:
        base = signer
        for suffix in _ORGAN_SUFFIXES:
            if base.endswith(suffix) and len(base) > len(suffix) + 1:
                base = base[: -len(suffix)]
                break
        m = re.match(f"([\u4e00-\u9fff]{{2,12}}?(?:{LEVELS}))$", base)
        if m:
            names.append(m.group(1))
    if not names:
        return None
    if len(names) == 2:
        return Unit(name=names[1], parent=names[0])
    return Unit(name=names[0])


def unit_literals(facts: Facts) -> None:
    """The unit's names and the words of its level, each printed from the unit in the template."""
    unit = facts.unit
    if unit is None:
        return
    lit = facts.literals
    facts.add(LearnedField("unit.name", "单位名称", "text", unit.name, "unit"))
    if unit.parent:
        facts.add(LearnedField("unit.parent", "上级单位", "text", unit.parent, "parent"))
        lit[unit.parent + unit.name] = ("unit.name", "{{ unit.full_name }}")
        lit[unit.parent] = ("unit.parent", "{{ unit.parent }}")
    if unit.organ != unit.name:
        lit[unit.organ] = ("unit.name", "{{ unit.organ }}")
    if unit.party_organ != unit.organ:
        lit[unit.party_organ] = ("unit.name", "{{ unit.party_organ }}")
    lit[unit.name] = ("unit.name", "{{ unit.name }}")
    core = unit.name[: -len(unit.level)] if unit.name.endswith(unit.level) else ""
    if len(core) >= 2:  # 新松阳报: the place's name without its level word
        lit.setdefault(core, ("unit.name", "{{ unit.name[:-(unit.level|length)] }}"))
    words = WORDS.get(unit.level)
    if words is None or unit.level == "单位":
        return
    lit.setdefault(unit.we, ("unit.name", "{{ unit.we }}"))
    lit.setdefault(unit.whole, ("unit.name", "{{ unit.whole }}"))
    for attr in ("people", "leaders", "units", "subunits", "office", "government", "party"):
        value = getattr(words, attr)
        if len(value) >= 3 and value not in lit:
            lit[value] = ("unit.name", "{{ unit.words.%s }}" % attr)


def parse_person(text: str) -> dict[str, str] | None:
    """张三（镇长） / 张三 镇长 / 张三 → name and post; None when it is not one person."""
    text = text.strip().replace("(", "（").replace(")", "）")
    m = re.fullmatch(r"([\u4e00-\u9fff]{2,4})\s*（([^）]{2,20})）", text)
    if m:
        return {"name": m.group(1), "post": m.group(2)}
    parts = text.split()
    if len(parts) == 2:
        a, b = parts
        if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", a) and b.endswith(_POST_END):
            return {"name": a, "post": b}
        if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", b) and a.endswith(_POST_END):
            return {"name": b, "post": a}
    if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", text) and not text.startswith("各"):
        return {"name": text}
    return None


def roster_of(lines: list[str]) -> dict[str, Any] | None:
    """The 领导小组 from its 组长/副组长/成员 lines, or None when an entry is not a person."""
    out: dict[str, Any] = {"deputies": [], "members": []}
    for line in lines:
        m = ROSTER_RE.match(line)
        if not m:
            return None
        role = _ROLES[re.sub(r"\s", "", m.group(1))]
        entries = [e for e in re.split(r"[、，,；;]|\s{2,}(?=[\u4e00-\u9fff]{2,3}(?:\s|（|$))", m.group(2).strip("。 ")) if e.strip()]
        people = [parse_person(e) for e in entries]
        if not people or any(p is None for p in people):
            return None
        if role == "leader":
            if "leader" in out or len(people) != 1:
                return None
            out["leader"] = people[0]
        else:
            out[role] += people
    return out if "leader" in out else None


def places(text: str, unit: Unit | None) -> list[str]:
    """Runs of named places (鹤城街道、瓯南街道、温溪街道): the old unit's own subdivisions."""
    out = []
    for m in PLACES_RE.finditer(text):
        items = m.group().split("、")
        if any(_GENERIC_PLACE.match(i) or i in _NOT_UNITS for i in items):
            continue
        if unit is not None and any(i in (unit.name, unit.parent) for i in items):
            continue
        out.append(m.group())
    return out


def label_before(text: str, start: int, fallback: str) -> str:
    """A Chinese name for a value from the words just before it: 宣传发动阶段, 报送截止."""
    head = re.split(r"[。；，：:、（(\s]", text[:start])[-1]
    head = re.sub(r"[^\u4e00-\u9fff]", "", head)[-8:]
    head = re.sub(r"^(于|在|从|自|至|到|将|为)", "", head)
    return head if len(head) >= 2 else fallback


def block_texts(blocks: list[LearnedBlock]) -> list[str]:
    out = []
    for b in blocks:
        out.append(b.text)
        for row in b.rows:
            out += ["".join(s.text for s in cell) for cell in row]
    return out
