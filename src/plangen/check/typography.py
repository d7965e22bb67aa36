"""Page, fonts, sizes, spacing, indents and colour: the measurable GB/T 9704 rules, per paragraph role.

Accepted font names come from the writer's own font profiles (the GB names and their Windows
equivalents), so a plan generated with either profile passes.
"""

from __future__ import annotations

import math

from plangen.check.findings import CHARACTER_GRID, Collector, listing
from plangen.check.roles import Role, is_red
from plangen.gbt9704 import layout as L
from plangen.gbt9704.fonts import ALTERNATES, PROFILES
from plangen.i18n import N_, _, msg
from plangen.ooxml.reader import Docx, DocxParagraph, DocxRun, Section, attr, w

MM = 1440 / 25.4
TOLERANCE = round(MM)  # ±1 mm

_EXTRA = {
    "title": {"方正小标宋_GBK", "小标宋", "小标宋体"},
    "body": {"仿宋", "FangSong", "仿宋_GBK", "方正仿宋_GBK", "方正仿宋简体"},
    "heading1": {"SimHei", "方正黑体_GBK", "方正黑体简体"},
    "heading2": {"楷体", "KaiTi", "楷体_GBK", "方正楷体_GBK", "方正楷体简体"},
    "page_number": {"SimSun"},
}


def accepted(element: str) -> set[str]:
    """Font names that meet the standard for an element (``title``, ``body``, ``heading1``…)."""
    names = {getattr(p, element) for p in PROFILES.values()}
    names |= {ALTERNATES[n] for n in list(names) if n in ALTERNATES}
    return names | _EXTRA.get(element, set())


def preferred(element: str) -> str:
    gb, windows = getattr(PROFILES["gb"], element), getattr(PROFILES["windows"], element)
    return gb if gb == windows else _("{gb} (or {windows})", gb=gb, windows=windows)


HEADING_FONT = {1: "heading1", 2: "heading2", 3: "body", 4: "body"}
HEADING_WHAT = {1: N_("level-1 heading (一、)"), 2: N_("level-2 heading (（一）)"), 3: N_("level-3 heading (1.)"),
                4: N_("level-4 heading (（1）)")}
SIDES = {"top": N_("top"), "bottom": N_("bottom"), "left": N_("left"), "right": N_("right")}


def _pt(half_points: str | None) -> str:
    value = int(half_points or 20) / 2
    return _("{value} pt", value=f"{value:g}")


def check_sections(doc: Docx, out: Collector) -> None:
    """Paper size and margins of every section."""
    for section in doc.sections:
        where = _section_label(doc, section)
        pg, mar = section.element.find(w("pgSz")), section.element.find(w("pgMar"))
        width, height = int(attr(pg, "w") or 0), int(attr(pg, "h") or 0)
        if attr(pg, "orient") == "landscape" or abs(width - L.PAGE_W) > TOLERANCE or abs(height - L.PAGE_H) > TOLERANCE:
            out.add("page-size", where, msg("check.page-size", "paper is {width} × {height} mm", width=f"{width / MM:.0f}",
                                            height=f"{height / MM:.0f}"), _("A4 portrait, 210 × 297 mm"))
        wanted = {"top": (L.MARGIN_TOP, 37), "bottom": (L.MARGIN_BOTTOM, 35), "left": (L.MARGIN_LEFT, 28), "right": (L.MARGIN_RIGHT, 26)}
        wrong = []
        for side, (twips, millimetres) in wanted.items():
            got = abs(int(attr(mar, side) or 1440))
            if side == "left":
                got += int(attr(mar, "gutter") or 0)
            if abs(got - twips) > TOLERANCE:
                wrong.append(_("{side} {got} mm (want {want})", side=_(SIDES[side]), got=f"{got / MM:.1f}", want=millimetres))
        if wrong:
            out.add("page-margins", where, msg("check.page-margins", "margins {sides}", sides=listing(wrong)),
                    _("top 37, bottom 35, left 28, right 26 mm ±1"))


def _section_label(doc: Docx, section: Section) -> str:
    first = next((p for p in doc.body_paragraphs() if p.section == section.index and p.text.strip()), None)
    label = _("section {number} (page setup)", number=section.index + 1)
    if first is not None and len(doc.sections) > 1:
        return _("{section}, from {location}", section=label, location=first.location())
    return label


def _type_width(doc: Docx, para: DocxParagraph) -> int:
    index = min(para.section, len(doc.sections) - 1)
    if index < 0:
        return L.TYPE_W
    el = doc.sections[index].element
    pg, mar = el.find(w("pgSz")), el.find(w("pgMar"))
    return int(attr(pg, "w") or L.PAGE_W) - int(attr(mar, "left") or 0) - int(attr(mar, "right") or 0) - int(attr(mar, "gutter") or 0)


def _grid(doc: Docx, para: DocxParagraph) -> tuple[str | None, int, int]:
    """(grid type, line pitch, char space) of the paragraph's section."""
    index = min(para.section, len(doc.sections) - 1)
    grid = doc.sections[index].element.find(w("docGrid")) if index >= 0 else None
    return attr(grid, "type"), int(attr(grid, "linePitch") or 0), int(attr(grid, "charSpace") or 0)


def _text_runs(para: DocxParagraph) -> list[DocxRun]:
    return [r for r in para.runs if r.text.strip()]


def _font_check(out: Collector, para: DocxParagraph, rule: str, element: str, what: str, *, first_only: bool = False) -> None:
    names = accepted(element)
    runs = _text_runs(para)[:1] if first_only else _text_runs(para)
    for run in runs:
        font = run.get("rFonts.eastAsia")
        if font not in names:
            shown = _("no Chinese font (w:eastAsia unset)") if font is None else font
            if font and font.startswith("theme:"):
                shown = _("the theme font {name}", name=font[6:])
            out.add(rule, para, msg(f"check.{rule}", "{what} is in {font}", what=_(what), font=shown), preferred(element),
                    source=run.source("rFonts.eastAsia"))
            return


def _size_check(out: Collector, para: DocxParagraph, rule: str, half_points: int, what: str, *, first_only: bool = False) -> None:
    runs = _text_runs(para)[:1] if first_only else _text_runs(para)
    for run in runs:
        size = run.get("sz") or "20"
        if size != str(half_points):
            out.add(rule, para, msg(f"check.{rule}", "{what} is {size}", what=_(what), size=_pt(size)), _pt(str(half_points)),
                    source=run.source("sz"))
            return


def check_paragraphs(doc: Docx, roles: list[Role], out: Collector) -> None:
    """Fonts, sizes, line pitch, characters per line, first-line indent and colour, by role."""
    from plangen.check.roles import heading_level, numbered_kind

    for para, role in zip(doc.paragraphs, roles, strict=True):
        if role is Role.TITLE:
            _font_check(out, para, "title-font", "title", N_("the title"))
            _size_check(out, para, "title-size", 44, N_("the title"))
        elif role is Role.HEADING:
            level = (heading_level(para.text) or (3, ""))[0]
            label = HEADING_WHAT[level]
            run_in = level >= 3 or numbered_kind(para.text) == "run-in"  # the heading's own run; the text after it is body
            _font_check(out, para, "heading-font", HEADING_FONT[level], label, first_only=run_in)
            _size_check(out, para, "heading-size", L.BODY_SIZE, label, first_only=run_in)
        elif role in (Role.BODY, Role.FLUSH, Role.SIGNATURE, Role.NUMBER, Role.ATTACHMENT):
            _font_check(out, para, "body-font", "body", N_("body text"))
            _size_check(out, para, "body-size", L.BODY_SIZE, N_("body text"))
        if role in (Role.BODY, Role.HEADING, Role.FLUSH, Role.SIGNATURE, Role.NUMBER, Role.ATTACHMENT):
            _pitch_check(doc, out, para)
        if role is Role.BODY:
            _chars_check(doc, out, para)
        if role in (Role.BODY, Role.HEADING):
            _indent_check(out, para)
        elif role is Role.ATTACHMENT:
            _attachment_indent_check(out, para)
        if role is not Role.MARK:
            _colour_check(out, para)


def _pitch_check(doc: Docx, out: Collector, para: DocxParagraph) -> None:
    rule = para.get("spacing.lineRule") or "auto"
    line = int(para.get("spacing.line") or 240)
    grid_type, pitch, _space = _grid(doc, para)
    ok_exact = rule == "exact" and 574 <= line <= 579
    snaps = para.get("snapToGrid") not in ("0", "false", "off")
    ok_grid = rule == "auto" and line == 240 and grid_type in ("lines", "linesAndChars", "snapToChars") and 574 <= pitch <= 579 and snaps
    if ok_exact or ok_grid:
        return
    if rule == "exact":
        got = _("exact {value} pt", value=f"{line / 20:g}")
    elif rule == "atLeast":
        got = _("at least {value} pt", value=f"{line / 20:g}")
    elif grid_type:
        got = _("{multiple} × single on a {pitch} pt grid", multiple=f"{line / 240:g}", pitch=f"{pitch / 20:g}")
    else:
        got = _("{multiple} × single without a line grid", multiple=f"{line / 240:g}")
    lines = math.floor(L.TYPE_H / line) if rule == "exact" and line else None
    message = (msg("check.line-pitch", "line spacing is {spacing} ({lines} lines a page)", spacing=got, lines=lines) if lines
               else msg("check.line-pitch", "line spacing is {spacing}", spacing=got))
    out.add("line-pitch", para, message, _("exact 28.95 pt (579 twips), 22 lines a page"), source=para.source("spacing.line"))


def _chars_check(doc: Docx, out: Collector, para: DocxParagraph) -> None:
    runs = _text_runs(para)
    if not runs:
        return
    run = runs[0]
    size = int(run.get("sz") or 20) * 10  # twips
    grid_type, _pitch, char_space = _grid(doc, para)
    if grid_type in ("linesAndChars", "snapToChars"):
        advance = size + char_space * 20 / 4096  # Word's character grid: pitch = font size + charSpace/4096 pt
        source = CHARACTER_GRID
    else:
        advance = size + int(run.get("spacing.val") or 0)
        source = run.source("spacing.val") if run.get("spacing.val") else run.source("sz")
    if advance <= 0:
        return
    chars = math.floor(_type_width(doc, para) / advance + 1e-6)
    if chars != L.CHARS_PER_LINE:
        spacing = int(run.get("spacing.val") or 0) / 20
        out.add(
            "chars-per-line", para,
            msg("check.chars-per-line", "{chars} characters fit a line ({size} pt with {spacing} pt character spacing)",
                chars=chars, size=f"{size / 20:g}", spacing=f"{spacing:g}"),
            _("28 (16 pt characters with −0.25 pt spacing)"), source=source,
        )


def _indent_check(out: Collector, para: DocxParagraph) -> None:
    runs = _text_runs(para) or para.runs
    size = int(runs[0].get("sz") or 32) * 10 if runs else 320
    chars = para.get("ind.firstLineChars")
    if chars is not None and int(chars):
        first = int(chars) * size / 100
        source = para.source("ind.firstLineChars")
    else:
        first = int(para.get("ind.firstLine") or 0) - int(para.get("ind.hanging") or 0)
        source = para.source("ind.firstLine") if para.get("ind.firstLine") else para.source("ind.hanging")
    left_chars = para.get("ind.leftChars")
    left = int(left_chars) * size / 100 if left_chars and int(left_chars) else int(para.get("ind.left") or para.get("ind.start") or 0)
    if abs(first - 2 * size) > size * 0.15:
        out.add("first-line-indent", para, msg("check.first-line-indent", "first line indented {chars} characters", chars=f"{first / size:.2g}"),
                _("2 characters (firstLineChars 200)"), source=source)
    elif abs(left) > size * 0.15:
        out.add("first-line-indent", para, msg("check.wrapped-indent", "wrapped lines indented {chars} characters", chars=f"{left / size:.2g}"),
                _("wrapped lines flush left"), source=para.source("ind.left"))


def _attachment_indent_check(out: Collector, para: DocxParagraph) -> None:
    """The attachment note starts 2 characters in (its items at least as far in, lined up after 附件：)."""
    runs = _text_runs(para) or para.runs
    size = int(runs[0].get("sz") or 32) * 10 if runs else 320
    chars = para.get("ind.firstLineChars")
    left = int(para.get("ind.left") or para.get("ind.start") or 0)
    first = int(chars) * size / 100 if chars is not None and int(chars) else int(para.get("ind.firstLine") or 0) - int(para.get("ind.hanging") or 0)
    if left + first < 2 * size - size * 0.15:
        out.add("first-line-indent", para, msg("check.first-line-indent", "first line indented {chars} characters", chars=f"{(left + first) / size:.2g}"),
                _("2 characters (firstLineChars 200)"), source=para.source("ind.firstLine"))


def _colour_check(out: Collector, para: DocxParagraph) -> None:
    for run in _text_runs(para):
        colour = (run.get("color") or "auto").lower()
        if colour not in ("auto", "000000"):
            shown = _("red") if is_red(colour.upper()) else f"#{colour.upper()}"
            out.add("text-colour", para, msg("check.text-colour", "text is coloured {colour}", colour=shown), _("black"),
                    source=run.source("color"))
            return
