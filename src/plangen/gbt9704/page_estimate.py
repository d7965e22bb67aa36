"""Estimating where pages break, without a word processor.

The notice has to know whether the plan ends on an odd or an even page before it places the
colophon, and most users have no LibreOffice to ask. GB/T 9704 pages are regular (22 lines of 28
characters), so laying the paragraphs out line by line on that grid is close enough: lines are
wrapped as :mod:`plangen.gbt9704.metrics` wraps them (the rules the preview and the writer share), then lines
are stacked into pages honouring exact line heights, keep-with-next, page breaks and section breaks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from plangen.gbt9704.metrics import AUTOSPACE_EM, HANGING, NO_LINE_END, NO_LINE_START, break_lines, is_wide
from plangen.ooxml.reader import Docx, DocxParagraph, DocxRun, Section, attr, w

_CLOSING = NO_LINE_START
_OPENING = NO_LINE_END
DEFAULT_TAB = 420
# Ascent plus descent of the free CJK fonts (Noto Serif/Sans CJK), in em: what a line needs before spacing.
NATURAL_EM = 1.44


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Geometry:
    """The type area of a section, in twips, and its line grid."""

    width: int
    height: int
    pitch: int | None
    start: str = "nextPage"

    @classmethod
    def of(cls, section: Section | None) -> Geometry:
        el = section.element if section is not None else None
        pg = el.find(w("pgSz")) if el is not None else None
        mar = el.find(w("pgMar")) if el is not None else None
        grid = el.find(w("docGrid")) if el is not None else None
        page_w, page_h = _int(attr(pg, "w"), 11906), _int(attr(pg, "h"), 16838)
        if attr(pg, "orient") == "landscape" and page_w < page_h:
            page_w, page_h = page_h, page_w
        top, bottom = abs(_int(attr(mar, "top"), 1440)), abs(_int(attr(mar, "bottom"), 1440))
        left, right = _int(attr(mar, "left"), 1800), _int(attr(mar, "right"), 1800)
        pitch = _int(attr(grid, "linePitch")) if attr(grid, "type") in ("lines", "linesAndChars", "snapToChars") else None
        start = attr(el.find(w("type")) if el is not None else None, "val") or "nextPage"
        return cls(page_w - left - right - _int(attr(mar, "gutter")), page_h - top - bottom, pitch or None, start)


def _size(run: DocxRun) -> int:
    """Font size in twips (w:sz is in half-points; Word's default is 10 pt)."""
    return _int(run.get("sz"), 20) * 10


def _mark_size(para: DocxParagraph) -> int:
    value = para.mark.get("sz")
    return _int(value.value if value is not None else None, 20) * 10


_wide = is_wide


def wrap(para: DocxParagraph, width: int) -> int:
    """How many lines the paragraph's text takes in a column ``width`` twips wide."""
    size = _size(para.runs[0]) if para.runs else _mark_size(para)
    avail = width - _indent(para, "left", size) - _indent(para, "right", size)
    first_room = avail - _indent(para, "firstLine", size) + _indent(para, "hanging", size)
    looks = {(_int(r.get("sz"), 20), _int(r.get("spacing.val")), _int(r.get("w"), 100)) for r in para.runs if r.text}
    if len(looks) == 1 and "\t" not in para.text:  # one look: the shared line breaking of plangen.gbt9704.metrics
        half_points, spacing, scale = looks.pop()
        if scale == 100:
            return len(break_lines(para.text, first_room, avail, size=half_points, spacing=spacing, hang=para.table is None))
    lines, x, limit = 1, 0.0, first_room
    prev_wide: bool | None = None
    previous = 0.0  # advance of the last token placed on this line
    hang = para.table is None  # LibreOffice hangs punctuation in body text, not in table cells
    for text, advance, wide, is_tab in _tokens(para):
        if text == "\n":
            lines, x, limit, prev_wide, previous = lines + 1, 0.0, avail, None, 0.0
            continue
        if is_tab:
            x = min(limit, (x // DEFAULT_TAB + 1) * DEFAULT_TAB)
            prev_wide, previous = None, 0.0
            continue
        extra = size * AUTOSPACE_EM if prev_wide is not None and prev_wide != wide and not text.isspace() else 0.0
        closing = text[0] in _CLOSING
        if x + extra + advance <= limit + 1 or (hang and text[0] in HANGING and x + extra <= limit + 1):
            x += extra + advance  # fits, or a closing mark hangs past the margin
        elif closing and previous and x > previous:
            lines, limit, x = lines + 1, avail, previous + advance  # the mark may not start a line: one character goes down with it
        else:
            lines, limit, x = lines + 1, avail, advance
        prev_wide, previous = wide, advance
    return lines


def _tokens(para: DocxParagraph) -> list[tuple[str, float, bool, bool]]:
    """(text, advance in twips, wide?, tab?): Latin words stay whole, an opening mark sticks to what follows."""
    out: list[tuple[str, float, bool, bool]] = []
    for run in para.runs:
        size = _size(run)
        spacing = _int(run.get("spacing.val"))
        scale = _int(run.get("w"), 100) / 100
        for ch in run.text:
            if ch == "\n":
                out.append(("\n", 0.0, False, False))
                continue
            if ch == "\t":
                out.append(("\t", 0.0, False, True))
                continue
            wide = _wide(ch)
            adv = ((size if wide else size * 0.5) * scale) + spacing
            prev = out[-1] if out else None
            if prev and not wide and not prev[2] and not prev[3] and prev[0] != "\n" and ch.isalnum() and prev[0][-1:].isalnum():
                out[-1] = (prev[0] + ch, prev[1] + adv, False, False)
            elif prev and prev[0] and prev[0][-1] in _OPENING and not prev[3] and prev[0] != "\n":
                out[-1] = (prev[0] + ch, prev[1] + adv, wide, False)
            else:
                out.append((ch, adv, wide, False))
    return out


def _indent(para: DocxParagraph, side: str, size: int) -> int:
    chars = para.get(f"ind.{side}Chars")
    if chars is not None and _int(chars):
        return round(_int(chars) * size / 100)
    if side == "left":
        return _int(para.get("ind.left") or para.get("ind.start"))
    if side == "right":
        return _int(para.get("ind.right") or para.get("ind.end"))
    return _int(para.get(f"ind.{side}"))


def line_height(para: DocxParagraph, geometry: Geometry) -> int:
    """Twips one line of this paragraph takes.

    Exact heights are kept; with a line grid (``w:docGrid``) and snapping on, a line whose font is
    taller than one grid line takes two, as LibreOffice lays it out (a 22 pt title on the 28.95 pt
    grid of GB/T 9704 takes two grid lines unless the paragraph turns snapping off).
    """
    size = max([_size(r) for r in para.runs] or [_mark_size(para)])
    rule = para.get("spacing.lineRule") or "auto"
    line = _int(para.get("spacing.line"), 240)
    natural = size * NATURAL_EM
    if rule == "exact":
        height = float(line)
    elif rule == "atLeast":
        height = max(line, natural)
    else:
        height = natural * line / 240
    if geometry.pitch and para.get("snapToGrid") not in ("0", "false", "off"):
        grid_lines = max(math.ceil(natural / geometry.pitch - 0.02), math.ceil(height / geometry.pitch - 0.02) if rule != "exact" else 1)
        return max(grid_lines * geometry.pitch, line if rule == "exact" else 0)
    return math.ceil(height)


def _flag(para: DocxParagraph, key: str) -> bool:
    return para.get(key) not in (None, "0", "false", "off")


@dataclass
class Layout:
    """Estimated pages: how many, and the page (from 1) each body paragraph starts on."""

    pages: int
    page_of: dict[int, int] = field(default_factory=dict)
    section_pages: list[tuple[int, int]] = field(default_factory=list)
    """(first page, last page) of every section."""
    lines_on: dict[int, dict[int, int]] = field(default_factory=dict)
    """For each body paragraph (by number): how many of its lines fall on each page."""
    row_pages: set[int] = field(default_factory=set)
    """Pages that hold a table row."""


@dataclass
class _Block:
    heights: list[int]
    before: int
    after: int
    keep_next: bool
    break_before: bool
    widow: bool
    para: int | None
    page_break_after: bool = False
    row: bool = False
    header: int = 0
    """For a table row: the height of the table's repeated header rows, set again on each new page."""


def _paragraph_blocks(para: DocxParagraph, geometry: Geometry) -> list[_Block]:
    """A paragraph as one block, or several where it holds explicit page breaks."""
    h = line_height(para, geometry)
    before = _int(para.get("spacing.before"))
    if para.get("spacing.beforeLines"):
        before = _int(para.get("spacing.beforeLines")) * (geometry.pitch or 312) // 100
    after = _int(para.get("spacing.after"))
    if para.get("spacing.afterLines"):
        after = _int(para.get("spacing.afterLines")) * (geometry.pitch or 312) // 100
    pieces = _split_on_page_breaks(para)
    blocks = []
    for i, piece in enumerate(pieces):
        lines = wrap(piece, geometry.width) if piece.text.strip() or i == len(pieces) - 1 else 0
        blocks.append(
            _Block(
                [h] * lines,
                before if i == 0 else 0,
                after if i == len(pieces) - 1 else 0,
                _flag(para, "keepNext") and i == len(pieces) - 1,
                _flag(para, "pageBreakBefore") and i == 0,
                para.get("widowControl") not in ("0", "false", "off"),
                para.number,
                page_break_after=i < len(pieces) - 1,
            )
        )
    return blocks


def _split_on_page_breaks(para: DocxParagraph) -> list[DocxParagraph]:
    breaks = [i for i, r in enumerate(para.runs) if any(br.get(w("type")) == "page" for br in r.element.iter(w("br")))]
    if not breaks:
        return [para]
    out, start = [], 0
    for b in [*breaks, len(para.runs)]:
        out.append(DocxParagraph(para.number, para.element, para.props, para.runs[start:b], para.section, mark=para.mark))
        start = b + 1
    return out


def _table_blocks(table: etree._Element, cells: dict[tuple[int, int], list[DocxParagraph]], geometry: Geometry) -> list[_Block]:
    blocks = []
    for r, tr in enumerate(table.iter(w("tr")), 1):
        trpr = tr.find(w("trPr"))
        height_el = trpr.find(w("trHeight")) if trpr is not None else None
        tallest = 0
        for c, tc in enumerate(tr.findall(w("tc")), 1):
            width_el = tc.find(f"{w('tcPr')}/{w('tcW')}")
            cell_w = _int(attr(width_el, "w"), geometry.width) - 170
            cell_geom = Geometry(max(cell_w, 200), geometry.height, geometry.pitch)
            total = 0
            for para in cells.get((r, c), []):
                total += wrap(para, cell_geom.width) * line_height(para, cell_geom)
                total += _int(para.get("spacing.before")) + _int(para.get("spacing.after"))
            tallest = max(tallest, total)
        want = _int(attr(height_el, "val"))
        rule = attr(height_el, "hRule") or "atLeast"
        height = want if rule == "exact" and want else max(tallest, want)
        blocks.append(_Block([height if rule == "exact" and want else height + 15], 0, 0, False, False, False, None, row=True))
        if trpr is not None and trpr.find(w("tblHeader")) is not None and len(blocks) == r:
            blocks[-1].keep_next = True
    for b in blocks[header_count(blocks):]:
        b.header = sum(h.heights[0] for h in blocks[: header_count(blocks)])
    return blocks


def header_count(rows: list[_Block]) -> int:
    """Leading rows that repeat on every page (they are kept with the row that follows)."""
    return next((i for i, b in enumerate(rows) if not b.keep_next), len(rows))


def estimate(doc: Docx) -> Layout:
    """Lay the document out on its grid and count pages (sections start pages as Word starts them)."""
    geometries = [Geometry.of(s) for s in doc.sections] or [Geometry.of(None)]
    # group paragraphs into blocks in body order
    cells: dict[int, dict[tuple[int, int], list[DocxParagraph]]] = {}
    for para in doc.paragraphs:
        if para.table is not None and para.cell is not None:
            cells.setdefault(para.table, {}).setdefault(para.cell, []).append(para)
    sequence: list[tuple[int, list[_Block]]] = []
    seen_tables: set[int] = set()
    for para in doc.paragraphs:
        section = min(para.section, len(geometries) - 1)
        if para.table is not None:
            if para.table not in seen_tables:
                seen_tables.add(para.table)
                sequence.append((section, _table_blocks(doc.tables[para.table - 1], cells.get(para.table, {}), geometries[section])))
            continue
        sequence.append((section, _paragraph_blocks(para, geometries[section])))

    page, y = 1, 0
    layout = Layout(pages=1)
    current_section = 0
    section_first = 1
    flat: list[tuple[int, _Block]] = [(s, b) for s, blocks in sequence for b in blocks]
    for index, (section, block) in enumerate(flat):
        geom = geometries[section]
        if section != current_section:
            layout.section_pages.append((section_first, page))
            start = geom.start
            if start != "continuous":
                page, y = page + 1, 0
                if (start == "evenPage" and page % 2) or (start == "oddPage" and page % 2 == 0):
                    page += 1
            current_section, section_first = section, page
        if block.break_before and y > 0:
            page, y = page + 1, 0
        total = sum(block.heights)
        if block.keep_next and y > 0 and y + _kept_height(flat, index) > geom.height:
            page, y = page + 1, 0  # a heading goes down with what it is kept with
        if block.row and y > 0 and y + total > geom.height:
            page, y = page + 1, block.header
        y += block.before
        lines = list(block.heights)
        if block.widow and len(lines) >= 2 and y > 0:
            room = sum(1 for acc in _accumulate(lines, y) if acc <= geom.height)
            if room == 1:  # no single first line left at the foot of a page
                page, y = page + 1, 0
        for h in lines:
            if y + h > geom.height and y > 0:
                page, y = page + 1, 0
            if block.para is not None:
                layout.page_of.setdefault(block.para, page)
                on = layout.lines_on.setdefault(block.para, {})
                on[page] = on.get(page, 0) + 1
            elif block.row:
                layout.row_pages.add(page)
            y += h
        y += block.after
        if block.page_break_after:
            page, y = page + 1, 0
    layout.section_pages.append((section_first, page))
    layout.pages = page
    return layout


def _kept_height(flat: list[tuple[int, _Block]], index: int) -> int:
    """Height of a keep-with-next chain from ``index``: whole kept blocks, then the first line after."""
    total = 0
    for _, block in flat[index:]:
        if block.keep_next:
            total += block.before + sum(block.heights) + block.after
            continue
        return total + block.before + (block.heights[0] if block.heights else 0)
    return total


def _accumulate(heights: list[int], start: int) -> list[int]:
    out, acc = [], start
    for h in heights:
        acc += h
        out.append(acc)
    return out
