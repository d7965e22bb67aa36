"""Property-based reading of every plan type at every unit level (issue 19).

Inputs are generated as clerks type them (a final 。 or ； on a clause, 等 or 等等 on a list item, names
with a space or a dot, full-width phone digits) for every type × level, and the rendered plan is read for
what an official would never sign: doubled punctuation, 等等, a paragraph without its final mark, a word
of another level, a person or figure given but not printed. The everyday run is bounded; the larger run
is marked slow (PLANGEN_FULL_TESTS=1).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangen import api, templating
from plangen.plugins import get_registry

LEVELS: dict[str, dict[str, Any]] = {
    "地级市": {"name": "云岭市", "kind": "市", "parent": "南山省"},
    "县级市": {"name": "安平市", "kind": "市", "parent": "云岭市"},
    "县": {"name": "青山县", "parent": "云岭市"},
    "区": {"name": "城西区", "parent": "云岭市"},
    "镇": {"name": "城南镇", "parent": "青山县"},
    "乡": {"name": "石门乡", "parent": "青山县"},
    "街道": {"name": "东街街道", "parent": "城西区"},
    "社区": {"name": "和平社区", "parent": "城南镇"},
    "村": {"name": "桥头村", "parent": "石门乡"},
    "村委会": {"name": "桥头村委会", "parent": "石门乡"},
    "县人民政府": {"name": "青山县人民政府", "parent": "云岭市"},
    "居委会": {"name": "和平社区居民委员会", "parent": "城南镇"},
    "部门": {"name": "县民政局", "parent": "青山县"},
}
TYPES = ("hygiene-month", "visit-campaign", "civilised-county", "cultural-calendar", "survey-report")

# Words that are wrong for a level (what it says instead: its own organs from the level table).
_VILLAGE = ("居民委员会", "社区党委", "社区居委会", "无烟机关", "楼院", "小区", "我单位", "全单位")
_COMMUNITY = ("村民委员会", "村党组织", "各村民小组", "农家书屋", "我单位", "全单位")
_COUNTY = ("县城治理", "社区党委", "社区居委会", "我单位", "全单位", "云岭市青山县")
WRONG: dict[str, tuple[str, ...]] = {
    "地级市": ("各乡镇（街道）、市直", "我单位", "全单位", "社区党委"),
    "县级市": ("各县（市、区）", "我单位", "全单位", "社区党委"),
    "县": _COUNTY, "县人民政府": _COUNTY,
    "区": ("县直", "县委", "我单位", "全单位", "社区党委"),
    "镇": ("乡党委", "乡直", "我单位", "全单位"),
    "乡": ("镇党委", "镇直", "镇党政", "我单位", "全单位"),
    "街道": ("镇党政", "村民委员会", "我单位", "全单位"),
    "社区": _COMMUNITY, "居委会": _COMMUNITY,
    "村": _VILLAGE, "村委会": _VILLAGE,
    "部门": ("社区党委", "社区居委会", "我单位", "全单位", "我县", "我局经济社会"),
}
DOUBLED = re.compile(r"[。，；、：！？]{2,}")
END = ("。", "！", "？", "…", "：")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "芳丽军强敏静磊洋勇艳杰娟涛明超秀霞平刚桂"
name = st.builds(lambda s, g, space: s + (" " if space else "") + g,
                 st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2), st.booleans())
tail = st.sampled_from(["", "。", "；", "，", " "])
etc = st.sampled_from(["", "等", "等等", "等单位"])


def _people(draw: Any) -> tuple[dict[str, Any], list[str]]:
    leader = draw(name)
    deputies = draw(st.lists(name, min_size=1, max_size=4, unique_by=lambda n: n.replace(" ", "")))
    members = draw(st.lists(name, max_size=3, unique_by=lambda n: n.replace(" ", "")))
    everyone = {n.replace(" ", "") for n in [leader, *deputies, *members]}
    if len(everyone) < 1 + len(deputies) + len(members):
        members = []
    group = {"leader": leader, "deputies": "、".join(deputies), "members": members}
    return group, [n.replace(" ", "") for n in [leader, *deputies, *members]]


@st.composite
def plan_inputs(draw: Any, plan_type: str, level: str) -> tuple[dict[str, Any], list[str]]:
    unit = dict(LEVELS[level])
    group, people = _people(draw)
    contact = draw(name)
    phone = draw(st.sampled_from(["0563-7031122", "０５６３－７０３１１２２", "13805630000"]))
    data: dict[str, Any] = {"type": plan_type, "unit": unit, "contact": {"person": contact, "phone": phone}}
    people.append(contact.replace(" ", ""))
    figures: list[str] = []
    if plan_type == "hygiene-month":
        data |= {"year": draw(st.integers(2025, 2027)), "theme": "美丽中国 健康相伴", "leadership": group,
                 "tasks": ["publicity", "environment", "health", "vectors", "tobacco", "waste"],
                 "focus": "病媒生物防制和环境卫生整治" + draw(tail),
                 "cooperating": ["镇卫生院", "镇中心学校" + draw(etc)],
                 "dates": {"by_xun": draw(st.booleans())}}
        if draw(st.booleans()):
            data["goal"] = draw(st.sampled_from(["省级卫生县城复评", "确保顺利通过省级卫生县城复审。", "巩固国家卫生城市创建成果"]))
    elif plan_type == "visit-campaign":
        year = draw(st.integers(2025, 2027))
        data |= {"dates": {"start": f"{year}-09-01", "end": f"{year}-12-31"}, "leadership": group,
                 "occasion": "党的二十届四中全会精神" + draw(tail),
                 "topics": ["党的二十届四中全会精神" + draw(tail), "惠民政策" + draw(tail)],
                 "methods": {"difficulties": ["出行难", "就业难" + draw(st.sampled_from(["", "等", "等问题"]))]}}
    elif plan_type == "civilised-county":
        year = draw(st.integers(2025, 2027))
        own = LEVELS[level]["name"] if level in ("地级市", "县级市", "区", "县") else "青山县"
        kind = "城市" if level in ("地级市", "县级市", "区") else "县城"
        data |= {"campaign": {"county": own, "kind": kind}, "leadership": group,
                 "dates": {"start": f"{year}-04-01", "end": f"{year}-12-31", "by_xun": draw(st.booleans())},
                 "goal": "年内创建市级文明单位" + draw(tail)}
    elif plan_type == "cultural-calendar":
        start = draw(st.sampled_from([1, 4, 7]))
        year = draw(st.integers(2025, 2027))
        data |= {"year": year, "leadership": group, "dates": {"start": f"{year}-{start:02d}-01", "end": f"{year}-12-31"},
                 "teams": ["书画队", {"name": "秧歌队", "leader": draw(name), "members": draw(st.integers(8, 40))}],
                 "facilities": [{"name": "图书阅览室", "text": "每周二至周日开放" + draw(tail)}]}
        people.append(data["teams"][1]["leader"].replace(" ", ""))
        figures.append(f"现有队员{data['teams'][1]['members']}人")
    else:
        offices = draw(st.lists(st.integers(50, 400), min_size=1, max_size=4))
        communities = [{"name": f"{n}社区", "staff": draw(st.integers(2, 9)), "office": o, "funding": draw(st.integers(5, 30))}
                       for n, o in zip(("东街", "西门", "南苑", "北关"), offices)]
        needed = draw(st.integers(20, 80))
        data |= {"dates": {"start": "2025-05-06", "end": "2025-05-17"}, "communities": communities,
                 "finance": {"needed": needed, "granted": draw(st.integers(10, 90))},
                 "leadership": {k: v for k, v in group.items() if k != "members"} | {"members": group["members"]}}
        if draw(st.booleans()):
            data["staff_profile"] = {"average_age": draw(st.integers(30, 55))}
            figures.append(f"平均年龄{data['staff_profile']['average_age']}岁")
        figures += [c["name"] for c in communities] + [f"{needed}万元"]
    return data, people + figures


def markup(data: dict[str, Any]) -> str:
    """The rendered plan as markup (the text the .docx is built from), without writing a file."""
    registry = get_registry()
    plan = api.plan_from_mapping(data, registry=registry)
    dirs = [t.templates_dir for t in registry.plan_types.values() if t.templates_dir is not None]
    own = plan.plan_type.templates_dir
    dirs.remove(own)
    dirs.insert(0, own)
    return templating.render(registry.environment(dirs), plan.plan_type.template, api.context_for(plan))


def body_paragraphs(text: str) -> list[str]:
    """Paragraphs of running text: no headings, tables, rosters or the signature block."""
    out, fenced = [], False
    for line in text.replace("\\", "").splitlines():
        line = line.strip()
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced or not line or line.startswith(("#", "|")):
            continue
        out.append(line)
    return out


def glued_lines(text: str) -> list[str]:
    """Lines of running text directly under another: the markup joins them into one paragraph (on
    purpose in a few places, such as 成立…领导小组。各单位要…; never for the contact line)."""
    out, fenced, before = [], False, ""
    for line in text.splitlines():
        if line.startswith("```"):
            fenced, before = not fenced, ""
            continue
        text_line = bool(line.strip()) and not fenced and not line.startswith(("#", "|"))
        if text_line and before:
            out.append(line)
        before = line if text_line else ""
    return out


def read_as_an_official(plan_type: str, level: str, data: dict[str, Any], given: list[str]) -> None:
    text = markup(data)
    glued = [line for line in glued_lines(text) if line.startswith("联系人：")]
    assert not glued, f"{plan_type}/{level}: the contact line runs into the paragraph above it"
    plain = text.replace("\\", "")
    assert not DOUBLED.search(plain), DOUBLED.search(plain)
    assert "等等" not in plain and not re.search(r"等问题等|等单位等", plain)
    for para in body_paragraphs(text):
        assert para.endswith(END), f"{plan_type}/{level}: paragraph without its final mark: {para[-40:]!r}"
    for word in WRONG[level]:
        assert word not in plain, f"{plan_type}/{level}: {word!r} in {plain[max(0, plain.find(word) - 30):plain.find(word) + 30]!r}"
    for item in given:
        assert item in plain, f"{plan_type}/{level}: {item!r} was given but is not printed"
    for heading in re.findall(r"^#+ (.*)$", plain, re.M):
        assert not heading.endswith("。"), heading


# a department makes no cultural calendar, and a community or village surveys no communities: both refused
REFUSED = {("cultural-calendar", "部门")} | {("survey-report", lv) for lv in ("社区", "居委会", "村", "村委会")}
CASES = [(t, lv) for t in TYPES for lv in LEVELS if (t, lv) not in REFUSED]


@st.composite
def any_case(draw: Any) -> tuple[str, str, dict[str, Any], list[str]]:
    plan_type, level = draw(st.sampled_from(CASES))
    data, given = draw(plan_inputs(plan_type, level))
    return plan_type, level, data, given


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_case())
def test_every_type_and_level_reads_right(case: tuple[str, str, dict[str, Any], list[str]]) -> None:
    read_as_an_official(*case)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_case())
def test_every_type_and_level_reads_right_at_length(case: tuple[str, str, dict[str, Any], list[str]]) -> None:
    read_as_an_official(*case)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@pytest.mark.parametrize(("plan_type", "level"), CASES)
def test_each_type_and_level_once(plan_type: str, level: str) -> None:
    """Every pair at least once in the everyday run, whatever hypothesis draws."""
    read_as_an_official(plan_type, level, *plan_inputs(plan_type, level).example())


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@pytest.mark.parametrize(("plan_type", "level"), sorted(REFUSED))
def test_pairs_that_make_no_sense_are_refused(plan_type: str, level: str) -> None:
    from plangen.errors import InputError

    data, _ = plan_inputs(plan_type, level).example()
    with pytest.raises(InputError, match="unit"):
        markup(data)
