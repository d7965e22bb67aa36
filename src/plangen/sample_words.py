"""The words of a plan type's worked example that belong to the example's unit, and what another unit says.

Every new draft starts from the example, which is a 社区's (东街社区: 社区卫生服务站, 社区党委书记, 辖区物业服务企业,
东街文化广场). A clerk of 桃园村 changes the unit and keeps the rest; a village has a 村卫生室, a 村党组织书记
and 驻村单位, and no 东街文化广场. A text that is still the example's own is set in the unit's words
(:func:`mend`): the web form shows them as soon as the unit is typed, and a plan generated from an input
file says them too. A text the user typed is the user's: never changed here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import Any, Final

import yaml

from plangen.roster_words import kind_of_name

_COUNTY: Final = ("县", "区", "市")
_TOWN: Final = ("镇", "乡")

COMMUNITY_WORDS: Final[dict[str, tuple[str, str, str, str, str]]] = {
    # a 社区's word: (a 村's, a 镇's or 乡's, a 街道's, a 县's, 区's or 市's, a department's (县民政局));
    # {L} is the unit's level (镇, 县…) or the department's short name (局), {S} the units below it, {H} a
    # department head's post (局长, 委主任)
    "社区卫生服务站": ("村卫生室", "{L}卫生院", "社区卫生服务中心", "{L}疾病预防控制中心", "辖区医疗卫生机构"),
    "社区居委会主任": ("村委会主任", "{L}长", "街道办事处主任", "{L}长", "{H}"),
    "居委会主任": ("村委会主任", "{L}长", "街道办事处主任", "{L}长", "{H}"),
    "社区主任": ("村委会主任", "{L}长", "街道办事处主任", "{L}长", "{H}"),
    "社区党委书记": ("村党组织书记", "{L}党委书记", "街道党工委书记", "{L}委书记", "{L}党组书记"),
    "社区宣传委员": ("村宣传委员", "{L}党委宣传委员", "街道党工委宣传委员", "{L}委宣传部部长", "{L}机关党组织宣传委员"),
    "社区党委": ("村党组织", "{L}党委", "街道党工委", "{L}委", "{L}党组"),
    "社区居委会": ("村民委员会", "{L}党政办公室", "街道党政办公室", "{L}政府办公室", "{L}办公室"),
    "居民委员会": ("村民委员会", "{L}党政办公室", "街道党政办公室", "{L}政府办公室", "{L}办公室"),
    "居委会": ("村委会", "{L}党政办公室", "街道党政办公室", "{L}政府办公室", "{L}办公室"),
    "社区退役军人服务站站长": ("村退役军人服务站站长", "{L}退役军人服务站站长", "街道退役军人服务站站长", "{L}退役军人事务局局长",
                      "{L}机关工会主席"),
    "社区退役军人服务站": ("村退役军人服务站", "{L}退役军人服务站", "街道退役军人服务站", "{L}退役军人事务局", "{L}机关工会"),
    "社区文体队伍": ("村文体队伍", "{L}文体队伍", "街道文体队伍", "{L}文体队伍", "{L}机关文体队伍"),
    "居民小组": ("村民小组", "村（社区）", "社区", "乡镇（街道）", "{L}机关各科室（股室）"),
    "辖区物业服务企业": ("驻村单位", "辖区物业服务企业", "辖区物业服务企业", "{L}住房和城乡建设局", "机关物业服务企业"),
    "各网格": ("各网格", "各网格", "各网格", "{S}", "{L}机关各科室（股室）"),
    "辖区党员志愿者": ("全村党员志愿者", "辖区党员志愿者", "辖区党员志愿者", "辖区党员志愿者", "{L}机关党员志愿者"),
    "楼院长": ("村民小组长", "楼院长", "楼院长", "楼院长", "科室（股室）负责人"),
    "楼院": ("村组", "楼院", "楼院", "楼院", "科室（股室）"),
    "居民": ("村民", "群众", "居民", "群众", "干部职工"),
}
"""What a 社区's bodies, posts and people are called at the other levels. A 镇 keeps a 辖区物业服务企业 (its seat
has housing estates); a village has none: the units stationed in it (驻村单位) stand with it instead; a county
works through its 住房和城乡建设局 and the 乡镇 below it, not through a 网格."""

TOWN_WORDS: Final[dict[str, tuple[str, str, str, str, str, str]]] = {
    # a 镇's word (the 大走访 example is a town's): (a 村's, a 社区's, a 乡's, a 街道's, a 县's, 区's or 市's,
    # a department's); {L}, {H} and {D} (a department's deputy head) as in COMMUNITY_WORDS
    "镇党委书记": ("村党组织书记", "社区党委书记", "乡党委书记", "街道党工委书记", "{L}委书记", "{L}党组书记"),
    "镇党委副书记": ("村党组织副书记", "社区党委副书记", "乡党委副书记", "街道党工委副书记", "{L}委副书记", "{L}党组成员"),
    "镇党委委员": ("村“两委”委员", "社区“两委”委员", "乡党委委员", "街道党工委委员", "{L}委常委", "{L}党组成员"),
    "镇人大主席": ("村务监督委员会主任", "社区居务监督委员会主任", "乡人大主席", "街道人大工委主任", "{L}人大常委会副主任", "{L}党组成员"),
    "副镇长": ("村委会副主任", "社区居委会副主任", "副乡长", "街道办事处副主任", "副{L}长", "{D}"),
    "镇长": ("村委会主任", "社区居委会主任", "乡长", "街道办事处主任", "{L}长", "{H}"),
    "镇创先办": ("村民委员会", "社区居委会", "乡党政办公室", "街道党政办公室", "{L}委办公室", "{L}办公室"),
    "镇党政办公室": ("村民委员会", "社区居委会", "乡党政办公室", "街道党政办公室", "{L}委办公室", "{L}办公室"),
    "镇党委组织办": ("村党组织", "社区党委", "乡党委组织办", "街道党工委组织办", "{L}委组织部", "{L}机关党组织"),
    "镇直各单位": ("村各党小组", "社区各党支部", "乡直各单位", "街道各科室（站所）", "{L}直各单位", "{L}机关各科室（股室）和{L}属各单位"),
    "县委关于": ("县委关于", "县委关于", "县委关于", "县委关于", "{L}委关于", "县委关于"),
}
"""What a 镇's posts and offices are in the plan of a 村, 社区, 乡, 街道, county or department made from a 镇's
example: a county's 大走访 is led by its 县委书记 from the 县委办公室, never by a 镇党委书记 from a 镇创先办."""

_LEVEL_SUFFIXES: Final = ("社区", "街道", "村", "镇", "乡", "县", "区", "市")


def _column(level: str) -> int | None:
    if level == "村":
        return 0
    if level in _TOWN:
        return 1
    if level == "街道":
        return 2
    if level in _COUNTY:
        return 3
    if level == "部门":
        return 4
    return None


_TOWN_COLUMNS: Final = {"村": 0, "社区": 1, "乡": 2, "街道": 3, "县": 4, "区": 4, "市": 4, "部门": 5}


def _filled(word: str, level: str, short: str) -> str:
    """A table word with the unit's own characters: {L} the level (or a department's 局), {S} the units below
    a county (各乡镇（街道）, 各街道（镇）), {H} and {D} a department's head and deputy (局长, 副局长; 委主任)."""
    from plangen.inputs.common import WORDS

    own = short if level == "部门" else level
    head = f"{short}长" if short == "局" else f"{short}主任"
    deputy = f"副{short}长" if short == "局" else f"{short}副主任"
    below = WORDS[level].subunits if level in WORDS else ""
    return word.replace("{L}", own).replace("{S}", below).replace("{H}", head).replace("{D}", deputy)


def stem(name: str) -> str:
    """东街社区 → 东街, 桃园村 → 桃园: how a unit's own things are named (东街文化广场)."""
    for suffix in _LEVEL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def words_for(level: str, example_level: str, short: str = "局") -> list[tuple[str, str]]:
    """(the example's word, this level's) pairs, longest first: a 社区 example's words for any level, a 镇
    example's for any other level; none otherwise. ``short``: a department's short name (局, 委)."""
    column = _column(level)
    if example_level == "社区" and column is not None:
        pairs = [(word, _filled(row[column], level, short)) for word, row in COMMUNITY_WORDS.items()]
    elif example_level == "镇" and level in _TOWN_COLUMNS:
        pairs = [(word, _filled(row[_TOWN_COLUMNS[level]], level, short)) for word, row in TOWN_WORDS.items()]
    else:
        return []
    return sorted(((w, c) for w, c in pairs if w != c), key=lambda p: -len(p[0]))


@functools.lru_cache(maxsize=64)
def _replacing(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for the example's words (longest first, as given) and what each becomes: built once per
    unit's list of words, not once per text of every plan."""
    return re.compile("|".join(re.escape(w) for w, _ in pairs)), dict(pairs)


def in_level_words(text: str, pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...],
                   stems: tuple[str, str] | None = None) -> str:
    """``text`` with each of the example's words set in the unit's (longest first, each place once), and the
    example unit's own name (东街文化广场) in this unit's, unless the text is itself a unit's name (建平村)."""
    pieces: list[str] = []
    pattern, table = _replacing(tuple(pairs))

    def hold(m: re.Match[str]) -> str:  # a replaced word is held apart, so the name below cannot touch it
        pieces.append(table[m.group(0)])
        return f"\0{len(pieces) - 1}\0"

    rest = pattern.sub(hold, text) if pairs else text
    if stems and stems[0] and stems[0] != stems[1] and kind_of_name(rest.replace("\0", "")) is None:
        rest = rest.replace(stems[0], stems[1])
    return re.sub(r"\0(\d+)\0", lambda m: pieces[int(m.group(1))], rest)


OWN_WORDS: Final = ("unit", "单位", "issuer", "发文", "signature", "落款", "basis", "依据", "type", "类型")
"""Fields that name the unit itself or quote other documents: their words are the user's, never a sample's."""


@functools.lru_cache(maxsize=32)
def _example_data(example: str) -> Any:
    """The example input, parsed once (None when it is no YAML): every validation of a plan mends its words,
    and parsing the example each time cost 15–30 ms a plan. Read, never changed."""
    try:
        return yaml.safe_load(example)
    except yaml.YAMLError:
        return None


@functools.lru_cache(maxsize=32)
def example_texts(example: str) -> frozenset[str]:
    """Every text of a plan type's example input (the words a new draft starts with); a person written
    叶兰（社区党委书记） counts as a whole and by its parts."""
    loaded = _example_data(example)
    texts: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            texts.add(value.strip())
            person = re.fullmatch(r"\s*([^（(]+?)\s*[（(]\s*([^）)]+?)\s*[）)]\s*", value)
            if person:
                texts.update(person.groups())
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in OWN_WORDS:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(loaded)
    return frozenset(texts)


@functools.lru_cache(maxsize=32)
def example_unit(example: str) -> tuple[str, str, str | None] | None:
    """(level, name, parent) of the example's unit, or None when the example names none that is recognised."""
    from plangen.inputs.common import Unit

    try:
        loaded = _example_data(example)
        unit = Unit.model_validate(loaded.get("unit", loaded.get("单位")))
    except Exception:  # an example without a recognisable unit has no words of its own to move
        return None
    return unit.level, unit.name, unit.parent


def mend_input(data: Any, example: str, own_level: tuple[str, ...] = ()) -> tuple[Any, list[Change]]:
    """:func:`mend` for the unit the input names (none: nothing changes); the web form calls it on each save,
    so the form shows a 村's words as soon as the clerk has typed the 村's name."""
    from plangen.inputs.common import Unit

    if not isinstance(data, dict) or not example:
        return data, []
    data, changes = without_example_kind(data, example)
    try:
        unit = Unit.model_validate(data.get("unit", data.get("单位")))
    except Exception:  # a unit still being typed (桃园) is no level yet
        return data, changes
    mended, more = mend(data, example, unit.level, unit.name, unit.parent, own_level=own_level)
    return mended, changes + more


def without_example_kind(data: dict[str, Any], example: str) -> tuple[dict[str, Any], list[Change]]:
    """``data`` without the unit's 类别 when it is still the example's and the name typed says another level:
    the survey example's 城关镇 says 类别 镇, and a clerk who types 南湖街道 over the name must not sign as
    南湖街道人民政府, nor 桃园村 as 桃园村人民政府 (the name then decides, and a plan type that does not serve
    a 村 says so)."""
    own = example_unit(example)
    key = "unit" if "unit" in data else "单位"
    unit = data.get(key)
    if own is None or not isinstance(unit, dict):
        return data, []
    kind_key = "kind" if "kind" in unit else "类别"
    kind, name = unit.get(kind_key), unit.get("name", unit.get("名称"))
    if not isinstance(kind, str) or not isinstance(name, str) or name.strip() == own[1] or kind.strip() != own[0]:
        return data, []
    said = kind_of_name(name.strip())
    if said is None or said == kind.strip():
        return data, []
    return {**data, key: {k: v for k, v in unit.items() if k != kind_key}}, [((key, kind_key), kind, "")]


Change = tuple[tuple[Any, ...], str, str]
"""(where, the example's text, the unit's) of one text :func:`mend` changed."""


_GONE: Final = object()
"""Where a list item left out stood, until every path is done (so the indices of the others still hold)."""


def _without(data: Any, example: Any, path: list[str], loc: tuple[Any, ...], changes: list[Change]) -> Any:
    """``data`` without the field or list item at ``path`` (English keys, list indices: measures.7) when it
    still holds the example's value; each text left out is a change to "" (the form empties its input)."""
    head, rest = path[0], path[1:]
    if isinstance(data, list) and head.isdigit():
        at = int(head)
        if not isinstance(example, list) or at >= len(data) or at >= len(example):
            return data
        if rest:
            return [*data[:at], _without(data[at], example[at], rest, (*loc, at), changes), *data[at + 1:]]
        if not _same(data[at], example[at]):
            return data
        changes.extend((where, text, "") for where, text in _texts(data[at], (*loc, at)))
        return [*data[:at], _GONE, *data[at + 1:]]
    if not isinstance(data, dict) or not isinstance(example, dict) or head not in data:
        return data
    if not rest:
        if not _same(data[head], example.get(head)):
            return data
        changes.extend((where, text, "") for where, text in _texts(data[head], (*loc, head)))
        return {k: v for k, v in data.items() if k != head}
    return {**data, head: _without(data[head], example.get(head), rest, (*loc, head), changes)}


def _dropped(value: Any) -> Any:
    """``value`` with the list items :func:`_without` marked gone taken out."""
    if isinstance(value, dict):
        return {k: _dropped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dropped(v) for v in value if v is not _GONE]
    return value


def own_level_paths(own_level: tuple[str, ...], example: tuple[str, str], unit: tuple[str, str]) -> list[str]:
    """The ``own_level`` paths to leave out for ``unit`` ((level, name)) made from ``example``'s: a path
    alone belongs to the example's level only; ``path@村,镇`` is also kept for the levels named (a 社区's 楼院
    project reads well, mended, in a 村's plan, never in a county's); ``path!`` belongs to the example's unit
    itself (a 镇's pairing table names its own 村: another 镇 has others)."""
    paths = []
    for entry in own_level:
        path, _, kept = entry.partition("@")
        if path.endswith("!"):
            if unit != example:
                paths.append(path[:-1])
        elif unit[0] != example[0] and unit[0] not in kept.split(","):
            paths.append(path)
    return paths


def _texts(value: Any, loc: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, (*loc, k))]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, (*loc, i))]
    return [(loc, str(value))]


def _same(given: Any, example: Any) -> bool:
    """A value as the form or a file gives it equals the example's: texts, numbers typed as text, lists,
    mappings, and a person the form splits ({name: 汪立群, post: 镇党委副书记}) written 汪立群（镇党委副书记）."""
    if example is None:
        return False
    if isinstance(given, dict) and isinstance(example, dict):
        return set(given) <= set(example) and all(_same(v, example[k]) for k, v in given.items())
    if isinstance(given, dict) and isinstance(example, str):
        return "".join(str(v) for v in given.values()) == re.sub(r"[（）()\s]", "", example)
    if isinstance(given, list) and isinstance(example, list):
        return len(given) == len(example) and all(_same(a, b) for a, b in zip(given, example))
    if isinstance(example, date):  # a new draft moves the example on to this year: 2024-12-31 is 2026-12-31
        return str(given).strip()[4:] == example.isoformat()[4:]
    return str(given).strip() == str(example).strip()


def mend(data: Any, example: str, level: str, name: str, parent: str | None = None,
         visit: Callable[[str, tuple[Any, ...]], None] | None = None,
         own_level: tuple[str, ...] = ()) -> tuple[Any, list[Change]]:
    """``data`` (an input before validation) with every text that is still the example's own set in the words
    of a unit of ``level`` called ``name`` under ``parent`` (the example's 城关镇爱卫办 is 石门乡爱卫办 for a
    village of 石门乡); ``visit`` sees every other text (to ask about words the user typed). ``own_level`` are
    fields the example fills for a unit of its own level (a 镇's pairing table): for a unit of another level,
    left as the example has them, they are left out, so the plan type's default for the unit's level speaks
    (``path@村`` keeps one for a 村 too: :func:`own_level_paths`)."""
    own = example_unit(example)
    if own is None or not isinstance(data, dict):
        return data, []
    changes: list[Change] = []
    paths = own_level_paths(own_level, (own[0], own[1]), (level, name))
    if paths:
        loaded = _example_data(example)
        for path in paths:
            data = _without(data, loaded, path.split("."), (), changes)
        data = _dropped(data)
    pairs = words_for(level, own[0], _short(name) if level == "部门" else "局")
    if own[2] and parent and own[2] != parent:
        pairs = sorted([*pairs, (own[2], parent)], key=lambda p: -len(p[0]))
    own_county, county = _example_county(example), _county_of(data, example, level, name, parent)
    if own_county and county and own_county != county and own_county != own[2]:
        pairs = sorted([*pairs, (own_county, county)], key=lambda p: -len(p[0]))
    if county and kind_of_name(county) in ("区", "市") and level not in _COUNTY:
        pairs = [(w, c) for w, c in pairs if w != "县委关于"] + [("县委关于", f"{county[-1]}委关于")]  # a 街道's 区委
    if county and kind_of_name(county) in ("区", "市") and (own_county is None or kind_of_name(own_county) == "县"):
        pairs = sorted([*pairs, ("县城", "城市")], key=lambda p: -len(p[0]))  # a city creates a 文明城市, not a 县城
    # a department (县民政局) has no place name of its own: the example's 东街文化广场 is no 县民政局文化广场
    stems = None if level in ("部门", "单位") else (stem(own[1]), stem(name))
    unit = data.get("unit", data.get("单位"))
    typed = unit.get("county", unit.get("所在县市")) if isinstance(unit, dict) else None
    # the county field a form still shows from the example counts only where nothing better is known
    left = typed if isinstance(typed, str) and county is None else None
    data = _without_foreign_basis(data, example, (name, parent, county, left), changes)
    sample = example_texts(example)
    replacing = tuple(pairs)

    def walk(value: Any, loc: tuple[Any, ...]) -> Any:
        if isinstance(value, str):
            if value.strip() in sample:
                mended = in_level_words(value, replacing, stems)
                if mended != value:
                    changes.append((loc, value, mended))
                return mended
            if visit is not None:
                visit(value, loc)
            return value
        if isinstance(value, dict):
            return {k: walk(v, (*loc, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*loc, i)) for i, v in enumerate(value)]
        return value

    mended = {k: v if k in OWN_WORDS else walk(v, (k,)) for k, v in data.items()}
    return mended, changes


_PLACE_AHEAD: Final = re.compile(r"^(\S{1,8}?(?:县|区|市|镇|乡|街道))(?=关于|创建|开展|贯彻|印发|深入|推进|\S*?(?:方案|意见|通知|规划))")


def _without_foreign_basis(data: dict[str, Any], example: str, own: tuple[str | None, ...],
                           changes: list[Change]) -> dict[str, Any]:
    """``data`` without the example's 依据 that are another place's documents: a 桃园村 of 青山县 does not act
    on 《郎溪县创建…实施方案》 or 建平镇's plan; one of 郎溪县 still does. A 依据 the clerk wrote is kept."""
    key = "basis" if "basis" in data else "依据"
    given, loaded = data.get(key), _example_data(example)
    theirs = loaded.get("basis", loaded.get("依据")) if isinstance(loaded, dict) else None
    if not isinstance(given, list) or not isinstance(theirs, list):
        return data
    places = [p for p in own if p]
    kept: list[Any] = []
    for i, item in enumerate(given):
        title = item.get("title", item.get("标题")) if isinstance(item, dict) else item
        found = _PLACE_AHEAD.match(title) if isinstance(title, str) else None
        foreign = found is not None and not any(found.group(1) in p or p in found.group(1) for p in places)
        if foreign and any(_same(item, t) for t in theirs):
            changes.extend((where, text, "") for where, text in _texts(item, (key, i)))
        else:
            kept.append(item)
    return {**data, key: kept} if len(kept) != len(given) else data


def _example_county(example: str) -> str | None:
    """The county the example's unit lies in (郎溪县), as its unit says it."""
    loaded = _example_data(example)
    unit = loaded.get("unit", loaded.get("单位")) if isinstance(loaded, dict) else None
    county = unit.get("county", unit.get("所在县市")) if isinstance(unit, dict) else None
    return county.strip() if isinstance(county, str) and county.strip() else None


def _county_of(data: dict[str, Any], example: str, level: str, name: str, parent: str | None) -> str | None:
    """The county of the unit ``data`` names: its own 所在县市 when the clerk typed one (not the example's
    left in the form), the unit itself for a 县, 区 or 市, its parent when that is one; None when unknown (a
    乡's 村: the example's county is then left for the clerk to see)."""
    unit = data.get("unit", data.get("单位"))
    given = unit.get("county", unit.get("所在县市")) if isinstance(unit, dict) else None
    if isinstance(given, str) and given.strip() and given.strip() != _example_county(example):
        return given.strip()
    if level == "区" and parent and kind_of_name(parent) == "市":
        return parent  # a 区's campaigns are its city's: 宣州区 works for 宣城市's 文明城市
    if level in _COUNTY:
        return name
    if parent and kind_of_name(parent) in _COUNTY:
        return parent
    return None


def _short(name: str) -> str:
    """How a department typed as the unit names itself (局 for 郎溪县民政局, 委 for 县卫生健康委员会)."""
    from plangen.inputs.common import Unit

    try:
        return Unit(name=name, kind="部门").short
    except Exception:  # a name the model refuses reports its own error; the words fall back to a 局's
        return "局"


mend_example_words = mend
"""The SDK's name for :func:`mend`: a plan type's example, put in the words of the unit an input names."""
