"""Every file in tests/bad_inputs/ gets either a correct plan or one short error — fast and small.

A hostile case (and, in CI, every case) runs as a real process; its CPU time and peak memory are held to
5 s and 200 MB (tests/procs.py). The everyday run reads the other cases in this process, as the shell's
``plangen`` would (exit code, stdout, stderr): the same answers, without a process start each.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from on_pilot import EXAMPLE
from procs import run_cli, run_plangen

from plangen.testing import docx as R

HERE = Path(__file__).parent
CASES = HERE / "bad_inputs"
EXPECTED: dict[str, dict] = yaml.safe_load((CASES / "expected.yaml").read_text(encoding="utf-8"))


def test_every_case_file_has_an_expectation() -> None:
    files = {p.name for p in CASES.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED)


MEASURED = {"alias-bomb.yaml", "deep-nesting.yaml", "huge-field.yaml", "binary.yaml", "duplicate-key.yaml", "key-on.yaml"}
"""The cases built to cost time or memory: always a measured process."""


@dataclass(frozen=True)
class Answer:
    returncode: int
    stdout: str
    stderr: str


def answer(name: str, args: list[str], tmp_path: Path) -> Answer:
    if name in MEASURED or os.environ.get("PLANGEN_FULL_TESTS", "").strip() not in ("", "0"):
        result = run_plangen(args, tmp_path)
        result.within_budget(name)
        return Answer(result.returncode, result.stdout, result.stderr)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning the process would print must not pass unseen here
        code, out, err = run_cli(*args)
    return Answer(code, out, err)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case(name: str, tmp_path: Path) -> None:
    expected = EXPECTED[name]
    out = tmp_path / "out"
    result = answer(name, ["generate", str(CASES / name), "-o", str(out)], tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == expected["exit"], result.stderr
    if expected["exit"]:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        for part in expected["message"]:
            assert part in lines[0], lines[0]
        assert not out.exists() or not any(out.iterdir()), "no output file for a failed plan"
        if "7*7" in (CASES / name).read_text(encoding="utf-8", errors="replace"):
            said = (result.stderr + result.stdout).replace(str(tmp_path), "")  # pytest-249 is a folder name
            assert "49" not in said  # {{ 7*7 }} was never evaluated
    else:
        made = Path(result.stdout.strip())
        open_docx(str(made))  # python-docx opens it: the XML is well formed
        body = R.text(made)
        for part in expected["contains"]:
            assert part in body
        for bad in ("\x00", "\x07", "\x1b", "\u200b", "\u200d", "\ufeff", "\u202e", "\u2028", "\u2029"):
            assert bad not in body


@pytest.mark.usefixtures("pilot_only")
def test_output_path_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_plangen(["generate", str(EXAMPLE), "-o", str(blocker / "sub" / "plan.docx")], tmp_path)
    result.within_budget("an output path that cannot be created")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plangen: error: cannot create folder") and "a-file" in lines[0]
    assert blocker.read_text() == "not a folder"
