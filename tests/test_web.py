"""``plangen serve`` over HTTP: every route, the token and session, CSRF, hostile uploads, errors.

The pages are in Chinese, as staff see them (these tests run in the default language)."""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import zipfile
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import yaml
from docx import Document as Docx
from starlette.routing import Route
from starlette.testclient import TestClient
from webforms import BASE, csrf_of, form_pairs, make_draft

from plangen import api
from plangen.plugins import get_registry
from plangen.web import app as webapp
from plangen.web import forms
from plangen.web.store import MIGRATIONS, Store, StoreError

pytestmark = pytest.mark.chinese
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "office-token-2024"
Y = date.today().year  # a new draft starts in the current year


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)


def new_draft(client: TestClient, kind: str = "hygiene-month") -> tuple[str, str]:
    """A fresh draft of ``kind``: (its URL, its page)."""
    r = make_draft(client, kind)
    assert r.status_code == 200
    return str(r.url.path), r.text


def post_form(client: TestClient, url: str, html: str, **changes: str) -> str:
    pairs = [(k, changes.pop(k) if k in changes else v) for k, v in form_pairs(html)] + list(changes.items())
    r = client.post(url, data=dict(pairs), headers={"X-CSRF-Token": csrf_of(html)})
    assert r.status_code == 200, r.text
    return r.text


def no_trace(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "/site-packages/" not in text and str(ROOT) not in text


def test_home_lists_every_plan_type_in_chinese_with_links(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for kind in get_registry().plan_types.values():
        assert kind.title in r.text and f'href="/new/{kind.name}"' in r.text
    assert "编写方案" in r.text and "最近的草稿" in r.text and "打开输入文件" in r.text
    assert '<script src="/static/htmx.min.js">' in r.text and "unpkg" not in r.text and "cdn" not in r.text.lower()
    assert client.get("/static/htmx.min.js").status_code == 200


@pytest.mark.parametrize("kind", sorted(get_registry().plan_types))
def test_every_plan_types_form_comes_from_its_model_and_posts_back_its_example(client: TestClient, kind: str) -> None:
    """The form is read as a browser posts it; what comes back validates as the example does."""
    url, html = new_draft(client, kind)
    plan_type = get_registry().plan_types[kind]
    for node in forms.model_nodes(plan_type.model):
        assert f">{node.label}<" in html  # Chinese labels from the aliases
    result = post_form(client, url, html)
    assert 'data-problems="0"' in result, result
    assert 'class="page"' in result and "— 1 —" in result
    # the draft now holds it: the saved mapping validates as a CLI input
    saved = client.get(url).text
    data = forms.form_to_mapping(forms.model_nodes(plan_type.model), form_pairs(saved))
    api.plan_from_mapping({"type": kind, **data})


def test_the_form_has_groups_rows_dates_and_selects(client: TestClient) -> None:
    _url, html = new_draft(client)
    assert '<legend>单位<span class="req" aria-hidden="true">*</span></legend>' in html and "<legend>领导小组</legend>" in html
    assert f'<input type="date" name="dates.issued" value="{Y}-03-25" id="dates.issued"' in html  # a new draft starts this year
    assert re.search(r'<select name="unit.kind"[^>]*>\s*<option value="">—</option>\s*<option value="省">', html)
    assert 'data-path="leadership.deputies"' in html and "__i1__" in html  # rows with a template of a new row
    assert 'name="tasks[1].extra"' in html and "<textarea" in html


def test_an_impossible_date_is_reported_beside_its_group_and_nothing_is_lost(client: TestClient) -> None:
    url, html = new_draft(client)
    result = post_form(client, url, html, **{"unit.name": "西河社区", "dates.start": f"{Y}-04-20", "dates.end": f"{Y}-04-02"})
    assert 'data-problems="1"' in result
    assert re.search(rf'<li data-field="dates" data-fields="[^"]*"><b>日期</b> [^<]*{Y}-04-02[^<]*{Y}-04-20', result)
    page = client.get(url).text  # a reload keeps what was typed, the wrong date too
    assert 'value="西河社区"' in page and f'name="dates.end" value="{Y}-04-02"' in page
    assert '<li data-field="dates"' in page
    fixed = post_form(client, url, page, **{"dates.end": f"{Y}-04-30"})
    assert 'data-problems="0"' in fixed and "西河社区" in fixed


def test_row_errors_name_the_row_the_form_has(client: TestClient) -> None:
    url, html = new_draft(client)
    result = post_form(client, url, html, **{"leadership.deputies[0].name": "", "leadership.deputies[0].post": "社区主任"})
    assert '<li data-field="leadership.deputies[0].name" data-fields="leadership.deputies[0].name"><b>领导小组 › 副组长 1 › 姓名</b>' in result


def test_docx_download_has_a_chinese_file_name_and_the_units_text(client: TestClient, tmp_path: Path) -> None:
    url, html = new_draft(client)
    post_form(client, url, html, **{"unit.name": "南湖社区"})
    r = client.get(url + "/plan.docx")
    assert r.status_code == 200
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="plan.docx"; filename*=UTF-8\'\'')
    name = urllib.parse.unquote(disposition.split("''", 1)[1])
    assert name.endswith(".docx") and "南湖社区" in name
    path = tmp_path / "plan.docx"
    path.write_bytes(r.content)
    text = "\n".join(p.text for p in Docx(str(path)).paragraphs)
    assert "南湖社区" in text
    assert client.get(url + "/plan.docx?notice=1").status_code == 422  # no issuer filled


def test_notice_version_when_the_issuer_is_filled(client: TestClient) -> None:
    url, html = new_draft(client)
    result = post_form(client, url, html, **{"issuer.body": "城关镇东街社区居民委员会", "issuer.number": "东社发〔2024〕3号"})
    assert "/plan.docx?notice=1" in result
    r = client.get(url + "/plan.docx?notice=1")
    assert r.status_code == 422 and "发文 › 印发机关" in r.text  # the CLI's own rule for a notice: what is missing
    page = client.get(url).text
    post_form(client, url, page, **{"issuer.addressees[0]": "各网格", "issuer.printer": "东街社区居民委员会", "issuer.printed": f"{Y}-03-25"})
    r = client.get(url + "/plan.docx?notice=1")
    assert r.status_code == 200 and "%E9%80%9A%E7%9F%A5" in r.headers["content-disposition"]  # 通知


def test_yaml_download_is_a_cli_input_and_opens_again(client: TestClient) -> None:
    url, html = new_draft(client)
    post_form(client, url, html, **{"unit.name": "北苑社区"})
    r = client.get(url + "/input.yaml")
    assert r.status_code == 200 and "filename*=UTF-8''" in r.headers["content-disposition"]
    data = yaml.safe_load(r.content)
    assert api.plan_from_mapping(data).data.unit.name == "北苑社区"
    opened = client.post("/open", files={"file": ("方案.yaml", r.content, "application/x-yaml")},
                         data={"csrf": csrf_of(html)}, follow_redirects=True)
    assert opened.status_code == 200 and 'value="北苑社区"' in opened.text and str(opened.url.path) != url


def test_a_chinese_keyed_yaml_opens_with_its_values(client: TestClient) -> None:
    _url, html = new_draft(client)
    text = (ROOT / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8")
    r = client.post("/open", files={"file": ("a.yaml", text.encode(), "text/yaml")}, data={"csrf": csrf_of(html)}, follow_redirects=True)
    assert r.status_code == 200 and "dates.issued" in r.text


def _upload(client: TestClient, html: str, content: bytes, name: str = "plan.yaml") -> tuple[int, str]:
    r = client.post("/open", files={"file": (name, content, "application/x-yaml")}, data={"csrf": csrf_of(html)})
    no_trace(r.text)
    return r.status_code, r.text


def test_hostile_uploads_are_refused_with_a_chinese_message(client: TestClient) -> None:
    _url, html = new_draft(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.yaml", b"a: " + b"0" * 50_000_000)
    status, text = _upload(client, html, buffer.getvalue(), "bomb.yaml")
    assert status == 400 and "不是输入文件" in text
    status, text = _upload(client, html, b"\x00\x01binary" * 100)
    assert status == 400 and "不是输入文件" in text
    laughs = b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
        b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((98 + i, 98 + i) + (97 + i,) * 9) for i in range(8)
    )
    status, text = _upload(client, html, b"type: hygiene-month\n" + laughs)
    assert status == 400 and "无法作为方案输入打开该文件" in text
    status, text = _upload(client, html, b"- just\n- a list\n")
    assert status == 400 and "无法作为方案输入打开该文件" in text
    status, text = _upload(client, html, b"type: no-such-type\n")
    assert status == 400
    status, text = _upload(client, html, b"x" * (3 * 1024 * 1024))
    assert status == 400 and "2 MB" in text


def test_a_body_over_20_mb_is_refused_before_it_is_read(client: TestClient) -> None:
    _url, html = new_draft(client)
    status, text = _upload(client, html, b"a" * (21 * 1024 * 1024))
    assert status == 413 and "20 MB" in text


def test_every_post_needs_the_csrf_token(client: TestClient) -> None:
    url, html = new_draft(client)
    posts = [r for r in client.app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]  # type: ignore[attr-defined]
    assert {r.path for r in posts} == {"/new/{name}", "/draft/{id}", "/open", "/batch", "/batch/{id}/run", "/check", "/fix", "/history/{id}/open", "/history/{id}/next",
                                        "/learn", "/learn/{id}/mark", "/learn/{id}/save"}
    for target in (url, "/open", "/new/hygiene-month", "/learn", "/learn/0123456789abcdef/mark", "/learn/0123456789abcdef/save"):
        for headers in ({}, {"X-CSRF-Token": "0" * 64}):
            r = client.post(target, data={"unit.name": "x"}, headers=headers)
            assert r.status_code == 403 and "安全令牌" in r.text
    # another session's token does not pass either
    other = TestClient(client.app, base_url=BASE)
    other_html = other.get("/").text
    r = client.post(url, data={"unit.name": "x"}, headers={"X-CSRF-Token": csrf_of(other_html)})
    assert r.status_code == 403


def test_the_token_gates_every_route_and_the_first_visit_sets_the_cookie(tmp_path: Path) -> None:
    app = webapp.build_app(tmp_path / "data", token=TOKEN)
    anon = TestClient(app, raise_server_exceptions=False, base_url=BASE)
    paths = ["/", "/new/hygiene-month", "/draft/1", "/draft/1/plan.docx", "/draft/1/input.yaml", "/fix", "/fix/" + "0" * 32 + "/fixed.docx", "/static/htmx.min.js", "/static/app.css"]
    for path in paths:
        r = anon.get(path, follow_redirects=False)
        assert r.status_code == 403 and "访问令牌" in r.text, path
    assert anon.post("/open", data={}).status_code == 403
    assert anon.get("/?token=wrong-token-1", follow_redirects=False).status_code == 403
    r = anon.get(f"/?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and TOKEN not in cookie
    assert anon.get("/").status_code == 200  # the client kept the cookie
    # a cookie signed for another token (or forged) is no session
    forged = TestClient(app, raise_server_exceptions=False, cookies={"plangen_session": "abc.def"}, base_url=BASE)
    assert forged.get("/").status_code == 403
    other = TestClient(webapp.build_app(tmp_path / "data", token="another-token-9"), raise_server_exceptions=False, base_url=BASE)
    other.cookies.set("plangen_session", cookie.split(";")[0].split("=", 1)[1])
    assert other.get("/").status_code == 403


def test_no_request_names_a_path_on_the_server(client: TestClient) -> None:
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fstore.py",
                 "/new/..%2f..%2fetc%2fpasswd", "/new/%2Fetc%2Fpasswd", "/draft/..%2f1", "/draft/-1", "/draft/1e3",
                 "/draft/99999999999999999999", "/templates/base.html", "/static/"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "没有这个页面" in r.text or r.status_code == 404
        no_trace(r.text)


def test_a_crash_shows_a_chinese_message_and_no_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    url, _html = new_draft(client)

    def boom(*args: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    from plangen.web import service

    monkeypatch.setattr(service, "checked", boom)
    r = client.get(url)
    assert r.status_code == 500 and "服务器出错" in r.text and "secret internals" not in r.text
    no_trace(r.text)
    assert "secret internals" in caplog.text  # the trace goes to the log


def test_errors_and_wrong_methods_are_chinese_pages(client: TestClient) -> None:
    assert "没有这个页面" in client.get("/nowhere").text
    r = client.put("/")
    assert r.status_code == 405 and "不能以这种方式" in r.text


def test_the_database_has_a_schema_version_and_refuses_a_newer_one(tmp_path: Path) -> None:
    store = Store(tmp_path)
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert Store(tmp_path).migrate() == len(MIGRATIONS)  # a second start changes nothing
    db.execute("UPDATE schema_version SET version = 99")
    db.commit()
    with pytest.raises(StoreError, match="newer plangen"):
        Store(tmp_path)


def test_form_names_the_model_does_not_have_are_ignored() -> None:
    nodes = forms.model_nodes(get_registry().plan_types["hygiene-month"].model)
    pairs = [("unit.name", "东街社区"), ("unit.evil", "x"), ("__class__", "x"), ("year", "2024"), ("tasks[0].kind", "health"),
             ("tasks[x].kind", "y"), ("tasks.kind", "z"), ("leadership.deputies[3].name", "甲"), ("dates.by_xun", "on")]
    assert forms.form_to_mapping(nodes, pairs) == {
        "unit": {"name": "东街社区"}, "year": 2024, "tasks": [{"kind": "health"}],
        "leadership": {"deputies": [{"name": "甲"}]}, "dates": {"by_xun": True},
    }


def _plangen(*args: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("PLANGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "PLANGEN_TOKEN")}
    return subprocess.run([sys.executable, "-m", "plangen", *args], capture_output=True, text=True, env=env, timeout=60)


def test_serve_refuses_the_network_without_a_token() -> None:
    done = _plangen("serve", "--host", "0.0.0.0", "--no-browser")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "访问令牌" in done.stderr and "0.0.0.0" in done.stderr


def test_help_does_not_import_the_web_stack() -> None:
    code = "import sys\nfrom plangen.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\nprint(' '.join(sys.modules), file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stderr.split())
    assert not loaded & {"starlette", "uvicorn", "multipart", "platformdirs", "plangen.web", "plangen.cli.serve"}


def test_every_template_string_has_its_chinese() -> None:
    from jinja2.ext import babel_extract

    build = pytest.importorskip("plangen.i18n.build")
    have = build.translated()
    folder = ROOT / "src" / "plangen" / "web" / "templates"
    wanted = []
    for template in sorted(folder.glob("*.html")):
        with open(template, "rb") as fh:
            for _line, _func, message, _comments in babel_extract(fh, ["_"], [], {}):
                wanted.append(message[0] if isinstance(message, tuple) else message)
    assert wanted and [m for m in wanted if m not in have] == []


def test_problems_are_named_by_the_fields_chinese_names() -> None:
    nodes = forms.model_nodes(get_registry().plan_types["hygiene-month"].model)
    assert forms.label_of(nodes, "leadership.deputies[1].post") == "领导小组 › 副组长 2 › 职务"
    assert forms.label_of(nodes, "tasks[0].departments[2]") == "任务 1 › 责任单位 3"
    assert forms.label_of(nodes, "dates") == "日期"
    assert forms.problem_path("dates.phases[2].end") == "dates.phases[1].end"
    assert forms.problem_path("theme（主题）") == "theme"
