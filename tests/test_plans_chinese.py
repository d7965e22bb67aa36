"""The built-in plan types' validator messages, the shared blocks' and the schema, in the default
language (Chinese): what a clerk reads when an input is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from plangen import plugins
from plangen.cli import main
from plangen.schema import input_schema

TYPES = plugins.get_registry().plan_types
HAN = re.compile(r"[\u4e00-\u9fff]")


def _run(tmp_path: Path, name: str, change, capsys: pytest.CaptureFixture[str]) -> str:
    data = yaml.safe_load(TYPES[name].example)
    change(data)
    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["generate", str(path), "-o", str(tmp_path / "out")])
    assert exit_.value.code == 2
    return capsys.readouterr().err


CASES = [
    ("hygiene-month", lambda d: d.update(edition=30), "届次 30 与年度 2024 不符：2024年4月是第36个爱国卫生月"),
    ("hygiene-month", lambda d: d["tasks"].append({"kind": "跳舞"}), "没有名为“跳舞”的活动内容"),
    ("hygiene-month", lambda d: d["tasks"].append({"kind": "宣传"}), "活动内容“爱国卫生宣传”列了两次"),
    ("hygiene-month", lambda d: d.update(goal="以创促建"), "无法放进“为…打下坚实基础”"),
    ("hygiene-month", lambda d: d["unit"].update(name="东街某某"), "看不出“东街某某”是哪一级单位"),
    ("hygiene-month", lambda d: d["dates"].update(phases=[
        {"name": "集中整治", "start": "2024-04-08", "end": "2024-04-25"},
        {"name": "宣传发动", "start": "2024-04-01", "end": "2024-04-07"}]), "各阶段应依次排列、互不重叠"),
    ("hygiene-month", lambda d: d["dates"].update(phases=[{"name": "宣传发动", "start": "2024-04-07", "end": "2024-04-01"}]),
     "阶段“宣传发动”的结束日期（2024-04-01）早于开始日期（2024-04-07）"),
    ("hygiene-month", lambda d: d["dates"].update(issued="2023-03-25"), "是否写成了去年的日期"),
    ("hygiene-month", lambda d: d["contact"].update(phone="电话待定"), "“电话待定”不是电话号码"),
    ("civilised-county", lambda d: d["campaign"].update(edition="第几届"), "“第几届”不是届次"),
    ("civilised-county", lambda d: d["measures"].append("跳舞"), "没有名为“跳舞”的措施"),
    ("civilised-county", lambda d: d["measures"].append("舆论宣传"), "措施“舆论宣传”列了两次"),
    ("civilised-county", lambda d: d["leadership"].pop("deputies"), "至少还需要一名副组长"),
    ("civilised-county", lambda d: d["measures"].append({"title": "楼院文化"}), "自拟措施“楼院文化”缺少具体内容"),
    ("cultural-calendar", lambda d: d["months"].append({"month": 5, "person": "赵德林"}), "5月列了两次"),
    ("cultural-calendar", lambda d: d["months"].append({"month": "十三月", "person": "赵德林"}), "13 不是月份"),
    ("cultural-calendar", lambda d: d["months"].append({"month": 3}), "3月没有改写任何内容"),
    ("cultural-calendar", lambda d: d["projects"][0].update(deadline="2025-01-31"), "不在方案的起止日期"),
    ("cultural-calendar", lambda d: d["dates"].update(start="2023-01-01"), "年度为2024，但开始日期为2023-01-01"),
    ("visit-campaign", lambda d: d["methods"].update(projects="3至1"), "“3至1”前大后小，请写作“1至3”"),
    ("visit-campaign", lambda d: d.update(reports=["2024-12-31", "2024-11-30"]), "每个报送时间只写一次，并按先后顺序排列"),
    ("visit-campaign", lambda d: d.update(reports=["2025-12-31"]), "第1个报送时间（2025-12-31）比结束日期"),
    ("visit-campaign", lambda d: d.update(knows=["知民情"]), "至少列出两项"),
    ("visit-campaign", lambda d: d["pairings"].append(dict(d["pairings"][0])), "镇党政办公室与东街社区的结对列了两次"),
]


@pytest.mark.chinese
@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_validator_messages_are_chinese(name: str, change, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _run(tmp_path, name, change, capsys)
    assert expected in err, err
    assert not re.search(r"\b(is|the|must|listed|before|write)\b", err.split("：", 2)[-1]), err


@pytest.mark.chinese
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["communities"].append(dict(d["communities"][0])), "社区“东街社区”列了两次"),
        (lambda d: d.update(problems=["组织领导"]), "组织领导 只能作为建议"),
        (lambda d: d.update(problems=["跳舞"]), "“跳舞”不是 组织领导、硬件设施、工作机制、队伍素质 之一"),
        (lambda d: d["targets"].update(year=2020), "早于调研年度（2024）"),
    ],
)
def test_a_plugin_ships_its_own_catalogue(change, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """survey-report lives outside plangen; its messages come from its own .mo (plangen.add_catalogue)."""
    if "survey-report" not in TYPES:
        pytest.skip("plangen-survey-report is not installed")
    err = _run(tmp_path, "survey-report", change, capsys)
    assert expected in err, err


def test_english_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _run(tmp_path, "hygiene-month", lambda d: d.update(edition=30), capsys)
    assert "edition 30 contradicts year 2024: April 2024 is the 36th 爱国卫生月" in err


def _properties(node: object):
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield from node["properties"].items()
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_schema_titles_are_the_chinese_keys_and_every_property_is_described_in_chinese(name: str) -> None:
    schema = input_schema(TYPES[name])
    props = list(_properties(schema))
    assert len(props) > 20
    for key, prop in props:
        if "$ref" in prop and len(prop) == 1:
            continue  # the other spelling of an envelope key
        assert HAN.search(prop.get("title", "")), f"{key}: no Chinese title"
        assert HAN.search(prop.get("description", "")), f"{key}: no Chinese description"
        if HAN.search(key):
            assert prop["title"] == key, f"{key}: the title is not the Chinese key"


def test_the_plugin_catalogue_is_compiled_from_its_po() -> None:
    """Like plangen's own (tests/test_i18n.py): the .mo a plugin ships is what its .po compiles to."""
    pytest.importorskip("babel")
    from plangen.i18n.build import compiled, po_files

    folder = Path(__file__).resolve().parent.parent / "plugins" / "survey-report" / "plangen_survey_report" / "locale"
    files = po_files(folder)
    assert files
    for po in files:
        assert po.with_suffix(".mo").read_bytes() == compiled(po), f"{po.name}: run python -m plangen.i18n.build {folder}"
