"""The text layer (issue 19): each joining rule on its own, then through a template and a real .docx."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangen import api, joins
from plangen.errors import InputError
from plangen.testing import docx as R


@pytest.mark.parametrize("typed,joined", [
    ("党的二十届四中全会精神。", "党的二十届四中全会精神"),
    ("惠民政策；", "惠民政策"),
    ("就业政策，", "就业政策"),
    ("法律法规 。 ", "法律法规"),
    ("“三包”责任", "“三包”责任"),
    ("开展“清洁家园。”", "开展“清洁家园。”"),  # a quotation keeps its own mark
])
def test_clause_drops_the_typed_final_mark(typed: str, joined: str) -> None:
    assert joins.clause(typed) == joined


@pytest.mark.parametrize("items,kwargs,text", [
    (["镇卫生院", "镇中心学校等"], {"etc": True}, "镇卫生院、镇中心学校等"),
    (["镇卫生院", "镇中心学校等等"], {"etc": True}, "镇卫生院、镇中心学校等"),
    (["就业难等问题", "看病难"], {"etc": True}, "就业难、看病难等"),
    (["出行难", "就业难等问题"], {"etc": True}, "出行难、就业难等"),
    (["特困户", "信访户", "老党员"], {"last": "和"}, "特困户、信访户和老党员"),
    (["甲单位。", "乙单位；"], {}, "甲单位、乙单位"),
    (["甲等", "乙"], {}, "甲、乙"),
])
def test_listed_writes_one_etc_and_no_marks(items: list[str], kwargs: dict[str, object], text: str) -> None:
    assert joins.listed(items, **kwargs) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("typed,para", [
    ("每周二至周日开放", "每周二至周日开放。"),
    ("每周二至周日开放，", "每周二至周日开放。"),
    ("每周二至周日开放；", "每周二至周日开放。"),
    ("每周二至周日开放。", "每周二至周日开放。"),
    ("每周二至周日开放。。", "每周二至周日开放。"),
    ("你参加了吗？", "你参加了吗？"),
    ("倡导“光盘行动”", "倡导“光盘行动”。"),
    ("他说：“要落实。”", "他说：“要落实。”"),
])
def test_a_paragraph_ends_with_one_mark(typed: str, para: str) -> None:
    assert joins.para(typed) == para


@pytest.mark.parametrize("typed,heading", [("打造特色楼院文化。", "打造特色楼院文化"), ("加强组织领导", "加强组织领导"),
                                           ("加强组织领导；", "加强组织领导")])
def test_a_heading_loses_its_full_stop(typed: str, heading: str) -> None:
    assert joins.heading(typed) == heading


@pytest.mark.parametrize("typed,name", [
    ("刘 芳", "刘芳"),
    ("欧阳  明", "欧阳明"),
    ("阿依古丽.买买提", "阿依古丽·买买提"),
    ("阿依古丽。买买提", "阿依古丽·买买提"),  # what input normalisation makes of the ASCII period
    ("古丽•艾力", "古丽·艾力"),
    ("古丽・艾力", "古丽·艾力"),
    ("古丽 · 艾力", "古丽·艾力"),
])
def test_person_names(typed: str, name: str) -> None:
    assert joins.person_name(typed) == name


@pytest.mark.parametrize("cell,names", [
    ("刘 芳、陈丽", ["刘芳", "陈丽"]),
    ("丁燕 冯军 陆丽杰", ["丁燕", "冯军", "陆丽杰"]),
    ("丁燕，冯军；陆丽杰", ["丁燕", "冯军", "陆丽杰"]),
    ("刘 芳 陈丽", None),  # cannot tell: asked
])
def test_names_in_one_cell(cell: str, names: list[str] | None) -> None:
    assert joins.split_names(cell) == names


def test_unit_names_and_phones() -> None:
    assert joins.org_name("青山县 民政局") == "青山县民政局"
    assert joins.phone_digits("０５６３－７０３１１２２") == "0563-7031122"


def test_a_plan_typed_as_clerks_type_it_reads_right(tmp_path: Path) -> None:
    """The issue's own examples, through the templates into a .docx."""
    data = {
        "type": "visit-campaign", "unit": {"name": "城南镇", "parent": "青山县"},
        "dates": {"start": "2025-09-01", "end": "2025-12-31"},
        "occasion": "党的二十届四中全会精神。",
        "topics": ["党的二十届四中全会精神。", "惠民政策；"],
        "methods": {"difficulties": ["就业难等问题", "看病难"]},
        "leadership": {"leader": "刘 芳", "deputies": "刘 芳、陈丽", "members": ["阿依古丽.买买提", "古丽•艾力"]},
        "contact": {"person": "王 强", "phone": "０５６３－７０３１１２２"},
    }
    text = R.text(api.generate(data, tmp_path))
    assert "宣传党的二十届四中全会精神，宣传惠民政策，帮助群众" in text
    assert "围绕就业难、看病难等群众和党员关注的难点问题" in text
    assert "组长：刘芳" in text and "副组长：刘芳、陈丽" in text
    assert "阿依古丽·买买提、古丽·艾力" in text
    assert "联系人：王强，联系电话：0563-7031122。" in text
    for bad in ("。，", "；，", "等等", "等问题等", "刘、芳"):
        assert bad not in text


def test_names_that_cannot_be_split_are_asked_about(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "城南镇"}, "year": 2025, "theme": "健康",
            "leadership": {"leader": "叶兰", "deputies": "刘 芳 陈丽"}}
    with pytest.raises(InputError, match="、"):
        api.generate(data, tmp_path)
