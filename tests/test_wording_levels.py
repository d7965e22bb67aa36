"""Every plan type read at every unit level: the organs, the words for residents and groups, the
signature organ and who reports to whom must be those of the unit's own level (issue 11).

Each plan is generated to .docx and read back; the assertions are on the text an official would sign.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from plangen import api
from plangen.errors import InputError
from plangen.testing import docx as R

UNITS: dict[str, dict[str, str]] = {
    "县": {"name": "青山县", "parent": "云岭市"},
    "区": {"name": "城西区", "parent": "云岭市"},
    "镇": {"name": "城南镇", "parent": "青山县"},
    "乡": {"name": "石门乡", "parent": "青山县"},
    "街道": {"name": "东街街道", "parent": "城西区"},
    "社区": {"name": "东街社区", "parent": "城南镇"},
    "村": {"name": "凌笪村", "parent": "石门乡"},
}
ORGAN_ENDINGS = ("委员会", "人民政府", "办事处")


def leadership(deputies: int) -> dict[str, Any]:
    names = ["贺丽", "方海涛", "许文斌", "卞晓燕", "程国栋"]
    return {"leader": "叶兰", "deputies": names[:deputies], "members": ["丁燕", "冯军"]}


def phases(count: int, year: int, start_month: int, end_month: int) -> list[dict[str, Any]]:
    """``count`` back-to-back phases named without the usual words, so the position decides the text."""
    from datetime import date, timedelta

    start, end = date(year, start_month, 1), date(year, end_month, 28)
    step = (end - start).days // count
    out = []
    for i in range(count):
        a = start + timedelta(days=i * step)
        b = end if i == count - 1 else start + timedelta(days=(i + 1) * step - 1)
        out.append({"name": f"第{'一二三四五'[i]}步", "start": a, "end": b})
    return out


def inputs(plan_type: str, level: str, deputies: int = 1, phase_count: int = 0) -> dict[str, Any]:
    unit = dict(UNITS[level])
    if plan_type == "hygiene-month":
        data: dict[str, Any] = {"type": plan_type, "unit": unit, "year": 2024, "theme": "美丽中国 健康相伴",
                                "goal": "省级卫生县城复评", "leadership": leadership(deputies),
                                "tasks": ["publicity", "environment", "health", "vectors", "tobacco", "waste"]}
        if phase_count:
            data["dates"] = {"phases": phases(phase_count, 2024, 4, 4)}
        return data
    if plan_type == "visit-campaign":
        return {"type": plan_type, "unit": unit, "dates": {"start": "2024-09-01", "end": "2024-12-31"},
                "occasion": "党的二十届三中全会精神", "leadership": leadership(deputies),
                "basis": [{"title": "关于开展大走访活动的通知"}]}
    if plan_type == "civilised-county":
        data = {"type": plan_type, "unit": {**unit, "county": "青山县"} if level not in ("县", "区") else unit,
                "campaign": {"level": "省级", "kind": "县城" if level != "区" else "城市"},
                "dates": {"start": "2024-04-01", "end": "2024-12-31"}, "leadership": leadership(max(deputies, 1))}
        if phase_count:
            data["dates"]["phases"] = phases(phase_count, 2024, 4, 12)
        return data
    if plan_type == "cultural-calendar":
        return {"type": plan_type, "unit": unit, "year": 2024, "leadership": leadership(deputies)}
    raise AssertionError(plan_type)


PLAN_TYPES = ("hygiene-month", "visit-campaign", "civilised-county", "cultural-calendar")


def render(tmp_path: Path, data: dict[str, Any]) -> tuple[str, list[Any]]:
    path = api.generate(data, tmp_path)
    return R.text(path), R.paragraphs(path)


def signature_of(paras: list[Any]) -> str:
    """The signer: the paragraph just before the date at the end."""
    texts = [p.text for p in paras if p.text.strip()]
    date_at = max(i for i, t in enumerate(texts) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t.strip()))
    return texts[date_at - 1].strip()


# Words that must not appear in a plan of this level (what is said instead is in the comment).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "村": ("居民", "社区党委", "社区居委会", "居民委员会", "楼院", "物业", "镇党政", "经济社会高质量发展", "小区", "背街小巷"),
    "社区": ("村民委员会", "村党组织", "村民小组", "结对村", "经济社会高质量发展", "农家书屋", "村庄", "集镇"),
    "乡": ("镇党政", "镇党委", "镇人民政府", "镇直", "居民小组"),
    "镇": ("乡党政", "乡党委", "乡直"),
    "街道": ("镇党政", "镇直", "村民小组", "乡直", "村民委员会", "农家书屋", "村庄", "集镇"),
    "县": ("云岭市青山县", "在上级爱卫办", "镇党政", "社区党委"),
    "区": ("云岭市城西区", "在上级爱卫办", "县直", "县委", "社区党委"),
}
FILLER = ("等家庭", "活动工作领导小组", "工作工作", "推进确保", "为确保", "做好确保", "“”", "““", "””", "二支")


@pytest.mark.parametrize("level", list(UNITS))
@pytest.mark.parametrize("plan_type", PLAN_TYPES)
def test_every_plan_type_reads_right_for_every_level(tmp_path: Path, plan_type: str, level: str) -> None:
    text, paras = render(tmp_path, inputs(plan_type, level))
    for word in FORBIDDEN[level]:
        assert word not in text, f"{plan_type} for a {level}: {word!r} in {text[max(0, text.find(word) - 40):text.find(word) + 40]!r}"
    if level == "乡":
        assert "镇" not in text.replace("乡镇", ""), f"{plan_type} for a 乡 says 镇"
    if level == "区":
        assert "县" not in text.replace("县城", ""), f"{plan_type} for a 区 says 县"
    for word in FILLER:
        assert word not in text, f"{plan_type} for a {level}: filler {word!r}"
    signer = signature_of(paras)
    assert signer.endswith(ORGAN_ENDINGS), f"{plan_type} for a {level} is signed by {signer!r}, not an organ"
    assert signer not in (UNITS[level]["name"], UNITS[level]["parent"] + UNITS[level]["name"])
    # the leadership group is named by the unit (with its town for a community), never by a county's city
    group = re.search(r"成立(\S+?领导小组)", text)
    assert group and not group.group(1).startswith("云岭市"), group
    if level in ("县", "区"):
        assert group.group(1).startswith(UNITS[level]["name"])


@pytest.mark.parametrize("plan_type", ("hygiene-month", "civilised-county"))
@pytest.mark.parametrize("deputies,phase_count", [(1, 1), (5, 5)])
def test_one_or_many_deputies_and_phases(tmp_path: Path, plan_type: str, deputies: int, phase_count: int) -> None:
    text, paras = render(tmp_path, inputs(plan_type, "社区", deputies, phase_count))
    roster = next(p.text for p in paras if p.text.startswith("副组长"))
    assert roster.count("、") == deputies - 1
    # phases named freely still get real text by their position, not 扎实推进…各项工作, and no two the same
    assert "各项工作，确保按期完成" not in text
    at = [i for i, p in enumerate(paras) if re.match(r"（[一二三四五]）第.步阶段", p.text)]
    assert len(at) == phase_count
    works = [paras[i + 1].text for i in at]
    assert len(set(works)) == len(works), works
    for word in FILLER:
        assert word not in text


SIGNERS = {
    ("hygiene-month", "县"): "青山县爱国卫生运动委员会",
    ("hygiene-month", "镇"): "城南镇人民政府",
    ("hygiene-month", "社区"): "东街社区居民委员会",
    ("hygiene-month", "村"): "凌笪村村民委员会",
    ("hygiene-month", "街道"): "东街街道办事处",
    ("visit-campaign", "镇"): "中共城南镇委员会",
    ("visit-campaign", "县"): "中共青山县委员会",
    ("visit-campaign", "街道"): "中共东街街道工作委员会",
    ("visit-campaign", "社区"): "东街社区居民委员会",
    ("civilised-county", "县"): "青山县人民政府",
    ("cultural-calendar", "乡"): "石门乡人民政府",
}


@pytest.mark.parametrize("key", list(SIGNERS))
def test_signature_is_the_organ_of_the_plan_type(tmp_path: Path, key: tuple[str, str]) -> None:
    _, paras = render(tmp_path, inputs(*key))
    assert signature_of(paras) == SIGNERS[key]


def test_a_county_reports_up_not_to_itself(tmp_path: Path) -> None:
    text, _ = render(tmp_path, inputs("hygiene-month", "县"))
    assert "县爱卫办汇总后，于2024年5月5日前报送云岭市爱卫办" in text
    assert "由县爱卫办统一组织" in text
    # report.to naming the county's own office is how the seed writes it: the towns and member units
    # report to it, and it does not 汇总后报送 itself
    data = inputs("hygiene-month", "县") | {"report": {"to": "县爱卫办"}}
    text, _ = render(tmp_path / "own", data)
    assert "并于2024年5月5日前将书面总结报送县爱卫办。" in text
    assert "汇总后" not in text and "报送县爱卫办。县爱卫办" not in text


def test_a_town_is_guided_by_the_county_office(tmp_path: Path) -> None:
    text, _ = render(tmp_path, inputs("hygiene-month", "镇"))
    assert "在青山县爱卫办的指导下" in text
    assert "镇爱卫办汇总后" in text


def test_visit_campaign_pairs_by_level_and_names_the_slogan_twice(tmp_path: Path) -> None:
    community, _ = render(tmp_path / "c", inputs("visit-campaign", "社区"))
    assert "结对网格" in community and "建设和谐宜居社区" in community
    village, _ = render(tmp_path / "v", inputs("visit-campaign", "村"))
    assert "结对村民小组" in village and "村民代表" in village
    town, _ = render(tmp_path / "t", inputs("visit-campaign", "镇"))
    assert "结对村（社区）" in town and "推动我镇经济社会高质量发展" in town
    for text in (community, village, town):
        assert text.count("察民情、访民意、解民忧、促和谐") <= 2


def test_hygiene_goal_from_the_schema_example_reads_right(tmp_path: Path) -> None:
    from plangen_plans.hygiene_month import HygieneMonth

    description = HygieneMonth.model_fields["goal"].description or ""
    example = re.search(r"如 (\S+?)[；;，,]", description).group(1)
    text, _ = render(tmp_path, inputs("hygiene-month", "县") | {"goal": example})
    assert f"为做好{example}工作打下坚实基础" in text
    assert f"作为做好{example}工作的重要抓手" in text
    # a clause as a clerk writes it is worded right wherever the template uses the goal
    text, _ = render(tmp_path / "clause", inputs("hygiene-month", "县") | {"goal": "确保我县顺利通过省级卫生县城复审。"})
    assert "为我县顺利通过省级卫生县城复审打下坚实基础" in text
    assert "作为确保我县顺利通过省级卫生县城复审的重要抓手" in text
    assert "做好确保" not in text and "复审。" not in text
    with pytest.raises(InputError, match="为…打下坚实基础"):
        api.generate(inputs("hygiene-month", "县") | {"goal": "以创促建"}, tmp_path)


@pytest.mark.parametrize("occasion", ["党的二十届三中全会精神", "认真贯彻落实党的二十届三中全会精神"])
def test_visit_occasion_either_form_reads_once(tmp_path: Path, occasion: str) -> None:
    text, _ = render(tmp_path, inputs("visit-campaign", "镇") | {"occasion": occasion})
    assert "为深入学习贯彻党的二十届三中全会精神，深入践行" in text


def test_nested_quotes_become_single_quotes(tmp_path: Path) -> None:
    text, _ = render(tmp_path, inputs("hygiene-month", "社区") | {"theme": "“爱卫新篇章 健康“心”生活”"})
    assert "主题是“爱卫新篇章 健康‘心’生活”" in text
    text, _ = render(tmp_path, inputs("visit-campaign", "镇") | {"goal": "“强镇“富民””"})
    assert "“强镇‘富民’”的奋斗目标" in text


def test_hygiene_leadership_is_the_first_requirement_not_a_section(tmp_path: Path) -> None:
    _, paras = render(tmp_path, inputs("hygiene-month", "社区"))
    level1 = [p.text for p in paras if p.style == "Heading1"]
    assert not any(t.endswith("组织领导") for t in level1)
    at = next(i for i, p in enumerate(paras) if p.text.endswith("加强组织领导"))
    assert "成立城南镇东街社区爱国卫生月活动领导小组" in paras[at + 1].text


def test_extra_text_does_not_read_as_the_last_point(tmp_path: Path) -> None:
    """A task's extra paragraph and its 责任单位 follow a paragraph, not a numbered point."""
    data = inputs("hygiene-month", "社区")
    data["tasks"] = [{"kind": "environment", "extra": "4月13日组织党员志愿者开展集中清洁行动。"}]
    _, paras = render(tmp_path, data)
    at = next(i for i, p in enumerate(paras) if p.text.startswith("4月13日"))
    assert paras[at - 1].style != "Heading3" and not re.match(r"\d+\.", paras[at - 1].text)
    assert not re.match(r"\d+\.", paras[at - 1].text)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(
    [*ROOT.glob("src/plangen_plans/*/templates/*.example.yaml"), *ROOT.glob("samples/*.yaml"),
     *ROOT.glob("plugins/survey-report/plangen_survey_report/templates/*.example.yaml"),
     *ROOT.glob("plugins/survey-report/samples/*.yaml")],
    key=str,
)
DOUBLED = re.compile(r"(确保|推进|开展|贯彻|落实|做好|工作|活动|深入|加强)\1|(推进|做好|为)确保|推进推动|“[^”‘’]*“")


def _nested_quotes_ok(text: str) -> bool:
    """No “ opens inside another “…” (Chinese nests ‘’ inside “”)."""
    depth = 0
    for ch in text:
        if ch == "“":
            depth += 1
            if depth > 1:
                return False
        elif ch == "”":
            depth = max(0, depth - 1)
    return True


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_reads_without_doubled_words_or_filler(tmp_path: Path, path: Path) -> None:
    """What `plangen new` prints and the samples, as a new user would run them."""
    if "survey" in path.name:
        pytest.importorskip("plangen_survey_report")
    out = api.generate(path, tmp_path)
    text = R.text(out)
    for line in text.splitlines():
        assert not DOUBLED.search(line), line
        assert _nested_quotes_ok(line), line
        for word in FILLER:
            assert word not in line, line
    signer = R.paragraphs(out)[-2].text
    assert signer.endswith((*ORGAN_ENDINGS, "民政局")), signer


# Words a hygiene plan of this level must use (its own organs and groups).
REQUIRED_HYGIENE: dict[str, tuple[str, ...]] = {
    "村": ("各村民小组", "村民委员会", "村党组织", "在石门乡爱卫办的指导下"),
    "社区": ("各居民小组", "社区居委会", "社区党委", "在城南镇爱卫办的指导下"),
    "乡": ("乡党政办公室", "乡卫生院", "各村", "在青山县爱卫办的指导下"),
    "镇": ("镇党政办公室", "镇卫生院", "各村（社区）"),
    "街道": ("街道党政办公室", "各社区", "在城西区爱卫办的指导下"),
    "县": ("县委宣传部", "各乡镇（街道）、县爱卫会各成员单位", "由县爱卫办统一组织"),
    "区": ("区委宣传部", "各街道（镇）、区爱卫会各成员单位", "由区爱卫办统一组织", "报送云岭市爱卫办"),
}


@pytest.mark.parametrize("level", list(REQUIRED_HYGIENE))
def test_hygiene_uses_the_level_own_organs(tmp_path: Path, level: str) -> None:
    text, _ = render(tmp_path, inputs("hygiene-month", level))
    for word in REQUIRED_HYGIENE[level]:
        assert word in text, f"a {level} hygiene plan lacks {word!r}"


@pytest.mark.parametrize("name,kind,organ,party", [
    ("青山县", None, "青山县人民政府", "中共青山县委员会"),
    ("城南镇", None, "城南镇人民政府", "中共城南镇委员会"),
    ("东街街道", None, "东街街道办事处", "中共东街街道工作委员会"),
    ("东街社区", None, "东街社区居民委员会", "东街社区居民委员会"),
    ("凌笪村", None, "凌笪村村民委员会", "凌笪村村民委员会"),
    ("东街居委会", None, "东街居委会", "东街居委会"),  # already an organ
    ("松川县民政局", "县", "松川县民政局", "松川县民政局"),  # a county department signs as itself
])
def test_unit_organs(name: str, kind: str | None, organ: str, party: str) -> None:
    from plangen.inputs.common import Unit

    unit = Unit(name=name, kind=kind, parent="云岭市")
    assert (unit.organ, unit.party_organ) == (organ, party)


def test_one_level_table_for_every_kind() -> None:
    """Every kind of unit has its row, and the words differ where the levels differ."""
    from typing import get_args

    from plangen.inputs.common import WORDS, UnitKind

    assert set(get_args(UnitKind)) <= set(WORDS)
    assert WORDS["乡"].office == "乡党政办公室" and WORDS["镇"].office == "镇党政办公室"
    assert WORDS["村"].groups == "各村民小组" and WORDS["社区"].groups == "各居民小组"
    assert WORDS["村"].party == "村党组织" and WORDS["社区"].party == "社区党委"
    assert "居民" not in "".join(str(v) for v in vars(WORDS["村"]).values())


def _described_examples() -> list[tuple[str, Path, str, Any]]:
    """(plan type, example input, field, value) for every top-level text field whose description gives
    an example (如 …): what a user copies from `plangen schema` or the comments of `plangen new`."""
    import typing

    import yaml

    from plangen.plugins import get_registry

    registry = get_registry()
    out = []
    for path in EXAMPLES:
        if "example" not in path.name:
            continue
        if "survey" in path.name and importlib_util.find_spec("plangen_survey_report") is None:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        plan_type = registry.plan_type(data["type"]) if hasattr(registry, "plan_type") else None
        model = plan_type.model if plan_type else None
        if model is None:
            continue
        for name, field in model.model_fields.items():
            m = re.search(r"如 ([^；;，,）)\s]+)", field.description or "")
            if not m or name in ("signature",):
                continue
            args = typing.get_args(field.annotation)
            is_list = typing.get_origin(field.annotation) is list
            if not is_list and field.annotation is not str and str not in args and "Annotated" not in str(field.annotation):
                continue
            out.append((data["type"], path, name, [m.group(1)] if is_list else m.group(1)))
    return out


import importlib.util as importlib_util  # noqa: E402


@pytest.mark.parametrize("plan_type,path,field,value", _described_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_described_example_makes_a_sentence(tmp_path: Path, plan_type: str, path: Path, field: str, value: Any) -> None:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[field] = value
    text = R.text(api.generate(data, tmp_path))
    for line in text.splitlines():
        assert not DOUBLED.search(line), line
        assert _nested_quotes_ok(line), line
