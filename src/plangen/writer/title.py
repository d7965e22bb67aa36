"""Title line breaking: short lines, balanced, broken only where the template allows (GB/T 9704 7.3.1).

A long title wraps into a trapezoid or diamond and never splits a word, so the template marks the
places a line may end (between unit, year and subject); only a part too long for a line is broken
inside, and then never inside a run of digits or Latin letters, nor inside 《…》.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from plangen.gbt9704.layout import TITLE_LINE_EM
from plangen.text import display_width

# A unit name reads as words ending in these suffixes (开发区|管理委员会|东城街道办事处|新世纪花园社区).
_WORD_ENDS = tuple("区会处镇县市乡村局委办院所站队校部厅司")
_TWO_CHAR_ENDS = ("街道", "社区", "中心", "党委", "支部", "小组", "方案", "通知", "意见", "活动")


def _inner_breaks(text: str) -> dict[int, float]:
    """Offsets inside ``text`` where a line may break when the template's breaks are not enough,
    with a penalty: low after a word ending such as 区/委员会/社区, high anywhere else."""
    forbidden: set[int] = set()
    for m in re.finditer(r"[0-9A-Za-z]+", text):
        forbidden.update(range(m.start() + 1, m.end()))
    quoted: set[int] = set()  # inside 《…》 or “…”: only when the quoted part alone is too long
    for m in re.finditer(r"《[^》]*》|“[^”]*”", text):
        quoted.update(range(m.start() + 1, m.end()))
    out: dict[int, float] = {}
    for i in range(1, len(text)):
        if i in forbidden or text[i] in "，。、：；！？）》”" or text[i - 1] in "（《“":
            continue
        word_end = text[i - 1] in _WORD_ENDS or text[max(0, i - 2) : i] in _TWO_CHAR_ENDS
        word_start = text.startswith(("关于", "《", "“", "第", "创建", "开展", "推进", "加强", "做好"), i) or text[i - 1] in "》”、"
        out[i] = (1.0 if word_end or word_start else 6.0) + (8.0 if i in quoted else 0.0)
    return out


@lru_cache(maxsize=256)
def title_lines(text: str, breaks: tuple[int, ...] = (), width: float = TITLE_LINE_EM) -> list[str]:
    if display_width(text) <= width:
        return [text]
    preferred = sorted({b for b in breaks if 0 < b < len(text)})
    inner = {b: p for b, p in _inner_breaks(text).items() if b not in preferred}
    penalty = {**inner, **dict.fromkeys(preferred, 0.0)}
    # Break only where the template allows if that works; otherwise where words end, accepting one
    # more line rather than a split word.
    # widths of text[:i] for every i, so a line's width is one subtraction (a long title has
    # tens of thousands of ways to break)
    prefix = [0.0, *itertools.accumulate(display_width(c) for c in text)]
    for pool, line_cost in ((preferred, 0.0), (sorted(penalty), 5.0)):
        best: tuple[float, tuple[int, ...]] | None = None
        for count in range(1, 4):
            for cut in itertools.combinations(pool, count):
                bounds = (0, *cut, len(text))
                widths = [prefix[b] - prefix[a] for a, b in zip(bounds, bounds[1:])]
                if max(widths) > width:
                    continue
                score = max(widths) - min(widths) + sum(penalty[c] for c in cut) + line_cost * count
                if best is None or score < best[0]:
                    best = (score, cut)
            if best is not None and pool is preferred:
                break
        if best is not None:
            bounds = (0, *best[1], len(text))
            return [text[a:b] for a, b in zip(bounds, bounds[1:])]
    return [text[i : i + int(width)] for i in range(0, len(text), int(width))]
