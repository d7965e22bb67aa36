"""Cold start of plangen against the floor of importing its dependencies, side by side in one run.

Why: a user runs ``plangen`` one file at a time far more often than in a batch, so process start-up
is what they wait for. The absolute times on a shared machine move a lot from minute to minute;
the ratios to the floor, measured interleaved in the same run, are what to compare.

    python bench/coldstart.py            # medians of 11 starts each, after one untimed warm-up
    python bench/coldstart.py -n 21
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hygiene-month.yaml"
FLOOR = "import pydantic, jinja2, click, yaml, pluggy"


def commands(out: Path) -> dict[str, list[str]]:
    """The three measured commands; each is a fresh interpreter, as a user's shell starts it."""
    py = sys.executable
    return {
        "floor (import pydantic, jinja2, click, yaml, pluggy)": [py, "-c", FLOOR],
        "plangen --help": [py, "-m", "plangen", "--help"],
        "plangen generate samples/hygiene-month.yaml": [py, "-m", "plangen", "-q", "generate", str(SAMPLE), "-o", str(out)],
    }


def once(argv: list[str]) -> float:
    """Wall time of one process start to exit, in seconds; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def measure(runs: int) -> dict[str, list[float]]:
    """Interleave the commands round by round so a burst of load hits all of them alike."""
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(Path(tmp))
        for argv in cmds.values():  # warm-up: bytecode compiled, files in the page cache
            once(argv)
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, argv in cmds.items():
                times[name].append(once(argv))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", "--runs", type=int, default=11, help="timed starts of each command (default 11)")
    args = parser.parse_args()
    times = measure(args.runs)
    medians = {name: statistics.median(t) for name, t in times.items()}
    floor = next(iter(medians.values()))
    print(f"median of {args.runs} starts each (after one warm-up), Python {sys.version.split()[0]}")
    print(f"{'command':<48} {'median':>9} {'fastest':>9} {'vs floor':>9}")
    for name, median in medians.items():
        print(f"{name:<48} {median * 1000:>7.0f}ms {min(times[name]) * 1000:>7.0f}ms {median / floor:>8.2f}×")


if __name__ == "__main__":
    main()
