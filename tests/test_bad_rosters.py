"""Hostile rosters: not a workbook, half a workbook, a zip bomb, ragged or binary CSV.

Each is answered by a real process within 5 s of CPU and 200 MB (tests/procs.py), with one line per problem and nothing
partial in the output folder; good rows of a partly bad roster still become plans.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from procs import Measured, run_plangen

ROOT = Path(__file__).resolve().parent.parent
BASE = str(ROOT / "samples" / "hygiene-month.yaml")
ROSTER = (ROOT / "samples" / "communities.csv").read_text(encoding="utf-8-sig")


def good_xlsx(path: Path) -> Path:
    import csv

    from openpyxl import Workbook

    book = Workbook()
    for row in csv.reader(io.StringIO(ROSTER)):
        book.active.append(row)
    book.save(path)
    return path


def zip_bomb(path: Path, inflated_mb: int = 150) -> Path:
    """A workbook whose sheet inflates ~1000-fold: streamed through zlib, so the test stays small."""
    source = good_xlsx(path.with_name("source.xlsx"))
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
                continue
            sheet = src.read(item.filename)
            head, tail = sheet.split(b"</sheetData>")
            with dst.open(item.filename, "w", force_zip64=True) as out:
                out.write(head + b'<row r="99"><c r="A99" t="inlineStr"><is><t>')
                chunk = b"A" * (1024 * 1024)
                for _ in range(inflated_mb):
                    out.write(chunk)
                out.write(b"</t></is></c></row></sheetData>" + tail)
    return path


def one_line(result: Measured, *parts: str, code: int = 2) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plangen: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0], lines[0]


def batch(roster: Path, tmp_path: Path, *extra: str) -> tuple[Measured, Path]:
    out = tmp_path / "out"
    result = run_plangen(["batch", str(roster), "--base", BASE, "-o", str(out), *extra], tmp_path)
    result.within_budget(roster.name)
    return result, out


def test_renamed_text_file(tmp_path: Path) -> None:
    fake = tmp_path / "名单.xlsx"
    fake.write_text(ROSTER, encoding="utf-8")
    result, out = batch(fake, tmp_path)
    one_line(result, "名单.xlsx", "is not a readable .xlsx workbook")
    assert not out.exists()


def test_truncated_workbook(tmp_path: Path) -> None:
    whole = good_xlsx(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    result, out = batch(cut, tmp_path)
    one_line(result, "cut.xlsx", "is not a readable .xlsx workbook")
    assert not out.exists()


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    result, out = batch(bomb, tmp_path)
    one_line(result, "bomb.xlsx", "would unpack to 150 MB", "inflates")
    assert not out.exists()


def test_binary_csv(tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 64)
    result, out = batch(junk, tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("plangen: error: ") and "junk.csv" in result.stderr
    assert not out.exists() or not any(p.suffix == ".docx" for p in out.iterdir())


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_ragged_rows_keep_the_good_ones(tmp_path: Path, encoding: str) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes(
        "社区名称,上级单位,社区党委书记\n东街社区,城关镇,叶兰\n南街社区,城关镇\n西街社区,城关镇,陶刚,多出来的\n\x07荷叶社区\x1b,城关镇,胡涵明\n".encode(encoding)
    )
    result, out = batch(ragged, tmp_path, "--same-people")  # no 主任 column: the base's 副组长 in every plan, as confirmed
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "row 3: has 2 cells but the header has 3" in result.stderr
    assert "row 4: column D" in result.stderr
    made = sorted(p.name for p in out.glob("*.docx"))
    assert made == ["东街社区-爱国卫生月活动方案.docx", "荷叶社区-爱国卫生月活动方案.docx"]  # control characters stripped
    errors = (out / "errors.csv").read_bytes()
    assert errors.startswith(b"\xef\xbb\xbf") and b"3,,," in errors
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))  # only whole files remain
