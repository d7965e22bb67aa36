"""The web preview lays the title out as the .docx does: same lines, broken between words."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from plangen import api
from plangen.testing import docx as R
from plangen.web import html_pages

ROOT = Path(__file__).resolve().parent.parent


def test_the_preview_breaks_the_title_where_the_docx_does(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8"))
    data["unit"] = {"name": "青山社区", "parent": "河东街道"}
    data["year"] = 2025
    data.pop("edition", None)
    data["dates"] = {"start": "2025-04-01", "end": "2025-04-30", "issued": "2025-03-25"}
    data["report"]["deadline"] = "2025-05-06"
    plan = api.plan_from_mapping(data)
    html = str(html_pages.render(api.build_document(plan)))
    shown = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'class="[^"]*title[^"]*"[^>]*>(.*?)</', html)]
    docx = api.generate(data, tmp_path)
    printed = [p.text for p in R.paragraphs(docx) if p.style == "Title"][0].split("\n")
    assert len(printed) == 2 and printed[1].startswith("2025年第37个")  # the unit on one line, the kind on the next
    assert [s for s in shown if s.strip()] == printed
