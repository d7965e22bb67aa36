"""plangen learn benchmark: how long learning a plan type takes, and generating from it.

Run from the repository root (``pip install -e '.[test]'``):

    python bench/learn.py          # the eight test documents, median of 5 runs each

For each document of the learn tests (the seed's 篇二 and 篇三 typed into .docx, six public plans as
.txt): ``propose`` (read, recognise, find the fields) and ``write_folder``, in this process, imports
excluded; then the first generation from the learned folder (registry built, template compiled).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from seed_docs import write_all  # noqa: E402

from plangen import api  # noqa: E402
from plangen.declarative.emit import write_folder  # noqa: E402
from plangen.declarative.learn import propose  # noqa: E402
from plangen.plugins import build_registry  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = [*write_all(folder / "seed"), *sorted((ROOT / "tests" / "data" / "learn").glob("*.txt"))]
        print(f"{'document':<34} {'learn ms':>9} {'fields':>7} {'generate ms':>12}")
        for source in sources:
            times = []
            for i in range(5):
                start = time.perf_counter()
                learned = propose(source)
                out = write_folder(learned, folder / f"types{i}")
                times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            registry = build_registry([folder / "types0"], entry_points_too=True)
            api.generate(out / f"{learned.name}.example.yaml", folder / "out", registry=registry)
            generate_ms = (time.perf_counter() - start) * 1000
            print(f"{source.stem[:32]:<34} {statistics.median(times):>9.1f} {len(learned.fields):>7} {generate_ms:>12.1f}")


if __name__ == "__main__":
    main()
