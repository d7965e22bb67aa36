"""Reading generated .docx files back for assertions: python-docx plus the raw XML it exposes."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class ReadParagraph:
    style: str
    text: str
    bold_prefix: str
    element: object


def paragraphs(path: Path) -> list[ReadParagraph]:
    """Body paragraphs (outside tables) with their style id and text."""
    doc = open_docx(str(path))
    out = []
    for p in doc.paragraphs:
        style = p.style.style_id if p.style is not None else "Normal"
        bold = "".join(r.text for r in p.runs if r.bold)
        out.append(ReadParagraph(style, p.text, bold, p._p))
    return out


def text(path: Path) -> str:
    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


def style_element(path: Path, style_id: str) -> etree._Element:
    doc = open_docx(str(path))
    styles: list[etree._Element] = doc.styles.element.findall(qn("w:style"))  # python-docx leaves .element untyped
    for style in styles:
        if style.get(qn("w:styleId")) == style_id:
            return style
    raise AssertionError(f"no style {style_id}")


def rfonts(style: etree._Element) -> dict[str, str]:
    el = style.find(f"{W}rPr/{W}rFonts")
    if el is None:
        return {}
    # lxml-stubs type attribute names and values as str | bytes; lxml gives str
    return {k.replace(W, ""): v for k, v in cast("list[tuple[str, str]]", el.attrib.items())}


def rpr_val(style: etree._Element, tag: str) -> str | None:
    el = style.find(f"{W}rPr/{W}{tag}")
    return None if el is None else el.get(f"{W}val")


def ppr(style: etree._Element, tag: str) -> etree._Element | None:
    return style.find(f"{W}pPr/{W}{tag}")


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode("utf-8")
