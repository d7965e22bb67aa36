"""The issuing notice (关于印发《…》的通知): header block, notice, the plan, and the colophon.

Layout per GB/T 9704-2012 (see shared/spec/gbt9704.md):

- page 1: the issuing-body mark in red 小标宋 35 mm below the top of the type area; two blank lines;
  the document number, centred, with the red separator 4 mm below it (a bottom border as wide as
  the type area); two blank lines; the title; one blank line; the addressees flush left ending with
  a full-width colon; the one-sentence notice; the unsealed signature and date;
- the plan on a new page under its own title, page numbers continuing (one section);
- the colophon on the last, even page, in a section whose footers are empty, so neither it nor a
  blank page put before it carries a page number. Whether the blank page is needed is worked out
  by estimating the pages on the 22-line grid (:mod:`plangen.gbt9704.page_estimate`); the colophon section
  also starts "on the next even page", so Word still puts it on an even page if the estimate is off.

The colophon is a table with rules 0.35 / 0.25 / 0.35 mm on top, between rows and at the bottom;
a spacer paragraph of exact height above it puts the last rule on the bottom edge of the type area
(LibreOffice ignores a section's bottom alignment; Word honours it, and gets the same place).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from plangen.document import Document, Paragraph, Run, Signature, Title
from plangen.gbt9704 import layout as L
from plangen.gbt9704.fonts import FontProfile
from plangen.text import display_width
from plangen.writer import parts as P
from plangen.writer.docx import body_xml, document_part, plan_package
from plangen.writer.order import element
from plangen.writer.package import Package

RED = "FF0000"
MARK_SIZE = 84  # half-points: 初号 42 pt, narrowed (not shrunk) when a long mark would not fit the line
MARK_MIN_SCALE = 50  # per cent; below this the size is reduced instead
MARK_TOP = L.mm(35)  # top of the mark below the top of the type area
SEPARATOR_SPACE = 5  # pt between the number's line and the red rule: the rule then lies 4 mm below the digits
SEPARATOR_SIZE = 8  # eighths of a point: 1 pt
COLOPHON_SIZE = 28  # half-points: 四号 14 pt
COLOPHON_CHAR = 280  # one 四号 character, for the 1-character indents
RULE_OUTER = 8  # eighths of a point: 1 pt ≈ 0.35 mm (first and last rule)
RULE_INNER = 6  # 0.75 pt ≈ 0.26 mm (middle rule)
TAIL = 20  # the document's last paragraph (Word needs one after a table): 1 pt high
EMPTY_FOOTER_ID = "rId90"
EMPTY_FOOTER_PART = "word/footer3.xml"

_NO_INDENT = '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'
_JC_LEFT = '<w:jc w:val="left"/>'
_TC_PR = element("tcPr", f'<w:tcW w:w="{L.TYPE_W}" w:type="dxa"/>', '<w:vAlign w:val="center"/>')


def _exact(height: int) -> str:
    """Exact line height in twips, no space before or after."""
    return f'<w:spacing w:before="0" w:after="0" w:line="{height}" w:lineRule="exact"/>'


def _row_height(height: int) -> str:
    return f'<w:trHeight w:val="{height}" w:hRule="exact"/>'


@dataclass(frozen=True)
class Colophon:
    """The 版记 at the foot of an issued document's last page, already worded."""

    copy_to: str | None
    """抄送：…。 (a whole line), or None."""
    printer: str
    printed: str
    """…印发 (the date and the word)."""


@dataclass(frozen=True)
class Notice:
    """Everything printed in the notice and the colophon, already worded."""

    mark: str
    number: str
    title: str
    title_breaks: tuple[int, ...]
    addressees: str
    sentence: str
    signer: str
    date: str
    copy_to: str | None
    printer: str
    printed: str

    @property
    def colophon(self) -> Colophon:
        return Colophon(self.copy_to, self.printer, self.printed)


def _run(text: str, rpr: str = "") -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    props = element("rPr", rpr) if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escaped}</w:t></w:r>'


def mark_fit(text: str) -> tuple[int, int]:
    """(size in half-points, width scale in %) for the mark: 初号, narrowed to fit one line, then shrunk."""
    natural = display_width(text) * MARK_SIZE * 10  # twips
    if natural <= L.TYPE_W:
        return MARK_SIZE, 100
    scale = math.floor(100 * L.TYPE_W / natural)
    if scale >= MARK_MIN_SCALE:
        return MARK_SIZE, scale
    return math.floor(L.TYPE_W * 100 / (MARK_MIN_SCALE * display_width(text) * 10)), MARK_MIN_SCALE


def header_xml(mark_text: str, number_text: str, fonts: FontProfile) -> str:
    """Mark, two blank lines, number with the red separator, two blank lines (the title follows)."""
    size, scale = mark_fit(mark_text)
    narrow = f'<w:w w:val="{scale}"/>' if scale != 100 else ""
    rpr = f'{P.rfonts(fonts.title, fonts.latin)}<w:color w:val="{RED}"/><w:spacing w:val="0"/>{narrow}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    mark_ppr = element(
        "pPr",
        '<w:snapToGrid w:val="0"/>',
        f'<w:spacing w:before="{MARK_TOP}" w:after="0" w:line="{size * 10}" w:lineRule="exact"/>',
        _NO_INDENT,
        '<w:jc w:val="center"/>',
    )
    mark = f"<w:p>{mark_ppr}{_run(mark_text, rpr)}</w:p>"
    blank = "<w:p/>"
    number_ppr = element(
        "pPr",
        f'<w:pBdr><w:bottom w:val="single" w:sz="{SEPARATOR_SIZE}" w:space="{SEPARATOR_SPACE}" w:color="{RED}"/></w:pBdr>',
        _NO_INDENT,
        '<w:jc w:val="center"/>',
    )
    number = f"<w:p>{number_ppr}{_run(number_text)}</w:p>"
    return mark + blank * 2 + number + blank * 2


def notice_blocks(notice: Notice) -> Document:
    """Title, addressees, the sentence and the signature, laid out by the plan writer's own rules."""
    return Document(
        [
            Title(notice.title, notice.title_breaks),
            Paragraph([Run(notice.addressees)], kind="flush"),
            Paragraph([Run(notice.sentence)]),
            Signature(notice.signer, notice.date),
        ],
        title=notice.title,
    )


def _without_signature(plan: Document) -> Document:
    """The issued plan carries no signature of its own: the notice is signed."""
    return Document([b for b in plan.blocks if not isinstance(b, Signature)], title=plan.title)


def _section(*, footers: str, start: str, extra: str = "", grid: bool = True) -> str:
    grid_xml = f'<w:docGrid w:type="lines" w:linePitch="{L.LINE_PITCH}"/>' if grid else ""
    return element(
        "sectPr",
        footers,
        f'<w:type w:val="{start}"/><w:pgSz w:w="{L.PAGE_W}" w:h="{L.PAGE_H}"/>',
        f'<w:pgMar w:top="{L.MARGIN_TOP}" w:right="{L.MARGIN_RIGHT}" w:bottom="{L.MARGIN_BOTTOM}" w:left="{L.MARGIN_LEFT}" '
        f'w:header="{L.HEADER_DISTANCE}" w:footer="{L.FOOTER_DISTANCE}" w:gutter="0"/>',
        extra,
        grid_xml,
    )


NO_FOOTERS = (
    f'<w:footerReference w:type="default" r:id="{EMPTY_FOOTER_ID}"/>'
    f'<w:footerReference w:type="even" r:id="{EMPTY_FOOTER_ID}"/>'
)
EMPTY_FOOTER = P.DECL + f'<w:ftr xmlns:w="{P.W_NS}" xmlns:r="{P.R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p></w:ftr>'


def _elements(xml: str) -> list[etree._Element]:
    """The elements of a run of WordprocessingML siblings (the writer builds its XML as strings)."""
    return list(etree.fromstring(f'<w:root xmlns:w="{P.W_NS}" xmlns:r="{P.R_NS}">{xml}</w:root>'))


def _document_tree(main: str) -> etree._Element:
    """``w:document`` holding ``main`` (header and body XML): the tree the notice is finished in."""
    return etree.fromstring(f'<w:document xmlns:w="{P.W_NS}" xmlns:r="{P.R_NS}"><w:body>{main}</w:body></w:document>')


def _close_section(body: etree._Element, sect_pr: str) -> None:
    """Put ``sect_pr`` into the last paragraph of ``body`` (a section ends with a paragraph)."""
    last = body[-1] if len(body) else None
    if last is None or last.tag != f"{{{P.W_NS}}}p":
        last = etree.SubElement(body, f"{{{P.W_NS}}}p")
        last.extend(_elements(element("pPr", '<w:snapToGrid w:val="0"/>', _exact(TAIL))))
    ppr = last.find(f"{{{P.W_NS}}}pPr")
    if ppr is None:
        ppr = etree.Element(f"{{{P.W_NS}}}pPr")
        last.insert(0, ppr)
    # w:sectPr is the last child of w:pPr the schema allows but for w:pPrChange, which plangen never writes
    ppr.extend(_elements(sect_pr))


def _colophon_rows(colophon: Colophon, fonts: FontProfile) -> list[tuple[str, int]]:
    """(row XML, lines) for 抄送 (wrapped lines align after the colon) and the 印发 line."""
    rpr = f'{P.rfonts(fonts.body, fonts.latin)}<w:color w:val="000000"/><w:spacing w:val="0"/><w:sz w:val="{COLOPHON_SIZE}"/><w:szCs w:val="{COLOPHON_SIZE}"/>'
    spacing = f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{L.LINE_PITCH}" w:lineRule="exact"/>'
    rows = []
    if colophon.copy_to:
        label = COLOPHON_CHAR * 3  # 抄送：
        room = L.TYPE_W - 2 * COLOPHON_CHAR - label - COLOPHON_CHAR  # one character of slack
        lines = max(1, math.ceil(display_width(colophon.copy_to[3:]) * COLOPHON_CHAR / room))
        ind = f'<w:ind w:left="{COLOPHON_CHAR + label}" w:right="{COLOPHON_CHAR}" w:hanging="{label}" w:firstLineChars="0"/>'
        rows.append((f'<w:p>{element("pPr", spacing, ind, _JC_LEFT)}{_run(colophon.copy_to, rpr)}</w:p>', lines))
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{L.TYPE_W - COLOPHON_CHAR}"/></w:tabs>'
    ind = f'<w:ind w:left="{COLOPHON_CHAR}" w:right="{COLOPHON_CHAR}" w:firstLine="0" w:firstLineChars="0"/>'
    printed = f'<w:r>{element("rPr", rpr)}<w:tab/></w:r>{_run(colophon.printed, rpr)}'
    rows.append((f'<w:p>{element("pPr", tab, spacing, ind, _JC_LEFT)}{_run(colophon.printer, rpr)}{printed}</w:p>', 1))
    return rows


def colophon_xml(colophon: Colophon, fonts: FontProfile) -> str:
    """Spacer, the ruled table, and the 1-pt last paragraph: the last rule ends on the type area's bottom edge."""
    rows = _colophon_rows(colophon, fonts)
    border: Callable[[str, int], str] = lambda side, size: f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
    borders = border("top", RULE_OUTER) + '<w:left w:val="nil"/>' + border("bottom", RULE_OUTER) + '<w:right w:val="nil"/>'
    borders += border("insideH", RULE_INNER) + '<w:insideV w:val="nil"/>'
    tbl_pr = element(
        "tblPr",
        f'<w:tblW w:w="{L.TYPE_W}" w:type="dxa"/><w:jc w:val="center"/>',
        element("tblBorders", borders),
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>',
    )
    table = [f'<w:tbl>{tbl_pr}<w:tblGrid><w:gridCol w:w="{L.TYPE_W}"/></w:tblGrid>']
    height = 0
    for xml, lines in rows:
        row_h = lines * L.LINE_PITCH
        height += row_h
        table.append(
            f'<w:tr>{element("trPr", "<w:cantSplit/>", _row_height(row_h))}'
            f'<w:tc>{_TC_PR}{xml}</w:tc></w:tr>'
        )
    table.append("</w:tbl>")
    spacer_h = L.TYPE_H - height - TAIL - 10  # 10 twips of slack so rounding never pushes it to a new page
    spacer_ppr = element("pPr", '<w:snapToGrid w:val="0"/>', _exact(spacer_h), _NO_INDENT)
    tail_ppr = element("pPr", '<w:snapToGrid w:val="0"/>', _exact(TAIL), _NO_INDENT, '<w:rPr><w:sz w:val="2"/></w:rPr>')
    spacer, tail = f"<w:p>{spacer_ppr}</w:p>", f"<w:p>{tail_ppr}</w:p>"
    return spacer + "".join(table) + tail


@lru_cache(maxsize=8)
def _styles(fonts: FontProfile) -> etree._Element:
    """The style part the plan writer writes for ``fonts``, as a tree (read, never changed)."""
    return etree.fromstring(P.styles_xml(fonts).encode("utf-8"))


def _estimate_pages(document: etree._Element, fonts: FontProfile) -> int:
    """Pages the body of ``document`` takes, laid out on the plan's grid (:mod:`plangen.gbt9704.page_estimate`)
    from the tree being built: the plan's section is put at the body's end for the estimate only."""
    from plangen.gbt9704 import page_estimate
    from plangen.ooxml import reader

    body = document[0]
    (section,) = _elements(P.SECTION)
    body.append(section)
    try:
        return page_estimate.estimate(reader.from_parts("notice", document, _styles(fonts))).pages
    finally:
        body.remove(section)


def document_xml(plan: Document, notice: Notice, fonts: FontProfile) -> tuple[str, int]:
    """The whole document.xml, and the number of pages notice and plan are estimated to take."""
    plan_xml = body_xml(_without_signature(plan), title_on_new_page=True)  # the plan starts a new page
    main = header_xml(notice.mark, notice.number, fonts) + body_xml(notice_blocks(notice)) + plan_xml
    return with_colophon(main, notice.colophon, fonts)


def with_colophon(main: str, colophon: Colophon, fonts: FontProfile) -> tuple[str, int]:
    """document.xml of ``main`` (header and body XML) with the colophon on the last even page after
    it, and the pages ``main`` is estimated to take."""
    document = _document_tree(main)
    body = document[0]
    pages = _estimate_pages(document, fonts)
    _close_section(body, P.SECTION)
    if pages % 2 == 0:  # the plan ends on an even page: a blank page, then the colophon
        body.extend(_elements(f"<w:p><w:pPr>{_section(footers=NO_FOOTERS, start='nextPage')}</w:pPr></w:p>"))
    body.extend(_elements(colophon_xml(colophon, fonts)))
    body.extend(_elements(_section(footers=NO_FOOTERS, start="evenPage", extra='<w:vAlign w:val="bottom"/>', grid=False)))
    return P.DECL + etree.tostring(document, encoding="unicode"), pages


def write_notice_docx(plan: Document, notice: Notice, fonts: FontProfile, *, subject: str = "") -> bytes:
    """The notice, the plan and the colophon as .docx bytes (the plan writer's package, its own body).
    The notice's wording comes checked (:mod:`plangen.issuing` words and checks it from the input)."""
    xml, _ = document_xml(plan, notice, fonts)
    return _package(plan, xml, fonts, subject=subject).zip()


def write_issued_docx(doc: Document, fonts: FontProfile, *, mark: str, number: str, colophon: Colophon | None) -> bytes:
    """``doc`` under the 版头 (``mark`` and ``number``) and, when given, the ``colophon`` on the last
    even page, laid out as a notice's: how ``plangen fix`` lays out an issued document it recognised."""
    main = header_xml(mark, number, fonts) + body_xml(doc)
    xml = with_colophon(main, colophon, fonts)[0] if colophon is not None else document_part(main)
    return _package(doc, xml, fonts).zip()


def _package(doc: Document, xml: str, fonts: FontProfile, *, subject: str = "") -> Package:
    """The plan writer's package of ``doc`` with ``xml`` as its document.xml, and the empty footer
    that the colophon's section (and a blank page before it) refer to."""
    pkg = plan_package(doc, fonts, subject=subject, document=xml)
    pkg.override(EMPTY_FOOTER_PART, P.FOOTER_TYPE)
    pkg.relate(P.MAIN, EMPTY_FOOTER_ID, P.FOOTER_REL, EMPTY_FOOTER_PART.removeprefix("word/"))
    pkg.put(EMPTY_FOOTER_PART, EMPTY_FOOTER)
    return pkg
