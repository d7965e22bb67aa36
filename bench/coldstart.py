"""Cold start of plangen against the floor of importing its dependencies, side by side in one run.

Why: a user runs ``plangen`` one file at a time far more often than in a batch, so process start-up
is what they wait for. The absolute times on a shared machine move a lot from minute to minute;
the ratios to the floor, measured interleaved in the same run, are what to compare.

    python bench/coldstart.py            # medians of 11 starts each, after one untimed warm-up
    python bench/coldstart.py -n 21
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hygiene-month.yaml"
FLOOR = "import pydantic, jinja2, click, yaml, pluggy"
# What any generate must load beyond that floor, before a line of plangen runs: pydantic's model
# machinery (``import pydantic`` alone is lazy), markdown-it, and importlib.metadata, which pydantic's
# plugin loader imports when it builds the first validator; one trivial model built and validated.
DEPENDENCIES = (
    FLOOR + "\nfrom pydantic import BaseModel, Field\nimport pydantic.types, markdown_it, importlib.metadata"
    "\nclass M(BaseModel):\n    x: int = Field(1, ge=0)\nM(x=2)"
)
# PYTHONDONTWRITEBYTECODE (set on this project's machines) would make every start recompile plangen's
# sources; an installed plangen has its bytecode (pip compiles it), so the children may write theirs.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def commands(out: Path) -> dict[str, list[str]]:
    """The measured commands; each is a fresh interpreter, as a user's shell starts it."""
    py = sys.executable
    return {
        "floor (import pydantic, jinja2, click, yaml, pluggy)": [py, "-c", FLOOR],
        "dependencies: + BaseModel, markdown-it, one model": [py, "-c", DEPENDENCIES],
        "plangen --help": [py, "-m", "plangen", "--help"],
        # neither renders nor writes: must not pay for jinja2, markdown-it or the writer (tests/test_cli_lazy.py)
        "plangen types": [py, "-m", "plangen", "-q", "types"],
        "plangen new hygiene-month": [py, "-m", "plangen", "-q", "new", "hygiene-month"],
        "plangen schema hygiene-month": [py, "-m", "plangen", "-q", "schema", "hygiene-month"],
        "plangen generate samples/hygiene-month.yaml": [py, "-m", "plangen", "-q", "generate", str(SAMPLE), "-o", str(out)],
    }


def once(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one process from start to exit, in seconds.

    CPU time is reported beside wall time because it moves far less when other work shares the cores;
    a failure stops the benchmark."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert child.stderr is not None
    err = child.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {err.strip()}")
    return elapsed, usage.ru_utime + usage.ru_stime


def measure(runs: int) -> dict[str, list[tuple[float, float]]]:
    """Interleave the commands round by round so a burst of load hits all of them alike."""
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(Path(tmp))
        for argv in cmds.values():  # warm-up: bytecode compiled, files in the page cache
            once(argv)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, argv in cmds.items():
                times[name].append(once(argv))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", "--runs", type=int, default=11, help="timed starts of each command (default 11)")
    args = parser.parse_args()
    times = measure(args.runs)
    wall = {name: statistics.median(w for w, _ in t) for name, t in times.items()}
    cpu = {name: statistics.median(c for _, c in t) for name, t in times.items()}
    floor_wall, floor_cpu = next(iter(wall.values())), next(iter(cpu.values()))
    print(f"median of {args.runs} starts each (after one warm-up), Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}")
    print(f"{'command':<48} {'wall':>8} {'fastest':>8} {'vs floor':>9} {'cpu':>8} {'vs floor':>9}")
    for name in times:
        fastest = min(w for w, _ in times[name])
        print(f"{name:<48} {wall[name] * 1000:>6.0f}ms {fastest * 1000:>6.0f}ms {wall[name] / floor_wall:>8.2f}× "
              f"{cpu[name] * 1000:>6.0f}ms {cpu[name] / floor_cpu:>8.2f}×")


if __name__ == "__main__":
    main()
