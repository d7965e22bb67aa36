"""Cleaning a line of text as clerks type it: invisible characters and typed spacing out (spacing
set on purpose, such as full-width spaces aligning a list, kept), then :func:`plangen.text.normalise`,
run by run so emphasis survives."""

from __future__ import annotations

import re

from plangen import text as T
from plangen.document import Run

SPACES = " \t\u3000\xa0"
_INNER_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_CJK_MARK = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026\u2014]")


def _space(m: re.Match[str]) -> str:
    s = m.string
    before = s[m.start() - 1] if m.start() else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if not before or not after:
        return ""
    han_before, han_after = T.HAN_RE.match(before), T.HAN_RE.match(after)
    if han_before and (han_after or after in "：（") and not m.group().strip("\u3000"):
        return m.group()  # full-width spaces between characters align a list: 组　长：韩　方
    wide = (len(m.group()) > 1 and "\u3000" not in m.group()) or len(m.group()) > 2  # a gap set on purpose: 办公室  2024年3月5日印发
    if (_CJK_MARK.match(before) or _CJK_MARK.match(after) or (han_before and (after in "(,:;?!" or (after.isdigit() and not wide)))
            or (han_after and (before in "),:;?!" or (before.isdigit() and not wide)))):
        return ""  # "一、 指导思想", "2024年 4月": spacing typed for the eye
    return " "


def clean_runs(runs: list[Run]) -> tuple[list[Run], bool]:
    """Invisible characters out, leading/trailing and typed spacing out; (runs, whether spacing went)."""
    text = "".join(r.text for r in runs)
    out: list[Run] = []
    for r in runs:
        t = T.strip_invisible(r.text.replace("\t", "  "), keep_newlines=False)  # a tab is a gap set on purpose
        if t:
            out.append(Run(t, r.bold, r.underline))
    changed = False
    if out:
        first = out[0].text.lstrip(SPACES)
        changed |= first != out[0].text
        out[0] = Run(first, out[0].bold, out[0].underline)
        last = out[-1].text.rstrip(SPACES)
        changed |= last != out[-1].text
        out[-1] = Run(last, out[-1].bold, out[-1].underline)
    joined = "".join(r.text for r in out)
    squeezed = _INNER_SPACE.sub(_space, joined)
    if squeezed != joined:
        changed = True
        out = _respace(out)
    out = [r for r in out if r.text]
    return merge_runs(out), changed or text.strip(SPACES) != text


def _respace(runs: list[Run]) -> list[Run]:
    """Apply the spacing rule across run boundaries, run by run (emphasis kept)."""
    joined = "".join(r.text for r in runs)
    keep = [True] * len(joined)
    for m in _INNER_SPACE.finditer(joined):
        replacement = _space(m)
        for i in range(m.start(), m.end()):
            keep[i] = False
        if replacement:
            keep[m.start()] = True
    verbatim = [False] * len(joined)
    for m in _INNER_SPACE.finditer(joined):
        replacement = _space(m)
        if replacement and replacement == m.group():
            for i in range(m.start(), m.end()):
                keep[i] = verbatim[i] = True
    out, pos = [], 0
    for r in runs:
        chars = zip(r.text, keep[pos:pos + len(r.text)], verbatim[pos:pos + len(r.text)])
        text = "".join(c if v or c not in "\u3000\xa0\t" else " " for c, k, v in chars if k)
        pos += len(r.text)
        out.append(Run(text, r.bold, r.underline))
    return out


def clean_text(text: str) -> str:
    """One table cell or line: spacing and invisible characters out, then text.normalise."""
    runs, _changed = clean_runs([Run(text)])
    return T.normalise("".join(r.text for r in runs))


def merge_runs(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of the same look as one run: cleaning and joining lines leave many small ones."""
    out: list[Run] = []
    for r in runs:
        if out and (out[-1].bold, out[-1].underline) == (r.bold, r.underline):
            out[-1] = Run(out[-1].text + r.text, r.bold, r.underline)
        else:
            out.append(r)
    return out


def normalise_runs(runs: list[Run]) -> list[Run]:
    """text.normalise on each run (full-width spaces lining up a list kept in front), see _normalise_runs."""
    joined = "".join(r.text for r in runs)
    lead = joined[:len(joined) - len(joined.lstrip("\u3000"))]
    out = _normalise_runs(runs)
    if lead and out and not out[0].text.startswith(lead):
        out[0] = Run(lead + out[0].text, out[0].bold, out[0].underline)
    return out


def _normalise_runs(runs: list[Run]) -> list[Run]:
    """text.normalise on each run, kept per run only when it agrees with normalising the whole line
    (a rule can look across a run boundary); otherwise the line's emphasis is merged."""
    whole = T.normalise("".join(r.text for r in runs))
    each = [Run(T.normalise(r.text), r.bold, r.underline) for r in runs]
    each = [r for r in each if r.text]
    if "".join(r.text for r in each) == whole:
        return merge_runs(each)
    bold = bool(runs) and all(r.bold for r in runs)
    underline = bool(runs) and all(r.underline for r in runs)
    return [Run(whole, bold, underline)] if whole else []


def cut(runs: list[Run], start: int, end: int | None = None) -> list[Run]:
    """The runs covering characters ``start:end`` of their joined text."""
    out, pos = [], 0
    for r in runs:
        a, b = pos, pos + len(r.text)
        pos = b
        lo, hi = max(a, start), b if end is None else min(b, end)
        if lo < hi:
            out.append(Run(r.text[lo - a:hi - a], r.bold, r.underline))
    return out
