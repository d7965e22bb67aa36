"""The civilised-county plan (创建文明县城实施方案) end to end: the sample read back from .docx, inputs
written differently (a county, a town; one deputy and several; one phase and five), and its errors."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import readback as B
import yaml

from plangen import api
from plangen.testing import docx as R
from plangen.testing import requires_libreoffice, slow

SAMPLE = Path(__file__).resolve().parents[4] / "samples" / "civilised-county.yaml"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    return B.generate_sample("civilised-county", tmp_path_factory.mktemp("civilised"))


def sample() -> dict:
    return B.sample("civilised-county")


headings = B.headings


def test_file_name_and_title(sample_docx: Path) -> None:
    assert sample_docx.name == "东街社区-创建文明县城实施方案.docx"
    title = R.paragraphs(sample_docx)[0]
    assert title.style == "Title"
    assert title.text.split("\n") == ["建平镇东街社区", "创建第三届省级文明县城实施方案"]


def test_opening_names_the_county_and_the_superior_plans(sample_docx: Path) -> None:
    opening = R.paragraphs(sample_docx)[2].text
    assert opening.startswith("为全面落实郎溪县委、县政府关于创建第三届省级文明县城的决策部署")
    assert "《郎溪县创建第三届省级文明县城实施方案》和《建平镇创建省级文明县城实施方案》（建发〔2024〕35号）" in opening
    assert opening.endswith("结合我社区实际，制定本方案。")


def test_sections_and_heading_numbers(sample_docx: Path) -> None:
    assert headings(sample_docx, 1) == ["一、指导思想", "二、总体目标", "三、创建措施", "四、方法步骤", "五、工作要求"]
    level2 = headings(sample_docx, 2)
    # the seven catalogue measures in order, then the custom one
    assert level2[:8] == [
        "（一）强化舆论宣传，营造浓厚创建氛围",
        "（二）深化道德教育，提升群众文明素养",
        "（三）推进科教普及，培育崇学向上风尚",
        "（四）繁荣群众文化，丰富精神文化生活",
        "（五）做好卫生保健，倡导健康生活方式",
        "（六）加强法治宣传，建设平安和谐家园",
        "（七）整治人居环境，建设美丽宜居家园",
        "（八）打造“红色楼院”特色品牌",
    ]
    # four phases named by default, dated by 旬 because the sample asks for it; numbering restarts
    assert level2[8:12] == [
        "（一）全面动员阶段（4月中旬至5月上旬）",
        "（二）扎实落实阶段（5月中旬至7月上旬）",
        "（三）全面提升阶段（7月中旬至8月中旬）",
        "（四）迎接检查阶段（8月下旬至年底）",
    ]
    assert level2[12:] == ["（一）加强宣传发动", "（二）落实目标责任", "（三）强化工作措施"]
    assert not headings(sample_docx, 3)


def test_roster_with_leader_and_deputy(sample_docx: Path) -> None:
    texts = [p.text for p in R.paragraphs(sample_docx)]
    i = texts.index("组长：周明远（社区党委书记）")
    assert texts[i - 1].startswith("成立建平镇东街社区创建省级文明县城工作领导小组")
    assert texts[i + 1] == "副组长：杨秀琴（社区主任）"
    assert texts[i + 2] == "成员：马德胜、陈红梅、黄晓春、李芸、向子涵"
    assert "办公室设在社区居委会，由陈红梅同志兼任办公室主任" in texts[i + 3]
    # the roster sits under 落实目标责任
    assert texts.index("（二）落实目标责任") < i < texts.index("（三）强化工作措施")


def test_worked_out_facts(sample_docx: Path) -> None:
    text = R.text(sample_docx)
    assert "助力郎溪县2024年全面达到省级文明县城测评标准、成功创建第三届省级文明县城" in text
    assert "创建工作时间为2024年4月中旬至年底，分四个阶段进行。" in text
    # the catalogue measures become the carriers named in the guiding idea
    assert "以舆论宣传、道德教育、科教普及、文化建设、卫生保健、法治宣传与平安建设、人居环境等工作为载体" in text
    assert "以辖区12个楼院为单元" in text  # the custom measure's own text
    assert "推动公民道德规范进楼院、进家庭" in text  # community wording


def test_signature_and_clean_text(sample_docx: Path) -> None:
    paras = R.paragraphs(sample_docx)
    assert (paras[-2].style, paras[-2].text) == ("Signature", "东街社区居民委员会")
    assert (paras[-1].style, paras[-1].text) == ("Date", "2024年4月8日")
    B.assert_clean(sample_docx, "[2024]")


def test_length_is_two_to_six_pages(sample_docx: Path) -> None:
    assert 2 * 22 < B.grid_lines(sample_docx) < 6 * 22


@slow
@requires_libreoffice
def test_libreoffice_lays_it_out_on_two_to_six_pages(sample_docx: Path, tmp_path: Path) -> None:
    assert 2 <= B.pdf_pages(sample_docx, tmp_path) <= 6


def test_county_writes_for_itself_with_several_deputies_and_five_phases(tmp_path: Path) -> None:
    data = sample()
    data["unit"] = {"name": "郎溪县"}
    data["campaign"] = {"level": "全国", "kind": "县城", "edition": 2, "target_year": 2025}
    data["basis"] = []
    data["measures"] = ["舆论宣传", "人居环境"]
    data["dates"] = {
        "start": "2024-03-01", "end": "2025-06-30", "issued": "2024-02-20",
        "phases": [
            {"name": "全面动员", "start": "2024-03-01", "end": "2024-03-31"},
            {"name": "集中攻坚", "start": "2024-04-01", "end": "2024-12-31"},
            {"name": "巩固提升", "start": "2025-01-01", "end": "2025-03-31"},
            {"name": "迎接检查", "start": "2025-04-01", "end": "2025-05-31"},
            {"name": "总结表彰", "start": "2025-06-01", "end": "2025-06-30"},
        ],
    }
    data["leadership"] = {
        "leader": "赵卫东（县委书记）",
        "deputies": ["钱向阳（县长）", "孙立平（县委副书记）", "李文华（县委常委、宣传部长）"],
        "members": "吴国强、郑晓梅",
    }
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert R.paragraphs(path)[0].text.replace("\n", "") == "郎溪县创建第二届全国县级文明城市实施方案"
    assert "为全面落实县委、县政府关于创建第二届全国县级文明城市的决策部署" in text
    assert "确保我县2025年全面达到全国县级文明城市测评标准，成功创建第二届全国县级文明城市。" in text
    assert "副组长：钱向阳（县长）、孙立平（县委副书记）、李文华（县委常委、宣传部长）" in text
    assert "各乡镇（街道）、县直各单位要把创建全国县级文明城市工作摆上重要议事日程" in text
    assert "分五个阶段进行" in text
    level2 = headings(path, 2)
    assert level2[:2] == ["（一）强化舆论宣传，营造浓厚创建氛围", "（二）整治人居环境，建设美丽宜居家园"]
    # phases in the plan's second year say which year they are in
    assert level2[2:7] == [
        "（一）全面动员阶段（3月1日至3月31日）",
        "（二）集中攻坚阶段（4月1日至12月31日）",
        "（三）巩固提升阶段（2025年1月1日至3月31日）",
        "（四）迎接检查阶段（2025年4月1日至5月31日）",
        "（五）总结表彰阶段（2025年6月1日至6月30日）",
    ]
    assert "以舆论宣传、人居环境等工作为载体" in text


def test_town_with_one_deputy_one_phase_and_a_province(tmp_path: Path) -> None:
    data = sample()
    data["unit"] = {"name": "建平镇", "county": "郎溪县"}
    data["campaign"] = {"edition": "三", "province": "安徽省"}
    data["dates"] = {
        "start": "2024-04-01", "end": "2024-11-30",
        "phases": [{"name": "集中创建", "start": "2024-04-01", "end": "2024-11-30", "work": "全镇上下对照测评体系集中开展创建。"}],
    }
    data["measures"] = [{"kind": "人居环境", "extra": "重点整治312国道沿线环境。"}]
    data["leadership"] = {"leader": "孔德明（镇党委书记）", "deputies": "吕建华（镇长）"}
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert R.paragraphs(path)[0].text == "建平镇创建第三届安徽省文明县城实施方案"
    assert "助力郎溪县2024年全面达到省级文明县城测评标准、成功创建第三届安徽省文明县城" in text
    assert "副组长：吕建华（镇长）\n" in text and "成员：" not in text
    assert "各村（社区）、镇直各单位要把创建省级文明县城工作" in text
    assert "创建工作时间为2024年4月1日至11月30日。" in text and "个阶段" not in text
    assert "（一）集中创建阶段（4月1日至11月30日）" in headings(path, 2)
    assert "全镇上下对照测评体系集中开展创建。" in text
    assert "集中整治城乡结合部、背街小巷、集镇街道和村庄环境" in text and "重点整治312国道沿线环境。" in text
    assert "结合我镇实际" in text


def test_default_phases_split_the_period_and_chinese_keys(tmp_path: Path) -> None:
    data = {
        "类型": "创建文明县城",
        "单位": {"名称": "河西社区", "上级单位": "城关镇", "所在县市": "松阳县"},
        "创建": {"届次": "第五届", "目标年度": 2025},
        "日期": {"开始": "2025-03-01", "结束": "2025-10-31", "成文日期": "2025年2月26日"},
        "领导小组": {"组长": "陆佳玉（社区党委书记）", "副组长": ["吕勇静（社区主任）", "谢勇（社区副主任）"]},
        "措施": [{"标题": "开展“文明楼栋”评比", "内容": "每季度评选一次文明楼栋，结果在宣传栏公示。"}],
    }
    path = api.generate(data, tmp_path)
    phases = headings(path, 2)[1:5]
    assert [re.sub(r"阶段（.*", "阶段", p) for p in phases] == ["（一）全面动员阶段", "（二）扎实落实阶段", "（三）全面提升阶段", "（四）迎接检查阶段"]
    assert phases[0].startswith("（一）全面动员阶段（3月1日至") and phases[-1].endswith("至10月31日）")
    text = R.text(path)
    assert "助力松阳县2025年全面达到省级文明县城测评标准、成功创建第五届省级文明县城" in text
    assert "副组长：吕勇静（社区主任）、谢勇（社区副主任）" in text
    assert headings(path, 2)[0] == "（一）开展“文明楼栋”评比"
    assert "等工作为载体" not in text  # no catalogue measure, so no list of carriers


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["dates"]["phases"].reverse(), "dates", "phases must be in order"),
        (lambda d: d["leadership"].pop("deputies"), "leadership", "副组长"),
        (lambda d: d.pop("leadership"), "leadership", "is required"),
        (lambda d: (d["campaign"].pop("county"), d["unit"].pop("county")), "campaign", "which county"),
        (lambda d: d["measures"].append("舆论宣传"), "measures", "舆论宣传 is listed twice"),
        (lambda d: d["measures"].append("绿化美化"), "measures[9]", "unknown measure '绿化美化'"),
        (lambda d: d["measures"].append({"title": "特色活动"}), "measures[9]", "needs its text"),
        (lambda d: d["campaign"].update(edition="第三次"), "campaign.edition", "not an edition"),
        (lambda d: d["campaign"].update(level="市级"), "campaign.level", "省级"),
        (lambda d: d["campaign"].update(target_year=2023), "campaign", "before the plan starts"),
    ],
)
def test_input_errors_name_the_field(change, field: str, words: str) -> None:
    data = sample()
    change(data)
    B.assert_located_error(data, field, words)


def test_command_line_error_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = sample()
    data["dates"]["phases"][1], data["dates"]["phases"][2] = data["dates"]["phases"][2], data["dates"]["phases"][1]
    B.assert_cli_refuses(data, tmp_path, "dates", "phase 3 (全面提升)", "扎实落实")


def test_the_commented_example_is_the_sample() -> None:
    """``plangen new`` prints the example; the sample is that example, so both are known to generate."""
    from plangen_plans.civilised_county import PLAN_TYPE

    assert yaml.safe_load(PLAN_TYPE.example) == sample()
    assert PLAN_TYPE.example.count("#") > 20  # it explains its keys


def test_community_roster_maps_onto_the_plan(tmp_path: Path) -> None:
    made = B.roster_batch(SAMPLE, tmp_path)
    assert [p.name for p in made] == ["东街社区-创建文明县城实施方案.docx", "南街社区-创建文明县城实施方案.docx"]
    text = R.text(made[1])
    assert R.paragraphs(made[1])[0].text.split("\n")[0] == "城关镇南街社区"
    assert "组长：邓怡（社区党委书记）\n副组长：薛明勇（社区主任）\n成员：邱超、钟宇、郭欣思" in text  # posts kept
    assert "联系人：宋子，联系电话：0523-88698951。" in text


def test_edition_written_three_ways_gives_the_same_plan() -> None:
    plans = []
    for edition in (3, "第三届", "第3届"):
        data = copy.deepcopy(sample())
        data["campaign"]["edition"] = edition
        plans.append(api.plan_from_mapping(data).data.campaign.full_name)
    assert plans == ["第三届省级文明县城"] * 3
