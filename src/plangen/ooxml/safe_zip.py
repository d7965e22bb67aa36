"""Opening the zip of an Office Open XML package (.docx, .xlsx) safely: one helper for ``plangen check`` and rosters.

A package is a zip file, and a zip file from a stranger can be a zip bomb (a megabyte that inflates to
gigabytes), can be flagged as ZipCrypto-encrypted, or use a compression method Python cannot unpack
(deflate64). An encrypted Office file or an old binary .doc/.xls is no zip at all but an OLE compound
file. Each of these gets a one-line reason here, before anything is inflated; the callers wrap it in
their own error (exit code 2).

The declared sizes can lie: ``ZipFile.read()`` inflates the whole stream in one call before it cuts
the result to the declared size (a part declaring 4 KB and inflating to 400 MB cost 790 MB). So every
part plangen reads goes through :func:`read_part`, a chunk at a time with a running cap, and a package
handed to another library (openpyxl) is first streamed through once by :func:`verify`; after that its
declared sizes are known to be true, and checking them bounds memory and time.
"""

from __future__ import annotations

import zipfile

from plangen.i18n import Msg, _, msg

MAX_UNPACKED = 100 * 1024 * 1024
"""All parts together, inflated. A large real workbook or document unpacks to a few tens of MB."""
MAX_RATIO = 200
"""Real XML parts deflate 5–20:1; a part over :data:`BOMB_FLOOR` inflating more than this is a bomb."""
BOMB_FLOOR = 10 * 1024 * 1024
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
"""What Word, Excel and WPS write. zipfile also reads bzip2 and LZMA, which no Office program writes."""
_METHOD_NAMES = {9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES encryption"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 64 * 1024
"""Inflated bytes per step of :func:`read_part`: what one step can cost, whatever the part declares."""


class PartRefused(Exception):
    """A part that unpacks past a cap or not to its declared size; ``args[0]`` is the reason (a Msg)."""


def read_part(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, *, limit: int, kind: str = ".docx") -> bytes:
    """The part's bytes, inflated :data:`CHUNK` by :data:`CHUNK`, refused past ``limit`` bytes or when they are
    not what its entry declares (:class:`PartRefused`)."""
    info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    limit_mb = max(limit // 1024 // 1024, 1)
    if info.file_size > limit:
        raise PartRefused(msg("package.part-too-big", "its part {part} unpacks to {size} MB; plangen reads parts of at most {limit} MB",
                              part=info.filename, size=f"{info.file_size / 1024 / 1024:,.0f}", limit=limit_mb))
    out = bytearray()
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(CHUNK):
                out += chunk
                if len(out) > limit:
                    raise PartRefused(msg("package.part-too-big", "its part {part} unpacks to more than {limit} MB; plangen reads parts "
                                          "of at most {limit} MB", part=info.filename, limit=limit_mb))
    except zipfile.BadZipFile:
        program = "Word" if kind == ".docx" else "Excel"
        raise PartRefused(msg("package.lying-size", "is damaged or a zip bomb: its part {part} does not unpack to the size it declares; "
                              "save it again from {program}", part=info.filename, program=program)) from None
    return bytes(out)


def verify(zf: zipfile.ZipFile, *, kind: str, max_unpacked: int = MAX_UNPACKED) -> Msg | None:
    """Stream every part through once, keeping nothing: why the package lies about its sizes, or None.

    For a package another library then reads with ``ZipFile.read()``: once this passes, every part
    inflates to exactly its declared size, and :func:`problem` has bounded those.
    """
    total = 0
    for info in zf.infolist():
        try:
            with zf.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > max_unpacked:
                        return msg("package.too-large", "would unpack to {size} MB; a {kind} file unpacks to at most {limit} MB. "
                                   "Save it again from {program}", size=f"{total / 1024 / 1024:,.0f}", kind=kind,
                                   limit=max_unpacked // 1024 // 1024, program="Word" if kind == ".docx" else "Excel")
        except zipfile.BadZipFile:
            return msg("package.lying-size", "is damaged or a zip bomb: its part {part} does not unpack to the size it declares; "
                       "save it again from {program}", part=info.filename, program="Word" if kind == ".docx" else "Excel")
    return None


def sniff(head: bytes, *, kind: str) -> Msg | None:
    """Why the first bytes of a file show it is not a package of ``kind`` (".docx"), or None.

    The reason reads after "cannot read: " (``not a .docx (zip) file``).

    An OLE compound file is either an encrypted Office file (Office wraps the package in one when a
    password is set) or a Word/Excel 97–2003 file; both need the user to save it again.
    """
    legacy = ".doc" if kind == ".docx" else ".xls"
    program = "Word" if kind == ".docx" else "Excel"
    if head.startswith(OLE_MAGIC):
        return msg("package.ole", "a password-protected (encrypted) Office file or an old {legacy} file, not a {kind} package; "
                   "remove the password or save it in {program} as {kind}", legacy=legacy, kind=kind, program=program)
    if head.startswith(b"{\\rtf"):
        return msg("package.rtf", "an RTF file, not a {kind} package; save it in {program} as {kind}", kind=kind, program=program)
    if not head.startswith(b"PK"):
        return msg("package.not-zip", "not a {kind} (zip) file", kind=kind)
    return None


def problem(zf: zipfile.ZipFile, *, kind: str, max_unpacked: int = MAX_UNPACKED, max_ratio: int | None = MAX_RATIO) -> Msg | None:
    """Why this package must not be unpacked (encrypted, unknown compression, a bomb), or None.

    ``max_ratio=None`` leaves out the ratio test, for a caller that bounds each part it reads by size
    (``plangen check``): a long table of repeated cells can deflate 300:1 and is no bomb.
    """
    parts = zf.infolist()
    program = "Word" if kind == ".docx" else "Excel"
    for part in parts:
        if part.flag_bits & 0x1:
            return msg("package.encrypted", "is encrypted (its part {part} needs a password); remove the password in {program} and save it again",
                       part=part.filename, program=program)
        if part.compress_type not in _METHODS:
            name = _METHOD_NAMES.get(part.compress_type) or _("method {number}", number=part.compress_type)
            return msg("package.compression", "is compressed with {method} (part {part}), which {program} does not write and plangen "
                       "cannot unpack; open it in {program} and save it again", method=name, part=part.filename, program=program)
    total = sum(p.file_size for p in parts)
    bomb = None if max_ratio is None else next(
        (p for p in parts if p.file_size > BOMB_FLOOR and p.file_size > max_ratio * max(p.compress_size, 1)), None)
    if total > max_unpacked or bomb is not None:
        size, limit = f"{total / 1024 / 1024:,.0f}", max_unpacked // 1024 // 1024
        if bomb is not None:
            return msg("package.bomb", "would unpack to {size} MB ({part} inflates {ratio}-fold); a {kind} file unpacks to at most "
                       "{limit} MB. Save it again from {program}", size=size, part=bomb.filename,
                       ratio=f"{bomb.file_size // max(bomb.compress_size, 1):,}", kind=kind, limit=limit, program=program)
        return msg("package.too-large", "would unpack to {size} MB; a {kind} file unpacks to at most {limit} MB. Save it again from "
                   "{program}", size=size, kind=kind, limit=limit, program=program)
    return None
