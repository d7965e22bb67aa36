"""The plan's pages as they will print, in HTML and CSS, from the document model (no LibreOffice).

Lines are broken here, on the GB/T 9704 grid (28 characters a line, 22 lines a page; a digit or a
Latin letter takes half a character), so the page breaks of the preview are computed, not left to
the browser: what a page holds is what the staff see, whatever fonts the office PC has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from plangen.document import Document, Heading, PageBreak, Paragraph, Roster, Run, Signature, Table, Title
from plangen.gbt9704 import layout as L
from plangen.gbt9704 import metrics
from plangen.gbt9704.numbering import heading_numbers
from plangen.gbt9704.tables import column_widths
from plangen.writer.title import title_lines

LINES = L.TYPE_H // L.LINE_PITCH  # 22
CHARS = L.CHARS_PER_LINE  # 28
TABLE_LINE_SHARE = L.TABLE_LINE / L.LINE_PITCH  # a table row line is 22 pt of the 28.95 pt grid
ROW_BORDER = 10 / L.LINE_PITCH  # half a point of rule under each row
CELL_MARGINS = 2 * 85  # tblCellMar left and right


def wrap(runs: list[Run], first_indent: float, rest_indent: float = 0, width: int = L.TYPE_W) -> list[list[Run]]:
    """Break runs into the lines the .docx prints (see :mod:`plangen.gbt9704.metrics`); indents in characters."""
    text = "".join(r.text for r in runs)
    broken = metrics.break_lines(text, width - first_indent * L.CHAR, width - rest_indent * L.CHAR)
    bold = [r.bold for r in runs for _ in r.text]
    lines: list[list[Run]] = []
    pos = 0
    for piece in broken:
        line: list[Run] = []
        for ch in piece:
            pos = text.index(ch, pos)
            if line and line[-1].bold == bold[pos]:
                line[-1] = Run(line[-1].text + ch, bold[pos])
            else:
                line.append(Run(ch, bold[pos]))
            pos += 1
        lines.append(line)
    return lines


@dataclass
class PageLine:
    """One line of a previewed page: its HTML, its kind (a CSS class) and its height."""

    html: Markup
    css: str = ""
    height: float = 1.0
    """In grid lines."""


@dataclass
class Page:
    lines: list[PageLine] = field(default_factory=list)
    used: float = 0.0


def _runs_html(runs: list[Run]) -> Markup:
    return Markup("").join(Markup("<b>{}</b>").format(r.text) if r.bold else escape(r.text) for r in runs)


def _text_lines(runs: list[Run], indent: float) -> list[PageLine]:
    return [PageLine(_runs_html(ln), "indent" if i == 0 and indent else "") for i, ln in enumerate(wrap(runs, indent))]


def _ends_clause(text: str) -> bool:
    return text.endswith(("。", "：", "；", "！", "？", "…"))


def _table_rows(block: Table) -> list[tuple[PageLine, metrics.Block]]:
    widths = column_widths(block.header, block.rows)
    out: list[tuple[PageLine, metrics.Block]] = []
    header_height = 0.0
    for r, row in enumerate([block.header, *block.rows] if block.header else block.rows):
        is_header = bool(block.header) and r == 0
        cells = Markup("").join(Markup("<th>{}</th>").format(c) if is_header else Markup("<td>{}</td>").format(c) for c in row)
        tall = max((len(metrics.break_lines(c, w - CELL_MARGINS, size=L.TABLE_SIZE, spacing=0, hang=False)) for c, w in zip(row, widths)), default=1)
        height = tall * TABLE_LINE_SHARE + ROW_BORDER
        line = PageLine(Markup('<table class="t"><tr>{}</tr></table>').format(cells), "row", height)
        out.append((line, metrics.Block([height], keep_next=is_header, whole=True, head=0.0 if is_header else header_height)))
        if is_header:
            header_height = height
    return out


def _blocks(doc: Document) -> list[tuple[list[PageLine], metrics.Block, PageLine | None]]:
    """Every paragraph of the document in order, as its lines and how it is kept on pages (as the writer
    keeps it), and for a table row its table's header row (repeated at the head of a new page)."""
    numbers = iter(heading_numbers(doc.blocks))
    kept = metrics.kept_with_signature(doc.blocks)
    out: list[tuple[list[PageLine], metrics.Block, PageLine | None]] = []

    def add(lines: list[PageLine], keep: bool = False, widow: bool = False, break_before: bool = False) -> None:
        out.append((lines, metrics.Block([ln.height for ln in lines], keep_next=keep, widow=widow, break_before=break_before), None))

    skip = False
    pending_break = False
    for index, block in enumerate(doc.blocks):
        if skip:
            skip = False
            continue
        keep = index in kept
        if isinstance(block, Title):
            # the title breaks where the .docx breaks it: at the template's marks or between words, never inside one
            add([PageLine(escape(text), "title") for text in title_lines(block.text, block.breaks)], keep=True, break_before=pending_break)
            add([PageLine(Markup(""), "blank")])
        elif isinstance(block, Heading):
            label = next(numbers) + block.text
            following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
            if block.level >= 3 and isinstance(following, Paragraph) and following.kind == "body":
                head = label if _ends_clause(label) else label + "。"
                add(_text_lines([Run(head, bold=block.level == 3), *following.runs], 2), keep=index + 1 in kept or keep,
                    widow=index + 1 in kept or keep, break_before=pending_break)
                skip = True
            else:
                add([PageLine(_runs_html(ln), f"h{block.level}") for ln in wrap([Run(label, bold=block.level == 3)], 2)],
                    keep=keep or block.level <= 2, widow=keep, break_before=pending_break)
        elif isinstance(block, Paragraph):
            add(_text_lines(block.runs, 0 if block.kind == "flush" else 2), keep=keep, widow=keep, break_before=pending_break)
        elif isinstance(block, Roster):
            for i, (label, names) in enumerate(block.lines):
                line_keep = keep and i >= len(block.lines) - metrics.KEPT_BODY_LINES
                add(_text_lines([Run(f"{label}：{names}")], 2), keep=line_keep, widow=line_keep, break_before=pending_break and i == 0)
        elif isinstance(block, Table):
            rows = _table_rows(block)
            header = rows[0][0] if block.header else None
            for r, (line, row) in enumerate(rows):
                row.break_before = pending_break and r == 0
                out.append(([line], row, header))
        elif isinstance(block, Signature):
            add([PageLine(Markup(""), "blank")], keep=True, break_before=pending_break)
            add([PageLine(escape(block.signer), "sign")], keep=True)
            add([PageLine(escape(block.date), "sign")])
        pending_break = isinstance(block, PageBreak)
    return out


def paginate(doc: Document) -> list[Page]:
    """The lines on each page, set as LibreOffice and Word set the .docx (keep-with-next, the signature's lines)."""
    blocks = _blocks(doc)
    pages: list[Page] = []
    for placed in metrics.paginate([b for _, b, _ in blocks], LINES):
        page = Page()
        for b, k in placed:
            lines, _, header = blocks[b]
            line = header if k == -1 and header is not None else lines[k]
            if line.css == "blank" and not page.lines:
                continue  # a page does not start with an empty line
            page.lines.append(line)
            page.used += line.height
        if page.lines or not pages:
            pages.append(page)
    return pages


def render(doc: Document) -> Markup:
    """The pages as HTML, page numbers (— 1 —) outside on odd pages right, even pages left."""
    parts: list[Markup] = []
    pages = paginate(doc)
    for n, page in enumerate(pages, 1):
        body = Markup("").join(
            Markup('<div class="ln {}" style="height:calc(var(--pitch) * {:.3f})">{}</div>').format(line.css, line.height, line.html)
            for line in page.lines
        )
        side = "odd" if n % 2 else "even"
        parts.append(
            Markup('<section class="page" data-page="{n}"><div class="type">{body}</div><div class="pn {side}">— {n} —</div></section>').format(
                n=n, body=body, side=side
            )
        )
    return Markup("").join(parts)
