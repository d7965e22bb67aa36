"""What several built-in plan types share: the community roster's columns, words for the people and
place a unit serves, and deadline wording.

Kept out of the core because all of it is about community plans, not about documents in general.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from plangen import text as T
from plangen import get_key, key_of

# A community roster (one row per community) maps onto any plan type that has a unit and a 领导小组.
ROSTER_COLUMNS: dict[str, str] = {
    "社区名称": "unit.name",
    "单位名称": "unit.name",
    "上级单位": "unit.parent",
    "社区党委书记": "leadership.leader",
    "社区主任": "leadership.deputies",
    "成员": "leadership.members",
    "联系人": "contact.person",
    "联系电话": "contact.phone",
}

# How a plan names the people it addresses and the place it works on, by the unit's kind.
PEOPLE: dict[str, str] = {
    "社区": "辖区居民", "村": "全村群众", "镇": "全镇干部群众", "乡": "全乡干部群众", "街道": "辖区居民群众",
    "县": "全县广大干部群众", "区": "全区广大干部群众", "市": "全市广大干部群众",
}
SCOPE: dict[str, str] = {
    "社区": "社区", "村": "乡村", "镇": "城镇", "乡": "乡村", "街道": "城区", "县": "县城", "区": "城区", "市": "城市",
}


def by_day(day: date, year: int) -> str:
    """How a 公文 writes a deadline: 11月底前 for a month's last day, else 11月15日前; the year only
    when it differs from the plan's own year."""
    last = calendar.monthrange(day.year, day.month)[1]
    text = f"{day.month}月底前" if day.day == last else f"{day.month}月{day.day}日前"
    return text if day.year == year else f"{day.year}年{text}"


def reported(days: Sequence[date], year: int) -> str:
    """于12月底前报送 / 分别于11月底前和12月底前各报送一次 / 分别于9月底前、10月底前和11月底前各报送一次."""
    words = [by_day(d, year) for d in days]
    if not words:
        raise ValueError("at least one deadline is needed")
    if len(words) == 1:
        return f"于{words[0]}报送"
    return f"分别于{'、'.join(words[:-1])}和{words[-1]}各报送一次"


def unquote(value: str) -> str:
    """A theme typed with its quotes (“健康城镇 共建共享”) loses them, since the template quotes it;
    quotes inside the text (“冬之星”年度评选) stay."""
    value = value.strip()
    for left, right in (("“", "”"), ('"', '"'), ("「", "」"), ("'", "'")):
        inner = value[1:-1]
        if len(value) > 2 and value[0] == left and value[-1] == right and left not in inner and right not in inner:
            return inner.strip()
    return value


def repeated(items: Sequence[Any]) -> Any:
    """The first item that appears more than once, or None: "listed twice" checks of several models."""
    seen: list[Any] = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


def catalogue_entry(value: Any, by_chinese: dict[str, str], names: dict[str, str], *, what: str, custom: str = "") -> Any:
    """A catalogue item may be written as its kind (``publicity``), its Chinese name (宣传), or a
    mapping with either under ``kind``/``类别``; an unknown name lists the catalogue."""
    if isinstance(value, str):
        value = {"kind": value}
    if isinstance(value, dict):
        kind = get_key(value, "kind", "类别")
        if isinstance(kind, str):
            name = kind.strip()
            if name in by_chinese:
                value = {**value, key_of(value, "kind", "类别"): by_chinese[name]}
            elif name not in names:
                known = "、".join(names.values())
                raise ValueError(f"unknown {what} {name!r}; choose from {known}{custom}")
    return value


_CN_VALUES = {c: i for i, c in enumerate(T.CN_DIGITS)} | {"两": 2}


def cn_to_int(text: str) -> int | None:
    """3, 三, 十二, 二十 (up to 九十九) as an int; None when the text is not such a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    m = re.fullmatch(r"([一二两三四五六七八九])?(十)?([一二三四五六七八九])?", text)
    if not text or not m:
        return None
    tens, ten, ones = m.groups()
    if ten is None:
        return _CN_VALUES[tens] if tens and not ones else None
    return (_CN_VALUES[tens] if tens else 1) * 10 + (_CN_VALUES[ones] if ones else 0)


_YEAR: Any = None


def year_of(value: Any) -> int | None:
    """The year a before-validator may rely on (2024, "2024", 2024.0), or None: the field then reports it."""
    global _YEAR
    from pydantic import TypeAdapter, ValidationError

    from plangen import Year

    if _YEAR is None:
        _YEAR = TypeAdapter(Year)
    try:
        return int(_YEAR.validate_python(value))
    except ValidationError:
        return None
