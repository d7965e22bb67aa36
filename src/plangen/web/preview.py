"""The plan's pages as they will print, in HTML and CSS, from the document model (no LibreOffice).

Lines are broken here, on the GB/T 9704 grid (28 characters a line, 22 lines a page; a digit or a
Latin letter takes half a character), so the page breaks of the preview are computed, not left to
the browser: what a page holds is what the staff see, whatever fonts the office PC has.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from plangen.writer.title import title_lines
from plangen.document import Document, Heading, PageBreak, Paragraph, Roster, Run, Signature, Table, Title
from plangen.gbt9704 import layout as L
from plangen.gbt9704.numbering import heading_numbers

LINES = L.TYPE_H // L.LINE_PITCH  # 22
CHARS = L.CHARS_PER_LINE  # 28
TABLE_LINE_SHARE = L.TABLE_LINE / L.LINE_PITCH  # a table row line is 22 pt of the 28.95 pt grid


def width(ch: str) -> float:
    """Characters of the grid one character takes: Chinese and full-width 1, the rest ½."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def wrap(runs: list[Run], first_indent: float, cols: float = CHARS, rest_indent: float = 0) -> list[list[Run]]:
    """Break runs into lines of at most ``cols`` characters; the first line starts ``first_indent`` in."""
    lines: list[list[Run]] = [[]]
    used = first_indent
    for run in runs:
        for ch in run.text:
            if ch == "\n":
                lines.append([])
                used = rest_indent
                continue
            w = width(ch)
            if used + w > cols + 1e-9:
                lines.append([])
                used = rest_indent
            line = lines[-1]
            if line and line[-1].bold == run.bold:
                line[-1] = Run(line[-1].text + ch, run.bold)
            else:
                line.append(Run(ch, run.bold))
            used += w
    return lines


@dataclass
class Line:
    html: Markup
    css: str = ""
    height: float = 1.0
    """In grid lines."""


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    used: float = 0.0


def _runs_html(runs: list[Run]) -> Markup:
    return Markup("").join(Markup("<b>{}</b>").format(r.text) if r.bold else escape(r.text) for r in runs)


def _lines(doc: Document) -> list[Line | None]:
    """Every line of the document in order; None is a forced page break."""
    numbers = iter(heading_numbers(doc.blocks))
    out: list[Line | None] = []
    lead: list[Run] = []  # a level 3/4 heading runs into the paragraph after it
    for block in doc.blocks:
        if isinstance(block, Title):
            # the title breaks where the .docx breaks it: at the template's marks or between words, never inside one
            out.extend(Line(escape(text), "title") for text in title_lines(block.text, block.breaks))
            out.append(Line(Markup(""), "blank"))
        elif isinstance(block, Heading):
            number = next(numbers)
            if block.level >= 3:
                lead = [Run(number + block.text, bold=block.level == 3)]
                continue
            for ln in wrap([Run(number + block.text)], 2):
                out.append(Line(_runs_html(ln), f"h{block.level}"))
        elif isinstance(block, Paragraph):
            indent = 0 if block.kind == "flush" else 2
            runs, lead = [*lead, *block.runs], []
            for i, ln in enumerate(wrap(runs, indent)):
                out.append(Line(_runs_html(ln), "indent" if i == 0 and indent else ""))
        elif isinstance(block, Roster):
            for label, names in block.lines:
                for i, ln in enumerate(wrap([Run(f"{label}：{names}")], 2)):
                    out.append(Line(_runs_html(ln), "indent" if i == 0 else ""))
        elif isinstance(block, Table):
            cols = max(1, len(block.header))
            per_cell = max(2.0, CHARS * L.BODY_SIZE / L.TABLE_SIZE / cols - 1)
            for r, row in enumerate([block.header, *block.rows]):
                cells = Markup("").join(
                    Markup("<td>{}</td>").format(c) if r else Markup("<th>{}</th>").format(c) for c in row
                )
                tall = max((len(wrap([Run(c)], 0, per_cell)) for c in row), default=1)
                out.append(Line(Markup('<table class="t"><tr>{}</tr></table>').format(cells), "row", tall * TABLE_LINE_SHARE + 0.1))
        elif isinstance(block, Signature):
            out.append(Line(Markup(""), "blank"))
            out.append(Line(Markup(""), "blank"))
            out.append(Line(escape(block.signer), "sign"))
            out.append(Line(escape(block.date), "sign"))
        elif isinstance(block, PageBreak):
            out.append(None)
    return out


def paginate(doc: Document) -> list[Page]:
    pages = [Page()]
    for line in _lines(doc):
        if line is None:
            if pages[-1].lines:
                pages.append(Page())
            continue
        if pages[-1].used + line.height > LINES + 1e-9 and pages[-1].lines:
            pages.append(Page())
        if line.css == "blank" and not pages[-1].lines:
            continue  # a page does not start with an empty line
        pages[-1].lines.append(line)
        pages[-1].used += line.height
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
