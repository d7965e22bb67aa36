"""plangen fix benchmark: one 10-page document, and a folder of 200 documents on all cores.

Run from the repository root (``pip install -e '.[test]'``; the corpus builders live in tests/):

    python bench/fix.py            # one 10-page messy .docx (median of 20), then 200 files
    python bench/fix.py --files 50 # a smaller folder

The document is the clerk-typed .docx of the test corpus (python-docx default template, mixed
fonts, typed numbers, spaces for indentation), made from the seed parts until the fixed output is
ten pages by plangen's own page estimate. The one-document time is fix_document in this process
(read, recognise, write; import excluded); the folder time is the real ``plangen fix DIR -o OUT``
command in a fresh process, interpreter start-up included, with --jobs 1 and with all cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fix_corpus import build  # noqa: E402

from plangen.fix import fix_document  # noqa: E402
from plangen.gbt9704.page_estimate import estimate  # noqa: E402
from plangen.ooxml.reader import read  # noqa: E402


def ten_pages() -> tuple[bytes, int]:
    """A messy .docx whose fixed output is at least 10 pages."""
    lines = build.seed_lines(build.SEEDS[0])
    body = [line for seed in build.SEEDS for line in build.seed_lines(seed)[1:]]
    for n in range(20, len(body) + 1, 5):
        data = build.messy_docx(lines[:1] + body[:n])
        pages = estimate(read(fix_document("x.docx", data).data)).pages
        if pages >= 10:
            return data, pages
    raise SystemExit("the seeds do not make 10 pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    data, pages = ten_pages()
    fix_document("warm.docx", data)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        fix_document("x.docx", data)
        times.append(time.perf_counter() - start)
    print(f"one document: {pages} pages, {len(data) // 1024} KB in: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms (target < 1000 ms)")
    with tempfile.TemporaryDirectory(prefix="plangen-fix-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        corpus = [("docx", data)] + [(p.suffix[1:], p.read_bytes()) for p in build.SEEDS] + [("docx", build.table_docx()), ("docx", build.default_docx())]
        for i in range(args.files):
            suffix, content = corpus[i % len(corpus)]
            (folder / f"{i:03d}.{suffix}").write_bytes(content)
        for jobs in (1, os.cpu_count() or 1):
            out = Path(tmp) / f"out{jobs}"
            start = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "plangen", "-q", "fix", str(folder), "-o", str(out), "--jobs", str(jobs)],
                                 capture_output=True, text=True)
            wall = time.perf_counter() - start
            written = len(list(out.glob("*.docx")))
            assert written == args.files, run.stderr[-500:]
            print(f"{args.files} documents, --jobs {jobs}: {wall:.2f} s wall ({args.files / wall:.0f} documents/s), exit code {run.returncode}")
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
