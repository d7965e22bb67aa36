"""-q, --lang, --plugins-dir and --templates work before or after the command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from on_pilot import EXAMPLE

from plangen.cli import hoist_global_options


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["generate", "x.yaml", "-q"], ["-q", "generate", "x.yaml"]),
        (["check", "a.docx", "--lang", "en", "--json"], ["--lang", "en", "check", "a.docx", "--json"]),
        (["batch", "r.csv", "--plugins-dir=p", "--base", "b.yaml"], ["--plugins-dir=p", "batch", "r.csv", "--base", "b.yaml"]),
        (["--templates", "t", "generate", "x.yaml", "--quiet"], ["--templates", "t", "--quiet", "generate", "x.yaml"]),
        (["generate", "--", "-q"], ["generate", "--", "-q"]),
        (["-h"], ["-h"]),
        ([], []),
    ],
)
def test_global_options_move_in_front_of_the_command(given: list[str], expected: list[str]) -> None:
    assert hoist_global_options(given) == expected


@pytest.mark.usefixtures("pilot_only")
def test_quiet_after_the_command_is_honoured(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "plangen", "generate", str(EXAMPLE), "-o", str(tmp_path / "p.docx")]
    loud = subprocess.run(args, capture_output=True, text=True)
    quiet = subprocess.run([*args, "-q"], capture_output=True, text=True)
    assert loud.returncode == quiet.returncode == 0, quiet.stderr
    assert loud.stdout.strip().endswith("p.docx") and quiet.stdout == ""
