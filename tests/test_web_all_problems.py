"""The form shows every problem at once, each beside its field(s), over HTTP: a validator that checks several
independent things reports all it finds (plangen.inputs.fields.Problems), not the first."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.testclient import TestClient
from webforms import BASE, csrf_of, form_pairs, make_draft

from plangen.web import app as webapp

pytestmark = pytest.mark.chinese


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)


def post(client: TestClient, **changes: str) -> str:
    """The draft's form posted with ``changes``; the page answered."""
    r = make_draft(client)
    pairs = [(k, changes.get(k, v)) for k, v in form_pairs(r.text)]
    answer = client.post(str(r.url.path), data=dict(pairs), headers={"X-CSRF-Token": csrf_of(r.text)})
    assert answer.status_code == 200, answer.text
    return answer.text


def problems(page: str) -> list[tuple[str, str, str]]:
    """(field, fields beside which it shows, message) of each problem listed on the page."""
    return [(f, fs, html.unescape(re.sub(r"<[^>]+>", "", m)))
            for f, fs, m in re.findall(r'<li data-field="([^"]*)" data-fields="([^"]*)">(.*?)</li>', page)]


def test_two_independent_mistakes_between_fields_are_shown_at_once_each_beside_its_fields(client: TestClient) -> None:
    year = date.today().year
    page = post(client, edition="30", **{"report.deadline": f"{year}-03-01"})  # a wrong 届次 and a deadline before the month
    found = problems(page)
    assert 'data-problems="2"' in page, found
    by_field = {fs: m for _, fs, m in found}
    edition = next(m for fs, m in by_field.items() if "edition" in fs.split())
    deadline = next(m for fs, m in by_field.items() if "report.deadline" in fs.split())
    assert "30" in edition and str(year) in edition
    assert f"{year}-03-01" in deadline or "3月1日" in deadline
    # the deadline is a problem between two fields: shown beside both
    assert any({"report.deadline", "dates.start"} <= set(fs.split()) for fs in by_field)


def test_a_body_of_the_other_level_typed_in_the_form_is_asked_about_beside_its_field(client: TestClient) -> None:
    page = post(client, **{"cooperating[2]": "村卫生室"})
    found = problems(page)
    assert [f for f, _, _ in found] == ["cooperating[2]"], found
    assert "村卫生室" in found[0][2] and "社区卫生服务站" in found[0][2]


def test_a_village_draft_from_the_example_needs_nothing_more(client: TestClient) -> None:
    page = post(client, **{"unit.name": "桃园村", "unit.parent": "石门乡"})
    assert 'data-problems="0"' in page, problems(page)
    # the preview (the answer to the post) names the 村's bodies where the example named the 社区's
    assert "村卫生室" in page and "村党组织书记" in page
    assert [w for w in ("社区卫生服务站", "社区居委会", "社区党委", "居民小组") if w in page] == []


def test_a_shared_date_mistake_and_a_plan_type_mistake_come_together_each_beside_its_fields(client: TestClient) -> None:
    """The 成文日期 after the period is the shared model's check, the 届次 the plan type's: pydantic would
    stop at the first; both are cross checks (plangen.inputs.fields.cross_check) and come at once."""
    year = date.today().year
    page = post(client, edition="30", **{"dates.issued": f"{year}-05-25"})
    found = problems(page)
    assert 'data-problems="2"' in page, found
    by_fields = {frozenset(fs.split()): m for _, fs, m in found}
    # each beside every field it is about (the form's script puts it there; the browser test sees it)
    issued = by_fields[frozenset({"dates.issued", "dates.end"})]
    edition = by_fields[frozenset({"edition", "year"})]
    assert f"{year}-05-25" in issued and f"{year}-04-30" in issued
    assert "30" in edition and f"第{year - 1988}个" in edition
