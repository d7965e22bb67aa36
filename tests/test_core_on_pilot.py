"""The core on a plan type it has never heard of: generate, check, batch, schema, the web form and the CLI
run on the drop-in pilot plugin (tests/plugin_fixtures/pilot.py) with no built-in plan type loaded.

The core names no plan type. These tests hold it to that from the outside: what a built-in gets (a .docx
laid out to GB/T 9704, its check rules applied, one plan per roster row, a JSON Schema, a web form) a
plugin that knows only the SDK gets too, through the plugin interface alone.
"""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from procs import run_cli

from plangen import InputError, api, plugins
from plangen.batch import BatchOptions, run_batch
from plangen.batch.dry_run import preview, preview_lines
from plangen.check import check
from plangen.schema import input_schema
from plangen.testing import docx as R
from plangen.testing.ooxml import assert_valid_ooxml

FIXTURES = Path(__file__).parent / "plugin_fixtures"
EXAMPLE = FIXTURES / "pilot_templates" / "pilot.example.yaml"
ADDED = "本方案由试点插件补充说明。"  # what the pilot's plangen_adjust_document inserts


@pytest.fixture(scope="module")
def registry() -> plugins.Registry:
    """The pilot and nothing else: no entry points, so no built-in plan type."""
    return plugins.build_registry([FIXTURES], entry_points_too=False)


def body(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph with text."""
    return [(p.style, p.text) for p in R.paragraphs(path) if p.text]


def test_only_the_pilot_is_loaded_and_a_built_in_name_means_nothing(registry: plugins.Registry) -> None:
    assert sorted(registry.plan_types) == ["pilot"] and [p.name for p in registry.plugins] == ["pilot"]
    assert registry.warnings == []
    assert registry.plan_type("试点方案").name == "pilot"  # an alias, as for any plan type
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(InputError, match="unknown plan type 'hygiene-month'; known types: pilot"):
        api.plan_from_mapping({**data, "type": "hygiene-month"}, registry=registry)


def test_generate_writes_the_pilot_plan_from_chinese_keys(registry: plugins.Registry, tmp_path: Path) -> None:
    data = {"类型": "试点方案", "单位": {"名称": "西河社区", "上级单位": "城关镇"},
            "日期": {"开始": "2024-09-01", "结束": "2024-09-30", "成文日期": "2024年8月26日"}, "要点": "因地制宜,分类推进"}
    path = api.generate(data, tmp_path, registry=registry)
    assert path.name == "西河社区-试点工作方案.docx"
    assert body(path) == [
        ("Title", "城关镇西河社区试点工作方案"),
        ("Normal", "为做好试点工作，结合我社区实际，制定本方案。"),
        ("Heading1", "一、工作要点"),  # numbered by the writer, not the template
        ("Normal", "本次试点的要点是“因地制宜，分类推进”。"),  # the plugin's filter; the comma made full-width
        ("Normal", ADDED),
        ("Signature", "西河社区居民委员会"),  # the signer follows the unit's level
        ("Date", "2024年8月26日"),
    ]
    document = R.part(path, "word/document.xml")
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document  # A4, as for every plan
    assert check(path, extra_rules=registry.check_rules()) == []  # what plangen writes, plangen check passes
    assert_valid_ooxml(path)


def test_check_applies_the_pilots_rule_beside_the_core_rules(registry: plugins.Registry, tmp_path: Path) -> None:
    made = api.generate(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), tmp_path, registry=registry)
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.decode("utf-8").replace("先行先试", "先行先试,禁用词").encode("utf-8")
            out.writestr(info, data)
    found = check(edited, extra_rules=registry.check_rules())
    assert sorted((f.rule, f.message) for f in found) == [
        ("ascii-punctuation", "ASCII ',' next to Chinese text; use full-width punctuation"),
        ("plugin:pilot-word", "the word 禁用词 may not appear in a plan"),
    ]
    assert {f.location for f in found} == {"paragraph 5 “本次试点的要点是“先行先试,…”"}


def test_a_batch_makes_one_pilot_plan_per_row_and_names_the_bad_row(registry: plugins.Registry, tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,书记,主任,要点\n桃园村,谢振宇,韩春花,因地制宜、分类推进\n东湖社区,周文清,吴海燕,禁用词不得出现\n"
                      "西河社区,钱立新,孙秀梅,\n", encoding="utf-8-sig")
    options = BatchOptions(roster=roster, base=base, output=tmp_path / "out", jobs=1, plugins_dirs=(FIXTURES,))
    look = "\n".join(preview_lines(preview(options, registry)))
    assert "column '要点' → 要点" in look  # the plugin's own field, found by its Chinese key
    assert "Row 2: 城关镇桃园村 (村)\n  组长：谢振宇（村党组织书记）\n  副组长：韩春花（村委会主任）" in look
    result = run_batch(options, registry=registry)
    assert (result.made, result.failed) == (2, 1)
    [failure] = result.first_failures
    assert failure.row == 3 and [(p.column, str(p.message)) for p in failure.problems] == [
        ("要点", "the word 禁用词 may not appear in a plan")]
    village, street = tmp_path / "out" / "桃园村-试点工作方案.docx", tmp_path / "out" / "西河社区-试点工作方案.docx"
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == sorted([village.name, street.name])
    assert ("Title", "城关镇桃园村试点工作方案") in body(village) and ("Signature", "桃园村村民委员会") in body(village)
    assert ("Normal", "本次试点的要点是“因地制宜、分类推进”。") in body(village)
    assert ("Normal", "本次试点的要点是“先行先试、稳步推开”。") in body(street)  # an empty cell keeps the base's words
    assert ("Signature", "西河社区居民委员会") in body(street)
    with (tmp_path / "out" / "errors.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert any("3" in row and "要点" in row for row in rows[1:]), rows


def test_the_schema_of_the_pilot_comes_from_its_model(registry: plugins.Registry) -> None:
    schema = input_schema(registry.plan_types["pilot"])
    assert schema["properties"]["type"]["enum"] == ["pilot", "试点工作方案", "试点方案"]
    note = schema["properties"]["note"]
    assert (note["title"], note["type"], note["minLength"], note["maxLength"]) == ("要点", "string", 1, 200)
    assert "要点" in schema["properties"] and "单位" in schema["properties"]  # the Chinese spellings are accepted
    assert not any(re.search(r"hygiene|爱国卫生", key) for key in schema["properties"])


def test_the_web_form_of_the_pilot_makes_its_plan(registry: plugins.Registry, tmp_path: Path) -> None:
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient
    from webforms import BASE, csrf_of, form_pairs, make_draft

    from plangen.web import app as webapp
    from plangen.web import forms

    client = TestClient(webapp.build_app(tmp_path / "data", registry=registry), raise_server_exceptions=False, base_url=BASE)
    home = client.get("/").text
    assert "试点工作方案" in home and "爱国卫生月" not in home
    draft = make_draft(client, "pilot")
    url, html = str(draft.url.path), draft.text
    nodes = forms.model_nodes(registry.plan_types["pilot"].model)
    assert [n.label for n in nodes][-1] == "要点" and ">要点<" in html
    assert re.search(r'name="note" value="先行先试、稳步推开"', html)

    def post(note: str) -> str:
        pairs = [(k, note if k == "note" else v) for k, v in form_pairs(html)]
        r = client.post(url, data=dict(pairs), headers={"X-CSRF-Token": csrf_of(html)})
        assert r.status_code == 200
        return r.text

    refused = post("禁用词")
    assert '<li data-field="note" data-fields="note"><b>要点</b>' in refused and "禁用词 may not appear" in refused
    assert 'data-problems="0"' in post("因地制宜、分类推进")
    saved = forms.form_to_mapping(nodes, form_pairs(client.get(url).text))
    assert saved["note"] == "因地制宜、分类推进"
    api.plan_from_mapping({"type": "pilot", **saved}, registry=registry)  # what the form holds is a valid input
    r = client.get(url + "/plan.docx")
    assert r.status_code == 200
    (tmp_path / "web.docx").write_bytes(r.content)
    assert body(tmp_path / "web.docx") == [
        ("Title", "城关镇东街社区试点工作方案"),
        ("Normal", "为做好试点工作，结合我社区实际，制定本方案。"),
        ("Heading1", "一、工作要点"),
        ("Normal", "本次试点的要点是“因地制宜、分类推进”。"),
        ("Normal", ADDED),
        ("Signature", "东街社区居民委员会"),
        ("Date", f"{date.today().year}年5月20日"),  # a new draft starts in the current year
    ]


def test_the_cli_runs_on_the_pilot_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANGEN_LOAD_PLUGINS", "pilot")
    monkeypatch.chdir(tmp_path)

    def cli(*args: str) -> tuple[int, str, str]:
        return run_cli("--plugins-dir", str(FIXTURES), *args)

    assert cli("types") == (0, "pilot  试点工作方案\n", "")
    assert cli("new", "试点方案", "-o", "pilot.yaml")[0] == 0
    assert Path("pilot.yaml").read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    assert cli("generate", "pilot.yaml", "-o", "out/") == (0, "out/东街社区-试点工作方案.docx\n", "")
    assert ("Normal", ADDED) in body(tmp_path / "out" / "东街社区-试点工作方案.docx")
    assert cli("check", "out/东街社区-试点工作方案.docx") == (0, "out/东街社区-试点工作方案.docx: ok\n", "")
    Path("bad.yaml").write_text(EXAMPLE.read_text(encoding="utf-8").replace("先行先试、稳步推开", "禁用词也在其中"), encoding="utf-8")
    code, out, err = cli("generate", "bad.yaml", "-o", "bad/")
    assert (code, out, err) == (2, "", "plangen: error: bad.yaml: note: the word 禁用词 may not appear in a plan\n")
    assert not Path("bad").exists()

