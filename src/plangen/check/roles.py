"""What each paragraph of an arbitrary .docx is: title, heading, body text, signature, colophon…

A file handed over by someone else has no plangen styles, so roles come from what a reader sees:
heading numbers at the start (一、 （一） 1. （1）), centring and size for titles, a red centred line
above a document number for the issuing-body mark, right alignment for signature and date, a
table ending with …印发 for the colophon.
"""

from __future__ import annotations

import re
from enum import Enum

from plangen.ooxml.reader import Docx, DocxParagraph

_CN = "一二三四五六七八九十"
HEADING_RE = (
    (1, re.compile(f"^\\s*([{_CN}]+)、")),
    (2, re.compile(f"^\\s*[（(]([{_CN}]+)[）)]")),
    (3, re.compile(r"^\s*(\d{1,2})[.．](?!\d)")),
    (4, re.compile(r"^\s*[（(](\d{1,2})[）)]")),
)
NUMBER_RE = re.compile(r"^\S{1,12}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\d+\s*号$")
ATTACHMENT_RE = re.compile(r"^附\s*件\s*[:：]\s*\d")
"""An attachment note listing several attachments (GB/T 9704 7.3.6): 附件：1．名称, then 2．名称 below it."""
ATTACHMENT_ITEM_RE = re.compile(r"^\d{1,2}\s*[.．]")
PRINTED_RE = re.compile(r"印发\s*$")
_NOTE_RE = re.compile(r"^附\s*件\s*[:：]")
_MARK_RE = re.compile(r"^\S.{0,30}文件$")
"""An issuing-body mark in black (a clerk's copy): 某某县人民政府文件. A centred title above a document
number (web pages put the number under the title) is not a mark."""


class Role(Enum):
    EMPTY = "empty"
    MARK = "issuing-body mark"
    NUMBER = "document number"
    TITLE = "title"
    HEADING = "heading"
    BODY = "body text"
    ATTACHMENT = "attachment note"
    """附件：1．名称 and the items under it: wrapped lines line up after 附件：, so only the first line's
    place is checked."""
    FLUSH = "flush-left line"
    SIGNATURE = "signature or date"
    TABLE = "table text"
    COLOPHON = "colophon"


def heading_level(text: str) -> tuple[int, str] | None:
    """(level, number as written) when the paragraph starts with a heading number."""
    for level, pattern in HEADING_RE:
        m = pattern.match(text)
        if m:
            return level, m.group(1)
    return None


def numbered_kind(text: str) -> str | None:
    """heading, run-in or item (:mod:`plangen.gbt9704.items`) for a paragraph that starts with a
    structure number, None for one that does not."""
    from plangen.gbt9704.items import kind

    for level, pattern in HEADING_RE:
        m = pattern.match(text)
        if m:
            rest = text[m.end():]
            rest = rest[1:] if rest[:1] in "、.．" else rest
            return kind(rest.strip(), level)[0]
    return None


def _half_points(para: DocxParagraph) -> int:
    sizes = [int(r.get("sz") or 20) for r in para.runs if r.text.strip()]
    return max(sizes) if sizes else int(para.get("sz") or 20)


def is_red(colour: str | None) -> bool:
    if not colour or len(colour) != 6:
        return False
    try:
        r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0xB0 and g <= 0x60 and b <= 0x60


def _centred(para: DocxParagraph) -> bool:
    jc: str | None = para.get("jc")  # w:jc, an attribute's text
    return jc == "center"


def _right(para: DocxParagraph) -> bool:
    return para.get("jc") in ("right", "end")


def _breaks_page(para: DocxParagraph) -> bool:
    if para.get("pageBreakBefore") not in (None, "0", "false", "off"):
        return True
    return any(br.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "page"
               for r in para.runs for br in r.element.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br"))


def colophon_tables(doc: Docx) -> set[int]:
    """Tables (numbered from 1) whose last paragraph ends with 印发: the colophon."""
    last_text: dict[int, str] = {}
    for p in doc.paragraphs:
        if p.table is not None and p.text.strip():
            last_text[p.table] = p.text
    return {t for t, text in last_text.items() if PRINTED_RE.search(text)}


def assign(doc: Docx) -> list[Role]:
    """The role of every paragraph of ``doc.paragraphs``, index for index."""
    colophon = colophon_tables(doc)
    roles: list[Role] = []
    part_start = True  # at the start of the document or after a page break: a title may come
    after_title = 0
    attachments = False  # inside an attachment note: 附件：1．… then 2．… lines, which are not headings
    number_index = next(
        (i for i, p in enumerate(doc.paragraphs[:15]) if p.table is None and NUMBER_RE.match(p.text.strip())), None
    )
    for i, p in enumerate(doc.paragraphs):
        text = p.text.strip()
        if p.table is not None:
            roles.append(Role.COLOPHON if p.table in colophon else Role.TABLE)
            continue
        if _breaks_page(p):
            part_start = True
        if not text:
            roles.append(Role.EMPTY)
            continue
        style_name = doc.styles.name(p.style).lower()
        red = any(is_red(r.get("color")) for r in p.runs)
        if number_index is not None and i < number_index and (red or (_centred(p) and _MARK_RE.match(text))):
            role = Role.MARK
        elif i == number_index:
            role = Role.NUMBER
        elif _centred(p) and (
            (("title" in style_name or "标题" in style_name) and "heading" not in style_name)
            or _half_points(p) >= 36
            or part_start
        ) and heading_level(text) is None:
            role = Role.TITLE
        elif (attachments and ATTACHMENT_ITEM_RE.match(text)) or _NOTE_RE.match(text):
            role = Role.ATTACHMENT
        elif heading_level(text) is not None and not _centred(p) and numbered_kind(text) != "item":
            role = Role.HEADING
        elif _right(p):
            role = Role.SIGNATURE
        elif "flush" in style_name or (after_title and text.endswith(("：", ":")) and len(text) <= 120):
            role = Role.FLUSH
        else:
            role = Role.BODY
        after_title = 1 if role is Role.TITLE else 0
        attachments = bool(ATTACHMENT_RE.match(text)) or (attachments and role is Role.ATTACHMENT and bool(ATTACHMENT_ITEM_RE.match(text)))
        if role is not Role.MARK and role is not Role.NUMBER:
            part_start = False
        roles.append(role)
    _settle_items(doc, roles)
    return roles


def _settle_items(doc: Docx, roles: list[Role]) -> None:
    """Numbered lines read among their siblings, as ``plangen fix`` reads them (a run of list items
    is a list even where one of them is short): those that are items are body text."""
    from plangen.gbt9704.items import kind, settle

    part: list[tuple[int, int, str, str]] = []  # (index, style, kind, last character)

    def close() -> None:
        for (i, _s, _k, _c), k in zip(part, settle([(s, k, c) for _i, s, k, c in part])):  # type: ignore[misc]
            if k == "item" and roles[i] is Role.HEADING:
                roles[i] = Role.BODY
        part.clear()

    for i, (p, role) in enumerate(zip(doc.paragraphs, roles)):
        if role is Role.TITLE:
            close()
        if role is not Role.HEADING and not (role is Role.BODY and numbered_kind(p.text.strip()) == "item"):
            continue
        text = p.text.strip()
        for style, pattern in HEADING_RE:
            m = pattern.match(text)
            if m:
                rest = text[m.end():]
                rest = (rest[1:] if rest[:1] in "、.．" else rest).strip()
                part.append((i, style, kind(rest, style)[0], rest[-1:]))
                break
    close()
