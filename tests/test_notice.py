"""The issuing notice (关于印发《…》的通知), read back from the .docx and measured against GB/T 9704.

Rendering checks (where LibreOffice puts things on the page) are in test_preview.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plangen import api, issuing
from plangen.check import check
from plangen.errors import InputError
from plangen.gbt9704 import layout as L
from plangen.gbt9704 import page_estimate
from plangen.ooxml import reader
from plangen.testing import docx as R
from plangen.writer import notice as N

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hygiene-month-notice.yaml"
W = R.W


def sample() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def notice_docx(tmp_path_factory) -> Path:
    from plangen import plugins

    plugins.reset()
    return api.generate(SAMPLE, tmp_path_factory.mktemp("notice") / "notice.docx", notice=True)


def ppr_child(p, tag: str):
    return p.find(f"{W}pPr/{W}{tag}")


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def test_header_block_mark_number_and_red_separator(notice_docx: Path) -> None:
    paras = R.paragraphs(notice_docx)
    mark = paras[0]
    assert mark.text == "东街社区居民委员会文件"
    spacing = ppr_child(mark.element, "spacing")
    assert spacing.get(f"{W}before") == str(L.mm(35))  # the mark's top 35 mm below the type area's top
    assert spacing.get(f"{W}lineRule") == "exact" and spacing.get(f"{W}line") == "840"  # 初号, line = font
    assert ppr_child(mark.element, "jc").get(f"{W}val") == "center"
    rpr = mark.element.find(f"{W}r/{W}rPr")
    assert rpr.find(f"{W}color").get(f"{W}val") == "FF0000"
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert [p.text for p in paras[1:3]] == ["", ""]  # two blank lines below the mark
    number = paras[3]
    assert number.text == "东社〔2024〕5号"
    assert ppr_child(number.element, "jc").get(f"{W}val") == "center"
    line = number.element.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert line.get(f"{W}color") == "FF0000" and line.get(f"{W}val") == "single"
    ind = ppr_child(number.element, "ind")
    assert ind.get(f"{W}left") == ind.get(f"{W}right") == "0"  # the rule spans the type area
    assert [p.text for p in paras[4:6]] == ["", ""]  # two blank lines below the red line


def test_title_addressees_sentence_and_signature(notice_docx: Path) -> None:
    paras = R.paragraphs(notice_docx)
    title = paras[6]
    assert title.style == "Title"
    assert title.text.replace("\n", "") == "关于印发《城关镇东街社区2024年第36个爱国卫生月活动方案》的通知"
    assert title.text.split("\n") == ["关于印发《城关镇东街社区", "2024年第36个爱国卫生月活动方案》的通知"]
    assert paras[7].text == ""  # one blank line below the title
    addressees = paras[8]
    assert addressees.text == "各网格、各居民小组、辖区各单位：" and addressees.style == "Flush"
    assert paras[9].text == "现将《城关镇东街社区2024年第36个爱国卫生月活动方案》印发给你们，请结合实际认真贯彻落实。"
    assert paras[10].text == ""
    assert (paras[11].style, paras[11].text) == ("Signature", "东街社区居民委员会")
    assert (paras[12].style, paras[12].text) == ("Date", "2024年3月25日")


def test_plan_follows_on_a_new_page_under_its_own_title_without_its_own_signature(notice_docx: Path) -> None:
    paras = R.paragraphs(notice_docx)
    plan_title = paras[13]
    assert plan_title.style == "Title" and plan_title.text.replace("\n", "") == "城关镇东街社区2024年第36个爱国卫生月活动方案"
    assert ppr_child(plan_title.element, "pageBreakBefore") is not None
    assert [p.text for p in paras if p.style == "Heading1"][0] == "一、活动主题"
    assert [p.style for p in paras].count("Signature") == 1  # the notice is signed, the issued plan is not


def test_sections_number_the_notice_and_plan_but_not_the_colophon(notice_docx: Path) -> None:
    doc = reader.read(notice_docx)
    first, *rest = doc.sections
    refs = {r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") for r in first.element.findall(f"{W}footerReference")}
    assert refs == {"default": "rId4", "even": "rId5"}  # page numbers run on from the notice into the plan
    assert rest, "the colophon has its own section"
    for section in rest:
        own = {r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") for r in section.element.findall(f"{W}footerReference")}
        assert own == {"default": N.EMPTY_FOOTER_ID, "even": N.EMPTY_FOOTER_ID}
        assert doc.footer_paragraphs(N.EMPTY_FOOTER_ID) and not any(p.text for p in doc.footer_paragraphs(N.EMPTY_FOOTER_ID))
    last = rest[-1].element
    assert last.find(f"{W}type").get(f"{W}val") == "evenPage"  # Word also keeps it on an even page
    assert R.part(notice_docx, "word/footer3.xml").count("PAGE") == 0


def test_blank_page_exactly_when_the_plan_ends_on_an_even_page(notice_docx: Path) -> None:
    doc = reader.read(notice_docx)
    estimate = page_estimate.estimate(doc)
    notice_and_plan = estimate.section_pages[0][1]
    assert notice_and_plan == 6  # 1 notice page + 5 plan pages, as LibreOffice renders it (test_preview)
    # even: a blank page (a section holding one empty paragraph), then the colophon on page 8
    assert len(doc.sections) == 3
    blank = [p for p in doc.paragraphs if p.section == 1]
    assert len(blank) == 1 and blank[0].text == ""
    assert estimate.pages == 8 and estimate.pages % 2 == 0


def test_colophon_lines_rules_and_bottom_position(notice_docx: Path) -> None:
    doc = reader.read(notice_docx)
    table = doc.tables[-1]
    rows = [[text_of(tc) for tc in tr.findall(f"{W}tc")] for tr in table.findall(f"{W}tr")]
    assert rows == [["抄送：城关镇党委，城关镇人民政府，城关镇爱卫办。"], ["东街社区党政办公室2024年3月26日印发"]]
    borders = table.find(f"{W}tblPr/{W}tblBorders")
    assert borders.find(f"{W}top").get(f"{W}sz") == "8"  # 1 pt ≈ 0.35 mm
    assert borders.find(f"{W}insideH").get(f"{W}sz") == "6"  # 0.75 pt ≈ 0.25 mm
    assert borders.find(f"{W}bottom").get(f"{W}sz") == "8"
    assert table.find(f"{W}tblPr/{W}tblW").get(f"{W}w") == str(L.TYPE_W)
    colophon = [p for p in doc.paragraphs if p.table == len(doc.tables)]
    for para in colophon:
        run = next(r for r in para.runs if r.text.strip())
        assert run.get("sz") == "28" and run.get("rFonts.eastAsia") == "仿宋_GB2312"  # 四号 仿宋
    copy_to, printed = colophon
    assert copy_to.get("ind.left") == str(N.COLOPHON_CHAR * 4) and copy_to.get("ind.hanging") == str(N.COLOPHON_CHAR * 3)
    assert printed.get("ind.left") == printed.get("ind.right") == str(N.COLOPHON_CHAR)  # 1 character each side
    tab = printed.element.find(f"{W}pPr/{W}tabs/{W}tab")
    assert tab.get(f"{W}val") == "right" and tab.get(f"{W}pos") == str(L.TYPE_W - N.COLOPHON_CHAR)
    # spacer + rows + the 1-pt last paragraph fill the type area to within 10 twips: the last rule
    # sits on its bottom edge
    section = [p for p in doc.paragraphs if p.section == len(doc.sections) - 1 and p.table is None]
    spacer, tail = section[0], section[-1]
    heights = [int(tr.find(f"{W}trPr/{W}trHeight").get(f"{W}val")) for tr in table.findall(f"{W}tr")]
    total = int(spacer.get("spacing.line")) + sum(heights) + int(tail.get("spacing.line"))
    assert L.TYPE_H - 20 <= total <= L.TYPE_H


def test_generated_notice_passes_check(notice_docx: Path) -> None:
    assert check(notice_docx) == []


def variant(**changes) -> dict:
    data = sample()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def render(data: dict) -> tuple[bytes, int]:
    plan = api.plan_from_mapping(data, source="test.yaml")
    doc, docx = api.render_docx(plan, notice=True)
    _, estimated = N.document_xml(doc, issuing.notice_for(plan.data, doc), plan.fonts)
    return docx, estimated


def test_no_blank_page_when_the_plan_ends_on_an_odd_page() -> None:
    data, estimated = render(variant(tasks=[{"kind": "publicity"}, {"kind": "health"}]))
    assert estimated == 5
    doc = reader.read(data)
    assert len(doc.sections) == 2  # notice + plan, then straight to the colophon
    assert page_estimate.estimate(doc).pages == 6
    assert check(data) == []


def test_without_copy_to_the_colophon_has_only_the_printing_line() -> None:
    issuer = {k: v for k, v in sample()["issuer"].items() if k != "copy_to"}
    data, _ = render(variant(issuer=issuer))
    doc = reader.read(data)
    rows = doc.tables[-1].findall(f"{W}tr")
    assert len(rows) == 1 and "抄送" not in text_of(doc.tables[-1])
    assert doc.tables[-1].find(f"{W}tblPr/{W}tblBorders/{W}top").get(f"{W}sz") == "8"
    assert check(data) == []


def test_long_copy_to_list_wraps_in_a_taller_row() -> None:
    issuer = dict(sample()["issuer"], copy_to=[f"城关镇第{n}网格党支部委员会" for n in range(1, 9)])
    data, _ = render(variant(issuer=issuer))
    doc = reader.read(data)
    first = doc.tables[-1].find(f"{W}tr/{W}trPr/{W}trHeight")
    assert int(first.get(f"{W}val")) >= 3 * L.LINE_PITCH
    assert check(data) == []


def test_mark_is_narrowed_then_shrunk_to_fit_one_line() -> None:
    assert N.mark_fit("东街社区文件") == (N.MARK_SIZE, 100)
    size, scale = N.mark_fit("中共城关镇东街社区委员会东街社区文件")  # 17 characters of 初号: 714 pt
    assert size == N.MARK_SIZE and N.MARK_MIN_SCALE <= scale < 100
    assert 17 * size * 10 * scale / 100 <= L.TYPE_W
    size, scale = N.mark_fit("很" * 40)
    assert scale == N.MARK_MIN_SCALE and size < N.MARK_SIZE and 40 * size * 10 * scale / 100 <= L.TYPE_W


@pytest.mark.parametrize(
    ("remove", "field"),
    [("number", "issuer.number"), ("printer", "issuer.printer"), ("printed", "issuer.printed"), ("addressees", "issuer.addressees")],
)
def test_a_missing_issuer_field_is_an_error_naming_it(remove: str, field: str) -> None:
    issuer = {k: v for k, v in sample()["issuer"].items() if k != remove}
    with pytest.raises(InputError) as err:
        render(variant(issuer=issuer))
    assert err.value.lines() == [f"test.yaml: {field}: is required for a notice (--notice): " + dict(issuing.REQUIRED)[remove]]


def test_cli_missing_issuer_field_is_one_line_exit_2_and_no_file(tmp_path: Path) -> None:
    data = sample()
    del data["issuer"]["number"]
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "plangen", "generate", str(source), "--notice", "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"plangen: error: {source}: issuer.number: is required for a notice")
    assert not out.exists() or not any(out.iterdir())


def test_no_issuer_block_names_the_block() -> None:
    data = variant(issuer=None)
    with pytest.raises(InputError) as err:
        render(data)
    assert str(err.value).startswith("test.yaml: issuer: is required for a notice")


def test_printing_date_before_signing_date_is_refused() -> None:
    issuer = dict(sample()["issuer"], printed="2024-03-20")
    with pytest.raises(InputError, match=r"issuer\.printed: 2024年3月20日 is before the date the notice is signed \(2024年3月25日\)"):
        render(variant(issuer=issuer))


def test_chinese_keys_work_for_the_issuer() -> None:
    issuer = {"发文机关": "东街社区居民委员会", "发文字号": "东社【2024】05号", "主送": ["各网格"], "印发机关": "东街社区党政办公室", "印发日期": "2024年3月26日"}
    data, _ = render(variant(issuer=None, 发文=issuer))
    paras = [p.text for p in reader.read(data).body_paragraphs()]
    assert "东社〔2024〕5号" in paras  # brackets and zero padding normalised
    assert paras[0] == "东街社区居民委员会文件"  # the default mark
    assert "各网格：" in paras


def test_plain_plan_is_unchanged_by_the_notice_code(tmp_path: Path) -> None:
    plain = api.generate(ROOT / "samples" / "hygiene-month.yaml", tmp_path / "plain.docx")
    paras = R.paragraphs(plain)
    assert paras[0].style == "Title" and ppr_child(paras[0].element, "pageBreakBefore") is None
    assert len(reader.read(plain).sections) == 1


def test_an_issued_document_without_colophon_gets_the_header_and_the_plans_one_section(tmp_path: Path) -> None:
    """plangen fix's layout of a recognised 红头文件 whose 版记 was not found: header, body, nothing after."""
    from plangen.document import Document, Paragraph, Run, Title
    from plangen.gbt9704.fonts import font_profile

    doc = Document([Title("关于开展春季农机安全检查的通知"), Paragraph([Run("各乡镇农业服务中心：")], kind="flush")], title="通知")
    out = tmp_path / "issued.docx"
    out.write_bytes(N.write_issued_docx(doc, font_profile(None), mark="青山县农业农村局文件", number="青农发〔2024〕3号", colophon=None))
    paras = R.paragraphs(out)
    assert [p.text for p in paras if p.text] == ["青山县农业农村局文件", "青农发〔2024〕3号", "关于开展春季农机安全检查的通知", "各乡镇农业服务中心："]
    assert f'<w:color w:val="{N.RED}"/>' in R.part(out, "word/document.xml")
    read = reader.read(out)
    assert len(read.sections) == 1 and not read.tables  # no colophon, no section of its own for one
