"""Page numbers: present on every page with text, `— N —` in 宋体 14 pt, right on odd pages and left
on even ones, absent from the colophon page and a blank page before it.

Word gives a section without its own footer the previous section's, so footers are resolved
section by section before they are judged.
"""

from __future__ import annotations

import re

from lxml import etree

from plangen.check.findings import Collector, listing
from plangen.check.roles import Role
from plangen.check.typography import accepted, preferred
from plangen.gbt9704 import layout as L
from plangen.i18n import N_, _, msg
from plangen.ooxml.reader import Docx, DocxParagraph, attr, w

_FORMAT = re.compile(r"^—\s?N\s?—$")
_PAGES = {"default": N_("any page"), "odd": N_("odd pages"), "even": N_("even pages"), "first": N_("the first page")}
_ALIGN = {"left": N_("left-aligned"), "right": N_("right-aligned"), "center": N_("center-aligned"), "start": N_("start-aligned"),
          "end": N_("end-aligned"), "both": N_("both-aligned"), "distribute": N_("distribute-aligned")}
"""w:jc values as the reader's words; an unknown one is shown as it is."""
_INDENT_SLACK = 80  # twips


def _on(el: etree._Element | None) -> bool:
    return el is not None and attr(el, "val") not in ("0", "false", "off")


def _resolved(doc: Docx) -> list[dict[str, str | None]]:
    """For each section: footer relationship id by kind (default, even, first), inherited when absent."""
    out: list[dict[str, str | None]] = []
    previous: dict[str, str | None] = {"default": None, "even": None, "first": None}
    for section in doc.sections:
        own = {ref.get(w("type")) or "default": ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
               for ref in section.element.findall(w("footerReference"))}
        current = {kind: own.get(kind, previous[kind]) for kind in previous}
        out.append(current)
        previous = current
    return out


def _page_paragraph(doc: Docx, rid: str | None) -> tuple[DocxParagraph, str] | None:
    """The footer paragraph holding a PAGE field, and its text with the number written as N."""
    if rid is None:
        return None
    for para in doc.footer_paragraphs(rid):
        text, in_field, instr, has_page = [], False, "", False
        for child in para.element.iter(w("r"), w("fldSimple")):
            if child.tag == w("fldSimple"):
                if "PAGE" in (child.get(w("instr")) or "").upper().split():
                    has_page = True
                    text.append("N")
                continue
            if (parent := child.getparent()) is not None and parent.tag == w("fldSimple"):
                continue
            chars = child.find(w("fldChar"))
            if chars is not None:
                kind = chars.get(w("fldCharType"))
                if kind == "begin":
                    in_field, instr = True, ""
                elif kind == "separate":
                    if "PAGE" in instr.upper().split():
                        has_page = True
                        text.append("N")
                elif kind == "end":
                    in_field = False
                continue
            instr_el = child.find(w("instrText"))
            if instr_el is not None:
                instr += instr_el.text or ""
                continue
            if not in_field:
                text.append("".join(t.text or "" for t in child.iter(w("t"))))
        if has_page:
            return para, "".join(text).strip()
    return None


def check_page_numbers(doc: Docx, roles: list[Role], out: Collector) -> None:
    odd_even = _on(doc.setting("evenAndOddHeaders"))
    footers = _resolved(doc)
    content = [False] * len(doc.sections)
    for para, role in zip(doc.paragraphs, roles, strict=True):
        if role not in (Role.EMPTY, Role.COLOPHON) and 0 <= para.section < len(content):
            content[para.section] = True
    has_colophon = Role.COLOPHON in roles
    judged: set[str] = set()
    if not odd_even and any(content):
        out.add("page-number-odd-even", _("document settings"),
                msg("check.page-number-odd-even", "odd and even pages share one footer"),
                _("different odd and even footers (w:evenAndOddHeaders)"))
    for index, section in enumerate(doc.sections):
        refs = footers[index]
        where = (_("section {number} (from {location})", number=index + 1, location=_first_text(doc, index))
                 if len(doc.sections) > 1 else _("section {number}", number=index + 1))
        kinds = ["default", "even"] if odd_even else ["default"]
        if _on(section.element.find(w("titlePg"))):
            kinds.append("first")
        if not content[index]:
            if has_colophon and any(_page_paragraph(doc, refs[k]) for k in kinds):
                out.add("page-number-on-colophon", where,
                        msg("check.page-number-on-colophon", "the colophon page (or the blank page before it) carries a page number"),
                        _("no page number there: a section with empty footers"))
            continue
        for kind in kinds:
            name = _(_PAGES["odd" if kind == "default" and odd_even else kind])
            found = _page_paragraph(doc, refs[kind])
            if found is None:
                out.add("page-number-missing", where, msg("check.page-number-missing", "no page number on {pages}", pages=name),
                        _("a footer with a PAGE field, — N —"))
                continue
            key = f"{kind}:{refs[kind]}"
            if key in judged:
                continue
            judged.add(key)
            _judge(out, found, kind if odd_even else "default", _("footer of {pages} ({section})", pages=name, section=where))


def _first_text(doc: Docx, section: int) -> str:
    first = next((p for p in doc.body_paragraphs() if p.section == section and p.text.strip()), None)
    return first.location() if first else _("no text")


def _judge(out: Collector, found: tuple[DocxParagraph, str], kind: str, where: str) -> None:
    para, text = found
    if not _FORMAT.match(text):
        out.add("page-number-format", where, msg("check.page-number-format", "the page number reads {text}", text=repr(text.replace("N", "1"))),
                _("— 1 — with U+2014 dashes"))
    names = accepted("page_number")
    for run in para.runs:
        if not run.text.strip():
            continue
        faces = {run.get("rFonts.eastAsia"), run.get("rFonts.ascii")}
        if not faces <= names:
            shown = listing(sorted(str(f) for f in faces - names))
            out.add("page-number-font", where, msg("check.page-number-font", "the page number is in {font}", font=shown),
                    _("{font} for digits and dashes", font=preferred("page_number")))
            break
        if (run.get("sz") or "20") != str(L.PAGE_NUMBER_SIZE):
            out.add("page-number-font", where,
                    msg("check.page-number-size", "the page number is {size} pt", size=f"{int(run.get('sz') or 20) / 2:g}"),
                    _("14 pt (四号)"))
            break
    jc = para.get("jc") or "left"
    side = "right" if kind in ("default", "first") else "left"
    indent = int(para.get(f"ind.{side}") or para.get("ind." + ("end" if side == "right" else "start")) or 0)
    chars = para.get(f"ind.{side}Chars")
    if chars and int(chars):
        indent = int(chars) * L.PAGE_NUMBER_INDENT // 100
    aligned = jc in ((side, "end") if side == "right" else (side, "start"))
    if not aligned or abs(indent - L.PAGE_NUMBER_INDENT) > _INDENT_SLACK:
        chars = f"{indent / L.PAGE_NUMBER_INDENT:.2g}"
        if side == "right":
            message = msg("check.page-number-position", "odd-page number is {align} with {chars} characters of right indent",
                          align=_(_ALIGN[jc]) if jc in _ALIGN else f"{jc}-aligned", chars=chars)
            wanted = _("right-aligned, 1 character ({twips} twips) right indent", twips=L.PAGE_NUMBER_INDENT)
        else:
            message = msg("check.page-number-position", "even-page number is {align} with {chars} characters of left indent",
                          align=_(_ALIGN[jc]) if jc in _ALIGN else f"{jc}-aligned", chars=chars)
            wanted = _("left-aligned, 1 character ({twips} twips) left indent", twips=L.PAGE_NUMBER_INDENT)
        out.add("page-number-position", where, message, wanted)
