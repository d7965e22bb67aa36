"""The cultural-calendar plan (社区文化建设方案) end to end: the sample read back from .docx, the twelve-month
table, festival months worked out for years whose Spring Festival falls in January or February, other
units, and errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import readback as B
import yaml

from plangen import api
from plangen.testing import docx as R
from plangen.testing import requires_libreoffice, slow
from plangen_plans.cultural_calendar import default_months, festival_dates

SAMPLE = Path(__file__).resolve().parents[4] / "samples" / "cultural-calendar.yaml"
MONTHS = [f"{m}月" for m in range(1, 13)]


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    return B.generate_sample("cultural-calendar", tmp_path_factory.mktemp("calendar"))


def sample() -> dict:
    return B.sample("cultural-calendar")


headings = B.headings


def themes(path: Path) -> dict[str, str]:
    (table,) = B.tables(path)
    return {row[0]: row[1] for row in table.body}


def test_title_and_sections(sample_docx: Path) -> None:
    assert sample_docx.name == "东街社区-社区文化建设方案.docx"
    assert R.paragraphs(sample_docx)[0].text == "建平镇东街社区2024年文化建设方案"
    assert headings(sample_docx, 1) == ["一、指导思想", "二、工作目标", "三、主要内容", "四、保障措施"]
    assert headings(sample_docx, 2) == [
        "（一）开展月度主题文化活动", "（二）举办四季文艺展演", "（三）加强文化阵地建设", "（四）壮大文体队伍", "（五）实施年度重点项目",
        "（一）加强组织领导", "（二）落实经费保障", "（三）注重宣传总结",
    ]
    level3 = [p for p in R.paragraphs(sample_docx) if p.style == "Heading3"]
    assert [p.bold_prefix for p in level3] == [
        "1.图书阅览室。", "2.文体活动室。", "3.东街文化广场。",
        "1.健身秧歌队。", "2.书画队。", "3.夕阳红合唱团。", "4.志愿服务队。",
        "1.“爱心进万家”工程。", "2.书香楼院建设。",
    ]


def test_calendar_is_a_standard_table_of_twelve_months(sample_docx: Path) -> None:
    (table,) = B.tables(sample_docx)
    assert table.header == ["月份", "主题", "活动形式", "负责人"]
    assert [row[0] for row in table.body] == MONTHS
    assert all(all(cell.strip() for cell in row) for row in table.body)
    B.assert_standard_table(table)
    B.assert_table_styles(sample_docx)
    # the month column is wide enough for "10月" on one line: 2 characters of 14 pt plus the cell margins
    assert table.widths[0] >= 2 * B.TABLE_EM + 170


def test_festival_defaults_and_overrides_in_the_sample(sample_docx: Path) -> None:
    (table,) = B.tables(sample_docx)
    rows = {row[0]: row[1:] for row in table.body}
    # 2024: Spring Festival (10 February) and 元宵 (24 February) share February
    assert rows["1月"] == ["辞旧迎新庆元旦", "新年联欢会、趣味游园、文明家庭表彰", "社区居委会"]
    assert rows["2月"] == ["欢度春节 喜闹元宵", "写春联送福字、新春团拜会、猜灯谜闹元宵", "王秀英（社区宣传委员）"]
    assert rows["3月"][0] == "学雷锋 树新风"
    assert rows["4月"][0] == "清明祭英烈 文明树新风"
    assert rows["6月"][0] == "粽香端午 传承文化"  # 端午 on 10 June 2024
    assert rows["10月"][0] == "欢度国庆 情暖重阳"  # 重阳 on 11 October 2024
    # the user's months: a new theme and form, only a form, only a person; quotes inside a theme stay
    assert rows["5月"] == ["邻里文化节", "楼院才艺展演、邻里百家宴、最美邻里评选", "张海燕"]
    assert rows["9月"] == ["月圆中秋 邻里同乐", "中秋邻里宴、赏月诗会、“我们的节日”诵读会", "社区居委会"]
    assert rows["8月"][2] == "刘志强（社区退役军人服务站站长）"
    assert rows["12月"][0] == "“冬之星”年度评选"
    text = R.text(sample_docx)
    assert "2024年春节为2月10日，元宵节为2月24日，清明节为4月4日，端午节为6月10日，中秋节为9月17日，重阳节为10月11日。2月有春节和元宵节，10月有国庆节和重阳节，同月节日的活动统筹安排。全年活动安排如下：" in text


def test_facilities_teams_projects_and_roster(sample_docx: Path) -> None:
    text = R.text(sample_docx)
    assert "目前已组建健身秧歌队、书画队、夕阳红合唱团、志愿服务队等四支文体队伍。" in text
    assert "1.健身秧歌队。由孙桂兰负责，现有队员36人。" in text
    assert "4.志愿服务队。现有队员65人。下设助老" in text
    assert "2.文体活动室。落实专人管理" in text  # default wording for a facility given only by name
    assert "1.“爱心进万家”工程。为辖区30户困难家庭和空巢老人结对开展送温暖、送文化活动。项目于12月底前完成。" in text
    assert "2.书香楼院建设。在6个楼院设立“邻里书架”，由志愿者负责图书整理和更新。项目于10月底前完成。" in text
    assert "一是居民思想道德素质和文明素养明显提升" in text and "三是文体队伍发展到5支以上" in text
    assert "成立建平镇东街社区文化建设工作领导小组" in text
    assert "副组长：杨秀琴（社区主任）、王秀英（社区宣传委员）" in text
    paras = R.paragraphs(sample_docx)
    assert [p.text for p in paras[-2:]] == ["东街社区居民委员会", "2024年1月5日"]


def test_clean_text_and_length(sample_docx: Path) -> None:
    B.assert_clean(sample_docx)
    assert 2 * 22 < B.grid_lines(sample_docx) < 6 * 22


@slow
@requires_libreoffice
def test_libreoffice_lays_it_out_on_two_to_six_pages(sample_docx: Path, tmp_path: Path) -> None:
    assert 2 <= B.pdf_pages(sample_docx, tmp_path) <= 6


@pytest.mark.parametrize(
    ("year", "dates"),
    [
        (2023, {"春节": date(2023, 1, 22), "元宵节": date(2023, 2, 5), "端午节": date(2023, 6, 22), "中秋节": date(2023, 9, 29), "重阳节": date(2023, 10, 23)}),
        (2024, {"春节": date(2024, 2, 10), "元宵节": date(2024, 2, 24), "端午节": date(2024, 6, 10), "中秋节": date(2024, 9, 17), "重阳节": date(2024, 10, 11)}),
        (2025, {"春节": date(2025, 1, 29), "元宵节": date(2025, 2, 12), "端午节": date(2025, 5, 31), "中秋节": date(2025, 10, 6), "重阳节": date(2025, 10, 29)}),
        (2026, {"春节": date(2026, 2, 17), "元宵节": date(2026, 3, 3), "端午节": date(2026, 6, 19), "中秋节": date(2026, 9, 25), "重阳节": date(2026, 10, 18)}),
    ],
)
def test_lunar_festivals_computed_for_the_year(year: int, dates: dict[str, date]) -> None:
    found = festival_dates(year)
    assert {name: found[name] for name in dates} == dates
    assert found["清明节"].month == 4 and 4 <= found["清明节"].day <= 5
    assert found["学雷锋日"] == date(year, 3, 5) and found["国庆节"] == date(year, 10, 1)


def test_spring_festival_in_january_moves_the_themes(tmp_path: Path) -> None:
    """2023: Spring Festival on 22 January takes January from 元旦; 元宵 (5 February) has February."""
    path = api.generate({"type": "cultural-calendar", "unit": {"name": "建平镇"}, "year": 2023}, tmp_path)
    got = themes(path)
    assert got["1月"] == "欢欢喜喜过春节"
    assert got["2月"] == "红红火火闹元宵"
    assert got["3月"] == "学雷锋 树新风"
    assert got["6月"] == "粽香端午 传承文化"
    assert got["9月"] == "月圆中秋 邻里同乐"
    assert got["10月"] == "欢度国庆 情暖重阳"
    (table,) = B.tables(path)
    assert {row[3] for row in table.body} == {"镇综合文化站"}  # default person for a town
    text = R.text(path)
    assert "2023年春节为1月22日，元宵节为2月5日" in text
    assert "结合我镇实际" in text and "丰富全镇干部群众精神文化生活" in text
    assert "组建广场舞、太极拳、书画、合唱等文体队伍" in text  # no teams given
    assert "实施年度重点项目" not in text
    assert "我镇主要负责同志对文化建设负总责" in text  # no leadership group given
    assert R.paragraphs(path)[-1].text == "2023年1月1日"


def test_spring_festival_in_february_and_mid_autumn_in_october(tmp_path: Path) -> None:
    """2025: 端午 on 31 May takes May; 中秋 (6 October) and 重阳 (29 October) join 国庆, and the row and
    the text name all three; September falls back to 教师节."""
    path = api.generate({"type": "社区文化建设", "unit": {"name": "郎溪县"}, "year": 2025}, tmp_path)
    got = themes(path)
    assert got["1月"] == "欢欢喜喜过春节"  # 29 January 2025
    assert got["5月"] == "粽香端午 传承文化"
    assert got["6月"] == "六一童心向党 快乐成长"
    assert got["9月"] == "尊师重教 崇文尚学"
    assert got["10月"] == "欢度国庆 月圆中秋 情暖重阳"
    (table,) = B.tables(path)
    october = next(row for row in table.body if row[0] == "10月")
    assert "重阳敬老宴" in october[2] and "中秋邻里宴" in october[2]
    assert "重阳节为10月29日。10月有国庆节、中秋节和重阳节，同月节日的活动统筹安排。" in R.text(path)
    assert {row[3] for row in table.body} == {"县文化馆"}
    assert "结合我县实际" in R.text(path)


def test_lantern_festival_in_march(tmp_path: Path) -> None:
    """2026: Spring Festival on 17 February, 元宵 on 3 March; a village writes it."""
    data = {"类型": "文化建设方案", "单位": {"名称": "凌笪村", "上级单位": "建平镇"}, "年度": 2026, "队伍": ["腰鼓队"]}
    path = api.generate(data, tmp_path)
    got = themes(path)
    assert [got["1月"], got["2月"], got["3月"]] == ["辞旧迎新庆元旦", "欢欢喜喜过春节", "红红火火闹元宵"]
    text = R.text(path)
    # a team with nothing of its own is named once, with the shared sentence once (not a heading per team)
    assert "目前已组建腰鼓队。队伍坚持定期集中训练" in text and "1.腰鼓队" not in text
    assert "结合我村实际" in text and "村民委员会" in text


def test_every_festival_the_text_dates_is_named_in_its_months_row() -> None:
    """2000–2050: the text gives the date of each movable festival; its month's row (theme or form)
    must name it, and so must 国庆's October row, however many festivals share the month."""
    from plangen_plans.cultural_calendar import MOVABLE

    for year in range(2000, 2051):
        dates = festival_dates(year)
        rows = default_months(year)
        for name in (*MOVABLE, "国庆节"):
            theme, form, _ = rows[dates[name].month - 1]
            assert name.removesuffix("节") in theme + form, (year, name, theme, form)


def test_every_year_gets_twelve_distinct_month_themes() -> None:
    for year in range(2000, 2051):
        months = default_months(year)
        assert len(months) == 12
        assert all(festivals for _, _, festivals in months), year
        assert "春节" in months[0][2] + months[1][2]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["months"].append({"month": 2, "theme": "迎春"}), "months", "month 2 is listed twice"),
        (lambda d: d.__setitem__("months", [{"month": i % 12 + 1, "theme": "主题"} for i in range(13)]), "months", "13 months are listed"),
        (lambda d: d["months"].append({"month": 13, "theme": "迎春"}), "months[7].month", "13 is not a month"),
        (lambda d: d["months"].append({"month": "十三月", "theme": "迎春"}), "months[7].month", "13 is not a month"),
        (lambda d: d["months"].append({"month": 0, "theme": "迎春"}), "months[7].month", "0 is not a month"),
        (lambda d: d["months"].append({"month": "春月", "theme": "迎春"}), "months[7].month", "not a month"),
        (lambda d: d["months"].append({"month": 3}), "months[7]", "changes nothing"),
        (lambda d: d["projects"].append({"name": "新项目", "deadline": "2025-03-01"}), "projects", "outside the plan's period"),
        (lambda d: d["dates"].update(start="2023-01-01"), "year", "dates.start is 2023-01-01"),
        (lambda d: d["teams"].append({"name": "舞龙队", "members": 0}), "teams[5].members", "at least 1"),
    ],
)
def test_input_errors_name_the_field(change, field: str, words: str) -> None:
    data = sample()
    change(data)
    B.assert_located_error(data, field, words)


def test_month_written_in_chinese_is_accepted(tmp_path: Path) -> None:
    data = sample()
    data["months"] = [{"月份": "三月", "主题": "学雷锋志愿服务月"}, {"月份": "十二月", "负责人": "赵德林"}]
    path = api.generate(data, tmp_path)
    (table,) = B.tables(path)
    rows = {row[0]: row[1:] for row in table.body}
    assert rows["3月"][0] == "学雷锋志愿服务月"
    assert rows["12月"] == ["宪法进万家 法治润人心", "宪法宣传、法律知识讲座、法律咨询进楼院", "赵德林"]


def test_the_commented_example_is_the_sample() -> None:
    """``plangen new`` prints the example; the sample is that example, so both are known to generate."""
    from plangen_plans.cultural_calendar import PLAN_TYPE

    assert yaml.safe_load(PLAN_TYPE.example) == sample()
    assert PLAN_TYPE.example.count("#") > 20  # it explains its keys


def test_community_roster_maps_onto_the_plan(tmp_path: Path) -> None:
    made = B.roster_batch(SAMPLE, tmp_path)
    assert [p.name for p in made] == ["东街社区-社区文化建设方案.docx", "南街社区-社区文化建设方案.docx"]
    text = R.text(made[1])
    assert R.paragraphs(made[1])[0].text == "城关镇南街社区2024年文化建设方案"
    assert "组长：邓怡（社区党委书记）\n副组长：薛明勇（社区主任）\n成员：邱超、钟宇、郭欣思" in text  # posts kept
    assert len(B.tables(made[1])[0].body) == 12


def test_command_line_error_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = sample()
    data["months"].append({"month": 5, "person": "孙桂兰"})
    B.assert_cli_refuses(data, tmp_path, "months", "month 5 is listed twice")


def test_a_count_before_a_measure_word_is_liang(tmp_path: Path) -> None:
    """两支, not 二支: a count before a measure word says 两; ordinals and tens keep 二 (第二, 十二)."""
    from plangen import cn_count

    assert [cn_count(n) for n in (1, 2, 3, 12, 20, 22)] == ["一", "两", "三", "十二", "二十", "二十二"]
    data = {"type": "cultural-calendar", "unit": {"name": "凌笪村"}, "year": 2025, "teams": ["腰鼓队", "书画队"]}
    text = R.text(api.generate(data, tmp_path))
    assert "等两支文体队伍" in text and "二支" not in text


def test_seasonal_shows_and_closing_paragraph(sample_docx: Path) -> None:
    """From the seeds: four seasonal showcases on top of the monthly themes, and a closing paragraph
    that sums the plan up (marked 总之, so it is not read as part of the last numbered point)."""
    text = R.text(sample_docx)
    shows = next(line for line in text.splitlines() if "每季度集中举办一场展演" in line)
    for season in ("春季", "夏季", "秋季", "冬季"):
        assert season in shows
    body = [p.text for p in R.paragraphs(sample_docx)]
    closing = next(i for i, t in enumerate(body) if t.startswith("总之，文化建设重在经常"))
    assert body[closing + 1].startswith("联系人：")


def test_seasonal_shows_can_be_left_out(tmp_path: Path, samples: Path) -> None:
    data = yaml.safe_load((samples / "cultural-calendar.yaml").read_text(encoding="utf-8"))
    data["seasons"] = False
    text = R.text(api.generate(data, tmp_path))
    assert "四季文艺展演" not in text
