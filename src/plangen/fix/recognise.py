"""From lines of any document to the document model: title, 主送, headings by level, body, tables,
attachment note, signature and date, with every change written to the report.

Heading numbers typed by hand are taken off and only their *level* is kept: the writer numbers by
level (:mod:`plangen.gbt9704.numbering`), so a skipped or repeated number is corrected by
construction, and each number that comes out different is reported (old → new). A heading whose
level cannot be told is kept as it is and handed to a person, never guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plangen import text as T
from plangen.document import Block, Document, Heading, Paragraph, Run, Signature, Table, Title
from plangen.fix.report import Report
from plangen.fix.sources import Line, Source, SourceTable
from plangen.gbt9704.numbering import heading_numbers
from plangen.i18n import _, msg

_CN = "一二三四五六七八九十"
_CN_VALUE = {T.cn_number(n): n for n in range(1, 100)}
# (level, pattern): the number as typed, with the separators clerks use (、 . ． ，) and spaces
NUMBERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(f"^[（(]\\s*([{_CN}]{{1,3}})\\s*[)）]\\s*[、.．]?\\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*")),
    (1, re.compile(f"^([{_CN}]{{1,3}})\\s*[、.．,，]\\s*")),
    (3, re.compile(r"^(\d{1,2})\s*(?:[、,，]|[.．](?!\d))\s*")),
)
TERMINAL = ("。", "！", "？", "：", "；", "…", "”", "’", "」", "』", "!", "?", ":", ";")
OPEN_ENDS = ("，", "、", "（", "“", "《", ",", "(", "‘")
DOC_TYPE_RE = re.compile(
    "(方案|通知|报告|意见|办法|规定|决定|请示|函|纪要|计划|总结|规划|细则|制度|要点|公告|通报|批复|标准|决议|通告|"
    "安排|预案|说明|倡议书|章程|守则|须知|实施细则|工作要点|[篇稿])$"
)
DATE_RE = re.compile(
    r"^(?:\d{4}|20[xX×_＿]{2}|[〇○零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[xX×_＿]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?:\d{1,2}|[xX×_＿]{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
DOCNO_LINE_RE = re.compile(r"^\S{0,16}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\s*\d+\s*号$")
MARK_RE = re.compile(r"^\S{2,30}文件$")
ATTACHMENT_RE = re.compile(r"^附\s*件\s*[:：]")
ITEM_RE = re.compile(r"^\d{1,2}\s*[.．、]")
COLOPHON_RE = re.compile(r"^(?:抄\s*送\s*[:：]|.{2,40}\s*印发$)")
SPACES = " \t\u3000\xa0"
_INNER_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_CJK_MARK = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026\u2014]")
HEADING_MAX = 40  # characters: a longer "heading" is a sentence


def heading_number(text: str) -> tuple[int, int, str] | None:
    """(style level 1–4, value, the number as typed) when ``text`` starts with a heading number."""
    for level, pattern in NUMBERS:
        m = pattern.match(text)
        if m and m.end() < len(text):
            written = m.group(1)
            value = _CN_VALUE.get(written) if level in (1, 2) else int(written)
            if value is None:
                continue
            return level, value, m.group()
    return None


def width(text: str) -> float:
    return T.display_width(text)


@dataclass
class Para:
    """A paragraph being recognised: its runs (cleaned), its look, where it came from."""

    runs: list[Run]
    line: Line
    where: str
    joined: int = 0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class _State:
    report: Report
    blocks: list[Block] = field(default_factory=list)
    numbered: list[tuple[Heading, str, Para]] = field(default_factory=list)
    """Headings whose number was typed: (heading, number as typed), to report renumbering."""


# ---------------------------------------------------------------- cleaning

def _space(m: re.Match[str]) -> str:
    s = m.string
    before = s[m.start() - 1] if m.start() else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if not before or not after:
        return ""
    han_before, han_after = T.HAN_RE.match(before), T.HAN_RE.match(after)
    wide = len(m.group()) > 1 and "\u3000" not in m.group() or len(m.group()) > 2  # a gap set on purpose: 办公室  2024年3月5日印发
    if (_CJK_MARK.match(before) or _CJK_MARK.match(after) or (han_before and (after in "(,:;?!" or after.isdigit() and not wide))
            or (han_after and (before in "),:;?!" or before.isdigit() and not wide))):
        return ""  # "一、 指导思想", "2024年 4月": spacing typed for the eye
    return " "


def clean_runs(runs: list[Run]) -> tuple[list[Run], bool]:
    """Invisible characters out, leading/trailing and typed spacing out; (runs, whether spacing went)."""
    text = "".join(r.text for r in runs)
    out: list[Run] = []
    for r in runs:
        t = T.strip_invisible(r.text.replace("\t", "  "), keep_newlines=False)  # a tab is a gap set on purpose
        if t:
            out.append(Run(t, r.bold, r.underline))
    changed = False
    if out:
        first = out[0].text.lstrip(SPACES)
        changed |= first != out[0].text
        out[0] = Run(first, out[0].bold, out[0].underline)
        last = out[-1].text.rstrip(SPACES)
        changed |= last != out[-1].text
        out[-1] = Run(last, out[-1].bold, out[-1].underline)
    joined = "".join(r.text for r in out)
    squeezed = _INNER_SPACE.sub(_space, joined)
    if squeezed != joined:
        changed = True
        out = _respace(out)
    out = [r for r in out if r.text]
    return _merge(out), changed or text.strip(SPACES) != text


def _respace(runs: list[Run]) -> list[Run]:
    """Apply the spacing rule across run boundaries, run by run (emphasis kept)."""
    joined = "".join(r.text for r in runs)
    keep = [True] * len(joined)
    for m in _INNER_SPACE.finditer(joined):
        replacement = _space(m)
        for i in range(m.start(), m.end()):
            keep[i] = False
        if replacement:
            keep[m.start()] = True
    out, pos = [], 0
    for r in runs:
        text = "".join(c if c != "\u3000" and c != "\xa0" and c != "\t" else " " for c, k in zip(r.text, keep[pos:pos + len(r.text)]) if k)
        pos += len(r.text)
        out.append(Run(text, r.bold, r.underline))
    return out


def clean_text(text: str) -> str:
    """One table cell or line: spacing and invisible characters out, then text.normalise."""
    runs, _changed = clean_runs([Run(text)])
    return T.normalise("".join(r.text for r in runs))


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if out and (out[-1].bold, out[-1].underline) == (r.bold, r.underline):
            out[-1] = Run(out[-1].text + r.text, r.bold, r.underline)
        else:
            out.append(r)
    return out


def normalise_runs(runs: list[Run]) -> list[Run]:
    """text.normalise on each run, kept per run only when it agrees with normalising the whole line
    (a rule can look across a run boundary); otherwise the line's emphasis is merged."""
    whole = T.normalise("".join(r.text for r in runs))
    each = [Run(T.normalise(r.text), r.bold, r.underline) for r in runs]
    each = [r for r in each if r.text]
    if "".join(r.text for r in each) == whole:
        return _merge(each)
    bold = bool(runs) and all(r.bold for r in runs)
    underline = bool(runs) and all(r.underline for r in runs)
    return [Run(whole, bold, underline)] if whole else []


def cut(runs: list[Run], start: int, end: int | None = None) -> list[Run]:
    """The runs covering characters ``start:end`` of their joined text."""
    out, pos = [], 0
    for r in runs:
        a, b = pos, pos + len(r.text)
        pos = b
        lo, hi = max(a, start), b if end is None else min(b, end)
        if lo < hi:
            out.append(Run(r.text[lo - a:hi - a], r.bold, r.underline))
    return out


# ---------------------------------------------------------------- lines → paragraphs

def _where(source: Source, line: Line, text: str) -> str:
    words = text[:12] + ("…" if len(text) > 12 else "")
    if source.kind == "docx":
        return _("paragraph {n} “{words}”", n=line.number, words=words)
    return _("line {n} “{words}”", n=line.number, words=words)


def _structural_start(line: Line, text: str) -> bool:
    return bool(line.md_level or heading_number(text) or ATTACHMENT_RE.match(text) or DATE_RE.match(text)
                or COLOPHON_RE.match(text) or DOCNO_LINE_RE.match(text))


def _ends(text: str) -> bool:
    return text.endswith(TERMINAL)


def _wrap_width(paras: list[Para]) -> float:
    """The width text copied from a PDF was wrapped at, or 0 when it was not: many lines (a third,
    three at least) within two characters of the same width of 20 or more."""
    widths = [width(p.text) for p in paras]
    counts: dict[int, int] = {}
    for w in widths:
        if w >= 20:
            counts[round(w)] = counts.get(round(w), 0) + 1
    best, best_count = 0.0, 0
    for w in counts:
        near = sum(1 for x in widths if w - 2 <= x <= w + 1)
        if near > best_count or near == best_count and w > best:
            best, best_count = float(w), near
    return best if best_count >= max(3, len(widths) / 3) else 0.0


def paragraphs(source: Source, report: Report) -> list[Para | SourceTable]:
    """Cleaned lines, a line that breaks a sentence (copied from a PDF or a chat) joined to the next."""
    items: list[Para | SourceTable] = []
    spacing = 0
    for source_item in source.items:
        if isinstance(source_item, SourceTable):
            items.append(source_item)
            continue
        runs, changed = clean_runs(source_item.runs)
        spacing += changed
        if runs:
            items.append(Para(runs, source_item, _where(source, source_item, "".join(r.text for r in runs))))
    if spacing:
        report.add("spacing-removed", after=_("{n} paragraphs", n=spacing))
    if source.empty_removed:
        report.add("empty-removed", after=_("{n} paragraphs", n=source.empty_removed))
    wrap = _wrap_width([p for p in items if isinstance(p, Para)])
    out: list[Para | SourceTable] = []
    joined = 0
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, Para) and isinstance(prev, Para) and _continues(prev, item, wrap):
            prev.runs = _merge(prev.runs + item.runs)
            prev.joined += 1
            joined += 1
            continue
        out.append(item)
    if joined:
        report.add("lines-joined", after=_("{n} line breaks", n=joined))
    for item in out:
        if isinstance(item, Para):
            _report_placeholders(T.normalise(item.text), item.where, item.line.number, report)
        else:
            for row in item.rows:
                for cell in row:
                    _report_placeholders(T.normalise(cell), _("table {n}", n=item.number), 0, report)
    return out


def _continues(prev: Para, nxt: Para, wrap: float) -> bool:
    """Whether ``nxt`` goes on the sentence ``prev`` broke off."""
    a, b = prev.text, nxt.text
    if _ends(a) or prev.line.md_level or _structural_start(nxt.line, b):
        return False
    if nxt.line.blank_before and not a.endswith(OPEN_ENDS):
        return False  # an empty line ends a paragraph, unless the sentence stops at a comma: 并提出，\n\n三项措施
    if prev.line.bold != nxt.line.bold or prev.line.centred != nxt.line.centred:
        return False
    if heading_number(a) and width(a) <= HEADING_MAX and prev.joined == 0 and not a.endswith(OPEN_ENDS):
        return False  # a heading line: "一、指导思想"
    if a.endswith(OPEN_ENDS) or nxt.line.soft:
        return True
    return bool(wrap) and width(a) >= wrap - 3


# ---------------------------------------------------------------- recognition

def recognise(source: Source) -> tuple[Document, Report]:
    """The document model of ``source`` and the report of everything done to it."""
    report = Report(source.name)
    if source.converted:
        report.add("converted")
    if source.markup_removed:
        report.add("markup-removed", after=_("{n} lines", n=source.markup_removed))
    if source.list_numbers:
        report.add("list-numbering", after=_("{n} paragraphs", n=source.list_numbers))
    if source.kind != "docx" and source.encoding not in ("utf-8", ""):
        report.add("decoded", after=source.encoding.upper())
    items = paragraphs(source, report)
    state = _State(report)
    tail = _tail(items, state)  # signature, date, colophon: taken off the end (of ``items``) first
    index = _head(items, state)
    _body(items[index:], state)
    state.blocks.extend(tail)
    _report_numbers(state)
    _report_run_in(state)
    doc = Document(state.blocks, title=next((b.text for b in state.blocks if isinstance(b, Title)), ""))
    report.changes.sort(key=lambda c: c.line)  # document order (stable: within a line, in the order found)
    return doc, report


def _norm(para: Para) -> str:
    return T.normalise(para.text)


def _changed(para: Para, after: str, report: Report) -> None:
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


def _head(items: list[Para | SourceTable], state: _State) -> int:
    """Issuing header, document number, title (one or two lines) and 主送; returns where the body starts."""
    report = state.report
    i = 0
    # an issued notice's header: 某某文件, 签发人, the document number line
    while i < len(items) and i < 4:
        item = items[i]
        if not isinstance(item, Para):
            break
        text = _norm(item)
        if DOCNO_LINE_RE.match(item.text.replace(" ", "")) or DOCNO_LINE_RE.match(text):
            code = "document-number"
        elif MARK_RE.match(text) or text.startswith("签发人"):
            code = "header"
        else:
            break
        _changed(item, text, report)
        state.blocks.append(Paragraph([Run(text)], kind="flush"))
        report.add(code, item.where, after=text, note=msg("fix.header", "kept as a plain line: lay the red header out by hand or with plangen generate --notice"), person=True, line=item.line.number)
        i += 1
    if i >= len(items) or not isinstance(items[i], Para):
        report.add("title-missing", person=True, note=msg("fix.title", "add the title as the first line"))
        return i
    first = items[i]
    assert isinstance(first, Para)
    text = _norm(first)
    if not _title_like(first, text):
        report.add("title-missing", first.where, person=True, note=msg("fix.title", "add the title as the first line"), line=first.line.number)
        return i
    title, i = text, i + 1
    if i < len(items) and isinstance(items[i], Para):
        second = items[i]
        assert isinstance(second, Para)
        text2 = _norm(second)
        if _title_like(second, text2) and width(text2) <= HEADING_MAX and (
            (first.line.centred and second.line.centred and first.line.size == second.line.size)
            or (second.line.soft and not second.line.blank_before)
            or (not DOC_TYPE_RE.search(title) and DOC_TYPE_RE.search(text2))
        ):
            report.add("title-joined", second.where, f"{title} / {text2}", title + text2, line=second.line.number)
            title, i = title + text2, i + 1
    _changed(first, title, report)
    state.blocks.append(Title(title))
    report.add("title", first.where, after=title, line=first.line.number)
    if i < len(items) and isinstance(items[i], Para):
        addressee = items[i]
        assert isinstance(addressee, Para)
        text = _norm(addressee)
        if text.endswith("：") and width(text) <= 60 and "。" not in text and not heading_number(addressee.text):
            _changed(addressee, text, report)
            state.blocks.append(Paragraph([Run(text)], kind="flush"))
            report.add("addressee", addressee.where, after=text, line=addressee.line.number)
            i += 1
    return i


def _title_like(para: Para, text: str) -> bool:
    return (bool(text) and width(text) <= 60 and not text.endswith(("。", "；", "，", "：", "！", "？"))
            and heading_number(para.text) is None and not DATE_RE.match(text) and not ATTACHMENT_RE.match(text))


def _tail(items: list[Para | SourceTable], state: _State) -> list[Block]:
    """Colophon lines, then the date and the signing organ above it, taken off the end of ``items``."""
    report = state.report
    tail: list[Block] = []
    colophon: list[Block] = []
    while items and isinstance(items[-1], Para) and COLOPHON_RE.match(_norm(items[-1])) and len(items) > 2:
        para = items.pop()
        assert isinstance(para, Para)
        text = _norm(para)
        _changed(para, text, report)
        colophon.insert(0, Paragraph([Run(text)], kind="flush"))
        report.add("colophon", para.where, after=text, note=msg("fix.colophon", "kept as a plain line: lay the colophon out by hand or with plangen generate --notice"), person=True, line=para.line.number)
    if len(items) >= 3 and isinstance(items[-1], Para) and isinstance(items[-2], Para):
        date, signer = items[-1], items[-2]
        date_text = _norm(date).replace(" ", "")
        signer_text = _norm(signer)
        if DATE_RE.match(date_text) and _signer_like(signer, signer_text):
            items.pop()
            items.pop()
            _changed(date, date_text, report)
            _changed(signer, signer_text, report)
            tail.append(Signature(signer_text, date_text))
            report.add("signature", signer.where, after=f"{signer_text} {date_text}", line=signer.line.number)
    return tail + colophon


def _signer_like(para: Para, text: str) -> bool:
    return (0 < width(text) <= 30 and not _ends(text) and not text.endswith(("，", "。")) and heading_number(para.text) is None
            and not ATTACHMENT_RE.match(text) and "，" not in text)


@dataclass
class _Entry:
    """One body item sorted before levels are given: ``kind`` is para, attachment, numbered, look or table."""

    kind: str
    para: Para | None = None
    table: Table | None = None
    number: tuple[int, int, str] | None = None
    """(number style 1–4, value, as typed) of a numbered heading."""


def _entries(items: list[Para | SourceTable], report: Report) -> list[_Entry]:
    entries: list[_Entry] = []
    in_attachment = False
    for item in items:
        if isinstance(item, SourceTable):
            rows = [[clean_text(cell) for cell in row] for row in item.rows if any(cell.strip() for cell in row)]
            if rows:
                columns = max(len(r) for r in rows)
                rows = [r + [""] * (columns - len(r)) for r in rows]
                entries.append(_Entry("table", table=Table(rows[0], rows[1:])))
                report.add("table", _("table {n}", n=item.number), after=_("{rows} rows, {columns} columns", rows=len(rows), columns=columns))
            in_attachment = False
            continue
        text = item.text
        if ATTACHMENT_RE.match(text):
            in_attachment = True
            entries.append(_Entry("attachment", item))
            report.add("attachment", item.where, after=T.normalise(text), line=item.line.number)
            continue
        if in_attachment and ITEM_RE.match(text) and width(text) <= 60:
            entries.append(_Entry("attachment", item))  # 2．名称 under 附件：1．名称 is not a heading
            continue
        in_attachment = False
        found = heading_number(text)
        if found is not None:
            entries.append(_Entry("numbered", item, number=found))
        else:
            entries.append(_Entry("look" if _looks_like_heading(item) else "para", item))
    return entries


def _body(items: list[Para | SourceTable], state: _State) -> None:
    """Headings, body paragraphs, tables and the attachment note, in order.

    A typed heading's level is its depth among the number styles open above it (一、 then 1. makes
    1. the second level), so skipped levels close up; the writer then numbers by level."""
    report = state.report
    entries = _entries(items, report)
    styles = sorted({e.number[0] for e in entries if e.number is not None})
    md_levels = sorted({e.para.line.md_level for e in entries if e.kind == "look" and e.para is not None and e.para.line.md_level})
    looks = [e.para.line for e in entries if e.kind == "look" and e.para is not None]
    bold_alone = bool(looks) and not any(line.md_level or _style_level(line.style) or _font_level(line.font) for line in looks)
    open_styles: list[int] = []  # number styles of the headings open above this point, outermost first
    depth = 0
    for entry in entries:
        if entry.table is not None:
            state.blocks.append(entry.table)
            continue
        para = entry.para
        assert para is not None
        if entry.number is not None:
            style, _value, typed = entry.number
            while open_styles and open_styles[-1] >= style:
                open_styles.pop()
            open_styles.append(style)
            depth = _numbered(para, len(open_styles), styles.index(style) + 1, typed, state)
            continue
        runs = normalise_runs(para.runs)
        text = "".join(r.text for r in runs)
        level = _look_level(para, md_levels, bool(styles), bold_alone) if entry.kind == "look" else None
        if entry.kind == "look" and level is None:
            report.add("level-unknown", para.where, after=text, person=True, line=para.line.number,
                       note=msg("fix.level", "kept as a body paragraph: type its number (一、 （一） 1. （1）) and run fix again"))
        if level is None:  # as it was: bold stays bold, nothing is made bold
            _changed(para, text, report)
            if runs:
                state.blocks.append(Paragraph(runs))
            continue
        level = min(level, depth + 1)
        open_styles = []
        state.blocks.append(Heading(level, text))
        report.add("heading", para.where, after=text, line=para.line.number)
        depth = level


def _looks_like_heading(para: Para) -> bool:
    """A short line set apart by its look: a Markdown heading, a Word heading style, bold, 黑体 or 楷体."""
    text = para.text
    if _ends(text) or text.endswith(("，", "。")) or width(text) > HEADING_MAX:
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


def _look_level(para: Para, md_levels: list[int], numbered: bool, bold_alone: bool) -> int | None:
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


def _numbered(para: Para, level: int, rank: int, typed: str, state: _State) -> int:
    """A heading whose number was typed, at ``level`` (its depth among the typed number styles open
    above it): the number off, the text after a short heading split into its own paragraph (run in
    again by the writer for levels 3 and 4). ``rank``: the level its number style has elsewhere;
    when the two differ the level is a reading of the numbers, which a person should confirm."""
    report = state.report
    if level != rank:
        report.add("level-guessed", para.where, typed.strip(), _("level {n}", n=level), person=True,
                   note=msg("fix.guessed", "this number style is used at another level elsewhere: check the level"), line=para.line.number)
    runs = normalise_runs(cut(para.runs, len(typed)))
    text = "".join(r.text for r in runs)
    m = re.search("[。！？：]", text)
    head, rest = text, []
    if m and width(text[:m.start()]) <= HEADING_MAX and m.end() < len(text):
        keep = 1 if level >= 3 else 0  # the writer puts 。 after a run-in heading; its own mark is kept
        head = text[:m.start() + keep]
        rest = cut(runs, m.end())
        if not keep:
            report.add("heading-split", para.where, text[:m.end()], head, line=para.line.number)
    elif level <= 2 and text.endswith(("。", "；")) and width(text) <= HEADING_MAX:
        head = text[:-1]
        report.add("heading-split", para.where, text, head, line=para.line.number)
    heading = Heading(level, head)
    state.blocks.append(heading)
    state.numbered.append((heading, typed.strip(), para))
    if rest:
        state.blocks.append(Paragraph(_merge(rest)))
    return level


def _report_numbers(state: _State) -> None:
    """Each typed number that the writer's numbering changes: old → new."""
    headings = [b for b in state.blocks if isinstance(b, Heading)]
    numbers = dict(zip((id(h) for h in headings), heading_numbers(state.blocks), strict=True))
    for heading, typed, para in state.numbered:
        new = numbers[id(heading)]
        if re.sub(r"\s", "", T.normalise(typed)) != new:
            state.report.add("renumbered", para.where, typed, new, line=para.line.number)


def _report_run_in(state: _State) -> None:
    """A level 3 or 4 heading runs into the paragraph after it, the writer closing it with 。: say so."""
    from plangen.writer.docx import ends_clause

    blocks = state.blocks
    for block, following in zip(blocks, blocks[1:]):
        if isinstance(block, Heading) and block.level >= 3 and isinstance(following, Paragraph) and following.kind == "body":
            if not ends_clause(block.text):
                state.report.add("heading-split", block.text[:12], block.text, block.text + "。")


def _report_placeholders(text: str, where: str, line: int, report: Report) -> None:
    """Placeholders are never filled in or removed: each is handed to a person."""
    for m in T.PLACEHOLDER_RE.finditer(text):
        report.add("placeholder", where, m.group(), person=True, note=msg("fix.placeholder", "fill in the real text"), line=line)
