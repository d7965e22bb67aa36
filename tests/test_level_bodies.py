"""A plan for a 村 names a 村's bodies, a plan for a 社区 a 社区's, whatever the example started with.

The hygiene-month example is a 社区's (社区卫生服务站, 社区居委会, 社区党委书记). A clerk who changes only
the unit gets the level's counterparts; one who types a body of the other level is asked about it."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from procs import run_cli

from plangen.roster_words import foreign_bodies, to_level

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "plangen_plans" / "hygiene_month" / "templates" / "hygiene-month.example.yaml"
COMMUNITY_ONLY = ("社区卫生服务站", "社区居委会", "社区党委", "居民小组", "居委会")
VILLAGE_ONLY = ("村卫生室", "村民委员会", "村党组织", "村民小组", "村委会")


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, as python-docx reads it."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def generate(tmp_path: Path, unit: dict, change=None) -> tuple[int, str, str]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["unit"] = unit
    if change:
        change(data)
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = run_cli("generate", str(source), "-o", str(tmp_path / "out"))
    files = sorted((tmp_path / "out").glob("*.docx")) if code == 0 else []
    return code, docx_text(files[0]) if files else "", err


@pytest.mark.parametrize("unit", [{"name": "桃园村", "parent": "石门乡"}, {"name": "桃园", "kind": "村", "parent": "石门乡"}])
def test_village_plan_from_the_example_names_no_community_body(tmp_path: Path, unit: dict) -> None:
    code, text, err = generate(tmp_path, unit)
    assert code == 0, err
    assert [w for w in COMMUNITY_ONLY if w in text] == []
    assert "村卫生室" in text and "村党组织书记" in text  # the example's 社区卫生服务站 and 社区党委书记, for a 村


def test_community_plan_from_the_example_names_no_village_body(tmp_path: Path) -> None:
    code, text, err = generate(tmp_path, {"name": "西街社区", "parent": "城关镇"})
    assert code == 0, err
    assert [w for w in VILLAGE_ONLY if w in text] == []
    assert "社区卫生服务站" in text


def test_village_plan_defaults_come_from_the_level(tmp_path: Path) -> None:
    def no_lists(data: dict) -> None:
        for task in data["tasks"]:
            task.pop("departments", None)

    code, text, err = generate(tmp_path, {"name": "桃园村", "parent": "石门乡"}, no_lists)
    assert code == 0, err
    assert [w for w in COMMUNITY_ONLY if w in text] == []
    assert "村卫生室" in text and "各村民小组" in text


def test_a_typed_body_of_the_other_level_is_asked_about(tmp_path: Path) -> None:
    def typed(data: dict) -> None:
        data["cooperating"] = ["辖区中小学校", "村卫生室"]

    code, text, err = generate(tmp_path, {"name": "西街社区", "parent": "城关镇"}, typed)
    assert code == 2 and text == ""
    assert "村卫生室" in err and "社区卫生服务站" in err, err

    def typed_in_village(data: dict) -> None:
        data["tasks"][0]["departments"] = ["东街社区居委会", "村民委员会"]

    code, _, err = generate(tmp_path / "v", {"name": "桃园村", "parent": "石门乡"}, typed_in_village)
    assert code == 2 and "东街社区居委会" in err and "村民委员会" in err, err


def test_counterparts() -> None:
    assert to_level("叶兰（社区党委书记）", "村") == "叶兰（村党组织书记）"
    assert to_level("各居民小组", "村") == "各村民小组"
    assert to_level("村委会主任", "社区") == "社区主任"
    assert foreign_bodies("社区卫生服务站", "镇") == []


def test_a_village_row_of_a_batch_gets_the_village_bodies(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("社区名称,上级单位,社区党委书记,社区主任,成员,联系人,联系电话\n"
                      "东街社区,城关镇,叶兰,贺丽,丁燕、冯军,孙明怡,0523-88229815\n"
                      "桃园村,石门乡,邓怡,薛明勇,邱超、钟宇,宋子,0523-88698951\n", encoding="utf-8")
    sample = Path(__file__).resolve().parents[1] / "samples" / "hygiene-month.yaml"
    code, _, err = run_cli("batch", str(roster), "--base", str(sample), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 0, err
    village = docx_text(tmp_path / "out" / "桃园村-爱国卫生月活动方案.docx")
    community = docx_text(tmp_path / "out" / "东街社区-爱国卫生月活动方案.docx")
    assert [w for w in COMMUNITY_ONLY if w in village] == []
    assert "邓怡（村党组织书记）" in village and "薛明勇（村委会主任）" in village
    assert [w for w in VILLAGE_ONLY if w in community] == []
