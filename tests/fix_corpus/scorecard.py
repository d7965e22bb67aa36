"""How ``plangen fix`` does on the real documents (tests/fix_corpus/real): for each document in each
shape, the structure found against the one expected, the ``plangen check`` findings left on fix's own
output that are not handed to a person, OOXML errors, and Han characters and digits lost.

A document is *fit to file* when all four are clean. Used by tests/test_fix_real.py and by
bench/fix_corpus.py (which prints the numbers, before and after a change).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from fix_corpus import real_shapes as R
from plangen.document import Document, Heading, PageBreak, Paragraph, Signature, Title


@dataclass
class Outcome:
    name: str
    seconds: float
    differences: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    ooxml: list[str] = field(default_factory=list)
    lost: str = ""

    @property
    def fit(self) -> bool:
        return not (self.differences or self.findings or self.ooxml or self.lost)


_HAN = re.compile(r"[\u4e00-\u9fff0-9]")
_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}[.．](?!\d)|（\d{1,2}）)")
"""A heading number: renumbering changes its characters, which is reported, not lost."""


def structure(doc: Document) -> dict[str, object]:
    """The parts of ``doc`` that expected.json names, read from the document model."""
    blocks = doc.blocks
    breaks = [i for i, b in enumerate(blocks) if isinstance(b, PageBreak)]
    titles = [i for i, b in enumerate(blocks) if isinstance(b, Title) and (not breaks or i < breaks[0])]
    first = titles[0] if titles else None
    out: dict[str, object] = {"header": None, "docno": None, "title": [], "addressee": None, "numbers": [], "parts": [],
                              "signatures": [], "note": None, "attachments": [], "colophon": []}
    head = blocks[:first] if first is not None else []
    for b in head:
        if isinstance(b, Paragraph) and b.text.endswith("文件"):
            out["header"] = b.text
        elif isinstance(b, Paragraph) and re.search(r"〔\d{4}〕\d+号$", b.text):
            out["docno"] = b.text
    start = first if first is not None else 0
    if first is not None:
        title = blocks[first]
        assert isinstance(title, Title)
        cuts = (0, *title.breaks, len(title.text))
        out["title"] = [title.text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
        start = first + 1
    for b in blocks[start:start + 2]:
        if isinstance(b, Paragraph) and re.search(r"〔\d{4}〕\d+号$", b.text) and out["docno"] is None:
            out["docno"] = b.text
        elif isinstance(b, Paragraph) and b.kind == "flush" and b.text.endswith("：") and out["addressee"] is None:
            out["addressee"] = b.text
    if first is None:
        lead = next((b for b in blocks if isinstance(b, Paragraph)), None)
        if lead is not None and lead.kind == "flush" and lead.text.endswith("："):
            out["addressee"] = lead.text
    from plangen.gbt9704.numbering import heading_numbers

    labels = iter(heading_numbers(blocks))
    numbers: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            numbers.append(next(labels))
        elif isinstance(b, Paragraph) and b.kind == "body":
            m = re.match(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}\.(?!\d)|（\d{1,2}）)", b.text)
            if m:
                numbers.append(m.group())
    out["numbers"] = numbers
    out["parts"] = [b.text for i, b in enumerate(blocks) if isinstance(b, Title) and i != first]
    out["signatures"] = [[b.signer, b.date] for b in blocks if isinstance(b, Signature)]
    notes = [b.text for b in blocks if isinstance(b, Paragraph) and re.fullmatch(r"（[^（）]{2,40}）", b.text)]
    out["note"] = notes[0] if notes else None
    out["attachments"] = [b.text for b in blocks if isinstance(b, Paragraph) and b.text.startswith("附件：")]
    out["colophon"] = [b.text for b in blocks if isinstance(b, Paragraph) and b.kind == "flush" and b.text.startswith("抄送")]
    out["pagebreaks"] = sum(isinstance(b, PageBreak) for b in blocks)
    return out


def compare(stem: str, found: dict[str, object], texts: list[str], *, leading: bool = True) -> list[str]:
    """Differences between what was found and what ``stem`` expects; ``leading``: the shape kept the
    full-width spaces lining up a list (text copied from a PDF does not)."""
    expected = R.EXPECTED[stem]
    out = []
    for key in ("header", "docno", "title", "addressee", "numbers", "parts", "signatures", "note", "attachments", "colophon"):
        want, got = expected[key], found[key]
        if key == "signatures":
            want = [[re.sub(r"\s", "", s), d] for s, d in want]  # type: ignore[union-attr]
            got = [[re.sub(r"\s", "", s), d] for s, d in got]  # type: ignore[union-attr]
        if want != got:
            out.append(f"{key}: expected {want!r}, found {got!r}")
    if found["parts"] and found["pagebreaks"] < len(found["parts"]):  # type: ignore[arg-type]
        out.append("no page break before a later part")
    joined = "\n".join(texts)
    for line in expected["aligned"]:  # type: ignore[attr-defined]
        if (line if leading else line.strip("\u3000")) not in (texts if leading else joined):
            out.append(f"alignment lost: {line!r}")
    return out


def run(stem: str, shape: str) -> Outcome:
    from plangen.check import check
    from plangen.fix import fix_document
    from plangen.ooxml.reader import read
    from plangen.testing.ooxml import ooxml_errors

    name, data = R.build(stem, shape)
    start = time.perf_counter()
    result = fix_document(name, data)
    seconds = time.perf_counter() - start
    outcome = Outcome(name, seconds)
    texts = [p.text for p in read(result.data).paragraphs]
    outcome.differences = compare(stem, structure(result.document), texts, leading=shape != "pdf.txt")
    person = {c.code for c in result.report.for_person}
    outcome.findings = [f.line() for f in check(result.data, name=name) if not (f.rule == "placeholder" and "placeholder" in person)]
    outcome.ooxml = ooxml_errors(result.data)
    source = "".join(_HAN.findall("".join(_NUMBER.sub("", line.strip("\u3000 ")) for line in R.lines(R.HERE / f"{stem}.txt"))))
    kept = "".join(_HAN.findall("".join(_NUMBER.sub("", line.strip("\u3000 ")) for line in texts)))
    outcome.lost = _lost(source, kept)
    return outcome


def _lost(source: str, kept: str) -> str:
    """Han characters and digits of the source missing from the output (as a multiset)."""
    from collections import Counter

    missing = Counter(source) - Counter(kept)
    return "".join(sorted(missing.elements()))
