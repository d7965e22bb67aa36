"""Rosters that used to give wrong plans with exit 0 (issue 15): each is now a named row error or warning.

Every case is a real, measured process (tests/procs.py): 5 s of CPU and 200 MB at most.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from procs import Measured, run_plangen

ROOT = Path(__file__).resolve().parent.parent
BASE = str(ROOT / "samples" / "hygiene-month.yaml")
ROSTER = list(csv.reader(io.StringIO((ROOT / "samples" / "communities.csv").read_text(encoding="utf-8-sig"))))


def batch(roster: Path, tmp_path: Path, *extra: str) -> tuple[Measured, Path]:
    out = tmp_path / "out"
    result = run_plangen(["batch", str(roster), "--base", BASE, "-o", str(out), "-j", "1", *extra], tmp_path)
    result.within_budget(roster.name)
    assert "Traceback" not in result.stderr, result.stderr
    return result, out


def lines_of(result: Measured, row: int) -> list[str]:
    return [line for line in result.stderr.splitlines() if f": row {row}:" in line]


def plans(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.docx"))


def workbook(path: Path, rows: list[list[object]], *, hidden_first_sheet: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if hidden_first_sheet:
        sheet.title = "旧名单"
        sheet.append(ROSTER[0])
        sheet.append(["旧社区", "旧镇"] + ROSTER[1][2:])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("花名册")
        book.active = 1
    for row in rows:
        sheet.append(row)
    book.save(path)  # openpyxl writes formulas without a cached value, as any program does
    return path


def test_formula_without_cached_value_and_excel_errors_are_row_errors(tmp_path: Path) -> None:
    header, first, second, third = ROSTER[0], ROSTER[1], ROSTER[2], ROSTER[3]
    leader = header.index("社区党委书记")
    formula = list(second)
    formula[leader] = "=C2"  # the base's 组长 would be used: wrong person, exit 0 before
    errors = list(third)
    errors[leader] = "#N/A"
    roster = workbook(tmp_path / "r.xlsx", [header, first, formula, errors])
    result, out = batch(roster, tmp_path)
    assert result.returncode == 1
    (three,), (four,) = lines_of(result, 3), lines_of(result, 4)
    assert "column 社区党委书记" in three and "cell C3 holds the formula =C2 but no value" in three and "save it again" in three
    assert "column 社区党委书记" in four and "Excel error #N/A" in four
    assert len(plans(out)) == 1


def test_excel_error_text_in_a_csv_is_refused(tmp_path: Path) -> None:
    rows = [ROSTER[0], ROSTER[1], [ROSTER[2][0], "#REF!"] + ROSTER[2][2:]]
    roster = tmp_path / "r.csv"
    roster.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    result, out = batch(roster, tmp_path)
    assert result.returncode == 1 and "Excel error #REF!" in lines_of(result, 3)[0]


def test_hidden_first_sheet_and_hidden_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = workbook(tmp_path / "r.xlsx", ROSTER[:4], hidden_first_sheet=True)
    book = load_workbook(path)
    book["花名册"].row_dimensions[3].hidden = True  # filtered out: the user sees rows 2 and 4
    book.save(path)
    result, out = batch(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "旧社区" not in " ".join(plans(out)) and len(plans(out)) == 2
    assert ROSTER[2][0] not in " ".join(plans(out))
    assert "read sheet '花名册' (the sheet Excel opens on; the workbook has 2 sheets, 1 of them hidden)" in result.stderr
    assert "1 row hidden in Excel (filtered out or hidden by hand) was skipped: row 3" in result.stderr


def test_a_phone_stored_as_a_number_lost_its_zero(tmp_path: Path) -> None:
    header = ROSTER[0]
    phone = header.index("联系电话")
    lost, mobile = list(ROSTER[1]), list(ROSTER[2])
    lost[phone] = 5511234567  # typed 05511234567 into a number cell
    mobile[phone] = 13812345678  # a mobile has no leading zero to lose
    result, out = batch(workbook(tmp_path / "r.xlsx", [header, lost, mobile]), tmp_path)
    assert result.returncode == 1
    (line,) = lines_of(result, 2)
    assert "column 联系电话" in line and "5511234567" in line and "leading zero" in line and "format the column as text" in line
    assert len(plans(out)) == 1


def test_a_stray_quote_is_its_rows_error_only(tmp_path: Path) -> None:
    rows = [ROSTER[0]] + [[f"第{i}社区", *ROSTER[1][1:]] for i in range(1, 21)]
    text = [",".join(r) for r in rows]
    text[3] = text[3].replace("第3社区", '"第3社区')  # Excel row 4: the quote never closes
    roster = tmp_path / "r.csv"
    roster.write_text("\n".join(text) + "\n", encoding="utf-8")
    result, out = batch(roster, tmp_path)
    assert result.returncode == 1
    assert "quote" in lines_of(result, 4)[0]
    assert len(plans(out)) == 19 and "made 19" in result.stdout + result.stderr


def test_an_overlong_cell_is_its_rows_error_only(tmp_path: Path) -> None:
    rows = [ROSTER[0]] + [[f"第{i}社区", *ROSTER[1][1:]] for i in range(1, 21)]
    rows[6][1] = "城" * 200_000  # 600 KB: the csv module stopped the whole batch, "after row 1"
    roster = tmp_path / "r.csv"
    roster.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    result, out = batch(roster, tmp_path)
    assert result.returncode == 1
    assert "longer than 100,000 characters" in lines_of(result, 7)[0]
    assert len(plans(out)) == 19


def test_a_list_position_is_bounded(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("unit.name,leadership.deputies[100000000].name\n东街社区,张三\n", encoding="utf-8")
    result, out = batch(roster, tmp_path)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "column 'leadership.deputies[100000000].name'" in line and "holds at most 20 items" in line


def test_roster_cells_are_never_template_code(tmp_path: Path) -> None:
    rows = [ROSTER[0], ["{{ 7*7 }}社区", *ROSTER[1][1:]], [ROSTER[2][0], "{% if true %}镇{% endif %}", *ROSTER[2][2:]]]
    roster = tmp_path / "r.csv"
    roster.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    result, out = batch(roster, tmp_path)
    assert result.returncode == 1 and not plans(out)
    assert "template syntax '{{'" in lines_of(result, 2)[0] and "template syntax '{%'" in lines_of(result, 3)[0]
    said = (result.stdout + result.stderr).replace(str(tmp_path), "")
    assert "49" not in said  # the temporary folder's own name may hold 49 (pytest-249)


def test_a_device_is_no_roster(tmp_path: Path) -> None:
    """The CSV encoding pass reads to the end: /dev/zero has none."""
    result, out = batch(Path("/dev/zero"), tmp_path)
    assert result.returncode == 2 and "not a regular file" in result.stderr
