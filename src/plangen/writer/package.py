"""A .docx package built once: parts by name, their content types and relationships as data, one zip.

:class:`Package` is what the writers assemble: the plan writer puts its parts in, the notice writer
replaces the body and adds the colophon's empty footer, and :meth:`Package.zip` renders
``[Content_Types].xml`` and the relationship parts from the entries given and zips everything once.

Most parts of a plan (styles, settings, font table, footers, relationships) are the same for every
plan with the same fonts; only the document body and its core properties change. A batch would
otherwise spend a third of its time deflating the same few kilobytes again, so a part seen twice is
kept compressed. The bytes written are exactly those :mod:`zipfile` writes for the same parts (local
headers, deflate level 6, central directory), only built directly.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same input, same bytes
_DOS_DATE = (_FIXED_TIME[0] - 1980) << 9 | _FIXED_TIME[1] << 5 | _FIXED_TIME[2]
_DOS_TIME = _FIXED_TIME[3] << 11 | _FIXED_TIME[4] << 5 | (_FIXED_TIME[5] // 2)
_VERSION = 20  # deflate
_SYSTEM = 0 if sys.platform == "win32" else 3  # what zipfile records as the creating system
_EXTERNAL_ATTR = 0o600 << 16
_UTF8_NAME = 0x800
_DEFLATED = 8
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")

# (name bytes, flag bits, crc, compressed bytes, size)
Packed = tuple[bytes, int, int, bytes, int]

_cache: dict[tuple[str, str | bytes], Packed] = {}
_seen_once: set[int] = set()
_CACHE_LIMIT = 64


def _pack(name: str, text: str | bytes) -> Packed:
    data = text.encode("utf-8") if isinstance(text, str) else text  # bytes: a picture
    try:
        raw_name, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        raw_name, flags = name.encode("utf-8"), _UTF8_NAME
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return raw_name, flags, zlib.crc32(data), compressor.compress(data) + compressor.flush(), len(data)


def packed(name: str, text: str | bytes) -> Packed:
    """A part compressed, from the cache when it has been seen before (a document body never is)."""
    key = (name, text)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    part = _pack(name, text)
    digest = hash(key)
    if digest in _seen_once:
        if len(_cache) < _CACHE_LIMIT:
            _cache[key] = part
    else:
        if len(_seen_once) > 4096:
            _seen_once.clear()
        _seen_once.add(digest)
    return part


def package(parts: Iterable[tuple[str, str | bytes]]) -> bytes:
    """The zip archive of ``(name, xml)`` parts, in order, as :mod:`zipfile` would write it."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, text in parts:
        raw_name, flags, crc, data, size = packed(name, text)
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE,
                             crc, len(data), size, len(raw_name), 0)
        chunks += (header, raw_name, data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags, _DEFLATED, _DOS_TIME,
                                     _DOS_DATE, crc, len(data), size, len(raw_name), 0, 0, 0, 0, _EXTERNAL_ATTR,
                                     offset) + raw_name)
        offset += len(header) + len(raw_name) + len(data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end


DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = "[Content_Types].xml"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _attr(value: str) -> str:
    return value.translate(_ATTR_ESCAPES)


def rels_name(source: str) -> str:
    """The relationship part of ``source`` (``""``: the package itself): word/_rels/document.xml.rels."""
    folder, _, name = source.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


class Relationship(NamedTuple):
    id: str
    type: str
    target: str


@lru_cache(maxsize=64)
def _content_types_xml(types: tuple[tuple[str, str, str], ...]) -> str:
    """Cached: every plan of a batch has the same entries, and then the same (already hashed) string."""
    entries = "".join(
        f'<Default Extension="{_attr(key)}" ContentType="{_attr(value)}"/>' if kind == "Default"
        else f'<Override PartName="/{_attr(key)}" ContentType="{_attr(value)}"/>'
        for kind, key, value in types
    )
    return f'{DECL}<Types xmlns="{_TYPES_NS}">{entries}</Types>'


@lru_cache(maxsize=64)
def _rels_xml(relationships: tuple[Relationship, ...]) -> str:
    entries = "".join(
        f'<Relationship Id="{_attr(r.id)}" Type="{_attr(r.type)}" Target="{_attr(r.target)}"/>' for r in relationships
    )
    return f'{DECL}<Relationships xmlns="{_RELS_NS}">{entries}</Relationships>'


@dataclass
class Package:
    """The parts of a .docx in package order, with content types and relationships kept as data.

    ``[Content_Types].xml`` and each ``_rels`` part hold their place in the order from when they
    were first needed, and are written from the entries when the package is zipped."""

    parts: dict[str, str | bytes | None] = field(default_factory=lambda: {CONTENT_TYPES: None})
    """Part name → XML (a str) or raw bytes (a picture); None for a part rendered at zip time."""
    types: list[tuple[str, str, str]] = field(default_factory=list)
    """("Default", extension, type) and ("Override", part name, type), in the order given."""
    relationships: dict[str, list[Relationship]] = field(default_factory=dict)
    """Source part (``""`` for the package) → its relationships, in the order given."""

    def copy(self) -> Package:
        """A package to fill in and change without changing this one."""
        return Package(dict(self.parts), list(self.types), {source: list(rels) for source, rels in self.relationships.items()})

    def default(self, extension: str, content_type: str) -> None:
        self.types.append(("Default", extension, content_type))

    def override(self, name: str, content_type: str) -> None:
        self.types.append(("Override", name, content_type))

    def put(self, name: str, data: str | bytes, content_type: str | None = None) -> None:
        """Add the part ``name`` (or replace its content where it stands), and its type when given."""
        self.parts[name] = data
        if content_type is not None:
            self.override(name, content_type)

    def relate(self, source: str, rel_id: str, rel_type: str, target: str) -> None:
        """A relationship from ``source`` (``""``: the package); its _rels part takes its place now."""
        if source not in self.relationships:
            self.parts.setdefault(rels_name(source), None)
            self.relationships[source] = []
        self.relationships[source].append(Relationship(rel_id, rel_type, target))

    def content_types_xml(self) -> str:
        return _content_types_xml(tuple(self.types))

    def rels_xml(self, source: str) -> str:
        return _rels_xml(tuple(self.relationships.get(source, ())))

    def rendered(self) -> list[tuple[str, str | bytes]]:
        """Every part with its content, the content types and relationship parts written out."""
        rels = {rels_name(source): source for source in self.relationships}
        out: list[tuple[str, str | bytes]] = []
        for name, data in self.parts.items():
            if data is None:
                data = self.content_types_xml() if name == CONTENT_TYPES else self.rels_xml(rels[name])
            out.append((name, data))
        return out

    def zip(self) -> bytes:
        return package(self.rendered())
