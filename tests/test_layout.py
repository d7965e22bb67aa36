"""GB/T 9704-2012, rule by rule, read back out of a generated .docx's XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.shared import Mm

from plangen import api
from plangen.testing import docx as R

W = R.W


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    from plangen import plugins

    plugins.reset()
    return api.generate(Path(__file__).parent.parent / "samples" / "hygiene-month.yaml", tmp_path_factory.mktemp("layout"))


def test_a4_and_margins(plan: Path) -> None:
    section = open_docx(str(plan)).sections[0]
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635)  # A4 in EMU
    assert abs(section.top_margin - Mm(37)) <= Mm(1)
    assert abs(section.left_margin - Mm(28)) <= Mm(1)
    assert abs(section.right_margin - Mm(26)) <= Mm(1)
    assert abs(section.bottom_margin - Mm(35)) <= Mm(1)
    type_width = section.page_width - section.left_margin - section.right_margin
    type_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(type_width - Mm(156)) <= Mm(0.5) and abs(type_height - Mm(225)) <= Mm(0.5)


def test_grid_22_lines_of_28_characters(plan: Path) -> None:
    xml = R.part(plan, "word/document.xml")
    grid = re.search(r'<w:docGrid w:type="lines" w:linePitch="(\d+)"/>', xml)
    assert grid and int(grid.group(1)) == 579
    normal = R.style_element(plan, "Normal")
    spacing = R.ppr(normal, "spacing")
    assert spacing.get(f"{W}line") == "579" and spacing.get(f"{W}lineRule") == "exact"
    # 22 lines fit the 225 mm type area, 21 would leave a gap: 22 × 28.95 pt ≤ 637.8 pt < 23 × 28.95 pt
    assert 22 * 579 <= 12756 < 23 * 579
    # 28 characters of 16 pt tightened by 0.25 pt fit the 156 mm line
    assert R.rpr_val(normal, "spacing") == "-5"
    assert 28 * (320 - 5) <= 11906 - 1587 - 1474


@pytest.mark.parametrize(
    ("style", "font", "size"),
    [
        ("Normal", "仿宋_GB2312", "32"),
        ("Title", "方正小标宋简体", "44"),
        ("Heading1", "黑体", None),
        ("Heading2", "楷体_GB2312", None),
        ("Footer", "宋体", "28"),
        ("TableHeader", "黑体", None),
    ],
)
def test_fonts_on_named_styles_with_east_asian_attribute(plan: Path, style: str, font: str, size: str | None) -> None:
    el = R.style_element(plan, style)
    fonts = R.rfonts(el)
    assert fonts["eastAsia"] == font and fonts["hAnsi"] == font  # quotes and dashes use the Chinese face
    assert "asciiTheme" not in fonts and "eastAsiaTheme" not in fonts
    if style != "Footer":
        assert fonts["ascii"] == "Times New Roman"  # Latin letters and digits in a Latin face
    if size:
        assert R.rpr_val(el, "sz") == size


def test_headings_levels_3_and_4_inherit_body_font_and_levels_are_outlined(plan: Path) -> None:
    for level in (1, 2, 3, 4):
        el = R.style_element(plan, f"Heading{level}")
        assert R.ppr(el, "outlineLvl").get(f"{W}val") == str(level - 1)
        assert el.find(f"{W}basedOn").get(f"{W}val") == "Normal"
        assert R.rpr_val(el, "b") == "0"  # 黑体 and 楷体 headings are not bold
    assert "eastAsia" not in R.rfonts(R.style_element(plan, "Heading3"))  # 仿宋 from Normal


def test_no_theme_fonts_anywhere(plan: Path) -> None:
    styles = R.part(plan, "word/styles.xml")
    assert "Theme" not in styles and "等线" not in styles
    names = zipfile.ZipFile(plan).namelist()
    assert "word/theme/theme1.xml" not in names


def test_body_first_line_indent_two_characters_and_black(plan: Path) -> None:
    normal = R.style_element(plan, "Normal")
    ind = R.ppr(normal, "ind")
    assert ind.get(f"{W}firstLineChars") == "200" and ind.get(f"{W}firstLine") == "640"
    assert normal.find(f"{W}rPr/{W}color").get(f"{W}val") == "000000"
    title = R.style_element(plan, "Title")
    assert R.ppr(title, "jc").get(f"{W}val") == "center"
    assert R.ppr(title, "ind").get(f"{W}firstLine") == "0"
    # body paragraphs carry no direct run formatting: everything comes from the styles
    xml = R.part(plan, "word/document.xml")
    assert "<w:rFonts" not in xml and "<w:sz " not in xml


def test_page_numbers_odd_right_even_left(plan: Path) -> None:
    assert "<w:evenAndOddHeaders/>" in R.part(plan, "word/settings.xml")
    doc_xml = R.part(plan, "word/document.xml")
    assert re.search(r'<w:footerReference w:type="default" r:id="rId4"/>', doc_xml)
    assert re.search(r'<w:footerReference w:type="even" r:id="rId5"/>', doc_xml)
    rels = R.part(plan, "word/_rels/document.xml.rels")
    assert 'Id="rId4"' in rels and 'Target="footer1.xml"' in rels and 'Target="footer2.xml"' in rels
    odd, even = R.part(plan, "word/footer1.xml"), R.part(plan, "word/footer2.xml")
    for footer, align, side in ((odd, "right", "right"), (even, "left", "left")):
        assert f'<w:jc w:val="{align}"/>' in footer
        assert f'<w:ind w:{side}="280"/>' in footer  # one 四号 character from the edge
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in footer
        assert '<w:fldChar w:fldCharType="begin"/>' in footer and '<w:fldChar w:fldCharType="end"/>' in footer
        texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", footer)
        assert texts == ["— ", "1", " —"]  # U+2014 dashes around the number


def test_page_number_sits_7mm_below_the_type_area(plan: Path) -> None:
    section = open_docx(str(plan)).sections[0]
    number_top = section.footer_distance + Mm(0) + 14 * 12700  # footer text bottom + 14 pt line
    assert abs((section.bottom_margin - number_top) - Mm(7)) <= Mm(0.5)


def test_signature_positions(plan: Path) -> None:
    paras = R.paragraphs(plan)
    sig, date = paras[-2].element, paras[-1].element
    sig_right = int(sig.find(f"{W}pPr/{W}ind").get(f"{W}right"))
    date_right = int(date.find(f"{W}pPr/{W}ind").get(f"{W}right"))
    # 东街社区居民委员会 (9 × 315 twips) is more than 2 characters longer than 2024年3月25日 (6.5
    # characters), so the signer takes the 2-character right indent and the date starts 2 characters
    # to the right of the signer's first character.
    assert paras[-2].text == "东街社区居民委员会"
    sig_start = -sig_right - 9 * 315
    date_start = -date_right - (4 * 155 + 315 + 155 + 315 + 2 * 155 + 315)
    assert sig_right == 640
    assert date_start - sig_start == 640


def test_signature_positions_when_the_date_is_the_longer(tmp_path: Path) -> None:
    """A signer barely longer than the date (城关镇东街社区): the date takes the 2-character right
    indent and the signer moves left, the date still starting 2 characters right of the signer."""
    import yaml

    data = yaml.safe_load((Path(__file__).parent.parent / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8"))
    data["signature"] = "城关镇东街社区"
    paras = R.paragraphs(api.generate(data, tmp_path))
    sig, date = paras[-2].element, paras[-1].element
    sig_right = int(sig.find(f"{W}pPr/{W}ind").get(f"{W}right"))
    date_right = int(date.find(f"{W}pPr/{W}ind").get(f"{W}right"))
    sig_start = -sig_right - 7 * 315
    date_start = -date_right - (4 * 155 + 315 + 155 + 315 + 2 * 155 + 315)
    assert date_right == 640
    assert date_start - sig_start == 640


def test_date_has_no_zero_padding(plan: Path) -> None:
    assert R.paragraphs(plan)[-1].text == "2024年3月25日"


def test_windows_font_profile_and_custom_set(tmp_path: Path) -> None:
    sample = Path(__file__).parent.parent / "samples" / "hygiene-month.yaml"
    windows = api.generate(sample, tmp_path / "w", fonts="windows")
    assert R.rfonts(R.style_element(windows, "Normal"))["eastAsia"] == "仿宋"
    assert R.rfonts(R.style_element(windows, "Heading2"))["eastAsia"] == "楷体"
    custom_file = tmp_path / "fonts.yaml"
    custom_file.write_text("title: 方正小标宋_GBK\nbody: 仿宋\n", encoding="utf-8")
    from plangen.inputs.reading import load_file

    custom = api.generate(sample, tmp_path / "c", fonts=load_file(custom_file))
    assert R.rfonts(R.style_element(custom, "Title"))["eastAsia"] == "方正小标宋_GBK"
    assert R.rfonts(R.style_element(custom, "Normal"))["eastAsia"] == "仿宋"
    assert R.rfonts(R.style_element(custom, "Heading1"))["eastAsia"] == "黑体"  # the rest stays GB
    table = R.part(custom, "word/fontTable.xml")
    assert '<w:font w:name="方正小标宋_GBK"><w:altName w:val="宋体"/><w:charset w:val="86"/>' in table


def test_font_profile_errors_name_the_field() -> None:
    from plangen.errors import InputError
    from plangen.writer import font_profile

    with pytest.raises(InputError, match="unknown font profile 'mac'"):
        font_profile("mac")
    with pytest.raises(InputError, match=r"fonts: unknown font element\(s\) \['bodyy'\]"):
        font_profile({"bodyy": "仿宋"})


def test_long_title_wraps_into_balanced_lines(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((Path(__file__).parent.parent / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8"))
    data["unit"] = {"name": "经济技术开发区管理委员会东城街道办事处新世纪花园社区"}
    path = api.generate(data, tmp_path)
    lines = R.paragraphs(path)[0].text.split("\n")
    assert "".join(lines) == "经济技术开发区管理委员会东城街道办事处新世纪花园社区2024年第36个爱国卫生月活动方案"
    assert len(lines) >= 2 and all(len(line) <= 20 for line in lines)
    assert not any(line[0].isdigit() and prev[-1].isdigit() for prev, line in zip(lines, lines[1:]))


def test_title_lines_do_not_snap_to_the_body_grid(plan: Path) -> None:
    # A 22 pt title line snapped to the 28.95 pt grid takes two grid lines in LibreOffice.
    assert R.ppr(R.style_element(plan, "Title"), "snapToGrid").get(f"{W}val") == "0"
