"""One metrics module: the preview, the writer's estimates, table sizing and the page estimate break
lines with the same rules, the rules Word and LibreOffice apply to Chinese on the 28-character grid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from plangen import api, text
from plangen.document import Paragraph, Run, Signature
from plangen.gbt9704 import layout as L
from plangen.gbt9704 import metrics, tables
from plangen.web import html_pages

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [*sorted((ROOT / "samples").glob("*.yaml")), *sorted((ROOT / "plugins").glob("*/samples/*.yaml"))]
LINE = L.TYPE_W
INDENTED = L.TYPE_W - 2 * L.CHAR


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&#34;", '"').replace("&#39;", "'")


def test_a_mark_that_may_not_start_a_line_takes_the_character_before_it_down() -> None:
    # 27 characters fill the line but for one; the 28th is followed by ） which cannot start the next line
    body = "一" * 27 + "二）三"
    lines = metrics.break_lines(body, LINE)
    assert lines == ("一" * 27, "二）三")
    assert not any(line[:1] in metrics.NO_LINE_START for line in lines)


def test_an_opening_mark_never_ends_a_line() -> None:
    lines = metrics.break_lines("一" * 27 + "《二》", LINE)
    assert lines == ("一" * 27, "《二》")


def test_comma_and_full_stop_hang_past_the_margin_instead_of_starting_a_line() -> None:
    assert metrics.break_lines("一" * 28 + "，二", LINE) == ("一" * 28 + "，", "二")
    assert metrics.break_lines("一" * 28 + "。", LINE) == ("一" * 28 + "。",)
    # a closing bracket does not hang: the character before it goes down with it
    assert metrics.break_lines("一" * 28 + "）二", LINE) == ("一" * 27, "一）二")
    # in a table cell nothing hangs
    assert metrics.break_lines("一二三，四", 3 * 280, size=L.TABLE_SIZE, spacing=0, hang=False) == ("一二", "三，四")


def test_digits_and_latin_words_stay_whole() -> None:
    lines = metrics.break_lines("一" * 26 + "2024年", INDENTED + 2 * L.CHAR)
    assert lines == ("一" * 26, "2024年")


def test_one_width_everywhere() -> None:
    for sample in ["社区", "2024年", "“健康”", "…—·", "ABC", "ｱ"]:
        assert text.display_width(sample) == metrics.text_width(sample) == tables.display_width(sample)
    assert metrics.text_width("“”‘’…—·") == 7  # set in the Chinese font: full width
    assert tables.NO_LINE_START is metrics.NO_LINE_START and tables.NO_LINE_END is metrics.NO_LINE_END


def test_only_the_metrics_module_measures_characters() -> None:
    """The duplicates are gone: no other module of plangen asks Unicode for a character's width (the
    test helpers' deliberately plain model of a table cell, plangen.testing.tables, aside)."""
    src = ROOT / "src" / "plangen"
    users = sorted(str(p.relative_to(src)) for p in src.rglob("*.py") if "east_asian_width" in p.read_text(encoding="utf-8"))
    assert users == ["gbt9704/metrics.py", "testing/tables.py"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_no_preview_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(sample: Path) -> None:
    doc = api.build_document(api.plan_from_mapping(yaml.safe_load(sample.read_text(encoding="utf-8"))))
    lines = [_plain(str(line.html)) for page in html_pages.paginate(doc) for line in page.lines if line.css not in ("row", "blank")]
    assert len(lines) > 40
    assert not [ln for ln in lines if ln[:1] in metrics.NO_LINE_START], "lines starting with a closing mark"
    assert not [ln for ln in lines if ln[-1:] in metrics.NO_LINE_END], "lines ending with an opening mark"
    # each line fits the type area (a hanging 、。，． aside)
    for ln in lines:
        assert metrics.text_width(ln.rstrip("、。，．：；！？）”")) <= L.CHARS_PER_LINE + 0.01, ln


def test_the_preview_keeps_two_body_lines_with_the_signature() -> None:
    """The signature never stands alone: when it would, the last paragraph goes to its page too (as
    the writer's keep-with-signature makes Word and LibreOffice do)."""
    blocks = [Paragraph([Run("一" * 26)]) for _ in range(18)] + [Paragraph([Run("二" * 40)]), Signature("青山社区居民委员会", "2026年3月1日")]
    from plangen.document import Document

    doc = Document(blocks=blocks)  # type: ignore[call-arg]
    pages = html_pages.paginate(doc)
    last = [_plain(str(ln.html)) for ln in pages[-1].lines if ln.css != "blank"]
    assert last[-2:] == ["青山社区居民委员会", "2026年3月1日"]
    assert last[0].startswith("二") and len(last) == 4, last  # the whole last paragraph went down with it
    assert metrics.kept_with_signature(blocks) == {18}


def test_libreoffice_sets_a_fifth_of_the_font_height_between_chinese_and_digits() -> None:
    assert metrics.autospace(L.BODY_SIZE) == 64  # 三号 16 pt: 320 twips / 5


def test_digits_among_chinese_break_where_libreoffice_breaks_them() -> None:
    """Lines LibreOffice printed (cultural-calendar 2024, survey-report): with a fifth of the font height at each
    boundary between Chinese and digits, and no character spacing after the last character of each run of one
    script or of the line, the model breaks at the same character; a uniform 0.22 em did not for the first."""
    calendar = ("依托传统节日和重要纪念日，每月确定一个活动主题，做到月月有活动、人人能参与。2024年春节为2月10日，元宵节为2月24日，"
                "清明节为4月4日，端午节为6月10日，中秋节为9月17日，重阳节为10月11日。2月有春节和元宵节，10月有国庆节和重阳节，"
                "同月节日的活动统筹安排。全年活动安排如下：")
    lines = metrics.break_lines(calendar, L.TYPE_W - 2 * L.CHAR, L.TYPE_W)
    assert lines[2:4] == ("2月24日，清明节为4月4日，端午节为6月10日，中秋节为9", "月17日，重阳节为10月11日。2月有春节和元宵节，10月有")
    survey = "2023年，县城8个社区全部建成党群服务中心，其中3个社区被评为市级示范社区。"
    assert metrics.break_lines(survey, L.TYPE_W - 2 * L.CHAR, L.TYPE_W)[0] == "2023年，县城8个社区全部建成党群服务中心，其中3个"
