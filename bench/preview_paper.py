"""How closely the web preview's lines and pages match LibreOffice's rendering of the same .docx.

    python bench/preview_paper.py            # every sample and 20 generated plans of every type
    python bench/preview_paper.py --per-type 3 --keep /tmp/out

Each plan is built once; the preview lays it out (plangen.web.html_pages) and LibreOffice prints the
.docx to PDF (soffice --headless --convert-to pdf, one call for all files). The PDF's lines are read
with ``pdftotext -bbox-layout``; lines set in the table size (14 pt, word boxes under 19.5 pt tall)
and the page numbers (— 1 —) are left out on both sides, as are the preview's table rows.

Two figures, for each plan and overall:
  lines  the share of LibreOffice's lines that end at the same character in the preview
  pages  the share of pages whose lines are exactly the preview's lines of the same page
A plan's text must be the same on both sides (else it is reported, and counted as a mismatch).
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from plangen import api  # noqa: E402
from plangen.errors import InputError  # noqa: E402
from plangen.inputs.nextyear import next_year  # noqa: E402
from plangen.web import html_pages  # noqa: E402

SAMPLES = [*sorted((ROOT / "samples").glob("*.yaml")), *sorted((ROOT / "plugins").glob("*/samples/*.yaml"))]
PREFIXES = ["青山", "白沙河", "桃", "凤凰岭", "东湖", "石门坎", "柳", "金鸡湖畔", "南塘", "红旗", "双溪", "云", "龙潭", "西关",
            "北坝", "长林", "新华", "杏花", "三里湾", "望江"]
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
BODY_HEIGHT = 19.5  # pt: a 16 pt body word box is 20.8 pt tall, a 14 pt table word 18.2 pt


@dataclass
class Result:
    name: str
    lines: int = 0
    same_lines: int = 0
    pages: int = 0
    same_pages: int = 0
    notes: list[str] = field(default_factory=list)


def _unit_key(data: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    for key in ("unit", "单位"):
        unit = data.get(key)
        if isinstance(unit, dict):
            for name in ("name", "名称"):
                if isinstance(unit.get(name), str):
                    return unit, name
    return None


def plans(per_type: int) -> list[tuple[str, dict[str, Any]]]:
    """Every sample, then ``per_type`` variants of each plan type: the unit's name with another place
    name, the year moved on 0 to 3 years (as ``plangen next`` moves it)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path in SAMPLES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((path.stem, data))
    seen: set[str] = set()
    for path in SAMPLES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = str(data.get("type") or data.get("类型"))
        if kind in seen:
            continue
        seen.add(kind)
        for i in range(per_type):
            text = path.read_text(encoding="utf-8")
            for _ in range(i % 4):  # 2024 to 2027: other dates, other festivals' days
                text = next_year(text)
            variant = yaml.safe_load(text)
            for key, value in data.items():  # what next year leaves for the clerk to write (the theme)
                if not variant.get(key):
                    variant[key] = value
            found = _unit_key(variant)
            if found:
                unit, key = found
                unit[key] = PREFIXES[i % len(PREFIXES)] + unit[key][2:]
            out.append((f"{path.stem}-{i + 1:02d}", variant))
    return out


def preview_pages(doc: Any) -> list[list[str]]:
    """The preview's body lines, page by page, as plain text without spaces."""
    pages: list[list[str]] = []
    for page in html_pages.paginate(doc):
        lines = []
        for line in page.lines:
            if line.css in ("row", "blank"):
                continue
            text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", str(line.html))))
            if text:
                lines.append(text)
        pages.append(lines)
    return pages


def pdf_pages(pdf: Path) -> list[list[str]]:
    """LibreOffice's body lines, page by page (table text and page numbers left out)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages: list[list[str]] = []
    for page in root.iterfind(".//x:page", ns):
        lines: list[str] = []
        for line in page.iterfind(".//x:line", ns):
            words = line.findall("x:word", ns)
            if not words or max(float(w.get("yMax", 0)) - float(w.get("yMin", 0)) for w in words) < BODY_HEIGHT:
                continue
            text = re.sub(r"\s+", "", "".join(w.text or "" for w in words))
            if text and not PAGE_NUMBER.match(text):
                lines.append(text)
        pages.append(lines)
    return pages


def _ends(lines: list[str]) -> list[int]:
    ends, pos = [], 0
    for text in lines:
        pos += len(text)
        ends.append(pos)
    return ends


HANGING = set("，。、．,.")  # LibreOffice may leave a mark hanging past the margin unpainted


def _paper_ends(paper: list[list[str]], stream: str) -> tuple[list[list[int]], str | None]:
    """Where each of the paper's lines ends in the preview's text (``stream``), page by page.

    A mark that hangs past the margin is sometimes not painted in LibreOffice's PDF: a mark of the
    stream missing at the end of a paper line is counted as that line's last character."""
    pos, out = 0, []
    for page in paper:
        ends = []
        for text in page:
            if not stream.startswith(text, pos):
                return out, f"text differs at {pos}: paper …{text[:20]}… preview …{stream[pos:pos + 20]}…"
            pos += len(text)
            if pos < len(stream) and stream[pos] in HANGING:
                pos += 1
            ends.append(pos)
        out.append(ends)
    if pos != len(stream):
        return out, f"paper ends at {pos} of {len(stream)}: preview goes on …{stream[pos:pos + 20]}…"
    return out, None


def compare(name: str, paper: list[list[str]], shown: list[list[str]]) -> Result:
    result = Result(name)
    result.lines = sum(len(p) for p in paper)
    result.pages = max(len(paper), len(shown))
    stream = "".join(t for p in shown for t in p)
    paper_ends, problem = _paper_ends(paper, stream)
    if problem:
        result.notes.append(problem)
        return result
    shown_ends = [_ends_from(shown, n) for n in range(len(shown))]
    flat_shown = {e for page in shown_ends for e in page}
    result.same_lines = sum(1 for page in paper_ends for e in page if e in flat_shown)
    result.same_pages = sum(1 for a, b in zip(paper_ends, shown_ends) if a == b)
    for n, (a, b) in enumerate(zip(paper_ends, shown_ends), 1):
        if a != b:
            result.notes.append(f"page {n}: paper {len(a)} lines, preview {len(b)}")
    if len(paper) != len(shown):
        result.notes.append(f"pages: paper {len(paper)}, preview {len(shown)}")
    return result


def _ends_from(pages: list[list[str]], page: int) -> list[int]:
    start = sum(len(t) for p in pages[:page] for t in p)
    return [start + e for e in _ends(pages[page])]


def measure(per_type: int, keep: Path | None = None) -> list[Result]:
    work = Path(tempfile.mkdtemp(prefix="preview-paper-"))
    try:
        built: list[tuple[str, list[list[str]], Path]] = []
        for name, data in plans(per_type):
            try:
                plan = api.plan_from_mapping(data)
                doc, data_bytes = api.render_docx(plan)
            except InputError as exc:
                print(f"{name}: not made ({exc})", file=sys.stderr)
                continue
            path = work / f"{name}.docx"
            path.write_bytes(data_bytes)
            built.append((name, preview_pages(doc), path))
        profile = (work / "lo-profile").as_uri()
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(work),
                        *[str(p) for _, _, p in built]], capture_output=True, check=True, timeout=1800)
        results = [compare(name, pdf_pages(path.with_suffix(".pdf")), shown) for name, shown, path in built]
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for _, _, path in built:
                for p in (path, path.with_suffix(".pdf")):
                    shutil.copy(p, keep / p.name)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def totals(results: list[Result]) -> tuple[float, float]:
    lines = sum(r.lines for r in results)
    pages = sum(r.pages for r in results)
    return (100 * sum(r.same_lines for r in results) / max(1, lines), 100 * sum(r.same_pages for r in results) / max(1, pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-type", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep the .docx and .pdf files here")
    parser.add_argument("--csv", type=Path, help="write one row per plan here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    results = measure(args.per_type, args.keep)
    for r in results:
        line_share = 100 * r.same_lines / max(1, r.lines)
        print(f"{r.name:32} lines {r.same_lines:4}/{r.lines:<4} {line_share:6.1f}%  pages {r.same_pages}/{r.pages}")
        if args.verbose:
            for note in r.notes:
                print("    " + note)
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["plan", "lines", "same_lines", "pages", "same_pages"])
            out.writerows([r.name, r.lines, r.same_lines, r.pages, r.same_pages] for r in results)
    line_pct, page_pct = totals(results)
    print(f"\n{len(results)} plans: {line_pct:.1f}% of lines break at the same character, {page_pct:.1f}% of pages hold the same lines")


if __name__ == "__main__":
    main()
