"""The core's messages in Chinese (the default language): validation errors by pydantic error type,
the input's own checks, placeholders, fonts, plugins, and the typing slips of a Chinese input method
in YAML (full-width colon, no space after a colon, full-width indentation, full-width comma, UTF-16
and GB18030 files). Each test reads the line a user sees (after the CLI's prefix)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from plangen.api import load_plan
from plangen.errors import InputError, InputWarning
from plangen.gbt9704.fonts import font_profile

pytestmark = pytest.mark.chinese

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def _error(path: Path) -> str:
    with pytest.raises(InputError) as err:
        load_plan(path)
    return str(err.value)


def _loaded_with_notes(path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_plan(path)
    return [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


# ---- validation messages ------------------------------------------------------------------------

def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("\ntheme: ", "\nthme: "))
    assert _error(path) == f"{path}：thme：无此键“thme”；是否应为“theme”？"


def test_missing_field_names_the_chinese_key_first(tmp_path: Path) -> None:
    text = "\n".join(line for line in BASE.split("\n") if not line.startswith("  name: 东街社区"))
    path = _write(tmp_path, text)
    assert _error(path) == f"{path}：unit.名称（name）：必填"


def test_wrong_type_says_what_was_given(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("year: 2024 ", "year: abc  "))
    assert _error(path) == f"{path}：year：应为整数，如 2024，而不是文本“abc”"


def test_text_field_given_a_list(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("theme: 美丽中国 健康相伴", "theme: [美丽中国, 健康相伴]"))
    assert _error(path) == f"{path}：theme：应为文本，而不是列表"


@pytest.mark.parametrize(("written", "expected"), [
    ("2024-02-30", "日历上没有2024-02-30这一天"),
    ("四月一日", "“四月一日”不是日期，应写作 2024-04-01 或 2024年4月1日"),
    ("1900-04-01", "1900-04-01不像方案的日期（应在1949年至2100年之间），请核对年份"),
])
def test_bad_date(tmp_path: Path, written: str, expected: str) -> None:
    path = _write(tmp_path, _edit("issued: 2024-03-25", f"issued: {written}"))
    assert _error(path) == f"{path}：dates.issued：{expected}"


def test_placeholder_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("goal: 省级卫生县城复评", "goal: 省级卫生县城{{目标}}"))
    assert _error(path) == f"{path}：goal：含有占位符或模板语法“{{{{”，请填写实际内容"


def test_too_long_counts_characters(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("  name: 东街社区", "  name: " + "东" * 41))
    assert _error(path) == f"{path}：unit.name：过长（41个字，最多40个字）"


def test_literal_choices_listed(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("  name: 东街社区", "  name: 东街社区\n  kind: city"))
    assert _error(path) == f"{path}：unit.kind：应为以下之一：省、市、地级市、县级市、县、区、镇、乡、街道、社区、村、部门、单位（而不是文本“city”）"


def test_font_profile_error() -> None:
    with pytest.raises(InputError) as err:
        font_profile("song")
    assert str(err.value) == "fonts：没有字体方案 'song'；请用 gb、windows 或逐项指定字体"


def test_unknown_plan_type(tmp_path: Path) -> None:
    path = _write(tmp_path, _edit("type: hygiene-month", "type: hygiene"))
    assert _error(path).startswith(f"{path}：type：没有方案类型 'hygiene'；可用的类型：")


def test_english_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGEN_LANG", "en")
    path = _write(tmp_path, _edit("year: 2024 ", "year: abc  "))
    assert _error(path) == f"{path}: year: must be a whole number such as 2024, not 'abc'"


# ---- typing slips of a Chinese input method ----------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_full_width_colon_after_a_known_key_is_read_and_said(tmp_path: Path, encoding: str) -> None:
    text = _edit("unit:  ", "unit：").replace("  parent: 城关镇", "  parent：城关镇", 1)
    path = _write(tmp_path, text, encoding)
    notes = _loaded_with_notes(path)
    assert notes == [
        f"{path}：第{_line_of(text, 'unit：')}行：“unit”后的全角冒号“：”已按半角“:”读取",
        f"{path}：第{_line_of(text, 'parent：')}行：“parent”后的全角冒号“：”已按半角“:”读取",
    ]
    assert load_plan(path).data.unit.parent == "城关镇"


def test_missing_space_after_colon_is_read_and_said(tmp_path: Path) -> None:
    text = _edit("  name: 东街社区", "  name:东街社区")
    path = _write(tmp_path, text)
    assert _loaded_with_notes(path) == [
        f"{path}：第{_line_of(text, 'name:东街')}行：“name”的冒号后缺少空格，已按“name: 值”读取"]
    assert load_plan(path).data.unit.name == "东街社区"


def test_full_width_colon_after_an_unknown_word_is_named_by_line(tmp_path: Path) -> None:
    text = _edit("  name: 东街社区", "  name: 东街社区\n  片区：东片")
    path = _write(tmp_path, text)
    assert _error(path) == f"{path}：第{_line_of(text, '片区：')}行：“片区”后的全角冒号“：”请改为半角“:”，其后加一个空格"


def test_full_width_indentation_is_named_by_line(tmp_path: Path) -> None:
    text = _edit("  name: 东街社区", "\u3000name: 东街社区")
    path = _write(tmp_path, text, "gb18030")
    assert _error(path) == f"{path}：第{_line_of(text, 'name: 东街')}行：行首缩进含有全角空格，请改用半角空格缩进"


def test_full_width_comma_in_a_flow_mapping_is_named_by_line(tmp_path: Path) -> None:
    text = _edit("  name: 东街社区", "  name: 东街社区\n  x: {a: 1，b: 2}")
    path = _write(tmp_path, text)
    assert _error(path) == f"{path}：第{_line_of(text, '1，b')}行：[ ] 或 {{ }} 中各项之间的全角逗号“，”请改为半角“,”"


def test_full_width_comma_between_names_separates_them(tmp_path: Path) -> None:
    text = _edit("departments: [社区卫生服务站, 各网格]", "departments: [社区卫生服务站，各网格]")
    plan = load_plan(_write(tmp_path, text))
    assert [t for t in plan.data.tasks if t.departments][0].departments == ["社区卫生服务站", "各网格"]


def test_block_text_is_never_mended(tmp_path: Path) -> None:
    """Inside a | block the words are the user's own: 主题：… there is text, not a key."""
    text = _edit("goal: 省级卫生县城复评", "goal: |\n  主题：省级卫生县城复评")
    path = _write(tmp_path, text)
    assert _loaded_with_notes(path) == []
    assert load_plan(path).data.goal.startswith("主题：")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_notepad_utf16_is_read(tmp_path: Path, codec: str) -> None:
    path = _write(tmp_path, BASE, codec)
    assert load_plan(path).data.unit.name == "东街社区"


def test_cli_prints_the_warning_once_per_line_in_chinese(tmp_path: Path) -> None:
    text = _edit("unit:  ", "unit：")
    path = _write(tmp_path, text)
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("PLANGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run([sys.executable, "-m", "plangen", "validate", str(path)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"plangen：警告：{path}：第{_line_of(text, 'unit：')}行：“unit”后的全角冒号“：”已按半角“:”读取"]
