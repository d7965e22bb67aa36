"""Title line breaking: short lines, balanced, broken only where the template allows (GB/T 9704 7.3.1).

A long title wraps into a trapezoid or diamond and never splits a word, so the template marks the
places a line may end (between unit, year and subject); only a part too long for a line is broken
inside, and then never inside a run of digits or Latin letters, nor inside 《…》.
"""

from __future__ import annotations

import itertools
import re

from plangen.text import display_width
from plangen.writer.layout import TITLE_LINE_EM


def _inner_breaks(text: str) -> list[int]:
    """Offsets inside ``text`` where a line may break when nothing better exists."""
    forbidden: set[int] = set()
    for m in re.finditer(r"[0-9A-Za-z]+|《[^》]*》|“[^”]*”", text):
        forbidden.update(range(m.start() + 1, m.end()))
    out = []
    for i in range(1, len(text)):
        if i in forbidden or text[i] in "，。、：；！？）》”" or text[i - 1] in "（《“":
            continue
        out.append(i)
    return out


def title_lines(text: str, breaks: tuple[int, ...] = (), width: float = TITLE_LINE_EM) -> list[str]:
    if display_width(text) <= width:
        return [text]
    preferred = sorted({b for b in breaks if 0 < b < len(text)})
    others = [b for b in _inner_breaks(text) if b not in preferred]
    for count in range(1, 5):
        # Break only where the template allows if that works; otherwise anywhere a word is not split.
        for pool in (preferred, sorted(preferred + others)):
            best: tuple[float, list[str]] | None = None
            for cut in itertools.combinations(pool, count):
                pieces = [text[a:b] for a, b in zip((0, *cut), (*cut, len(text)))]
                widths = [display_width(p) for p in pieces]
                if max(widths) > width:
                    continue
                score = max(widths) - min(widths) + sum(0 if c in preferred else 4 for c in cut)
                if best is None or score < best[0]:
                    best = (score, pieces)
            if best is not None:
                return best[1]
    return [text[i : i + int(width)] for i in range(0, len(text), int(width))]
