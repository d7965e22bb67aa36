"""The document model between wording and Word: what a plan is made of, with no layout in it.

Templates produce markup that :mod:`plangen.markup` parses into these blocks; the writer lays them
out to GB/T 9704. Heading numbers are not stored here: the writer derives them from the levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal


@dataclass(slots=True)
class Run:
    text: str
    bold: bool = False
    underline: bool = False
    """Kept from documents that ``plangen fix`` reads; templates never underline."""


@dataclass(slots=True)
class Title:
    """The plan's title. ``breaks`` are the places (character offsets) where a line may wrap."""

    text: str
    breaks: tuple[int, ...] = ()


@dataclass(slots=True)
class Heading:
    """Level 1 一、 / 2 （一） / 3 1. / 4 （1）. Levels 3 and 4 run into the paragraph that follows."""

    level: int
    text: str
    number: str | None = None
    """The number as the author gave it (``plangen fix`` keeps a consistent numbering, such as （一）…
    continued across sections); None: the writer numbers by level."""
    run_in: bool = False
    """Runs into the paragraph that follows at any level (一、元旦：1月1日放假…), its own mark kept."""


@dataclass(slots=True)
class Paragraph:
    runs: list[Run]
    kind: Literal["body", "flush", "centre", "attachment"] = "body"
    """body: first line indented; flush: no indent (主送, 版记); centre: centred (a 发文字号 under the
    title); attachment: an item of the attachment note, hanging so its name lines up (GB/T 9704 7.3.6)."""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged cells kept from a document ``plangen fix`` reads: (row, column, rows, columns) of each
    cell spanning more than one, rows counted from the header (0)."""


@dataclass(slots=True)
class Roster:
    """A leadership roster: (label, names) lines such as ("组长", "叶兰（社区党委书记）")."""

    lines: list[tuple[str, str]]


@dataclass(slots=True)
class Signature:
    """The unsealed signature: the signing unit, then the date on the next line."""

    signer: str
    date: str


@dataclass(slots=True)
class PageBreak:
    pass


Block = Title | Heading | Paragraph | Table | Roster | Signature | PageBreak


@dataclass(slots=True)
class Document:
    blocks: list[Block] = field(default_factory=list)
    title: str = ""
    """Plain title, for document properties and messages."""
    notes: list[str] = field(default_factory=list)
    """Footnotes kept from a document ``plangen fix`` reads: note ``i`` is referenced where the
    character ``note_mark(i)`` stands in a run's text."""
    images: list[Image] = field(default_factory=list)
    """Figures and seals kept from a document ``plangen fix`` reads: image ``i`` stands where the
    character ``image_mark(i)`` stands in a run's text."""


    def text(self) -> str:
        """All visible text, one block a line (for the guard and for tests)."""
        return "\n".join(block_text(b) for b in self.blocks)


NOTE_BASE = 0xE000  # private-use characters stand for footnote references in run text
IMAGE_BASE = 0xE800  # … and for pictures
NOTE_MARKS = re.compile("[\ue000-\ue7ff]")
IMAGE_MARKS = re.compile("[\ue800-\uefff]")
MARKS = re.compile("[\ue000-\uefff]")


def note_mark(i: int) -> str:
    return chr(NOTE_BASE + i)


def image_mark(i: int) -> str:
    return chr(IMAGE_BASE + i)


@dataclass(slots=True)
class Image:
    """A picture carried over from a source document: its bytes, file extension, size in EMU."""

    data: bytes
    ext: str
    cx: int
    cy: int


def block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, (Title, Heading)):
        return block.text
    if isinstance(block, Table):
        return "\n".join("\t".join(r) for r in [block.header, *block.rows])
    if isinstance(block, Roster):
        return "\n".join(f"{a}：{b}" for a, b in block.lines)
    if isinstance(block, Signature):
        return f"{block.signer}\n{block.date}"
    return ""
