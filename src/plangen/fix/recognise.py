"""From paragraphs of any document to the document model: 版头 and 发文字号, the title with all its
lines, 主送, headings, body, tables, the attachment note, signature and date with the notes after it,
版记, and each later part (the plan a notice issues, an attachment with its own title) on a new page,
with every change written to the report.

The author's numbers are kept where their numbering holds and renumbered by level where it does not
(:mod:`plangen.fix.numbers`), each number that comes out different reported (old → new); a numbered
sentence stays an item of a list. A heading whose level cannot be told is kept as it is and handed to
a person, never guessed silently.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from plangen import text as T
from plangen.document import Block, Document, Heading, PageBreak, Paragraph, Run, Signature, Table, Title
from plangen.fix.clean import clean_text, cut, merge_runs, normalise_runs
from plangen.fix.lines import (
    ANNOTATION_RE,
    ATTACHMENT_LABEL_RE,
    ATTACHMENT_RE,
    CHAPTER_RE,
    COLOPHON_RE,
    DATE_RE,
    DOC_TYPE_RE,
    DOCNO_LINE_RE,
    ITEM_RE,
    MARK_RE,
    NOTE_RE,
    SourceParagraph,
    ends_sentence,
    heading_number,
    paragraphs,
    title_like,
    width,
)
from plangen.fix.numbers import Numbered, resolve
from plangen.fix.report import Report
from plangen.fix.sources import Source, SourceTable
from plangen.gbt9704.items import HEADING_MAX
from plangen.gbt9704.items import kind as items_kind
from plangen.gbt9704.layout import TITLE_LINE_EM
from plangen.gbt9704.numbering import heading_numbers, label_level
from plangen.gbt9704.numbering import number as number_label
from plangen.i18n import _, msg


@dataclass
class _State:
    report: Report
    blocks: list[Block] = field(default_factory=list)
    numbered: list[tuple[Heading, str, SourceParagraph]] = field(default_factory=list)
    """Headings whose number was typed: (heading, number as typed), to report renumbering."""
    unnumbered: list[tuple[Heading, SourceParagraph]] = field(default_factory=list)
    """Headings told by their look (bold, a heading style, Markdown #): the number they get is reported."""


# ---------------------------------------------------------------- recognition

def recognise(source: Source) -> tuple[Document, Report]:
    """The document model of ``source`` and the report of everything done to it."""
    report = Report(source.name)
    if source.converted:
        report.add("converted")
    if source.markup_removed:
        report.add("markup-removed", after=_("{n} lines", n=source.markup_removed))
    if source.comments_removed:
        report.add("comments-removed", after=_("{n} lines", n=source.comments_removed))
    if source.list_numbers:
        report.add("list-numbering", after=_("{n} paragraphs", n=source.list_numbers))
    if source.kind != "docx" and source.encoding not in ("utf-8", ""):
        report.add("decoded", after=source.encoding.upper())
    for item in source.manual:
        report.add("manual", item.where, item.what, note=item.note, person=True)
    items = paragraphs(source, report)
    state = _State(report)
    colophon = _colophon(items, state)
    index = _head(items, state)
    for start, end, signature in _parts(items, index):
        if start > index:
            start = _part_head(items, start, state)
        _body(items[start:end], state)
        if signature is not None:
            _signature_block(items, signature, state)
    state.blocks.extend(colophon)
    _plain_numbers(state.blocks)
    _report_numbers(state)
    _report_run_in(state)
    doc = Document(state.blocks, title=next((b.text for b in state.blocks if isinstance(b, Title)), ""), notes=list(source.notes), images=list(source.images))
    if source.images:
        report.add("pictures", after=_("{n} pictures", n=len(source.images)))
    if source.notes:
        report.add("footnotes", after=_("{n} footnotes", n=len(source.notes)))
    report.changes.sort(key=lambda c: c.line)  # document order (stable: within a line, in the order found)
    return doc, report


def _norm(para: SourceParagraph) -> str:
    return T.normalise(para.text)


def _changed(para: SourceParagraph, after: str, report: Report) -> None:
    """Report the normalisation of ``para`` as the changed stretch with a little context."""
    before = para.text
    if T.normalise(before) != before.strip() and after != before:
        report.add("normalised", para.where, *excerpt(before, after), line=para.line.number)


def excerpt(before: str, after: str, context: int = 4) -> tuple[str, str]:
    """The part of ``before`` and ``after`` that differs, with ``context`` characters either side."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    lo = max(0, start - context)
    return before[lo:len(before) - max(0, end - context)], after[lo:len(after) - max(0, end - context)]


def _flush(para: SourceParagraph, state: _State, kind: str = "flush") -> str:
    text = _norm(para)
    _changed(para, text, state.report)
    state.blocks.append(Paragraph([Run(text)], kind=kind))  # type: ignore[arg-type]
    return text


def _is_docno(para: SourceParagraph) -> bool:
    return bool(DOCNO_LINE_RE.match(para.text.replace(" ", "")) or DOCNO_LINE_RE.match(_norm(para)))


def _head(items: list[SourceParagraph | SourceTable], state: _State) -> int:
    """Issuing header, document number (above or under the title), title (all its lines) and 主送;
    returns where the body starts."""
    report = state.report
    i = 0
    while i < len(items) and i < 4:  # an issued notice's header: 某某文件, 签发人, the document number line
        item = items[i]
        if not isinstance(item, SourceParagraph):
            break
        text = _norm(item)
        if _is_docno(item):
            code = "document-number"
        elif MARK_RE.match(text) or text.startswith("签发人"):
            code = "header"
        else:
            break
        _flush(item, state)
        report.add(code, item.where, after=text, note=msg("fix.header", "kept as a plain line: lay the red header out by hand or with plangen generate --notice"), person=True, line=item.line.number)
        i += 1
    end = _title(items, i, state)
    if end == i:
        report.add("title-missing", items[i].where if i < len(items) and isinstance(items[i], SourceParagraph) else "", person=True,  # type: ignore[union-attr]
                   note=msg("fix.title", "add the title as the first line"), line=items[i].line.number if i < len(items) and isinstance(items[i], SourceParagraph) else 0)  # type: ignore[union-attr]
    i = end
    if end > 0 and i < len(items) and isinstance(items[i], SourceParagraph) and _is_docno(items[i]):  # type: ignore[arg-type]
        para = items[i]
        assert isinstance(para, SourceParagraph)
        text = _flush(para, state, "centre")
        report.add("document-number-under-title", para.where, after=text, line=para.line.number)
        i += 1
    if i < len(items) and isinstance(items[i], SourceParagraph):
        addressee = items[i]
        assert isinstance(addressee, SourceParagraph)
        text = _norm(addressee)
        if (text.endswith("：") and width(text) <= 150 and not heading_number(addressee.text)
                and not any(w in text for w in ("。", "如下", "现将", "根据", "为了", "经研究"))):
            _flush(addressee, state)
            report.add("addressee", addressee.where, after=text, line=addressee.line.number)
            i += 1
    return i


def _title(items: list[SourceParagraph | SourceTable], i: int, state: _State) -> int:
    """The title's lines from ``i``, kept broken where the source broke them; returns the index after."""
    if i >= len(items) or not isinstance(items[i], SourceParagraph):
        return i
    first = items[i]
    assert isinstance(first, SourceParagraph)
    if not title_like(first, _norm(first)):
        return i
    lines = [first]
    while i + len(lines) < len(items) and len(lines) < 3:
        nxt = items[i + len(lines)]
        if not isinstance(nxt, SourceParagraph) or not _joins_title(lines, nxt, items[i + len(lines) + 1:i + len(lines) + 2]):
            break
        lines.append(nxt)
    texts = [_norm(p) for p in lines]
    title = "".join(texts)
    # the source's breaks where the title needs more than one line; a title that fits is one line
    breaks = tuple(itertools.accumulate(len(t) for t in texts[:-1])) if width(title) > TITLE_LINE_EM else ()
    for p, t in zip(lines, texts):
        _changed(p, t, state.report)
    if len(lines) > 1:
        state.report.add("title-joined", lines[1].where, " / ".join(texts), title, line=lines[1].line.number)
    state.blocks.append(Title(title, breaks))
    state.report.add("title", first.where, after=title, line=first.line.number)
    return i + len(lines)


def _joins_title(lines: list[SourceParagraph], nxt: SourceParagraph, after: list[SourceParagraph | SourceTable]) -> bool:
    """Whether ``nxt`` is one more line of the title ``lines`` began: a title ends with its kind of
    document (通知, 方案, 意见…); until it does, a short title-like line goes on it."""
    text = _norm(nxt)
    title = "".join(_norm(p) for p in lines)
    if not title_like(nxt, text) or width(text) > HEADING_MAX or _is_docno(nxt) or DOC_TYPE_RE.search(title):
        return False
    last = lines[-1].line
    if (last.md_level and nxt.line.md_level == last.md_level) or (last.centred and nxt.line.centred and last.size == nxt.line.size):
        return True
    if nxt.line.soft and not nxt.line.blank_before:
        return True
    if DOC_TYPE_RE.search(text):
        return True
    following = after[0] if after else None
    return (len(lines) == 1 and isinstance(following, SourceParagraph) and title_like(following, _norm(following))
            and bool(DOC_TYPE_RE.search(_norm(following))) and width(_norm(following)) <= HEADING_MAX)


# ---------------------------------------------------------------- signatures, notes and parts

def _colophon(items: list[SourceParagraph | SourceTable], state: _State) -> list[Block]:
    """Colophon lines (抄送, …印发) taken off the end of ``items``."""
    colophon: list[Block] = []
    while items and isinstance(items[-1], SourceParagraph) and COLOPHON_RE.match(_norm(items[-1])) and len(items) > 2:
        para = items.pop()
        assert isinstance(para, SourceParagraph)
        text = _norm(para)
        _changed(para, text, state.report)
        colophon.insert(0, Paragraph([Run(text)], kind="flush"))
        state.report.add("colophon", para.where, after=text, note=msg("fix.colophon", "kept as a plain line: lay the colophon out by hand or with plangen generate --notice"), person=True, line=para.line.number)
    return colophon


@dataclass
class _Signed:
    """Where a signature block is: the signer line (or None), the date line, the notes after it."""

    signer: int | None
    date: int
    end: int


def _parts(items: list[SourceParagraph | SourceTable], start: int) -> list[tuple[int, int, _Signed | None]]:
    """(start, end, signature block) of each part: the notice, then each document that follows a
    signature (the plan it issues, an attachment with its own title)."""
    out: list[tuple[int, int, _Signed | None]] = []
    i = begin = start
    while i < len(items):
        item = items[i]
        if isinstance(item, SourceParagraph) and DATE_RE.match(_norm(item).replace(" ", "")) and i >= start:
            signer = i - 1 if i - 1 >= begin and isinstance(items[i - 1], SourceParagraph) and _signer_like(items[i - 1], _norm(items[i - 1])) else None  # type: ignore[arg-type]
            end = i + 1
            while end < len(items) and isinstance(items[end], SourceParagraph) and (NOTE_RE.match(_norm(items[end])) or ANNOTATION_RE.match(_norm(items[end]))):  # type: ignore[arg-type]
                end += 1
            if end == len(items) or _starts_part(items, end):
                out.append((begin, signer if signer is not None else i, _Signed(signer, i, end)))
                i = begin = end
                continue
        i += 1
    if begin < len(items) or not out:
        out.append((begin, len(items), None))
    return out


def _starts_part(items: list[SourceParagraph | SourceTable], i: int) -> bool:
    item = items[i]
    if not isinstance(item, SourceParagraph):
        return False
    text = _norm(item)
    if ATTACHMENT_LABEL_RE.match(text):
        return True
    return (title_like(item, text) and not _signer_like(item, text)) or bool(item.line.md_level)


def _signer_like(para: SourceParagraph, text: str) -> bool:
    return (0 < width(text) <= 40 and not ends_sentence(text) and not text.endswith(("，", "。")) and heading_number(para.text) is None
            and not ATTACHMENT_RE.match(text) and "，" not in text and not ITEM_RE.match(text) and not para.line.md_level
            and not NOTE_RE.match(text) and not DOC_TYPE_RE.search(text.replace("\u3000", "")[-4:]) and not CHAPTER_RE.match(text))


def _signature_block(items: list[SourceParagraph | SourceTable], signed: _Signed, state: _State) -> None:
    report = state.report
    date = items[signed.date]
    assert isinstance(date, SourceParagraph)
    date_text = _norm(date).replace(" ", "")
    _changed(date, date_text, report)
    signer_text = ""
    if signed.signer is not None:
        signer = items[signed.signer]
        assert isinstance(signer, SourceParagraph)
        signer_text = _norm(signer)
        _changed(signer, signer_text, report)
    state.blocks.append(Signature(signer_text, date_text))
    report.add("signature", date.where, after=f"{signer_text} {date_text}".strip(), line=date.line.number)
    for para in items[signed.date + 1:signed.end]:
        assert isinstance(para, SourceParagraph)
        text = _norm(para)
        _changed(para, text, report)
        state.blocks.append(Paragraph([Run(text)]))
        report.add("note", para.where, after=text, line=para.line.number)


def _part_head(items: list[SourceParagraph | SourceTable], i: int, state: _State) -> int:
    """A later part on a page of its own: 附件1 above it, then its title."""
    state.blocks.append(PageBreak())
    item = items[i]
    if isinstance(item, SourceParagraph) and ATTACHMENT_LABEL_RE.match(_norm(item)):
        _flush(item, state)
        i += 1
    end = _title(items, i, state)
    if end > i:
        title = state.blocks[-1]
        assert isinstance(title, Title)
        state.report.add("part", items[i].where, after=title.text, line=items[i].line.number)  # type: ignore[union-attr]
    return end


# ---------------------------------------------------------------- body

@dataclass
class _Entry:
    """One body item sorted before levels are given: ``kind`` is para, attachment, numbered, look or table."""

    kind: str
    para: SourceParagraph | None = None
    table: Table | None = None
    number: Numbered | None = None


def _entries(items: list[SourceParagraph | SourceTable], report: Report) -> list[_Entry]:
    entries: list[_Entry] = []
    in_attachment = False
    for item in items:
        if isinstance(item, SourceTable):
            table = _table(item, report)
            if table is not None:
                entries.append(_Entry("table", table=table))
            in_attachment = False
            continue
        text = item.text
        if ATTACHMENT_RE.match(text):
            in_attachment = True
            entries.append(_Entry("attachment", item))
            report.add("attachment", item.where, after=T.normalise(text), line=item.line.number)
            continue
        if (in_attachment or item.attachment) and ITEM_RE.match(text) and width(text) <= 60:
            entries.append(_Entry("attachment", item))  # 2．名称 under 附件：1．名称 is not a heading
            continue
        in_attachment = False
        found = heading_number(text)
        if found is not None:
            style, value, typed = found
            rest = T.normalise(text[len(typed):]).strip()
            kind, _end = items_kind(rest, style)
            entries.append(_Entry("numbered", item, number=Numbered(style, value, typed, kind, closes=rest[-1:])))
        else:
            entries.append(_Entry("look" if _looks_like_heading(item) else "para", item))
    resolve([e.number for e in entries if e.number is not None])
    return entries


def _table(item: SourceTable, report: Report) -> Table | None:
    """The table's rows, empty rows left out unless a merged cell reaches into them."""
    spanned = {r for r0, _c, n, _m in item.merged for r in range(r0, r0 + n)}
    kept = [i for i, row in enumerate(item.rows) if any(cell.strip() for cell in row) or i in spanned]
    rows = [[clean_text(cell) for cell in item.rows[i]] for i in kept]
    if not rows:
        return None
    columns = max(len(r) for r in rows)
    rows = [r + [""] * (columns - len(r)) for r in rows]
    index = {old: new for new, old in enumerate(kept)}
    merged = tuple((index[r], c, n, m) for r, c, n, m in item.merged if r in index)
    report.add("table", _("table {n}", n=item.number), after=_("{rows} rows, {columns} columns", rows=len(rows), columns=columns))
    if merged:
        report.add("table-merged", _("table {n}", n=item.number), after=_("{n} merged cells", n=len(merged)))
    return Table(rows[0], rows[1:], merged=merged)


def _body(items: list[SourceParagraph | SourceTable], state: _State) -> None:
    """Headings, body paragraphs, tables and the attachment note, in order."""
    report = state.report
    entries = _entries(items, report)
    typed = any(e.number is not None and e.number.kind != "item" for e in entries)
    md_levels = sorted({e.para.line.md_level for e in entries if e.kind == "look" and e.para is not None and e.para.line.md_level})
    looks = [e.para.line for e in entries if e.kind == "look" and e.para is not None]
    bold_alone = bool(looks) and not any(line.md_level or _style_level(line.style) or _font_level(line.font) for line in looks)
    depth = 0
    for entry in entries:
        if entry.table is not None:
            state.blocks.append(entry.table)
            continue
        para = entry.para
        assert para is not None
        if entry.number is not None and entry.number.kind != "item":
            depth = _numbered(para, entry.number, state)
            continue
        runs = normalise_runs(para.runs)
        text = "".join(r.text for r in runs)
        if entry.kind == "attachment":
            _changed(para, text, report)
            state.blocks.append(Paragraph(runs, kind="attachment"))
            continue
        level = _look_level(para, md_levels, typed, bold_alone) if entry.kind == "look" else None
        if entry.kind == "look" and level is None:
            report.add("level-unknown", para.where, after=text, person=True, line=para.line.number,
                       note=msg("fix.level", "kept as a body paragraph: type its number (一、 （一） 1. （1）) and run fix again"))
        if level is None:  # as it was: bold stays bold, nothing is made bold, an item keeps its number
            _changed(para, text, report)
            if runs:
                state.blocks.append(Paragraph(runs))
            continue
        level = min(level, depth + 1)
        heading = Heading(level, text)
        state.blocks.append(heading)
        state.unnumbered.append((heading, para))
        depth = level


def _looks_like_heading(para: SourceParagraph) -> bool:
    """A short line set apart by its look: a Markdown heading, a Word heading style, bold, 黑体 or 楷体."""
    text = para.text
    if ends_sentence(text) or text.endswith(("，", "。")) or width(text) > HEADING_MAX or CHAPTER_RE.match(text):
        return False
    line = para.line
    return bool(line.md_level or _style_level(line.style) or line.bold or _font_level(line.font))


def _style_level(style: str) -> int | None:
    m = re.match(r"^(?:heading|标题)\s*(\d)$", style)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 4 else None


def _font_level(font: str) -> int | None:
    lowered = font.lower()
    if "黑体" in font or "simhei" in lowered or "heiti" in lowered:
        return 1
    if "楷体" in font or "kaiti" in lowered or "simkai" in lowered:
        return 2
    return None


def _look_level(para: SourceParagraph, md_levels: list[int], numbered: bool, bold_alone: bool) -> int | None:
    """The level of an unnumbered heading when its look tells it; None when it cannot be told (any
    look-heading among typed numbers, whose place between them is unclear; plain bold beside
    headings whose style or font gives their level). ``bold_alone``: bold is the only heading look
    in the document, so bold lines are its one level of headings."""
    if numbered:
        return None
    line = para.line
    if line.md_level:
        return md_levels.index(line.md_level) + 1 if len(md_levels) <= 4 else None
    return _style_level(line.style) or _font_level(line.font) or (1 if bold_alone and line.bold else None)


def _numbered(para: SourceParagraph, found: Numbered, state: _State) -> int:
    """A heading whose number was typed, at its level (its depth among the number styles open above
    it): the number off; the author's number kept when the numbering holds. A run-in heading keeps
    its text after it in the same paragraph (the writer runs them together); a heading's closing
    。 or ： is taken off and reported."""
    report = state.report
    level = found.level
    if found.label is None and level != found.style:  # renumbered, and at another level than its style says
        report.add("level-guessed", para.where, found.typed.strip(), _("level {n}", n=level), person=True,
                   note=msg("fix.guessed", "this number style is used at another level elsewhere: check the level"), line=para.line.number)
    runs = normalise_runs(cut(para.runs, len(found.typed)))
    text = "".join(r.text for r in runs).strip()
    kind, end = items_kind(text, found.style)
    rest: list[Run] = []
    if kind == "run-in":
        head = text[:end]
        rest = cut(runs, end)
    else:
        head = text[:end]
        if end < len(text):
            report.add("heading-split", para.where, text, head, line=para.line.number)
    heading = Heading(level, head, number=found.label, run_in=kind == "run-in")
    state.blocks.append(heading)
    state.numbered.append((heading, found.typed.strip(), para))
    if rest:
        state.blocks.append(Paragraph(merge_runs(rest)))
    return level


def _plain_numbers(blocks: list[Block]) -> None:
    """A kept number the writer would give anyway is dropped, so the model says the same whether
    the author's numbers were kept or made (fixing a fixed file changes nothing)."""
    counters = [0] * 5
    for block in blocks:
        if isinstance(block, Title):
            counters = [0] * 5
        elif isinstance(block, Heading):
            counters[block.level] += 1
            counters[block.level + 1:] = [0] * (4 - block.level)
            if block.number == number_label(block.level, counters[block.level]):
                block.number = None


def _report_numbers(state: _State) -> None:
    """Each typed number that comes out different (renumbered, or its form normalised): old → new."""
    headings = [b for b in state.blocks if isinstance(b, Heading)]
    numbers = dict(zip((id(h) for h in headings), heading_numbers(state.blocks), strict=True))
    for heading, typed, para in state.numbered:
        new = numbers[id(heading)]
        if re.sub(r"\s", "", T.normalise(typed)) != new:
            state.report.add("renumbered", para.where, typed, new, line=para.line.number)
    for heading, para in state.unnumbered:  # a heading told by its look gets the number of its level: said as such
        state.report.add("heading", para.where, heading.text, numbers[id(heading)] + heading.text, line=para.line.number)


def _report_run_in(state: _State) -> None:
    """A level 3 or 4 heading runs into the paragraph after it, the writer closing it with 。: say so."""
    from plangen.writer.docx import ends_clause

    blocks = state.blocks
    for block, following in zip(blocks, blocks[1:]):
        shown = label_level(block.number) if isinstance(block, Heading) and block.number else getattr(block, "level", 0)
        if (isinstance(block, Heading) and shown >= 3 and not block.run_in and isinstance(following, Paragraph)
                and following.kind == "body"):
            if not ends_clause(block.text):
                state.report.add("heading-split", block.text[:12], block.text, block.text + "。")
                block.text += "。"
            block.run_in = True  # as the writer lays it out, so fixing the fixed file reads the same
