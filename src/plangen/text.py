"""Text rules of a Chinese official document, in one place.

Input validation normalises user text with these functions, the guard checks the finished document
with the same patterns, and ``plangen check`` reads any .docx with them, so the three always agree.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from plangen.i18n import Msg, msg

# Chinese ideographs (with extensions A, B…) and full-width/CJK punctuation count as "Chinese context".
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026\u2014"
CJK = f"[{_HAN}{_CJK_PUNCT}]"
HAN_RE = re.compile(f"[{_HAN}]")

# ASCII punctuation that must be full-width next to Chinese (the period is left to its own rule: "1." is right).
ASCII_PUNCT_NEAR_CJK = re.compile(f"(?<={CJK})[,:;?!()]|[,:;?!()](?={CJK})")
# what normalisation turns full width: whole runs, since a mark made full width is Chinese context for the next
_ASCII_RUN_NEAR_CJK = re.compile(f"(?<={CJK})[,:;?!()]+|[,:;?!()]+(?={CJK})")

_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

PLACEHOLDER_RE = re.compile(
    r"20[xX×_＿]{2}"  # 20xx, 20__
    r"|(?<![A-Za-z])[xX]{2,}(?![A-Za-z])"  # xx县, XX
    r"|_{2,}|＿{2,}"  # __
    r"|□|○○|××|＊＊"
    r"|\{\{|\}\}|\{%|%\}|\{#|#\}"  # template syntax
    r"|(?<![A-Za-z])(?:None|nan|NaN|null|undefined)(?![A-Za-z])"
)

DOCNO_BAD_BRACKETS_RE = re.compile(r"[\[【(（]\s*((?:19|20)\d{2})\s*[\]】)）](?=\s*第?\s*\d+\s*号)")
DOCNO_RE = re.compile(r"〔((?:19|20)\d{2})〕\s*第?\s*0*(\d+)\s*号")
ZERO_PADDED_DATE_RE = re.compile(r"(\d{4})年0(\d)月|(?<=月)0(\d)日|(?<![\d年])0(\d)月(?=\d{1,2}日)")
# Characters a Word document cannot hold (XML 1.0) or that are invisible and only cause trouble.
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f\u00ad]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\t": " "})

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """一 … 九十九, as used in heading numbers and 第N届; larger numbers stay Arabic."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


def cn_count(n: int) -> str:
    """A count before a measure word: 两支, 两项, 十二个 — not 二支 (二 is for 第二, 二十, 十二).

    Only a bare 2 is read 两; 12 and 20 stay 十二 and 二十, and ordinals (第二) use cn_number."""
    return "两" if n == 2 else cn_number(n)


def cn_date(d: date) -> str:
    """2024年4月1日: Arabic numerals, full year, no zero padding (GB/T 9704 7.3.5.3)."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month_day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def xun(d: date) -> str:
    """The ten-day period (旬) a date falls in: 上旬, 中旬 or 下旬."""
    return "上旬" if d.day <= 10 else "中旬" if d.day <= 20 else "下旬"


def is_emoji(ch: str) -> bool:
    """Pictographs cannot be printed in an official document; ideographs of the extension planes can."""
    cp = ord(ch)
    if 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x1F1E6 <= cp <= 0x1F1FF:
        return True
    return unicodedata.category(ch) == "So" and cp > 0xFFFF


def strip_invisible(text: str, *, keep_newlines: bool) -> str:
    """Remove control, zero-width and direction characters; tabs become spaces.

    Every line break is one: CR LF, CR, and the Unicode line and paragraph separators (U+2028, U+2029)
    and NEL (U+0085) that text pasted from web pages and PDFs carries, which Word would otherwise show as
    a break the guard cannot see.
    """
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    if not keep_newlines:
        text = re.sub(r"\s*\n\s*", _newline_joiner, text)
    text = _CONTROL_RE.sub("", text)
    return _INVISIBLE_RE.sub("", text)


def _newline_joiner(m: re.Match[str]) -> str:
    s, e = m.string, m
    before = s[e.start() - 1] if e.start() > 0 else ""
    after = s[e.end()] if e.end() < len(s) else ""
    return "" if (HAN_RE.match(before or " ") or HAN_RE.match(after or " ")) else " "


def full_width_punctuation(text: str) -> str:
    """Normalise ASCII punctuation next to Chinese to full width where the meaning is unambiguous.

    ``,:;?!`` next to a Chinese character or mark or at either end of the text (every field is set
    into Chinese text), a bracket pair with Chinese inside or beside it, double quotes around Chinese,
    and a period between two Chinese characters or after the last one.
    ``8:30``, ``3.5`` and ``Tel: 0523`` are left alone.
    """
    # Every field is set into Chinese text, so its edges count as Chinese context: a bracket pair
    # touching an edge and any of ,:;?!() at an edge become full width.
    text = re.sub(r"\(([^()]*)\)", _paren, text)
    text = re.sub(r"^[,:;?!()]+", _full_width, text)
    text = re.sub(r"[,:;?!()]+$", _full_width, text)
    if HAN_RE.search(text):
        text = re.sub(r'"([^"]*)"', _quote, text)
        # a period after Chinese text, or after a closing mark that ends Chinese text (”）》), is a 句号
        text = re.sub(f"(?<=[{_HAN}”’）》」』】〕])\\.(?=[{_HAN}]|$)", "。", text)
    # a Chinese mark alone (0:—) is Chinese context too, as the guard sees it
    return _ASCII_RUN_NEAR_CJK.sub(_full_width, text)


def _full_width(m: re.Match[str]) -> str:
    return "".join(_FULL[c] for c in m.group())


def _paren(m: re.Match[str]) -> str:
    s = m.string
    before = s[m.start() - 1] if m.start() else ""
    after = s[m.end()] if m.end() < len(s) else ""
    at_edge = m.start() == 0 or m.end() == len(s)
    if at_edge or HAN_RE.search(m.group(1)) or HAN_RE.match(before or " ") or HAN_RE.match(after or " "):
        return f"（{m.group(1)}）"
    return m.group()


def _quote(m: re.Match[str]) -> str:
    return f"“{m.group(1)}”" if HAN_RE.search(m.group(1)) else m.group()


def normalise_docno(text: str) -> str:
    """建发[2024]035号 / 【2024】 / 第35号 → 建发〔2024〕35号."""
    text = DOCNO_BAD_BRACKETS_RE.sub(lambda m: f"〔{m.group(1)}〕", text)
    return DOCNO_RE.sub(lambda m: f"〔{m.group(1)}〕{int(m.group(2))}号", text)


def unpad_dates(text: str) -> str:
    """2024年04月01日 → 2024年4月1日."""

    def fix(m: re.Match[str]) -> str:
        if m.group(1):
            return f"{m.group(1)}年{m.group(2)}月"
        if m.group(3):
            return f"{m.group(3)}日"
        return f"{m.group(4)}月"

    return ZERO_PADDED_DATE_RE.sub(fix, text)


@lru_cache(maxsize=8192)  # pure; a batch validates the base's texts again for every row
def normalise(text: str, *, keep_newlines: bool = False) -> str:
    """Everything user text goes through before it reaches a template. Documented in README."""
    text = strip_invisible(text, keep_newlines=keep_newlines)
    text = full_width_punctuation(text)
    text = normalise_docno(text)
    text = unpad_dates(text)
    return text.strip()


@lru_cache(maxsize=8192)
def text_problem(text: str) -> Msg | None:
    """Why this finished text cannot appear in a plan, or None. Used by validation and the guard."""
    m = PLACEHOLDER_RE.search(text)
    if m:
        return msg("input.placeholder", "contains the placeholder or template syntax {found}; write the real text",
                   found=repr(m.group()), text=m.group())
    for ch in text:
        if is_emoji(ch):
            return msg("input.emoji", "contains the emoji {found} (U+{code}), which an official document cannot carry",
                       found=repr(ch), code=format(ord(ch), "04X"), text=ch)
    return None


def display_width(text: str) -> float:
    """Width in em: Chinese and full-width characters 1, ASCII ½ (measured in :mod:`plangen.gbt9704.metrics`)."""
    from plangen.gbt9704.metrics import text_width

    return text_width(text)
