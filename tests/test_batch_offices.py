"""Rosters as offices keep them, through ``plangen batch``: every plan is read back and compared with its own row.

Issue 18: a title row was a dead end, 书记/主任/委员 columns were ignored so every plan named the base's
people, and 村 rows took the base's 社区 posts. These run the command a clerk runs, in Chinese.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from office_rosters import UNITS, Unit, assert_plan_is_its_rows, gbk_csv, plan_text, titled_xlsx, two_row_header_xlsx
from procs import run_cli

pytestmark = pytest.mark.chinese

ROOT = Path(__file__).resolve().parent.parent
BASE = str(ROOT / "samples" / "hygiene-month.yaml")
BASE_PEOPLE = ["叶兰", "贺丽", "丁燕", "冯军", "陆丽杰", "孙明怡"]
NO_MACHINE_WORDS = re.compile(r"columns:|leadership|unit\.|contact\.|\.name|YAML|yaml|roster_columns")


def others(unit: Unit) -> list[str]:
    names = [n for u in UNITS if u is not unit for n in (u.secretary, u.director, u.contact, *u.members.split("、"))]
    return names + BASE_PEOPLE


def plans_match_rows(out: Path, units: list[Unit] = UNITS) -> None:
    made = sorted(p.name for p in out.glob("*.docx"))
    assert made == sorted(f"{u.name}-爱国卫生月活动方案.docx" for u in units)
    for unit in units:
        assert_plan_is_its_rows(out / f"{unit.name}-爱国卫生月活动方案.docx", unit, others(unit))


@pytest.mark.parametrize("make", [titled_xlsx, two_row_header_xlsx, gbk_csv], ids=["title-row", "two-row-header", "gbk-csv"])
def test_an_office_roster_makes_each_unit_its_own_plan(tmp_path: Path, make: object) -> None:
    suffix = ".csv" if make is gbk_csv else ".xlsx"
    roster = make(tmp_path / f"名册{suffix}")  # type: ignore[operator]
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", str(roster), "--base", BASE, "-o", str(out), "-j", "1")
    assert code == 0, stderr
    assert "已生成 8 份" in stdout
    if make is titled_xlsx:
        assert "以第3行为表头；其上的标题行和空行已跳过" in stderr
    if make is two_row_header_xlsx:
        assert "第2至3行合起来作为表头" in stderr
    assert not NO_MACHINE_WORDS.search(stderr), stderr
    plans_match_rows(out)


def test_dry_run_shows_the_first_three_plans_and_writes_nothing(tmp_path: Path) -> None:
    roster = titled_xlsx(tmp_path / "名册.xlsx")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", str(roster), "--base", BASE, "-o", str(out), "--dry-run")
    assert code == 0, stderr
    assert not out.exists()
    assert "表头：第3行" in stdout
    assert "“书记”列 → 组长" in stdout and "“主任”列 → 副组长" in stdout and "“委员”列 → 成员" in stdout
    assert "未使用的列：“序号”" in stdout
    assert "第4行：城关镇东街社区（社区）\n  组长：周文清（社区党委书记）\n  副组长：吴海燕（社区主任）\n  成员：李一鸣、郑小红" in stdout
    assert "第5行：城关镇桃园村（村）\n  组长：谢振宇（村党组织书记）\n  副组长：韩春花（村委会主任）\n  成员：唐磊、曹芳" in stdout
    assert "第6行：城关镇南街社区（社区）" in stdout and "第7行" not in stdout
    assert not NO_MACHINE_WORDS.search(stdout + stderr), stdout + stderr


def test_a_roster_without_people_stops_before_writing_anything(tmp_path: Path) -> None:
    roster = gbk_csv(tmp_path / "名册.csv", headers=["序号", "单位名称", "书记", "主任", "委员", "联系人", "联系电话"])
    bare = tmp_path / "只有电话.csv"
    with roster.open(encoding="gbk") as src, bare.open("w", encoding="gbk", newline="") as dst:
        writer = csv.writer(dst)
        for row in csv.reader(src):
            writer.writerow([row[0], row[1], row[6]])
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", str(bare), "--base", BASE, "-o", str(out))
    assert code == 2 and not out.exists()
    line = stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "组长 叶兰（社区党委书记）" in line and "联系人 孙明怡" in line
    assert "“书记”" in line and "“主任”" in line and "“委员”" in line and "--same-people" in line and "勾选" in line
    assert not NO_MACHINE_WORDS.search(line), line
    code, stdout, stderr = run_cli("batch", str(bare), "--base", BASE, "-o", str(out), "--same-people")
    assert code == 0, stderr
    assert "已确认：每份方案都写同样的组长 叶兰（社区党委书记）" in stderr
    assert "联系人联系人" not in stderr
    text = plan_text(out / "桃园村-爱国卫生月活动方案.docx")
    assert "联系电话：13812340005" in text  # the row's own phone, the confirmed people


def test_blank_cells_fail_their_row_or_leave_the_person_out(tmp_path: Path) -> None:
    units = [
        UNITS[0],
        Unit("桃园村", "", "韩春花", "唐磊", "彭大海", "13812340005"),  # no 书记: the plan needs a 组长
        Unit("柳河村", "袁志刚", "", "", "曾庆丰", "13812340006"),  # no 主任, no 委员: left out
        Unit("幸福家园", "陈国栋", "朱红霞", "林涛", "高明月", "0523-88110003"),  # 社区 or 村? it cannot be told
    ]
    roster = titled_xlsx(tmp_path / "名册.xlsx", units)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", str(roster), "--base", BASE, "-o", str(out), "-j", "1")
    assert code == 1
    assert sorted(p.name for p in out.glob("*.docx")) == ["东街社区-爱国卫生月活动方案.docx", "柳河村-爱国卫生月活动方案.docx"]
    with (out / "errors.csv").open(encoding="utf-8-sig") as fh:
        errors = list(csv.reader(fh))
    assert errors[0] == ["行号", "列", "字段", "问题"]
    assert errors[1][:3] == ["5", "书记", "领导小组 › 组长"] and "书记" in errors[1][3] and "组长" in errors[1][3]
    assert errors[2][:2] == ["7", "单位名称"] and "类别" in errors[2][3] and "幸福家园" in errors[2][3]
    for row in errors[1:]:
        assert not NO_MACHINE_WORDS.search(" ".join(row)), row
    text = plan_text(out / "柳河村-爱国卫生月活动方案.docx")
    assert "组长：袁志刚（村党组织书记）" in text
    assert "副组长" not in text and "成员：" not in text  # left out, never the base's 贺丽 or 丁燕
    for name in BASE_PEOPLE:
        assert name not in text


def test_kind_column_overrides_the_name_and_the_base(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,类别,党总支书记,村委会主任,两委成员,联络员,手机\n"
                      "幸福家园,村,石永康,白玉梅,马骏、鲁晴,万春生,13900001111\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", str(roster), "--base", BASE, "-o", str(out), "--same-people")
    assert code == 0, stderr
    text = plan_text(out / "幸福家园-爱国卫生月活动方案.docx")
    assert "组长：石永康（村党总支书记）" in text  # the post its header gives, at the row's level
    assert "副组长：白玉梅（村委会主任）" in text
    assert "成员：马骏、鲁晴" in text and "联系人：万春生，联系电话：13900001111。" in text
    assert "办公室设在村民委员会" in text and "结合我村实际" in text


def test_readme_batch_examples_run_as_written(tmp_path: Path) -> None:
    """Every ``plangen batch``/``plangen new --roster`` line of README's batch section, run in order in a
    folder holding the samples, as a reader pastes them."""
    import shlex
    import shutil

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A plan for every community: batch", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    lines = [line.split("  #", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert any("--roster" in line for line in lines) and any(line.startswith("plangen batch") for line in lines)
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for line in lines:
            code, stdout, stderr = run_cli(*shlex.split(line)[1:])
            assert code == 0, (line, stderr)
    finally:
        os.chdir(here)
    assert len(list((tmp_path / "out").glob("*.docx"))) == 20
    assert "组长：叶兰（社区党委书记）" in plan_text(tmp_path / "out-example" / "东街社区-爱国卫生月活动方案.docx")


def test_the_vocabulary_is_in_the_sdk_for_plugin_plan_types() -> None:
    from plangen import DEFAULT_POSTS, ROSTER_HEADERS, header_role, kind_of_name, post_for

    assert header_role("书记") == ("leader", None) and header_role("社区党委书记") == ("leader", "社区")
    assert header_role("村委会主任") == ("deputy", "村") and header_role("两委成员") == ("member", None)
    assert header_role("联络员") == ("contact", None) and header_role("手机") == ("phone", None)
    assert header_role("籍贯") is None and ROSTER_HEADERS["网格员"] == "member"
    assert [kind_of_name(n) for n in ("东街社区", "东街居委会", "凌笪村村民委员会", "城关镇", "东街街道", "幸福家园")] == [
        "社区", "社区", "村", "镇", "街道", None]
    assert post_for("leader", "村", header="社区党委书记", base="社区党委书记") == "村党组织书记"  # never the 社区 post
    assert post_for("leader", "社区", header="社区党委书记") == "社区党委书记"
    assert post_for("leader", "村", header="党总支书记") == "村党总支书记"
    assert post_for("deputy", "社区", header="主任", base="社区主任") == "社区主任"  # the base's, of this level
    assert post_for("member", "村", header="委员") is None
    assert DEFAULT_POSTS["镇"] == {"leader": "镇党委书记", "deputy": "镇长"}


def test_two_columns_for_one_person_are_named_in_a_clerks_words(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,书记,社区党委书记\n东街社区,周文清,周文清\n", encoding="utf-8-sig")
    code, _, stderr = run_cli("batch", str(roster), "--base", BASE, "-o", str(tmp_path / "out"))
    assert code == 2 and "“书记”列和“社区党委书记”列都写领导小组 › 组长" in stderr, stderr
    assert not NO_MACHINE_WORDS.search(stderr) and "~" not in stderr


def test_dry_run_says_which_shared_text_speaks_of_the_bases_level(tmp_path: Path) -> None:
    roster = titled_xlsx(tmp_path / "名册.xlsx")
    code, stdout, stderr = run_cli("batch", str(roster), "--base", BASE, "-o", str(tmp_path / "out"), "--dry-run")
    assert code == 0, stderr
    assert "基础输入中以下内容写的是社区的说法，村的方案中也会照样写出" in stderr and "协作单位 2“社区卫生服务站”" in stderr
    assert "设在“社区居委会”" not in stderr  # the office follows the row's level by itself


def test_a_plugins_plan_type_reads_office_headers_without_roster_columns(tmp_path: Path) -> None:
    """The drop-in 试点工作方案 declares no roster_columns: 单位名称/书记/主任 still fill its 领导小组, with posts by level."""
    base = tmp_path / "base.yaml"
    base.write_text((ROOT / "tests" / "plugin_fixtures" / "pilot_templates" / "pilot.example.yaml").read_text(encoding="utf-8")
                    + "leadership: {leader: 叶兰（社区党委书记）, deputies: [贺丽（社区主任）]}\n", encoding="utf-8")
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,书记,主任\n桃园村,谢振宇,韩春花\n东湖社区,周文清,吴海燕\n", encoding="utf-8-sig")
    code, stdout, stderr = run_cli("--plugins-dir", str(ROOT / "tests" / "plugin_fixtures"), "batch", str(roster),
                                   "--base", str(base), "-o", str(tmp_path / "out"), "--dry-run")
    assert code == 0, stderr
    assert "第2行：城关镇桃园村（村）\n  组长：谢振宇（村党组织书记）\n  副组长：韩春花（村委会主任）" in stdout
    assert "第3行：城关镇东湖社区（社区）\n  组长：周文清（社区党委书记）\n  副组长：吴海燕（社区主任）" in stdout
