"""What ``plangen learn`` proposes, as data the command line and the web page both edit: the
document's blocks cut into fixed text and fields, and each field's name, Chinese label, kind and the
source's own value. Plain dataclasses that go to and from JSON (the web page sends them back)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# block kinds: title, h1..h4, para, flush, roster, table, signature


@dataclass
class Segment:
    """A piece of a block's text: fixed (``field`` empty) or a field's value printed by ``expr``."""

    text: str
    field: str = ""
    expr: str = ""


@dataclass
class LearnedBlock:
    kind: str
    segments: list[Segment] = field(default_factory=list)
    rows: list[list[list[Segment]]] = field(default_factory=list)
    """For a table: every row (the header first), every cell, its segments."""

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class LearnedField:
    """A proposed field. ``path`` is where its value goes in the input: a field of its own
    (``theme``, ``date_2``) or a shared one (``unit.name``, ``dates.start``, ``leadership``)."""

    path: str
    label: str
    kind: str
    value: Any
    why: str = ""
    count_from: int | None = None

    @property
    def own(self) -> bool:
        """Declared in plantype.yaml (not one of the fields every plan has)."""
        return "." not in self.path and self.path not in ("leadership", "contact", "signature")


@dataclass
class Learned:
    name: str
    title: str
    blocks: list[LearnedBlock]
    fields: list[LearnedField]
    source: str = ""

    def field(self, path: str) -> LearnedField | None:
        return next((f for f in self.fields if f.path == path), None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Learned:
        blocks = [LearnedBlock(kind=str(b["kind"]), segments=[Segment(**s) for s in b.get("segments", [])],
                               rows=[[[Segment(**s) for s in cell] for cell in row] for row in b.get("rows", [])])
                  for b in data["blocks"]]
        fields = [LearnedField(**f) for f in data["fields"]]
        return cls(name=str(data["name"]), title=str(data["title"]), blocks=blocks, fields=fields, source=str(data.get("source", "")))

    def all_segments(self) -> list[Segment]:
        out: list[Segment] = []
        for block in self.blocks:
            out += block.segments
            for row in block.rows:
                for cell in row:
                    out += cell
        return out

    def remove(self, path: str) -> None:
        """The field's text goes back to fixed text (a shared field such as the unit stays in the input)."""
        for seg in self.all_segments():
            if seg.field == path:
                seg.field, seg.expr = "", ""
        self.fields = [f for f in self.fields if f.path != path]

    def mark(self, passage: str, label: str) -> LearnedField | None:
        """Every fixed occurrence of ``passage`` becomes a new text field labelled ``label``."""
        passage = passage.strip()
        if not passage:
            return None
        n = 1
        while self.field(f"text_{n}"):
            n += 1
        new = LearnedField(path=f"text_{n}", label=label or passage[:10], kind="text", value=passage, why="marked")
        found = False
        for block in self.blocks:
            found |= _split(block.segments, passage, new.path)
            for row in block.rows:
                for cell in row:
                    found |= _split(cell, passage, new.path)
        if found:
            self.fields.append(new)
            return new
        return None


def _split(segments: list[Segment], passage: str, path: str) -> bool:
    found = False
    i = 0
    while i < len(segments):
        seg = segments[i]
        at = seg.text.find(passage) if not seg.field else -1
        if at < 0:
            i += 1
            continue
        found = True
        parts = [Segment(seg.text[:at]), Segment(passage, path, "{{ %s }}" % path), Segment(seg.text[at + len(passage):])]
        segments[i : i + 1] = [p for p in parts if p.text]
        i += 2 if at else 1
    return found


def shown(value: object) -> str:
    """A proposed field's value as a clerk reads it (in the CLI's summary and on the web review page)."""
    import datetime

    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dict) and "leader" in value:
        people = [value["leader"], *value["deputies"], *value["members"]]
        return "、".join(p["name"] for p in people)
    if isinstance(value, dict):
        return "，".join(str(v) for v in value.values())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
