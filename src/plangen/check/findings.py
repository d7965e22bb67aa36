"""What ``plangen check`` reports: findings with a stable rule id, and the collector that groups them.

A wrong value set on a style shows in every paragraph using the style; it is one mistake, so it is
reported once, at the first paragraph, with how many more paragraphs it reaches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from plangen.i18n import N_, Msg, _, language
from plangen.ooxml.reader import DocxParagraph

RULES: dict[str, str] = {
    "page-size": N_("paper is A4 portrait, 210 × 297 mm"),
    "page-margins": N_("margins top 37, bottom 35, left 28, right 26 mm (±1 mm): a 156 × 225 mm type area"),
    "line-pitch": N_("body lines 28.95 pt apart (exact 579 twips, or a 579-twip line grid): 22 lines a page"),
    "chars-per-line": N_("28 characters of 三号 fit a body line (−0.25 pt character spacing)"),
    "title-font": N_("title in 小标宋 (方正小标宋简体)"),
    "title-size": N_("title in 二号, 22 pt"),
    "body-font": N_("body text in 仿宋_GB2312"),
    "body-size": N_("body text in 三号, 16 pt"),
    "heading-font": N_("一、 headings in 黑体, （一） in 楷体_GB2312, 1. and （1） in 仿宋_GB2312"),
    "heading-size": N_("headings in 三号, 16 pt"),
    "first-line-indent": N_("body paragraphs and headings indented 2 characters on the first line, wrapped lines flush left"),
    "heading-sequence": N_("heading numbers run 一、二、三… without gaps, repeats or restarts"),
    "heading-level": N_("a heading level is used only under its parent level (（一） under 一、, 1. under （一）…)"),
    "placeholder": N_("no placeholders or template residue (20xx, xx县, __, □, {{ }}, None)"),
    "ascii-punctuation": N_("full-width punctuation next to Chinese text, not ASCII , : ; ( )"),
    "document-number": N_("document numbers put the year in 〔〕: 建发〔2024〕35号"),
    "zero-padded-date": N_("dates without zero padding: 2024年4月1日, not 2024年04月01日"),
    "text-colour": N_("all text black, except the red issuing-body mark"),
    "page-number-missing": N_("every page with text carries a page number"),
    "page-number-odd-even": N_("different odd and even page footers (numbers right on odd pages, left on even)"),
    "page-number-format": N_("page numbers as — 1 — (U+2014 dashes)"),
    "page-number-font": N_("page numbers in 宋体 四号 14 pt, digits included"),
    "page-number-position": N_("odd pages: right-aligned, 1 character right indent; even pages: left-aligned, 1 character left indent"),
    "page-number-on-colophon": N_("no page number on the colophon page nor on a blank page before it"),
    "notice-mark": N_("issuing-body mark in red 小标宋, its top 35 mm below the top of the type area"),
    "notice-separator": N_("a red line under the document number, as wide as the type area"),
    "colophon-font": N_("抄送 and 印发 lines in 仿宋_GB2312 四号 14 pt"),
    "colophon-rules": N_("colophon rules: first and last 0.35 mm, the middle one 0.25 mm"),
    "signature-alone": N_("the signature and date share their page with body text, never alone on the last page (7.3.5)"),
}
"""Rule id → what it checks, as English msgids: :func:`described` gives it in the reader's language."""


def described(rule: str) -> str:
    """What a rule checks, in the language in force (``plangen check --rules``)."""
    return _(RULES[rule])


def listing(items: list[str]) -> str:
    """Items of one finding joined as a reader of the language expects (、 in Chinese)."""
    return ("、" if language() == "zh" else ", ").join(items)


def origin(source: str) -> str:
    """Where a grouped value was set, in words: a style by its name, the document defaults…"""
    if source == "unset":
        return _("no style sets it")
    if source.startswith("style "):
        return _("set in style {name}", name=source[len("style "):])
    if source == "docDefaults":
        return _("set in docDefaults")
    if source == CHARACTER_GRID:
        return _("set in the page setup's character grid")
    return _("set in {source}", source=source)


CHARACTER_GRID = "the page setup's character grid"


@dataclass(frozen=True)
class Finding:
    """One violation: which file, which rule (a stable id), where, what is wrong and what was expected."""

    file: str
    rule: str
    message: str
    location: str
    expected: str = ""
    code: str = field(default="", compare=False)
    """The message's stable code (``check.heading-skips``) for scripts; the rule id is the coarser key."""
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def line(self) -> str:
        """``file: rule: location: message; expected …`` (full-width separators in Chinese)."""
        if self.expected:
            return _("{file}: {rule}: {location}: {message}; expected {expected}", file=self.file, rule=self.rule,
                     location=self.location, message=self.message, expected=self.expected)
        return _("{file}: {rule}: {location}: {message}", file=self.file, rule=self.rule, location=self.location,
                 message=self.message)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: stable English keys, the texts in the language in force."""
        return asdict(self)


@dataclass
class _Group:
    rule: str
    message: str | Msg
    expected: str
    first: str
    source: str
    more: int = 0


def _finding(file: str, rule: str, message: str | Msg, where: str, expected: str | Msg) -> Finding:
    """A finding with its texts put into words now, in the language in force."""
    if isinstance(message, Msg):
        return Finding(file, rule, str(message), where, str(expected), message.code,
                       {k: str(v) for k, v in message.params.items()})
    return Finding(file, rule, str(message), where, str(expected))


@dataclass
class Collector:
    """Collects findings for one file; problems inherited from one style are grouped."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    _groups: dict[tuple[str, str, str], _Group] = field(default_factory=dict)
    _order: list[object] = field(default_factory=list)
    _seen: set[Finding] = field(default_factory=set)
    """The findings already in ``_order``: a set, so a document of 100,000 equal findings stays linear."""

    def add(self, rule: str, location: str | DocxParagraph, message: str | Msg, expected: str | Msg = "", *,
            source: str = "direct") -> None:
        """``source``: where the wrong value was set; anything but ``direct`` is grouped by it."""
        assert rule in RULES or rule.startswith("plugin:"), rule
        where = location.location() if isinstance(location, DocxParagraph) else location
        if source and source != "direct":
            key = (rule, source, str(message))
            group = self._groups.get(key)
            if group is not None:
                group.more += 1
                return
            group = _Group(rule, message, str(expected), where, source)
            self._groups[key] = group
            self._order.append(group)
            return
        finding = _finding(self.file, rule, message, where, expected)
        if finding not in self._seen:  # two commas in one paragraph are one finding
            self._seen.add(finding)
            self._order.append(finding)

    def result(self) -> list[Finding]:
        out: list[Finding] = []
        for item in self._order:
            if isinstance(item, Finding):
                out.append(item)
                continue
            assert isinstance(item, _Group)
            how = origin(item.source)
            if item.more > 1:
                where = _("{where} and {more} more paragraphs ({origin})", where=item.first, more=item.more, origin=how)
            elif item.more:
                where = _("{where} and 1 more paragraph ({origin})", where=item.first, origin=how)
            else:
                where = _("{where} ({origin})", where=item.first, origin=how)
            out.append(_finding(self.file, item.rule, item.message, where, item.expected))
        return out
