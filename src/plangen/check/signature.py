"""The signature and date never stand alone on a page (GB/T 9704 7.3.5, 特殊情况说明).

When the body ends on a page's last lines, Word and LibreOffice carry the signature over to a page
of its own, which the standard forbids: the remedy is to adjust spacing so that the signature stays
with body text (plangen's writer keeps the last two lines of body with it). Pages are estimated on
the 22-line grid (:mod:`plangen.gbt9704.page_estimate`), as no word processor is at hand.
"""

from __future__ import annotations

from plangen.check.findings import Collector
from plangen.check.roles import Role
from plangen.gbt9704.page_estimate import estimate
from plangen.i18n import _, msg
from plangen.ooxml.reader import Docx, DocxParagraph

_QUIET = (Role.SIGNATURE, Role.EMPTY)


def _signature_blocks(doc: Docx, roles: list[Role]) -> list[list[DocxParagraph]]:
    """Runs of signature/date paragraphs (blank lines between them allowed) outside tables."""
    blocks: list[list[DocxParagraph]] = []
    current: list[DocxParagraph] = []
    for para, role in zip(doc.paragraphs, roles):
        if para.table is None and role is Role.SIGNATURE:
            current.append(para)
        elif role is not Role.EMPTY or para.table is not None:
            if current:
                blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def check_signature_page(doc: Docx, roles: list[Role], out: Collector) -> None:
    """Report each signature whose page holds nothing but the signature, date and blank lines."""
    blocks = _signature_blocks(doc, roles)
    if not blocks:
        return
    layout = estimate(doc)
    busy: set[int] = set(layout.row_pages)
    for para, role in zip(doc.paragraphs, roles):
        if para.table is None and role not in _QUIET:
            busy.update(layout.lines_on.get(para.number, {}))
    for block in blocks:
        pages = {page for para in block for page in layout.lines_on.get(para.number, {})}
        alone = sorted(pages - busy)
        if alone:
            out.add(
                "signature-alone", block[0],
                msg("check.signature-alone", "the signature and date stand alone on page {page} (estimated on the 22-line grid)",
                    page=alone[0]),
                _("at least two lines of body text on the signature's page: keep the last lines with it "
                  "(Keep with next) or tighten line and character spacing (GB/T 9704 7.3.5)"),
            )
