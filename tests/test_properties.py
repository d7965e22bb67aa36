"""Properties over generated inputs: accepted input ⇒ a valid document carrying the text exactly.

Rejected input must be rejected with located, one-line problems; accepted input must render,
pass the guard, open in python-docx, and every text field must appear in the document as the
model holds it (that is, after the documented normalisation).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from plangen import api
from plangen.errors import InputError
from plangen.plugins import get_registry

SAMPLE = yaml.safe_load((Path(__file__).parent.parent / "samples" / "hygiene-month.yaml").read_text(encoding="utf-8"))

# Chinese text, ASCII punctuation and Markdown/Jinja syntax, whitespace, controls and invisible characters.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
    st.sampled_from(list("，。、：；（）“”《》！？—…")),
    st.sampled_from(list(" \t\n\r!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789abcXYZ")),
    st.sampled_from(["\x00", "\x07", "\x1b", "\u200b", "\ufeff", "\u202e", "\u00ad", "😀", "𠀀"]),
)
TEXT = st.text(ALPHABET, min_size=1, max_size=60)
NAME = st.text(ALPHABET, min_size=1, max_size=12)


def document_text(data: bytes) -> str:
    doc = open_docx(io.BytesIO(data))
    parts = [p.text.replace("\n", "") for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theme=TEXT, focus=TEXT, unit=NAME, leader=NAME, members=st.lists(NAME, min_size=0, max_size=4), extra=TEXT)
def test_accepted_input_round_trips_into_a_valid_document(theme, focus, unit, leader, members, extra) -> None:
    data = dict(SAMPLE)
    data.update(theme=theme, focus=focus)
    data["unit"] = {"name": unit, "parent": "城关镇"}
    data["leadership"] = {"leader": {"name": leader}, "members": [{"name": m} for m in members]}
    data["tasks"] = [{"kind": "publicity", "extra": extra}]
    registry = get_registry()
    try:
        plan = api.plan_from_mapping(data, source="p.yaml", registry=registry)
    except InputError as exc:
        for line in exc.lines():
            assert line.startswith("p.yaml: ") and "\n" not in line
        event("rejected by validation")
        return
    event("accepted and rendered")
    _, docx = api.render_docx(plan, registry=registry)  # must not raise: the guard agrees with validation
    body = document_text(docx)
    model = plan.data
    for value in (model.theme, model.focus, model.unit.name, model.leadership.leader.name, *[m.name for m in model.leadership.members]):
        assert value in body
    for paragraph in (model.tasks[0].extra or "").split("\n\n"):
        if paragraph.strip():
            assert paragraph.strip().replace("\n", "") in body.replace("\n", "")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_mapping_or_an_input_error(blob: bytes) -> None:
    from plangen.inputs.reading import decode, parse_text

    try:
        value = parse_text(decode(blob, "x.yaml"), "x.yaml")
    except InputError as exc:
        assert all(line.startswith("x.yaml: ") for line in exc.lines())
        return
    assert isinstance(value, dict)


@pytest.mark.parametrize("theme", ["美丽\x07中国", "A&B <c> “引号” ‘单’", "——…《》", "𠀀𪚥 生僻字"])
def test_xml_special_and_rare_characters_survive(theme: str) -> None:
    data = dict(SAMPLE, theme=theme)
    plan = api.plan_from_mapping(data)
    _, docx = api.render_docx(plan)
    # inside the template's quotes, the theme's own quotes become single quotes (“引号” → ‘引号’)
    assert plan.data.theme.replace("“", "‘").replace("”", "’") in document_text(docx)
