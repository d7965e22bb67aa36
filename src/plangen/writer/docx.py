"""Lay the document model out as WordprocessingML and zip it into a .docx.

Formatting lives in the named styles (see parts.py); paragraphs name a style and runs stay bare,
which keeps the XML small and lets a clerk restyle the whole document in Word at once. The XML is
built as strings rather than through python-docx because a batch writes thousands of plans; the
tests read every generated file back with python-docx.
"""

from __future__ import annotations

from plangen.document import Block, Document, Heading, PageBreak, Paragraph, Roster, Run, Signature, Table, Title
from plangen.gbt9704.numbering import heading_numbers
from plangen.gbt9704.tables import column_widths
from plangen.gbt9704.metrics import KEPT_BODY_LINES, advance, kept_with_signature
from plangen.gbt9704 import layout as L
from plangen.writer import parts as P
from plangen.gbt9704.fonts import FontProfile, font_profile
from plangen.writer.order import element
from plangen.writer.package import package
from plangen.writer.title import title_lines


def _t(text: str) -> str:
    # str.replace is ~20× faster than translate on Chinese text, and nearly every run has nothing to escape
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:t xml:space="preserve">{text}</w:t>'


def _run(run: Run) -> str:
    if run.underline:
        bold = "<w:b/><w:bCs/>" if run.bold else ""
        return f'<w:r><w:rPr>{bold}<w:u w:val="single"/></w:rPr>{_t(run.text)}</w:r>'
    if run.bold:
        return f"<w:r><w:rPr><w:b/><w:bCs/></w:rPr>{_t(run.text)}</w:r>"
    return f"<w:r>{_t(run.text)}</w:r>"


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
    the right and pushes the signer left instead."""
    s, d = _width_twips(sig.signer), _width_twips(sig.date)
    two = 2 * L.CHAR
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

    def row(cells: list[str], header: bool) -> str:
        style = "TableHeader" if header else "TableText"
        trpr = element("trPr", "<w:cantSplit/>", "<w:tblHeader/>" if header else "")
        tcs = []
        for i in range(len(widths)):
            text = cells[i] if i < len(cells) else ""
            tcs.append(
                f"<w:tc>{tc_pr[i]}"
                f"{_p(style, f'<w:r>{_t(text)}</w:r>' if text else '')}</w:tc>"
            )
        return f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"

    if table.header:
        out.append(row(table.header, True))
    out.extend(row(r, False) for r in table.rows)
    out.append("</w:tbl>")
    return "".join(out)


def _ends_clause(text: str) -> bool:
    return text.endswith(("。", "：", "；", "！", "？", "…"))


def body_xml(doc: Document) -> str:
    """The <w:body> content: blocks in order, heading numbers added, levels 3–4 run into their paragraph."""
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
            style = "Flush" if block.kind == "flush" else "Normal"
            out.append(_p(style, "".join(_run(r) for r in block.runs), keep))
        elif isinstance(block, Heading):
            label = next(numbers) + block.text
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if block.level >= 3 and isinstance(following, Paragraph) and following.kind == "body":
                head = label if _ends_clause(label) else label + "。"
                runs = _run(Run(head, bold=block.level == 3)) + "".join(_run(r) for r in following.runs)
                out.append(_p(f"Heading{block.level}", runs, _KEEP_WITH_SIGNATURE if index + 1 in kept else keep))
                skip_next = True
            else:
                out.append(_p(f"Heading{block.level}", _run(Run(label, bold=block.level == 3)), keep))
        elif isinstance(block, Title):
            lines = title_lines(block.text, block.breaks)
            content = '<w:r><w:br/></w:r>'.join(f"<w:r>{_t(line)}</w:r>" for line in lines)
            out.append(_p("Title", content))
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
    return (
        P.DECL + f'<w:document xmlns:w="{P.W_NS}" xmlns:r="{P.R_NS}"><w:body>'
        f"{body_xml(doc)}{P.SECTION}</w:body></w:document>"
    )


def write_docx(doc: Document, fonts: FontProfile | None = None, *, subject: str = "") -> bytes:
    """The finished .docx as bytes (the caller writes them atomically)."""
    fonts = fonts or font_profile(None)
    parts = (
        ("[Content_Types].xml", P.CONTENT_TYPES),
        ("_rels/.rels", P.PACKAGE_RELS),
        ("word/document.xml", document_xml(doc)),
        ("word/_rels/document.xml.rels", P.DOCUMENT_RELS),
        ("word/styles.xml", P.styles_xml(fonts)),
        ("word/settings.xml", P.SETTINGS),
        ("word/fontTable.xml", P.font_table_xml(fonts)),
        ("word/footer1.xml", P.FOOTER_ODD),
        ("word/footer2.xml", P.FOOTER_EVEN),
        ("docProps/core.xml", P.core_xml(doc.title, subject)),
    )
    return package(parts)  # the bytes zipfile would write; parts shared by every plan are deflated once
