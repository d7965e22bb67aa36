"""From the lines of a source to paragraphs: each line cleaned, a line that breaks a sentence
(copied from a PDF or a chat, or cut by a soft break) joined to the next, and the patterns that tell
what a line is (a number, a date, a document number, a note after the date…)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plangen import text as T
from plangen.document import MARKS, Run
from plangen.fix.clean import clean_runs, merge_runs
from plangen.fix.report import Report
from plangen.fix.sources import Source, SourceLine, SourceTable
from plangen.gbt9704.items import HEADING_MAX
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
ALIGNED_LABEL_RE = re.compile("^[^ ：:，。]{1,7}[：:].*\u3000")
"""A line of an aligned list (组　长：林　岚　国务院副总理): lines under it indented further keep their
full-width spaces, so the names stay lined up."""
LINE_START_MARKS = tuple("、，。；：！？）》」』】,;:!?)")
PRINTED_LINE = 28  # characters of a GB/T 9704 body line


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
class SourceParagraph:
    """A paragraph being recognised: its runs (cleaned), its look, where it came from."""

    runs: list[Run]
    line: SourceLine
    where: str
    joined: int = 0
    attachment: bool = False
    """An item of the attachment note (2．名称 under 附件：1．名称)."""

    @property
    def text(self) -> str:
        """Its text without footnote marks (they go with the runs)."""
        return MARKS.sub("", "".join(r.text for r in self.runs))


# ---------------------------------------------------------------- lines → paragraphs

def _where(source: Source, line: SourceLine, text: str) -> str:
    words = text[:12] + ("…" if len(text) > 12 else "")
    if source.kind == "docx":
        return _("paragraph {n} “{words}”", n=line.number, words=words)
    return _("line {n} “{words}”", n=line.number, words=words)


def _structural_start(line: SourceLine, text: str) -> bool:
    return bool(line.md_level or heading_number(text) or ATTACHMENT_RE.match(text) or DATE_RE.match(text.replace(" ", ""))
                or COLOPHON_RE.match(text) or DOCNO_LINE_RE.match(text) or ATTACHMENT_LABEL_RE.match(text) or CHAPTER_RE.match(text))


def ends_sentence(text: str) -> bool:
    """The text ends as a sentence or clause does (。！？：；…, a closing quote): the next line starts anew."""
    return text.endswith(TERMINAL)


def _wrap_width(paras: list[SourceParagraph]) -> float:
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
        if near > best_count or (near == best_count and w > best):
            best, best_count = float(w), near
    return best if best_count >= max(3, len(widths) / 3) else 0.0


def paragraphs(source: Source, report: Report) -> list[SourceParagraph | SourceTable]:
    """Cleaned lines, a line that breaks a sentence (copied from a PDF or a chat) joined to the next."""
    items: list[SourceParagraph | SourceTable] = []
    spacing = 0
    label: int | None = None  # indent of the last 组　长：… line of an aligned list
    for source_item in source.items:
        if isinstance(source_item, SourceTable):
            items.append(source_item)
            label = None
            continue
        runs, changed = clean_runs(source_item.runs)
        spacing += changed
        raw = source_item.text
        lead = len(raw) - len(raw.lstrip("\u3000 "))
        if runs and label is not None and lead - label >= 2 and raw[label:lead].strip("\u3000") == "":
            runs[0] = Run("\u3000" * (lead - label) + runs[0].text, runs[0].bold, runs[0].underline)  # lined up under the names
            spacing -= changed
        elif runs:
            label = lead if ALIGNED_LABEL_RE.match(raw.strip("\u3000 ")) else None
        if runs:
            items.append(SourceParagraph(runs, source_item, _where(source, source_item, "".join(r.text for r in runs))))
    if spacing:
        report.add("spacing-removed", after=_("{n} paragraphs", n=spacing))
    if source.empty_removed:
        report.add("empty-removed", after=_("{n} paragraphs", n=source.empty_removed))
    wrap = _wrap_width([p for p in items if isinstance(p, SourceParagraph)])
    out: list[SourceParagraph | SourceTable] = []
    joined = 0
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, SourceParagraph) and isinstance(prev, SourceParagraph) and _continues(prev, item, wrap, plain=source.kind != "docx"):
            prev.runs = merge_runs(prev.runs + item.runs)
            prev.joined += 1
            joined += 1
            continue
        out.append(item)
    if joined:
        report.add("lines-joined", after=_("{n} line breaks", n=joined))
    for item in out:
        if isinstance(item, SourceParagraph):
            _report_placeholders(T.normalise(item.text), item.where, item.line.number, report)
        else:
            for row in item.rows:
                for cell in row:
                    _report_placeholders(T.normalise(cell), _("table {n}", n=item.number), 0, report)
    return out


def _continues(prev: SourceParagraph, nxt: SourceParagraph, wrap: float, *, plain: bool = True) -> bool:
    """Whether ``nxt`` goes on the sentence ``prev`` broke off."""
    a, b = prev.text, nxt.text
    if prev.line.centred and nxt.line.soft and not ends_sentence(a) and title_like(prev, a):
        return False  # a title broken by a soft break: its lines are kept for the title
    if b[:1] in LINE_START_MARKS and not prev.line.md_level and not nxt.line.md_level and not _structural_start(prev.line, a):
        return True  # copied from a PDF: a line never starts with 、 or ， in the document itself
    if ends_sentence(a) or prev.line.md_level or _structural_start(nxt.line, b) or NOTE_RE.match(b) or NOTE_RE.match(a):
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


def title_like(para: SourceParagraph, text: str) -> bool:
    """Short, unpunctuated at the end, and not a numbered heading, date, note or item: may be (part of) a title."""
    return (bool(text) and width(text) <= 60 and not text.endswith(("。", "；", "，", "：", "！", "？", "、"))
            and heading_number(para.text) is None and not DATE_RE.match(text.replace(" ", "")) and not ATTACHMENT_RE.match(text)
            and not CHAPTER_RE.match(text) and not NOTE_RE.match(text) and not ITEM_RE.match(text) and not COLOPHON_RE.match(text))


def _report_placeholders(text: str, where: str, line: int, report: Report) -> None:
    """Placeholders are never filled in or removed: each is handed to a person."""
    for m in T.PLACEHOLDER_RE.finditer(text):
        report.add("placeholder", where, m.group(), person=True, note=msg("fix.placeholder", "fill in the real text"), line=line)
