"""Zip the parts of a .docx, compressing each repeated part only once.

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
