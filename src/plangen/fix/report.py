"""What ``plangen fix`` changed and what it leaves to a person, as data.

Every change carries a stable ``code`` (scripts and the web page key on it), where it happened, the
text before and after, and whether a person must look at it. The human report and ``--json`` are two
renderings of the same list, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plangen.i18n import N_, Msg, _, language

CODES: dict[str, str] = {
    "title": N_("title recognised"),
    "title-joined": N_("title split over two lines joined"),
    "title-missing": N_("no title recognised"),
    "addressee": N_("addressee line (主送) recognised"),
    "heading": N_("heading recognised by its look, numbered by its level"),
    "renumbered": N_("heading renumbered"),
    "heading-split": N_("heading split from the text that followed it"),
    "level-unknown": N_("heading level cannot be told"),
    "level-guessed": N_("heading level chosen from its place"),
    "lines-joined": N_("line breaks inside a sentence joined"),
    "empty-removed": N_("empty paragraphs removed"),
    "spacing-removed": N_("manual spacing removed"),
    "normalised": N_("punctuation, document numbers or dates normalised"),
    "markup-removed": N_("Markdown markup removed"),
    "table": N_("table kept"),
    "attachment": N_("attachment note recognised"),
    "signature": N_("signature and date recognised"),
    "document-number": N_("document number line kept as text"),
    "header": N_("issuing header kept as text"),
    "colophon": N_("colophon kept as text"),
    "placeholder": N_("placeholder left for a person to fill"),
    "converted": N_("converted with LibreOffice"),
    "list-numbering": N_("Word's automatic numbers made text"),
    "decoded": N_("text encoding detected"),
    "document-number-under-title": N_("document number under the title kept, centred"),
    "note": N_("note after the date recognised"),
    "part": N_("next part recognised, on a new page"),
    "comments-removed": N_("Markdown comments left out"),
    "manual": N_("not carried into the fixed file"),
    "table-merged": N_("merged cells kept"),
    "footnotes": N_("footnotes kept as footnotes"),
    "pictures": N_("figures and seals kept in place"),
}
"""code → what it means (English msgid; :func:`describe` gives it in the reader's language)."""


def describe(code: str) -> str:
    return _(CODES[code])


@dataclass(frozen=True)
class Change:
    """One thing fix did, or one item it hands to a person (``person``)."""

    code: str
    where: str = ""
    before: str = ""
    after: str = ""
    note: Msg | None = None
    person: bool = False
    line: int = 0
    """Line (text) or paragraph (Word) of the source it concerns; 0 for the whole document."""

    def text(self) -> str:
        """``where: what: before → after (note)`` in the reader's language."""
        parts = [describe(self.code)]
        if self.before or self.after:
            parts.append(f"{self.before} → {self.after}" if self.before and self.after else (self.before or self.after))
        sep = "：" if language() == "zh" else ": "
        text = sep.join(parts)
        if self.note is not None:
            text += f" ({self.note})"
        return f"{self.where}{sep}{text}" if self.where else text

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "where": self.where,
            "before": self.before,
            "after": self.after,
            "note": str(self.note) if self.note is not None else "",
            "for_person": self.person,
            "line": self.line,
        }


@dataclass
class Report:
    """The changes of one document, in document order."""

    source: str
    changes: list[Change] = field(default_factory=list)

    def add(self, code: str, where: str = "", before: str = "", after: str = "", *, note: Msg | None = None, person: bool = False, line: int = 0) -> None:
        self.changes.append(Change(code, where, before, after, note, person, line))

    def settle(self, codes: set[str], note: Msg) -> None:
        """Items of ``codes`` were dealt with after all (the issued layout): no longer for a person."""
        self.changes = [Change(c.code, c.where, c.before, c.after, note, False, c.line) if c.code in codes else c for c in self.changes]

    @property
    def for_person(self) -> list[Change]:
        return [c for c in self.changes if c.person]

    @property
    def exit_code(self) -> int:
        """0 fixed clean, 1 fixed with items for a person."""
        return 1 if self.for_person else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "changes": [c.as_json() for c in self.changes if not c.person],
            "for_person": [c.as_json() for c in self.for_person],
        }
