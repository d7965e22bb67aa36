"""The hygiene-month plan end to end: generated from the sample and read back rule by rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from plangen import InputError, api
from plangen.testing import docx as R


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    from plangen import plugins

    plugins.reset()
    out = tmp_path_factory.mktemp("hygiene")
    return api.generate(Path(__file__).resolve().parents[4] / "samples" / "hygiene-month.yaml", out)


def load_sample(samples: Path) -> dict:
    return yaml.safe_load((samples / "hygiene-month.yaml").read_text(encoding="utf-8"))


def test_file_name_comes_from_unit_and_plan_title(sample_docx: Path) -> None:
    assert sample_docx.name == "东街社区-爱国卫生月活动方案.docx"


def test_title_and_edition_worked_out_from_year(sample_docx: Path) -> None:
    paras = R.paragraphs(sample_docx)
    title = paras[0]
    assert title.style == "Title"
    # 2024 is the 36th 爱国卫生月 (the 1st was April 1989); the title wraps at a template break.
    assert title.text.replace("\n", "") == "城关镇东街社区2024年第36个爱国卫生月活动方案"
    assert title.text.split("\n") == ["城关镇东街社区", "2024年第36个爱国卫生月活动方案"]
    assert "2024年4月是第36个全国爱国卫生月" in paras[2].text


def test_sections_in_order_with_numbers(sample_docx: Path) -> None:
    paras = R.paragraphs(sample_docx)
    level1 = [p.text for p in paras if p.style == "Heading1"]
    # the 领导小组 is the first point of 工作要求, not a section 组织领导 before 工作要求（一）加强组织领导
    assert level1 == ["一、活动主题", "二、工作目标", "三、活动内容", "四、时间安排", "五、工作要求", "六、总结报送"]
    level2 = [p.text for p in paras if p.style == "Heading2"]
    # one level-2 section per task, restarting under each level-1 heading
    assert level2[:4] == ["（一）广泛开展爱国卫生宣传", "（二）深入开展环境卫生整洁行动", "（三）积极开展全民健身和健康教育", "（四）集中开展病媒生物防制"]
    assert level2[4].startswith("（一）宣传发动阶段（4月1日至4月")
    assert level2[-3:] == ["（一）加强组织领导", "（二）密切协作配合", "（三）强化督导检查"]
    # the environment task's three points are one paragraph (一是…二是…三是…), so the user's extra text
    # and the 责任单位 after it do not read as part of a last numbered point
    assert not [p for p in paras if p.style == "Heading3"]
    point = next(p.text for p in paras if "一是清理卫生死角。" in p.text)
    assert "二是整治重点场所。" in point and "三是完善卫生设施。" in point


def test_facts_from_the_input_appear(sample_docx: Path) -> None:
    text = R.text(sample_docx)
    assert "主题是“美丽中国 健康相伴”" in text
    assert "《关于深入开展爱国卫生运动的实施意见》（城发〔2024〕8号）" in text
    assert "组长：叶兰（社区党委书记）" in text
    assert "副组长：贺丽（社区主任）" in text
    assert "成员：丁燕、冯军、陆丽杰" in text
    assert "由孙明怡同志兼任办公室主任" in text
    assert "并将书面总结报送社区居委会。社区居委会汇总后，于2024年5月6日前报送城关镇爱卫办" in text
    assert "责任单位：社区卫生服务站、各网格。" in text
    assert "4月13日组织辖区党员志愿者开展“清洁家园”集中行动日活动。" in text
    assert "联系人：孙明怡，联系电话：0523-88229815。" in text


def test_signature_and_date(sample_docx: Path) -> None:
    paras = R.paragraphs(sample_docx)
    assert paras[-2].style == "Signature" and paras[-2].text == "东街社区居民委员会"  # an organ signs, not a place
    assert paras[-1].style == "Date" and paras[-1].text == "2024年3月25日"
    assert paras[-3].text == ""  # one blank line above the signature


def test_no_placeholders_or_ascii_punctuation(sample_docx: Path) -> None:
    text = R.text(sample_docx)
    for bad in ("20xx", "xx", "__", "□", "{{", "}}", "None", "〔〕"):
        assert bad not in text
    assert not re.search(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]", text)
    assert not re.search(r"年0\d月|月0\d日", text)


def test_length_is_two_to_six_pages(sample_docx: Path) -> None:
    # 22 lines × 28 characters a page; count wrapped lines the way the grid lays them out.
    lines = 0
    for p in R.paragraphs(sample_docx):
        width = sum(0.5 if ord(c) < 128 else 1 for c in p.text.replace("\n", ""))
        first = 28 if p.style in ("Title", "Signature", "Date") else 26
        lines += 1 if width <= first else 1 + -(-(width - first) // 28)
    assert 2 * 22 < lines < 6 * 22, lines


def test_default_phases_and_dates_without_dates_block(samples: Path, tmp_path: Path) -> None:
    data = load_sample(samples)
    data["dates"] = {"issued": "2022-03-28"}
    data["year"] = 2022
    data["report"] = {"to": "城关镇爱卫办"}  # the sample's deadline is 2024's
    data["basis"] = []
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert "2022年4月是第34个全国爱国卫生月" in text
    assert "活动时间为2022年4月1日至4月30日" in text
    assert "宣传发动阶段（4月1日至4月6日）" in text and "总结验收阶段（4月25日至4月30日）" in text


def test_county_level_wording(samples: Path, tmp_path: Path) -> None:
    data = load_sample(samples)
    data["unit"] = {"name": "松阳县"}
    data["tasks"] = ["宣传", "病媒生物防制", "控烟"]
    data.pop("report")
    data.pop("cooperating")
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert "各乡镇（街道）、县爱卫会各成员单位要紧扣活动主题" in text
    assert "责任单位：县卫生健康局、县市场监督管理局。" in text  # default departments for a county
    assert "县爱卫办汇总后" in text and "报送市爱卫办" in text and "松阳县爱卫办汇总后" not in text
    assert "结合我县实际" in text
    headings = [p.text for p in R.paragraphs(path) if p.style == "Heading2"][:3]
    assert headings == ["（一）广泛开展爱国卫生宣传", "（二）集中开展病媒生物防制", "（三）持续推进控烟宣传"]


def test_edition_that_contradicts_year_is_an_input_error(samples: Path) -> None:
    data = load_sample(samples)
    data["edition"] = 30
    with pytest.raises(InputError) as err:
        api.plan_from_mapping(data, source="plan.yaml")
    assert "edition 30 contradicts year 2024" in str(err.value)
    assert "plan.yaml" in err.value.lines()[0]


def test_chinese_keys_are_accepted(samples: Path, tmp_path: Path) -> None:
    data = {
        "类型": "爱国卫生月",
        "单位": {"名称": "河西社区", "上级单位": "城关镇"},
        "年度": 2025,
        "主题": "“健康城镇 共建共享”",
        "日期": {"成文日期": "2025年3月20日"},
        "领导小组": {"组长": "陆佳玉（社区党委书记）", "副组长": ["吕勇静（社区主任）", "谢勇（社区副主任）"], "成员": "顾建、夏娟"},
    }
    path = api.generate(data, tmp_path)
    text = R.text(path)
    assert "2025年4月是第37个全国爱国卫生月" in text
    assert "主题是“健康城镇 共建共享”" in text  # quotes typed by the user are not doubled
    assert "副组长：吕勇静（社区主任）、谢勇（社区副主任）" in text
    assert "成员：顾建、夏娟" in text
    assert R.paragraphs(path)[-1].text == "2025年3月20日"


def test_a_user_override_replaces_one_section_and_keeps_the_rest(samples: Path, tmp_path: Path, monkeypatch) -> None:
    overrides = tmp_path / "my-templates"
    overrides.mkdir()
    (overrides / "hygiene-month.md.j2").write_text(
        '{% extends "default:hygiene-month.md.j2" %}\n'
        "{% block goal %}\n## 工作目标\n\n本社区病媒生物密度控制在C级以上，{{ unit.name }}无卫生死角。\n\n{% endblock %}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PLANGEN_TEMPLATES_DIR", str(overrides))
    from plangen import plugins

    plugins.reset()
    path = api.generate(samples / "hygiene-month.yaml", tmp_path / "out")
    paras = R.paragraphs(path)
    level1 = [p.text for p in paras if p.style == "Heading1"]
    assert level1[:3] == ["一、活动主题", "二、工作目标", "三、活动内容"]
    goal = paras[[p.text for p in paras].index("二、工作目标") + 1].text
    assert goal == "本社区病媒生物密度控制在C级以上，东街社区无卫生死角。"
    assert R.paragraphs(path)[-1].text == "2024年3月25日"


@pytest.mark.parametrize(
    ("dates", "wanted", "unwanted"),
    [
        ({}, "为迎接5月31日世界无烟日，宣传吸烟", "以世界无烟日为契机"),  # April: the day comes after the campaign
        ({"start": "2024-05-06", "end": "2024-06-05"}, "以世界无烟日为契机，宣传吸烟", "为迎接"),
        ({"start": "2024-09-01", "end": "2024-09-30"}, "持续推进控烟宣传\n宣传吸烟", "世界无烟日"),
    ],
)
def test_dated_observance_is_worded_for_the_period(tmp_path: Path, dates: dict, wanted: str, unwanted: str) -> None:
    """世界无烟日 is 31 May: 以…为契机 only when the plan's period holds it, 为迎接… when it is soon after,
    not at all when it is months away."""
    from plangen import api

    data = {"type": "hygiene-month", "unit": {"name": "东街社区"}, "year": 2024, "theme": "健康相伴",
            "tasks": ["tobacco"], "dates": dates}
    text = R.text(api.generate(data, tmp_path))
    assert wanted in text and unwanted not in text
