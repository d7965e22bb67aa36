"""Input rules shared by every plan type: keys, cross-field checks, normalisation, inert user text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from plangen import api, text
from plangen.errors import InputError
from plangen.inputs.common import Dates, Leadership, Unit
from plangen.inputs.fields import validate
from plangen.inputs.reading import parse_text
from plangen.testing import docx as R

SAMPLE = yaml.safe_load((Path(__file__).parent.parent / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8"))


def problems(model, data) -> list[str]:
    with pytest.raises(InputError) as err:
        validate(model, data, file="in.yaml")
    return err.value.lines()


def test_unknown_nested_key_is_named_with_its_path() -> None:
    lines = problems(Leadership, {"leader": "张三", "memebers": ["李四"]})
    assert lines == ["in.yaml: memebers: unknown key 'memebers'; did you mean 'members'?"]


def test_chinese_near_miss_gets_a_suggestion() -> None:
    lines = problems(Unit, {"名字": "东街社区"})
    assert "unknown key '名字'" in lines[0] and "did you mean '名称'" in lines[0]


def test_both_spellings_of_one_key_are_accepted() -> None:
    assert validate(Unit, {"名称": "东街社区", "上级单位": "城关镇"}).full_name == "城关镇东街社区"
    assert validate(Unit, {"name": "城关镇东街社区", "parent": "城关镇"}).full_name == "城关镇东街社区"


@pytest.mark.parametrize(
    ("dates", "needle"),
    [
        ({"start": "2024-04-30", "end": "2024-04-01"}, "ends (2024-04-01) before it starts (2024-04-30)"),
        ({"start": "2024-04-01", "end": "2024-04-30", "phases": [{"name": "宣传", "start": "2024-03-20", "end": "2024-04-05"}]},
         "phase 1 (宣传, 2024-03-20 to 2024-04-05) lies outside the period"),
        ({"start": "2024-04-01", "end": "2024-04-30", "phases": [
            {"name": "甲", "start": "2024-04-10", "end": "2024-04-20"}, {"name": "乙", "start": "2024-04-05", "end": "2024-04-25"}]},
         "phase 2 (乙) starts on 2024-04-05, before phase 1 (甲) ends on 2024-04-20"),
        ({"start": "2024-04-01", "end": "2024-02-30"}, "2024-02-30 is not a real date"),
        ({"start": "四月一日", "end": "2024-04-30"}, "is not a date"),
    ],
)
def test_date_rules(dates: dict, needle: str) -> None:
    lines = problems(Dates, dates)
    assert any(needle in line for line in lines), lines


def test_dates_in_every_written_form() -> None:
    for written in ("2024-04-01", "2024/4/1", "2024.4.1", "2024年4月1日", "20240401", date(2024, 4, 1)):
        assert validate(Dates, {"start": written, "end": "2024-04-30"}).start == date(2024, 4, 1)


def test_phases_by_xun() -> None:
    dates = validate(Dates, {"start": "2024-04-11", "end": "2024-12-31", "by_xun": True})
    assert dates.span(date(2024, 4, 15), date(2024, 5, 8)) == "4月中旬至5月上旬"
    assert dates.span(date(2024, 8, 21), date(2024, 8, 31)) == "8月下旬"


def test_leadership_with_one_or_many_deputies() -> None:
    one = validate(Leadership, {"leader": "张一（书记）", "deputies": "王二"})
    assert one.roster() == [("组长", "张一（书记）"), ("副组长", "王二")]
    many = validate(Leadership, {"leader": {"name": "张一", "post": "书记"}, "deputies": ["王二（主任）", "赵三"], "members": "甲、乙，丙,丁"})
    assert many.roster() == [("组长", "张一（书记）"), ("副组长", "王二（主任）、赵三"), ("成员", "甲、乙、丙、丁")]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("社区居委会,各网格", "社区居委会，各网格"),
        ("注意:按时报送", "注意：按时报送"),
        ("办公室(党建)", "办公室（党建）"),
        ('开展"清洁家园"行动', "开展“清洁家园”行动"),
        ("工作完成.下一步", "工作完成。下一步"),
        ("建发[2024]035号", "建发〔2024〕35号"),
        ("建发【2024】第5号", "建发〔2024〕5号"),
        ("2024年04月01日", "2024年4月1日"),
        ("8:30 and 3.5", "8:30 and 3.5"),
        ("电\u200b话\x07", "电话"),
    ],
)
def test_normalisation(typed: str, normalised: str) -> None:
    assert text.normalise(typed) == normalised


@pytest.mark.parametrize("bad", ["20xx年", "xx县", "填写__处", "□ 是", "{{ unit }}", "{% if %}", "None", "好😀"])
def test_placeholders_and_emoji_are_refused_with_the_field_named(bad: str) -> None:
    lines = problems(Unit, {"name": "东街社区", "parent": bad})
    assert lines[0].startswith("in.yaml: parent: contains")


def test_user_markup_stays_text(tmp_path: Path) -> None:
    """Markdown in a field is printed as typed, never turned into headings, bold or tables."""
    data = dict(SAMPLE)
    data["focus"] = "## 标题 **加粗** | 表格 | <b>x</b> &amp; \\ `代码` 1. 一"
    path = api.generate(data, tmp_path)
    body = R.text(path)
    assert "集中开展## 标题 **加粗** | 表格 | <b>x</b> &amp; \\ `代码` 1. 一，动员" in body


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
    )
    with pytest.raises(InputError) as err:
        parse_text(bomb, "bomb.yaml")
    assert "alias bomb" in str(err.value)


def test_yaml_dates_are_not_silently_converted() -> None:
    data = parse_text("d: 2024-02-30\n", "x.yaml")
    assert data == {"d": "2024-02-30"}  # pydantic reports it as an impossible date


def test_title_wraps_only_at_allowed_places() -> None:
    from plangen.writer.title import title_lines

    assert title_lines("短标题") == ["短标题"]
    text_ = "城关镇东街社区2024年第36个爱国卫生月活动方案"
    assert title_lines(text_, (7, 20)) == ["城关镇东街社区", "2024年第36个爱国卫生月活动方案"]
    long_ = "关于印发《城关镇东街社区创建第三届省级文明县城实施方案》的通知"
    lines = title_lines(long_)
    assert "".join(lines) == long_ and all(text.display_width(line) <= 20 for line in lines)
    assert not any(line.startswith(("》", "，")) for line in lines)


def test_heading_numbers_never_skip_a_level() -> None:
    from plangen.document import Heading
    from plangen.errors import TemplateError
    from plangen.gbt9704.numbering import heading_numbers

    blocks = [Heading(1, "a"), Heading(2, "b"), Heading(3, "c"), Heading(4, "d"), Heading(2, "e"), Heading(1, "f"), Heading(2, "g")]
    assert heading_numbers(blocks) == ["一、", "（一）", "1.", "（1）", "（二）", "二、", "（一）"]
    with pytest.raises(TemplateError, match="no level-2 heading above it"):
        heading_numbers([Heading(1, "a"), Heading(3, "b")])
    assert text.cn_number(10) == "十" and text.cn_number(21) == "二十一" and text.cn_number(15) == "十五"


def test_title_fallback_breaks_between_words() -> None:
    from plangen.writer.title import title_lines

    assert title_lines("经济技术开发区管理委员会东城街道办事处新世纪花园社区2024年第36个爱国卫生月活动方案", (26, 39)) == [
        "经济技术开发区管理委员会", "东城街道办事处新世纪花园社区", "2024年第36个爱国卫生月活动方案"]
    assert title_lines("关于印发《城关镇东街社区创建第三届省级文明县城实施方案》的通知") == [
        "关于印发《城关镇东街社区创建", "第三届省级文明县城实施方案》的通知"]
    assert title_lines("中共城关镇委员会关于开展“察民情、访民意、解民忧、促和谐”大走访活动的实施方案") == [
        "中共城关镇委员会关于开展", "“察民情、访民意、解民忧、促和谐”", "大走访活动的实施方案"]


@pytest.mark.parametrize(("typed", "normalised"), [("(0", "（0"), ("Tom (UK)", "Tom （UK）"), ("a(b)c", "a(b)c"), ("0,", "0，")])
def test_field_edges_count_as_chinese_context(typed: str, normalised: str) -> None:
    assert text.normalise(typed) == normalised


def test_one_person_or_item_written_alone_is_a_list_of_one(tmp_path: Path) -> None:
    """``副组长: {name: 刘芳, post: 社区主任}`` as the README shows it, in every list field: one mapping,
    one name (or names joined with 、), one date."""
    data = {**SAMPLE, "leadership": {**SAMPLE["leadership"], "副组长": {"name": "刘芳", "post": "社区主任"},
                                     "members": {"name": "丁燕"}},
            "cooperating": "辖区物业服务企业、社区卫生服务站"}
    data.pop("deputies", None)
    data["leadership"].pop("deputies", None)
    text_ = R.text(api.generate(data, tmp_path))
    assert "刘芳（社区主任）" in text_ and "成员：丁燕" in text_
    assert "辖区物业服务企业、社区卫生服务站" in text_
    visit = yaml.safe_load((Path(__file__).parent.parent / "samples" / "visit-campaign.yaml").read_text(encoding="utf-8"))
    visit["reports"] = visit["reports"][-1] if isinstance(visit.get("reports"), list) else visit.get("reports", "2024-12-31")
    plan = api.plan_from_mapping(visit, source="v.yaml")
    assert len(plan.data.reports) == 1


def _next_year_leaving_issued(data: dict) -> dict:
    """The input with its year (and its period, when given) moved a year on, but 成文日期 left as it was."""
    data = {**data}
    if "year" in data:
        data["year"] += 1
    dates = dict(data.get("dates") or {})
    for key in ("start", "end"):
        if key in dates:
            dates[key] = dates[key].replace(year=dates[key].year + 1)
    dates.pop("phases", None)
    data["dates"] = dates
    return data


@pytest.mark.parametrize("name", ["hygiene-month", "civilised-county", "visit-campaign", "cultural-calendar", "hygiene-month-notice"])
def test_last_years_issue_date_is_an_error_naming_both_fields(name: str) -> None:
    """Changing the year but not the other dates (a 2025 plan signed 2024年3月25日) is refused: the first
    error names the stale date (2024) and the period it contradicts (2025)."""
    data = yaml.safe_load((Path(__file__).parent.parent / "samples" / f"{name}.yaml").read_text(encoding="utf-8"))
    with pytest.raises(InputError) as err:
        api.plan_from_mapping(_next_year_leaving_issued(data), source="plan.yaml")
    first = err.value.lines()[0]
    assert "2024" in first and "2025-" in first, first
    if name in ("hygiene-month", "hygiene-month-notice"):  # nothing else is dated: the signing date is named
        assert "dates.issued (2024-03-25)" in first and "dates.start 2025-04-01" in first, first


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(year=2025, dates={"issued": "2025-03-25"}), "report.deadline (2024-05-06) is before the period starts (dates.start 2025-04-01)"),
        (lambda d: d.update(dates={"issued": "2024-05-03"}), "dates.issued (2024-05-03) is after the period ends (dates.end 2024-04-30)"),
        (lambda d: d["report"].update(deadline="2025-05-06"), "report.deadline (2025-05-06) is 371 days after the period ends"),
    ],
)
def test_dates_that_contradict_the_period(change, words: str) -> None:
    data = yaml.safe_load(yaml.safe_dump(SAMPLE))
    change(data)
    with pytest.raises(InputError) as err:
        api.plan_from_mapping(data, source="plan.yaml")
    assert words in "\n".join(err.value.lines())


def test_visit_report_deadline_of_another_year_is_refused() -> None:
    data = yaml.safe_load((Path(__file__).parent.parent / "samples" / "visit-campaign.yaml").read_text(encoding="utf-8"))
    data["reports"] = ["2024-11-30", "2025-12-31"]
    with pytest.raises(InputError) as err:
        api.plan_from_mapping(data, source="plan.yaml")
    assert "reports deadline 2 (2025-12-31) is 365 days after the period ends (dates.end 2024-12-31)" in "\n".join(err.value.lines())


def test_a_period_after_a_closing_mark_of_chinese_text_is_a_full_stop() -> None:
    """“无积水”. and 《办法》. end Chinese sentences: the period becomes 。 (found by plangen fix's corpus)."""
    from plangen.text import normalise

    assert normalise('做到"无积水".') == "做到“无积水”。"
    assert normalise("见《办法》.") == "见《办法》。"
    assert normalise("3.5米") == "3.5米" and normalise("v1.2") == "v1.2"
