"""plangen batch benchmark: plans per second against a packaging floor, python-docx and docxtpl.

Run in one go from the repository root (after ``pip install -e '.[bench]'``):

    python bench/bench.py              # 1,000 community plans of the sample type
    python bench/bench.py --quick      # 200 plans, for a first look
    python bench/bench.py --memory 10000   # also: peak memory of a 10,000-row batch

Every contender makes the same plans (the sample roster's 20 communities, repeated with numbered
names) and writes one .docx file per plan:

- plangen batch --jobs 1 / --jobs N: the real command in a fresh process; its own timer (from reading
  the roster to the last file written, index included; interpreter start-up excluded);
- packaging floor: the parts of a generated plan written as a zip per plan, no generation at all;
- python-docx: the same text built the way a user writes it by hand, Document() and add_paragraph,
  fonts set on every run (w:eastAsia too), page margins set;
- docxtpl: the same text rendered from a Word template made here with python-docx.

The text for python-docx and docxtpl is prepared by plangen beforehand and not timed, so they only
pay for building and saving the document. plangen and the floor are medians of --repeat runs (the
slow contenders run once); compare ratios, they travel between machines better than plans/s.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BASE = SAMPLES / "hygiene-month.yaml"
ROSTER = SAMPLES / "communities.csv"
CN = "〇一二三四五六七八九"
# Child processes compile and keep bytecode, as a `pip install` leaves it; a shell that sets
# PYTHONDONTWRITEBYTECODE would otherwise make every start recompile plangen's sources.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def numbered(name: str, n: int) -> str:
    """东街社区 → 东街三社区: unique names that still read as community names."""
    digits = "".join(CN[int(d)] for d in str(n))
    return name.removesuffix("社区") + digits + "社区"


def make_roster(path: Path, rows: int) -> Path:
    with ROSTER.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        sample = list(reader)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(rows):
            row = list(sample[i % len(sample)])
            row[0] = numbered(row[0], i // len(sample) + 1)
            writer.writerow(row)
    return path


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def plangen_exe() -> list[str]:
    return [sys.executable, "-m", "plangen"]


# ---- contenders ---------------------------------------------------------------------------------------

_runs = itertools.count(1)


def fresh_dir(out: Path) -> Path:
    """A folder no run has used. Deleting the previous run's 1,000 files just before a timed run
    bills that deletion (ext4 with online discard) to the run: it cost 1 ms of kernel time per file
    written here. Everything is deleted once, after the last measurement."""
    return out.with_name(f"{out.name}-{next(_runs)}")


def run_plangen(roster: Path, out: Path, jobs: int) -> float:
    """Seconds plangen batch reports for the whole roster (fresh output folder, fresh process)."""
    out = fresh_dir(out)
    proc = subprocess.run(
        [*plangen_exe(), "-q", "batch", str(roster), "--base", str(BASE), "-o", str(out), "--jobs", str(jobs), "--json"],
        capture_output=True, text=True, check=False, env=ENV,
    )
    if proc.returncode != 0:
        raise SystemExit(f"plangen batch failed ({proc.returncode}):\n{proc.stderr}")
    return float(json.loads(proc.stdout)["seconds"])


def run_floor(sample_docx: Path, out: Path, rows: int) -> float:
    """Write the parts of one generated plan as ``rows`` zip files: what any .docx writer must pay."""
    with zipfile.ZipFile(sample_docx) as zf:
        parts = [(info.filename, zf.read(info)) for info in zf.infolist()]
    out = fresh_dir(out)
    out.mkdir(parents=True)
    start = time.perf_counter()
    for i in range(rows):
        with zipfile.ZipFile(out / f"{i}.docx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts:
                zf.writestr(name, data)
    return time.perf_counter() - start


def plan_texts(roster: Path, rows: int) -> list[list[tuple[str, Any]]]:
    """What each plan says, block by block, as plain data (prepared by plangen, not timed)."""
    from plangen import api
    from plangen.batch.mapping import merge_row
    from plangen.batch.options import BatchOptions
    from plangen.batch.setup import prepare
    from plangen.document import (
        Heading,
        PageBreak,
        Paragraph,
        Roster,
        Signature,
        Table,
        Title,
    )
    from plangen.gbt9704.numbering import heading_numbers
    from plangen.plugins import get_registry
    from plangen.writer.title import title_lines

    registry = get_registry()
    setup = prepare(BatchOptions(roster=roster, base=BASE, output=Path(".")), registry)
    job, reader = setup.job, setup.roster
    texts = []
    for row in reader.rows():
        if len(texts) == rows:
            break
        plan = api.plan_from_mapping(merge_row(job.base, row.cells, job.columns), registry=registry)
        doc = api.build_document(plan, registry=registry)
        numbers = iter(heading_numbers(doc.blocks))
        blocks: list[tuple[str, Any]] = []
        run_in: list[tuple[str, bool]] = []
        for block in doc.blocks:
            if run_in and isinstance(block, Paragraph):  # levels 3-4 run into their paragraph, as plangen writes them
                blocks.append(("body", run_in + [(r.text, r.bold) for r in block.runs]))
                run_in = []
                continue
            if run_in:
                blocks.append(("body", run_in))
                run_in = []
            if isinstance(block, Title):
                blocks.append(("title", title_lines(block.text, block.breaks)))
            elif isinstance(block, Heading) and block.level >= 3:
                label = next(numbers) + block.text
                run_in = [(label if label.endswith(("。", "：")) else label + "。", block.level == 3)]
            elif isinstance(block, Heading):
                blocks.append((f"h{block.level}", next(numbers) + block.text))
            elif isinstance(block, Paragraph):
                blocks.append(("body", [(r.text, r.bold) for r in block.runs]))
            elif isinstance(block, Roster):
                blocks.extend(("body", [(f"{label}：{names}", False)]) for label, names in block.lines)
            elif isinstance(block, Table):
                blocks.append(("table", [block.header, *block.rows]))
            elif isinstance(block, Signature):
                blocks += [("body", [("", False)]), ("right", block.signer), ("right", block.date)]
            elif isinstance(block, PageBreak):
                blocks.append(("page", None))
        texts.append(blocks)
    reader.close()
    return texts


FONTS = {"title": "方正小标宋简体", "h1": "黑体", "h2": "楷体_GB2312", "body": "仿宋_GB2312"}


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page(document: Any) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _format(paragraph: Any, kind: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    if kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(32)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(32)


def build_python_docx(blocks: list[tuple[str, Any]], path: Path) -> None:
    """A plan the way a user builds it by hand with python-docx."""
    from docx import Document

    document = Document()
    _page(document)
    for kind, value in blocks:
        if kind == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            table.style = "Table Grid"
            for r, cells in enumerate(value):
                for c, text in enumerate(cells):
                    _font(table.cell(r, c).paragraphs[0].add_run(text), FONTS["body"], 14)
            continue
        if kind == "page":
            document.add_page_break()
            continue
        paragraph = document.add_paragraph()
        _format(paragraph, kind)
        if kind == "title":
            for i, line in enumerate(value):
                run = paragraph.add_run(line)
                _font(run, FONTS["title"], 22)
                if i < len(value) - 1:
                    run.add_break()
        elif kind in ("h1", "h2", "h3", "h4", "right"):
            _font(paragraph.add_run(value), FONTS.get(kind, FONTS["body"]), 16, bold=kind == "h3")
        else:
            for text, bold in value:
                _font(paragraph.add_run(text), FONTS["body"], 16, bold=bold)
    document.save(str(path))


def run_python_docx(texts: list[list[tuple[str, Any]]], out: Path) -> float:
    out = fresh_dir(out)
    out.mkdir(parents=True)
    start = time.perf_counter()
    for i, blocks in enumerate(texts):
        build_python_docx(blocks, out / f"{i}.docx")
    return time.perf_counter() - start


def make_docxtpl_template(path: Path) -> None:
    """A Word template for docxtpl, made with python-docx: one styled paragraph per kind of block."""
    from docx import Document

    document = Document()
    _page(document)

    def para(kind: str, *runs: tuple[str, str, float, bool]) -> None:
        paragraph = document.add_paragraph()
        _format(paragraph, kind)
        for text, font, size, bold in runs:
            _font(paragraph.add_run(text), font, size, bold)

    body = FONTS["body"]
    para("title", ("{{ title }}", FONTS["title"], 22, False))
    para("body", ("", body, 16, False))
    para("body", ("{%p for b in blocks %}", body, 16, False))
    para("body", ("{%p if b.kind == 'h1' %}", body, 16, False))
    para("h1", ("{{ b.text }}", FONTS["h1"], 16, False))
    para("body", ("{%p elif b.kind == 'h2' %}", body, 16, False))
    para("h2", ("{{ b.text }}", FONTS["h2"], 16, False))
    para("body", ("{%p elif b.kind == 'right' %}", body, 16, False))
    para("right", ("{{ b.text }}", body, 16, False))
    para("body", ("{%p else %}", body, 16, False))
    para("body", ("{{ b.head }}", body, 16, True), ("{{ b.text }}", body, 16, False))
    para("body", ("{%p endif %}", body, 16, False))
    para("body", ("{%p endfor %}", body, 16, False))
    document.save(str(path))


def docxtpl_context(blocks: list[tuple[str, Any]]) -> dict[str, Any]:
    from docxtpl import Listing

    title = ""
    items = []
    for kind, value in blocks:
        if kind == "title":
            title = Listing("\n".join(value))
        elif kind in ("h1", "h2", "right"):
            items.append({"kind": kind, "text": value, "head": ""})
        elif kind in ("h3", "h4"):
            items.append({"kind": "body", "head": value, "text": ""})
        elif kind == "body":
            head = "".join(t for t, bold in value if bold)
            items.append({"kind": "body", "head": head, "text": "".join(t for t, bold in value if not bold)})
        elif kind == "table":
            items.extend({"kind": "body", "head": "", "text": "\t".join(r)} for r in value)
    return {"title": title, "blocks": items}


def run_docxtpl(texts: list[list[tuple[str, Any]]], out: Path) -> float:
    from docxtpl import DocxTemplate

    out = fresh_dir(out)
    out.mkdir(parents=True)
    template = out / "template.docx"
    make_docxtpl_template(template)
    contexts = [docxtpl_context(blocks) for blocks in texts]
    start = time.perf_counter()
    for i, context in enumerate(contexts):
        tpl = DocxTemplate(str(template))
        tpl.render(context)
        tpl.save(str(out / f"{i}.docx"))
    return time.perf_counter() - start


def cold_start(out: Path, runs: int) -> tuple[float, float]:
    """(median, fastest) wall time of a single ``plangen generate`` in a fresh process, after one
    untimed run that leaves bytecode behind, as installing does."""
    command = [*plangen_exe(), "-q", "generate", str(BASE), "-o", f"{out}/"]
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    times = []
    for _ in range(runs):
        command[-1] = f"{fresh_dir(out)}/"
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def peak_memory(roster: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """(seconds, peak RSS of the parent, peak RSS summed over parent and workers) in MB, sampled."""
    import psutil

    out = fresh_dir(out)
    start = time.perf_counter()
    proc = psutil.Popen([*plangen_exe(), "-q", "batch", str(roster), "--base", str(BASE), "-o", str(out), "--jobs", str(jobs)],
                        env=ENV)
    parent_peak = tree_peak = 0
    while proc.poll() is None:
        try:
            rss = proc.memory_info().rss
            total = rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.Error:
            continue
        parent_peak, tree_peak = max(parent_peak, rss), max(tree_peak, total)
        time.sleep(0.02)
    if proc.returncode != 0:
        raise SystemExit(f"plangen batch failed ({proc.returncode})")
    return time.perf_counter() - start, parent_peak / 2**20, tree_peak / 2**20


# ---- the table ----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000, help="plans per contender (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender; the median is reported (default 3)")
    parser.add_argument("--quick", action="store_true", help="200 plans, one run each")
    parser.add_argument("--memory", type=int, metavar="ROWS", help="also measure peak memory of a batch of ROWS rows")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat = 200, 1
    n = cores()
    work = Path(tempfile.mkdtemp(prefix="plangen-bench-"))
    try:
        roster = make_roster(work / "roster.csv", args.rows)
        print(f"plangen benchmark: {args.rows} plans of hygiene-month, {n} cores, load {os.getloadavg()[0]:.2f}, "
              f"plangen and floor: median of {args.repeat} runs", file=sys.stderr)

        def median(fn: Any) -> float:
            return statistics.median(fn() for _ in range(args.repeat))

        one = median(lambda: run_plangen(roster, work / "one", 1))
        sample = next(work.glob("one-*/*.docx"))
        many = median(lambda: run_plangen(roster, work / "many", n)) if n > 1 else one
        floor = median(lambda: run_floor(sample, work / "floor", args.rows))
        texts = plan_texts(roster, args.rows)
        # 20-70× slower than plangen: one run of all the plans is enough to place them
        pdocx = run_python_docx(texts, work / "python-docx")
        tpl = run_docxtpl(texts, work / "docxtpl")
        cold, fastest = cold_start(work / "cold", 11)
        rate = {k: args.rows / v for k, v in
                {"one": one, "many": many, "floor": floor, "python-docx": pdocx, "docxtpl": tpl}.items()}

        rows = [
            ("plangen batch --jobs 1", rate["one"], "1.00×"),
            (f"plangen batch --jobs {n} (all cores)", rate["many"], f"{rate['many'] / rate['one']:.2f}×"),
            ("packaging floor (zip the same parts, 1 core)", rate["floor"], f"{rate['floor'] / rate['one']:.2f}×"),
            ("python-docx by hand (1 core)", rate["python-docx"], f"{rate['python-docx'] / rate['one']:.3f}×"),
            ("docxtpl template (1 core)", rate["docxtpl"], f"{rate['docxtpl'] / rate['one']:.3f}×"),
        ]
        print(f"\n| {'contender':<46} | {'plans/s':>8} | {'vs plangen -j1':>14} |")
        print(f"|{'-' * 48}|{'-' * 9}:|{'-' * 15}:|")
        for label, value, ratio in rows:
            print(f"| {label:<46} | {value:>8.0f} | {ratio:>14} |")
        print(f"| {'plangen generate, cold start (median of 11)':<46} | {cold:>7.2f}s | {f'fastest {fastest:.2f}s':>14} |")

        checks = [
            (f"one core ≥ 150 plans/s: {rate['one']:.0f}", rate["one"] >= 150),
            (f"≥ 5× python-docx: {rate['one'] / rate['python-docx']:.1f}×", rate["one"] >= 5 * rate["python-docx"]),
            (f"≥ 3× docxtpl: {rate['one'] / rate['docxtpl']:.1f}×", rate["one"] >= 3 * rate["docxtpl"]),
            (f"≤ 3× the packaging floor: {rate['floor'] / rate['one']:.2f}×", rate["floor"] <= 3 * rate["one"]),
            (f"all cores ≥ 1.7× one core: {rate['many'] / rate['one']:.2f}×", n == 1 or rate["many"] >= 1.7 * rate["one"]),
            (f"cold start < 0.6 s: {cold:.2f} s", cold < 0.6),
        ]
        print()
        for text, ok in checks:
            print(f"{'PASS' if ok else 'MISS'}  {text}")
        if args.memory:
            big = make_roster(work / "big.csv", args.memory)
            seconds, parent, tree = peak_memory(big, work / "big", n)
            print(f"\n{args.memory} rows, --jobs {n}: {seconds:.1f} s, peak RSS {parent:.0f} MB (main process), "
                  f"{tree:.0f} MB (main + workers)")
            print(f"{'PASS' if tree < 500 else 'MISS'}  10,000-row batch under 500 MB: {tree:.0f} MB")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
