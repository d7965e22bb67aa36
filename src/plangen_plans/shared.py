"""What several built-in plan types share: the community roster's columns, words for the people and
place a unit serves, and deadline wording.

Kept out of the core because all of it is about community plans, not about documents in general.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from plangen import CN_DIGITS, WORDS, Problems, cn_date, cn_month_day, get_key, key_of, msg, normalise

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

# How a plan names the people it addresses and the place it works on: kept for plug-ins that import
# them; the words live in the one level table of the SDK, WORDS (unit.words).
PEOPLE: dict[str, str] = {level: w.people for level, w in WORDS.items()}
SCOPE: dict[str, str] = {level: w.scope for level, w in WORDS.items()}


# Dated observances a template may name, by (month, day). A template says 以…为契机 only when the day
# falls inside the plan's period; see :func:`observance`.
OBSERVANCES: dict[str, tuple[int, int]] = {
    "学雷锋日": (3, 5), "世界卫生日": (4, 7), "全民国家安全教育日": (4, 15), "世界读书日": (4, 23),
    "世界无烟日": (5, 31), "全国爱眼日": (6, 6), "国际志愿者日": (12, 5), "国家宪法日": (12, 4),
    "全国消防日": (11, 9),
}
AHEAD_DAYS = 60
"""An observance this soon after the period is worth preparing for (为迎接5月31日世界无烟日)."""


def observance(name: str, start: date, end: date) -> tuple[str, str]:
    """("in" | "ahead" | "", "5月31日") for the observance's next occurrence from ``start``: inside the
    period the plan may say 以世界无烟日为契机; within 60 days after it, 为迎接5月31日世界无烟日;
    otherwise it should not mention the day at all."""
    month, day = OBSERVANCES[name]
    when = date(start.year, month, day)
    if when < start:
        when = date(start.year + 1, month, day)
    words = cn_month_day(when) if when.year == start.year else cn_date(when)
    if when <= end:
        return "in", words
    if (when - end).days <= AHEAD_DAYS:
        return "ahead", words
    return "", words


DEADLINE_AFTER_DAYS = 92
"""A report or deadline falls at most about three months after the period ends."""


def check_deadline(day: date, dates: Any, what: Any) -> None:
    """A deadline (report, project) belongs to the plan's period: not before it starts, not in another
    year. ``what`` (a field path, or a Msg) names the field, so the error names both fields."""
    if day < dates.start:
        raise ValueError(msg("plan.deadline-before-start",
                             "{what} ({day}) is before the period starts (dates.start {start}); correct one of them",
                             what=what, day=day, start=dates.start))
    if (day - dates.end).days > DEADLINE_AFTER_DAYS:
        raise ValueError(msg("plan.deadline-far-after-end",
                             "{what} ({day}) is {days} days after the period ends (dates.end {end}); "
                             "is it another year's date? correct one of them",
                             what=what, day=day, days=(day - dates.end).days, end=dates.end))


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
        raise ValueError(msg("plan.no-deadline", "at least one deadline is needed"))
    if len(words) == 1:
        return f"于{words[0]}报送"
    return f"分别于{'、'.join(words[:-1])}和{words[-1]}各报送一次"


def unquote(value: str) -> str:
    """A theme typed with its quotes (“健康城镇 共建共享”) loses them, since the template quotes it;
    quotes inside the text (“冬之星”年度评选, 健康“心”生活) stay, and the template's |quoted filter
    makes them single quotes where the text stands inside the template's own quotes."""
    value = value.strip()
    for left, right in (("“", "”"), ('"', '"'), ("「", "」"), ("'", "'")):
        inner = value[1:-1]
        if len(value) > 2 and value[0] == left and value[-1] == right and _balanced(inner, left, right):
            # normalised again: ":" typed inside quotes stood alone, but the template sets it in Chinese text
            return normalise(inner.strip(), keep_newlines=False)
    return value


def _balanced(text: str, left: str, right: str) -> bool:
    """Every ``left`` in ``text`` is closed by a later ``right`` (for ASCII quotes: none inside)."""
    if left == right:
        return left not in text
    depth = 0
    for ch in text:
        depth += (ch == left) - (ch == right)
        if depth < 0:
            return False
    return depth == 0


def repeated(items: Sequence[Any]) -> Any:
    """The first item that appears more than once, or None: "listed twice" checks of several models."""
    seen: list[Any] = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


def catalogue_entry(value: Any, by_chinese: dict[str, str], names: dict[str, str], *, code: str, text: str) -> Any:
    """A catalogue item may be written as its kind (``publicity``), its Chinese name (宣传), or a
    mapping with either under ``kind``/``类别``; an unknown name lists the catalogue.

    ``code`` and ``text`` (a msgid marked with ``N_``, with ``{name}`` and ``{known}``) word the
    error, so each catalogue says in the reader's language what it holds."""
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
                raise ValueError(msg(code, text, name=name, known=known))
    return value


_CN_VALUES = {c: i for i, c in enumerate(CN_DIGITS)} | {"两": 2}


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


def bodies_of_level(data: Any, example: Path, own_level: tuple[str, ...] = ()) -> Any:
    """Input ``data`` (before validation) with the example's words set right for the unit.

    The example of a plan type is a 社区's: its lists name 社区卫生服务站, 社区居委会, 社区党委书记, 东街文化广场.
    A text that is the example's own (the user changed only the unit) takes the unit's words (村卫生室,
    村民委员会, 村党组织书记, 桃园文化广场: :func:`plangen.sample_words.mend`); in a 社区's or a 村's plan a
    text the user typed naming the other level's bodies is asked about, since only the user knows what is meant
    (:data:`plangen.roster_words.LEVEL_BODIES`). ``own_level``: fields the example fills for its own level
    only, left out for a unit of another level (see :func:`plangen.sample_words.mend`)."""
    from plangen import Unit, foreign_bodies, mend_example_words, without_example_kind

    if not isinstance(data, dict):
        return data
    data, _ = without_example_kind(data, _example_text(example))
    try:
        unit = Unit.model_validate(get_key(data, "unit", "单位"))
    except Exception:  # the unit's own error is reported by its field
        return data
    level = unit.level
    found = Problems()  # each text the user typed, beside its field

    def ask(value: str, loc: tuple[Any, ...]) -> None:
        bodies = foreign_bodies(value, level)
        if not bodies:
            return
        other = "村" if level == "社区" else "社区"
        counterparts = "、".join(c for _, c in bodies)
        quoted = "“" + value.strip() + "”"
        words = "、".join(w for w, _ in bodies)
        if len(bodies) == 1 and bodies[0][0] == value.strip():
            found.add(msg("plan.body-of-other-level",
                          "{words} belongs to a {other}, not a {level}; write {counterparts} or the body you mean",
                          words=quoted, other=other, level=level, counterparts=counterparts), *loc)
        else:
            found.add(msg("plan.body-of-other-level",
                          "{texts}: {words} belongs to a {other}, not a {level}; write {counterparts} or the body you mean",
                          texts=quoted, words=words, other=other, level=level, counterparts=counterparts), *loc)

    mended, _ = mend_example_words(data, _example_text(example), level, unit.name, unit.parent, ask if level in ("社区", "村") else None,
                     own_level)
    found.raise_any()
    return mended


@functools.cache
def _example_text(example: Path) -> str:
    return example.read_text(encoding="utf-8")
