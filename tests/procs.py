"""Run the plangen command line as a real process and measure what it cost: CPU time and peak memory.

The bad-input tests hold every answer to a budget. Wall time is the wrong measure for that on a shared
machine (other processes take the CPU and the same answer takes three times as long), so the budget is
the child's own CPU time, user + system, as the kernel accounts it when the child is reaped
(``os.wait4``); a generous wall-clock limit only stops a hung child.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CPU_LIMIT_S = 5.0
"""The CPU time (user + system) one answer may take, whatever else the machine is doing."""
MEMORY_LIMIT_KB = 200 * 1024
"""Peak resident memory of the process (or of any process it waited for)."""
HANG_S = 120.0
"""Wall time after which the child is taken to be hung and killed: a guard, not a measure."""


@dataclass(frozen=True)
class Measured:
    """A finished child: its exit code and output, and what the kernel charged it."""

    returncode: int
    stdout: str
    stderr: str
    cpu_s: float
    maxrss_kb: int

    def within_budget(self, what: str) -> None:
        """Assert the answer stayed within :data:`CPU_LIMIT_S` and :data:`MEMORY_LIMIT_KB`."""
        assert self.cpu_s < CPU_LIMIT_S, f"{what} took {self.cpu_s:.1f} s of CPU"
        assert 0 < self.maxrss_kb < MEMORY_LIMIT_KB, f"{what} used {self.maxrss_kb / 1024:.0f} MB"


def run_plangen(args: list[str], tmp_path: Path, *, hang_s: float = HANG_S) -> Measured:
    """``python -m plangen ARGS`` in a child process, measured."""
    return run_measured([sys.executable, "-m", "plangen", *args], tmp_path, hang_s=hang_s)


def run_measured(argv: list[str], tmp_path: Path, *, hang_s: float = HANG_S) -> Measured:
    """``argv`` in a child process, measured by ``os.wait4``.

    The output goes to files, not pipes, so the child can never block on a full pipe while this
    process polls for its exit.
    """
    out_path, err_path = tmp_path / "child.stdout", tmp_path / "child.stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + hang_s
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.kill(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            proc.returncode = -signal.SIGKILL  # reaped here; Popen must not wait for it again
            raise AssertionError(f"{' '.join(argv)} still running after {hang_s:.0f} s: hung")
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        returncode=proc.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        cpu_s=usage.ru_utime + usage.ru_stime,
        maxrss_kb=usage.ru_maxrss,  # KiB on Linux
    )


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run plangen in this process as the shell would (``main()``: messages and exit codes included):
    exit code, stdout, stderr. The language is detected afresh before and after, as for a new process."""
    import contextlib
    import io

    from plangen import i18n
    from plangen.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    i18n.set_language(None)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        old = sys.argv
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.argv = old
            i18n.set_language(None)
    return code, out.getvalue(), err.getvalue()
