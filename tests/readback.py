"""Reading plans back for the plan-type tests: tables with their XML, a line count on the 22 × 28 grid,
errors as the command line prints them, and page counts from LibreOffice."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from docx import Document as open_docx
from docx.oxml.ns import qn

from plangen import api
from plangen.errors import InputError
from plangen.libreoffice import to_pdf
from plangen.testing import docx as R

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TYPE_W = 8845  # the type area, 156 mm in twips
TABLE_EM = 280  # one 14 pt character in twips


def sample(name: str) -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def generate_sample(name: str, out: Path) -> Path:
    """The sample generated with freshly loaded plugins (module fixtures outlive the per-test reset)."""
    from plangen import plugins

    plugins.reset()
    return api.generate(SAMPLES / f"{name}.yaml", out)


def headings(path: Path, level: int) -> list[str]:
    return [p.text for p in R.paragraphs(path) if p.style == f"Heading{level}"]


def assert_clean(path: Path, *also: str) -> None:
    """No placeholder, empty 〔〕, or ASCII punctuation between Chinese characters anywhere, tables included."""
    text = R.text(path)
    for bad in ("20xx", "xx", "__", "□", "{{", "}}", "None", "〔〕", *also):
        assert bad not in text, bad
    assert not re.search(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]", text)


def assert_located_error(data: dict[str, Any], field: str, words: str) -> None:
    """An InputError (exit code 2) whose first line names the file and the field, and says what is wrong."""
    try:
        api.plan_from_mapping(data, source="plan.yaml")
    except InputError as err:
        assert err.exit_code == 2
        line = err.lines()[0]
        assert line.startswith(f"plan.yaml: {field}"), line
        assert words in line, line
    else:
        raise AssertionError(f"no error for {field}")


def assert_cli_refuses(data: dict[str, Any], folder: Path, *needles: str) -> None:
    """``plangen generate`` on this input: one-line error naming the file, exit code 2, nothing written."""
    bad = folder / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = folder / "out"
    assert_input_error(cli("generate", str(bad), "-o", str(out)), "bad.yaml", *needles)
    assert not out.exists() or not any(out.iterdir())


@dataclass
class ReadTable:
    rows: list[list[str]]
    widths: list[int]
    element: object

    @property
    def header(self) -> list[str]:
        return self.rows[0]

    @property
    def body(self) -> list[list[str]]:
        return self.rows[1:]


def tables(path: Path) -> list[ReadTable]:
    doc = open_docx(str(path))
    out = []
    for t in doc.tables:
        grid = t._tbl.find(qn("w:tblGrid"))
        widths = [int(c.get(qn("w:w"))) for c in grid.findall(qn("w:gridCol"))]
        out.append(ReadTable([[c.text for c in row.cells] for row in t.rows], widths, t._tbl))
    return out


def assert_standard_table(table: ReadTable) -> None:
    """GB/T 9704 tables: fixed widths filling the type area, borders, header row repeated, rows kept whole,
    header in the TableHeader style and cells in TableText."""
    tbl = table.element
    props = tbl.find(qn("w:tblPr"))
    assert props.find(qn("w:tblW")).get(qn("w:w")) == str(TYPE_W)
    assert props.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    borders = props.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1] for b in borders} >= {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert sum(table.widths) == TYPE_W
    rows = tbl.findall(qn("w:tr"))
    assert len(rows) == len(table.rows)
    for i, tr in enumerate(rows):
        trpr = tr.find(qn("w:trPr"))
        assert trpr.find(qn("w:cantSplit")) is not None
        assert (trpr.find(qn("w:tblHeader")) is not None) == (i == 0)
        styles = {p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) for p in tr.iter(qn("w:p"))}
        assert styles == {"TableHeader" if i == 0 else "TableText"}


def assert_table_styles(path: Path) -> None:
    """Table text in the body font (仿宋) at exact line spacing, the header row in 黑体."""
    text = R.style_element(path, "TableText")
    assert text.find(f"{R.W}basedOn").get(f"{R.W}val") == "Normal"
    assert R.rfonts(R.style_element(path, "Normal"))["eastAsia"] == "仿宋_GB2312"
    spacing = R.ppr(text, "spacing")
    assert spacing.get(f"{R.W}lineRule") == "exact" and int(spacing.get(f"{R.W}line")) <= 579
    assert R.rfonts(R.style_element(path, "TableHeader"))["eastAsia"] == "黑体"


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


def grid_lines(path: Path) -> int:
    """Lines the plan takes on the 22 × 28 grid: body paragraphs wrapped at 28 characters (26 on a first
    line with its indent), and each table row as tall as its fullest cell (a table line is 22 pt, about
    three quarters of a body line)."""
    lines = 0
    for p in R.paragraphs(path):
        width = _width(p.text.replace("\n", ""))
        first = 28 if p.style in ("Title", "Signature", "Date") else 26
        lines += 1 if width <= first else 1 + -(-(width - first) // 28)
    table_lines = 0
    for table in tables(path):
        for row in table.rows:
            per_cell = [-(-_width(text) * TABLE_EM // max(w - 170, TABLE_EM)) or 1 for text, w in zip(row, table.widths)]
            table_lines += max(per_cell)
    return int(lines + table_lines * 0.76 + 0.5)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, timeout=120, check=False)


def assert_input_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit code 2, one line on stderr naming what is wrong, no traceback."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plangen: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def pdfinfo(pdf: Path, *options: str) -> str:
    """What poppler's pdfinfo says of a PDF (Debian: poppler-utils)."""
    return subprocess.run(["pdfinfo", *options, str(pdf)], capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", pdfinfo(pdf)).group(1))


def pdf_pages(docx: Path, out: Path) -> int:
    """Render with LibreOffice (plangen's own preview: a private profile per call) and count the pages."""
    return page_count(to_pdf([docx], outdir=out)[0])


COMMUNITIES = Path(__file__).resolve().parent.parent / "samples" / "communities.csv"


def roster_batch(base: Path, out: Path, rows: int = 2) -> list[Path]:
    """Run ``plangen batch`` with the first rows of the sample community roster over ``base``; the roster's
    own headers (社区名称, 社区党委书记, 社区主任…) must map onto the plan type without a columns: file."""
    lines = COMMUNITIES.read_text(encoding="utf-8-sig").splitlines()
    roster = out / "roster.csv"
    roster.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    # the sample roster has no 办公室主任 column: the base's one, the same in every plan, is confirmed
    result = cli("batch", str(roster), "--base", str(base), "-o", str(out / "plans"), "-j", "1", "--same-people")
    assert result.returncode == 0, result.stderr
    return sorted((out / "plans").glob("*.docx"))
