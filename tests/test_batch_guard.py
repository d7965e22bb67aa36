"""The guard's fast path (used on every plan of a batch) finds exactly what the rule-by-block loop finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plangen import prewrite
from plangen.document import Document, Paragraph, Run, Title
from plangen.errors import GuardError

# Characters the rules look at, Chinese text around them, and the line breaks between blocks.
ALPHABET = st.sampled_from(list("社区年月日号第xXnuN×_＿□○＊{}%#[]【】()（）〔〕,:;?!.0123456789 \n") + ["None", "nan", "null", "20", "建发"])
TEXT = st.lists(ALPHABET, max_size=30).map("".join)

KNOWN_BAD = ["20xx年", "xx县", "□□社区", "建发[2024]35号", "2024年04月01日", "4月01日", "社区,居民", "{{ name }}",
             "第__届", "None", "主任（张三)", "○○村", "联系人:王五"]


@pytest.mark.parametrize("rule", prewrite.TEXT_RULES, ids=lambda r: r.__name__)
def test_each_gate_lets_every_finding_through(rule) -> None:
    gate = prewrite.MAY_FIRE[rule]
    for text in KNOWN_BAD:
        if list(rule(text)):
            assert gate.search(text), f"{rule.__name__} fires on {text!r} but its gate does not open"


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_gates_are_necessary_conditions(text: str) -> None:
    for rule in prewrite.TEXT_RULES:
        if list(rule(text)):
            assert prewrite.MAY_FIRE[rule].search(text), (rule.__name__, text)


def reference(doc: Document) -> list[str]:
    """The plain loop: every rule on every block."""
    from plangen.document import block_text

    found = []
    for block in doc.blocks:
        text = block_text(block)
        for rule in prewrite.TEXT_RULES:
            found += [f.message for f in rule(text)]
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_whole_document_check_matches_block_by_block(texts: list[str]) -> None:
    doc = Document(blocks=[Title("标题"), *(Paragraph([Run(t)]) for t in texts)])
    try:
        prewrite.check_document(doc)
        messages: list[str] = []
    except GuardError as exc:
        messages = [p.message for p in exc.problems]
    assert messages == reference(doc)
