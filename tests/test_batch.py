"""plangen batch end to end: rosters in, plans out, read back from the .docx files.

Every roster here is small; names are invented.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from procs import run_cli

from plangen.batch import BatchOptions, run_batch
from plangen.errors import InputError
from plangen.testing import docx as R

SAMPLE_ROWS = 20


def sample_rows(samples: Path) -> list[dict[str, str]]:
    with (samples / "communities.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_table(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must start with a UTF-8 BOM so Excel reads it"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def docx_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".docx")


def no_leftovers(folder: Path) -> None:
    hidden = [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".plangen-batch.jsonl"]
    assert hidden == [], f"temporary files left behind: {hidden}"
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


# ---- the sample roster -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[Path, int, str, str]:
    from plangen import plugins

    plugins.reset()
    out = tmp_path_factory.mktemp("batch") / "out"
    root = Path(__file__).resolve().parent.parent / "samples"
    code, stdout, stderr = run_cli("batch", str(root / "communities.csv"), "--base", str(root / "hygiene-month.yaml"),
                                   "-o", str(out), "--jobs", "1")
    return out, code, stdout, stderr


def test_sample_roster_gives_a_plan_per_community(sample_run, samples: Path) -> None:
    out, code, stdout, _ = sample_run
    assert code == 0
    rows = sample_rows(samples)
    assert len(rows) == SAMPLE_ROWS
    assert docx_files(out) == sorted(f"{r['社区名称']}-爱国卫生月活动方案.docx" for r in rows)
    assert f"made {SAMPLE_ROWS}, skipped 0, failed 0" in stdout
    assert not (out / "errors.csv").exists()
    no_leftovers(out)


def test_each_plan_carries_its_own_row(sample_run, samples: Path) -> None:
    out = sample_run[0]
    for row in (sample_rows(samples)[0], sample_rows(samples)[3], sample_rows(samples)[-1]):
        text = R.text(out / f"{row['社区名称']}-爱国卫生月活动方案.docx")
        lines = text.split("\n")
        assert f"组长：{row['社区党委书记']}（社区党委书记）" in lines
        assert f"副组长：{row['社区主任']}（社区主任）" in lines
        assert f"成员：{row['成员']}" in lines  # split on 、 and joined back the way a plan writes it
        assert f"联系人：{row['联系人']}，联系电话：{row['联系电话']}。" in text
        assert f"由{row['联系人']}同志兼任办公室主任" in text
        paras = R.paragraphs(out / f"{row['社区名称']}-爱国卫生月活动方案.docx")
        assert paras[0].text.replace("\n", "") == f"{row['上级单位']}{row['社区名称']}2024年第36个爱国卫生月活动方案"
        assert paras[-2].text == f"{row['社区名称']}居民委员会"  # the row's own organ signs


def test_members_become_a_list(sample_run) -> None:
    """北街社区 has six members in one cell; each is a separate name in the roster line."""
    from docx import Document

    doc = Document(str(sample_run[0] / "北街社区-爱国卫生月活动方案.docx"))
    line = next(p.text for p in doc.paragraphs if p.text.startswith("成员："))
    assert line.removeprefix("成员：").split("、") == ["潘伟", "方强博", "苏海", "钟萱", "周霞远", "魏子红"]


def test_index_lists_row_to_file(sample_run, samples: Path) -> None:
    index = read_table(sample_run[0] / "index.csv")
    assert [r["row"] for r in index] == [str(n) for n in range(2, SAMPLE_ROWS + 2)]
    first = sample_rows(samples)[0]
    assert index[0]["unit"] == first["社区名称"]
    assert index[0]["file"] == f"{first['社区名称']}-爱国卫生月活动方案.docx"
    assert {r["status"] for r in index} == {"made"}


# ---- a messy roster ----------------------------------------------------------------------------------

HEADER = ["社区名称", "上级单位", "社区党委书记", "社区主任", "成员", "联系人", "联系电话"]
GOOD = ["东街社区", "城关镇", "叶兰", "贺丽", "丁燕、冯军、陆丽杰", "孙明怡", "0523-88229815"]


def messy_rows() -> list[list[str]]:
    return [
        GOOD,                                                                            # row 2
        ["", "城关镇", "邓怡", "薛明勇", "邱超", "宋子", "0523-88698951"],                 # row 3: no name
        ["东街社区", "城关镇", "陶刚", "马怡", "龙海，龚英红,薛刚秀", "曾远", "0523-88917710"],  # row 4: same name again
        ["../../evil社区", "城关镇", "曾怡", "蔡霞琪", "潘伟", "吴涛", "0523-88597128"],        # row 5
        ["C:\\x\\y社区", "城关镇", "万明", "武雨怡", "潘萱平", "范欣涛", "0523-88243577"],       # row 6
        ["河西\x07社区\x1b", "城关镇", "陆佳\x00玉", "吕勇静", "谢勇", "潘静", "0523-88539297"],  # row 7: control chars
        ["", "", "", "", "", "", ""],                                                     # row 8: blank
        ["荷叶社区", "城关镇", "胡涵明", "朱怡", "孟刚", "廖伟", "电话待定"],                   # row 9: bad phone
        ["古田社区", "城关镇", "夏春春", "余静", "莫文娟、贾晨", "丁远", "0523-88669557"],     # row 10
    ]


@pytest.fixture
def messy(tmp_path: Path, samples: Path) -> tuple[Path, Path, int, str, str]:
    roster = write_csv(tmp_path / "花名册.csv", HEADER, messy_rows(), encoding="gb18030")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", str(roster), "--base", str(samples / "hygiene-month.yaml"), "-o", str(out), "-j", "1")
    return tmp_path, out, code, stdout, stderr


def test_messy_roster_keeps_the_good_rows(messy) -> None:
    tmp, out, code, stdout, stderr = messy
    assert code == 1
    assert "made 6, skipped 0, failed 2, 1 blank rows ignored" in stdout
    files = docx_files(out)
    assert "东街社区-爱国卫生月活动方案.docx" in files
    assert "东街社区-爱国卫生月活动方案（2）.docx" in files  # the duplicate is kept under its own name
    assert "河西社区-爱国卫生月活动方案.docx" in files  # control characters stripped
    assert "古田社区-爱国卫生月活动方案.docx" in files
    assert len(files) == 6
    # the second 东街社区 is row 4's: its own leader
    assert "组长：陶刚（社区党委书记）" in R.text(out / "东街社区-爱国卫生月活动方案（2）.docx")
    assert "成员：龙海、龚英红、薛刚秀" in R.text(out / "东街社区-爱国卫生月活动方案（2）.docx")
    assert "rows 2 and 4 both make 东街社区-爱国卫生月活动方案.docx" in stderr
    assert "组长：陆佳玉（社区党委书记）" in R.text(out / "河西社区-爱国卫生月活动方案.docx")


def test_messy_roster_names_the_bad_rows(messy) -> None:
    _, out, _, _, stderr = messy
    errors = read_table(out / "errors.csv")
    assert [(e["row"], e["column"]) for e in errors] == [("3", "社区名称"), ("9", "联系电话")]
    assert "blank" in errors[0]["message"]
    assert errors[1]["field"] == "联系人 › 电话" and "phone" in errors[1]["message"]
    assert "row 3: column 社区名称" in stderr
    assert "2 of 8 rows failed" in stderr


def test_nothing_escapes_the_output_folder(messy) -> None:
    tmp, out, *_ = messy
    assert sorted(p.name for p in tmp.iterdir()) == ["out", "花名册.csv"]
    for path in out.rglob("*"):
        assert path.parent == out and path.is_file()
    for name in docx_files(out):
        assert not any(c in name for c in '\\/:*?"<>|') and not any(ord(c) < 32 for c in name)
    evil = [n for n in docx_files(out) if "evil" in n]
    assert len(evil) == 1 and not evil[0].startswith(".")
    assert any(n.startswith("C_x_y") for n in docx_files(out))
    no_leftovers(out)
    for name in docx_files(out):  # every file is a whole .docx
        with zipfile.ZipFile(out / name) as zf:
            assert zf.testzip() is None and "word/document.xml" in zf.namelist()


def test_ragged_rows_are_reported(tmp_path: Path, samples: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        ",".join(HEADER) + "\n" + ",".join(GOOD) + "\n"
        "南街社区,城关镇,邓怡,薛明勇,邱超,0523-88698951\n"  # a comma lost: cells shifted
        "西街社区,城关镇,陶刚,马怡,龙海,曾远,0523-88917710,多出来的\n",  # a cell with no header
        encoding="utf-8",
    )
    result = run_batch(BatchOptions(roster=roster, base=samples / "hygiene-month.yaml", output=tmp_path / "o", jobs=1))
    assert (result.made, result.failed) == (1, 2)
    errors = read_table(tmp_path / "o" / "errors.csv")
    assert [e["row"] for e in errors] == ["3", "4"]
    assert "6 cells but the header has 7" in errors[0]["message"]
    assert errors[1]["column"] == "H" and "no header" in errors[1]["message"]


# ---- .xlsx rosters -----------------------------------------------------------------------------------

def write_xlsx(path: Path, header: list[str], rows: list[list[object]], *, sheet: str = "花名册", before: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    if before:
        book.active.title = before
        book.active.append(["这张表不是花名册"])
        ws = book.create_sheet(sheet)
    else:
        ws = book.active
        ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_xlsx_roster_by_sheet_name(tmp_path: Path, samples: Path) -> None:
    import datetime

    roster = write_xlsx(
        tmp_path / "roster.xlsx",
        [*HEADER, "年度", "日期.成文日期"],
        [GOOD + [2024, datetime.datetime(2024, 3, 20)],
         [None] * 9,
         ["南街社区", "城关镇", "邓怡", "薛明勇", "邱超、钟宇", "宋子", 13952388698, 2024.0, None]],
        before="说明",
    )
    code, stdout, _ = run_cli("batch", str(roster), "--sheet", "花名册", "--base", str(samples / "hygiene-month.yaml"),
                              "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 0, stdout
    out = tmp_path / "out"
    assert docx_files(out) == ["东街社区-爱国卫生月活动方案.docx", "南街社区-爱国卫生月活动方案.docx"]
    east = R.paragraphs(out / "东街社区-爱国卫生月活动方案.docx")
    assert east[-1].text == "2024年3月20日"  # a date cell
    south = R.text(out / "南街社区-爱国卫生月活动方案.docx")
    assert "联系电话：13952388698。" in south  # a number cell is read as Excel shows it, not 1.4e10
    # (an area-code number stored as a number has lost its 0 and is refused: test_hostile_rosters.py)
    assert "成员：邱超、钟宇" in south
    # the index follows the roster's kind
    from openpyxl import load_workbook

    rows = list(load_workbook(out / "index.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == ("row", "unit", "file", "status", "note")
    assert [r[0] for r in rows[1:]] == [2, 4]


def test_xlsx_unknown_sheet_is_an_input_error(tmp_path: Path, samples: Path) -> None:
    roster = write_xlsx(tmp_path / "roster.xlsx", HEADER, [GOOD])
    code, _, stderr = run_cli("batch", str(roster), "--sheet", "Sheet9", "--base", str(samples / "hygiene-month.yaml"), "-o", str(tmp_path / "o"))
    assert code == 2
    assert "has no sheet 'Sheet9'; its sheets are 花名册" in stderr
    assert not (tmp_path / "o").exists()


# ---- running again, --force, --zip, --jobs ------------------------------------------------------------

def small_roster(tmp_path: Path, rows: list[list[str]] | None = None) -> Path:
    rows = rows or [GOOD, ["南街社区", "城关镇", "邓怡", "薛明勇", "邱超、钟宇、郭欣思", "宋子", "0523-88698951"],
                    ["西街社区", "城关镇", "陶刚", "马怡", "龙海、龚英红", "曾远", "0523-88917710"]]
    return write_csv(tmp_path / "roster.csv", HEADER, rows)


def test_rerun_skips_made_plans_and_force_remakes_them(tmp_path: Path, samples: Path) -> None:
    base = samples / "hygiene-month.yaml"
    roster = small_roster(tmp_path)
    out = tmp_path / "out"
    first = run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1))
    assert (first.made, first.skipped) == (3, 0)
    stamp = {n: (out / n).stat().st_mtime_ns for n in docx_files(out)}

    again = run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1))
    assert (again.made, again.skipped) == (0, 3)
    assert {n: (out / n).stat().st_mtime_ns for n in docx_files(out)} == stamp
    assert [r["status"] for r in read_table(out / "index.csv")] == ["skipped"] * 3
    assert [r["unit"] for r in read_table(out / "index.csv")] == ["东街社区", "南街社区", "西街社区"]

    # one row edited, one plan deleted: exactly those two are made again
    rows = [GOOD, ["南街社区", "城关镇", "邓怡", "郭欣思", "邱超、钟宇", "宋子", "0523-88698951"],
            ["西街社区", "城关镇", "陶刚", "马怡", "龙海、龚英红", "曾远", "0523-88917710"]]
    small_roster(tmp_path, rows)
    (out / "西街社区-爱国卫生月活动方案.docx").unlink()
    edited = run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1))
    assert (edited.made, edited.skipped) == (2, 1)
    assert "副组长：郭欣思（社区主任）" in R.text(out / "南街社区-爱国卫生月活动方案.docx")
    assert docx_files(out) == sorted(stamp)  # same names, no （2）

    forced = run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1, force=True))
    assert (forced.made, forced.skipped) == (3, 0)
    assert docx_files(out) == sorted(stamp)


def test_changing_the_base_remakes_every_plan(tmp_path: Path, samples: Path) -> None:
    roster = small_roster(tmp_path)
    base = tmp_path / "base.yaml"
    base.write_text((samples / "hygiene-month.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1))
    base.write_text(base.read_text(encoding="utf-8").replace("theme: 美丽中国 健康相伴", "theme: 清洁家园 健康生活"), encoding="utf-8")
    result = run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1))
    assert (result.made, result.skipped) == (3, 0)
    assert "主题是“清洁家园 健康生活”" in R.text(out / "东街社区-爱国卫生月活动方案.docx")


def test_zip_holds_every_plan_with_utf8_names(tmp_path: Path, samples: Path) -> None:
    roster = small_roster(tmp_path)
    out = tmp_path / "out"
    code, stdout, _ = run_cli("batch", str(roster), "--base", str(samples / "hygiene-month.yaml"), "-o", str(out), "--zip", "-j", "1")
    assert code == 0
    assert str(out / "plans.zip") in stdout
    with zipfile.ZipFile(out / "plans.zip") as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == [
            "东街社区-爱国卫生月活动方案.docx", "南街社区-爱国卫生月活动方案.docx", "西街社区-爱国卫生月活动方案.docx", "index.csv"]
        for info in infos[:3]:
            assert info.flag_bits & 0x800, f"{info.filename}: the UTF-8 name flag is what makes Windows show Chinese names"
        assert zf.read(infos[0].filename) == (out / infos[0].filename).read_bytes()
    with zipfile.ZipFile(out / "plans.zip") as zf, zipfile.ZipFile(io.BytesIO(zf.read(infos[1].filename))) as inner:
        assert "南街社区" in inner.read("word/document.xml").decode("utf-8")


def test_two_jobs_make_the_same_files_as_one(tmp_path: Path, samples: Path) -> None:
    roster = samples / "communities.csv"
    base = samples / "hygiene-month.yaml"
    one = run_batch(BatchOptions(roster=roster, base=base, output=tmp_path / "one", jobs=1))
    two = run_batch(BatchOptions(roster=roster, base=base, output=tmp_path / "two", jobs=2))
    assert one.made == two.made == SAMPLE_ROWS
    names = docx_files(tmp_path / "one")
    assert names == docx_files(tmp_path / "two")
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert (tmp_path / "one" / "index.csv").read_bytes() == (tmp_path / "two" / "index.csv").read_bytes()


def test_two_jobs_report_bad_rows_in_roster_order(tmp_path: Path, samples: Path) -> None:
    roster = write_csv(tmp_path / "m.csv", HEADER, messy_rows() * 3, encoding="gb18030")
    result = run_batch(BatchOptions(roster=roster, base=samples / "hygiene-month.yaml", output=tmp_path / "o", jobs=2))
    assert (result.made, result.failed, result.blank) == (18, 6, 3)
    errors = read_table(tmp_path / "o" / "errors.csv")
    assert [int(e["row"]) for e in errors] == [3, 9, 12, 18, 21, 27]


def test_interrupt_leaves_only_whole_files_and_a_rerun_finishes(tmp_path: Path, samples: Path) -> None:
    roster = samples / "communities.csv"
    base = samples / "hygiene-month.yaml"
    out = tmp_path / "out"
    seen = 0

    def progress(n: int) -> None:
        nonlocal seen
        seen += n
        if seen == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=2), progress=progress)
    made = docx_files(out)
    assert len(made) == 7
    no_leftovers(out)
    assert not (out / "index.csv").exists()  # an index of half a batch would mislead
    for name in made:
        with zipfile.ZipFile(out / name) as zf:
            assert zf.testzip() is None
    result = run_batch(BatchOptions(roster=roster, base=base, output=out, jobs=1))
    assert (result.made, result.skipped) == (SAMPLE_ROWS - 7, 7)


# ---- mapping columns ---------------------------------------------------------------------------------

def test_columns_by_field_path_and_chinese_keys(tmp_path: Path, samples: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", ["unit.name", "单位.上级单位", "领导小组组长", "领导小组.成员", "主题", "备注"],
                       [["杏花村", "柳河镇", "林秀云（村党支部书记）", "高建、孔丽", "清洁家园 共享健康", "第一批"]])
    options = BatchOptions(roster=roster, base=samples / "hygiene-month.yaml", output=tmp_path / "o", jobs=1)
    with pytest.raises(InputError) as stopped:  # the base's 副组长, office director and contact are another community's people
        run_batch(options)
    assert "副组长 贺丽（社区主任）；办公室主任 孙明怡；联系人 孙明怡" in str(stopped.value)
    assert not (tmp_path / "o").exists()  # stopped before writing anything
    result = run_batch(replace(options, same_people=True))
    assert result.made == 1
    # 备注 is a column offices keep for themselves: left out without a warning
    assert result.warnings == ["as confirmed, every plan names the same 副组长 贺丽（社区主任）；办公室主任 孙明怡；联系人 孙明怡"]
    text = R.text(tmp_path / "o" / "杏花村-爱国卫生月活动方案.docx")
    assert "组长：林秀云（村党支部书记）" in text
    assert "成员：高建、孔丽" in text
    assert "主题是“清洁家园 共享健康”" in text
    assert R.paragraphs(tmp_path / "o" / "杏花村-爱国卫生月活动方案.docx")[-2].text == "杏花村村民委员会"  # the village committee signs, not the place


def test_columns_file_overrides_the_base(tmp_path: Path, samples: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", ["村名", "书记", "备注"], [["杏花村", "林秀云", "x"]])
    mapping = tmp_path / "columns.yaml"
    mapping.write_text("村名: 单位.名称\n书记: leadership.leader.name\n备注: ~\n", encoding="utf-8")
    code, stdout, stderr = run_cli("batch", str(roster), "--base", str(samples / "hygiene-month.yaml"), "--columns", str(mapping),
                                   "-o", str(tmp_path / "o"), "-j", "1", "--same-people")
    assert code == 0, stderr
    assert "备注" not in stderr  # mapped to nothing on purpose: no warning
    assert "组长：林秀云（村党组织书记）" in R.text(tmp_path / "o" / "杏花村-爱国卫生月活动方案.docx")  # a village's, not the base's 社区 post


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("社区名称: unit.nmae\n", "unknown key 'nmae' under unit; did you mean 'name'?"),
        ("社区名称: unit\n", "unit is a group of fields"),
        ("社区名称: unit.name\n联系人: unit.name\n", "both give 单位 › 名称"),
        ("columns:\n  - unit.name\n", "must map roster column headers to field paths"),
    ],
)
def test_bad_column_mapping_stops_before_writing(tmp_path: Path, samples: Path, mapping: str, message: str) -> None:
    roster = small_roster(tmp_path)
    columns = tmp_path / "columns.yaml"
    columns.write_text(mapping, encoding="utf-8")
    code, _, stderr = run_cli("batch", str(roster), "--base", str(samples / "hygiene-month.yaml"), "--columns", str(columns), "-o", str(tmp_path / "o"))
    assert code == 2
    assert message in stderr
    assert not (tmp_path / "o").exists()


def test_roster_problems_are_input_errors(tmp_path: Path, samples: Path) -> None:
    base = str(samples / "hygiene-month.yaml")
    dup = write_csv(tmp_path / "dup.csv", ["社区名称", "社区名称"], [["a", "b"]])
    code, _, stderr = run_cli("batch", str(dup), "--base", base, "-o", str(tmp_path / "o"))
    assert code == 2 and "columns A and B are both headed '社区名称'" in stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    code, _, stderr = run_cli("batch", str(empty), "--base", base, "-o", str(tmp_path / "o"))
    assert code == 2 and "no header row" in stderr
    nothing = write_csv(tmp_path / "n.csv", ["序号", "备注"], [["1", "x"]])
    code, _, stderr = run_cli("batch", str(nothing), "--base", base, "-o", str(tmp_path / "o"))
    assert code == 2 and "none of its columns (序号, 备注, header row 1) is one a plan can use" in stderr
    code, _, stderr = run_cli("batch", str(tmp_path / "missing.csv"), "--base", base, "-o", str(tmp_path / "o"))
    assert code == 2 and "missing.csv: no such file" in stderr
    assert not (tmp_path / "o").exists()


# ---- plangen new TYPE --roster ----------------------------------------------------------------------

def test_new_roster_has_every_column_and_runs_as_is(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    assert run_cli("new", "hygiene-month", "-o", str(base))[0] == 0
    for name in ("roster.csv", "roster.xlsx"):
        code, stdout, _ = run_cli("new", "hygiene-month", "--roster", "-o", str(tmp_path / name))
        assert code == 0 and name in stdout
    header = (tmp_path / "roster.csv").read_bytes().decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["社区名称", "上级单位", "社区党委书记"]
    for column in ("主题", "年度", "领导小组.办公室.设在", "报送.截止日期", "协作单位", "任务"):
        assert column in header
    assert "日期.阶段" not in header  # phases need several fields each: not a single cell
    for name in ("roster.csv", "roster.xlsx"):
        result = run_batch(BatchOptions(roster=tmp_path / name, base=base, output=tmp_path / name.replace(".", "-"), jobs=1))
        assert (result.made, result.failed) == (1, 0), result.first_failures
    text = R.text(tmp_path / "roster-csv" / "东街社区-爱国卫生月活动方案.docx")
    assert "成员：丁燕、冯军、陆丽杰" in text


def test_new_roster_prints_csv_without_output(tmp_path: Path) -> None:
    code, stdout, _ = run_cli("new", "hygiene-month", "--roster")
    assert code == 0
    rows = list(csv.reader(io.StringIO(stdout)))
    assert len(rows) == 2 and len(rows[0]) == len(rows[1]) > 20


def test_misspelt_unit_name_header_stops_with_did_you_mean(tmp_path: Path, samples: Path) -> None:
    """社区明称 for 社区名称: no column gives the unit's name, so every plan would be the base's community
    under numbered names. Stop (exit 2) before writing anything, offering the header it was meant to be."""
    rows = sample_rows(samples)[:3]
    header = ["社区明称", *list(rows[0])[1:]]
    roster = write_csv(tmp_path / "typo.csv", header, [list(r.values()) for r in rows])
    out = tmp_path / "out"
    code, _, err = run_cli("batch", str(roster), "--base", str(samples / "hygiene-month.yaml"), "-o", str(out))
    assert code == 2, err
    assert "typo.csv" in err and "unit's name" in err and "'社区明称': did you mean '社区名称'?" in err
    assert not out.exists() or not list(out.glob("*.docx"))


def test_base_from_new_without_columns_keeps_posts_and_warns_of_fixed_people(tmp_path: Path, samples: Path) -> None:
    """A base from `plangen new` with its `columns:` block removed: the default roster mapping keeps each
    leader's post, and the office director the base names for every community is reported once."""
    code, example, _ = run_cli("new", "hygiene-month")
    assert code == 0
    base = tmp_path / "base.yaml"
    base.write_text(example.split("\n# 列映射")[0], encoding="utf-8")
    assert "columns" not in base.read_text(encoding="utf-8")
    roster = write_csv(tmp_path / "r.csv", list(sample_rows(samples)[0]), [list(r.values()) for r in sample_rows(samples)[:3]])
    code, _, err = run_cli("batch", str(roster), "--base", str(base), "-o", str(tmp_path / "o"))
    assert code == 2 and "办公室主任 孙明怡" in err and "'办公室主任'" in err and "--same-people" in err, err
    assert "columns:" not in err and "leadership" not in err
    assert not (tmp_path / "o").exists()
    code, _, err = run_cli("batch", str(roster), "--base", str(base), "-o", str(tmp_path / "o"), "--same-people")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "办公室主任 孙明怡" in warnings[0], err
    text = R.text(tmp_path / "o" / "南街社区-爱国卫生月活动方案.docx")
    assert "组长：邓怡（社区党委书记）" in text and "副组长：薛明勇（社区主任）" in text
