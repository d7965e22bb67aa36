"""Lay the document model out as WordprocessingML and zip it into a .docx.

Formatting lives in the named styles (see parts.py); paragraphs name a style and runs stay bare,
which keeps the XML small and lets a clerk restyle the whole document in Word at once. The XML is
built as strings rather than through python-docx because a batch writes thousands of plans; the
tests read every generated file back with python-docx.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import lru_cache

from plangen.document import (
    IMAGE_BASE,
    IMAGE_MARKS,
    MARKS,
    NOTE_BASE,
    NOTE_MARKS,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Roster,
    Run,
    Signature,
    Table,
    Title,
)
from plangen.gbt9704 import layout as L
from plangen.gbt9704.fonts import FontProfile, font_profile
from plangen.gbt9704.metrics import KEPT_BODY_LINES, advance, kept_with_signature
from plangen.gbt9704.numbering import heading_numbers, label_level
from plangen.gbt9704.tables import column_widths
from plangen.writer import parts as P
from plangen.writer.order import element
from plangen.writer.package import Package
from plangen.writer.title import title_lines


def _t(text: str) -> str:
    # str.replace is ~20× faster than translate on Chinese text, and nearly every run has nothing to escape
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:t xml:space="preserve">{text}</w:t>'


def _run(run: Run) -> str:
    if MARKS.search(run.text):  # footnote references and pictures kept by plangen fix
        out = []
        for piece in re.split("([\ue000-\uefff])", run.text):
            if piece and NOTE_MARKS.fullmatch(piece):
                out.append(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{ord(piece) - NOTE_BASE + 1}"/></w:r>')
            elif piece and IMAGE_MARKS.fullmatch(piece):
                out.append(_picture(ord(piece) - IMAGE_BASE))
            elif piece:
                out.append(_run(Run(piece, run.bold, run.underline)))
        return "".join(out)
    if run.underline:
        bold = "<w:b/><w:bCs/>" if run.bold else ""
        return f'<w:r><w:rPr>{bold}<w:u w:val="single"/></w:rPr>{_t(run.text)}</w:r>'
    if run.bold:
        return f"<w:r><w:rPr><w:b/><w:bCs/></w:rPr>{_t(run.text)}</w:r>"
    return f"<w:r>{_t(run.text)}</w:r>"


_EXTENTS: ContextVar[dict[int, tuple[int, int]]] = ContextVar("picture_extents")
"""Sizes (EMU) of the pictures of the document being laid out, by index: set by body_xml for the
duration of the call, per thread (the web app lays out several documents at once)."""
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_MAX_CX = L.TYPE_W * 635  # the type area's width in EMU


def _picture(i: int) -> str:
    """An inline picture (relationship rIdImage{i}), no wider than the type area."""
    cx, cy = _EXTENTS.get({}).get(i, (914400, 914400))
    if cx > _MAX_CX:
        cx, cy = _MAX_CX, cy * _MAX_CX // cx
    name = f"图片{i + 1}"
    return (f'<w:r><w:drawing><wp:inline xmlns:wp="{_WP}" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{1000 + i}" name="{name}"/><a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}">'
            f'<pic:pic xmlns:pic="{_PIC}"><pic:nvPicPr><pic:cNvPr id="{1000 + i}" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="rIdImage{i}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")


def _p(style: str, content: str, extra_ppr: str = "") -> str:
    """A paragraph naming ``style``; ``extra_ppr`` (direct properties, any order) goes into schema order."""
    style_xml = "" if style == "Normal" else f'<w:pStyle w:val="{style}"/>'
    if not extra_ppr:  # the common case, kept free of the ordering pass
        return f"<w:p><w:pPr>{style_xml}</w:pPr>{content}</w:p>" if style_xml else f"<w:p>{content}</w:p>"
    return f"<w:p>{element('pPr', style_xml, extra_ppr)}{content}</w:p>"


def _width_twips(text: str) -> int:
    return round(sum(advance(c) for c in text))


_KEEP_NEXT = "<w:keepNext/>"
# kept with the signature: never split so that fewer than two of its lines go with it (Normal turns widow control off)
_KEEP_WITH_SIGNATURE = '<w:keepNext/><w:widowControl w:val="1"/>'
def _signature(sig: Signature) -> str:
    """Unsealed signature (GB/T 9704 7.3.5.2): signer right-indented 2 characters, date's first
    character 2 characters right of the signer's; a date longer than that sits 2 characters from
    the right and pushes the signer left instead. A date without a signer (a 批复 signed by its
    seal alone) sits 4 characters from the right."""
    two = 2 * L.CHAR
    if not sig.signer:
        blank = _p("Normal", "", _KEEP_NEXT)
        return blank + _p("Date", f"<w:r>{_t(sig.date)}</w:r>", f'<w:ind w:left="0" w:right="{2 * two}" w:firstLine="0"/>')
    s, d = _width_twips(sig.signer), _width_twips(sig.date)
    if s - d >= two:
        sig_right, date_right = two, s - d
    else:
        sig_right, date_right = 2 * two + d - s, two
    blank = _p("Normal", "", _KEEP_NEXT)  # the blank line, signer and date go to a page together
    signer = _p("Signature", f"<w:r>{_t(sig.signer)}</w:r>", f'{_KEEP_NEXT}<w:ind w:left="0" w:right="{sig_right}" w:firstLine="0"/>')
    date = _p("Date", f"<w:r>{_t(sig.date)}</w:r>", f'<w:ind w:left="0" w:right="{date_right}" w:firstLine="0"/>')
    return blank + signer + date


def _column_widths(table: Table) -> list[int]:
    """Widths sized by the text each column holds (see :mod:`plangen.gbt9704.tables`)."""
    return column_widths(table.header, table.rows)


_BORDERS = element(
    "tblBorders",
    *(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
)


def _table(table: Table) -> str:
    widths = _column_widths(table)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tbl_pr = element(
        "tblPr",
        f'<w:tblW w:w="{L.TYPE_W}" w:type="dxa"/>',
        '<w:jc w:val="center"/>',
        _BORDERS,
        '<w:tblLayout w:type="fixed"/>',
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>',
    )
    out = [f"<w:tbl>{tbl_pr}<w:tblGrid>{grid}</w:tblGrid>"]

    tc_pr = [element("tcPr", f'<w:tcW w:w="{w}" w:type="dxa"/>', '<w:vAlign w:val="center"/>') for w in widths]
    starts, covered = _merges(table)

    def cell(r: int, c: int, text: str, style: str) -> tuple[str, int]:
        """One w:tc and the grid columns it spans."""
        span = starts.get((r, c)) or covered.get((r, c))
        body = _p(style, f'<w:r>{_t(text)}</w:r>' if text and (r, c) not in covered else "")
        if span is None:
            return f"<w:tc>{tc_pr[c]}{body}</w:tc>", 1
        rows_, cols = span
        width = sum(widths[c:c + cols])
        vmerge = ('<w:vMerge w:val="restart"/>' if (r, c) in starts else "<w:vMerge/>") if rows_ > 1 else ""
        props = element("tcPr", f'<w:tcW w:w="{width}" w:type="dxa"/>', f'<w:gridSpan w:val="{cols}"/>' if cols > 1 else "", vmerge,
                        '<w:vAlign w:val="center"/>')
        return f"<w:tc>{props}{body}</w:tc>", cols

    def row(cells: list[str], header: bool, r: int) -> str:
        style = "TableHeader" if header else "TableText"
        trpr = element("trPr", "<w:cantSplit/>", "<w:tblHeader/>" if header else "")
        tcs = []
        c = 0
        while c < len(widths):
            xml, span = cell(r, c, cells[c] if c < len(cells) else "", style)
            tcs.append(xml)
            c += span
        return f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"

    if table.header:
        out.append(row(table.header, True, 0))
    out.extend(row(cells, False, r) for r, cells in enumerate(table.rows, 1))
    out.append("</w:tbl>")
    return "".join(out)


_ATTACHMENT_LABEL = 3 * L.CHAR  # 附件：


def _paragraph(block: Paragraph, keep: str) -> str:
    """Body (first line indented), flush, centred, or an attachment-note item: 附件：1．名称 with the
    lines of a long name, and the items under it, lined up after 附件： (GB/T 9704 7.3.6)."""
    runs = "".join(_run(r) for r in block.runs)
    if IMAGE_MARKS.search(block.text):  # exact line spacing would cut the picture off
        keep += '<w:spacing w:line="240" w:lineRule="auto"/>'
    if block.kind == "flush":
        return _p("Flush", runs, keep)
    if block.kind == "centre":
        return _p("Flush", runs, keep + '<w:jc w:val="center"/>')
    if block.kind == "attachment":
        left = 2 * L.CHAR + _ATTACHMENT_LABEL
        if block.text.startswith("附件"):
            return _p("Flush", runs, keep + f'<w:ind w:left="{left}" w:hanging="{_ATTACHMENT_LABEL}"/>')
        return _p("Flush", runs, keep + f'<w:ind w:left="{left}" w:firstLine="0"/>')
    return _p("Normal", runs, keep)


def _merges(table: Table) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[tuple[int, int], tuple[int, int]]]:
    """Cells that start a merge and cells a merge from above covers, by (row, column) with the
    header as row 0: each → (rows, columns) of its merge. A cell covered from its left is neither."""
    starts: dict[tuple[int, int], tuple[int, int]] = {}
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for r, c, rows, cols in table.merged:
        starts[(r, c)] = (rows, cols)
        for below in range(r + 1, r + rows):
            covered[(below, c)] = (rows, cols)
    return starts, covered


def ends_clause(text: str) -> bool:
    """Whether a line already ends a clause (。：；！？…), so a label run into the text needs no 。 of its own."""
    return text.endswith(("。", "：", "；", "！", "？", "…"))


def body_xml(doc: Document, *, title_on_new_page: bool = False) -> str:
    """The <w:body> content: blocks in order, heading numbers added, levels 3–4 run into their paragraph.

    ``title_on_new_page``: the first title starts a new page (a break before it, so no empty line
    tops the page), as a plan issued under a notice does."""
    token = _EXTENTS.set({i: (image.cx, image.cy) for i, image in enumerate(doc.images)})
    try:
        return _body_xml(doc, title_on_new_page)
    finally:
        _EXTENTS.reset(token)


def _body_xml(doc: Document, title_on_new_page: bool) -> str:
    numbers = iter(heading_numbers(doc.blocks))
    out: list[str] = []
    blocks = doc.blocks
    kept = kept_with_signature(blocks)
    skip_next = False
    for index, block in enumerate(blocks):
        if skip_next:
            skip_next = False
            continue
        keep = _KEEP_WITH_SIGNATURE if index in kept else ""
        if isinstance(block, Paragraph):
            out.append(_paragraph(block, keep))
        elif isinstance(block, Heading):
            number = next(numbers)
            label = number + block.text
            level = label_level(number) if block.number is not None else block.level  # the author's 1. keeps level 3's look
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if block.run_in and level <= 2 and isinstance(following, Paragraph) and following.kind == "body":
                head = f'<w:r><w:rPr><w:rStyle w:val="Heading{level}Char"/></w:rPr>{_t(label)}</w:r>'
                out.append(_p("Normal", head + "".join(_run(r) for r in following.runs), _KEEP_WITH_SIGNATURE if index + 1 in kept else keep))
                skip_next = True
            elif level >= 3 and isinstance(following, Paragraph) and following.kind == "body":
                head = label if ends_clause(label) or block.run_in else label + "。"
                runs = _run(Run(head, bold=level == 3)) + "".join(_run(r) for r in following.runs)
                out.append(_p(f"Heading{level}", runs, _KEEP_WITH_SIGNATURE if index + 1 in kept else keep))
                skip_next = True
            else:
                out.append(_p(f"Heading{level}", _run(Run(label, bold=level == 3)), keep))
        elif isinstance(block, Title):
            lines = title_lines(block.text, block.breaks)
            content = '<w:r><w:br/></w:r>'.join(f"<w:r>{_t(line)}</w:r>" for line in lines)
            out.append(_p("Title", content, "<w:pageBreakBefore/>" if title_on_new_page else ""))
            title_on_new_page = False
            out.append(_p("Normal", ""))  # one blank line between title and body
        elif isinstance(block, Roster):
            for i, (label, names) in enumerate(block.lines):  # only its last lines go with the signature
                line_keep = keep if i >= len(block.lines) - KEPT_BODY_LINES else ""
                out.append(_p("Normal", f"<w:r>{_t(f'{label}：{names}')}</w:r>", line_keep))
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Signature):
            out.append(_signature(block))
        elif isinstance(block, PageBreak):
            out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    return "".join(out)


def document_xml(doc: Document) -> str:
    return document_part(body_xml(doc))


def document_part(body: str) -> str:
    """document.xml around ``body`` (the content of w:body), ending in the plan's one numbered section."""
    return P.DECL + f'<w:document xmlns:w="{P.W_NS}" xmlns:r="{P.R_NS}"><w:body>{body}{P.SECTION}</w:body></w:document>'


IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
               "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf"}


def footnotes_xml(notes: list[str]) -> str:
    """The footnotes part: Word's separator and continuation notes, then each note (ids from 1),
    its text 14 pt without indent."""
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:pPr><w:ind w:firstLine="0"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>{_t(text)}</w:r></w:p></w:footnote>'
        for i, text in enumerate(notes, 1)
    )
    return (P.DECL + f'<w:footnotes xmlns:w="{P.W_NS}" xmlns:r="{P.R_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f"{body}</w:footnotes>")


def plan_package(doc: Document, fonts: FontProfile | None = None, *, subject: str = "", document: str | None = None) -> Package:
    """The plan's package, not yet zipped: ``document`` (document.xml) replaces the plan's own body
    when given, as the notice writer and ``plangen fix`` do, so it is laid out only once."""
    pkg = _package_shape(fonts or font_profile(None), tuple(image.ext for image in doc.images), bool(doc.notes)).copy()
    pkg.put(P.MAIN, document if document is not None else document_xml(doc))
    if doc.notes:
        pkg.put(_FOOTNOTES, footnotes_xml(doc.notes))
    for i, image in enumerate(doc.images):
        pkg.put(_media(i, image.ext), image.data)
    pkg.put(P.CORE, P.core_xml(doc.title, subject))
    return pkg


_FOOTNOTES = "word/footnotes.xml"


def _media(i: int, ext: str) -> str:
    return f"word/media/image{i + 1}.{ext}"


@lru_cache(maxsize=32)
def _package_shape(fonts: FontProfile, images: tuple[str, ...], notes: bool) -> Package:
    """What a plan's package holds but its body, footnotes, pictures and core properties (left empty
    here): it depends only on the fonts, the pictures' extensions and whether there are footnotes,
    so it is built once and copied for each plan of a batch."""
    pkg = Package()
    pkg.default("rels", P.RELS_TYPE)
    pkg.default("xml", P.XML_TYPE)
    pkg.override(P.MAIN, P.DOCUMENT_TYPE)
    for name, content_type, _, _ in P.FIXED_PARTS:
        pkg.override(name, content_type)
    pkg.override(P.CORE, P.CORE_TYPE)
    for ext in sorted(set(images)):
        pkg.default(ext, IMAGE_TYPES.get(ext, "application/octet-stream"))
    if notes:
        pkg.override(_FOOTNOTES, P.FOOTNOTES_TYPE)

    pkg.relate("", "rId1", P.OFFICE_DOCUMENT_REL, P.MAIN)
    pkg.relate("", "rId2", P.CORE_REL, P.CORE)
    pkg.put(P.MAIN, "")
    for name, _, rel_id, rel_type in P.FIXED_PARTS:
        pkg.relate(P.MAIN, rel_id, rel_type, name.removeprefix("word/"))
    for i, ext in enumerate(images):
        pkg.relate(P.MAIN, f"rIdImage{i}", P.IMAGE_REL, _media(i, ext).removeprefix("word/"))
    if notes:
        pkg.relate(P.MAIN, "rIdNotes", P.FOOTNOTES_REL, _FOOTNOTES.removeprefix("word/"))
        pkg.put(_FOOTNOTES, "")
    for i, ext in enumerate(images):
        pkg.put(_media(i, ext), b"")
    for name, xml in P.fixed_parts(fonts):
        pkg.put(name, xml)
    pkg.put(P.CORE, "")
    return pkg


def write_docx(doc: Document, fonts: FontProfile | None = None, *, subject: str = "") -> bytes:
    """The finished .docx as bytes (the caller writes them atomically)."""
    return plan_package(doc, fonts, subject=subject).zip()  # parts shared by every plan are deflated once
