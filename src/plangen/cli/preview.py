"""``plangen preview FILE.docx…``: a PDF next to each file and a PNG of its first page (LibreOffice)."""

from __future__ import annotations

import click

from plangen.cli.context import CONTEXT, say


@click.command("preview", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--timeout", type=click.FloatRange(min=1), default=120, show_default=True, help="Seconds LibreOffice may take for all files.")
@click.option("--dpi", type=click.IntRange(24, 600), default=96, show_default=True, help="Resolution of the page-1 PNG.")
@click.pass_context
def preview_cmd(ctx: click.Context, files: tuple[str, ...], timeout: float, dpi: int) -> None:
    """Write FILE.pdf and FILE.png (page 1) next to each .docx, through LibreOffice headless.

    Needs the Debian package libreoffice-writer-nogui (and poppler-utils for the PNG); see
    docs/preview.md for the fonts that make the preview faithful.
    """
    from plangen.libreoffice import page_png, to_pdf

    for pdf in to_pdf(files, timeout=timeout):
        say(ctx, str(pdf))
        say(ctx, str(page_png(pdf, dpi=dpi)))
