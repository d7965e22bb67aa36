"""Run the plangen command line as a real process and measure what it cost: CPU time and peak memory.

The bad-input tests hold every answer to a budget. Wall time is the wrong measure for that on a shared
machine (other processes take the CPU and the same answer takes three times as long), so the budget is
the child's own CPU time, user + system, as the kernel accounts it when the child is reaped
(``os.wait4``); a generous wall-clock limit only stops a hung child.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
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


_LAUNCHER = """
import json, os, sys
report, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    json.dump({"status": status, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss}, fh)
"""
"""Runs the measured command as its own child and reports what the kernel charged that child.

Why a launcher: Linux hands a child the peak memory of the process it was forked from (the copied
address space's high-water mark survives exec), so a child of a pytest process that already holds
700 MB of web tests would be charged 700 MB. The launcher is small when it forks, so its child starts
from the launcher's few MB, and what is measured is the command's own peak."""


def run_measured(argv: list[str], tmp_path: Path, *, hang_s: float = HANG_S) -> Measured:
    """``argv`` in a child process, measured by ``os.wait4`` (in a small launcher, see :data:`_LAUNCHER`).

    The output goes to files, not pipes, so the child can never block on a full pipe while this
    process polls for its exit.
    """
    out_path, err_path = tmp_path / "child.stdout", tmp_path / "child.stderr"
    report = tmp_path / "child.usage.json"
    report.unlink(missing_ok=True)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *argv], stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=hang_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it started
        proc.wait()
        raise AssertionError(f"{' '.join(argv)} still running after {hang_s:.0f} s: hung") from None
    usage = json.loads(report.read_text())
    return Measured(
        returncode=os.waitstatus_to_exitcode(usage["status"]),
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        cpu_s=usage["cpu"],
        maxrss_kb=usage["maxrss"],  # KiB on Linux
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
