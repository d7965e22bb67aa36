"""Hostile .docx files for ``plangen check``, made on the fly (too big, or too odd, to keep in the repository)."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
TAIL = "</w:body></w:document>"


def minimal(path: Path, body: str) -> Path:
    """A package Word opens: content types, the package relationship and the main part."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", HEAD + body + TAIL)
    return path


def many_headings(path: Path, count: int) -> Path:
    """``count`` paragraphs each reading 一、标题: the same finding over and over (check was quadratic)."""
    para = '<w:p><w:r><w:t>一、工作目标</w:t></w:r></w:p>'
    return minimal(path, para * count)


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A main part that inflates about a thousandfold: ``megabytes`` of one paragraph's text."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write((HEAD + "<w:p><w:r><w:t>").encode())
            block = b"a" * (1 << 20)
            for _ in range(megabytes):
                part.write(block)
            part.write(("</w:t></w:r></w:p>" + TAIL).encode())
    return path


def flagged_encrypted(source: Path, path: Path) -> Path:
    """The same package with the ZipCrypto bit set on every entry (zipfile then wants a password)."""
    data = bytearray(source.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (i := data.find(signature, start)) != -1:
            data[i + offset] |= 0x01
            start = i + 4
    path.write_bytes(bytes(data))
    return path


def method(source: Path, path: Path, compress_type: int) -> Path:
    """The same package with every entry claiming compression method ``compress_type`` (9 = deflate64)."""
    data = bytearray(source.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (i := data.find(signature, start)) != -1:
            data[i + offset : i + offset + 2] = compress_type.to_bytes(2, "little")
            start = i + 4
    path.write_bytes(bytes(data))
    return path


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(path: Path) -> Path:
    """An OLE compound file: what an encrypted .docx and a Word 97–2003 .doc both are."""
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + b"\xff" * 1024)
    return path


def lie_about(path: Path, part: str, declared: int) -> Path:
    """The package with ``part``'s entry declaring ``declared`` bytes unpacked, whatever it inflates to
    (local header and central directory alike; no zip64)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (i := data.find(signature, start)) != -1:
            name_at = i + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[i + offset : i + offset + 4] = declared.to_bytes(4, "little")
            start = i + 4
    path.write_bytes(bytes(data))
    return path


def lying_bomb(path: Path, megabytes: int, declared: int = 4096) -> Path:
    """A .docx whose document.xml declares ``declared`` bytes and inflates to ``megabytes`` MB (deflate level 1:
    twice as fast to make as level 9, about 4.5 KB a MB instead of 1 KB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w") as part:
            part.write((HEAD + "<w:p><w:r><w:t>").encode())
            block = b"a" * (1 << 20)
            for _ in range(megabytes):
                part.write(block)
            part.write(("</w:t></w:r></w:p>" + TAIL).encode())
    return lie_about(path, "word/document.xml", declared)
