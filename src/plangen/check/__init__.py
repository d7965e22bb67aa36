"""``plangen check``: read any .docx and report what breaks GB/T 9704-2012, rule by rule.

    findings = check("plan.docx")          # [] when the file meets every rule
    for f in findings: print(f.line())    # file: rule-id: location: what is wrong; expected …

Rule ids are stable (see :data:`RULES`); each finding names the paragraph (its number and first
words) and what was expected. An unreadable file raises :class:`UnreadableFile` (exit code 2).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from plangen import prewrite
from plangen.check.findings import RULES, Collector, Finding
from plangen.check.footers import check_page_numbers
from plangen.check.headings import check_headings
from plangen.check.issuing import check_colophon, check_header
from plangen.check.roles import assign
from plangen.check.signature import check_signature_page
from plangen.check.typography import check_paragraphs, check_sections
from plangen.check.words import check_words
from plangen.ooxml.reader import Docx, UnreadableFile, read

__all__ = ["RULES", "Finding", "UnreadableFile", "check", "check_docx"]


def check_docx(doc: Docx, *, extra_rules: Iterable[prewrite.Rule] = ()) -> list[Finding]:
    """Every finding for an already read document, in document order within each rule family."""
    out = Collector(doc.name)
    roles = assign(doc)
    check_sections(doc, out)
    check_paragraphs(doc, roles, out)
    check_headings(doc, roles, out)
    check_words(doc, out, extra_rules)
    check_header(doc, roles, out)
    check_colophon(doc, roles, out)
    check_page_numbers(doc, roles, out)
    check_signature_page(doc, roles, out)
    return out.result()


def check(source: str | os.PathLike[str] | bytes, *, name: str | None = None, extra_rules: Iterable[prewrite.Rule] = ()) -> list[Finding]:
    """Read a .docx (path or bytes) and check it."""
    return check_docx(read(source, name=name), extra_rules=extra_rules)
