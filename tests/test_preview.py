"""PDF preview through LibreOffice, and what the rendered pages show: A4, page counts, titles, page
numbers, the colophon on an even last page, and header/colophon positions measured in pixels.

Uses poppler's pdfinfo, pdftotext and pdftoppm (Debian: poppler-utils). LibreOffice runs twice for
the whole module: once for four documents, once for two parallel ``generate --pdf`` runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import readback as B
import yaml

from plangen import api, libreoffice
from plangen.gbt9704 import page_estimate
from plangen.ooxml import reader
from plangen.testing import requires_libreoffice, slow

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
MM_PER_PX = 25.4 / 100  # pdftoppm -r 100
ISSUER = {"body": "城关镇人民政府", "number": "城政〔2024〕12号", "addressees": ["各村（社区）"], "copy_to": ["县人民政府办公室"], "printer": "城关镇党政办公室"}


def plangen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, timeout=300, env=env)


def pdf_pages(pdf: Path) -> list[str]:
    """Text of every page, whitespace removed (LibreOffice spaces digits away from Chinese)."""
    out = []
    for page in range(1, B.page_count(pdf) + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        out.append(re.sub(r"\s+", "", text))
    return out


def page_sizes(pdf: Path) -> set[str]:
    return set(re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+) pts", B.pdfinfo(pdf, "-f", "1", "-l", "999")))


def pixel_rows(pdf: Path, page: int, tmp: Path) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """(y, x-left, x-right) in mm of every pixel row holding red, and holding dark, ink on ``page``."""
    prefix = tmp / f"p{page}"
    subprocess.run(["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)], check=True)
    data = prefix.with_suffix(".ppm").read_bytes()
    magic, width, height, _, pixels = data.split(maxsplit=4)
    assert magic == b"P6"
    width, height = int(width), int(height)
    red, dark = [], []
    for y in range(height):
        row = pixels[y * width * 3 : (y + 1) * width * 3]
        reds = [x for x in range(width) if row[3 * x] > 180 and row[3 * x + 1] < 90 and row[3 * x + 2] < 90]
        darks = [x for x in range(width) if max(row[3 * x : 3 * x + 3]) < 100]
        if reds:
            red.append((y * MM_PER_PX, min(reds) * MM_PER_PX, max(reds) * MM_PER_PX))
        if darks:
            dark.append((y * MM_PER_PX, min(darks) * MM_PER_PX, max(darks) * MM_PER_PX))
    return red, dark


def bands(rows: list[tuple[float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Runs of adjacent rows: (top, bottom, left, right) in mm."""
    out: list[list[float]] = []
    for y, left, right in rows:
        if out and y - out[-1][1] <= MM_PER_PX * 1.5:
            out[-1][1], out[-1][2], out[-1][3] = y, min(out[-1][2], left), max(out[-1][3], right)
        else:
            out.append([y, y, left, right])
    return [tuple(b) for b in out]  # type: ignore[misc]


def notice_variant(kind: str) -> dict:
    data = yaml.safe_load((SAMPLES / "hygiene-month-notice.yaml").read_text(encoding="utf-8"))
    if kind == "longer":  # every task with a paragraph of its own: the plan ends on an odd page
        extra = "各网格要建立问题台账，逐项明确整改责任人和完成时限，做到整改一处、销号一处，确保问题动态清零。"
        data["tasks"] = [{"kind": k, "extra": extra} for k in ("publicity", "environment", "health", "vectors", "tobacco", "waste")]
    elif kind == "shorter":  # one task, no leadership group: the plan ends on an even page
        data["tasks"] = [{"kind": "publicity"}]
        data.pop("leadership")
    return data


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """Four documents generated, then previewed with one `plangen preview` run (one LibreOffice start)."""
    if libreoffice.soffice() is None:
        pytest.skip("LibreOffice is not installed")
    from plangen import plugins

    plugins.reset()
    out = tmp_path_factory.mktemp("rendered")
    docs = {"plan": api.generate(SAMPLES / "hygiene-month.yaml", out / "plan.docx")}
    docs["notice"] = api.generate(SAMPLES / "hygiene-month-notice.yaml", out / "notice.docx", notice=True)
    for kind in ("longer", "shorter"):
        docs[kind] = api.generate(notice_variant(kind), out / f"notice-{kind}.docx", notice=True)
    registry = plugins.get_registry()
    for name, plan_type in sorted(registry.plan_types.items()):  # every plan type, issued under a notice
        mapping = yaml.safe_load(plan_type.example)
        issued = api.plan_from_mapping(mapping, registry=registry).data.dates.issue_date
        mapping.setdefault("issuer", dict(ISSUER, printed=issued.isoformat()))
        docs[f"type:{name}"] = api.generate(mapping, out / f"type-{name}.docx", registry=registry, notice=True)
    result = plangen("preview", *(str(p) for p in docs.values()))
    assert result.returncode == 0, result.stderr
    listed = result.stdout.splitlines()
    for path in docs.values():
        assert str(path.with_suffix(".pdf")) in listed and str(path.with_suffix(".png")) in listed
    return docs


@slow
@requires_libreoffice
def test_preview_writes_a_pdf_and_a_png_of_page_one(rendered: dict[str, Path]) -> None:
    for path in rendered.values():
        assert path.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
        assert path.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@slow
@requires_libreoffice
def test_plan_renders_on_a4_with_numbered_pages_as_estimated(rendered: dict[str, Path]) -> None:
    pdf = rendered["plan"].with_suffix(".pdf")
    assert page_sizes(pdf) == {"595.304 x 841.89"}  # A4 in points, every page
    texts = pdf_pages(pdf)
    assert len(texts) == page_estimate.estimate(reader.read(rendered["plan"])).pages == 5
    assert texts[0].startswith("城关镇东街社区2024年第36个爱国卫生月活动方案")
    for number, text in enumerate(texts, 1):
        assert text.endswith(f"—{number}—"), (number, text[-20:])


def colophon_page_is_even(docx: Path) -> tuple[int, int, list[str]]:
    """(pages of notice and plan as estimated, pages rendered, page texts), after the common checks."""
    pdf = docx.with_suffix(".pdf")
    assert page_sizes(pdf) == {"595.304 x 841.89"}
    texts = pdf_pages(pdf)
    numbered = page_estimate.estimate(reader.read(docx)).section_pages[0][1]
    assert len(texts) % 2 == 0, f"{docx.name}: {len(texts)} pages"
    # the estimate matched LibreOffice: exactly one blank page when the plan ends on an even page
    assert len(texts) == numbered + (2 if numbered % 2 == 0 else 1), f"{docx.name}: estimated {numbered}, rendered {len(texts)}"
    for number in range(1, numbered + 1):
        assert texts[number - 1].endswith(f"—{number}—"), (docx.name, number)
    if numbered % 2 == 0:
        assert texts[-2] == ""  # the blank page has no number
    assert "—" not in texts[-1] and texts[-1].endswith("印发")  # no page number on the colophon page
    return numbered, len(texts), texts


@slow
@requires_libreoffice
@pytest.mark.parametrize("kind", ["notice", "longer", "shorter"])
def test_notice_colophon_on_the_last_even_page_and_numbers_only_on_text_pages(rendered: dict[str, Path], kind: str) -> None:
    numbered, total, texts = colophon_page_is_even(rendered[kind])
    assert (numbered, total) == {"notice": (6, 8), "longer": (7, 8), "shorter": (4, 6)}[kind]
    last = texts[-1]
    assert "抄送：城关镇党委，城关镇人民政府，城关镇爱卫办。" in last and last.endswith("2024年3月26日印发")
    assert "—" not in last  # no page number on the colophon page
    assert texts[0].startswith("东街社区居民委员会文件东社〔2024〕5号关于印发《城关镇东街社区2024年第36个爱国卫生月活动方案》的通知")
    assert texts[1].startswith("城关镇东街社区2024年第36个爱国卫生月活动方案")  # the plan on a new page


@slow
@requires_libreoffice
def test_every_plan_type_issued_under_a_notice_ends_on_an_even_colophon_page(rendered: dict[str, Path]) -> None:
    types = [key for key in rendered if key.startswith("type:")]
    assert len(types) >= 4
    for key in types:
        numbered, total, texts = colophon_page_is_even(rendered[key])
        assert texts[0].startswith("城关镇人民政府文件城政〔2024〕12号关于印发《")
        assert "抄送：县人民政府办公室。" in texts[-1]


@slow
@requires_libreoffice
def test_header_block_and_colophon_positions_measured(rendered: dict[str, Path], tmp_path: Path) -> None:
    pdf = rendered["notice"].with_suffix(".pdf")
    red, dark = pixel_rows(pdf, 1, tmp_path)
    red_bands = bands(red)
    mark, separator = red_bands[0], red_bands[-1]
    assert abs(mark[0] - (37 + 35)) <= 1.0, mark  # mark's top 35 mm below the type area's top (37 mm)
    assert separator[1] - separator[0] < 1.0 and abs(separator[2] - 28) <= 0.5 and abs(separator[3] - 184) <= 0.5, separator
    number = [b for b in bands(dark) if b[1] < separator[0]][-1]  # the document number's digits and brackets
    assert abs(separator[0] - number[1] - 4.0) <= 1.0, (number, separator)  # red line 4 mm below the number
    title = [b for b in bands(dark) if b[0] > separator[1]][0]
    # two blank lines (2 × 10.2 mm), then the title's first line; its glyphs sit low in a line that
    # LibreOffice makes two grid lines tall for 22 pt type, so they start 20–30 mm below the red line
    assert 20 <= title[0] - separator[1] <= 30, (separator, title)
    last_page = len(pdf_pages(pdf))
    _, dark = pixel_rows(pdf, last_page, tmp_path)
    rules = [b for b in bands(dark) if b[3] - b[2] > 150]  # lines as wide as the type area
    assert len(rules) == 3
    assert abs(rules[-1][1] - (297 - 35)) <= 1.0, rules  # the last rule on the bottom edge of the type area
    assert all(abs(r[2] - 28) <= 0.5 and abs(r[3] - 184) <= 0.5 for r in rules)


@slow
@requires_libreoffice
def test_generate_pdf_in_parallel_runs(tmp_path: Path) -> None:
    """Two `generate --pdf` at once: each LibreOffice run has its own profile, so neither fails."""
    runs = [
        subprocess.Popen([sys.executable, "-m", "plangen", "generate", str(SAMPLES / src), *flags, "--pdf", "-o", str(tmp_path / name) + "/"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for src, flags, name in (("hygiene-month-notice.yaml", ["--notice"], "a"), ("hygiene-month.yaml", [], "b"))
    ]
    for proc in runs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        docx, pdf = (Path(line) for line in out.splitlines())
        assert docx.suffix == ".docx" and pdf == docx.with_suffix(".pdf")
        assert page_sizes(pdf) == {"595.304 x 841.89"}
    assert len(pdf_pages(next((tmp_path / "a").glob("*.pdf")))) == 8


@requires_libreoffice
def test_timeout_stops_libreoffice_with_a_clear_message(tmp_path: Path) -> None:
    docx = api.generate(SAMPLES / "hygiene-month.yaml", tmp_path / "plan.docx")
    with pytest.raises(libreoffice.PreviewError, match=r"LibreOffice did not finish within 0\.01 s"):
        libreoffice.to_pdf([docx], timeout=0.01)
    assert not docx.with_suffix(".pdf").exists()


def _path_without(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "bin"
    empty.mkdir(parents=True)
    return {**os.environ, "PATH": str(empty)}


def test_missing_libreoffice_names_the_debian_package_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = plangen("generate", str(SAMPLES / "hygiene-month.yaml"), "--pdf", "-o", str(out) + "/", env=_path_without(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "libreoffice-writer-nogui" in lines[0] and lines[0].startswith("plangen: error: LibreOffice is not installed")
    assert not out.exists()
    docx = api.generate(SAMPLES / "hygiene-month.yaml", tmp_path / "plan.docx")
    result = plangen("preview", str(docx), env=_path_without(tmp_path / "x"))
    assert result.returncode == 1 and "libreoffice-writer-nogui" in result.stderr


def test_missing_pdftoppm_names_poppler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _path_without(tmp_path)["PATH"])
    with pytest.raises(libreoffice.PreviewError, match="poppler-utils"):
        libreoffice.page_png(tmp_path / "any.pdf")


def test_fontconfig_map_names_every_gb_font() -> None:
    text = libreoffice.FONTS_CONF.read_text(encoding="utf-8")
    for name in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"):
        assert f"<family>{name}</family>" in text
    assert "Noto Serif CJK SC" in text and "AR PL UKai CN" in text and "Noto Sans CJK SC" in text
