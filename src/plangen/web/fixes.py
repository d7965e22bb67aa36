"""格式修正 in the web app: an uploaded document fixed by :func:`plangen.fix.fix_document`, its report
shown, the fixed .docx kept for download.

The fixed bytes are kept server-side under ``<data>/fixes/<id>/`` (``fixed.docx`` and ``meta.json``
with the download's name) because the browser no longer has the upload when it asks for the file.
The id is random hex, so no request names a path; only the latest :data:`KEPT_FIXES` are kept.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from plangen.i18n import _
from plangen.ooxml.safe_zip import OLE_MAGIC

FIX_ID = re.compile(r"^[0-9a-f]{32}$")
KEPT_FIXES = 50
"""Fixed documents kept for download (the most recent); a fix is downloaded right after it is made."""
ZIP_MAGIC = b"PK\x03\x04"
BINARY_MAGIC = (ZIP_MAGIC, b"PK\x05\x06", OLE_MAGIC, b"\x1f\x8b", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"Rar!", b"7z\xbc\xaf")
_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[\\/][^\s()（）,，;；]+")


def refusal(filename: str, head: bytes, office: bool) -> str | None:
    """Why the upload cannot be fixed, judged by its name *and* its content (None: go ahead)."""
    from plangen.fix.sources import CONVERTED_SUFFIXES, TEXT_SUFFIXES

    suffix = Path(filename).suffix.lower()
    if suffix == ".docx":
        if head.startswith(OLE_MAGIC):
            return _("This is an old .doc file (or an encrypted .docx); open it in Word or WPS, save it as .docx without a password, and upload that.")
        if not head.startswith(ZIP_MAGIC):
            return _("This is not a .docx file; choose a Word document saved as .docx.")
        return None
    if suffix in TEXT_SUFFIXES:
        if head.startswith(BINARY_MAGIC):
            return _("This file is named {suffix} but is not text; choose the text saved as .txt, or a .docx.", suffix=suffix)
        return None
    if suffix in CONVERTED_SUFFIXES:
        if not office:
            return _("{suffix} files are read through LibreOffice, which this server does not have; save the file as .docx in Word or WPS and upload that.", suffix=suffix)
        if not head.startswith((OLE_MAGIC, ZIP_MAGIC, b"{\\rtf")):
            return _("This file is named {suffix} but is not a Word or WPS document; save it again from Word or WPS.", suffix=suffix)
        return None
    return _("Choose a .docx, .txt or .md file (or .doc and .wps when LibreOffice is installed).")


def reason(text: str, name: str) -> str:
    """The library's one-line reason without the file's name in front and without any path in it
    (LibreOffice's messages name its temporary files): no server path reaches the browser."""
    return _PATH.sub("…", text.removeprefix(name + ": ").removeprefix(name + "："))


def keep(root: Path, data: bytes, download_name: str) -> str:
    """Keep the fixed .docx for download; its random id."""
    prune(root, KEPT_FIXES - 1)
    fix_id = secrets.token_hex(16)
    folder = root / fix_id
    folder.mkdir(parents=True)
    (folder / "fixed.docx").write_bytes(data)
    tmp = folder / "meta.json.tmp"
    tmp.write_text(json.dumps({"name": download_name, "created": time.time()}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / "meta.json")
    return fix_id


def kept(root: Path, fix_id: str) -> tuple[Path, str] | None:
    """(the fixed file, its download name) of a well-formed id that exists, else None."""
    if not FIX_ID.fullmatch(fix_id):
        return None
    folder = root / fix_id
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not (folder / "fixed.docx").is_file():
        return None
    return folder / "fixed.docx", meta["name"]


def prune(root: Path, keep: int = KEPT_FIXES) -> None:
    """Remove all but the ``keep`` newest fixes, so the data folder does not grow without end."""
    if not root.is_dir():
        return
    found: list[tuple[float, Path]] = []
    for folder in root.iterdir():
        if FIX_ID.fullmatch(folder.name):
            try:
                found.append((folder.stat().st_mtime, folder))
            except OSError:
                continue
    found.sort(key=lambda f: f[0], reverse=True)
    for _t, old in found[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def rows(report: Any) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The report as two tables: what was changed, and what a person must still settle."""
    from plangen.fix.report import describe

    def row(c: Any) -> dict[str, str]:
        return {"code": c.code, "where": c.where, "what": describe(c.code), "before": c.before, "after": c.after,
                "note": str(c.note) if c.note is not None else ""}

    return [row(c) for c in report.changes if not c.person], [row(c) for c in report.for_person]
