"""How the cells of a generated table wrap, read back from the widths written in the .docx.

A deliberately plain model, independent of the writer's own (plangen.gbt9704.tables), for assertions:
a cell holds ``(tcW − 2 × 85 twips of margin) / 280`` Chinese characters of the 14 pt table font (a
digit or Latin letter is half of one); lines are filled greedily, and a closing mark (）、，。) never
starts a line, so it takes the character before it along, as Word and LibreOffice do.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHAR = 280  # twips: one character of 四号 (14 pt)
MARGINS = 2 * 85
CLOSING = set("）)》」』】〕，,、。；;：:！!？?”’")
OPENING = set("（(《「『【〔“‘")


def _width(ch: str) -> int:
    return CHAR // 2 if ord(ch) < 0x2E80 and unicodedata.east_asian_width(ch) in "NaH" else CHAR


def cell_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped into a cell ``width`` twips wide (tcW, margins included)."""
    room = width - MARGINS
    lines: list[str] = [""]
    for ch in text:
        line = lines[-1]
        if not line or sum(map(_width, line + ch)) <= room or ch == " ":
            lines[-1] = line + ch
            continue
        carry = ""
        if ch in CLOSING and len(line) > 1:
            carry, line = line[-1], line[:-1]
        while len(line) > 1 and line[-1] in OPENING:
            carry, line = line[-1] + carry, line[:-1]
        lines[-1] = line
        lines.append(carry + ch)
    return [line.strip() for line in lines]


def tables(path: Path) -> list[list[list[tuple[str, int]]]]:
    """Each table as rows of (cell text, tcW) — the header row first."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for tbl in root.iter(f"{W}tbl"):
        rows = []
        for tr in tbl.iter(f"{W}tr"):
            cells = []
            for tc in tr.iter(f"{W}tc"):
                text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
                tcw = tc.find(f"{W}tcPr/{W}tcW")
                width = tcw.get(f"{W}w") if tcw is not None else None
                assert width is not None  # every cell plangen writes has its tcW
                cells.append((text, int(width)))
            rows.append(cells)
        out.append(rows)
    return out


def orphans(path: Path) -> list[str]:
    """Cells whose last line holds a single character (punctuation aside): 结对村（社 / 区）."""
    found = []
    for table in tables(path):
        for row in table:
            for text, width in row:
                lines = cell_lines(text, width)
                if lines[-1][:1] in OPENING and lines[-1][-1:] in CLOSING:
                    continue  # a whole （名） on its own line is the unit, not a stray character
                letters = [c for c in lines[-1] if c not in CLOSING and c not in OPENING and not c.isspace()]
                if len(lines) > 1 and len(letters) == 1 and _width(letters[0]) == CHAR:
                    found.append(" / ".join(lines))
    return found


def split_headers(path: Path, *, allow_unit_line: bool = False) -> list[str]:
    """Header cells that do not fit on one line (with ``allow_unit_line``: that break other than before a （unit）)."""
    found = []
    for table in tables(path):
        for text, width in table[0] if table else []:
            lines = cell_lines(text, width)
            if len(lines) > 1 and not (allow_unit_line and len(lines) == 2 and lines[1][:1] in "（("):
                found.append(" / ".join(lines))
    return found


def assert_tables_read_well(path: Path, *, allow_unit_line: bool = False) -> None:
    """No single character alone on a cell's last line, and every header whole."""
    assert orphans(path) == [], f"a single character alone on a cell's last line: {orphans(path)}"
    assert split_headers(path, allow_unit_line=allow_unit_line) == [], f"headers split: {split_headers(path, allow_unit_line=allow_unit_line)}"
