"""Every built-in plan type's example made for units of every level, as a clerk makes them: only the unit
changed (name, kind, parent), years 2025 to 2027, one and several deputies; through the command line's
generator and through the web form (a new draft posted with the unit changed, then its .docx downloaded).
Writes each plan's text to OUT/<type>/<unit>-<year>-<deputies>-<cli|web>.txt (or the refusal), so a reader
can read them as the official who signs them.

    PYTHONPATH=src:plugins/survey-report python bench/level_corpus.py OUT [--no-web]
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import docx
import yaml

from plangen import api, plugins
from plangen.errors import InputError
from plangen.web.core import this_year

UNITS: dict[str, dict[str, str]] = {
    "县": {"name": "青山县", "parent": "宣城市"},
    "县级市": {"name": "宁国市", "kind": "市", "parent": "宣城市"},
    "区": {"name": "宣州区", "parent": "宣城市"},
    "镇": {"name": "梅渚镇", "parent": "郎溪县"},
    "乡": {"name": "石门乡", "parent": "青山县"},
    "街道": {"name": "南湖街道", "parent": "宣州区"},
    "社区": {"name": "南苑社区", "parent": "梅渚镇"},
    "村": {"name": "桃园村", "parent": "石门乡"},
    "部门": {"name": "郎溪县民政局", "parent": "郎溪县"},
}
YEARS = (2025, 2026, 2027)


def docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += ["\t".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join(parts)


def with_deputies(data: dict[str, Any], several: bool) -> dict[str, Any]:
    """One deputy (the example's first) or several (the example's and one more member)."""
    lead = data.get("leadership")
    if not isinstance(lead, dict) or not lead.get("deputies"):
        return data
    deputies = list(lead["deputies"])[:1]
    if several:
        deputies += [*list(lead["deputies"])[1:], "林晓东"]
    return {**data, "leadership": {**lead, "deputies": deputies}}


def cli_corpus(out: Path) -> int:
    made = 0
    for name, kind in plugins.get_registry().plan_types.items():
        assert kind.example
        for year in YEARS:
            moved = yaml.safe_load(this_year(kind.example, date(year, 1, 1)))
            for label, unit in UNITS.items():
                for several in (False, True):
                    data = with_deputies({**moved, "type": name, "unit": unit}, several)
                    target = out / name / f"{label}-{year}-{'多' if several else '一'}-cli.txt"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        path = api.generate(data, out / "docx" / target.stem)
                    except InputError as err:
                        target.write_text("拒绝：" + str(err), encoding="utf-8")
                        continue
                    target.write_text(docx_text(path), encoding="utf-8")
                    made += 1
    return made


def web_corpus(out: Path) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from starlette.testclient import TestClient
    from webforms import BASE, csrf_of, form_pairs, make_draft

    from plangen.web import app as webapp

    made = 0
    client = TestClient(webapp.build_app(out / "webdata"), raise_server_exceptions=False, base_url=BASE)
    for name in plugins.get_registry().plan_types:
        for label, unit in UNITS.items():
            r = make_draft(client, name)
            url, html = str(r.url.path), r.text
            changes = {f"unit.{k}": v for k, v in unit.items()}
            pairs = [(k, changes.pop(k) if k in changes else v) for k, v in form_pairs(html)] + list(changes.items())
            posted = client.post(url, data=dict(pairs), headers={"X-CSRF-Token": csrf_of(html)})
            target = out / name / f"{label}-web.txt"
            got = client.get(url + "/plan.docx")
            if got.status_code != 200:
                target.write_text(f"拒绝（{got.status_code}）：" + posted.text[-3000:], encoding="utf-8")
                continue
            path = out / "docx" / f"{name}-{label}-web.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(got.content)
            target.write_text(docx_text(path), encoding="utf-8")
            made += 1
    return made


def main() -> None:
    out = Path(sys.argv[1])
    began = time.perf_counter()
    cli = cli_corpus(out)
    web = 0 if "--no-web" in sys.argv else web_corpus(out)
    print(f"{cli} plans by the generator, {web} by the web form, {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
