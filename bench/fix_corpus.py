"""plangen fix on the real documents of tests/fix_corpus/real, in every shape they are tested in.

    python bench/fix_corpus.py          # one line per document and shape that is not fit to file, then totals
    python bench/fix_corpus.py -v       # the differences of each

Prints how many come out fit to file (structure as expected, no ``plangen check`` finding fix could
have fixed, no OOXML error, no Han character or digit lost), the findings left, and the slowest fix
(target: every real document within 1 s).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fix_corpus import real_shapes, scorecard  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    from plangen.fix import fix_document

    fix_document("warm.txt", "标题\n正文。\n".encode())
    outcomes = [scorecard.run(stem, shape) for stem, shape in real_shapes.cases()]
    for o in outcomes:
        if not o.fit:
            print(f"{o.name}: {len(o.differences)} differences, {len(o.findings)} findings, {len(o.ooxml)} OOXML errors"
                  + (f", lost {o.lost!r}" if o.lost else ""))
            if args.verbose:
                for line in o.differences + o.findings + o.ooxml:
                    print("    " + line)
    import time

    from plangen.gbt9704.tables import column_widths

    table = real_shapes.long_table_docx(56)
    start = time.perf_counter()
    fixed = fix_document("table.docx", table)
    whole = time.perf_counter() - start
    (grid,) = [b for b in fixed.document.blocks if b.__class__.__name__ == "Table"]
    start = time.perf_counter()
    column_widths.__wrapped__(grid.header, grid.rows) if hasattr(column_widths, "__wrapped__") else column_widths(grid.header, grid.rows)  # type: ignore[attr-defined]
    widths = time.perf_counter() - start
    print(f"56-row table with 14 merged cells: fixed in {whole * 1000:.0f} ms, column widths in {widths * 1000:.0f} ms (target < 100 ms)")
    fit = sum(o.fit for o in outcomes)
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"{len(outcomes)} documents ({len(real_shapes.TEXTS)} texts × 2 shapes): {fit} fit to file; "
          f"{sum(len(o.findings) for o in outcomes)} check findings; {sum(len(o.ooxml) for o in outcomes)} OOXML errors; "
          f"{sum(bool(o.lost) for o in outcomes)} lose text; slowest {slowest.name} {slowest.seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
