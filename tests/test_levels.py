"""One level model (issue 19): rank from kind, name and parent; organs and departments typed as the unit;
what each rank addresses, who it reports to and who signs; and the questions asked where it cannot tell."""

from __future__ import annotations

from pathlib import Path

import pytest
from procs import run_cli

from plangen import api
from plangen.inputs.common import Unit
from plangen.testing import docx as R


@pytest.mark.parametrize("name,kind,parent,rank,place,organ", [
    ("安平市", "市", "云岭市", "县级市", "安平市", "安平市人民政府"),
    ("安平市", None, "云岭州", "县级市", "安平市", "安平市人民政府"),
    ("云岭市", "市", "南山省", "地级市", "云岭市", "云岭市人民政府"),
    ("桥头村村民委员会", None, "石门乡", "村", "桥头村", "桥头村村民委员会"),
    ("桥头村委会", None, "石门乡", "村", "桥头村", "桥头村委会"),
    ("桥头村民委员会", None, "石门乡", "村", "桥头村", "桥头村民委员会"),
    ("青山县人民政府", None, "云岭市", "县", "青山县", "青山县人民政府"),
    ("和平社区居民委员会", None, "城南镇", "社区", "和平社区", "和平社区居民委员会"),
    ("东街街道办事处", None, "城西区", "街道", "东街街道", "东街街道办事处"),
    ("县民政局", None, "青山县", "部门", "县民政局", "县民政局"),
    ("松川县民政局", "县", None, "部门", "松川县民政局", "松川县民政局"),
])
def test_rank_place_and_organ(name: str, kind: str | None, parent: str, rank: str, place: str, organ: str) -> None:
    unit = Unit(name=name, kind=kind, parent=parent)
    assert (unit.rank, unit.place, unit.organ) == (rank, place, organ)


def test_a_county_level_city_addresses_towns_not_counties() -> None:
    city = Unit(name="安平市", kind="市", parent="云岭市")
    assert city.words.subunits == "各乡镇（街道）" and city.we == "我市" and city.words.territory == "市域"
    prefecture = Unit(name="云岭市", kind="市")
    assert prefecture.words.subunits == "各县（市、区）"


def test_a_department_has_its_own_words() -> None:
    bureau = Unit(name="县民政局")
    assert (bureau.we, bureau.whole, bureau.seat, bureau.tier) == ("我局", "全局", "县", "department")
    assert bureau.words.office == "局办公室" and "社区" not in bureau.words.units


def test_an_organ_typed_as_the_unit_is_not_a_generic_unit(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "桥头村委会", "parent": "石门乡"}, "year": 2025,
            "theme": "美丽中国 健康相伴", "tasks": ["publicity", "tobacco"],
            "leadership": {"leader": "叶兰", "deputies": ["贺丽"]}}
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert "结合我村实际" in text and "全村" in text
    for wrong in ("我单位", "全单位", "社区党委", "社区居委会", "无烟机关", "石门乡桥头村委会爱国卫生月"):
        assert wrong not in text, wrong
    assert "成立石门乡桥头村爱国卫生月活动领导小组" in text
    assert "桥头村委会\n2025年4月1日" in text  # signs as the organ typed


def test_a_department_gets_department_duties(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "县民政局"}, "year": 2025, "theme": "健康",
            "tasks": ["environment", "tobacco", "vectors"]}
    text = R.text(api.generate(data, tmp_path))
    assert "结合我局实际" in text and "局机关各科室（股室）和局属各单位" in text
    assert "由局办公室统一组织" in text and "于2025年5月5日前报送县爱卫办" in text
    for wrong in ("社区", "网格", "居委会", "村民"):
        assert wrong not in text, wrong


@pytest.mark.parametrize("plan_type", ["hygiene-month", "cultural-calendar"])
def test_a_county_says_xianyu_not_xiancheng_governance(tmp_path: Path, plan_type: str) -> None:
    data = {"type": plan_type, "unit": {"name": "青山县", "parent": "云岭市"}, "year": 2025}
    if plan_type == "hygiene-month":
        data |= {"theme": "健康", "tasks": ["tobacco"]}
    text = R.text(api.generate(data, tmp_path))
    assert "县城治理" not in text
    if plan_type == "cultural-calendar":
        assert "县域治理" in text


def test_a_village_builds_smoke_free_families_not_offices(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "凌笪村", "parent": "石门乡"}, "year": 2025, "theme": "健康",
            "tasks": ["tobacco"]}
    text = R.text(api.generate(data, tmp_path))
    assert "无烟家庭" in text and "无烟机关" not in text


def test_a_county_level_city_plan(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "安平市", "kind": "市", "parent": "云岭市"}, "year": 2025,
            "theme": "健康"}
    text = R.text(api.generate(data, tmp_path))
    assert "各乡镇（街道）、市爱卫会各成员单位" in text and "各县（市、区）" not in text
    assert "报送云岭市爱卫办" in text and "安平市爱国卫生运动委员会" in text


@pytest.mark.chinese
def test_an_unknown_kind_is_asked_about(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text("type: hygiene-month\nunit: {name: 青山某某}\nyear: 2025\ntheme: 健康\n", encoding="utf-8")
    code, out, err = run_cli("generate", str(source), "-o", str(tmp_path / "out"))
    assert code == 2 and "Traceback" not in err
    line = (out + err).strip()
    assert "类别" in line and "青山某某" in line and len(line.splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
