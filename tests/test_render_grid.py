"""What LibreOffice makes of a generated plan: A4, title, page numbers, and the 22 × 28 grid.

CI installs LibreOffice, CJK fonts, Liberation fonts and poppler; without them these tests skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
import readback as B

from plangen import api
from plangen.document import Document, Paragraph, Run, Title
from plangen.libreoffice import to_pdf
from plangen.testing import requires_libreoffice, slow
from plangen.writer import write_docx

pytestmark = [slow, requires_libreoffice, pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")]


def words(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, yMin, xMax, text) of every word on a page, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), t) for a, b, c, t in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    from plangen import plugins

    plugins.reset()
    out = tmp_path_factory.mktemp("render")
    docx = api.generate(Path(__file__).parent.parent / "samples" / "hygiene-month.yaml", out)
    return to_pdf([docx])[0]


def test_sample_is_a4_with_title_and_page_numbers(sample_pdf: Path) -> None:
    size = re.search(r"Page size:\s+(.+)", B.pdfinfo(sample_pdf)).group(1)
    assert size.startswith("595.") and "x 841.8" in size  # A4 in points
    pages = B.page_count(sample_pdf)
    assert 2 <= pages <= 6
    first = " ".join(w[3] for w in words(sample_pdf, 1))
    assert "城关镇东街社区" in first and "2024年第36个爱国卫生月活动方案" in first.replace(" ", "")
    for page in range(1, pages + 1):
        ws = words(sample_pdf, page)
        bottom = [w for w in ws if w[1] > 841.89 - 35 * 72 / 25.4]  # below the type area
        assert [w[3] for w in bottom] == ["—", str(page), "—"], (page, bottom)
        number = bottom[1]
        centre = (number[0] + number[2]) / 2
        assert centre > 595.3 / 2 if page % 2 else centre < 595.3 / 2  # odd right, even left


def test_a_full_page_holds_22_lines_of_28_characters(tmp_path: Path) -> None:
    text = "一二三四五六七八九十" * 8
    doc = Document([Title("网格")] + [Paragraph([Run(text)]) for _ in range(20)], title="网格")
    docx = tmp_path / "grid.docx"
    docx.write_bytes(write_docx(doc))
    pdf = to_pdf([docx])[0]
    ws = [w for w in words(pdf, 2) if w[1] < 841.89 - 35 * 72 / 25.4]  # page 2 is full of body text
    lines: dict[float, str] = defaultdict(str)
    for _x0, y0, _, t in sorted(ws):
        lines[round(y0, 1)] += t
    assert len(lines) == 22
    assert max(len(t) for t in lines.values()) == 28
