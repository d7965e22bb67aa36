"""Build the seed's 篇三 and 篇二 as a clerk would type them into Word: blanks filled with invented
facts, heading numbers typed by hand, 仿宋 body, a title, the roster and the signature.

``python tests/seed_docs.py DIR`` writes both; the tests call :func:`write_all`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent / "data" / "learn"
SEEDS = HERE / "seed"  # 篇二 and 篇三 of the user's example documents, as they came (blanks and all)

# 篇三, blanks filled: the county, the year, the edition, the theme
HYGIENE_FILL = {"20xx年4月": "2024年4月", "第34个": "第36个", "第xx个": "第36个", "今年主题为“xx”": "今年主题为“美丽中国 健康相伴”",
                "xx县": "、县", "新松阳报": "新青田报", "西屏街道、水南街道、望松街道": "鹤城街道、瓯南街道、温溪街道"}
HYGIENE_HEADINGS = {1: "一、活动主题", 3: "二、活动内容", 8: "三、时间安排", 11: "四、工作要求"}
# 篇二, blanks filled
VISIT_FILL = {r"\_\_届": "十九届", "《\\_\\_区": "《雨湖区", r"〔\_\_〕": "〔2024〕", r"1\_2件": "1至2件"}


def _seed(part: str) -> list[str]:
    body = (SEEDS / f"篇{part}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in body.splitlines() if line.strip()]


def _run_font(run: object, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.bold = bold  # type: ignore[attr-defined]


def _docx(title: str, lines: list[str], tail: list[str], path: Path) -> Path:
    doc = Document()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(p.add_run(title), "方正小标宋简体", 22)
    for line in lines:
        p = doc.add_paragraph()
        heading = re.match(r"^[一二三四五六七八九十]+、", line)
        _run_font(p.add_run(line), "黑体" if heading else "仿宋_GB2312", 16)
        if not heading:
            p.paragraph_format.first_line_indent = Pt(32)
    doc.add_paragraph()
    for line in tail:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run_font(p.add_run(line), "仿宋_GB2312", 16)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def hygiene(path: Path) -> Path:
    lines = []
    for i, line in enumerate(_seed("三")):
        for old, new in HYGIENE_FILL.items():
            line = line.replace(old, new)
        line = line.replace("(", "（").replace(")", "）")
        if i in HYGIENE_HEADINGS:
            lines.append(HYGIENE_HEADINGS[i])
        lines.append(line)
    lines[-1:] = [lines[-1], "联系人：严可心，联系电话：0578-6123457。"]
    return _docx("青田县2024年第36个爱国卫生月活动方案", lines, ["青田县爱国卫生运动委员会", "2024年3月25日"], path)


def visit(path: Path) -> Path:
    lines = []
    for line in _seed("二"):
        line = re.sub(r"^#+\s*", "", line)
        for old, new in VISIT_FILL.items():
            line = line.replace(old, new)
        line = line.replace("(", "（").replace(")", "）").replace(";", "；")
        if line.startswith("道工作"):
            lines[-1] += line
            continue
        lines.append(line)
    at = next(i for i, text in enumerate(lines) if text.startswith("1、加强组织领导")) + 1
    lines[at:at] = ["组长：方启航（镇党委书记）", "副组长：谭雪梅（镇长）、贺光远（镇党委副书记）", "成员：陶一帆、骆佳宁、喻清河、蒋书瑶"]
    return _docx("雨湖区姜畲镇“察民情、访民意、解民忧、促和谐”大走访活动实施方案", lines, ["姜畲镇人民政府", "2024年10月8日"], path)


def write_all(folder: Path) -> list[Path]:
    return [hygiene(folder / "青田县爱国卫生月活动方案.docx"), visit(folder / "姜畲镇大走访活动实施方案.docx")]


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else HERE)):
        print(written)
