"""How wide text is and where its lines break on the GB/T 9704 grid: the one place that knows.

The writer's estimates (how many lines a paragraph takes, what is kept with the signature), the
table sizing, ``plangen fix``, the page estimate and the web preview all measure text here, so the
preview shows the lines the .docx prints and every estimate agrees with it.

Lines break as LibreOffice and Word break Chinese on a character grid: after any character, but a
run of digits or Latin letters stays whole; a mark that may not start a line (，。）》”…) takes the
character before it down with it, a mark that may not end a line (（《“…) goes down with the
character after it; and 、。，． may hang past the right margin rather than start a line. Widths are
LibreOffice's: a fifth of the font height between an ideograph and a digit or Latin letter, and the
character spacing between the characters of a run of one script, not after its last one nor after a
line's last character (measured on 106 plans: every line and every page as LibreOffice prints them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from plangen.document import Block as DocBlock
from plangen.document import Heading, Paragraph, Roster, Signature
from plangen.gbt9704 import layout as L

# Chinese line-breaking rules (the characters LibreOffice's Chinese locale and Word forbid).
NO_LINE_START = frozenset("!%),.:;?]}¢°’”‰′″℃、。〃々〉》」』】〕〗〞︰﹐﹒﹔﹕﹖﹗﹚﹜﹞！＂％＇），．：；？］｝～…·‥—")
NO_LINE_END = frozenset("([{£¥‘“〈《「『【〔〖〝﹙﹛﹝＄（［｛￡￥")
HANGING = frozenset("、。，．,.")
"""Marks that may hang past the right margin (LibreOffice's 允许标点溢出边界, Word's 允许标点溢出边界)."""

_LATIN_QUOTES = {"“": 0.444, "”": 0.444, "‘": 0.333, "’": 0.333}
"""LibreOffice gives a quotation mark the script of the character before it: after 1. or 2024 it is a
Latin (Times New Roman) quote, narrower than the Chinese one."""

AUTOSPACE_EM = 0.2
"""LibreOffice sets a fifth of the font height between Chinese and Latin letters or digits, in whole twips
(its text formatter's kerning portion, which it adds only when the page has no character grid, as ours
has not: a grid of lines only); Word does not, as the documents ask (w:autoSpaceDE off). Lines are broken
for LibreOffice, the narrower of the two."""


def autospace(size: int) -> int:
    """The space LibreOffice sets between an ideograph and a digit or Latin letter at ``size`` half-points, in
    twips: the font height over 5, rounded down (64 for 三号)."""
    return size * 10 // 5

# A run of these is one word: never split across lines.
_WORD = re.compile(r"[0-9A-Za-z.%+\-/:@_#&]+|.", re.S)

# Advance of a half-width character of the Latin font (Times New Roman), in em; the rest take ½.
_LATIN_EM = {" ": 0.25, ".": 0.25, ",": 0.25, ":": 0.278, ";": 0.278, "-": 0.333, "(": 0.333, ")": 0.333, "/": 0.278,
             "%": 0.833, "+": 0.564, "'": 0.18, "!": 0.333, "I": 0.333, "i": 0.278, "l": 0.278, "j": 0.278,
             "t": 0.278, "f": 0.333, "r": 0.333, "s": 0.389, "m": 0.778, "w": 0.722, "M": 0.889, "W": 0.944}


def is_wide(ch: str) -> bool:
    """Full width in a Chinese font: ideographs, full-width forms, and the ambiguous “”‘’…—· (set in the
    Chinese font, as the documents' w:hint="eastAsia" asks)."""
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def char_width(ch: str) -> float:
    """Characters of the grid one character takes: Chinese and full-width 1, the rest ½."""
    return 1.0 if is_wide(ch) else 0.5


def text_width(text: str) -> float:
    """Width in grid characters (em): Chinese and full-width 1, digits and Latin letters ½."""
    return sum(1.0 if is_wide(c) else 0.5 for c in text)


def advance(ch: str, size: int = L.BODY_SIZE, spacing: int = L.CHAR_SPACING) -> float:
    """Twips one character advances at ``size`` half-points with ``spacing`` twips of character spacing."""
    em = 1.0 if is_wide(ch) else _LATIN_EM.get(ch, 0.5 if ch.isascii() else 1.0 if ord(ch) > 0x2E80 else 0.5)
    return em * size * 10 + spacing


def _autospaced(wide: str, narrow: str) -> bool:
    """LibreOffice spaces an ideograph (not a mark) from a digit or Latin letter that touches it."""
    return unicodedata.category(wide) == "Lo" and is_wide(wide) and narrow.isascii() and narrow.isalnum()


def words(text: str) -> list[str]:
    """The pieces a line may break between: single characters, and runs of digits and Latin letters."""
    return _WORD.findall(text)


def _may_break_before(tokens: Sequence[str], i: int) -> bool:
    return tokens[i][0] not in NO_LINE_START and tokens[i - 1][-1] not in NO_LINE_END


@lru_cache(maxsize=8192)
def break_lines(text: str, first: float, rest: float | None = None, *, size: int = L.BODY_SIZE, spacing: int = L.CHAR_SPACING,
                hang: bool = True) -> tuple[str, ...]:
    """``text`` broken into lines: the first ``first`` twips wide, the others ``rest`` (default: ``first``).

    Greedy, as word processors break: a word that does not fit starts the next line, moved back while
    the break would leave a mark that may not start or end a line on the wrong side of it; with
    ``hang``, a 、。，． that does not fit hangs past the margin instead (not in table cells)."""
    rest = first if rest is None else rest
    out: list[str] = []
    for part in text.split("\n"):
        out.extend(_break_part(part, first if not out else rest, rest, size, spacing, hang))
    return tuple(out)


def _script(ch: str) -> str:
    """LibreOffice's script of a character: "A" (Asian), "L" (Latin, all of Basic Latin but the space), or
    "" (weak: spaces and the general punctuation “”‘’…—, which take the script of the text before them)."""
    if ch in " \u00a0" or "\u2000" <= ch <= "\u206f":
        return ""
    return "A" if is_wide(ch) else "L"


def _portion_ends(tokens: Sequence[str]) -> list[bool]:
    """Whether each token ends a run of one script (a LibreOffice text portion): Chinese then digits, or digits
    then Chinese. The character spacing is set between the characters of a portion, not after its last one."""
    scripts: list[str] = []
    for token in tokens:
        own = _script(token[0])
        scripts.append(own or (scripts[-1] if scripts else ""))
    if scripts and not scripts[0]:  # a weak start takes the script of what follows
        first = next((s for s in scripts if s), "A")
        scripts = [s or first for s in scripts]
    return [i + 1 < len(tokens) and scripts[i] != scripts[i + 1] for i in range(len(tokens))]


def _break_part(text: str, first: float, rest: float, size: int, spacing: int, hang: bool) -> list[str]:
    tokens = words(text)
    widths = [sum(advance(c, size, spacing) for c in t) for t in tokens]
    for i in range(1, len(tokens)):  # a quote after a digit or Latin letter is set in the Latin font
        if tokens[i] in _LATIN_QUOTES and tokens[i - 1][-1].isascii() and not tokens[i - 1][-1].isspace():
            widths[i] = _LATIN_QUOTES[tokens[i]] * size * 10 + spacing
    ends = _portion_ends(tokens)
    for i, end in enumerate(ends):
        if end:
            widths[i] -= spacing  # the last character of a portion: no spacing after it
    spaced = [0.0] * len(tokens)
    for i in range(1, len(tokens)):  # LibreOffice's space between Chinese and Latin or digits
        a, b = tokens[i - 1][-1], tokens[i][0]
        if _autospaced(a, b) or _autospaced(b, a):
            spaced[i] = autospace(size)
            widths[i] += spaced[i]
    lines: list[str] = []
    start, x, room, i = 0, 0.0, first, 0
    while i < len(tokens):
        if i == start:
            x = widths[i] - spaced[i]  # no space before a line's first word
            i += 1
            continue
        if x + widths[i] - (0 if ends[i] else spacing) <= room:  # the line's last character: no spacing after it
            x += widths[i]
            i += 1
            continue
        last = i + 1 == len(tokens)  # a paragraph's closing mark hangs too rather than start a line alone
        if hang and (tokens[i] in HANGING or (last and tokens[i] in NO_LINE_START)) and (last or _may_break_before(tokens, i + 1)):
            i += 1  # hangs past the margin; the line ends after it
            lines.append("".join(tokens[start:i]))
            start, x, room = i, 0.0, rest
            continue
        cut = i
        while cut > start + 1 and not _may_break_before(tokens, cut):
            cut -= 1
        if cut == start + 1 and not _may_break_before(tokens, cut):
            cut = i  # nothing better: break where it overflows
        lines.append("".join(tokens[start:cut]))
        start, room = cut, rest
        x = sum(widths[start:i]) - spaced[start]
    if start < len(tokens) or not lines:
        lines.append("".join(tokens[start:]))
    return lines


def line_count(text: str, indent: float = 0, width: int = L.TYPE_W) -> int:
    """Body lines ``text`` takes in the type area after a first-line indent of ``indent`` characters."""
    return len(break_lines(text, width - indent * L.CHAR, width))


KEPT_BODY_LINES = 2
"""GB/T 9704 7.3.5: the signature never stands alone on a page; two lines of body go with it."""


@dataclass
class Block:
    """A paragraph (or table row) to be set on pages: the height of each of its lines, in grid lines."""

    heights: list[float]
    keep_next: bool = False
    """Kept on the page of the next block's first line (headings, the lines before the signature)."""
    widow: bool = False
    """Never a single first line at a page's foot nor a single last line at a page's head."""
    break_before: bool = False
    whole: bool = False
    """Never split (a table row)."""
    head: float = 0.0
    """For a table row: the height of the table's header row, repeated at the head of a new page."""


def paginate(blocks: Sequence[Block], capacity: float) -> list[list[tuple[int, int]]]:
    """Pages of (block, line) pairs (line -1: a table's header row repeated), as LibreOffice sets them:
    a keep-with-next chain moves to the next page whole, widow control and unsplittable rows respected. Empty leading lines of a page are kept (the caller drops them)."""
    pages: list[list[tuple[int, int]]] = [[]]
    y = 0.0
    eps = 1e-6

    def new_page() -> None:
        nonlocal y
        if pages[-1]:
            pages.append([])
        y = 0.0

    for b, block in enumerate(blocks):
        n = len(block.heights)
        if block.break_before:
            new_page()
        total = sum(block.heights)
        if block.keep_next and y > 0 and y + total + _chain_after(blocks, b) > capacity + eps:
            new_page()  # the kept paragraph goes down whole with what it is kept with
        if block.whole and y > 0 and y + total > capacity + eps:
            new_page()
            if block.head:
                pages[-1].append((b, -1))  # the header row repeated
                y = block.head
        if block.widow and n >= 2 and y > 0 and y + block.heights[0] + block.heights[1] > capacity + eps:
            new_page()  # no single first line at the foot of a page
        for k, h in enumerate(block.heights):
            if y > 0 and y + h > capacity + eps:
                if block.widow and k == n - 1 and k >= 2:
                    last = pages[-1].pop()  # no single last line at the head of a page: one more goes down
                    new_page()
                    pages[-1].append(last)
                    y += blocks[last[0]].heights[last[1]]
                else:
                    new_page()
            pages[-1].append((b, k))
            y += h
    return pages


def _chain_after(blocks: Sequence[Block], index: int) -> float:
    """Height the blocks kept with ``blocks[index]`` need after it: whole kept blocks, then the first line
    of the first one not kept (two with widow control)."""
    total = 0.0
    for block in blocks[index + 1:]:
        if block.keep_next:
            total += sum(block.heights)
            continue
        need = 2 if block.widow else 1
        return total + sum(block.heights[:need])
    return total


def kept_with_signature(blocks: Sequence[DocBlock]) -> set[int]:
    """Indices of the blocks kept on the signature's page: back from each signature until at least
    two lines of body are kept, so the signature and date never stand alone on the last page (GB/T
    9704 7.3.5). A table or page break ends the chain (a table row is not split across pages anyway)."""
    kept: set[int] = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, Signature):
            continue
        lines = 0
        for j in range(index - 1, -1, -1):
            previous = blocks[j]
            if isinstance(previous, Paragraph):
                lines += line_count(previous.text, 0 if previous.kind == "flush" else 2)
            elif isinstance(previous, Roster):
                lines += sum(line_count(f"{label}：{names}", 2) for label, names in previous.lines[-KEPT_BODY_LINES:])
            elif isinstance(previous, Heading):
                lines += line_count(previous.text, 2)
            else:
                break
            kept.add(j)
            if lines >= KEPT_BODY_LINES:
                break
    return kept
