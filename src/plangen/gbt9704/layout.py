"""The GB/T 9704-2012 numbers, in Word's units. Everything measurable about the page lives here.

twip = 1/20 pt; half-point for font sizes; mm → twip is mm × 1440 / 25.4.
"""

from __future__ import annotations


def mm(value: float) -> int:
    return round(value * 1440 / 25.4)


PAGE_W = 11906  # A4 210 mm
PAGE_H = 16838  # A4 297 mm
MARGIN_TOP = mm(37)  # 天头 2098
MARGIN_BOTTOM = mm(35)  # 1984
MARGIN_LEFT = mm(28)  # 订口 1587
MARGIN_RIGHT = mm(26)  # 1474
TYPE_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 版心 156 mm = 8845
TYPE_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm = 12756

CHARS_PER_LINE = 28
LINE_PITCH = 579  # 28.95 pt exact: 22 × 579 = 12738 ≤ 12756; 29 pt would give 21 lines in Word

BODY_SIZE = 32  # half-points: 三号 16 pt
TITLE_SIZE = 44  # 二号 22 pt
PAGE_NUMBER_SIZE = 28  # 四号 14 pt
TABLE_SIZE = 28  # 四号 14 pt in tables, so four columns fit
TABLE_LINE = 440  # 22 pt exact in table cells
CHAR_SPACING = -5  # −0.25 pt per character: 28 × 15.75 pt = 441 pt fits the 442 pt line

CHAR = 320  # one character of 三号 for indents (Word counts indent characters by font size)
ADVANCE_WIDE = 315  # what a Chinese character actually advances: 16 pt − 0.25 pt
ADVANCE_NARROW = 155  # a Times New Roman digit: 8 pt − 0.25 pt
PAGE_NUMBER_INDENT = 280  # one 四号 character
TITLE_LINE_EM = 20  # 22 pt characters per title line: 442 pt / 22 pt

# The page number's top edge sits 7 mm below the type area: footer text bottom = 35 − 7 − 14 pt.
FOOTER_DISTANCE = mm(35 - 7) - 14 * 20
HEADER_DISTANCE = mm(15)
