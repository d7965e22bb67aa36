"""Reading a document in whatever form it arrives: .docx, pasted text (.txt/.md in any Chinese
encoding), or .doc/.wps/.odt/.rtf through LibreOffice.

Every source becomes the same list of :class:`SourceLine` (one paragraph or one line of text, with the
look Word gives it) and :class:`SourceTable`, so recognition does not care where the text came from.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangen.document import Run
from plangen.errors import PlangenError
from plangen.i18n import Msg, _, msg
from plangen.inputs.decoding import decoded

if TYPE_CHECKING:
    from lxml import etree

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
CONVERTED_SUFFIXES = {".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot", ".docm", ".dotx"}
SUFFIXES = TEXT_SUFFIXES | CONVERTED_SUFFIXES | {".docx"}
CONVERT_TIMEOUT = 120.0


class UnreadableInput(PlangenError):
    """The input cannot be read as a document: exit code 2, one line naming the file and why."""

    exit_code = 2


@dataclass
class SourceLine:
    """One paragraph of the source (a line of text, or a Word paragraph, a soft break splitting it)."""

    runs: list[Run]
    bold: bool = False
    """All of its text is bold."""
    font: str = ""
    """East Asian font of its first run (黑体, 楷体…) as the source set it."""
    centred: bool = False
    size: float | None = None
    """Font size in points, when the source says."""
    style: str = ""
    """Word paragraph style name, lower case ("heading 1", "title")."""
    md_level: int | None = None
    """Markdown heading level (number of ``#``)."""
    blank_before: bool = False
    """An empty line or paragraph came before it (a paragraph boundary in pasted text)."""
    soft: bool = False
    """It followed a soft line break inside one Word paragraph."""
    number: int = 0
    """Where it was: line or paragraph number in the source, for the report."""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class SourceTable:
    rows: list[list[str]]
    number: int = 0
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """(row, column, rows, columns) of each merged cell, on the table's grid."""


@dataclass(frozen=True)
class Manual:
    """Something the fixed document cannot carry, for a person: what it is, where, what it said."""

    where: str
    what: str
    note: Msg | None = None


Item = SourceLine | SourceTable


@dataclass
class Source:
    name: str
    kind: str
    """"docx", "text" or "markdown"."""
    items: list[Item] = field(default_factory=list)
    encoding: str = ""
    converted: bool = False
    empty_removed: int = 0
    list_numbers: int = 0
    markup_removed: int = 0
    """Lines of pasted Markdown whose marks (#, **, list bullets, backslash escapes) were taken off."""
    comments_removed: int = 0
    """Lines of pasted Markdown inside <!-- comments -->, left out."""
    images: list[Any] = field(default_factory=list)
    """Pictures (:class:`plangen.document.Image`) referenced by marks in the text."""
    notes: list[str] = field(default_factory=list)
    """Footnote and endnote texts, referenced by marks in the text (:func:`plangen.document.note_mark`)."""
    manual: list[Manual] = field(default_factory=list)
    """Figures, seals, text boxes, comments… that are not in the output: each listed for a person."""


def read_source(path: str | os.PathLike[str], data: bytes | None = None, *, name: str | None = None) -> Source:
    """The document at ``path`` (or its bytes, ``path`` giving the name and type) as lines and tables."""
    path = Path(path)
    label = name or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableInput(_("{file}: cannot read: {suffix} is not a document plangen fix reads (.docx, .txt, .md, .doc, .wps)", file=label, suffix=suffix or _("a file without extension")))
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableInput(_("{file}: cannot read: {reason}", file=label, reason=exc.strerror or str(exc))) from None
    if suffix in TEXT_SUFFIXES:
        if len(data) > MAX_TEXT_BYTES:
            raise UnreadableInput(_("{file}: cannot read: it is {size} MB of text; plangen fix reads texts of at most {limit} MB "
                                    "(about 1,000 pages): fix it in parts", file=label, size=f"{len(data) / 1024 / 1024:,.1f}",
                                    limit=MAX_TEXT_BYTES // 1024 // 1024))
        text, encoding = decode(data, label)
        _within_length(text, label)
        return text_source(text, label, markdown=suffix != ".txt" or _looks_markdown(text), encoding=encoding)
    if suffix in CONVERTED_SUFFIXES:
        source = docx_source(convert_to_docx(path, data, label), label)
        source.converted = True
        return source
    return docx_source(data, label)


# ---------------------------------------------------------------- text

MAX_TEXT_BYTES = 4 * 1024 * 1024
"""A .txt/.md of 450 pages is about 1 MB in UTF-8; recognising costs about 0.35 s of CPU a MB."""
MAX_TEXT_LINES = 10_000
"""Lines with text in a .txt/.md: as many paragraphs as ``plangen check`` reads in a .docx (about 450 pages).
Each line costs about 50 µs to recognise and lay out, so this keeps any text within a second or two of CPU."""


def _within_length(text: str, label: str) -> None:
    """Refuse a text too long to fix within the README's 5 s of CPU, before any line is recognised."""
    lines = text.count("\n") + 1
    filled = lines if lines <= MAX_TEXT_LINES else sum(1 for line in text.splitlines() if line.strip())
    if filled > MAX_TEXT_LINES or lines > 5 * MAX_TEXT_LINES:
        count = filled if filled > MAX_TEXT_LINES else lines
        raise UnreadableInput(_("{file}: cannot read: it has {count} lines of text; plangen fix reads at most {limit} (about 450 "
                                "pages): fix it in parts", file=label, count=f"{count:,}",
                                limit=f"{MAX_TEXT_LINES:,}"))


def decode(data: bytes, label: str) -> tuple[str, str]:
    """Text and the encoding it was in (:func:`plangen.inputs.decoding.decoded`)."""
    return decoded(data, source=label)


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?=\S)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|__(?=\S)(.+?)(?<=\S)__")


def _looks_markdown(text: str) -> bool:
    """Text pasted from an AI chat is Markdown even when saved as .txt: # headings or **bold**."""
    return bool(re.search(r"(?m)^#{1,6}\s+\S", text)) or "**" in text


def _md_runs(text: str) -> list[Run]:
    """``**bold**`` becomes a bold run; backslash escapes are undone."""
    runs: list[Run] = []
    pos = 0
    for m in _MD_BOLD.finditer(text):
        if m.start() > pos:
            runs.append(Run(_MD_ESCAPE.sub(r"\1", text[pos:m.start()])))
        runs.append(Run(_MD_ESCAPE.sub(r"\1", m.group(1) or m.group(2)), bold=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(_MD_ESCAPE.sub(r"\1", text[pos:])))
    return runs


_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _md_row(line: str) -> list[str]:
    cells = line.strip().strip("|").split("|")
    return [_MD_ESCAPE.sub(r"\1", c.strip()).replace("**", "") for c in cells]


def text_source(text: str, label: str, *, markdown: bool, encoding: str = "utf-8") -> Source:
    """Every non-empty line a :class:`SourceLine`; an empty line marks the next as starting a paragraph.
    In Markdown, <!-- comments --> are left out (and counted) and a pipe table becomes a table."""
    source = Source(label, "markdown" if markdown else "text", encoding=encoding)
    blank = False
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = text.split("\n")
    comment = False
    tables = 0
    table: SourceTable | None = None
    for number, raw in enumerate(lines, 1):
        if markdown and (comment or raw.lstrip().startswith("<!--")):
            comment = "-->" not in raw
            source.comments_removed += 1
            continue
        if markdown and raw.lstrip().startswith("|"):
            if table is not None:
                if not _MD_TABLE_RULE.match(raw):
                    table.rows.append(_md_row(raw))
                continue
            if number < len(lines) and _MD_TABLE_RULE.match(lines[number]):
                tables += 1
                table = SourceTable([_md_row(raw)], number=tables)
                source.items.append(table)
                source.markup_removed += 1
                continue
        table = None
        if not raw.strip(" \t\u3000\xa0\ufeff\u200b"):
            blank = True
            continue
        level = None
        body = raw
        if markdown:
            m = _MD_HEADING.match(raw)
            if m:
                level, body = len(m.group(1)), m.group(2)
            else:
                body = _MD_BULLET.sub("", raw)
            runs = _md_runs(body)
            if level is not None or "".join(r.text for r in runs) != raw:
                source.markup_removed += 1
        else:
            runs = [Run(body)]
        all_bold = bool(runs) and all(r.bold for r in runs if r.text.strip())
        source.items.append(SourceLine(runs, bold=all_bold, md_level=level, blank_before=blank, number=number))
        blank = False
    return source


# ---------------------------------------------------------------- Word

def _on(value: object) -> bool:
    return value is not None and str(value) not in ("0", "false", "off", "none")


def docx_source(data: bytes, label: str) -> Source:
    """Paragraphs with their look (bold, East Asian font, centred, size, style) and tables as rows on
    their grid (merged cells kept); what cannot be carried over is listed in ``source.manual``."""
    from plangen.ooxml.reader import UnreadableFile, read, w

    try:
        doc = read(data, name=label)
    except UnreadableFile as exc:
        raise UnreadableInput(str(exc)) from None
    source = Source(label, "docx")
    numbering = Numbering.of(data, doc.styles)
    extras = Extras.of(data)
    blank = False
    seen_tables: set[int] = set()
    for para in doc.paragraphs:
        if para.table is not None:
            if para.table not in seen_tables:
                seen_tables.add(para.table)
                rows, merged = table_grid(doc.tables[para.table - 1])
                source.items.append(SourceTable(rows, number=para.table, merged=merged))
            continue
        if next(para.element.iter(*_SPECIAL), None) is not None:  # one pass: most paragraphs hold only text
            extras.scan(para.element, para.number, para.text, source)
            visible = extras.with_notes(para.runs, source)
        else:
            visible = [r for r in para.runs if r.text]
        if not "".join(r.text for r in visible).strip(" \t\n\u3000\xa0"):
            blank = True
            source.empty_removed += 1
            continue
        runs: list[Run] = []
        for r in visible:
            underline = r.element.find(f"{w('rPr')}/{w('u')}")
            runs.append(Run(r.text, bold=_on(r.get("b")), underline=underline is not None and underline.get(w("val")) not in ("none", "0")))
        label_text = numbering.label(para.element)
        if label_text:  # Word numbers the paragraph itself: the number a reader sees becomes text
            runs.insert(0, Run(label_text, bold=runs[0].bold if runs else False))
            source.list_numbers += 1
        first = next((r for r in visible if r.text.strip()), visible[0])
        size = first.get("sz")
        style = doc.styles.name(para.style).lower()
        fonts = {str(r.get("rFonts.eastAsia") or "") for r in visible if r.text.strip()}
        font = fonts.pop() if len(fonts) == 1 else ""  # a heading's look is all of it in one font
        bold = all(r.bold for r in runs if r.text.strip())
        # a soft break splits the paragraph into lines, joined again where a sentence runs on
        pieces = _split_runs(runs)
        for i, piece in enumerate(pieces):
            source.items.append(SourceLine(piece, bold=bold, font=font, centred=para.get("jc") in ("center", "centre"),
                                     size=float(size) / 2 if size else None, style=style,
                                     blank_before=blank and i == 0, soft=i > 0, number=para.number))
        blank = False
    # a colophon laid out as a ruled table (as plangen and many offices do): its rows are lines
    items: list[Item] = []
    for item in source.items:
        if isinstance(item, SourceTable) and item.rows and "".join(item.rows[-1]).strip().endswith("印发"):
            items.extend(SourceLine([Run(" ".join(c for c in row if c))], number=item.number) for row in item.rows if "".join(row).strip())
        else:
            items.append(item)
    source.items = items
    return source


def table_grid(tbl: object) -> tuple[list[list[str]], tuple[tuple[int, int, int, int], ...]]:
    """A Word table's text on its grid: a cell spanning columns (gridSpan) or rows (vMerge) is one
    cell, its text in its first row and column, and listed as (row, column, rows, columns)."""
    from plangen.ooxml.reader import run_text, w

    rows: list[list[str]] = []
    spans: dict[tuple[int, int], list[int]] = {}  # (row, column) of a cell → [rows, columns]
    below: dict[int, tuple[int, int]] = {}  # column → (row, column) of the cell a vMerge continues
    for r, tr in enumerate(tbl.iter(w("tr"))):  # type: ignore[attr-defined]
        row: list[str] = []
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            span_el = tcpr.find(w("gridSpan")) if tcpr is not None else None
            span = int(span_el.get(w("val"), "1")) if span_el is not None else 1
            vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
            column = len(row)
            text = "\n".join("".join(run_text(x) for x in p.iter(w("r"))) for p in tc.iter(w("p"))).strip()
            if vmerge is not None and vmerge.get(w("val")) != "restart" and column in below:
                spans[below[column]][0] += 1
                row.extend([""] * span)
                continue
            below[column] = (r, column)
            spans[(r, column)] = [1, span]
            row.extend([text] + [""] * (span - 1))
        rows.append(row)
    merged = tuple((r, c, n, m) for (r, c), (n, m) in sorted(spans.items()) if n > 1 or m > 1)
    return rows, merged


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_SPECIAL = (*(_W + tag for tag in ("commentReference", "ins", "del", "txbxContent", "footnoteReference", "endnoteReference")),
            _A_BLIP, "{urn:schemas-microsoft-com:vml}imagedata")
"""What a paragraph may hold besides text: notes, comments, revisions, text boxes, pictures."""
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"


class _Marked:
    """A run of the reader with a footnote mark after its text (or, ``alone``, a picture's mark
    in place of its text)."""

    def __init__(self, run: Any, mark: str, *, alone: bool = False) -> None:
        self.run, self.text = run, mark if alone else run.text + mark
        self.element, self.bold = run.element, getattr(run, "bold", False)

    def get(self, key: str) -> Any:
        return self.run.get(key)


_PICTURE_TYPES = {"png", "jpeg", "jpg", "gif", "bmp", "tif", "tiff", "emf", "wmf"}


class Extras:
    """What a Word file holds besides its text: footnotes, endnotes and comments (their text read
    from their parts), text boxes, figures and seals. None is carried into the output yet; each is
    listed, with its paragraph, for a person to put back."""

    def __init__(self, notes: dict[str, dict[str, str]], pictures: dict[str, tuple[bytes, str]] | None = None) -> None:
        self.notes = notes
        self.pictures = pictures or {}
        """Relationship id → (bytes, extension) of each picture the document body uses."""

    @classmethod
    def of(cls, data: bytes) -> Extras:
        import io
        import zipfile

        from lxml import etree

        from plangen.ooxml.reader import w

        notes: dict[str, dict[str, str]] = {}
        pictures: dict[str, tuple[bytes, str]] = {}
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "word/_rels/document.xml.rels" in names:
                    rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"), etree.XMLParser(resolve_entities=False, no_network=True))
                    for rel in rels:
                        target = "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/")
                        ext = target.rsplit(".", 1)[-1].lower()
                        if rel.get("Type", "").endswith("/image") and target in names and ext in _PICTURE_TYPES:
                            pictures[rel.get("Id", "")] = (zf.read(target), ext)
                for part, tag in (("footnotes", "footnote"), ("endnotes", "endnote"), ("comments", "comment")):
                    name = f"word/{part}.xml"
                    if name not in zf.namelist():
                        continue
                    root = etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
                    notes[tag] = {el.get(w("id"), ""): "".join(t.text or "" for t in el.iter(w("t"))).strip() for el in root.iter(w(tag))}
        except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError):
            pass
        return cls(notes, pictures)

    def with_notes(self, runs: list[Any], source: Source) -> list[Any]:
        """The runs with text, a footnote or endnote reference made a mark at the end of the run
        before it (the note's text kept in ``source.notes``, laid out again as a footnote)."""
        from plangen.document import Image, image_mark, note_mark
        from plangen.ooxml.reader import w

        out: list[Any] = []
        for r in runs:
            for blip in r.element.iter(_A_BLIP):
                picture = self.pictures.get(blip.get(_R_EMBED, ""))
                drawing = next((a for a in blip.iterancestors(w("drawing"))), None)
                extent = drawing.find(f".//{_WP_EXTENT}") if drawing is not None else None
                if picture is None or extent is None:
                    continue
                source.images.append(Image(picture[0], picture[1], int(extent.get("cx", "914400")), int(extent.get("cy", "914400"))))
                out.append(_Marked(r, image_mark(len(source.images) - 1), alone=True))
            for tag, kind in (("footnoteReference", "footnote"), ("endnoteReference", "endnote")):
                for ref in r.element.iter(w(tag)):
                    source.notes.append(self.notes.get(kind, {}).get(ref.get(w("id"), ""), ""))
                    mark = note_mark(len(source.notes) - 1)
                    if out:
                        out[-1] = _Marked(out[-1], mark)
            if r.text:
                out.append(r)
        return out

    def scan(self, element: object, number: int, text: str, source: Source) -> None:
        from plangen.ooxml.reader import w

        words = text.strip()[:12] + ("…" if len(text.strip()) > 12 else "")
        where = _("paragraph {n} “{words}”", n=number, words=words)
        for tag, what in (("commentReference", _("comment")),):
            for ref in element.iter(w(tag)):  # type: ignore[attr-defined]
                said = self.notes.get(tag.replace("Reference", ""), {}).get(ref.get(w("id"), ""), "")
                source.manual.append(Manual(where, f"{what}：{said}" if said else what, msg("fix.manual-note", "not carried into the fixed file: add it again in Word")))
        if next(element.iter(w("ins"), w("del")), None) is not None:  # type: ignore[attr-defined]
            source.manual.append(Manual(where, _("tracked changes"), msg("fix.manual-revisions", "taken as accepted (deleted text left out): compare with the reviewed file")))
        for box in element.iter(w("txbxContent")):  # type: ignore[attr-defined]
            said = "".join(t.text or "" for t in box.iter(w("t"))).strip()
            what = _("text box")
            source.manual.append(Manual(where, f"{what}：{said}", msg("fix.manual-box", "not carried into the fixed file: put its text into the body or add the box again")))
        tree: Any = element
        carried = {b.get(_R_EMBED, "") for b in tree.iter(_A_BLIP)} & set(self.pictures)
        shown = [el for el in tree.iter() if isinstance(el.tag, str) and el.tag.endswith(("}blip", "}imagedata"))]
        pictures = len(shown) - len(carried)
        if pictures:
            source.manual.append(Manual(where, _("{n} picture(s) (a figure or a seal)", n=pictures), msg("fix.manual-picture", "not carried into the fixed file: insert it again at this place")))


class Numbering:
    """Word's automatic list numbering (numbering.xml), counted as Word counts it, so a heading
    numbered by a list style gets the 一、 or 1. the reader sees (the .docx holds no such text)."""

    def __init__(self, root: etree._Element | None, styles: object) -> None:
        from plangen.ooxml.reader import w

        self.w = w
        self.styles = styles
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → (start, format, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for abstract in root.iter(w("abstractNum")):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in abstract.iter(w("lvl")):
                def val(tag: str, lvl: etree._Element = lvl) -> str | None:
                    found = lvl.find(w(tag))
                    return found.get(w("val")) if found is not None else None

                levels[int(lvl.get(w("ilvl"), "0"))] = (int(val("start") or 1), val("numFmt") or "decimal", val("lvlText") or "")
            self.levels[abstract.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            overrides: dict[int, int] = {}
            for override in num.iter(w("lvlOverride")):
                start = override.find(w("startOverride"))
                if start is not None:
                    overrides[int(override.get(w("ilvl"), "0"))] = int(start.get(w("val"), "1"))
            self.nums[num.get(w("numId"), "")] = (ref.get(w("val"), "") if ref is not None else "", overrides)

    @classmethod
    def of(cls, data: bytes, styles: object) -> Numbering:
        import io
        import zipfile

        from lxml import etree

        from plangen.ooxml import safe_zip
        from plangen.ooxml.reader import MAX_PART_BYTES

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                name = "word/numbering.xml"
                if name not in zf.namelist():
                    return cls(None, styles)
                parser = etree.XMLParser(resolve_entities=False, no_network=True)
                return cls(etree.fromstring(safe_zip.read_part(zf, name, limit=MAX_PART_BYTES), parser), styles)
        except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError, safe_zip.PartRefused):
            return cls(None, styles)

    def _num_pr(self, paragraph: object) -> tuple[str, int] | None:
        w = self.w
        ppr = paragraph.find(w("pPr"))  # type: ignore[attr-defined]
        num_pr = ppr.find(w("numPr")) if ppr is not None else None
        if num_pr is None:  # numbering given by the paragraph style (Heading 1 numbered by a list style)
            for sid in reversed(self.styles.chain(self.styles.paragraph_style(ppr))):  # type: ignore[attr-defined]
                num_pr = self.styles.by_id[sid].find(f"{w('pPr')}/{w('numPr')}")  # type: ignore[attr-defined]
                if num_pr is not None:
                    break
        if num_pr is None:
            return None
        num_id = num_pr.find(w("numId"))
        ilvl = num_pr.find(w("ilvl"))
        if num_id is None or num_id.get(w("val")) in (None, "0"):
            return None
        return num_id.get(w("val")), int(ilvl.get(w("val"), "0")) if ilvl is not None else 0

    def label(self, paragraph: object) -> str:
        """The number Word shows before ``paragraph`` ("一、", "（二）", "3."), "" for none or a bullet."""
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.nums:
            return ""
        num_id, ilvl = found
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _start, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def number(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            lfmt = levels.get(level, (1, "decimal", ""))[1]
            return _format(counters.get(level, levels.get(level, (1, "", ""))[0]), lfmt)

        return re.sub(r"%(\d)", number, text)


def _format(n: int, fmt: str) -> str:
    from plangen.text import cn_number

    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital", "japaneseCounting", "taiwaneseCounting"):
        return cn_number(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


def _split_runs(runs: list[Run]) -> list[list[Run]]:
    """Runs cut at each soft line break (``\\n`` in run text)."""
    out: list[list[Run]] = [[]]
    for run in runs:
        parts = run.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                out.append([])
            if part:
                out[-1].append(Run(part, bold=run.bold, underline=run.underline))
    return [p for p in out if "".join(r.text for r in p).strip(" \t\u3000\xa0")]


# ---------------------------------------------------------------- LibreOffice

def convert_to_docx(path: Path, data: bytes, label: str) -> bytes:
    """A .doc/.wps/.odt/.rtf as .docx bytes, through LibreOffice headless in a private profile."""
    from plangen import libreoffice

    program = libreoffice.soffice()
    if program is None:
        raise UnreadableInput(_("{file}: cannot read {suffix} files without LibreOffice; install it (apt install libreoffice-writer) or save the file as .docx in Word or WPS", file=label, suffix=path.suffix.lower()))
    with tempfile.TemporaryDirectory(prefix="plangen-fix-") as tmp:
        work = Path(tmp)
        src = work / f"in{path.suffix.lower()}"
        src.write_bytes(data)
        try:
            result = libreoffice.convert(program, "docx:MS Word 2007 XML", [src], work, timeout=CONVERT_TIMEOUT)
        except libreoffice.PreviewError:
            raise UnreadableInput(_("{file}: LibreOffice did not convert it within {seconds:g} s", file=label, seconds=CONVERT_TIMEOUT)) from None
        made = work / "out" / "in.docx"
        if not made.is_file():
            detail = (result.stderr or "").strip().splitlines()
            raise UnreadableInput(_("{file}: LibreOffice could not convert it ({detail})", file=label, detail=detail[-1] if detail else result.returncode))
        return made.read_bytes()
