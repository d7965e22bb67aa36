"""Every document plangen writes validates against the ECMA-376 schemas (Word and WPS are stricter than
LibreOffice): each plan type's example and each sample, with both font profiles, plain and issued
under a notice, batch output and the scaffolded plugin's output. The checker is vendored in
plangen.testing.ooxml, so these run without ../shared.
"""

from __future__ import annotations

import importlib
import io
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from plangen import api, plugins
from plangen.cli import cli
from plangen.testing.ooxml import assert_valid_ooxml, ooxml_errors
from plangen.writer import order

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
XSD = ROOT / "src" / "plangen" / "testing" / "ooxml" / "xsd" / "wml.xsd"


def _examples() -> dict[str, dict]:
    return {name: yaml.safe_load(t.example) for name, t in plugins.get_registry().plan_types.items()}


def _with_issuer(data: dict) -> dict:
    """The input with an issuer block (invented office), so it can be issued under a notice."""
    issued = (data.get("dates") or {}).get("issued")
    unit = data["unit"]["name"]
    data = dict(data)
    data["issuer"] = {
        "body": f"{unit}办公室", "number": "试〔2024〕1号", "addressees": ["各有关单位"],
        "copy_to": ["上级主管部门"], "printer": f"{unit}办公室", "printed": issued,
    }
    return data


# ---- the order helper -----------------------------------------------------------------------------

def _schema_sequence(type_name: str) -> list[str]:
    """Child element names of a wml.xsd complex type, in declaration order (groups and bases expanded)."""
    tree = etree.parse(str(XSD))
    ns = {"xsd": "http://www.w3.org/2001/XMLSchema"}

    def names(node: etree._Element) -> list[str]:
        out: list[str] = []
        for el in node:
            tag = etree.QName(el).localname
            if tag == "element" and el.get("name"):
                out.append(el.get("name"))
            elif tag == "group" and el.get("ref"):
                out += names(tree.find(f".//xsd:group[@name='{el.get('ref').split(':')[-1]}']", ns))
            elif tag == "extension":
                out = names(tree.find(f".//xsd:complexType[@name='{el.get('base').split(':')[-1]}']", ns)) + names(el)
            elif tag in ("sequence", "choice", "complexContent"):
                out += names(el)
        return out

    return names(tree.find(f".//xsd:complexType[@name='{type_name}']", ns))


@pytest.mark.parametrize(
    "parent, type_name",
    [("pPr", "CT_PPr"), ("rPr", "CT_RPr"), ("sectPr", "CT_SectPr"), ("tblPr", "CT_TblPr"), ("tcPr", "CT_TcPr"),
     ("trPr", "CT_TrPr"), ("style", "CT_Style"), ("settings", "CT_Settings"), ("tblBorders", "CT_TblBorders")],
)
def test_the_order_helper_follows_the_vendored_schema(parent: str, type_name: str) -> None:
    flat = [name for names in order.SEQUENCES[parent] for name in names.split("|")]
    expected = [n for n in _schema_sequence(type_name) if not n.endswith("Change") or n in flat]
    if parent == "trPr":  # an unbounded choice in the schema: any order; the helper knows every name
        assert set(flat) <= set(expected)
    else:
        assert flat == expected


def test_children_come_out_in_schema_order_whatever_the_call_order() -> None:
    ppr = order.children("pPr", '<w:jc w:val="left"/>', '<w:spacing w:line="280"/><w:snapToGrid w:val="0"/>', '<w:pStyle w:val="X"/>')
    assert ppr == '<w:pStyle w:val="X"/><w:snapToGrid w:val="0"/><w:spacing w:line="280"/><w:jc w:val="left"/>'
    settings = order.children("settings", "<w:evenAndOddHeaders/>", '<w:defaultTabStop w:val="420"/>')
    assert settings == '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>'
    nested = order.children("tblPr", "<w:tblLayout/>", '<w:tblBorders><w:top w:val="nil"/></w:tblBorders>')
    assert nested == '<w:tblBorders><w:top w:val="nil"/></w:tblBorders><w:tblLayout/>'
    with pytest.raises(ValueError, match="w:snaptogrid is not a child"):
        order.children("pPr", "<w:snaptogrid/>")
    with pytest.raises(ValueError, match="given twice"):
        order.children("pPr", "<w:jc/>", "<w:jc/>")


# ---- every generated document ---------------------------------------------------------------------

@pytest.mark.parametrize("fonts", ["gb", "windows"])
def test_every_plan_types_example_validates(fonts: str) -> None:
    bad = {}
    for name, data in _examples().items():
        _, docx = api.render_docx(api.plan_from_mapping(data, fonts=fonts))
        if errors := ooxml_errors(docx):
            bad[name] = errors
    assert bad == {}


@pytest.mark.parametrize("fonts", ["gb", "windows"])
def test_every_plan_type_issued_under_a_notice_validates(fonts: str) -> None:
    bad = {}
    for name, data in _examples().items():
        _, docx = api.render_docx(api.plan_from_mapping(_with_issuer(data), fonts=fonts), notice=True)
        if errors := ooxml_errors(docx):
            bad[name] = errors
    assert bad == {}


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_validates(sample: Path, tmp_path: Path) -> None:
    for fonts in ("gb", "windows"):
        assert_valid_ooxml(api.generate(sample, tmp_path / fonts, fonts=fonts))
    if "issuer" in yaml.safe_load(sample.read_text(encoding="utf-8")):
        assert_valid_ooxml(api.generate(sample, tmp_path / "notice", notice=True))


def test_batch_output_validates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(ROOT / "samples" / "communities.csv"), "--base",
                                      str(ROOT / "samples" / "hygiene-month.yaml"), "-o", str(out), "--jobs", "1",
                                      "--zip", "--fonts", "windows"])
    assert result.exit_code == 0, result.output
    made = sorted(out.glob("*.docx"))
    assert len(made) >= 3
    bad = {p.name: e for p in made if (e := ooxml_errors(p))}
    assert bad == {}
    with zipfile.ZipFile(out / "plans.zip") as z:  # the zipped copies are the same valid files
        first = next(n for n in z.namelist() if n.endswith(".docx"))
        assert_valid_ooxml(z.read(first))


def test_the_scaffolded_plugins_output_validates(tmp_path: Path) -> None:
    dest = tmp_path / "plangen-flood-drill"
    result = CliRunner().invoke(cli, ["plugin", "new", "flood-drill", "-o", str(dest), "--title", "防汛演练方案"])
    assert result.exit_code == 0, result.output
    sys.path.insert(0, str(dest))
    try:
        module = importlib.import_module("plangen_flood_drill.plugin")
        registry = plugins.build_registry(extra=[("flood-drill", module)], entry_points_too=False)
        example = yaml.safe_load(registry.plan_type("flood-drill").example)
        assert_valid_ooxml(api.generate(example, tmp_path / "out", registry=registry))
        assert_valid_ooxml(api.generate(_with_issuer(example), tmp_path / "notice", registry=registry, notice=True))
    finally:
        sys.path.remove(str(dest))
        for name in [m for m in sys.modules if m.startswith("plangen_flood_drill")]:
            del sys.modules[name]


def test_the_checker_finds_what_the_old_writer_wrote(tmp_path: Path) -> None:
    """The helper really fails on out-of-order children: the styles and settings plangen wrote before."""
    _, good = api.render_docx(api.plan_from_mapping(next(iter(_examples().values()))))
    assert ooxml_errors(good) == []
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename).decode("utf-8")
            if info.filename == "word/settings.xml":
                data = data.replace('<w:defaultTabStop w:val="420"/>', "").replace("<w:evenAndOddHeaders/>", '<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>')
            zout.writestr(info, data)
    errors = ooxml_errors(buf.getvalue())
    assert len(errors) == 1 and "w:defaultTabStop not allowed after w:evenAndOddHeaders" in errors[0]
    with pytest.raises(AssertionError, match="1 OOXML schema errors"):
        assert_valid_ooxml(buf.getvalue())
