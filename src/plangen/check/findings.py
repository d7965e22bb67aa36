"""What ``plangen check`` reports: findings with a stable rule id, and the collector that groups them.

A wrong value set on a style shows in every paragraph using the style; it is one mistake, so it is
reported once, at the first paragraph, with how many more paragraphs it reaches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from plangen.ooxml.reader import DocxParagraph

RULES: dict[str, str] = {
    "page-size": "paper is A4 portrait, 210 × 297 mm",
    "page-margins": "margins top 37, bottom 35, left 28, right 26 mm (±1 mm): a 156 × 225 mm type area",
    "line-pitch": "body lines 28.95 pt apart (exact 579 twips, or a 579-twip line grid): 22 lines a page",
    "chars-per-line": "28 characters of 三号 fit a body line (−0.25 pt character spacing)",
    "title-font": "title in 小标宋 (方正小标宋简体)",
    "title-size": "title in 二号, 22 pt",
    "body-font": "body text in 仿宋_GB2312",
    "body-size": "body text in 三号, 16 pt",
    "heading-font": "一、 headings in 黑体, （一） in 楷体_GB2312, 1. and （1） in 仿宋_GB2312",
    "heading-size": "headings in 三号, 16 pt",
    "first-line-indent": "body paragraphs and headings indented 2 characters on the first line, wrapped lines flush left",
    "heading-sequence": "heading numbers run 一、二、三… without gaps, repeats or restarts",
    "heading-level": "a heading level is used only under its parent level (（一） under 一、, 1. under （一）…)",
    "placeholder": "no placeholders or template residue (20xx, xx县, __, □, {{ }}, None)",
    "ascii-punctuation": "full-width punctuation next to Chinese text, not ASCII , : ; ( )",
    "document-number": "document numbers put the year in 〔〕: 建发〔2024〕35号",
    "zero-padded-date": "dates without zero padding: 2024年4月1日, not 2024年04月01日",
    "text-colour": "all text black, except the red issuing-body mark",
    "page-number-missing": "every page with text carries a page number",
    "page-number-odd-even": "different odd and even page footers (numbers right on odd pages, left on even)",
    "page-number-format": "page numbers as — 1 — (U+2014 dashes)",
    "page-number-font": "page numbers in 宋体 四号 14 pt, digits included",
    "page-number-position": "odd pages: right-aligned, 1 character right indent; even pages: left-aligned, 1 character left indent",
    "page-number-on-colophon": "no page number on the colophon page nor on a blank page before it",
    "notice-mark": "issuing-body mark in red 小标宋, its top 35 mm below the top of the type area",
    "notice-separator": "a red line under the document number, as wide as the type area",
    "colophon-font": "抄送 and 印发 lines in 仿宋_GB2312 四号 14 pt",
    "colophon-rules": "colophon rules: first and last 0.35 mm, the middle one 0.25 mm",
    "signature-alone": "the signature and date share their page with body text, never alone on the last page (7.3.5)",
}


@dataclass(frozen=True)
class Finding:
    """One violation: which file, which rule (a stable id), where, what is wrong and what was expected."""

    file: str
    rule: str
    message: str
    location: str
    expected: str = ""

    def line(self) -> str:
        tail = f"; expected {self.expected}" if self.expected else ""
        return f"{self.file}: {self.rule}: {self.location}: {self.message}{tail}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class _Group:
    rule: str
    message: str
    expected: str
    first: str
    source: str
    more: int = 0


@dataclass
class Collector:
    """Collects findings for one file; problems inherited from one style are grouped."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    _groups: dict[tuple[str, str, str], _Group] = field(default_factory=dict)
    _order: list[object] = field(default_factory=list)
    _seen: set[Finding] = field(default_factory=set)
    """The findings already in ``_order``: a set, so a document of 100,000 equal findings stays linear."""

    def add(self, rule: str, location: str | DocxParagraph, message: str, expected: str = "", *, source: str = "direct") -> None:
        """``source``: where the wrong value was set; anything but ``direct`` is grouped by it."""
        assert rule in RULES or rule.startswith("plugin:"), rule
        where = location.location() if isinstance(location, DocxParagraph) else location
        if source and source != "direct":
            key = (rule, source, message)
            group = self._groups.get(key)
            if group is not None:
                group.more += 1
                return
            group = _Group(rule, message, expected, where, source)
            self._groups[key] = group
            self._order.append(group)
            return
        finding = Finding(self.file, rule, message, where, expected)
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
            where = item.first
            origin = "no style sets it" if item.source == "unset" else f"set in {item.source}"
            if item.more:
                where += f" and {item.more} more paragraph{'s' if item.more > 1 else ''} ({origin})"
            else:
                where += f" ({origin})"
            out.append(Finding(self.file, item.rule, item.message, where, item.expected))
        return out
