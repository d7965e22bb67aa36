"""The parts only an issued document has: the header block (版头) and the colophon (版记)."""

from __future__ import annotations

from lxml import etree

from plangen.check.findings import Collector, listing
from plangen.check.roles import Role, is_red
from plangen.check.typography import TOLERANCE, accepted, preferred
from plangen.gbt9704 import layout as L
from plangen.i18n import N_, _, msg
from plangen.ooxml.reader import Docx, attr, w

MARK_TOP = L.mm(35)
_RULE_OUTER = (7, 9)  # eighths of a point: 0.35 mm is 0.99 pt
_RULE_INNER = (5, 7)  # 0.25 mm is 0.71 pt
_RULE_NAMES = {"top": N_("top {mm} mm"), "bottom": N_("bottom {mm} mm"), "insideH": N_("insideH {mm} mm")}
"""One rule of the colophon as measured: the first, the last, the one between."""


def check_header(doc: Docx, roles: list[Role], out: Collector) -> None:
    """Mark: red 小标宋, its top 35 mm below the type area's top; a red line under the number."""
    marks = [p for p, r in zip(doc.paragraphs, roles, strict=True) if r is Role.MARK]
    for para in marks:
        runs = [r for r in para.runs if r.text.strip()]
        if any(not is_red((r.get("color") or "").upper()) for r in runs):
            out.add("notice-mark", para, msg("check.notice-mark-colour", "the issuing-body mark is not red"), _("red (FF0000)"))
        if any(r.get("rFonts.eastAsia") not in accepted("title") for r in runs):
            font = next(r.get("rFonts.eastAsia") for r in runs if r.get("rFonts.eastAsia") not in accepted("title"))
            out.add("notice-mark", para, msg("check.notice-mark-font", "the issuing-body mark is in {font}", font=font), preferred("title"))
    if marks and marks[0] is next((p for p in doc.body_paragraphs()), None):
        para = marks[0]
        top = int(para.get("spacing.before") or 0)
        if para.get("spacing.lineRule") == "exact":
            size = max(int(r.get("sz") or 20) for r in para.runs if r.text.strip()) * 10
            top += max(0, int(para.get("spacing.line") or 0) - size)  # exact lines put the extra room above the text
        if abs(top - MARK_TOP) > 2 * TOLERANCE:
            out.add("notice-mark", para,
                    msg("check.notice-mark-top", "the mark's top is {mm} mm below the type area's top", mm=f"{top / L.mm(1):.0f}"),
                    _("35 mm"))
    numbers = [i for i, r in enumerate(roles) if r is Role.NUMBER]
    if numbers and marks:
        para = doc.paragraphs[numbers[0]]
        below = para.props.get("pBdr.bottom")
        nxt = doc.paragraphs[numbers[0] + 1] if numbers[0] + 1 < len(doc.paragraphs) else None
        above = nxt.props.get("pBdr.top") if nxt is not None else None
        line = below.value if below is not None else above.value if above is not None else None
        if not line or line.get("val") in (None, "nil", "none") or not is_red((line.get("color") or "").upper()):
            out.add("notice-separator", para, msg("check.notice-separator", "no red separator line under the document number"),
                    _("a red line 4 mm below it, as wide as the type area"))
        elif int(para.get("ind.left") or 0) or int(para.get("ind.right") or 0):
            out.add("notice-separator", para,
                    msg("check.notice-separator-width", "the red separator is narrower than the type area (the paragraph is indented)"),
                    _("as wide as the type area"))


def check_colophon(doc: Docx, roles: list[Role], out: Collector) -> None:
    """抄送/印发 in 仿宋 14 pt; rules 0.35 mm outside and 0.25 mm between."""
    tables = sorted({p.table for p, r in zip(doc.paragraphs, roles, strict=True) if r is Role.COLOPHON and p.table is not None})
    for para, role in zip(doc.paragraphs, roles, strict=True):
        if role is not Role.COLOPHON:
            continue
        for run in (r for r in para.runs if r.text.strip()):
            font, size = run.get("rFonts.eastAsia"), run.get("sz") or "20"
            if font not in accepted("body") or size != "28":
                out.add("colophon-font", para,
                        msg("check.colophon-font", "colophon text is {font} {size} pt", font=font or _("without a Chinese font"),
                            size=f"{int(size) / 2:g}"),
                        _("{font} 14 pt", font=preferred("body")))
                break
    for number in tables:
        table = doc.tables[number - 1]
        rows = table.findall(w("tr"))
        wanted = {"top": _RULE_OUTER, "bottom": _RULE_OUTER, **({"insideH": _RULE_INNER} if len(rows) > 1 else {})}
        wrong = []
        for side, (low, high) in wanted.items():
            size = _rule_size(table, rows, side)
            if not low <= size <= high:
                wrong.append(_(_RULE_NAMES[side], mm=f"{size / 8 * 0.3528:.2f}"))
        if wrong:
            out.add("colophon-rules", _("table {number} (colophon)", number=number),
                    msg("check.colophon-rules", "rules {rules}", rules=listing(wrong)),
                    _("first and last 0.35 mm, the middle 0.25 mm"))


def _border(el: etree._Element | None) -> int:
    """Width in eighths of a point of a border element; 0 when there is none."""
    if el is None or attr(el, "val") in (None, "nil", "none"):
        return 0
    return int(attr(el, "sz") or 0)


def _rule_size(table: etree._Element, rows: list[etree._Element], side: str) -> int:
    """A rule as drawn: the cells' own borders where they set one, else the table's."""
    def cells(row: etree._Element, edge: str) -> int:
        return max((_border(tc.find(f"{w('tcPr')}/{w('tcBorders')}/{w(edge)}")) for tc in row.findall(w("tc"))), default=0)

    if side == "top":
        own = cells(rows[0], "top")
    elif side == "bottom":
        own = cells(rows[-1], "bottom")
    else:
        own = min(max(cells(a, "bottom"), cells(b, "top")) for a, b in zip(rows, rows[1:]))
    return own or _border(table.find(f"{w('tblPr')}/{w('tblBorders')}/{w(side)}"))
