"""Next year's input from this year's: ``plangen next FILE -o FILE`` (and the web app) call :func:`next_year`.

A text-level rewrite, not a load-and-dump, so the user's comments, key spellings (English or Chinese)
and layout survive: every date literal moves one year on (29 February becomes 28 February), ``year``
goes up by one, a numeric ``edition`` of a year-based count goes up with it, and the yearly ``theme`` is
emptied with a comment asking for the new one (so ``validate`` names the theme until it is filled).

What is *not* changed, on purpose: document numbers (城发〔2024〕8号 is last year's basis and stays
true), a 届次 written as 第三届 (the 届 of an honour such as 省级文明县城 follows its own evaluation
cycle, not the calendar), and month entries a user wrote (they are the user's words; festival months
that were defaults are not written in the file and recompute from the new year by themselves).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

_YEAR = re.compile(r"^(?P<lead>(?:year|年度)\s*:\s*)(?P<year>\d{4})\b", re.M)
_OTHER_YEARS = re.compile(r"^(?P<lead>(?:\s*(?:[a-z_]+_year|\S+年度)|\s+(?:year|年度))\s*:\s*)(?P<year>\d{4})\b", re.M)
"""target_year/目标年度 and a block's own year (``targets: {year: 2026}``): a year the plan names, which moves
with it. The plan's own ``year``/``年度`` at the top is :data:`_YEAR`'s alone (it must move once, not twice)."""
_EDITION = re.compile(r"^(?P<lead>\s*(?:edition|届次)\s*:\s*)(?P<n>\d{1,3})(?=\s|$)", re.M)
_THEME = re.compile(r"^(?P<key>(?:theme|主题))(?P<colon>\s*:)[^\n#]*(?P<comment>#[^\n]*)?$", re.M)
_DATES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>年)(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
)


def shift_date(day: date, years: int = 1) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _move(m: re.Match[str]) -> str:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    try:
        moved = shift_date(date(y, mo, d))
    except ValueError:
        return m.group(0)  # not a real date: validate will say so; leave it as written
    if m["s"] == "年":
        return f"{moved.year}年{moved.month}月{moved.day}日"
    width = len(m["m"]), len(m["d"])
    return f"{moved.year}{m['s']}{moved.month:0{width[0]}d}{m['s']}{moved.day:0{width[1]}d}"


def _outside_comments(text: str, rewrite) -> str:  # type: ignore[no-untyped-def]
    """Apply ``rewrite`` to each line's content before its ``#`` comment (comments are the user's words)."""
    out = []
    for line in text.splitlines(keepends=True):
        body, sep, comment = line.partition(" #") if not line.lstrip().startswith("#") else ("", "", line)
        out.append(rewrite(body) + (sep + comment if sep else comment if not body else ""))
    return "".join(out)


def next_year(text: str) -> str:
    """This year's YAML input → next year's (see the module docstring for what moves and what stays)."""
    year = _YEAR.search(text)
    new_year = int(year["year"]) + 1 if year else None

    def rewrite(body: str) -> str:
        for pattern in _DATES:
            body = pattern.sub(_move, body)
        return body

    text = _outside_comments(text, rewrite)
    if year:
        text = _YEAR.sub(lambda m: f"{m['lead']}{int(m['year']) + 1}", text, count=1)
        text = _EDITION.sub(lambda m: f"{m['lead']}{int(m['n']) + 1}", text, count=1)


    text = _outside_comments(text, lambda body: _OTHER_YEARS.sub(lambda m: f"{m['lead']}{int(m['year']) + 1}", body))

    def empty_theme(m: re.Match[str]) -> str:
        when = f"{new_year}年" if new_year else "今年"
        last = m.group(0).split(":", 1)[1].split("#")[0].strip() or "未填"
        note = f"；{m['comment'].lstrip('#').strip()}" if m["comment"] else ""
        return f'{m["key"]}{m["colon"]} ""   # 请填写{when}的主题（上一年：{last}）{note}'

    text = _THEME.sub(empty_theme, text, count=1)
    return _festival_months(text, new_year) if new_year else text


_MONTH_ENTRY = re.compile(r"(?P<lead>(?:\bmonth|月份)\s*:\s*)(?P<n>\d{1,2})(?!\d)")


def _festival_months(text: str, year: int) -> str:
    """A month entry naming a movable festival (中秋邻里宴 in September 2024) follows the festival to its
    month in the new year (October 2025); an entry for a month that already has one is left for
    ``validate`` to name. Festival months the user did not write recompute by themselves."""
    try:
        from plangen_plans.cultural_calendar import MOVABLE, festival_dates
    except ImportError:  # the built-in plan types are not installed: nothing to recompute
        return text
    dates = festival_dates(year)
    lines = text.splitlines(keepends=True)
    taken = {int(m["n"]) for line in lines for m in [_MONTH_ENTRY.search(line.split(" #")[0])] if m}
    out = []
    for line in lines:
        body, sep, comment = line.partition(" #")
        m = _MONTH_ENTRY.search(body)
        named = [n for n in MOVABLE if m and n.removesuffix("节") in body]
        if m and len(named) == 1:
            old, new = int(m["n"]), dates[named[0]].month
            if new != old and new not in taken:
                taken = (taken - {old}) | {new}
                body = body[: m.start("n")] + str(new) + body[m.end("n"):]
        out.append(body + sep + comment)
    return "".join(out)


def next_year_file(source: Path, target: Path | None = None) -> str:
    """Read a YAML input (any encoding plangen reads), return next year's text, and write it to
    ``target`` (UTF-8) when given. JSON and TOML inputs are refused: only YAML keeps comments."""
    from plangen.errors import InputError, Problem
    from plangen.i18n import msg
    from plangen.inputs.decoding import decode_text
    from plangen.inputs.reading import read_bytes

    if source.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(Problem(msg("input.next-yaml-only", "plangen next rewrites YAML inputs only (comments are kept); save it as .yaml first"), file=str(source)))
    text = next_year(decode_text(read_bytes(source), source=str(source)))
    if target is not None:
        target.write_text(text, encoding="utf-8")
    return text


_TITLE_WITH_YEAR = re.compile(r"《[^《》]*?((?:19|20)\d{2})年[^《》]*》")
_DOCNO_WITH_YEAR = re.compile(r"[\u4e00-\u9fff]{0,8}[〔\[【(（]((?:19|20)\d{2})[〕\]】)）]\s*第?\d+号")


def earlier_references(data: object, year: int) -> list[str]:
    """Titles and document numbers of earlier years left in an input (《…2026年…》, 双政办〔2026〕12号,
    发文字号 桃村〔2026〕3号) that a plan for ``year`` may still cite: moving to next year keeps them on
    purpose (last year's basis may be the right one), so the clerk is asked to look at each."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k in ("title", "标题") and isinstance(v, str) and "《" not in v:
                    v = f"《{v}》"  # a cited document's title, written without its brackets
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            for pattern in (_TITLE_WITH_YEAR, _DOCNO_WITH_YEAR):
                for m in pattern.finditer(value):
                    if int(m.group(1)) < year and m.group(0).strip() not in found:
                        found.append(m.group(0).strip())

    walk(data)
    return found


def plan_year(data: object) -> int | None:
    """The year a plan input is for: its 年度, else the year its dates start (or it is signed)."""
    if not isinstance(data, dict):
        return None
    year = data.get("year", data.get("年度"))
    if isinstance(year, int):
        return year
    dates = data.get("dates", data.get("日期"))
    if isinstance(dates, dict):
        for key in ("start", "开始", "issued", "成文日期"):
            value = dates.get(key)
            if isinstance(value, date):
                return value.year
            if isinstance(value, str) and re.match(r"(?:19|20)\d{2}-", value):
                return int(value[:4])
    return None
