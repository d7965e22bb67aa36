"""An issued document (红头文件) recognised by ``plangen fix``: its 版头 (issuing-body mark and document
number) and 版记 (抄送, 印发机关 and 印发日期) laid out by the notice writer, as ``plangen generate
--notice`` lays them out, instead of being kept as plain lines.

Only a complete header is laid out: the mark ending in 文件 and the document number before the title.
The colophon is laid out when its 印发 line is found (抄送 is optional). Anything else in front of the
title (a 签发人 line) leaves the document as it is, with its lines handed to a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plangen.document import Document, Paragraph, Signature, Title
from plangen.gbt9704.fonts import FontProfile
from plangen.writer.notice import Colophon, write_issued_docx

MARK_RE = re.compile(r"^\S{2,30}文件$")
NUMBER_RE = re.compile(r"^\S{0,16}〔(?:19|20)\d{2}〕\d+号$")
PRINTED_RE = re.compile(r"^(\S.*?)\s*(\d{4}年\d{1,2}月\d{1,2}日印发)$")


@dataclass(frozen=True)
class Issued:
    mark: str
    number: str
    copy_to: str | None = None
    printer: str = ""
    printed: str = ""

    @property
    def has_colophon(self) -> bool:
        return bool(self.printer and self.printed)

    @property
    def colophon(self) -> Colophon | None:
        return Colophon(self.copy_to, self.printer, self.printed) if self.has_colophon else None


def _flush_text(block: object) -> str | None:
    return block.text if isinstance(block, Paragraph) and block.kind == "flush" else None


def split_issued(doc: Document) -> tuple[Document, Issued | None]:
    """The document without its header and colophon lines, and what they say; (doc, None) when the
    document is not a complete issued one."""
    blocks = doc.blocks
    title = next((i for i, b in enumerate(blocks) if isinstance(b, Title)), None)
    if title is None or title != 2:
        return doc, None
    mark, number = _flush_text(blocks[0]), _flush_text(blocks[1])
    if not (mark and number and MARK_RE.match(mark) and NUMBER_RE.match(number)):
        return doc, None
    end = len(blocks)
    copy_to = printer = printed = None
    last = _flush_text(blocks[-1]) if len(blocks) > title + 1 else None
    m = PRINTED_RE.match(last) if last else None
    if m and isinstance(blocks[-2], (Signature, Paragraph)):
        printer, printed, end = m.group(1), m.group(2), end - 1
        before = _flush_text(blocks[end - 1])
        if before and before.startswith("抄送："):
            copy_to, end = before, end - 1
    elif any(_flush_text(b) and (_flush_text(b) or "").startswith("抄送") for b in blocks[-2:]):
        return doc, None  # a colophon without its 印发 line: left as lines for a person
    body = Document(blocks[title:end], title=doc.title, notes=doc.notes, images=doc.images)
    return body, Issued(mark, number, copy_to, printer or "", printed or "")


def write_issued(doc: Document, issued: Issued, fonts: FontProfile) -> bytes:
    """Header, the document, and (when it has one) the colophon on the last even page."""
    return write_issued_docx(doc, fonts, mark=issued.mark, number=issued.number, colophon=issued.colophon)
