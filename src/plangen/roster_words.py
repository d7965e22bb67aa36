"""How offices head a roster's columns and name a unit's posts, by level: one vocabulary for every plan type.

A 镇 office keeps its roster as 序号/单位名称/书记/主任/委员/联系人/联系电话, not as field names. This module
says which of those headers name which person of a plan (the 书记 leads the group, the 主任 deputises, the
委员 are its members), what post each person holds at a unit of each level (a 村's 书记 is the
村党组织书记, a 社区's the 社区党委书记), and what kind of unit a name is (…村 is a village). The batch reads
rosters with it; a plug-in's plan types get it through ``from plangen import roster_words``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

LEADER: Final = "leader"
DEPUTY: Final = "deputy"
MEMBER: Final = "member"
CONTACT: Final = "contact"
PHONE: Final = "phone"
DIRECTOR: Final = "director"
NAME: Final = "name"
KIND: Final = "kind"
PARENT: Final = "parent"
UNUSED: Final = "unused"

ROLE_LABELS: Final[dict[str, str]] = {
    LEADER: "组长", DEPUTY: "副组长", MEMBER: "成员", DIRECTOR: "办公室主任", CONTACT: "联系人", PHONE: "联系电话",
    NAME: "单位名称", KIND: "单位类别", PARENT: "上级单位",
}
"""How a plan (and a clerk) names each role."""

ROLE_FIELDS: Final[dict[str, str]] = {
    LEADER: "leadership.leader", DEPUTY: "leadership.deputies", MEMBER: "leadership.members",
    CONTACT: "contact.person", PHONE: "contact.phone", NAME: "unit.name", KIND: "unit.kind", PARENT: "unit.parent",
}
"""The field of the shared input model each role fills (a plan type without it simply does not get it)."""

LEVELS: Final = ("社区", "村", "镇", "乡", "街道", "县", "区", "市")

ROSTER_HEADERS: Final[dict[str, str]] = {
    **dict.fromkeys(("书记", "党组织书记", "党委书记", "党支部书记", "党总支书记", "第一书记", "支部书记", "总支书记",
                     "党工委书记", "组长"), LEADER),
    **dict.fromkeys(("主任", "居委会主任", "村委会主任", "居民委员会主任", "村民委员会主任", "镇长", "乡长", "街道办事处主任",
                     "办事处主任", "县长", "区长", "市长", "副组长"), DEPUTY),
    **dict.fromkeys(("委员", "成员", "两委成员", "“两委”成员", "两委委员", "网格员", "组员", "小组成员"), MEMBER),
    **dict.fromkeys(("联系人", "联络员", "经办人"), CONTACT),
    **dict.fromkeys(("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "办公电话"), PHONE),
    **dict.fromkeys(("单位名称", "单位", "名称", "村(社区)名称", "村（社区）名称", "社区名称", "村名称", "村名", "社区", "村(社区)",
                     "村（社区）"), NAME),
    **dict.fromkeys(("类别", "单位类别", "类型", "单位类型", "层级"), KIND),
    **dict.fromkeys(("上级单位", "所属乡镇", "所属镇", "所属街道", "乡镇", "所属乡镇(街道)", "所属乡镇（街道）"), PARENT),
    **dict.fromkeys(("序号", "编号", "备注", "说明"), UNUSED),
}
"""Roster headers as offices write them → the role they fill. A level word in front (社区党委书记, 村委会主任)
is recognised too: see :func:`header_role`."""

DEFAULT_POSTS: Final[dict[str, dict[str, str]]] = {
    "社区": {LEADER: "社区党委书记", DEPUTY: "社区居委会主任"},
    "村": {LEADER: "村党组织书记", DEPUTY: "村委会主任"},
    "镇": {LEADER: "镇党委书记", DEPUTY: "镇长"},
    "乡": {LEADER: "乡党委书记", DEPUTY: "乡长"},
    "街道": {LEADER: "街道党工委书记", DEPUTY: "街道办事处主任"},
    "县": {LEADER: "县委书记", DEPUTY: "县长"},
    "区": {LEADER: "区委书记", DEPUTY: "区长"},
    "市": {LEADER: "市委书记", DEPUTY: "市长"},
}
"""The post of a unit's 书记 (who leads the group) and 主任 (who deputises) at each level."""

_NAME_SUFFIXES: Final = (
    ("居民委员会", "社区"), ("居委会", "社区"), ("社区", "社区"),
    ("村民委员会", "村"), ("村委会", "村"), ("村", "村"),
    ("街道办事处", "街道"), ("办事处", "街道"), ("街道", "街道"),
    ("镇", "镇"), ("乡", "乡"), ("县", "县"), ("区", "区"), ("市", "市"),
)
_PREFIXES: Final = (("居民委员会", "社区"), ("居委会", "社区"), ("社区", "社区"), ("村民委员会", "村"), ("村委会", "村"),
                    ("村", "村"), ("街道", "街道"), ("镇", "镇"), ("乡", "乡"), ("县", "县"), ("区", "区"), ("市", "市"))
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """A header or cell as compared: full-width folded, no spaces, no control characters."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def kind_of_name(name: str) -> str | None:
    """The level a unit's name says (…社区/…居委会 → 社区, …村/…村委会 → 村, …镇, …乡, …街道, …县, …区), or None."""
    text = fold(name)
    for suffix, kind in _NAME_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return kind
    return None


def kind_of_cell(cell: str) -> str | None:
    """A 类别 cell (社区, 村, 居委会, 行政村, 镇…) → the level, or None when it names none."""
    text = fold(cell)
    if text in LEVELS:
        return text
    if text in ("行政村", "自然村", "村委会", "村民委员会"):
        return "村"
    if text in ("居委会", "居民委员会", "城市社区", "农村社区"):
        return "社区"
    return kind_of_name(text) if len(text) > 1 else None


def header_role(header: str) -> tuple[str, str | None] | None:
    """(role, the level the header names) for a header offices write: 书记 → (leader, None),
    社区党委书记 → (leader, 社区), 村委会主任 → (deputy, 村); None for a header this vocabulary lacks."""
    text = fold(header)
    if text in ROSTER_HEADERS:
        return ROSTER_HEADERS[text], _level_in(text)
    for prefix, level in _PREFIXES:
        rest = text[len(prefix):]
        if text.startswith(prefix) and rest in ROSTER_HEADERS and ROSTER_HEADERS[rest] in (LEADER, DEPUTY, MEMBER):
            return ROSTER_HEADERS[rest], level
    return None


def _level_in(word: str) -> str | None:
    for prefix, level in _PREFIXES:
        if word.startswith(prefix) and word != prefix:
            return level
    return None


def level_of_post(post: str) -> str | None:
    """The level a post is of (社区党委书记 → 社区, 村委会主任 → 村), or None for a post of no level (第一书记)."""
    return _level_in(fold(post))


@functools.lru_cache(maxsize=1024)
def post_for(role: str, level: str | None, *, header: str | None = None, base: str | None = None) -> str | None:
    """The post a person of ``role`` holds at a unit of ``level``: the header's, when it names this level
    (社区党委书记 for a 社区) or a post of no level (党总支书记 → 村党总支书记); else the base's, when
    it is of this level; else the level's usual post. Members and contacts are named without a post."""
    if role not in (LEADER, DEPUTY) or level is None:
        return None
    if header:
        text = fold(header)
        named = level_of_post(text)
        if named == level and text not in ROSTER_HEADERS:
            return text
        if named is None and text not in ("书记", "主任", "组长", "副组长") and ROSTER_HEADERS.get(text) == role and text.startswith(("党", "第一", "支部", "总支")):
            return level + text
    if base and level_of_post(base) == level:
        return base
    return DEFAULT_POSTS.get(level, {}).get(role)


__all__ = [
    "CONTACT",
    "DEFAULT_POSTS",
    "DEPUTY",
    "DIRECTOR",
    "KIND",
    "LEADER",
    "LEVELS",
    "MEMBER",
    "NAME",
    "PARENT",
    "PHONE",
    "ROLE_FIELDS",
    "ROLE_LABELS",
    "ROSTER_HEADERS",
    "UNUSED",
    "fold",
    "header_role",
    "kind_of_cell",
    "kind_of_name",
    "level_of_post",
    "post_for",
]


LEVEL_BODIES: Final[tuple[tuple[str, str], ...]] = (
    ("社区卫生服务站", "村卫生室"),
    ("社区居委会", "村民委员会"),
    ("社区党委", "村党组织"),
    ("社区主任", "村委会主任"),
    ("居委会主任", "村委会主任"),
    ("居民小组", "村民小组"),
    ("居委会", "村委会"),
)
"""Bodies and posts that exist only at one of the two lowest levels, as (社区's, 村's counterpart): a 村 has a
村卫生室 where a 社区 has a 社区卫生服务站. A plan for one level naming the other's is a sample word left over."""


def foreign_bodies(text: str, level: str) -> list[tuple[str, str]]:
    """The bodies of the other level that ``text`` names, each with this level's counterpart, longest first:
    ``foreign_bodies("社区卫生服务站", "村")`` → [("社区卫生服务站", "村卫生室")]. Empty for levels other than
    社区 and 村."""
    if level not in ("社区", "村"):
        return []
    pairs = [(c, v) if level == "村" else (v, c) for c, v in LEVEL_BODIES]
    found: list[tuple[str, str]] = []
    rest = text
    for word, counterpart in sorted(pairs, key=lambda p: -len(p[0])):
        if word in rest and all(word != w for w, _ in found):
            found.append((word, counterpart))
            rest = rest.replace(word, "\0")
    return found


def to_level(text: str, level: str) -> str:
    """``text`` with the other level's bodies replaced by this level's (社区卫生服务站 → 村卫生室 for a 村)."""
    for word, counterpart in foreign_bodies(text, level):
        text = text.replace(word, counterpart)
    return text
