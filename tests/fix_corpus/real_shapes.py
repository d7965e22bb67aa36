"""The real documents of tests/fix_corpus/real put into the shapes clerks produce.

Each text file holds one paragraph a line. The shapes:

- ``web.txt``: a web page pasted into Notepad, an empty line between paragraphs, UTF-8;
- ``notepad.txt``: Windows Notepad in GB18030 with CRLF and two full-width spaces before each paragraph;
- ``pdf.txt``: text copied from a PDF: every paragraph cut into lines of a fixed width (a line may then
  start with 、 or ，), no empty lines;
- ``chat.md``: Markdown as pasted from a chat: ``#`` title, ``##``/``###`` headings (numbers dropped
  on some), an HTML comment, ``**bold**``;
- ``web.docx``: a web page pasted into Word: centred bold title, a paragraph per line, indents typed
  with full-width spaces, empty paragraphs, right-aligned signature and date;
- ``office.docx``: a reviewed Word file: level-1 headings numbered by Word's automatic list numbering,
  a header and a footer, a footnote, a comment, a text box and an inline image (a seal).
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from pathlib import Path

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent / "real"
TEXTS = sorted(HERE.glob("*.txt"))
EXPECTED: dict[str, dict[str, object]] = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
SHAPES = ("web.txt", "notepad.txt", "pdf.txt", "chat.md", "web.docx", "office.docx")
_DATE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年.{1,3}月.{1,3}日$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)[^。：，]{1,30}$")
WRAP = 36  # characters a line of copied PDF text holds


def lines(path: Path) -> list[str]:
    return [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cases() -> list[tuple[str, str]]:
    """(document stem, shape): every document in two shapes, every shape used five times or more."""
    out = []
    for i, path in enumerate(TEXTS):
        out.append((path.stem, SHAPES[i % len(SHAPES)]))
        out.append((path.stem, SHAPES[(i + 3) % len(SHAPES)]))
    return out


def build(stem: str, shape: str) -> tuple[str, bytes]:
    """(file name, bytes) of document ``stem`` in ``shape``."""
    text = lines(HERE / f"{stem}.txt")
    name = f"{stem}.{shape}"
    if shape == "web.txt":
        return name, "\n\n".join(text).encode("utf-8") + b"\n"
    if shape == "notepad.txt":
        body = [line if _structural(stem, line) else "\u3000\u3000" + line.strip(" ") for line in text]
        return name, "\r\n".join(body).encode("gb18030") + b"\r\n"
    if shape == "pdf.txt":
        out: list[str] = []
        for line in text:
            line = line.strip()
            out.extend(line[i:i + WRAP] for i in range(0, len(line), WRAP))
        return name, "\n".join(out).encode("utf-8") + b"\n"
    if shape == "chat.md":
        return name, _markdown(stem, text).encode("utf-8")
    if shape == "web.docx":
        return name, _web_docx(stem, text)
    return name, _office_docx(stem, text)


def _structural(stem: str, line: str) -> bool:
    expected = EXPECTED[stem]
    titles = list(expected["title"]) + list(expected["parts"])  # type: ignore[call-overload]
    return line in titles or line == expected["docno"] or line == expected["header"] or bool(_DATE.match(line.strip()))


def _markdown(stem: str, text: list[str]) -> str:
    expected = EXPECTED[stem]
    out: list[str] = []
    title = list(expected["title"])  # type: ignore[call-overload]
    for line in text:
        if title and line == title[0]:
            out.append("# " + line)
            if len(title) == 1:
                out.append("<!-- 初稿，请办公室核对 -->")
        elif line in title[1:]:
            out.append("# " + line)
            out.append("<!-- 初稿，请办公室核对 -->")
        elif line in expected["parts"]:  # type: ignore[operator]
            out.append("# " + line)
        elif _HEADING.match(line):
            level = "##" if line.startswith(tuple("一二三四五六七八九十")) else "###"
            out.append(f"{level} {line}")
        else:
            out.append(line)
        out.append("")
    return "\n".join(out)


def _web_docx(stem: str, text: list[str]) -> bytes:
    expected = EXPECTED[stem]
    doc = new_docx()
    for line in text:
        p = doc.add_paragraph()
        if _structural(stem, line) and not _DATE.match(line.strip()):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(line.strip())
            run.bold = line != expected["docno"]
            run.font.size = Pt(16)
        elif _DATE.match(line.strip()) or any(line == s for s, _d in expected["signatures"]):  # type: ignore[attr-defined]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.add_run(line.strip())
        else:
            p.add_run(line if line.startswith("\u3000") else "\u3000\u3000" + line.strip())
        doc.add_paragraph()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def seal_png() -> bytes:
    """A 24×24 red square PNG (a seal's stand-in)."""
    raw = b"".join(b"\x00" + b"\xcc\x00\x00" * 24 for _ in range(24))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 24, 24, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _office_docx(stem: str, text: list[str]) -> bytes:
    """Level-1 headings by automatic numbering, header, footer, footnote, comment, text box, image."""
    expected = EXPECTED[stem]
    doc = new_docx()
    doc.sections[0].header.paragraphs[0].text = "内部资料　注意保存"
    doc.sections[0].footer.paragraphs[0].text = "第 1 页"
    body_paragraphs = []
    for line in text:
        m = re.match(r"^[一二三四五六七八九十]{1,3}、(?=[^。：，]{1,30}$)", line)
        if m:
            doc.add_paragraph(line[m.end():], style="List Number")
            continue
        p = doc.add_paragraph(line.strip() if not line.startswith("\u3000") else line)
        if line in list(expected["title"]) + list(expected["parts"]):  # type: ignore[call-overload]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif _DATE.match(line.strip()):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif len(line) > 30:
            body_paragraphs.append(p)
    if body_paragraphs:
        target = body_paragraphs[0]
        doc.add_comment(target.runs, text="此处表述请再斟酌", author="审核人", initials="审")
        _footnote(doc, target, "据原件整理。")
        run = body_paragraphs[-1].add_run()
        run.add_picture(io.BytesIO(seal_png()))
        box = parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:120pt;height:40pt"><v:textbox>'
            '<w:txbxContent><w:p><w:r><w:t>联系人：周明远，电话：12345678</w:t></w:r></w:p></w:txbxContent>'
            "</v:textbox></v:shape></w:pict></w:r>")
        body_paragraphs[-1]._p.append(box)
    _chinese_list_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return _with_footnotes(out.getvalue())


def _chinese_list_numbers(doc: object) -> None:
    """Word's 一、二、三、 list: the List Number style's first level counted in Chinese."""
    numbering = doc.part.numbering_part.element  # type: ignore[attr-defined]
    style = doc.styles["List Number"]  # type: ignore[attr-defined]
    num_id = style.element.pPr.numPr.numId.val
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    level = next(lvl for lvl in abstract.findall(qn("w:lvl")) if lvl.get(qn("w:ilvl")) == "0")
    level.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    level.find(qn("w:lvlText")).set(qn("w:val"), "%1、")


_FOOTNOTES: dict[int, str] = {}


def _footnote(doc: object, paragraph: object, text: str) -> None:
    """A footnote reference at the end of ``paragraph``; the footnotes part is added on saving."""
    ref = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')
    paragraph._p.append(ref)  # type: ignore[attr-defined]
    _FOOTNOTES[1] = text


def _with_footnotes(data: bytes) -> bytes:
    """Add word/footnotes.xml (separator, continuation and the notes) with its relationship and type."""
    import zipfile

    if not _FOOTNOTES:
        return data
    notes = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>{t}</w:t></w:r></w:p></w:footnote>' for i, t in _FOOTNOTES.items())
    _FOOTNOTES.clear()
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {nsdecls("w")}>'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f"{notes}</w:footnotes>")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                          b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/'
                                          b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            zf.writestr(item, content)
        zf.writestr("word/footnotes.xml", part)
    return out.getvalue()


def long_table_docx(rows: int = 56) -> bytes:
    """A task table of ``rows`` rows as offices type it: the responsible unit merged down over the
    rows it covers (vertically merged cells), one column holding most of the text."""
    doc = new_docx()
    doc.add_paragraph("重点任务分工表").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=rows + 1, cols=4)
    for c, text in enumerate(("序号", "牵头单位", "重点任务", "完成时限")):
        table.cell(0, c).text = text
    units = ("县发展和改革局", "县财政局", "县自然资源局", "县住房和城乡建设局")
    for r in range(1, rows + 1):
        table.cell(r, 0).text = str(r)
        table.cell(r, 2).text = ("统筹推进重点项目建设，建立项目台账，按月调度进展情况，及时协调解决项目推进中遇到的用地、资金、审批等问题"
                                 + "，确保项目按期开工建设" * (r % 3))
        table.cell(r, 3).text = "2024年12月底前" if r % 2 else "长期坚持"
    for start in range(1, rows + 1, 4):
        end = min(start + 3, rows)
        merged = table.cell(start, 1).merge(table.cell(end, 1))
        merged.text = units[(start // 4) % len(units)]
    doc.add_paragraph("各单位要按照分工抓好落实。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
