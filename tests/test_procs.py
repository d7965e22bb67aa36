"""The measuring helper itself: it charges a child its CPU time, not the time it spent waiting, and stops a hung one."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from procs import run_measured


def test_sleeping_costs_no_cpu(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run_measured([sys.executable, "-c", "import time; time.sleep(1); print('woke')"], tmp_path)
    assert time.monotonic() - started >= 1.0
    assert result.returncode == 0 and result.stdout == "woke\n"
    assert result.cpu_s < 0.8  # the interpreter's start-up, not the second asleep


def test_busy_child_is_charged_its_cpu_time_and_memory(tmp_path: Path) -> None:
    spin = "import time\nb = bytearray(64 << 20)\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass\n"
    result = run_measured([sys.executable, "-c", spin, "x"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.cpu_s >= 0.5
    assert result.maxrss_kb > 64 * 1024


def test_exit_code_and_stderr_come_back(tmp_path: Path) -> None:
    result = run_measured([sys.executable, "-c", "import sys; sys.exit('plangen: error: 名单')"], tmp_path)
    assert result.returncode == 1 and result.stderr == "plangen: error: 名单\n"


def test_a_hung_child_is_killed(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match="hung"):
        run_measured([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path, hang_s=0.5)
    assert time.monotonic() - started < 30
