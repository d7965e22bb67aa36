"""The signature and date never stand alone on the last page (GB/T 9704 7.3.5).

A plan whose body ends on the last lines of a page is built from the document model; the writer
keeps its last two lines of body with the signature (keep-with-next chain, widow control on), so the
estimated layout, ``plangen check`` and LibreOffice's rendering all put body text on the signature's
page. Without the chain (the old writer) the same document signs on a page of its own.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from plangen.check import check
from plangen.document import Document, Paragraph, Run, Signature, Title
from plangen.gbt9704.page_estimate import estimate
from plangen.ooxml.reader import read
from plangen.testing import requires_libreoffice, slow
from plangen.writer import write_docx

SIGNER, DATE = "城关镇东街社区居民委员会", "2024年3月25日"
LINE = "各网格要对照任务清单逐项抓好落实，确保各项工作有序推进。"  # two lines with the indent


def _plan(lines: int, last: str = "以上各项工作要按时完成并及时报送进展情况。") -> Document:
    body = [Paragraph([Run(LINE)]) for _ in range(lines)] + [Paragraph([Run(last)])]
    return Document([Title("城关镇东街社区测试工作方案"), *body, Signature(SIGNER, DATE)], title="测试")


def _without_keep_chain(docx: bytes) -> bytes:
    """The same file as the old writer made it: no keep-with-next on the body nor the signature."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:keepNext/>", b"").replace(b'<w:widowControl w:val="1"/>', b"")
            zout.writestr(info, data)
    return out.getvalue()


def _pages(docx: bytes) -> tuple[dict[int, int], int]:
    """(body lines on each page, the signer's page) as estimated."""
    doc = read(docx, name="t.docx")
    layout = estimate(doc)
    signer = next(p for p in doc.paragraphs if p.text == SIGNER)
    body: dict[int, int] = {}
    for p in doc.paragraphs:
        if p.number < signer.number and p.text.strip() and p.style not in ("Title",):
            for page, n in layout.lines_on[p.number].items():
                body[page] = body.get(page, 0) + n
    return body, min(layout.lines_on[signer.number])


@pytest.fixture(scope="module")
def foot_of_page() -> int:
    """Body lines that end the body on the last line of page 1 (the signature then goes over alone)."""
    for lines in range(10, 40):
        old = _without_keep_chain(write_docx(_plan(lines)))
        body, signed = _pages(old)
        if signed > max(body):
            return lines
    raise AssertionError("no length puts the signature alone")


def test_the_old_layout_signs_on_a_page_of_its_own(foot_of_page: int) -> None:
    old = _without_keep_chain(write_docx(_plan(foot_of_page)))
    assert [f.rule for f in check(old, name="old.docx")] == ["signature-alone"]


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_two_lines_of_body_go_with_the_signature(foot_of_page: int, extra: int) -> None:
    docx = write_docx(_plan(foot_of_page + extra))
    body, signed = _pages(docx)
    assert body.get(signed, 0) >= 2, (body, signed)
    assert check(docx, name="new.docx") == []


def test_a_one_line_last_paragraph_takes_the_one_before_along(foot_of_page: int) -> None:
    docx = write_docx(_plan(foot_of_page, last="特此通知。"))
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
    kept = [p for p in paragraphs if "<w:keepNext/>" in p]
    # the two last body paragraphs (one line each), the blank line and the signer; not the date
    assert len(kept) == 4 and "特此通知。" in kept[1] and SIGNER in kept[3]
    body, signed = _pages(docx)
    assert body.get(signed, 0) >= 2


@slow
@requires_libreoffice
def test_libreoffice_puts_body_text_on_the_signatures_page(foot_of_page: int, tmp_path: Path) -> None:
    from plangen.libreoffice import to_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    texts = {}
    for kind, data in (("old", _without_keep_chain(write_docx(_plan(foot_of_page)))), ("new", write_docx(_plan(foot_of_page)))):
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(data)
        (pdf,) = to_pdf([path], outdir=tmp_path)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        texts[kind] = [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]
    last_old, last_new = texts["old"][-1], texts["new"][-1]
    def rest(page: str) -> str:  # what the page holds besides the signature, the date and the page number
        return re.sub(r"—\d+—", "", page.replace(SIGNER, "").replace(DATE, ""))

    assert SIGNER in last_old and rest(last_old) == ""  # the old layout: the signature alone
    assert SIGNER in last_new and "以上各项工作" in rest(last_new) and "推进" in rest(last_new)  # the new: body with it
