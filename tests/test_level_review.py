"""Plans made from a plan type's example with only the unit changed, read as the official who signs them
(bench/level_corpus.py makes all of them): each level's own leaders, offices and bodies, never the example
unit's, and nothing a community says about its 楼院 in a county's or a town's plan (plangen.sample_words)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

pytest.importorskip("starlette")

from starlette.testclient import TestClient
from webforms import BASE, csrf_of, form_pairs, make_draft

from plangen import api, plugins
from plangen.testing.ooxml import assert_valid_ooxml
from plangen.web import app as webapp
from plangen.web.core import this_year

pytestmark = pytest.mark.chinese

TOWN_ONLY = ("镇党委", "镇长", "镇创先办", "镇直各单位", "镇党政办公室")


def _text(path: Path | bytes) -> str:
    doc = docx.Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    cells = ["\t".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _plan(kind: str, unit: dict[str, str], tmp_path: Path, year: int | None = None) -> str:
    example = plugins.get_registry().plan_types[kind].example
    assert example
    data: dict[str, Any] = yaml.safe_load(this_year(example, date(year, 1, 1)) if year else example)
    path = api.generate({**data, "type": kind, "unit": unit}, tmp_path)
    assert_valid_ooxml(path)
    return _text(path)


@pytest.mark.parametrize(("unit", "secretary", "head", "office"), [
    ({"name": "青山县", "parent": "宣城市"}, "县委书记", "县长", "县委办公室"),
    ({"name": "宁国市", "kind": "市", "parent": "宣城市"}, "市委书记", "市长", "市委办公室"),
    ({"name": "石门乡", "parent": "青山县"}, "乡党委书记", "乡长", "乡党政办公室"),
    ({"name": "南湖街道", "parent": "宣州区"}, "街道党工委书记", "街道办事处主任", "街道党政办公室"),
    ({"name": "郎溪县民政局", "parent": "郎溪县"}, "局党组书记", "局长", "局办公室"),
])
def test_a_visit_campaign_from_the_towns_example_is_led_by_the_units_own_leaders(
        tmp_path: Path, unit: dict[str, str], secretary: str, head: str, office: str) -> None:
    text = _plan("visit-campaign", unit, tmp_path)
    assert [w for w in TOWN_ONLY if w in text] == []
    assert f"组长：孔德明（{secretary}）" in text and f"吕建华（{head}）" in text
    assert f"办公室设在{office}，" in text


def test_a_districts_visit_campaign_spreads_the_districts_own_decisions(tmp_path: Path) -> None:
    text = _plan("visit-campaign", {"name": "宣州区", "parent": "宣城市"}, tmp_path)
    assert "宣传区委关于“工业强县、生态立县”的决策部署" in text and "宣传县委" not in text
    assert "汪立群（区委副书记）" in text and "许文斌" in text


@pytest.mark.parametrize("kind", ["hygiene-month", "civilised-county"])
def test_a_departments_plan_names_its_own_leaders_and_no_place_of_the_example(tmp_path: Path, kind: str) -> None:
    text = _plan(kind, {"name": "郎溪县民政局", "parent": "郎溪县"}, tmp_path)
    assert [w for w in ("社区党委", "社区主任", "社区居委会", "社区卫生", "社区文体", "楼院", "文化广场", "东街", "网格") if w in text] == []
    assert "（局党组书记）" in text and "（局长）" in text and "办公室设在局办公室，" in text


def test_a_departments_hygiene_month_works_with_the_health_bodies_around_it(tmp_path: Path) -> None:
    text = _plan("hygiene-month", {"name": "青山县卫生健康委员会", "parent": "青山县"}, tmp_path)
    assert "组长：叶兰（委党组书记）" in text and "副组长：贺丽（委主任）" in text
    assert "责任单位：辖区医疗卫生机构、委机关各科室（股室）。" in text
    assert "机关物业服务企业、辖区医疗卫生机构、辖区中小学校等单位要按照职责分工" in text
    assert "4月13日组织委机关党员志愿者开展“清洁家园”集中行动日活动。" in text and "辖区党员" not in text


@pytest.mark.parametrize(("unit", "below"), [({"name": "青山县"}, "各乡镇（街道）"), ({"name": "宣州区", "parent": "宣城市"}, "各街道（镇）")])
def test_a_countys_hygiene_month_works_through_its_towns_not_a_communitys_grid(tmp_path: Path, unit: dict[str, str], below: str) -> None:
    text = _plan("hygiene-month", unit, tmp_path)
    level = unit["name"][-1]
    assert f"责任单位：{level}疾病预防控制中心、{below}。" in text and "网格。" not in text
    assert f"{level}住房和城乡建设局、{level}疾病预防控制中心、辖区中小学校等单位" in text and "物业" not in text


@pytest.mark.parametrize("unit", [{"name": "青山县"}, {"name": "梅渚镇", "parent": "郎溪县"}, {"name": "南湖街道", "parent": "宣州区"}])
def test_no_community_brand_of_its_buildings_above_the_grassroots(tmp_path: Path, unit: dict[str, str]) -> None:
    text = _plan("civilised-county", unit, tmp_path, 2026)
    assert "楼院" not in text and "（八）" not in text
    assert "三、创建措施" in text and "（七）整治人居环境" in text


def test_a_county_is_not_given_a_show_on_a_square_named_after_it(tmp_path: Path) -> None:
    assert "文化广场举办" not in _plan("civilised-county", {"name": "青山县"}, tmp_path)
    town = _plan("civilised-county", {"name": "梅渚镇", "parent": "郎溪县"}, tmp_path)
    assert "每月在梅渚文化广场举办一场“邻里文化节”专场演出，由镇文体队伍轮流承办。" in town


@pytest.mark.parametrize("year", [2025, 2027])
def test_a_towns_cultural_calendar_has_its_own_stations_not_a_communitys_reading_room(tmp_path: Path, year: int) -> None:
    text = _plan("cultural-calendar", {"name": "梅渚镇", "parent": "郎溪县"}, tmp_path, year)
    for word in ("楼院", "3200余册", "健身秧歌队", "为辖区30户", "文体队伍发展到5支以上", "邻里文化节"):
        assert word not in text, word
    assert "1.综合文化站。" in text and "2.农家书屋。" in text
    village = _plan("cultural-calendar", {"name": "桃园村", "parent": "石门乡"}, tmp_path, year)
    assert "在6个村组设立“邻里书架”" in village and "3.桃园文化广场。" in village  # a 村 keeps them, in its words


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)


def _web_plan(client: TestClient, kind: str, **unit: str) -> tuple[int, str]:
    """A new draft of ``kind`` as the form shows it, saved with only the unit changed; (status, text) of its .docx."""
    page = make_draft(client, kind)
    url, html = str(page.url.path), page.text
    changes = {f"unit.{k}": v for k, v in unit.items()}
    pairs = [(k, changes.pop(k) if k in changes else v) for k, v in form_pairs(html)] + list(changes.items())
    assert client.post(url, data=dict(pairs), headers={"X-CSRF-Token": csrf_of(html)}).status_code == 200
    got = client.get(url + "/plan.docx")
    return got.status_code, _text(got.content) if got.status_code == 200 else got.text


def test_the_web_forms_town_example_for_a_street_is_signed_by_the_street(client: TestClient) -> None:
    status, text = _web_plan(client, "visit-campaign", name="南湖街道", parent="宣州区")
    assert status == 200
    assert "组长：孔德明（街道党工委书记）" in text and "办公室设在街道党政办公室，" in text
    assert [w for w in TOWN_ONLY if w in text] == []


def test_a_survey_typed_over_the_towns_name_takes_the_level_of_the_name_typed(client: TestClient) -> None:
    status, text = _web_plan(client, "survey-report", name="南湖街道", parent="宣州区")
    assert status == 200
    assert "南湖街道办事处组织调研组" in text and "人民政府" not in text
    assert "街道党工委、办事处把社区建设" in text and "镇党委" not in text
    status, page = _web_plan(client, "survey-report", name="桃园村", parent="石门乡")
    assert status == 422 and "社区建设调研由县、乡镇、街道或部门组织" in page  # refused, not 桃园村人民政府


def test_a_survey_file_made_from_the_example_takes_the_level_of_the_name_typed(tmp_path: Path) -> None:
    example = plugins.get_registry().plan_types["survey-report"].example
    assert example
    data: dict[str, Any] = yaml.safe_load(example)
    data["unit"] = {**data["unit"], "name": "南湖街道"}  # the clerk types over the town's name, nothing else
    text = _text(api.generate({**data, "type": "survey-report"}, tmp_path))
    assert "南湖街道办事处组织调研组" in text and "南湖街道人民政府" not in text


@pytest.mark.parametrize(("unit", "county"), [
    ({"name": "石门乡", "parent": "青山县"}, "青山县"),
    ({"name": "南湖街道", "parent": "宣州区"}, "宣州区"),
    ({"name": "梅渚镇", "parent": "郎溪县"}, "郎溪县"),
])
def test_a_civilised_county_plan_serves_the_county_its_unit_lies_in(tmp_path: Path, unit: dict[str, str], county: str) -> None:
    text = _plan("civilised-county", unit, tmp_path)
    honour = "文明城市" if county.endswith("区") else "文明县城"  # a district's 街道 works for a civilised city
    assert f"为全面落实{county}委、{county[-1]}政府关于创建第三届省级{honour}的决策部署" in text
    assert f"助力{county}2024年全面达到省级{honour}测评标准" in text
    assert county == "郎溪县" or "郎溪县委" not in text


def test_a_countys_own_civilised_county_plan_answers_to_itself(tmp_path: Path) -> None:
    text = _plan("civilised-county", {"name": "青山县", "parent": "宣城市"}, tmp_path)
    assert "为全面落实县委、县政府关于创建第三届省级文明县城的决策部署" in text and "郎溪县委" not in text


def test_another_towns_visit_campaign_does_not_pair_with_the_example_towns_villages(tmp_path: Path) -> None:
    text = _plan("visit-campaign", {"name": "梅渚镇", "parent": "郎溪县"}, tmp_path)
    assert [w for w in ("东街社区", "西街社区", "凌笪村", "飞鲤村", "建平村", "结对安排") if w in text] == []
    assert "组长：孔德明（镇党委书记）" in text and "成立郎溪县梅渚镇大走访活动领导小组" in text
    own = _plan("visit-campaign", {"name": "建平镇", "county": "郎溪县"}, tmp_path)
    assert "四、结对安排" in own and "镇村镇建设办\t建平村\t程国栋（副镇长）" in own  # the example's own town keeps it


@pytest.mark.parametrize(("unit", "honour", "city"), [
    ({"name": "宁国市", "kind": "市", "parent": "宣城市"}, "第三届省级文明城市", "市委、市政府"),
    ({"name": "宣州区", "parent": "宣城市"}, "第三届省级文明城市", "宣城市委、市政府"),
])
def test_a_city_or_district_works_for_a_civilised_city_not_a_county_seat(tmp_path: Path, unit: dict[str, str], honour: str, city: str) -> None:
    text = _plan("civilised-county", unit, tmp_path)
    assert f"为全面落实{city}关于创建{honour}的决策部署" in text and "郎溪县委" not in text
    assert "文明县城" not in text and "郎溪县" not in text  # nor is another county's plan its basis
    hygiene = _plan("hygiene-month", unit, tmp_path)
    assert "为做好省级卫生城市复评工作打下坚实基础" in hygiene and "卫生县城" not in hygiene


def test_the_web_forms_civilised_county_plan_for_a_district_is_a_civilised_city(client: TestClient) -> None:
    status, text = _web_plan(client, "civilised-county", name="宣州区", parent="宣城市")
    assert status == 200
    assert "宣州区创建第三届省级文明城市实施方案" in text and "落实宣城市委、市政府关于创建第三届省级文明城市" in text


@pytest.mark.parametrize(("unit", "cited"), [
    ({"name": "青山县", "parent": "宣城市"}, []),
    ({"name": "石门乡", "parent": "青山县"}, []),
    ({"name": "梅渚镇", "parent": "郎溪县"}, ["《郎溪县创建第三届省级文明县城实施方案》"]),
])
def test_a_plan_acts_on_its_own_countys_documents_not_the_examples(tmp_path: Path, unit: dict[str, str], cited: list[str]) -> None:
    text = _plan("civilised-county", unit, tmp_path)
    assert "建平镇" not in text  # the example town's own plan is no other unit's basis
    opening = next(line for line in text.splitlines() if line.startswith("为全面落实"))
    assert [c for c in ("《郎溪县创建第三届省级文明县城实施方案》",) if c in opening] == cited
    assert opening.endswith("制定本方案。") and "根据精神" not in opening


def test_the_web_forms_county_plan_does_not_cite_another_countys_plan(client: TestClient) -> None:
    status, text = _web_plan(client, "visit-campaign", name="青山县", parent="宣城市")
    assert status == 200 and "郎溪县" not in text
    assert "为深入学习贯彻党的二十届三中全会精神" in text and "结合我县实际" in text


def test_a_districts_street_spreads_the_districts_decisions_not_a_countys(tmp_path: Path) -> None:
    text = _plan("visit-campaign", {"name": "南湖街道", "parent": "宣州区"}, tmp_path)
    assert "宣传区委关于“工业强县、生态立县”的决策部署" in text and "县委" not in text
    village = _plan("visit-campaign", {"name": "桃园村", "parent": "石门乡"}, tmp_path)
    assert "宣传县委关于" in village  # a 乡's 村 lies in a county
