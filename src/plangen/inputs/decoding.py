"""Bytes a clerk saved into text: the one place plangen guesses an encoding.

Input files, pasted texts for ``plangen fix`` and CSV rosters come from Notepad, WPS and Excel on
Chinese Windows, so the same order serves them all:

1. a byte order mark decides alone (UTF-8 "with BOM", Notepad's "Unicode" = UTF-16 LE, UTF-16 BE);
2. UTF-16 without a BOM, told by its NUL bytes (ASCII in UTF-16 has one per character, text never has);
3. UTF-8;
4. GB18030, which is what Chinese Windows calls "ANSI" (a superset of GBK and GB2312).

What none of these reads becomes one :class:`UnreadableText`, naming the file.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import IO, NamedTuple

from plangen.errors import InputError, Problem
from plangen.i18n import msg

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
SNIFF_BYTES = 4000
"""How much of the start decides whether BOM-less text is UTF-16 (a few lines of any input)."""
_BLOCK = 1 << 16


class UnreadableText(InputError):
    """The bytes are in no encoding plangen reads (or are not text at all): exit code 2, naming the file."""


class Decoded(NamedTuple):
    text: str
    encoding: str
    """The codec that read it, without ``-sig`` ("utf-8", "utf-16", "utf-16-le", "gb18030"…)."""


def candidates(head: bytes) -> list[str]:
    """The codecs to try, in order, for bytes that start with ``head``: a BOM decides alone."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return [codec]
    return [*_utf16_guess(head[:SNIFF_BYTES]), "utf-8", "gb18030"]


def _utf16_guess(head: bytes) -> list[str]:
    """["utf-16-le"] or ["utf-16-be"] for UTF-16 text without a BOM, else []. UTF-8 and GB18030 text never
    holds a NUL byte, UTF-16 holds one per ASCII character: the byte order that reads the start without a
    NUL character and with more ASCII (line breaks at least) is the one."""
    if b"\x00" not in head:
        return []
    head = head[: len(head) // 2 * 2]
    best, score = "", 0
    for codec in ("utf-16-le", "utf-16-be"):
        text = codecs.getincrementaldecoder(codec)(errors="strict")
        try:
            chars = text.decode(head)
        except UnicodeDecodeError:
            continue
        ascii_chars = sum(1 for ch in chars if " " <= ch < "\x7f" or ch in "\r\n\t")
        if "\x00" not in chars and ascii_chars > score:
            best, score = codec, ascii_chars
    return [best] if best else []


def decoded(data: bytes, *, source: str) -> Decoded:
    """The text of ``data`` and the codec that read it; :class:`UnreadableText` naming ``source`` if none does."""
    tried = candidates(data)
    has_nul = False
    for codec in tried:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            has_nul = True
            continue
        return Decoded(text, codec.removesuffix("-sig"))
    raise unreadable(source, tried, binary=has_nul)


def decode_text(data: bytes, *, source: str) -> str:
    """The text of ``data`` (see the module's order); :class:`UnreadableText` naming ``source`` if unreadable."""
    return decoded(data, source=source).text


def file_encoding(path: Path, *, source: str | None = None) -> str:
    """The codec that reads all of the file at ``path``, in the same order as :func:`decoded`, checked in
    blocks so a roster of any length is never held in memory (a codec for :func:`open`)."""
    with path.open("rb") as fh:
        tried = candidates(fh.read(SNIFF_BYTES))
        for codec in tried:
            if _decodes(fh, codec):
                return codec
    raise unreadable(source or str(path), tried)


def _decodes(fh: IO[bytes], codec: str) -> bool:
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        while chunk := fh.read(_BLOCK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def unreadable(source: str, tried: list[str], *, binary: bool = False) -> UnreadableText:
    """The one error for bytes that are not text: what it looked like, and what to do, naming the file."""
    if binary:
        return UnreadableText(Problem(msg("text.binary", "is a binary file, not text"), file=source))
    if tried and tried[0].startswith("utf-16"):
        return UnreadableText(Problem(msg(
            "text.bad-utf16", "looks like UTF-16 (Notepad's \"Unicode\") but cannot be decoded; save it again as UTF-8"),
            file=source))
    return UnreadableText(Problem(msg(
        "text.undecodable", "cannot read: the text is neither UTF-8 nor GB18030 nor UTF-16; save it as UTF-8 and try again"),
        file=source))
