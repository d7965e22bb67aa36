"""Every command writes under any stdout encoding: a Chinese Windows console or file is GBK, a pipe may
be ASCII. What the encoding lacks is written as its nearest equivalent, never a UnicodeEncodeError."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from plangen.testing import slow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hygiene-month.yaml"


def _run(encoding: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, env=env, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def word_default(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A document typed in Word's default template: check reports − (U+2212) and other marks GBK lacks."""
    path = tmp_path_factory.mktemp("typed") / "typed.docx"
    doc = Document()
    doc.add_heading("关于开展爱国卫生月活动的通知", 0)
    doc.add_paragraph("各社区:根据上级要求,现将有关事项通知如下。")
    doc.save(str(path))
    return path


@pytest.mark.slow  # every command as a process, twice; test_check_writes_chinese_findings_to_an_ascii_stdout stays everyday
@pytest.mark.parametrize("encoding", ["gbk", "gb2312"])
def test_every_command_writes_under_a_narrow_stdout_encoding(encoding: str, tmp_path: Path, word_default: Path) -> None:
    runs = [
        (0, ["--help"]), (0, ["generate", "-h"]), (0, ["types"]), (0, ["plugins"]), (0, ["new", "hygiene-month"]),
        (0, ["schema", "hygiene-month"]), (0, ["validate", str(SAMPLE)]),
        (0, ["generate", str(SAMPLE), "-o", str(tmp_path / "out")]),
        (1, ["check", str(word_default)]), (1, ["check", "--json", str(word_default)]), (0, ["check", "--rules"]),
        (2, ["generate", str(tmp_path / "missing.yaml")]),
    ]
    for expected, args in runs:
        done = _run(encoding, tmp_path, *args)
        assert done.returncode == expected, (args, done.stderr.decode(encoding, "replace"))
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, args
        assert done.stdout or done.stderr, args
        done.stdout.decode(encoding)  # what was written is valid in that encoding


def test_nearest_equivalents_instead_of_question_marks(tmp_path: Path, word_default: Path) -> None:
    done = _run("gb2312", tmp_path, "--lang", "en", "check", str(word_default))
    text = done.stdout.decode("gb2312")
    assert done.returncode == 1 and "typed.docx" in text
    assert "\u2212" not in text and "-0.25 pt" in text  # the minus sign GB 2312 lacks, written as a hyphen


@slow  # sixty processes: ~12 s; CI runs it
def test_every_command_writes_to_an_ascii_stdout(tmp_path: Path) -> None:
    """A pipe or a console in ASCII (PYTHONIOENCODING=ascii): click's own echo would write UTF-8 to it
    anyway; plangen writes what ASCII lacks as its nearest equivalent or ``?``, in both languages.
    (``check`` is covered with the check command's own tests.)"""
    roster = ROOT / "samples" / "communities.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("unit.name,主题\n,清洁家园\n东街社区,\n", encoding="utf-8")
    existing = tmp_path / "exists.yaml"
    existing.write_text("type: hygiene-month\n", encoding="utf-8")
    runs = [
        (0, ["--help"]), (0, ["-V"]), (0, ["types"]), (0, ["types", "--json"]), (0, ["plugins"]), (0, ["plugins", "--json"]),
        (0, ["new", "hygiene-month"]), (0, ["new", "hygiene-month", "--roster"]), (2, ["new", "hygiene-month", "-o", str(existing)]),
        (0, ["schema", "hygiene-month"]), (0, ["validate", str(SAMPLE)]), (0, ["next", str(SAMPLE)]),
        (0, ["generate", str(SAMPLE), "-o", str(tmp_path / "out")]), (2, ["generate", str(tmp_path / "missing.yaml")]),
        (0, ["batch", str(roster), "-b", str(SAMPLE), "-o", str(tmp_path / "batch")]),
        (0, ["batch", "--json", str(roster), "-b", str(SAMPLE), "-o", str(tmp_path / "batch")]),
        (1, ["batch", str(bad), "-b", str(SAMPLE), "-o", str(tmp_path / "bad"), "--same-people"]),
        (0, ["plugin", "new", "flood-drill", "-o", str(tmp_path / "plugin")]), (2, ["plugin", "new", "Bad Name"]),
        (2, ["generate", "--no-such-option"]),
    ]
    runs += [(0, [name, "-h"]) for name in ("batch", "generate", "new", "next", "plugin", "plugins", "preview", "schema", "types", "validate")]
    for lang in ("zh", "en"):
        for expected, args in runs:
            if args[:2] == ["plugin", "new"] and expected == 0:
                args = [*args[:-1], f"{args[-1]}-{lang}"]
            done = _run("ascii", tmp_path, "--lang", lang, *args)
            assert done.returncode == expected, (lang, args, done.stderr.decode("ascii", "replace"))
            assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, (lang, args)
            assert done.stdout or done.stderr, (lang, args)
            done.stdout.decode("ascii")  # nothing but ASCII reached the stream: no UTF-8 written past it
            done.stderr.decode("ascii")
            assert b"\\u" not in done.stderr, (lang, args)  # nearest equivalents, not backslash escapes


@pytest.mark.chinese
def test_check_writes_chinese_findings_to_an_ascii_stdout(tmp_path: Path, word_default: Path) -> None:
    """check's own lines go through sys.stdout (not click.echo, which writes UTF-8 bytes to an ASCII
    stream): in the default language, under ASCII, each character the stream lacks becomes its
    nearest equivalent or ``?``, and the report keeps its shape and exit code."""
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip")
    clean = {k: v for k, v in os.environ.items() if k not in ("PLANGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    for expected, args in [
        (1, ["check", str(word_default)]), (1, ["check", "--json", str(word_default)]), (0, ["check", "--rules"]),
        (2, ["check", str(junk)]),
    ]:
        done = subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, cwd=tmp_path, timeout=120,
                              env={**clean, "PYTHONIOENCODING": "ascii"})
        assert done.returncode == expected, (args, done.stderr)
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, args
        done.stdout.decode("ascii")  # only ASCII was written, however much of the text is Chinese
        assert done.stdout or done.stderr, args
    rules = _run("ascii", tmp_path, "check", "--rules").stdout.decode("ascii")
    assert rules.splitlines()[0].startswith("page-size ") and "210" in rules
