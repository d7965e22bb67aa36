"""From lines of any document to the document model: title, 主送, headings by level, body, tables,
attachment note, signature and date, with every change written to the report.

Heading numbers typed by hand are taken off and only their *level* is kept: the writer numbers by
level (:mod:`plangen.gbt9704.numbering`), so a skipped or repeated number is corrected by
construction, and each number that comes out different is reported (old → new). A heading whose
level cannot be told is kept as it is and handed to a person, never guessed silently.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from plangen import text as T
from plangen.document import MARKS, Block, Document, Heading, PageBreak, Paragraph, Run, Signature, Table, Title
from plangen.fix.numbers import Numbered, resolve
from plangen.fix.report import Report
from plangen.fix.sources import Line, Source, SourceTable
from plangen.gbt9704.items import HEADING_MAX
from plangen.gbt9704.layout import TITLE_LINE_EM
from plangen.gbt9704.items import kind as items_kind
from plangen.gbt9704.numbering import heading_numbers, label_level
from plangen.gbt9704.numbering import number as number_label
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
    "安排|预案|说明|倡议书|章程|守则|须知|实施细则|工作要点|条例|规则|措施|清单|指引|纲要|公报|[篇稿法]|（试行）|（暂行）)$"
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
NOTE_RE = re.compile(r"^[（(][^（）()]{2,30}[）)]$")
"""附注 and marks after the date: （此件公开发布） （本文有删减） （加盖印章）."""
ANNOTATION_RE = re.compile(r"^附\s*注\s*[:：]")
ATTACHMENT_LABEL_RE = re.compile(r"^附\s*件\s*\d{0,2}$")
"""附件1 alone on the first line of an attachment, above its title."""
CHAPTER_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]{1,4}[章节条编部分]")
LINE_START_MARKS = tuple("、，。；：！？）》」』】,;:!?)")
SPACES = " \t\u3000\xa0"
PRINTED_LINE = 28  # characters of a GB/T 9704 body line
_INNER_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_CJK_MARK = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026\u2014]")


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
    attachment: bool = False
    """An item of the attachment note (2．名称 under 附件：1．名称)."""

    @property
    def text(self) -> str:
        """Its text without footnote marks (they go with the runs)."""
        return MARKS.sub("", "".join(r.text for r in self.runs))


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
    if han_before and (han_after or after in "：（") and not m.group().strip("\u3000"):
        return m.group()  # full-width spaces between characters align a list: 组　长：韩　方
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
    verbatim = [False] * len(joined)
    for m in _INNER_SPACE.finditer(joined):
        replacement = _space(m)
        if replacement and replacement == m.group():
            for i in range(m.start(), m.end()):
                keep[i] = verbatim[i] = True
    out, pos = [], 0
    for r in runs:
        chars = zip(r.text, keep[pos:pos + len(r.text)], verbatim[pos:pos + len(r.text)])
        text = "".join(c if v or c not in "\u3000\xa0\t" else " " for c, k, v in chars if k)
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
    return bool(line.md_level or heading_number(text) or ATTACHMENT_RE.match(text) or DATE_RE.match(text.replace(" ", ""))
                or COLOPHON_RE.match(text) or DOCNO_LINE_RE.match(text) or ATTACHMENT_LABEL_RE.match(text) or CHAPTER_RE.match(text))


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
        if isinstance(item, Para) and isinstance(prev, Para) and _continues(prev, item, wrap, plain=source.kind != "docx"):
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


def _continues(prev: Para, nxt: Para, wrap: float, *, plain: bool = True) -> bool:
    """Whether ``nxt`` goes on the sentence ``prev`` broke off."""
    a, b = prev.text, nxt.text
    if prev.line.centred and nxt.line.soft and not _ends(a) and _title_like(prev, a):
        return False  # a title broken by a soft break: its lines are kept for the title
    if b[:1] in LINE_START_MARKS and not prev.line.md_level and not nxt.line.md_level and not _structural_start(prev.line, a):
        return True  # copied from a PDF: a line never starts with 、 or ， in the document itself
    if _ends(a) or prev.line.md_level or _structural_start(nxt.line, b) or NOTE_RE.match(b) or NOTE_RE.match(a):
        return False
    if (ATTACHMENT_RE.match(a) or prev.attachment) and ITEM_RE.match(b):
        nxt.attachment = True
        return False  # 附件：1．名称 then 2．名称: items of the note, never one line
    if nxt.line.blank_before and not a.endswith(OPEN_ENDS):
        return False  # an empty line ends a paragraph, unless the sentence stops at a comma: 并提出，\n\n三项措施
    if prev.line.bold != nxt.line.bold or prev.line.centred != nxt.line.centred:
        return False
    cut_off = (bool(wrap) or plain) and width(a) >= (wrap - 3 if wrap else PRINTED_LINE) and any(c in a for c in "，、；")  # a sentence the wrap cut
    if heading_number(a) and width(a) <= HEADING_MAX and prev.joined == 0 and not a.endswith(OPEN_ENDS) and not cut_off:
        return False  # a heading line: "一、指导思想"
    if a.endswith(OPEN_ENDS) or nxt.line.soft:
        return True
    if wrap:
        return width(a) >= wrap - 3
    # too few lines to tell the width text was wrapped at: a line as long as a printed one (28
    # characters) that stops mid-sentence goes on, unless it is set apart (centred, after an empty line)
    return plain and width(a) >= PRINTED_LINE and not prev.line.centred and not nxt.line.blank_before and not prev.line.style.startswith(("heading", "title"))


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


def _flush(para: Para, state: _State, kind: str = "flush") -> str:
    text = _norm(para)
    _changed(para, text, state.report)
    state.blocks.append(Paragraph([Run(text)], kind=kind))  # type: ignore[arg-type]
    return text


def _is_docno(para: Para) -> bool:
    return bool(DOCNO_LINE_RE.match(para.text.replace(" ", "")) or DOCNO_LINE_RE.match(_norm(para)))


def _head(items: list[Para | SourceTable], state: _State) -> int:
    """Issuing header, document number (above or under the title), title (all its lines) and 主送;
    returns where the body starts."""
    report = state.report
    i = 0
    while i < len(items) and i < 4:  # an issued notice's header: 某某文件, 签发人, the document number line
        item = items[i]
        if not isinstance(item, Para):
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
        report.add("title-missing", items[i].where if i < len(items) and isinstance(items[i], Para) else "", person=True,  # type: ignore[union-attr]
                   note=msg("fix.title", "add the title as the first line"), line=items[i].line.number if i < len(items) and isinstance(items[i], Para) else 0)  # type: ignore[union-attr]
    i = end
    if end > 0 and i < len(items) and isinstance(items[i], Para) and _is_docno(items[i]):  # type: ignore[arg-type]
        para = items[i]
        assert isinstance(para, Para)
        text = _flush(para, state, "centre")
        report.add("document-number-under-title", para.where, after=text, line=para.line.number)
        i += 1
    if i < len(items) and isinstance(items[i], Para):
        addressee = items[i]
        assert isinstance(addressee, Para)
        text = _norm(addressee)
        if (text.endswith("：") and width(text) <= 150 and not heading_number(addressee.text)
                and not any(w in text for w in ("。", "如下", "现将", "根据", "为了", "经研究"))):
            _flush(addressee, state)
            report.add("addressee", addressee.where, after=text, line=addressee.line.number)
            i += 1
    return i


def _title(items: list[Para | SourceTable], i: int, state: _State) -> int:
    """The title's lines from ``i``, kept broken where the source broke them; returns the index after."""
    if i >= len(items) or not isinstance(items[i], Para):
        return i
    first = items[i]
    assert isinstance(first, Para)
    if not _title_like(first, _norm(first)):
        return i
    lines = [first]
    while i + len(lines) < len(items) and len(lines) < 3:
        nxt = items[i + len(lines)]
        if not isinstance(nxt, Para) or not _joins_title(lines, nxt, items[i + len(lines) + 1:i + len(lines) + 2]):
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


def _joins_title(lines: list[Para], nxt: Para, after: list[Para | SourceTable]) -> bool:
    """Whether ``nxt`` is one more line of the title ``lines`` began: a title ends with its kind of
    document (通知, 方案, 意见…); until it does, a short title-like line goes on it."""
    text = _norm(nxt)
    title = "".join(_norm(p) for p in lines)
    if not _title_like(nxt, text) or width(text) > HEADING_MAX or _is_docno(nxt) or DOC_TYPE_RE.search(title):
        return False
    last = lines[-1].line
    if last.md_level and nxt.line.md_level == last.md_level or last.centred and nxt.line.centred and last.size == nxt.line.size:
        return True
    if nxt.line.soft and not nxt.line.blank_before:
        return True
    if DOC_TYPE_RE.search(text):
        return True
    following = after[0] if after else None
    return (len(lines) == 1 and isinstance(following, Para) and _title_like(following, _norm(following))
            and bool(DOC_TYPE_RE.search(_norm(following))) and width(_norm(following)) <= HEADING_MAX)


def _title_like(para: Para, text: str) -> bool:
    return (bool(text) and width(text) <= 60 and not text.endswith(("。", "；", "，", "：", "！", "？", "、"))
            and heading_number(para.text) is None and not DATE_RE.match(text.replace(" ", "")) and not ATTACHMENT_RE.match(text)
            and not CHAPTER_RE.match(text) and not NOTE_RE.match(text) and not ITEM_RE.match(text) and not COLOPHON_RE.match(text))


# ---------------------------------------------------------------- signatures, notes and parts

def _colophon(items: list[Para | SourceTable], state: _State) -> list[Block]:
    """Colophon lines (抄送, …印发) taken off the end of ``items``."""
    colophon: list[Block] = []
    while items and isinstance(items[-1], Para) and COLOPHON_RE.match(_norm(items[-1])) and len(items) > 2:
        para = items.pop()
        assert isinstance(para, Para)
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


def _parts(items: list[Para | SourceTable], start: int) -> list[tuple[int, int, _Signed | None]]:
    """(start, end, signature block) of each part: the notice, then each document that follows a
    signature (the plan it issues, an attachment with its own title)."""
    out: list[tuple[int, int, _Signed | None]] = []
    i = begin = start
    while i < len(items):
        item = items[i]
        if isinstance(item, Para) and DATE_RE.match(_norm(item).replace(" ", "")) and i >= start:
            signer = i - 1 if i - 1 >= begin and isinstance(items[i - 1], Para) and _signer_like(items[i - 1], _norm(items[i - 1])) else None  # type: ignore[arg-type]
            end = i + 1
            while end < len(items) and isinstance(items[end], Para) and (NOTE_RE.match(_norm(items[end])) or ANNOTATION_RE.match(_norm(items[end]))):  # type: ignore[arg-type]
                end += 1
            if end == len(items) or _starts_part(items, end):
                out.append((begin, signer if signer is not None else i, _Signed(signer, i, end)))
                i = begin = end
                continue
        i += 1
    if begin < len(items) or not out:
        out.append((begin, len(items), None))
    return out


def _starts_part(items: list[Para | SourceTable], i: int) -> bool:
    item = items[i]
    if not isinstance(item, Para):
        return False
    text = _norm(item)
    if ATTACHMENT_LABEL_RE.match(text):
        return True
    return _title_like(item, text) and not _signer_like(item, text) or bool(item.line.md_level)


def _signer_like(para: Para, text: str) -> bool:
    return (0 < width(text) <= 40 and not _ends(text) and not text.endswith(("，", "。")) and heading_number(para.text) is None
            and not ATTACHMENT_RE.match(text) and "，" not in text and not ITEM_RE.match(text) and not para.line.md_level
            and not NOTE_RE.match(text) and not DOC_TYPE_RE.search(text.replace("\u3000", "")[-4:]) and not CHAPTER_RE.match(text))


def _signature_block(items: list[Para | SourceTable], signed: _Signed, state: _State) -> None:
    report = state.report
    date = items[signed.date]
    assert isinstance(date, Para)
    date_text = _norm(date).replace(" ", "")
    _changed(date, date_text, report)
    signer_text = ""
    if signed.signer is not None:
        signer = items[signed.signer]
        assert isinstance(signer, Para)
        signer_text = _norm(signer)
        _changed(signer, signer_text, report)
    state.blocks.append(Signature(signer_text, date_text))
    report.add("signature", date.where, after=f"{signer_text} {date_text}".strip(), line=date.line.number)
    for para in items[signed.date + 1:signed.end]:
        assert isinstance(para, Para)
        text = _norm(para)
        _changed(para, text, report)
        state.blocks.append(Paragraph([Run(text)]))
        report.add("note", para.where, after=text, line=para.line.number)


def _part_head(items: list[Para | SourceTable], i: int, state: _State) -> int:
    """A later part on a page of its own: 附件1 above it, then its title."""
    state.blocks.append(PageBreak())
    item = items[i]
    if isinstance(item, Para) and ATTACHMENT_LABEL_RE.match(_norm(item)):
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
    para: Para | None = None
    table: Table | None = None
    number: Numbered | None = None


def _entries(items: list[Para | SourceTable], report: Report) -> list[_Entry]:
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


def _body(items: list[Para | SourceTable], state: _State) -> None:
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
        state.blocks.append(Heading(level, text))
        report.add("heading", para.where, after=text, line=para.line.number)
        depth = level


def _looks_like_heading(para: Para) -> bool:
    """A short line set apart by its look: a Markdown heading, a Word heading style, bold, 黑体 or 楷体."""
    text = para.text
    if _ends(text) or text.endswith(("，", "。")) or width(text) > HEADING_MAX or CHAPTER_RE.match(text):
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


def _numbered(para: Para, found: Numbered, state: _State) -> int:
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
        state.blocks.append(Paragraph(_merge(rest)))
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


def _report_run_in(state: _State) -> None:
    """A level 3 or 4 heading runs into the paragraph after it, the writer closing it with 。: say so."""
    from plangen.writer.docx import _ends_clause

    blocks = state.blocks
    for block, following in zip(blocks, blocks[1:]):
        shown = label_level(block.number) if isinstance(block, Heading) and block.number else getattr(block, "level", 0)
        if (isinstance(block, Heading) and shown >= 3 and not block.run_in and isinstance(following, Paragraph)
                and following.kind == "body"):
            if not _ends_clause(block.text):
                state.report.add("heading-split", block.text[:12], block.text, block.text + "。")
                block.text += "。"
            block.run_in = True  # as the writer lays it out, so fixing the fixed file reads the same


def _report_placeholders(text: str, where: str, line: int, report: Report) -> None:
    """Placeholders are never filled in or removed: each is handed to a person."""
    for m in T.PLACEHOLDER_RE.finditer(text):
        report.add("placeholder", where, m.group(), person=True, note=msg("fix.placeholder", "fill in the real text"), line=line)
