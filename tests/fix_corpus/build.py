"""The corpus of ``plangen fix``: documents as they arrive at an office, built here from the five
seed parts (seed_N.txt, the user's example documents as test input) and from invented text.

Each builder returns (file name, bytes). The messy Word files are typed the way a clerk types:
python-docx's default template, fonts mixed run by run, numbers typed by hand (one skipped), spaces
and full-width spaces for indentation, 1.5 line spacing, half-width punctuation, 2024年04月01日 and
[2024] document numbers, empty paragraphs between, a sentence broken by a soft line break.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
SEEDS = sorted(HERE.glob("seed_*.txt"))
_MD = re.compile(r"^\s{0,3}#{1,6}\s+")


def seed_lines(path: Path) -> list[str]:
    """The seed part's paragraphs as a clerk would type them (Markdown marks and escapes off)."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            lines.append(re.sub(r"\\([_*\\])", r"\1", _MD.sub("", raw)).strip())
    return lines


def _font(run, east: str, ascii_font: str = "Calibri") -> None:
    run.font.name = ascii_font
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east)


def _skip_one_number(lines: list[str]) -> list[str]:
    """The second level-1 number typed wrong (二、 → 三、, or 2、 → 3、): the sequence skips."""
    out, done = [], False
    for line in lines:
        if not done and re.match(r"^(二、|2、)", line):
            line = ("三、" if line.startswith("二") else "3、") + line[2:]
            done = True
        out.append(line)
    return out


def messy_docx(lines: list[str], *, docno: str | None = "社建发[2024]7号", signer: str | None = "东湖街道办事处",
               date: str = "2024年04月01日", addressee: str | None = "各社区居委会:") -> bytes:
    doc = new_docx()
    fonts = ["宋体", "微软雅黑", "仿宋", "楷体"]
    if docno:
        doc.add_paragraph(docno).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(lines[0])
    run.bold = True
    run.font.size = Pt(18)
    _font(run, "宋体")
    doc.add_paragraph("")
    if addressee:
        doc.add_paragraph(addressee)
    for i, line in enumerate(_skip_one_number(lines[1:])):
        line = line.replace("，", ",", 1).replace("：", ":", 1) if i % 3 == 0 else line
        p = doc.add_paragraph()
        p.paragraph_format.line_spacing = 1.5
        indent = "    " if i % 2 else "\u3000\u3000"
        half = len(line) // 2
        if i == 2 and len(line) > 40 and not line[half - 1].isspace():
            a = p.add_run(indent + line[:half])  # a soft break in mid-sentence (pasted from a PDF)
            a.add_break()
            b = p.add_run(line[half:])
            _font(a, fonts[i % 4])
            _font(b, fonts[(i + 1) % 4])
        else:
            a = p.add_run(indent + line[:half])
            b = p.add_run(line[half:])
            _font(a, fonts[i % 4])
            _font(b, fonts[(i + 1) % 4], "Times New Roman")
        if i % 7 == 3:
            doc.add_paragraph("")
    if signer:
        doc.add_paragraph("")
        doc.add_paragraph(signer).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.add_paragraph(date).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def default_docx() -> bytes:
    """python-docx's default document: Title and Heading styles, no numbers typed, a bold phrase."""
    doc = new_docx()
    doc.add_heading("青石社区垃圾分类宣传周活动方案", 0)
    doc.add_paragraph("为推动垃圾分类进家庭，结合社区实际，制定本方案。")
    doc.add_heading("活动时间", 1)
    doc.add_paragraph("2024年6月3日至6月9日。")
    doc.add_heading("活动内容", 1)
    doc.add_heading("入户宣传", 2)
    p = doc.add_paragraph("网格员逐户发放分类指南，")
    p.add_run("重点讲解厨余垃圾的投放").bold = True
    p.add_run("，并")
    p.add_run("登记居民意见").underline = True
    p.add_run("。")
    doc.add_heading("集中展示", 2)
    doc.add_paragraph("在社区广场设置展板，展示分类成效。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def table_docx() -> bytes:
    """A notice with a table, an attachment note with two attachments, signature and date."""
    doc = new_docx()
    doc.add_paragraph("关于做好汛期安全检查工作的通知").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("各村（社区）:")
    doc.add_paragraph("  为确保安全度汛,现将有关事项通知如下。")
    doc.add_paragraph("一、检查范围")
    doc.add_paragraph("辖区内的河道、塘坝和低洼易涝点。")
    doc.add_paragraph("二、任务分工")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "责任单位", "检查内容"], ["1", "柳岸村", "塘坝 (2座)"], ["2", "河湾社区", "低洼点,排水沟"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("三、工作要求")
    doc.add_paragraph("各单位于2024年06月10日前报送检查情况。")
    doc.add_paragraph("附件:1.汛期安全检查表")
    doc.add_paragraph("2.责任人名单")
    doc.add_paragraph("")
    doc.add_paragraph("桃源镇人民政府").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("2024年05月20日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


CLEAN_TEXT = """关于开展夏季消防安全宣传活动的通知

各居民小组：

为增强居民消防安全意识，社区决定开展夏季消防安全宣传活动。

一、活动时间

2024年7月1日至7月31日。

二、活动安排

（一）集中宣传

在社区服务中心门前设置咨询台，发放宣传资料。

（二）入户检查

网格员入户查看燃气和电动车充电情况。

翠湖社区居民委员会
2024年6月20日
"""

WRAPPED_TEXT = """关于加强冬季供暖保障工作的通知

一、总体要求

各单位要提高认识，把供暖保障作为冬季民生工作的重点，
摸清辖区内供暖薄弱环节，建立问题台账，逐项明确责任人
和完成时限，确保居民温暖过冬。

二、工作措施

物业服务企业要在供暖前完成管网检修，发现问题及时处
理，并向社区报告。
"""


# an issued document (红头文件) as pasted text: mark, [2024] number, two-line title, colophon
ISSUED_TEXT = ("青山县人民政府办公室文件\n青政办发[2024]12号\n关于做好2024年春季\n植树造林工作的通知\n各乡镇人民政府,县直各单位:\n"
               "为做好今年春季植树造林工作,现就有关事项通知如下:\n一、明确任务\n各乡镇要落实地块。\n二、加强管护\n栽植后及时浇水。\n"
               "青山县人民政府办公室\n2024年03月05日\n抄送:县委办公室。\n青山县人民政府办公室  2024年3月5日印发\n")
