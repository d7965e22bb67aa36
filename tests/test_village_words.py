"""A plan made from a plan type's example for a unit of another level speaks that unit's words: a 村's plan
names its 村卫生室, 村党组织书记 and 驻村单位, never the example 社区's 社区卫生服务站, 辖区物业服务企业 or
东街文化广场, nor the example 镇's 镇创先办 and pairing table (plangen.sample_words)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from plangen import api, plugins
from plangen.testing import docx as R
from plangen.testing.ooxml import assert_valid_ooxml

pytestmark = pytest.mark.chinese

VILLAGE = {"name": "桃园村", "parent": "石门乡"}
COMMUNITY_ONLY = ("社区卫生服务站", "社区居委会", "居委会", "社区党委", "社区主任", "居民小组", "物业服务企业", "楼院",
                  "东街", "城关镇", "居民")


def _example(name: str) -> dict[str, Any]:
    kind = plugins.get_registry().plan_types[name]
    assert kind is not None and kind.example
    data: dict[str, Any] = yaml.safe_load(kind.example)
    data["type"] = name
    return data


def _text(path: Path) -> str:
    paragraphs = [p.text for p in R.paragraphs(path)]
    cells = [c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells]
    return "\n".join(paragraphs + cells)


def _village_plan(kind: str, tmp_path: Path, unit: dict[str, str] = VILLAGE) -> str:
    data = _example(kind)
    data["unit"] = unit
    path = api.generate(data, tmp_path)
    assert_valid_ooxml(path)
    return _text(path)


def test_a_village_hygiene_month_plan_names_the_villages_bodies(tmp_path: Path) -> None:
    text = _village_plan("hygiene-month", tmp_path)
    assert [w for w in COMMUNITY_ONLY if w in text] == []
    assert "驻村单位、村卫生室、辖区中小学校等单位要按照职责分工" in text
    assert "组长：叶兰（村党组织书记）" in text and "副组长：贺丽（村委会主任）" in text
    assert "办公室设在村民委员会" in text
    assert "在石门乡爱卫办的指导下" in text and "前报送石门乡爱卫办" in text  # its own 乡's office, not the example's 城关镇


def test_a_village_civilised_county_plan_has_no_community_words(tmp_path: Path) -> None:
    text = _village_plan("civilised-county", tmp_path)
    assert [w for w in COMMUNITY_ONLY if w in text] == []
    assert "每月在桃园文化广场举办一场“邻里文化节”专场演出，由村文体队伍轮流承办。" in text
    assert "推行“村民小组长+党员中心户”管理模式" in text and "定期收集村民诉求" in text
    assert "组长：周明远（村党组织书记）" in text and "办公室设在村民委员会" in text


def test_a_village_cultural_calendar_names_its_own_people_and_places(tmp_path: Path) -> None:
    text = _village_plan("cultural-calendar", tmp_path)
    assert [w for w in COMMUNITY_ONLY if w in text] == []
    assert "打造“桃园邻里文化节”特色品牌" in text and "3.桃园文化广场。" in text
    assert "王秀英（村宣传委员）" in text and "刘志强（村退役军人服务站站长）" in text
    assert "向村民发放借书证" in text


def test_a_village_visit_campaign_from_the_towns_example_has_no_town_offices(tmp_path: Path) -> None:
    text = _village_plan("visit-campaign", tmp_path)
    assert [w for w in ("镇创先办", "镇直各单位", "镇党委", "镇长", "富民强镇", "结对安排", "东街社区") if w in text] == []
    assert "组长：孔德明（村党组织书记）" in text and "汪立群（村党组织副书记）" in text
    assert "组织村各党小组党员干部深入结对村民小组开展入户大走访" in text
    assert "办公室设在村民委员会" in text


def test_a_town_plan_from_the_community_example_speaks_as_a_town(tmp_path: Path) -> None:
    text = _village_plan("hygiene-month", tmp_path, {"name": "石门乡", "county": "青山县"})
    assert [w for w in ("社区卫生服务站", "社区党委", "社区居委会", "社区主任", "城关镇") if w in text] == []
    assert "组长：叶兰（乡党委书记）" in text and "副组长：贺丽（乡长）" in text
    assert "辖区物业服务企业、乡卫生院、辖区中小学校等单位" in text
    assert "前报送青山县爱卫办" in text


def test_words_the_clerk_typed_are_the_clerks(tmp_path: Path) -> None:
    data = _example("cultural-calendar")
    data["unit"] = VILLAGE
    data["facilities"][0]["text"] = "每周开放六天，向居民和驻村单位职工免费借阅。"  # typed, not the example's
    text = _text(api.generate(data, tmp_path))
    assert "向居民和驻村单位职工免费借阅" in text


def test_a_county_calendar_from_the_community_example_names_the_countys_bodies(tmp_path: Path) -> None:
    text = _village_plan("cultural-calendar", tmp_path, {"name": "青山县"})
    assert [w for w in ("社区居委会", "社区党委", "社区主任", "社区宣传委员", "东街", "服务站站长") if w in text] == []
    assert "\n县文化馆\n" in text and "县政府办公室" not in text  # the level's own 负责人, not 社区居委会 renamed
    assert "刘志强（县退役军人事务局局长）" in text and "王秀英（县委宣传部部长）" in text
    # the community's aims (its reading room, 5 teams) and 楼院 projects are not a county's: its level's own speak
    assert "文化阵地功能更加完善" in text and "楼院" not in text and "文体队伍发展到5支以上" not in text
    assert "3200余册" not in text and "为辖区30户困难家庭" not in text
