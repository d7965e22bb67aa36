"""LibreOffice headless: PDF (and a PNG of page 1) from a .docx for looking before printing, and conversions.

Each call gets its own LibreOffice profile directory, so parallel runs (a batch, two terminals, the
test suite) never fight over one profile's lock; a timeout kills the whole process group, so a hung
soffice never hangs plangen. The documents ask for 仿宋_GB2312, 方正小标宋简体… which a Linux machine
rarely has: preview-fonts.conf (passed as FONTCONFIG_FILE) maps them to the free CJK fonts, so the
preview shows Song, Kai and Hei faces where the printed document will, at the same metrics.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from plangen.errors import PlangenError
from plangen.i18n import msg

SOFFICE_PACKAGE = "libreoffice-writer-nogui"
POPPLER_PACKAGE = "poppler-utils"
FONT_PACKAGES = "fonts-noto-cjk fonts-arphic-ukai fonts-liberation"
FONTS_CONF = Path(__file__).with_name("preview-fonts.conf")
DEFAULT_TIMEOUT = 120.0


class PreviewError(PlangenError):
    """LibreOffice or poppler is missing, failed, or took too long."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The soffice program, or a PreviewError naming the Debian package to install."""
    program = soffice()
    if program is None:
        raise PreviewError(msg(
            "preview.no-libreoffice",
            "LibreOffice is not installed (no soffice on PATH), so no PDF can be made; install the Debian package "
            "{package} (sudo apt install {package} {fonts}) and try again", package=SOFFICE_PACKAGE, fonts=FONT_PACKAGES,
        ))
    return program


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if FONTS_CONF.is_file() and "FONTCONFIG_FILE" not in env:
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def _run(cmd: list[str], *, timeout: float, what: str) -> subprocess.CompletedProcess[str]:
    """Run in a new process group; on timeout kill the group (soffice forks soffice.bin)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment(), start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise PreviewError(msg("preview.timeout", "{program} did not finish within {seconds} s and was stopped; try again, or raise --timeout",
                               program=what, seconds=f"{timeout:g}")) from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def convert(program: str, convert_to: str, inputs: Sequence[str | os.PathLike[str]], work: Path, *, timeout: float) -> subprocess.CompletedProcess[str]:
    """One headless LibreOffice conversion (``--convert-to convert_to``) with its own profile under
    ``work``, the results in ``work/out``; a PreviewError if it takes longer than ``timeout``.
    Shared by the PDF preview and ``plangen fix`` (.doc/.wps in)."""
    cmd = [
        program,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        "--convert-to", convert_to, "--outdir", str(work / "out"), *map(str, inputs),
    ]
    from plangen.office_queue import QUEUE

    with QUEUE.slot():  # one or two soffice at a time, however many ask (plangen.office_queue)
        return _run(cmd, timeout=timeout, what="LibreOffice")


def _place(made: Path, target: Path) -> None:
    """Move a finished file next to its .docx without a reader ever seeing half of it, never through a
    link, readable as the umask allows (:func:`plangen.files.write_atomic`)."""
    from plangen import files
    from plangen.errors import OutputError

    try:
        files.write_atomic(target, made.read_bytes())
    except OutputError as exc:
        raise PreviewError(exc.message) from None
    except OSError as exc:
        raise PreviewError(msg("preview.cannot-read", "cannot read {file}: {reason}", file=made, reason=exc.strerror or exc)) from None


def to_pdf(
    files: Sequence[str | os.PathLike[str]], *, outdir: str | os.PathLike[str] | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[Path]:
    """Convert .docx files to PDF in one LibreOffice run; each PDF goes next to its .docx (or into ``outdir``)."""
    program = require_soffice()
    sources = [Path(f) for f in files]
    for src in sources:
        if not src.is_file():
            raise PreviewError(msg("preview.no-file", "{file}: no such file", file=src))
    with tempfile.TemporaryDirectory(prefix="plangen-soffice-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        inputs = []
        for i, src in enumerate(sources):
            copy = work / "in" / f"{i}.docx"  # plain names: no clash between equal names, no locale trouble
            shutil.copyfile(src, copy)
            inputs.append(str(copy))
        result = convert(program, "pdf:writer_pdf_Export", inputs, work, timeout=timeout)
        written = []
        for i, src in enumerate(sources):
            made = work / "out" / f"{i}.pdf"
            if not made.is_file():
                reason = (result.stderr or result.stdout).strip().splitlines()
                detail = reason[-1] if reason else f"exit code {result.returncode}"
                raise PreviewError(msg("preview.convert-failed", "{file}: LibreOffice could not convert it to PDF ({detail})", file=src, detail=detail))
            target = (Path(outdir) if outdir is not None else src.parent) / (src.stem + ".pdf")
            _place(made, target)
            written.append(target)
    return written


def page_png(pdf: str | os.PathLike[str], png: str | os.PathLike[str] | None = None, *, dpi: int = 96, timeout: float = 60.0) -> Path:
    """A PNG of page 1 of ``pdf`` (default: same name, .png) via poppler's pdftoppm."""
    program = shutil.which("pdftoppm")
    pdf = Path(pdf)
    if program is None:
        raise PreviewError(msg("preview.no-pdftoppm", "pdftoppm is not installed, so no PNG can be made; install the Debian package {package}",
                                package=POPPLER_PACKAGE))
    target = Path(png) if png is not None else pdf.with_suffix(".png")
    with tempfile.TemporaryDirectory(prefix="plangen-png-") as tmp:
        prefix = Path(tmp) / "page"
        result = _run([program, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)], timeout=timeout, what="pdftoppm")
        made = prefix.with_suffix(".png")
        if not made.is_file():
            detail = result.stderr.strip().splitlines()
            raise PreviewError(msg("preview.render-failed", "{file}: pdftoppm could not render page 1 ({detail})", file=pdf,
                                detail=detail[-1] if detail else result.returncode))
        _place(made, target)
    return target
