"""Table column widths sized by the text the columns hold.

A fixed-layout table (Word and WPS honour fixed widths; auto layout differs between them) needs its
widths worked out here. Weighting columns by their longest cell gave a short column (社区居委会) the
most room while themes wrapped mid-phrase (文明树 / 新风) and single characters fell onto a line of
their own (结对村（社 / 区）). So each cell is wrapped here as Word and LibreOffice wrap Chinese text
(greedily, no line starting with a closing mark or ending with an opening one, digit runs whole), and
the widths are chosen to minimise a cost: the table's height in lines first, then breaks inside a
phrase, with a single character alone on a cell's last line and a header split other than before its
（unit） ruled out wherever the type area allows. As in a browser's automatic table layout, a column is
never narrower than its longest unbreakable token (min-content) nor, while others wrap, wider than its
longest cell (max-content); between those, each column's widths fall into a few stretches that lay it
out alike, and every combination of stretches that fits is tried (a few hundred for the tables plans
hold), the spare room then shared without changing any cell's lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from plangen.gbt9704 import layout as L
from plangen.gbt9704 import metrics
from plangen.gbt9704.metrics import text_width as display_width

UNIT = L.TABLE_SIZE * 10 // 2  # twips in half a table character (a digit of 14 pt Times New Roman): 140
CELL_MARGIN = 85  # each side (tblCellMar)
CELL_PAD = 2 * CELL_MARGIN + UNIT  # margins plus half a character of slack for renderer differences

NO_LINE_START = metrics.NO_LINE_START
NO_LINE_END = metrics.NO_LINE_END
PHRASE_END = set(" 　、，,；;：:。！？）)》”")  # a line may break after these without splitting a phrase
PHRASE_START = set("（(《“")  # or before these
_TOKEN = re.compile(r"[0-9A-Za-z.%+\-/]+|.", re.S)

SEARCH_LIMIT = 20000  # combinations of stretches tried; plans' tables need a few hundred
SHORT_CELL = 4  # half-characters: the narrowest a long table's column is made (2 characters), its token allowing
SEARCH_ROWS = 16  # a longer table is sized by the text each column holds (_by_text): the search grows with rows
# cost weights: one line of table height is 10
LINE, PHRASE_BREAK, ORPHAN, HEADER_LINE, HEADER_SPLIT = 10, 4, 1000, 20, 1000  # orphans and split headers only where nothing else fits


def _units(token: str) -> int:
    return round(display_width(token) * 2)


def wrap(text: str, units: int) -> tuple[str, ...]:
    """``text`` broken into lines ``units`` half-characters wide, the way Word and LibreOffice break it
    in a table cell (see :mod:`plangen.gbt9704.metrics`: no mark hangs in a cell)."""
    lines = metrics.break_lines(text, units * UNIT, size=L.TABLE_SIZE, spacing=0, hang=False)
    return tuple(line.strip() for line in lines)


def _is_orphan(line: str) -> bool:
    """A last line holding one character (punctuation aside): 结对村（社 / 区）; a whole （名） is a unit, not an orphan."""
    if line[:1] in PHRASE_START and line[-1:] in NO_LINE_START:
        return False
    letters = [t for t in _TOKEN.findall(line) if not t.isspace() and t not in NO_LINE_START and t not in NO_LINE_END]
    return len(letters) == 1 and len(letters[0]) == 1 and display_width(letters[0]) == 1


def _bad_breaks(lines: Sequence[str]) -> int:
    """Line ends that split a phrase (not after 、，or a space, not before an opening bracket)."""
    bad = 0
    for before, after in zip(lines, lines[1:]):
        if before and after and before[-1] not in PHRASE_END and after[0] not in PHRASE_START:
            bad += 1
    return bad


@lru_cache(maxsize=4096)
def cell_cost(text: str, units: int, header: bool) -> tuple[int, int]:
    """(lines, penalty) of one cell whose column leaves ``units`` half-characters for text.

    The column really holds one unit more (the slack in CELL_PAD); a renderer may use it or not (a
    space's width, hanging punctuation), so the cell must read well both ways: the worse is counted.
    """
    if not text:
        return 1, 0
    lines, penalty = 1, 0
    for room in (units, units + 1):
        n, p = _layout_cost(wrap(text, room), header)
        lines, penalty = max(lines, n), max(penalty, p)
    return lines, penalty


def _layout_cost(lines: Sequence[str], header: bool) -> tuple[int, int]:
    penalty = PHRASE_BREAK * _bad_breaks(lines)
    if len(lines) > 1 and _is_orphan(lines[-1]):
        penalty += ORPHAN
    if header and len(lines) > 1:
        penalty += HEADER_LINE * (len(lines) - 1)
        if any(after[0] not in PHRASE_START for after in lines[1:] if after):
            penalty += HEADER_SPLIT  # a header splits only before its （unit）: 用房面积 / （平方米）
    return len(lines), penalty


Outcome = tuple[tuple[int, ...], int]  # lines of each row's cell, and the column's penalty


def _outcome(column: Sequence[str], header_rows: int, units: int) -> Outcome:
    costs = [cell_cost(text, units, r < header_rows) for r, text in enumerate(column)]
    return tuple(n for n, _ in costs), sum(p for _, p in costs)


def _runs(column: Sequence[str], header_rows: int, low: int, high: int) -> list[tuple[int, int, Outcome]]:
    """(first, last, outcome) for each stretch of widths in [low, high] that lays the column out alike,
    without the stretches that a narrower one beats in every row (it leaves more room to the others);
    the last stretch, where every cell fits on one line, is always kept: only it can take any spare room."""
    runs: list[tuple[int, int, Outcome]] = []
    for units in range(low, high + 1):
        outcome = _outcome(column, header_rows, units)
        if runs and runs[-1][2] == outcome:
            runs[-1] = (runs[-1][0], units, outcome)
        else:
            runs.append((units, units, outcome))
    kept: list[tuple[int, int, Outcome]] = []
    for i, (first, last, (lines, penalty)) in enumerate(runs):
        dominated = any(all(a <= b for a, b in zip(k_lines, lines)) and k_pen <= penalty for _, _, (k_lines, k_pen) in kept)
        if i == len(runs) - 1 or not dominated:
            kept.append((first, last, (lines, penalty)))
    return kept


def _best(table: list[list[str]], header_rows: int, room: int, bounds: Sequence[tuple[int, int]]) -> list[int] | None:
    """The widths of least cost summing to ``room``: one stretch per column, then the spare room shared
    inside the chosen stretches (so it changes no cell's layout). None when even the narrowest do not fit."""
    columns = [[row[c] for row in table] for c in range(len(bounds))]
    runs = [_runs(col, header_rows, low, max(low, high)) for col, (low, high) in zip(columns, bounds)]
    # the last stretch of each column reaches any width: wider than max-content changes nothing
    runs = [r[:-1] + [(r[-1][0], max(room, r[-1][1]), r[-1][2])] for r in runs]
    while math.prod(len(r) for r in runs) > SEARCH_LIMIT:  # a very wide table: drop the narrowest choices
        longest = max(range(len(runs)), key=lambda c: len(runs[c]))
        runs[longest] = runs[longest][1:]
    best: tuple[int, list[tuple[int, int, Outcome]]] | None = None

    def walk(c: int, chosen: list[tuple[int, int, Outcome]], first_sum: int) -> None:
        nonlocal best
        if c == len(runs):
            if sum(last for _, last, _ in chosen) < room:
                return
            heights = [max(lines[r] for _, _, (lines, _) in chosen) for r in range(len(table))]
            cost = LINE * sum(heights) + sum(p for _, _, (_, p) in chosen)
            if best is None or cost < best[0]:
                best = (cost, list(chosen))
            return
        for run in runs[c]:
            if first_sum + run[0] + sum(r[0][0] for r in runs[c + 1 :]) <= room:
                chosen.append(run)
                walk(c + 1, chosen, first_sum + run[0])
                chosen.pop()

    walk(0, [], 0)
    if best is None:
        return None
    units = [first for first, _, _ in best[1]]
    spare = room - sum(units)
    # spare room to the columns that wrap first (more slack where a renderer's wider glyph would matter)
    order = sorted(range(len(units)), key=lambda c: max(best[1][c][2][0]) == 1)
    for c in order:
        give = min(spare, best[1][c][1] - units[c])
        units[c] += give
        spare -= give
    return units


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total: int = L.TYPE_W) -> list[int]:
    """Widths in twips, summing to ``total``, for a table with ``header`` (may be empty) and ``rows``."""
    columns = max([len(header), *(len(r) for r in rows)]) or 1
    table = ([list(header) + [""] * (columns - len(header))] if header else []) + [
        list(r) + [""] * (columns - len(r)) for r in rows
    ]
    room = (total - columns * CELL_PAD) // UNIT  # text units to share out
    cols = [[row[c] for row in table] for c in range(columns)]
    widest = [max([_units(t) for t in col] + [2]) for col in cols]
    tokens = [max([_units(t) for text in col for t in _TOKEN.findall(text) if not t.isspace()] + [2]) for col in cols]
    if sum(widest) <= room:  # every cell fits on one line: share the rest by max-content
        units = _share(widest, room - sum(widest), widest)
    elif len(table) > SEARCH_ROWS:
        units = _by_text(cols, tokens, widest, room)
    else:
        units = _best(table, 1 if header else 0, room, list(zip(tokens, widest))) or _share(
            [room // columns] * columns, room - columns * (room // columns), [1] * columns
        )
    widths = [u * UNIT + CELL_PAD for u in units]
    widths[-1] += total - sum(widths)
    return widths


def _by_text(cols: list[list[str]], tokens: list[int], widest: list[int], room: int) -> list[int]:
    """A long table (a roster, a task list of fifty rows): every column gets its longest unbreakable
    token (and 2 characters at least), then the room left goes in proportion to the text each column holds, a column never
    wider than its longest cell, so the column holding most of the text gets most of the width (as
    a browser lays out a table) in a few milliseconds whatever the length."""
    units = [max(t, min(w, SHORT_CELL)) for t, w in zip(tokens, widest)]  # at least 2 characters where a cell is longer
    if sum(units) > room:
        units = list(tokens)
    if sum(units) > room:
        return _share([room // len(units)] * len(units), room - len(units) * (room // len(units)), [1] * len(units))
    text = [sum(_units(t) for t in col) for col in cols]
    open_ = [c for c in range(len(units)) if units[c] < widest[c]]
    spare = room - sum(units)
    while spare > 0 and open_:
        weight = sum(text[c] for c in open_) or len(open_)
        given = 0
        for c in open_:
            give = min(widest[c] - units[c], spare * (text[c] or 1) // weight)
            units[c] += give
            given += give
        spare -= given
        open_ = [c for c in open_ if units[c] < widest[c]]
        if given == 0:
            for c in open_[:spare]:
                units[c] += 1
            spare -= min(spare, len(open_))
            open_ = [c for c in open_ if units[c] < widest[c]]
    if spare > 0:  # every column at its longest cell: the rest by text held
        units = _share(units, spare, text)
    return units


def _share(base: list[int], extra: int, weights: Sequence[int]) -> list[int]:
    """``base`` plus ``extra`` units shared in proportion to ``weights`` (evenly if they are all 0)."""
    if sum(weights) <= 0:
        weights = [1] * len(base)
    out = [b + extra * w // sum(weights) for b, w in zip(base, weights)]
    for i in range(extra - (sum(out) - sum(base))):  # the rounding remainder, one unit at a time
        out[i % len(out)] += 1
    return out
