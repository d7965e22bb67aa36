"""How user text is joined into a template's sentences, in one place (issue 19).

A clerk types a clause with its own 。 or ；, a list item with its own 等, a paragraph without its final
mark, a heading with one. Templates never glue such text in raw: they pass it through these filters,

- ``clause``    text set inside a sentence: its own final mark dropped (no 。， or ；，);
- ``listed``    items joined with 、 (or 和 before the last), 等 written once (no 等等, no 等问题等);
- ``para``      a paragraph of its own: ends with one final mark (。 added, a dangling ，；、 replaced);
- ``heading``   a heading: no final 。 (（一）加强组织领导, not （一）加强组织领导。);

and the names rules (spaces inside a Chinese name, the 间隔号 of an ethnic name) and the phone rule
(full-width digits) are applied when the input is read, through :func:`person_name`, :func:`org_name`
and :func:`phone_digits`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from plangen.text import HAN_RE

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
END_MARKS = "。！？…"
"""Marks that may end a paragraph (… as in ……)."""
_CLAUSE_TAIL = re.compile(r"[\s。．.；;，,、：:！!？?]+$")
_CLOSERS = "”’）》」』"
# 等 a clerk typed at the end of an item, with the generic noun after it that the template also writes
_ETC_TAIL = re.compile(r"(?:等等|等)(?:问题|单位|部门|方面|工作|事项|人员|群体|对象|内容|场所)?$")
_SPACE_IN_HAN = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")
_NAME_DOTS = re.compile(f"(?<=[{_HAN}])\\s*[.．。•・‧∙⋅･·]\\s*(?=[{_HAN}])")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９－（）＋", "0123456789-()+")


def clause(value: Any) -> str:
    """User text set inside a template's sentence: trailing 。；，、： and spaces dropped, so the
    template's own mark after it is the only one (宣传党的二十届四中全会精神，宣传…)."""
    text = str(value).strip()
    # a closing quote or bracket after the mark (…精神。”) keeps the text's own pair intact
    m = re.search(f"[{_CLOSERS}]+$", text)
    if m and _CLAUSE_TAIL.search(text[: m.start()]) and text[: m.start()].count("“") == 0:
        return _CLAUSE_TAIL.sub("", text[: m.start()]) + m.group()
    return _CLAUSE_TAIL.sub("", text)


def bare(value: Any) -> str:
    """A list item without its own 等 or final mark: 镇中心学校等 → 镇中心学校, 就业难等问题 → 就业难."""
    text = clause(value)
    stripped = _ETC_TAIL.sub("", text)
    return clause(stripped) if stripped else text


def _label(item: Any) -> str:
    if isinstance(item, str):
        return item
    for attr in ("label", "name"):
        got = getattr(item, attr, None)
        if isinstance(got, str):
            return got
    return str(item)


def listed(items: Iterable[Any], etc: bool = False, last: str = "、") -> str:
    """Items as a Chinese list: 甲、乙、丙 (``last="和"``: 甲、乙和丙); with ``etc`` the list ends in one
    等 whatever the items carried (甲、乙等), so the template writes ``{{ x|listed(etc=True) }}单位``.

    Without ``etc`` an item's own trailing 等 is kept only on the last item (it is the user's 等)."""
    words = [bare(_label(i)) if etc else clause(_label(i)) for i in items]
    words = [w for w in words if w]
    if not etc and len(words) > 1:
        words = [_ETC_TAIL.sub("", w) or w for w in words[:-1]] + words[-1:]
    if len(words) > 1 and last != "、":
        text = "、".join(words[:-1]) + last + words[-1]
    else:
        text = "、".join(words)
    return text + ("等" if etc and text else "")


def para(value: Any) -> str:
    """A paragraph of the user's: ends with one final mark. 。 is added; a trailing ，；、： becomes 。;
    text inside a closing quote or bracket keeps its own 。 (…“三包”责任。)."""
    text = str(value).strip()
    if not text:
        return text
    if text.endswith(tuple(END_MARKS)):
        return re.sub("。{2,}$", "。", text)
    if text[-1] in _CLOSERS:
        inner = text.rstrip(_CLOSERS)
        if inner.endswith(tuple(END_MARKS)):
            return text
        return text + "。"
    return _CLAUSE_TAIL.sub("", text) + "。"


def heading(value: Any) -> str:
    """A heading the user typed: its final 。 or ； dropped (a heading carries no full stop)."""
    return re.sub(r"[。．.；;，,、]+$", "", str(value).strip())


def person_name(value: str) -> str:
    """刘 芳 → 刘芳; 阿依古丽.买买提 / 阿依古丽•买买提 / 阿依古丽・买买提 → 阿依古丽·买买提 (the 间隔号)."""
    text = _SPACE_IN_HAN.sub("", value.strip())
    return _NAME_DOTS.sub("·", text)


def org_name(value: str) -> str:
    """A unit's name with no space inside its Chinese: 青山县 民政局 → 青山县民政局."""
    return _SPACE_IN_HAN.sub("", value.strip())


def phone_digits(value: str) -> str:
    """Full-width digits and marks of a phone number as ASCII: ０５６３－７０３１１２２ → 0563-7031122."""
    return value.translate(_FULL_DIGITS).strip()


def split_names(value: str) -> list[str] | None:
    """Names typed in one cell: split at 、，；; spaces split only between whole names (丁燕 冯军), not
    inside one (刘 芳). None when the spaces cannot be told apart (刘 芳 陈丽): the caller asks."""
    out: list[str] = []
    for part in (p.strip() for p in re.split(r"[、，,；;/／]+", value)):
        if not part:
            continue
        tokens = part.split()
        if len(tokens) == 1 or not all(HAN_RE.match(t[0]) for t in tokens):
            out.append(part)
        elif all(len(t) >= 2 for t in tokens):
            out.extend(tokens)
        elif len(tokens) == 2 and len("".join(tokens)) <= 4:
            out.append("".join(tokens))  # 刘 芳, 欧阳 明: one name typed with a space
        else:
            return None
    return out


def filters() -> dict[str, Any]:
    """The joining filters every template uses."""
    return {"clause": clause, "listed": listed, "para": para, "heading": heading, "bare": bare}
