"""PDF and the exact pages of a .docx, as LibreOffice prints it (only offered when LibreOffice and
poppler are installed: :attr:`plangen.web.core.Web.office`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

EXACT_KEY = re.compile(r"^[0-9a-f]{32}$")
EXACT_KEPT = 50
"""Documents whose page images are kept (the most recent)."""


def pdf_of(docx: bytes) -> bytes:
    """The .docx as LibreOffice prints it."""
    import tempfile

    from plangen import libreoffice as office

    with tempfile.TemporaryDirectory(prefix="plangen-web-pdf-") as tmp:
        source = Path(tmp) / "plan.docx"
        source.write_bytes(docx)
        return office.to_pdf([source])[0].read_bytes()


def exact_pages(root: Path, docx: bytes) -> tuple[str, list[int]]:
    """PNGs of every page, cached by the document's hash: (key, page numbers)."""
    import hashlib
    import subprocess
    import tempfile

    key = hashlib.sha256(docx).hexdigest()[:32]
    folder = root / key
    if not (folder / "done").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="plangen-web-png-") as tmp:
            pdf = Path(tmp) / "plan.pdf"
            pdf.write_bytes(pdf_of(docx))
            program = shutil.which("pdftoppm") or "pdftoppm"
            subprocess.run([program, "-png", "-r", "96", str(pdf), str(Path(tmp) / "page")], check=True, timeout=120,
                           capture_output=True)
            for made in sorted(Path(tmp).glob("page-*.png")):
                number = int(made.stem.rsplit("-", 1)[1])
                shutil.move(str(made), folder / f"{number}.png")
        (folder / "done").write_text("")
        kept = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[EXACT_KEPT:]:  # every edit is a new document: keep the latest few
            shutil.rmtree(old, ignore_errors=True)
    pages = sorted(int(p.stem) for p in folder.glob("*.png"))
    return key, pages
