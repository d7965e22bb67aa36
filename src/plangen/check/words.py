"""Words and punctuation: the guard's own text rules, run on every paragraph of the .docx.

The guard refuses to write a plan these rules object to; running the very same functions here is
what makes ``plangen check`` and ``plangen generate`` agree (plugins' rules included).
"""

from __future__ import annotations

from collections.abc import Iterable

from plangen import prewrite
from plangen.check.findings import RULES, Collector
from plangen.ooxml.reader import Docx


def check_words(doc: Docx, out: Collector, extra_rules: Iterable[prewrite.Rule] = ()) -> None:
    rules = [*prewrite.TEXT_RULES, *extra_rules]
    for para in doc.paragraphs:
        text = para.text
        if not text.strip():
            continue
        for rule in rules:
            for finding in rule(text):
                rule_id = finding.rule if finding.rule in RULES else _plugin_rule(finding.rule)
                out.add(rule_id, para, finding.message)  # a str or a Msg: put into words by the collector


def _plugin_rule(name: str) -> str:
    """A plugin's rule id, kept apart from plangen's own so the JSON stays stable: ``plugin:<id>``.
    (It is not added to RULES: a long-lived process would grow that table with every id it met.)"""
    return f"plugin:{name}"
