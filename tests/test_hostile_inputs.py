"""Hostile inputs beyond tests/bad_inputs (issue 15): each gets one line, within 5 s of CPU and 200 MB.

Inputs too big to keep in the repository are made here; every case runs as a real, measured process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from procs import run_measured, run_plangen

HERE = Path(__file__).parent
SAMPLE = HERE.parent / "samples" / "hygiene-month.yaml"


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_a_yaml_of_150k_keys_is_refused_quickly_and_honestly(tmp_path: Path) -> None:
    big = tmp_path / "many-keys.yaml"
    big.write_text("type: hygiene-month\n" + "".join(f"k{i}: v{i}\n" for i in range(130_000)), encoding="utf-8")
    assert big.stat().st_size < 2_000_000  # under the byte cap: the key bound must answer
    result = run_plangen(["generate", str(big), "-o", str(tmp_path / "out")], tmp_path)
    result.within_budget("150k keys")
    line = one_line(result.stderr)
    assert result.returncode == 2 and "more than 20,000 keys and values" in line
    assert "alias" not in line  # there is no alias in it


def test_a_json_of_many_keys_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "many-keys.json"
    big.write_text("{" + ",".join(f'"k{i}": {i}' for i in range(120_000)) + "}", encoding="utf-8")
    result = run_plangen(["generate", str(big), "-o", str(tmp_path / "out")], tmp_path)
    result.within_budget("120k JSON keys")
    assert result.returncode == 2 and "more than 20,000 keys and values" in one_line(result.stderr)


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "twice.json"
    doc.write_text('{"type": "hygiene-month", "year": 2024, "year": 2025}', encoding="utf-8")
    result = run_plangen(["generate", str(doc), "-o", str(tmp_path / "out")], tmp_path)
    assert result.returncode == 2 and "the key 'year' is given twice" in one_line(result.stderr)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_read_up_to_the_cap_only(device: str, tmp_path: Path) -> None:
    result = run_plangen(["generate", device, "-o", str(tmp_path / "out")], tmp_path)
    result.within_budget(device)
    assert result.returncode == 2 and "at most 2,000,000" in one_line(result.stderr)


def test_stdin_is_held_to_the_input_cap(tmp_path: Path) -> None:
    """``generate /dev/stdin`` fed 3 MB through a pipe: the size on disk (0) must not be trusted."""
    feed = tmp_path / "feed.py"
    feed.write_text(
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'plangen', 'generate', '/dev/stdin', '-o', sys.argv[1]],"
        " stdin=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "try:\n    p.stdin.write(b'# x\\n' * 750_000); p.stdin.close()\nexcept BrokenPipeError:\n    pass\n"
        "err = p.stderr.read().decode(); p.wait(); sys.stderr.write(err); sys.exit(p.returncode)\n",
        encoding="utf-8",
    )
    result = run_measured([sys.executable, str(feed), str(tmp_path / "out")], tmp_path)
    assert result.returncode == 2 and "at most 2,000,000" in one_line(result.stderr)
