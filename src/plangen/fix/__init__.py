"""``plangen fix``: any document in — a colleague's Word file, WPS output, pasted text — a GB/T 9704
document out, with a report of every change and of what only a person can settle.

    result = fix_document("来文.docx")
    result.data          # the .docx bytes, laid out by the same writer as generated plans
    result.report        # changes (stable codes) and items for a person
    result.exit_code     # 0 fixed clean, 1 fixed with items for a person

Reading is in :mod:`plangen.fix.sources`, recognition in :mod:`plangen.fix.recognise`; both are
plain functions so the command line, a worker process and a web page call the same thing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plangen.document import Document
from plangen.fix.report import CODES, Change, Report
from plangen.fix.sources import SUFFIXES, SourceTable, UnreadableInput, read_source
from plangen.i18n import _, msg

__all__ = ["CODES", "SUFFIXES", "Change", "FixResult", "Report", "UnreadableInput", "fix_document", "output_name"]


@dataclass
class FixResult:
    document: Document
    report: Report
    data: bytes

    @property
    def exit_code(self) -> int:
        return self.report.exit_code


def fix_document(path: str | os.PathLike[str], data: bytes | None = None, *, name: str | None = None, fonts: str | None = None) -> FixResult:
    """Read, recognise, normalise and lay out one document. ``data``: its bytes, when not on disk
    (``path`` still gives the name and type). Raises :class:`UnreadableInput`, or
    :class:`~plangen.inputs.decoding.UnreadableText` for text in no encoding plangen reads (both exit 2)."""
    from plangen.fix.issued import split_issued, write_issued
    from plangen.fix.recognise import recognise
    from plangen.gbt9704.fonts import font_profile
    from plangen.writer.docx import write_docx

    source = read_source(path, data, name=name)
    if not any(isinstance(i, SourceTable) or i.text.strip() for i in source.items):
        raise UnreadableInput(_("{file}: has no text to fix", file=name or str(path)))
    document, report = recognise(source)
    profile = font_profile(fonts)
    body, issued = split_issued(document)
    if issued is None:
        return FixResult(document, report, write_docx(document, profile))
    settled = {"header", "document-number"} | ({"colophon"} if issued.has_colophon else set())
    report.settle(settled, msg("fix.issued", "laid out as GB/T 9704 lays out an issued document"))
    return FixResult(document, report, write_issued(body, issued, profile))


def output_name(path: str | os.PathLike[str]) -> str:
    """``通知.doc`` → ``通知（已修正）.docx``: never the input's own name."""
    return f"{Path(path).stem}（已修正）.docx"
