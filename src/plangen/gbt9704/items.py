"""What a line that starts with a structure number (一、 （一） 1. （1）) is: a heading on its own line,
a heading that runs into its paragraph, or an item of a list (a sentence with a number).

``plangen fix`` and ``plangen check`` read a clerk's document with the same rule, so fix's output is
checked the way fix understood it:

- 一、总体要求 — a heading (short, no sentence in it);
- 一、元旦：1月1日放假…, 1.指导思想。紧紧围绕… — a run-in heading: a short head with no comma,
  closed by 。 or ：, then the text (GB/T 9704 lets a heading run into its paragraph);
- 一、同意撤销某县，设立某市。 / （一）制定调度计划； / 三、引导民间资本有序参与低空经济领域
  基础设施建设。 — an item: a sentence (a comma before its first stop, a closing ；, or longer than a
  heading is). Items are never made headings and never renumbered.
"""

from __future__ import annotations

import re
from typing import Literal

from plangen.text import display_width

Kind = Literal["heading", "run-in", "item"]
HEADING_MAX = 40  # characters: a longer "heading" is a sentence
SHORT_HEADING = 15  # a heading closed by 。 with nothing after it (一、加强组织领导。) is at most this long
_STOP = re.compile("[。！？：:；;]")
_COMMA = ("，", ",", "、", "；")


def kind(text: str) -> tuple[Kind, int]:
    """(kind, end of the head) of ``text``, the line after its number. For a run-in heading the head
    ends after its closing mark; for a heading it is the whole text (a closing 。 or ： not counted)."""
    m = _STOP.search(text)
    if m is None:
        return ("heading", len(text)) if display_width(text) <= HEADING_MAX else ("item", len(text))
    head = text[:m.start()]
    if not head or any(c in head for c in _COMMA) or display_width(head) > HEADING_MAX:
        return "item", len(text)
    if m.end() >= len(text.rstrip()):
        if m.group() in "；;" or display_width(head) > SHORT_HEADING:
            return "item", len(text)
        return "heading", m.start()
    return "run-in", m.end()
