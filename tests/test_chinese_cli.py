"""The command line in its default language, Chinese: help, the batch summary, warnings and reports,
the lines generate/validate/plugin new print, and the error prefix. What a clerk reads has no English
sentence (identifiers, option names, file names and commands to type aside); PLANGEN_LANG=en gives
the English back, and ``--json`` keeps stable English keys for scripts."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from procs import run_cli

from plangen import i18n

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hygiene-month.yaml"
ROSTER = ROOT / "samples" / "communities.csv"
COMMANDS = ("batch", "check", "generate", "new", "next", "plugin", "plugin new", "plugins", "preview", "schema", "types", "validate")

pytestmark = pytest.mark.chinese


@pytest.fixture(autouse=True)
def _language_detected() -> None:
    i18n.set_language(None)  # as a user starts it: nothing pinned, the language comes from the environment


_COMMANDS_TO_TYPE = re.compile(r"(plangen|pip install|sudo apt install)\b[^\u3000-\u303f\uff00-\uffef\u4e00-\u9fff\n]*")
_EXAMPLE_LINE = re.compile(r"^\s*(-|\[|plangen|pip)")


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words a reader would have to read, once commands to type, option
    names, file names, field paths and metavars are set aside."""
    found = []
    for line in text.splitlines():
        line = _COMMANDS_TO_TYPE.sub(" ", line)
        line = re.sub(r"`[^`]*`|\S*[-./_=~:\\]\S*|\b[A-Z][A-Z0-9_]+\b", " ", line)  # `code`, --opts, a.b, FILE
        line = re.sub(r"\[[^\]]*\|[^\]]*\]", " ", line)  # a choice of values: [auto|csv|xlsx|none]
        for run in re.split(r"[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+", line):  # stretches without Chinese
            words = re.findall(r"\b[A-Za-z]{2,}\b", run)
            if len(words) >= 3:  # three English words in a row: a sentence (made 20, skipped 0, failed 0 in 1 s)
                found.append(" ".join(words))
    return found


def test_the_sentence_finder_finds_english() -> None:
    assert english_sentences("Make one plan per row of ROSTER (.xlsx or .csv).")
    assert english_sentences("made 20, skipped 0, failed 0 in 0.2 s")
    assert not english_sentences("按名册 ROSTER（.xlsx 或 .csv）逐行生成方案，写入 -o 指定的文件夹。")
    assert not english_sentences("    pip install ./DIR && plangen types && plangen new NAME -o input.yaml")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_of_every_command_is_chinese(command: str) -> None:
    code, out, err = run_cli(*command.split(), "--help")
    assert code == 0, err
    assert "用法：" in out and ("选项：" in out or "命令：" in out)
    assert english_sentences(out) == [], out
    code, english, _ = run_cli("--lang", "en", *command.split(), "--help")
    assert "Usage:" in english and english_sentences(english)  # the English is still there for those who ask


def test_batch_summary_warnings_and_reports_in_chinese(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    lines = ROSTER.read_text(encoding="utf-8-sig").splitlines()
    blank_name = "," + lines[2].split(",", 1)[1]  # row 3: every cell but the unit's name
    roster.write_text("\n".join([lines[0] + ",批次", lines[1] + ",第一批", blank_name + ",", lines[3] + ","]) + "\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run_cli("batch", str(roster), "-b", str(SAMPLE), "-o", str(out_dir), "-j", "1")
    assert code == 1, err
    assert re.search(r"已生成 \d+ 份，已跳过 0 份，失败 1 份，用时 [\d.]+ 秒", out), out
    assert "plangen：警告：“批次”列未使用：爱国卫生月活动方案中没有这一项" in err
    assert "plangen：错误：" in err and "第3行" in err and "为空；每行都须填写单位名称" in err
    assert english_sentences(out) == [] and english_sentences(err) == [], (out, err)

    with open(out_dir / "errors.csv", encoding="utf-8-sig", newline="") as fh:
        errors = list(csv.reader(fh))
    assert errors[0] == ["行号", "列", "字段", "问题"]
    assert errors[1][0] == "3" and errors[1][3].startswith("为空")
    with open(out_dir / "index.csv", encoding="utf-8-sig", newline="") as fh:
        index = list(csv.reader(fh))
    assert index[0] == ["行号", "单位", "文件", "状态", "备注"]
    assert {row[3] for row in index[1:]} == {"已生成", "失败"}

    code, out, _ = run_cli("batch", str(roster), "-b", str(SAMPLE), "-o", str(out_dir), "-j", "1")
    assert "已跳过" in out
    with open(out_dir / "index.csv", encoding="utf-8-sig", newline="") as fh:
        assert {row[3] for row in list(csv.reader(fh))[1:]} == {"已跳过", "失败"}


def test_xlsx_index_in_chinese(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, _, err = run_cli("batch", str(ROSTER), "-b", str(SAMPLE), "-o", str(tmp_path / "o"), "--index", "xlsx", "-j", "1")
    assert code == 0, err
    book = load_workbook(tmp_path / "o" / "index.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == ["行号", "单位", "文件", "状态", "备注"] and rows[1][3] == "已生成"


def test_reports_in_english_under_plangen_lang_en(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGEN_LANG", "en")
    bad = tmp_path / "bad.csv"
    bad.write_text("unit.name,主题\n,清洁家园\n东街社区,\n", encoding="utf-8")
    code, out, err = run_cli("batch", str(bad), "-b", str(SAMPLE), "-o", str(tmp_path / "o"), "-j", "1", "--same-people")
    assert code == 1 and "made 1, skipped 0, failed 1" in out and "plangen: error: " in err
    with open(tmp_path / "o" / "errors.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == ["row", "column", "field", "message"]
    with open(tmp_path / "o" / "index.csv", encoding="utf-8-sig", newline="") as fh:
        index = list(csv.reader(fh))
    assert index[0] == ["row", "unit", "file", "status", "note"] and {r[3] for r in index[1:]} == {"made", "failed"}


def test_batch_json_keeps_english_keys_and_codes(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("社区名称,批次\n东街社区,x\n", encoding="utf-8")
    code, out, _ = run_cli("batch", "--json", str(roster), "-b", str(SAMPLE), "-o", str(tmp_path / "o"), "-j", "1", "--same-people")
    data = json.loads(out)
    assert code == 0 and set(data) == {"made", "skipped", "failed", "blank", "seconds", "output", "index", "errors", "zip", "warnings"}
    unknown = [w for w in data["warnings"] if w["code"] == "batch.unknown-column"]
    assert unknown and unknown[0]["message"].startswith("“批次”列") and unknown[0]["params"]["type"] == "爱国卫生月活动方案"
    assert [w["code"] for w in data["warnings"]][0] == "batch.same-people-confirmed"


def test_generate_and_validate_lines_and_the_error_prefix(tmp_path: Path) -> None:
    code, out, err = run_cli("validate", str(SAMPLE))
    assert code == 0 and out.strip() == f"{SAMPLE}：通过（爱国卫生月活动方案）", err
    code, out, err = run_cli("generate", str(SAMPLE), str(SAMPLE), "-o", str(tmp_path / "x.docx"))
    assert code == 2 and err.startswith("plangen：错误：输入文件有多个时，-o 后应为文件夹"), err
    code, out, err = run_cli("generate", str(SAMPLE), "-o", str(tmp_path))
    assert code == 0 and out.strip().endswith(".docx") and not err
    code, out, err = run_cli("next", str(SAMPLE), "-o", str(tmp_path / "next.yaml"))
    assert code == 0 and out.strip() == f"已写出 {tmp_path / 'next.yaml'}；请填写主题，然后运行 plangen validate {tmp_path / 'next.yaml'}"


def test_new_to_an_existing_file_is_an_error_in_chinese(tmp_path: Path) -> None:
    existing = tmp_path / "plan.yaml"
    existing.write_text("type: hygiene-month\n", encoding="utf-8")
    code, out, err = run_cli("new", "hygiene-month", "-o", str(existing))
    assert code == 2 and err.startswith("plangen：错误：") and str(existing) in err
    assert existing.read_text(encoding="utf-8") == "type: hygiene-month\n"


def test_plugin_new_next_steps_and_errors_in_chinese(tmp_path: Path) -> None:
    code, out, err = run_cli("plugin", "new", "flood-drill", "-o", str(tmp_path / "p"))
    assert code == 0 and err.startswith("下一步：pip install ") and "plangen new flood-drill -o input.yaml" in err
    code, out, err = run_cli("plugin", "new", "Flood Drill")
    assert code == 2 and err.startswith("plangen：错误：NAME：“Flood Drill”不能作方案类型名称"), err
    code, out, err = run_cli("plugin", "new", "flood-drill", "-o", str(tmp_path / "p"))
    assert code == 2 and "已存在且不是空文件夹；请用 -o 另选位置" in err


def test_plugins_listing_in_chinese() -> None:
    code, out, err = run_cli("plugins")
    assert code == 0 and "来源：" in out and "方案类型：" in out and "钩子：" in out
    assert english_sentences(out) == [], out
