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


def kind(text: str, style: int = 1) -> tuple[Kind, int]:
    """(kind, end of the head) of ``text``, the line after its number of ``style`` (1 一、 2 （一）
    3 1. 4 （1）). For a run-in heading the head ends after its closing mark; for a heading it is the
    whole text (a closing 。 or ： not counted). A 1. or （1） heading may hold a comma before its
    stop (1.开展各类活动，丰富文化生活。…): the writer runs those headings in, so they read back alike."""
    m = _STOP.search(text)
    if m is None:
        return ("heading", len(text)) if display_width(text) <= HEADING_MAX else ("item", len(text))
    head = text[:m.start()]
    if not head or ((style <= 2 or m.end() >= len(text.rstrip())) and any(c in head for c in _COMMA)) or display_width(head) > HEADING_MAX:
        return "item", len(text)
    if m.end() >= len(text.rstrip()):
        if m.group() in "；;" or display_width(head) > SHORT_HEADING:
            return "item", len(text)
        return "heading", m.start()
    return "run-in", m.end()


def settle(found: list[tuple[int, Kind, str]]) -> list[Kind]:
    """The kinds of a part's numbered lines, given (number style 1–4, kind, last character) in order,
    settled among siblings: a list is a list, so when most of a run of same-style numbers are items
    (or one of them closes with ；) all of them are (（三）处理异常情况。 after （一）制定调度计划；).
    A run ends at a number of a shallower style."""
    kinds = [k for _s, k, _c in found]
    for style in {s for s, _k, _c in found}:
        run: list[int] = []
        for i in [*range(len(found)), -1]:
            if i >= 0 and found[i][0] == style:
                run.append(i)
            elif i < 0 or found[i][0] < style:
                if run and (2 * sum(kinds[j] == "item" for j in run) >= len(run) or any(found[j][2] in "；;" for j in run)):
                    for j in run:
                        kinds[j] = "item"
                run = []
    return kinds
