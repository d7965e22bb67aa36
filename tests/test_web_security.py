"""``plangen serve`` under attack and bad luck, over HTTP against the real app (issue: the 21 defects a
security review found). Each test fails on the app before the fix."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient
from webforms import BASE, csrf_of, form_pairs, make_draft

from plangen.web import app as webapp
from plangen.web import shield
from plangen.web.store import Store

pytestmark = pytest.mark.chinese
TOKEN = "office-token-2024"
EVIL = {"host": "evil.example:8000"}


def client_of(tmp_path: Path, **kwargs: Any) -> TestClient:
    return TestClient(webapp.build_app(tmp_path / "data", **kwargs), raise_server_exceptions=False, base_url=BASE)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return client_of(tmp_path)


def draft_of(client: TestClient) -> tuple[str, str]:
    r = make_draft(client)
    assert r.status_code == 200 and "/draft/" in r.url.path
    return r.url.path, r.text


def drafts(tmp_path: Path) -> int:
    return int(sqlite3.connect(tmp_path / "data" / "plangen.sqlite3").execute("SELECT count(*) FROM drafts").fetchone()[0])


def history_rows(tmp_path: Path) -> int:
    return int(sqlite3.connect(tmp_path / "data" / "plangen.sqlite3").execute("SELECT count(*) FROM generated").fetchone()[0])


# ---- 1: DNS rebinding --------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, TOKEN])
def test_another_host_name_is_refused_in_every_mode(tmp_path: Path, token: str | None) -> None:
    client = client_of(tmp_path, token=token)
    if token:
        assert client.get(f"/?token={token}").status_code == 200
    url, html = draft_of(client)
    for path in ("/", "/history", url, url + "/input.yaml", "/new/hygiene-month"):
        r = client.get(path, headers=EVIL)
        assert r.status_code == 421 and "启动时给出的链接" in r.text, path
        assert "set-cookie" not in r.headers and "X-CSRF-Token" not in r.text
    before = drafts(tmp_path)
    r = client.post("/new/hygiene-month", headers={**EVIL, "origin": "http://evil.example:8000", "X-CSRF-Token": csrf_of(html)})
    assert r.status_code == 421 and drafts(tmp_path) == before
    for name in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1"):
        assert client.get("/", headers={"host": name}).status_code == 200, name


def test_the_names_a_server_answers_follow_its_listening_address() -> None:
    loopback = shield.allowed_hosts("127.0.0.1")
    assert shield.host_allowed("localhost", loopback) and shield.host_allowed("127.0.0.1", loopback)
    assert not shield.host_allowed("192.168.1.20", loopback) and not shield.host_allowed("evil.example", loopback)
    office = shield.allowed_hosts("0.0.0.0")  # on the office network: its addresses by number, and its own name
    assert shield.host_allowed("192.168.1.20", office) and shield.host_allowed("fe80::1", office)
    assert not shield.host_allowed("evil.example", office) and not shield.host_allowed("127.0.0.1.evil.example", office)
    one = shield.allowed_hosts("10.0.0.5")
    assert shield.host_allowed("10.0.0.5", one) and not shield.host_allowed("attacker.example", one)
    assert shield.host_name("[::1]:8000") == "::1" and shield.host_name("Localhost:80") == "localhost"


def test_a_post_from_another_site_is_refused_before_its_body_is_read(client: TestClient, tmp_path: Path) -> None:
    url, html = draft_of(client)
    token = csrf_of(html)
    before = drafts(tmp_path)
    for headers in ({"origin": "http://evil.example"}, {"origin": "http://127.0.0.1:9999"}, {"origin": "null"},
                    {"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}):
        r = client.post("/new/hygiene-month", headers={**headers, "X-CSRF-Token": token})
        assert r.status_code == 403 and "来自其他网站" in r.text, headers
    assert drafts(tmp_path) == before
    ok = client.post("/new/hygiene-month", headers={"origin": BASE, "sec-fetch-site": "same-origin", "X-CSRF-Token": token})
    assert ok.status_code == 200 and drafts(tmp_path) == before + 1


# ---- 3: body and field caps, CSRF first -------------------------------------------------------------


def test_a_huge_form_is_refused_before_it_is_parsed(client: TestClient) -> None:
    url, html = draft_of(client)
    big = "unit.name=" + "东" * 1_500_000  # 13 MB urlencoded, one field
    r = client.post(url, content=big.encode(), headers={"content-type": "application/x-www-form-urlencoded",
                                                         "X-CSRF-Token": csrf_of(html)})
    assert r.status_code == 413 and "1 MB" in r.text
    # without a Content-Length (chunked), counted as it arrives
    r = client.post(url, content=iter([b"unit.name=" + b"a" * 600_000, b"a" * 600_000]),
                    headers={"content-type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf_of(html)})
    assert r.status_code == 413
    # a wrong CSRF header is refused before the body is looked at
    r = client.post(url, content=b"unit.name=x", headers={"content-type": "application/x-www-form-urlencoded", "X-CSRF-Token": "0" * 64})
    assert r.status_code == 403
    # one text field of a multipart form over 1 MB
    r = client.post("/open", data={"csrf": csrf_of(html), "note": "x" * (2 * 1024 * 1024)}, files={"file": ("a.yaml", b"type: x\n")})
    assert r.status_code == 400


# ---- 4: other cookies on the same host ---------------------------------------------------------------


@pytest.mark.parametrize("token", [None, TOKEN])
def test_other_cookies_on_the_host_do_not_lose_the_session(tmp_path: Path, token: str | None) -> None:
    client = client_of(tmp_path, token=token)
    if token:
        client.get(f"/?token={token}")
    url, html = draft_of(client)
    session = client.cookies.get("plangen_session")
    client.cookies.clear()
    cookie = f'prefs={{"theme":"dark"}}; note=a b; plangen_session={session}; x=1'
    r = client.get(url, headers={"cookie": cookie})
    assert r.status_code == 200
    pairs = dict(form_pairs(r.text))
    pairs["unit.name"] = "南湖社区"
    saved = client.post(url, data=pairs, headers={"cookie": cookie, "X-CSRF-Token": csrf_of(r.text)})
    assert saved.status_code == 200 and "南湖社区" in client.get(url, headers={"cookie": cookie}).text


# ---- 5: lost update -----------------------------------------------------------------------------------


def test_a_save_over_another_tabs_newer_one_is_refused_and_can_be_kept(client: TestClient) -> None:
    url, _html = draft_of(client)
    first, second = client.get(url).text, client.get(url).text  # two tabs on one draft
    a = dict(form_pairs(first))
    b = dict(form_pairs(second))
    assert a["_tab"] != b["_tab"]
    a["unit.name"] = "北关社区"
    assert client.post(url, data=a, headers={"X-CSRF-Token": csrf_of(first)}).status_code == 200
    a["theme"] = "清洁家园 健康生活"
    assert client.post(url, data=a, headers={"X-CSRF-Token": csrf_of(first)}).status_code == 200  # its own saves never conflict
    later = date.today().year + 3  # a year the new draft (which starts this year) does not have
    b["year"] = str(later)
    r = client.post(url, data=b, headers={"X-CSRF-Token": csrf_of(second)})
    assert r.status_code == 409 and "另一个标签页或窗口" in r.text
    page = client.get(url).text
    assert "北关社区" in page and f'value="{later}"' not in page  # the other tab's edit is kept
    version = re.search(r'data-version="(\d+)"', r.text)
    assert version
    r = client.post(url, data={**b, "_version": version.group(1)}, headers={"X-CSRF-Token": csrf_of(second)})  # 保留我的内容
    assert r.status_code == 200 and f'value="{later}"' in client.get(url).text
    b["year"] = str(later + 1)  # the second tab now saved last: its own saves go through
    assert client.post(url, data=b, headers={"X-CSRF-Token": csrf_of(second)}).status_code == 200
    a["theme"] = "人人动手 清洁家园"  # and the first tab is behind
    assert client.post(url, data=a, headers={"X-CSRF-Token": csrf_of(first)}).status_code == 409
    r = client.post(url, data={**a, "_keep": "1"}, headers={"X-CSRF-Token": csrf_of(first)})  # keep mine, whatever the version
    assert r.status_code == 200 and "人人动手" in client.get(url).text


# ---- 7: a full disk ------------------------------------------------------------------------------------


def test_a_full_disk_is_said_and_names_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "database or disk is full", made real by capping the database's pages."""
    client = client_of(tmp_path)
    url, html = draft_of(client)
    opened = Store._db

    def small(self: Store) -> sqlite3.Connection:
        db = opened(self)
        db.execute(f"PRAGMA max_page_count={db.execute('PRAGMA page_count').fetchone()[0]}")
        return db

    monkeypatch.setattr(Store, "_db", small)
    client.app.state.web.store._local = threading.local()  # every thread opens its connection again, capped
    ballast = Store(tmp_path / "data")._db()
    for table in ("drafts", "generated", "settings"):  # fill the free space of every table's pages
        with pytest.raises(sqlite3.OperationalError, match="full"):
            for n in range(10_000):
                if table == "settings":
                    ballast.execute("INSERT INTO settings VALUES (?, ?)", (f"ballast{n}", "x" * 40))
                elif table == "drafts":
                    ballast.execute("INSERT INTO drafts (plan_type, data, created, updated) VALUES ('x', '{}', 0, 0)")
                else:
                    ballast.execute("INSERT INTO generated (plan_type, filename, kind, input, created) VALUES ('x', 'f', 'docx', '', 0)")
    pairs = dict(form_pairs(html))
    pairs["theme"] = "健康" * 3000
    for r in (client.post(url, data=pairs, headers={"X-CSRF-Token": csrf_of(html)}),
              client.post("/new/hygiene-month", headers={"X-CSRF-Token": csrf_of(html)}, follow_redirects=False),
              client.get(url + "/plan.docx")):
        assert r.status_code == 507, r.text
        assert "磁盘已满" in r.text and str(tmp_path / "data") in r.text and "未保存" in r.text and "已保存" not in r.text.replace("未保存", "")


# ---- 10, 11: the token link -------------------------------------------------------------------------


def test_the_token_link_never_leads_elsewhere_and_leaves_the_address_bar(tmp_path: Path) -> None:
    client = client_of(tmp_path, token=TOKEN)
    r = client.get(f"{BASE}//evil.example/?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/evil.example/"
    r = client.get(f"{BASE}///evil.example/x?token={TOKEN}", follow_redirects=False)
    assert not r.headers["location"].startswith("//")
    assert client.get("/").status_code == 200  # the session is set
    r = client.get(f"/history?token={TOKEN}", follow_redirects=False)  # the link again, with a session
    assert r.status_code == 303 and r.headers["location"] == "/history" and "set-cookie" not in r.headers


def test_wrong_tokens_are_throttled_per_address(tmp_path: Path) -> None:
    client = client_of(tmp_path, token=TOKEN)
    codes = [client.get(f"/?token=guess-{n:04d}", follow_redirects=False).status_code for n in range(12)]
    assert codes[: shield.GUESSES] == [403] * shield.GUESSES and codes[shield.GUESSES:] == [429, 429]
    r = client.get(f"/?token={TOKEN}", follow_redirects=False)  # not even the right one is compared now
    assert r.status_code == 429 and "秒后" in r.text


# ---- 12: GET changes nothing ---------------------------------------------------------------------------


def test_a_get_makes_no_draft_and_another_sites_download_no_history(client: TestClient, tmp_path: Path) -> None:
    url, _html = draft_of(client)
    before = drafts(tmp_path)
    r = client.get("/new/hygiene-month")
    assert r.status_code == 200 and "data-autosubmit" in r.text and drafts(tmp_path) == before
    img = client.get(url + "/plan.docx", headers={"sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image"})
    assert img.status_code == 403
    link = client.get(url + "/plan.docx", headers={"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate"})
    assert link.status_code == 200 and history_rows(tmp_path) == 0
    own = client.get(url + "/plan.docx", headers={"sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate"})
    assert own.status_code == 200 and history_rows(tmp_path) == 1


# ---- 13–15: headers --------------------------------------------------------------------------------------


def test_every_answer_has_the_security_headers(client: TestClient) -> None:
    url, _html = draft_of(client)
    for path in ("/", url, url + "/plan.docx", "/static/htmx.min.js", "/nowhere"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-eval'" not in csp, path
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff", path
    page = client.get(url).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and not re.search(r"\son[a-z]+=", page)  # nothing inline to run


# ---- 16, 17: names and numbers -----------------------------------------------------------------------


def test_download_names_lose_direction_zero_width_and_nul_characters(client: TestClient) -> None:
    from webforms import clerks_docx

    _url, html = draft_of(client)
    r = client.post("/fix", data={"csrf": csrf_of(html)},
                    files={"file": ("通知\u202excod.\u200b\x00exe.docx", clerks_docx(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    link = re.search(r'href="(/fix/[0-9a-f]{32}/fixed\.docx)"', r.text)
    assert link
    got = client.get(link.group(1))
    disposition = urllib.parse.unquote(got.headers["content-disposition"])
    assert got.status_code == 200 and "（已修正）.docx" in disposition
    for bad in ("\u202e", "\u200b", "\x00"):
        assert bad not in disposition and bad not in r.text


@pytest.mark.parametrize("number", ["²", "①", "١", "٣"])
def test_a_number_that_is_not_ascii_is_no_page(client: TestClient, number: str) -> None:
    draft_of(client)
    for path in (f"/draft/{number}", f"/draft/{number}/plan.docx", f"/draft/{number}/input.yaml", f"/history/{number}/plan.docx"):
        r = client.get(path)
        assert r.status_code == 404 and "没有这个页面" in r.text, path
    _url, html = draft_of(client)
    for path in (f"/draft/{number}", f"/history/{number}/open", f"/history/{number}/next"):
        assert client.post(path, data={"csrf": csrf_of(html)}).status_code == 404, path


# ---- 21: a client that goes away -----------------------------------------------------------------------


def test_a_cancelled_upload_is_no_error_in_the_log(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    _url, html = draft_of(client)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    body = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.docx\"\r\n\r\n" + b"x" * 1000
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http", "path": "/fix",
             "raw_path": b"/fix", "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"cookie", cookie.encode()), (b"x-csrf-token", csrf_of(html).encode()),
                         (b"content-type", b"multipart/form-data; boundary=b"), (b"content-length", b"5000000")]}
    messages = [{"type": "http.request", "body": body, "more_body": True}, {"type": "http.disconnect"}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    caplog.set_level(logging.INFO)
    asyncio.run(client.app(scope, receive, send))  # type: ignore[arg-type]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "Traceback" not in caplog.text and "went away" in caplog.text


# ---- 18, 19: a DTD in a roster -----------------------------------------------------------------------


@pytest.mark.parametrize("dtd", ["LAUGHS", "EXTERNAL"])
def test_a_roster_with_a_dtd_is_refused_in_one_chinese_line(client: TestClient, tmp_path: Path, dtd: str) -> None:
    import hostile_xlsx as X

    roster = X.with_dtd(tmp_path / "名册.xlsx", getattr(X, dtd))
    url, html = draft_of(client)
    r = client.post("/batch", data={"csrf": csrf_of(html), "base": url.rsplit("/", 1)[1]},
                    files={"roster": ("名册.xlsx", roster.read_bytes(), "application/octet-stream")})
    assert r.status_code == 400 and "实体声明（DTD）" in r.text and "root:" not in r.text and "哈哈哈哈哈哈" not in r.text
    assert "Traceback" not in r.text


# ---- 20: a data folder that cannot be written -----------------------------------------------------------


def test_serve_on_a_data_folder_it_cannot_use_says_one_chinese_line(tmp_path: Path) -> None:
    from procs import run_cli

    (tmp_path / "a-file").write_text("x")
    blocked = tmp_path / "db-is-a-folder"
    (blocked / "plangen.sqlite3").mkdir(parents=True)  # the database file cannot be opened
    for folder, reason in ((tmp_path / "a-file" / "data", "同名文件"), (Path("/proc/plangen-data"), "无法在该位置建立文件夹"),
                           (blocked, "无法在该位置建立数据库文件")):
        code, out, err = run_cli("serve", "--data", str(folder), "--no-browser", "--port", "9")
        assert code == 2 and "Traceback" not in err, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "无法在" in lines[0] and str(folder) in lines[0] and reason in lines[0] and "--data" in lines[0], err
