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
    preview = page[page.index('<div id="preview"'):]
    assert "村卫生室" in preview and "村党组织书记" in preview
    assert [w for w in ("社区卫生服务站", "社区居委会", "社区党委", "居民小组", "物业") if w in preview] == []


def test_a_village_draft_shows_the_villages_words_in_the_form_itself(client: TestClient) -> None:
    """The example's 社区 words left unchanged are set in the 村's words when the 村's name is saved: the answer
    lists each change for the form's inputs, and the saved draft holds the 村's words."""
    r = make_draft(client)
    changes = {"unit.name": "桃园村", "unit.parent": "石门乡", "cooperating[2]": "辖区中小学"}  # one the clerk typed
    pairs = [(k, changes.get(k, v)) for k, v in form_pairs(r.text)]
    answer = client.post(str(r.url.path), data=dict(pairs), headers={"X-CSRF-Token": csrf_of(r.text)}).text
    mended = {n: (html.unescape(o), html.unescape(v))
              for n, o, v in re.findall(r'<span data-name="([^"]+)" data-old="([^"]*)" data-value="([^"]*)">', answer)}
    assert mended["cooperating[0]"] == ("辖区物业服务企业", "驻村单位")
    assert mended["cooperating[1]"] == ("社区卫生服务站", "村卫生室")
    assert mended["leadership.leader.post"] == ("社区党委书记", "村党组织书记")
    assert mended["leadership.office.location"] == ("社区居委会", "村民委员会")
    assert "cooperating[2]" not in mended and "unit.name" not in mended
    assert "示例中的用语已按本单位改写" in answer
    form = dict(form_pairs(client.get(str(r.url.path)).text))  # the form as shown after a reload
    assert (form["cooperating[0]"], form["cooperating[1]"], form["cooperating[2]"]) == ("驻村单位", "村卫生室", "辖区中小学")
    assert form["leadership.leader.post"] == "村党组织书记" and form["leadership.deputies[0].post"] == "村委会主任"
    assert [v for v in form.values() if any(w in v for w in ("社区卫生服务站", "物业", "社区党委", "社区居委会"))] == []


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


def test_a_village_draft_of_the_towns_example_empties_what_only_a_town_has(client: TestClient) -> None:
    """The 大走访 example is a 镇's: its 牵头单位 镇创先办 and its pairing table of 镇 offices are left out for a
    村, whose plan then takes its level's defaults; the 镇's posts become the 村's."""
    page = client.get("/new/visit-campaign").text
    r = client.post("/new/visit-campaign", data={"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1)})
    changes = {"unit.name": "桃园村", "unit.parent": "石门乡"}
    pairs = [(k, changes.get(k, v)) for k, v in form_pairs(r.text)]
    answer = client.post(str(r.url.path), data=dict(pairs), headers={"X-CSRF-Token": csrf_of(r.text)}).text
    mended = {n: (html.unescape(o), html.unescape(v))
              for n, o, v in re.findall(r'<span data-name="([^"]+)" data-old="([^"]*)" data-value="([^"]*)">', answer)}
    assert mended["organiser"] == ("镇创先办", "") and mended["pairings[0].unit"] == ("镇党政办公室", "")
    assert mended["leadership.leader.post"] == ("镇党委书记", "村党组织书记")
    assert "已删去，按本单位层级取默认" in answer and 'data-problems="0"' in answer
    form = dict(form_pairs(client.get(str(r.url.path)).text))
    assert form.get("organiser", "") == "" and not [v for k, v in form.items() if k.startswith("pairings") and v]
    assert form["leadership.office.location"] == "村民委员会"


def test_an_empty_field_does_not_hide_the_mistakes_between_the_other_fields(client: TestClient) -> None:
    year = date.today().year
    page = post(client, theme="", edition="30", **{"dates.issued": f"{year}-05-25"})
    found = problems(page)
    assert 'data-problems="3"' in page, found
    assert [f for f, _, _ in found if f] == ["theme"]
    assert {frozenset(fs.split()) for _, fs, _ in found} >= {frozenset({"dates.issued", "dates.end"}), frozenset({"edition", "year"})}
