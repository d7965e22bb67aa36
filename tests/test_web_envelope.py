"""The web reads an input's envelope (type/类型, fonts/字体, columns/列映射) as the CLI does, through
plangen.inputs.envelope: a file giving both spellings of one key is refused with the CLI's Chinese
reason, never read by silently taking one of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.testclient import TestClient
from webforms import BASE, csrf_of

from plangen.api import plan_from_mapping
from plangen.errors import InputError
from plangen.web import app as webapp

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "hygiene-month.yaml"


def error_of(html: str) -> str:
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', html, re.S)
    assert found, html[-500:]
    return found.group(1)


@pytest.mark.chinese
@pytest.mark.parametrize("chinese", ["village-plan", "hygiene-month"])
def test_type_and_its_chinese_spelling_both_given_is_refused_as_the_cli_refuses_it(tmp_path: Path, chinese: str) -> None:
    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    csrf = csrf_of(client.get("/").text)
    text = f"类型: {chinese}\n" + SAMPLE.read_text(encoding="utf-8")
    assert text.count("type: hygiene-month") == 1

    r = client.post("/open", data={"csrf": csrf}, files={"file": ("方案.yaml", text.encode("utf-8"), "text/yaml")})
    message = error_of(r.text)
    assert r.status_code == 400 and message.startswith("无法作为方案输入打开该文件")
    assert "同时写了“type”和“类型”，请只保留一个" in message
    with pytest.raises(InputError) as cli:  # the CLI's own reason, word for word
        plan_from_mapping({"type": "hygiene-month", "类型": chinese, "unit": {}})
    assert str(cli.value.problems[0].message) in message
    assert client.get("/").text.count('href="/draft/') == 0  # no draft was made from it

    r = client.post("/batch", data={"csrf": csrf}, files={"roster": ("名册.csv", "单位名称\n东街社区\n".encode(), "text/csv"),
                                                           "base_file": ("底稿.yaml", text.encode("utf-8"), "text/yaml")})
    assert r.status_code == 400 and "同时写了“type”和“类型”" in error_of(r.text)
    assert not (tmp_path / "data" / "batches").exists() or not any((tmp_path / "data" / "batches").iterdir())


@pytest.mark.chinese
def test_one_spelling_of_each_key_opens_and_a_bases_chinese_columns_are_its_map(tmp_path: Path) -> None:
    client = TestClient(webapp.build_app(tmp_path / "data"), raise_server_exceptions=False, base_url=BASE)
    csrf = csrf_of(client.get("/").text)
    text = SAMPLE.read_text(encoding="utf-8").replace("type: hygiene-month", "类型: hygiene-month")
    assert "类型: hygiene-month" in text and "\ncolumns:" in text
    r = client.post("/open", data={"csrf": csrf}, files={"file": ("方案.yaml", text.encode("utf-8"), "text/yaml")}, follow_redirects=True)
    assert r.status_code == 200 and re.search(r"/draft/\d+$", str(r.url))

    base = text.split("\ncolumns:")[0] + "\n列映射:\n  街道社区: unit.name\n"  # the sample's own map, spelt in Chinese
    r = client.post("/batch", data={"csrf": csrf}, follow_redirects=True,
                    files={"roster": ("名册.csv", "街道社区,联系电话\n东街社区,0571-1234567\n".encode(), "text/csv"),
                           "base_file": ("底稿.yaml", base.encode("utf-8"), "text/yaml")})
    assert r.status_code == 200
    select = re.search(r'<select name="col0"[^>]*>(.*?)</select>', r.text, re.S)
    assert select and '<option value="unit.name" selected>' in select.group(1)  # 列映射 read as columns
