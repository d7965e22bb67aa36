"""Reading any .docx into what the rules look at: paragraphs with the properties Word would apply.

Word resolves a property by walking docDefaults → paragraph style chain → character style chain →
direct formatting, each attribute of ``w:rFonts``, ``w:ind`` and ``w:spacing`` on its own. The
rules must see the same values Word shows, so this module does that walk and remembers where each
value came from (``docDefaults``, ``style Normal``, ``direct``): a wrong font set on a style is then
reported once, not once per paragraph.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from lxml import etree

from plangen.errors import PlangenError
from plangen.i18n import Msg, _, msg
from plangen.ooxml import safe_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_W = f"{{{W}}}"

# Attributes resolved one by one (Word merges these element by element, attribute by attribute).
_MERGED = {"rFonts", "ind", "spacing", "pBdr"}
_PPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "pBdr", "spacing", "ind", "jc", "snapToGrid")
_RPR = ("rFonts", "b", "color", "spacing", "w", "sz", "vanish")


class UnreadableFile(PlangenError):
    """The file is not a Word document we can open (exit code 2 in ``plangen check``)."""

    exit_code = 2


def _cannot(label: str, reason: str | Msg) -> Msg:
    """``FILE: cannot read: REASON``, the one line ``plangen check`` prints for a file it cannot open."""
    return msg("docx.unreadable", "{file}: cannot read: {reason}", file=label, reason=reason)


def _os_reason(exc: OSError) -> str | Msg:
    """Why the file could not be opened, in the reader's language where the cause is a common one."""
    if isinstance(exc, FileNotFoundError):
        return msg("docx.missing", "No such file or directory")
    if isinstance(exc, IsADirectoryError):
        return msg("docx.folder", "Is a directory")
    if isinstance(exc, PermissionError):
        return msg("docx.permission", "Permission denied")
    return str(exc.strerror or exc)


def w(tag: str) -> str:
    return _W + tag


def attr(el: etree._Element | None, name: str) -> str | None:
    return None if el is None else el.get(_W + name)


@dataclass(frozen=True)
class Value:
    """One resolved property value and the place it came from."""

    value: Any
    source: str


Props = dict[str, Value]
"""``"jc" → Value("center", "style Title")``; merged attributes as ``"ind.firstLine"``."""


def _collect(container: etree._Element | None, names: tuple[str, ...], source: str, into: Props) -> None:
    if container is None:
        return
    for child in container:
        if not isinstance(child.tag, str) or not child.tag.startswith(_W):
            continue
        name = child.tag[len(_W):]
        if name not in names:
            continue
        if name == "rFonts":
            for key, theme in (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"), ("eastAsia", "eastAsiaTheme"), ("cs", "cstheme")):
                if child.get(_W + theme):  # a theme font beats a named one given at the same level
                    into[f"rFonts.{key}"] = Value(f"theme:{child.get(_W + theme)}", source)
                elif child.get(_W + key) is not None:
                    into[f"rFonts.{key}"] = Value(child.get(_W + key), source)
        elif name == "pBdr":
            for side in child:
                if isinstance(side.tag, str):
                    into[f"pBdr.{side.tag[len(_W):]}"] = Value({k[len(_W):]: v for k, v in side.attrib.items()}, source)
        elif name in _MERGED:
            # lxml-stubs type attribute names and values as str | bytes; lxml gives str
            for key, val in cast("list[tuple[str, str]]", child.attrib.items()):
                if key.startswith(_W):
                    into[f"{name}.{key[len(_W):]}"] = Value(val, source)
        else:
            given = child.get(_W + "val")
            into[name] = Value(given if given is not None else "1", source)


@dataclass
class Styles:
    """The style part: docDefaults, styles by id, the default paragraph style, theme fonts."""

    root: etree._Element | None
    theme_fonts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        # Resolved properties by the formatting XML that produced them: a document repeats a few dozen
        # formattings over thousands of paragraphs and runs, which then share one (read-only) dict.
        self._paragraph_cache: dict[bytes, Props] = {}
        self._run_cache: dict[tuple[bytes, bytes], Props] = {}
        if self.root is None:
            return
        for style in self.root.iter(w("style")):
            sid = style.get(_W + "styleId")
            if sid is None:
                continue
            self.by_id[sid] = style
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true", "on"):
                self.default_paragraph = sid

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        if style is None:
            return style_id or ""
        return attr(style.find(w("name")), "val") or style_id or ""

    def chain(self, style_id: str | None) -> list[str]:
        """The style and its ancestors, root first (cycles are cut)."""
        out: list[str] = []
        current = style_id
        while current and current in self.by_id and current not in out:
            out.append(current)
            current = attr(self.by_id[current].find(w("basedOn")), "val")
        return out[::-1]

    def _defaults(self, kind: str) -> etree._Element | None:
        if self.root is None:
            return None
        return self.root.find(f"{w('docDefaults')}/{w(kind + 'Default')}/{w(kind)}")

    def paragraph_props(self, ppr: etree._Element | None) -> Props:
        """The paragraph's resolved properties; shared between paragraphs formatted alike, so never mutate them."""
        key = b"" if ppr is None else etree.tostring(ppr)
        props = self._paragraph_cache.get(key)
        if props is None:
            props = self._paragraph_cache[key] = self._paragraph_props(ppr)
        return props

    def _paragraph_props(self, ppr: etree._Element | None) -> Props:
        props: Props = {}
        _collect(self._defaults("pPr"), _PPR, "docDefaults", props)
        for sid in self.chain(self.paragraph_style(ppr)):
            _collect(self.by_id[sid].find(w("pPr")), _PPR, f"style {self.name(sid)}", props)
        _collect(ppr, _PPR, "direct", props)
        return props

    def paragraph_style(self, ppr: etree._Element | None) -> str | None:
        sid = attr(ppr.find(w("pStyle")) if ppr is not None else None, "val")
        return sid if sid in self.by_id else self.default_paragraph

    def run_props(self, ppr: etree._Element | None, rpr: etree._Element | None) -> Props:
        """The run's resolved properties; shared between runs formatted alike, so never mutate them."""
        key = (b"" if ppr is None else etree.tostring(ppr), b"" if rpr is None else etree.tostring(rpr))
        props = self._run_cache.get(key)
        if props is None:
            props = self._run_cache[key] = self._run_props(ppr, rpr)
        return props

    def _run_props(self, ppr: etree._Element | None, rpr: etree._Element | None) -> Props:
        props: Props = {}
        _collect(self._defaults("rPr"), _RPR, "docDefaults", props)
        for sid in self.chain(self.paragraph_style(ppr)):
            _collect(self.by_id[sid].find(w("rPr")), _RPR, f"style {self.name(sid)}", props)
        rstyle = attr(rpr.find(w("rStyle")) if rpr is not None else None, "val")
        for sid in self.chain(rstyle):
            _collect(self.by_id[sid].find(w("rPr")), _RPR, f"style {self.name(sid)}", props)
        _collect(rpr, _RPR, "direct", props)
        for key, val in list(props.items()):
            if isinstance(val.value, str) and val.value.startswith("theme:"):
                name = val.value[6:]
                props[key] = Value(self.theme_fonts.get(name, val.value), val.source)
        return props


class _Resolved:
    """``get`` a resolved value, ``source`` where it was set ("unset" when nowhere)."""

    props: Props

    def get(self, key: str) -> Any:
        v = self.props.get(key)
        return None if v is None else v.value

    def source(self, key: str) -> str:
        v = self.props.get(key)
        return v.source if v is not None else "unset"


@dataclass
class DocxRun(_Resolved):
    """A run as read back from a .docx, with its resolved properties (not the model's document.Run)."""

    text: str
    props: Props
    element: etree._Element


@dataclass
class DocxParagraph(_Resolved):
    """A paragraph in reading order; ``number`` counts body paragraphs from 1, ``cell`` says where in a table."""

    number: int
    element: etree._Element
    props: Props
    runs: list[DocxRun]
    section: int
    table: int | None = None
    cell: tuple[int, int] | None = None
    mark: Props = field(default_factory=dict)
    """Run properties of the paragraph mark: the size an empty paragraph's line is set in."""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def style(self) -> str:
        v = self.props.get("pStyle")
        return "" if v is None else str(v.value)

    def location(self) -> str:
        words = self.text.strip().replace("\n", " ")
        words = (words[:14] + "…") if len(words) > 14 else words
        if self.table is not None and self.cell is not None:
            where = _("table {table}, row {row}, cell {cell}", table=self.table, row=self.cell[0], cell=self.cell[1])
        else:
            where = _("paragraph {number}", number=self.number)
        return _("{where} “{words}”", where=where, words=words) if words else where


def run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        tag = child.tag
        if tag == w("t"):
            out.append(child.text or "")
        elif tag == w("tab"):
            out.append("\t")
        elif tag in (w("br"), w("cr")) and child.get(_W + "type") in (None, "textWrapping"):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _runs(p: etree._Element, styles: Styles, ppr: etree._Element | None) -> list[DocxRun]:
    runs = []
    # runs directly in the paragraph, in hyperlinks, smart tags and content controls; not deleted text
    for r in p.iter(w("r")):
        if any(a.tag in (w("del"), w("moveFrom")) for a in r.iterancestors()):
            continue
        parent = r.getparent()
        if parent is not None and parent.tag == w("p") and parent is not p:
            continue  # a paragraph inside a text box: read on its own
        props = styles.run_props(ppr, r.find(w("rPr")))
        if props.get("vanish") is not None and props["vanish"].value not in ("0", "false", "off"):
            continue  # hidden text is not printed
        runs.append(DocxRun(run_text(r), props, r))
    return runs


@dataclass
class Section:
    """One ``w:sectPr``; ``index`` from 0. Paragraphs carry the index of the section they belong to."""

    index: int
    element: etree._Element


@dataclass
class Docx:
    """A .docx read for checking: paragraphs in order, sections, footers by relationship id, settings."""

    name: str
    paragraphs: list[DocxParagraph]
    sections: list[Section]
    styles: Styles
    settings: etree._Element | None
    footers: dict[str, etree._Element]
    body: etree._Element
    tables: list[etree._Element]

    def body_paragraphs(self) -> Iterator[DocxParagraph]:
        return (p for p in self.paragraphs if p.table is None)

    def footer_paragraphs(self, rid: str) -> list[DocxParagraph]:
        root = self.footers.get(rid)
        if root is None:
            return []
        out = []
        for i, p in enumerate(root.iter(w("p")), 1):
            ppr = p.find(w("pPr"))
            out.append(DocxParagraph(i, p, self.styles.paragraph_props(ppr), _runs(p, self.styles, ppr), -1))
        return out

    def setting(self, name: str) -> etree._Element | None:
        return None if self.settings is None else self.settings.find(w(name))


MAX_PART_BYTES = 16 * 1024 * 1024
"""An XML part ``check`` parses (document, styles, footers…), inflated. A 500-page document.xml is ~5 MB."""
MAX_PARAGRAPHS = 10_000
"""Paragraphs ``check`` reads, table cells included: some 450 pages of 公文 at one line each, more at the usual three."""
MAX_RUNS = 25_000
"""Runs (stretches of text with one formatting) ``check`` reads. Every paragraph and run is resolved
through the style chain into its own properties, about 2 KB each, so these two bounds keep one file
within the project's budget (5 s of CPU, 200 MB). A generated plan has a few hundred of each."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _theme_fonts(theme: etree._Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if theme is None:
        return out
    for kind in ("major", "minor"):
        font = theme.find(f".//{{{A}}}{kind}Font")
        if font is None:
            continue
        hans = font.find(f"{{{A}}}font[@script='Hans']")
        ea = font.find(f"{{{A}}}ea")
        latin = font.find(f"{{{A}}}latin")
        east = (ea.get("typeface") if ea is not None else "") or (hans.get("typeface") if hans is not None else "")
        out[f"{kind}EastAsia"] = east or f"theme:{kind}EastAsia"
        out[f"{kind}HAnsi"] = out[f"{kind}Ascii"] = latin.get("typeface", "") if latin is not None else ""
        out[f"{kind}Bidi"] = out[f"{kind}HAnsi"]
    return out


class _TooBig(Exception):
    """A part larger than :data:`MAX_PART_BYTES`; turned into UnreadableFile with the file's name."""


def _read(zf: zipfile.ZipFile, name: str) -> etree._Element:
    """Parse one XML part, refusing it by its declared size before inflating it."""
    size = zf.getinfo(name).file_size
    if size > MAX_PART_BYTES:
        raise _TooBig(msg("docx.part-too-big", "its part {part} unpacks to {size} MB; plangen check reads parts of at most {limit} MB",
                          part=name, size=f"{size / 1024 / 1024:,.0f}", limit=MAX_PART_BYTES // 1024 // 1024))
    try:
        return _xml(safe_zip.read_part(zf, name, limit=MAX_PART_BYTES))  # never zf.read(): sizes can lie
    except safe_zip.PartRefused as exc:
        raise _TooBig(exc.args[0]) from None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    path = f"{folder}/_rels/{name}.rels"
    if path not in zf.namelist():
        return {}
    out = {}
    for rel in _read(zf, path):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else os.path.normpath(f"{folder}/{target}").replace(os.sep, "/")
        out[rel.get("Id", "")] = full
    return out


def _main_part(zf: zipfile.ZipFile) -> str:
    for rel in _read(zf, "_rels/.rels"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def read(source: str | os.PathLike[str] | bytes, name: str | None = None) -> Docx:
    """Open a .docx (a path or its bytes); UnreadableFile says in one line why it cannot be read."""
    label = name or (str(source) if not isinstance(source, bytes) else "document")
    try:
        if isinstance(source, bytes):
            data = source
        else:
            with Path(source).open("rb") as fh:  # at most the bound and a byte, from a file, pipe or device alike
                data = fh.read(safe_zip.MAX_UNPACKED + 1)
    except OSError as exc:
        raise UnreadableFile(_cannot(label, _os_reason(exc))) from None
    if len(data) > safe_zip.MAX_UNPACKED:
        raise UnreadableFile(_cannot(label, msg("docx.too-large", "it is larger than {limit} MB",
                                                limit=safe_zip.MAX_UNPACKED // 1024 // 1024)))
    reason = safe_zip.sniff(data[:8], kind=".docx")
    if reason is not None:
        raise UnreadableFile(_cannot(label, reason))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            reason = safe_zip.problem(zf, kind=".docx", max_ratio=None)  # each part read is bounded by size
            if reason is not None:
                raise UnreadableFile(msg("docx.unpack", "{file}: {reason}", file=label, reason=reason))
            main = _main_part(zf)
            rels = _rels(zf, main)
            by_type: dict[str, str] = {}
            doc_rels = f"{main.rsplit('/', 1)[0]}/_rels/{main.rsplit('/', 1)[1]}.rels"
            if doc_rels in zf.namelist():
                for rel in _read(zf, doc_rels):
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if rel.get("Id") in rels:
                        by_type.setdefault(kind, rels[rel.get("Id", "")])
            document = _read(zf, main)
            part: Callable[[str], etree._Element | None] = lambda kind: _read(zf, by_type[kind]) if kind in by_type and by_type[kind] in zf.namelist() else None
            styles_root, settings, theme = part("styles"), part("settings"), part("theme")
            footers = {rid: _read(zf, target) for rid, target in rels.items() if "footer" in target and target in zf.namelist()}
    except _TooBig as exc:
        raise UnreadableFile(_cannot(label, exc.args[0])) from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, EOFError, RuntimeError, NotImplementedError,
            zipfile.LargeZipFile, OSError) as exc:
        # RuntimeError/NotImplementedError: encryption or a compression method found only while reading
        reason = (msg("docx.not-zip", "not a .docx (zip) file") if isinstance(exc, zipfile.BadZipFile)
                  else msg("docx.broken", "broken Word package ({error}: {detail})", error=type(exc).__name__, detail=exc))
        raise UnreadableFile(_cannot(label, reason)) from None
    if document.tag != w("document"):
        raise UnreadableFile(_cannot(label, msg("docx.not-word", "the main part is not a WordprocessingML document")))
    return from_parts(label, document, styles_root, settings=settings, footers=footers, theme=theme)


def from_parts(
    name: str,
    document: etree._Element,
    styles_root: etree._Element | None,
    *,
    settings: etree._Element | None = None,
    footers: dict[str, etree._Element] | None = None,
    theme: etree._Element | None = None,
) -> Docx:
    """The model from already parsed parts (the notice writer estimates pages from its own XML)."""
    styles = Styles(styles_root, _theme_fonts(theme))
    body = document.find(w("body"))
    if body is None:
        raise UnreadableFile(_cannot(name, msg("docx.no-body", "the document has no body")))
    paragraphs_n = runs_n = 0
    for el in body.iter(w("p"), w("r")):
        if el.tag == w("p"):
            paragraphs_n += 1
        else:
            runs_n += 1
    if paragraphs_n > MAX_PARAGRAPHS or runs_n > MAX_RUNS:
        what = (_("{count} paragraphs", count=f"{paragraphs_n:,}") if paragraphs_n > MAX_PARAGRAPHS
                else _("{count} runs of text", count=f"{runs_n:,}"))
        raise UnreadableFile(_cannot(name, msg(
            "docx.too-long", "it has {what}; plangen check reads documents of at most {paragraphs} paragraphs and {runs} runs "
            "(about 450 pages): check it in parts", what=what, paragraphs=f"{MAX_PARAGRAPHS:,}", runs=f"{MAX_RUNS:,}")))
    paragraphs: list[DocxParagraph] = []
    sections: list[Section] = []
    tables: list[etree._Element] = []
    counter = 0

    def add_paragraph(p: etree._Element, table: int | None = None, cell: tuple[int, int] | None = None) -> None:
        nonlocal counter
        ppr = p.find(w("pPr"))
        if table is None:
            counter += 1
        mark = styles.run_props(ppr, ppr.find(w("rPr")) if ppr is not None else None)
        paragraphs.append(DocxParagraph(counter, p, styles.paragraph_props(ppr), _runs(p, styles, ppr), len(sections), table, cell, mark))
        sect = ppr.find(w("sectPr")) if ppr is not None else None
        if sect is not None and table is None:
            sections.append(Section(len(sections), sect))

    def walk(container: etree._Element) -> None:
        for child in container:
            if child.tag == w("p"):
                add_paragraph(child)
            elif child.tag == w("tbl"):
                tables.append(child)
                index = len(tables)
                for r, tr in enumerate(child.iter(w("tr")), 1):
                    for c, tc in enumerate(tr.findall(w("tc")), 1):
                        for p in tc.iter(w("p")):
                            add_paragraph(p, index, (r, c))
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if content is not None:
                    walk(content)

    walk(body)
    final = body.find(w("sectPr"))
    if final is not None:
        sections.append(Section(len(sections), final))
    return Docx(name, paragraphs, sections, styles, settings, footers or {}, body, tables)
