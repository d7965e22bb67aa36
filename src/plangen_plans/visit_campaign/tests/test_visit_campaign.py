"""The visit-campaign plan (“察民情、访民意、解民忧、促和谐”大走访活动实施方案) end to end: the sample read
back from .docx, the pairing table, deadlines and counts written the 公文 way, other units, and errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import readback as B
import yaml

from plangen import api
from plangen.testing import docx as R
from plangen.testing import requires_libreoffice, slow
from plangen_plans.shared import by_day, reported

SAMPLE = Path(__file__).resolve().parents[4] / "samples" / "visit-campaign.yaml"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    return B.generate_sample("visit-campaign", tmp_path_factory.mktemp("visit"))


def sample() -> dict:
    return B.sample("visit-campaign")


headings = B.headings


def test_title_and_opening(sample_docx: Path) -> None:
    assert sample_docx.name == "建平镇-大走访活动实施方案.docx"
    paras = R.paragraphs(sample_docx)
    assert paras[0].text.split("\n") == ["建平镇“察民情、访民意、解民忧、促和谐”", "大走访活动实施方案"]
    opening = paras[2].text
    assert opening.startswith("为深入学习贯彻党的二十届三中全会精神，深入践行党的群众路线")
    assert "《郎溪县关于开展“察民情、访民意、解民忧、促和谐”活动的实施方案》（郎办〔2024〕65号）" in opening
    assert opening.endswith("结合我镇实际，镇党委、镇政府决定在全镇开展“察民情、访民意、解民忧、促和谐”大走访活动（以下简称大走访活动），特制定本实施方案。")


def test_sections_and_heading_numbers(sample_docx: Path) -> None:
    assert headings(sample_docx, 1) == ["一、指导思想", "二、活动内容", "三、活动方式", "四、结对安排", "五、活动要求"]
    assert headings(sample_docx, 2) == [
        "（一）宣传政策法规", "（二）了解社情民意", "（三）解决实际问题",
        "（一）入户走访", "（二）干部座谈", "（三）难点治理", "（四）办好实事", "（五）民情记录",
        "（一）加强组织领导", "（二）加强指导督查", "（三）加强宣传引导", "（四）及时报送情况",
    ]


def test_pairing_table_follows_the_standard(sample_docx: Path) -> None:
    (table,) = B.tables(sample_docx)
    assert table.header == ["单位", "结对村（社区）", "联系领导"]
    assert len(table.body) == 5
    assert table.body[0] == ["镇党政办公室", "东街社区", "汪立群（镇党委副书记）"]
    assert table.body[-1] == ["镇村镇建设办", "建平村", "程国栋（副镇长）"]
    B.assert_standard_table(table)
    B.assert_table_styles(sample_docx)
    # the table stands right after the sentence that announces it, under 结对安排
    body = R.part(sample_docx, "word/document.xml")
    announce = body.index("结对安排如下：")
    assert announce < body.index("<w:tbl>") < body.index("活动要求")


def test_contents_worked_out_from_the_input(sample_docx: Path) -> None:
    text = R.text(sample_docx)
    assert "向基层群众宣传党的二十届三中全会精神，宣传县委关于“工业强县、生态立县”的决策部署，宣传" in text
    assert "做到“八知”，即：知村社情况、知生产就业状况、知社会保障水平、知困难群体、知群众诉求、知矛盾隐患、知村社管理、知党建工作。" in text
    assert "重点走访特困户、信访户、征迁户、留守老人、老党员、老干部和老模范，每名党员干部走访不少于20户" in text
    assert "围绕出行难、就业难、看病难、入学难、基层活动场所不健全等群众和党员关注的难点问题" in text
    assert "力争每个单位每年为结对村（社区）办好1至2件看得见、摸得着的实事。" in text
    assert "由镇党委组织办统一印制民情日记，发放到镇直各单位。" in text
    assert "梳理汇总后转报镇创先办" in text
    assert "为实现我镇“加快发展、富民强镇”的奋斗目标营造良好环境" in text
    assert "活动时间为2024年9月1日至12月31日。" in text


def test_report_deadlines_written_the_official_way(sample_docx: Path) -> None:
    text = R.text(sample_docx)
    assert "镇直各单位要将活动开展情况形成书面材料，分别于11月底前和12月底前各报送一次至镇创先办。" in text


def test_roster_and_signature(sample_docx: Path) -> None:
    texts = [p.text for p in R.paragraphs(sample_docx)]
    i = texts.index("组长：孔德明（镇党委书记）")
    assert "成立建平镇大走访活动领导小组" in texts[i - 1]
    assert texts[i + 1] == "副组长：吕建华（镇长）、汪立群（镇党委副书记）"
    assert texts[i + 2] == "成员：方海涛、许文斌、卞晓燕、程国栋"
    assert texts[-2:] == ["中共建平镇委员会", "2024年8月26日"]  # a party-led campaign, signed by the party committee
    assert "联系人：吴思远，联系电话：0563-7021856。" in texts


def test_clean_text_and_length(sample_docx: Path) -> None:
    B.assert_clean(sample_docx, "1_2")
    assert 2 * 22 < B.grid_lines(sample_docx) < 6 * 22


@slow
@requires_libreoffice
def test_libreoffice_lays_it_out_on_two_to_six_pages(sample_docx: Path, tmp_path: Path) -> None:
    assert 2 <= B.pdf_pages(sample_docx, tmp_path) <= 6


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([date(2024, 12, 31)], "于12月底前报送"),
        ([date(2024, 12, 20)], "于12月20日前报送"),
        ([date(2024, 11, 30), date(2024, 12, 31)], "分别于11月底前和12月底前各报送一次"),
        ([date(2024, 9, 30), date(2024, 10, 15), date(2025, 1, 31)], "分别于9月底前、10月15日前和2025年1月底前各报送一次"),
        ([date(2024, 2, 29)], "于2月底前报送"),
    ],
)
def test_deadline_wording(days: list[date], expected: str) -> None:
    assert reported(days, 2024) == expected
    assert by_day(date(2023, 2, 28), 2023) == "2月底前"


def test_community_with_one_deadline_no_pairings_no_roster(tmp_path: Path) -> None:
    data = {
        "type": "大走访",
        "unit": {"name": "东街社区", "parent": "建平镇"},
        "dates": {"start": "2024-10-01", "end": "2024-12-31"},
        "knows": ["居民基本情况", "困难群体", "群众诉求", "矛盾隐患", "楼院管理", "党建工作"],
        "methods": {"projects": 3},
        "paired": "结对网格",
        "reports": ["2024-12-20"],
    }
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert R.paragraphs(path)[0].text.split("\n") == ["建平镇东街社区", "“察民情、访民意、解民忧、促和谐”", "大走访活动实施方案"]
    assert "结对安排" not in text and not B.tables(path)
    assert "做到“六知”，即：知居民基本情况、知困难群体" in text
    assert "力争每个党支部每年为结对网格办好3件看得见、摸得着的实事" in text
    assert "邀请社区“两委”成员、居民小组长、楼栋长、党员代表、居民代表等参加" in text
    assert "成立建平镇东街社区大走访活动领导小组，负责活动的统筹协调和组织实施。" in text
    assert "社区各党支部要将活动开展情况形成书面材料，于12月20日前报送至社区居委会。" in text
    assert "领导小组办公室" not in text  # no office is set up, so nothing is routed to one
    assert "结合我社区实际" in text and "为建设和谐宜居社区营造良好环境" in text
    assert "经济社会高质量发展" not in text  # a community does not promise the economy
    assert headings(path, 1) == ["一、指导思想", "二、活动内容", "三、活动方式", "四、活动要求"]


def test_county_with_three_deadlines_and_chinese_keys(tmp_path: Path) -> None:
    data = {
        "类型": "大走访活动",
        "单位": {"名称": "郎溪县"},
        "口号": "“访民情、解民忧、聚民心”",
        "日期": {"开始": "2024-09-01", "结束": "2025-01-31"},
        "活动方式": {"实事": "2-3", "走访对象": ["低保户", "独居老人"]},
        "报送时间": ["2024-10-15", "2024-11-30", "2025-01-20"],
        "结对": [{"单位": "县委办公室", "结对村（社区）": "凌笪村", "联系领导": "王刚（县委常委）"}],
        "领导小组": {"组长": "赵卫东（县委书记）", "副组长": "钱向阳（县长）"},
    }
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert "郎溪县“访民情、解民忧、聚民心”" in R.paragraphs(path)[0].text
    assert "组织县直各单位党员干部深入结对村（社区）开展入户大走访" in text
    assert "办好2至3件" in text and "重点走访低保户和独居老人，通过" in text
    assert "分别于10月15日前、11月底前和2025年1月20日前各报送一次至县委办公室。" in text
    assert "副组长：钱向阳（县长）\n" in text
    (table,) = B.tables(path)
    assert table.rows == [["单位", "结对村（社区）", "联系领导"], ["县委办公室", "凌笪村", "王刚（县委常委）"]]
    B.assert_standard_table(table)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d.__setitem__("reports", ["2024-12-31", "2024-11-30"]), "reports", "not after deadline 1"),
        (lambda d: d.__setitem__("reports", ["2024-08-01"]), "reports", "before the campaign starts"),
        (lambda d: d["methods"].update(projects="3至1"), "methods.projects", "runs backwards"),
        (lambda d: d["methods"].update(projects="几件"), "methods.projects", "not a count"),
        (lambda d: d["methods"].update(projects=0), "methods.projects", "out of range"),
        (lambda d: d["pairings"].append(dict(d["pairings"][0])), "pairings", "镇党政办公室 is paired with 东街社区 twice"),
        (lambda d: d["pairings"][0].pop("leader"), "pairings[1].leader", "is required"),
        (lambda d: d.__setitem__("knows", ["知困难群体", "困难群体"]), "knows", "listed twice"),
        (lambda d: d["methods"].update(per_cadre=0), "methods.per_cadre", "at least 1"),
        (lambda d: d.__setitem__("metods", {}), "metods", "did you mean 'methods'"),
    ],
)
def test_input_errors_name_the_field(change, field: str, words: str) -> None:
    data = sample()
    change(data)
    B.assert_located_error(data, field, words)


def test_the_commented_example_is_the_sample() -> None:
    """``plangen new`` prints the example; the sample is that example, so both are known to generate."""
    from plangen_plans.visit_campaign import PLAN_TYPE

    assert yaml.safe_load(PLAN_TYPE.example) == sample()
    assert PLAN_TYPE.example.count("#") > 20  # it explains its keys


def test_community_roster_maps_onto_the_plan(tmp_path: Path) -> None:
    made = B.roster_batch(SAMPLE, tmp_path)
    assert [p.name for p in made] == ["东街社区-大走访活动实施方案.docx", "南街社区-大走访活动实施方案.docx"]
    text = R.text(made[0])
    assert "成立城关镇东街社区大走访活动领导小组" in text
    # the headers name the row's posts, not the town base's (镇党委书记, 镇长)
    assert "组长：叶兰（社区党委书记）\n副组长：贺丽（社区主任）\n成员：丁燕、冯军、陆丽杰" in text
    assert "结合我社区实际" in text


def test_command_line_error_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = sample()
    data["reports"] = ["2024-12-31", "2024-12-31"]
    B.assert_cli_refuses(data, tmp_path, "reports", "deadline 2")
