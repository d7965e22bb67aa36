"""Dates and figures an official checks first (issue 19): 旬 phases apart, a report's signing day, a calendar
of part of a year, ``plangen next`` moving festival months, and survey sentences derived from the numbers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from plangen import api
from plangen.errors import InputError
from plangen.inputs.nextyear import next_year
from plangen.testing import docx as R


def _text(tmp_path: Path, data: dict[str, Any]) -> str:
    return R.text(api.generate(data, tmp_path))


def test_phases_by_xun_never_share_one(tmp_path: Path) -> None:
    data = {"type": "hygiene-month", "unit": {"name": "城南镇", "parent": "青山县"}, "year": 2025, "theme": "健康",
            "dates": {"by_xun": True}}
    text = _text(tmp_path, data)
    spans = re.findall(r"阶段（(4月[上中下]旬)）", text)
    assert spans == ["4月上旬", "4月中旬", "4月下旬"]
    data["dates"] = {"by_xun": True, "phases": [
        {"name": "宣传发动", "start": "2025-04-01", "end": "2025-04-07"},
        {"name": "集中整治", "start": "2025-04-08", "end": "2025-04-24"}]}
    with pytest.raises(InputError, match="旬"):
        api.generate(data, tmp_path / "bad")


def _survey(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "survey-report", "unit": {"name": "城关镇"}, "dates": {"start": "2025-05-06", "end": "2025-05-17"},
        "communities": [
            {"name": "东街社区", "staff": 5, "hired": 3, "office": 320, "funding": 18.5},
            {"name": "西门社区", "staff": 4, "office": 110, "funding": 16},
            {"name": "南苑社区", "staff": 4, "hired": 2, "office": 260, "funding": 12.8},
        ],
    }
    data.update(extra)
    return data


def test_a_report_without_issue_date_is_signed_when_the_survey_ends(tmp_path: Path) -> None:
    paras = [p.text.strip() for p in R.paragraphs(api.generate(_survey(), tmp_path)) if p.text.strip()]
    assert paras[-2:] == ["城关镇人民政府", "2025年5月17日"]


@pytest.mark.parametrize("offices,status,subject", [
    ([320, 110, 260], "达到200平方米标准的有2个，未达到的有1个", "西门社区办公和活动用房仅有110平方米"),
    ([120, 110, 60], "各社区用房面积均未达到200平方米的标准", "用房面积偏小，各社区难以"),
    ([120, 110, 260], "达到200平方米标准的有1个，未达到的有2个", "用房面积偏小，多数社区难以"),
    ([320, 210, 260], "各社区用房面积均达到200平方米的标准", "功能布局不够合理"),
])
def test_space_sentences_follow_the_figures(tmp_path: Path, offices: list[int], status: str, subject: str) -> None:
    data = _survey()
    for community, office in zip(data["communities"], offices, strict=True):
        community["office"] = office
    text = _text(tmp_path, data)
    assert status in text and subject in text
    assert "的有0个" not in text
    if offices.count(max(offices)) == 1 and sum(o < 200 for o in offices) == 1:
        assert "多数社区" not in text


def test_a_subsidy_above_the_need_is_not_called_unstable(tmp_path: Path) -> None:
    text = _text(tmp_path, _survey(finance={"needed": 30, "granted": 40}))
    assert "上级财政每年补助40万元，高于年需经费10万元" in text
    assert "不够稳定" not in text and "缺口" not in text
    short = _text(tmp_path / "s", _survey(finance={"needed": 50, "granted": 40}))
    assert "不够稳定" in short and short.count("10万元") == 1


def test_no_claim_about_figures_not_given(tmp_path: Path) -> None:
    none = _text(tmp_path, _survey())
    assert "学历" not in none.split("对策建议")[0] and "年龄偏大" not in none
    college = _text(tmp_path / "c", _survey(staff_profile={"college_share": 38}))
    assert "大专以上学历的占38%" in college and "从前述学历结构看，学历层次偏低" in college
    assert "年龄结构" not in college
    young = _text(tmp_path / "y", _survey(staff_profile={"average_age": 36, "college_share": 80}))
    assert "年龄偏大" not in young and "从前述年龄和学历结构看" in young


def test_the_survey_team_is_printed(tmp_path: Path) -> None:
    text = _text(tmp_path, _survey(leadership={"name": "城关镇社区建设调研组", "leader": "程立新（镇党委副书记）",
                                               "deputies": ["韩雪梅"], "members": ["杜海峰", "秦晓雯"]}))
    assert "组织城关镇社区建设调研组，由程立新（镇党委副书记）任组长，韩雪梅任副组长，杜海峰、秦晓雯参加" in text


def _calendar(**extra: Any) -> dict[str, Any]:
    return {"type": "cultural-calendar", "unit": {"name": "东街社区", "parent": "建平镇"}, "year": 2025, **extra}


def test_a_half_year_calendar_schedules_only_its_months(tmp_path: Path) -> None:
    text = _text(tmp_path, _calendar(dates={"start": "2025-07-01", "end": "2025-12-31"}))
    months = re.findall(r"^(\d{1,2})月\t", text, re.M)
    assert months == [str(m) for m in range(7, 13)]
    assert "春节为" not in text and "端午节为" not in text and "中秋节为10月6日" in text
    assert "春季" not in text and "全年" not in text


def test_a_festival_keeps_its_activity_when_the_user_rewrote_its_month(tmp_path: Path) -> None:
    # 端午 falls on 31 May 2025: the user's own May theme keeps the 端午 activity
    text = _text(tmp_path, _calendar(months=[{"month": 5, "theme": "邻里文化节", "form": "楼院才艺展演"}]))
    row = next(line for line in text.splitlines() if line.startswith("5月\t"))
    assert "邻里文化节" in row and "包粽子比赛" in row


def test_a_month_entry_naming_a_festival_elsewhere_is_asked_about(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="10"):
        api.generate(_calendar(months=[{"month": 9, "form": "中秋邻里宴、赏月诗会"}]), tmp_path)


def test_next_year_moves_festival_month_entries(tmp_path: Path) -> None:
    source = ("type: cultural-calendar\nunit: {name: 东街社区, parent: 建平镇}\nyear: 2024\n"
              "months:\n  - {month: 9, form: 中秋邻里宴、赏月诗会}   # 中秋\n  - {month: 11, theme: 棋牌友谊赛}\n")
    moved = next_year(source)
    assert "{month: 10, form: 中秋邻里宴、赏月诗会}   # 中秋" in moved and "{month: 11, theme: 棋牌友谊赛}" in moved
    text = _text(tmp_path, yaml.safe_load(moved))
    october = next(line for line in text.splitlines() if line.startswith("10月\t"))
    assert "中秋邻里宴" in october and "国庆文艺汇演" in october
    assert date(2025, 10, 6).month == 10
