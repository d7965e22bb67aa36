"""The guard: the last look at a generated document before it is written; nothing a clerk would have
to fix by hand may get through. (``plangen check``, in :mod:`plangen.check`, reads a finished .docx.)

Rules run on the document model. A finding is blamed on the input field whose text carries it when
there is one (so the user knows what to change: exit 2); otherwise it came from template text or a
plugin, which no input can fix, and is a TemplateError naming the template and plugin (exit 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from plangen import text as T
from plangen.document import Block, Document, Heading, Title, block_text
from plangen.errors import GuardError, Problem, TemplateError
from plangen.gbt9704.numbering import heading_numbers
from plangen.i18n import Msg, _, msg

BAD_DOCNO_RE = re.compile(r"[\u4e00-\u9fff][\[【(（]\s*(?:19|20)\d{2}\s*[\]】)）]\s*第?\d+号")


@dataclass(frozen=True)
class TextFinding:
    rule: str
    message: str
    excerpt: str = ""


Rule = Callable[[str], Iterable[TextFinding]]


def placeholders(text: str) -> Iterator[TextFinding]:
    for m in T.PLACEHOLDER_RE.finditer(text):
        yield TextFinding("placeholder", _("placeholder or template residue {found}", found=repr(m.group())), m.group())


def ascii_punctuation(text: str) -> Iterator[TextFinding]:
    for m in T.ASCII_PUNCT_NEAR_CJK.finditer(text):
        yield TextFinding("ascii-punctuation", _("ASCII {found} next to Chinese text; use full-width punctuation", found=repr(m.group())), m.group())


def document_numbers(text: str) -> Iterator[TextFinding]:
    for m in BAD_DOCNO_RE.finditer(text):
        yield TextFinding("document-number", _("document number {found} must put the year in 〔〕", found=repr(m.group()[1:])), m.group()[1:])


def zero_padded_dates(text: str) -> Iterator[TextFinding]:
    for m in T.ZERO_PADDED_DATE_RE.finditer(text):
        yield TextFinding("zero-padded-date", _("date written with zero padding {found}; write 4月1日, not 04月01日", found=repr(m.group())), m.group())


TEXT_RULES: list[Rule] = [placeholders, ascii_punctuation, document_numbers, zero_padded_dates]

# A rule can fire only on text that holds one of these. Looking for them first over the whole plan is
# ten times cheaper than the rules themselves, which matters in a batch of thousands.
# tests/test_batch_guard.py keeps each one in step with its rule.
MAY_FIRE: dict[Rule, re.Pattern[str]] = {
    placeholders: re.compile(r"[xX×_＿□○＊{}%#Nnu]"),
    ascii_punctuation: re.compile(r"[,:;?!()]"),
    document_numbers: re.compile(r"[\[【(（]\s*(?:19|20)\d\d"),
    zero_padded_dates: re.compile(r"0\d[月日]"),
}


def _fires(rule: Rule, text: str) -> bool:
    gate = MAY_FIRE.get(rule)
    if gate is not None and gate.search(text) is None:
        return False
    return next(iter(rule(text)), None) is not None


def user_strings(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every string the user supplied, to blame findings on a field."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        yield from _strings(value, f"{prefix}{name}")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from user_strings(value, path + ".")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value, 1):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")


def _describe(index: int, block: Block) -> str:
    words = block_text(block).replace("\n", " ")[:12]
    return _("block {number} ({words}…)", number=index + 1, words=words)


_OWN_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）)")


def _user_field(sources: list[tuple[str, str]], excerpt: str) -> str | None:
    """The input field whose text carries ``excerpt``: then the user can fix the finding."""
    return next((path for path, value in sources if excerpt and excerpt in value), None)


def check_document(
    doc: Document,
    *,
    plan: BaseModel | None = None,
    template: str = "template",
    extra_rules: Iterable[Rule] = (),
    plugin: str = "",
    rendered: bool = False,
) -> None:
    """Raise when the document may not be written; return silently when it may.

    A finding whose text comes from an input field is the user's to fix: GuardError (exit 2) naming
    the field. With ``rendered`` (the document is a rendered template, as in :mod:`plangen.api`),
    anything else came from template text or a plugin (a missing title, broken numbering, a placeholder
    in the wording): no input could fix it, so it is a TemplateError (exit 1) naming the template and
    its plugin. Without it (text assembled from the input alone, such as a notice's) every finding is a
    GuardError located in ``template``.
    """
    problems: list[Problem] = []
    faults: list[tuple[str, str | Msg]] = []  # the template's or plugin's: (where in it, what)
    sources: list[tuple[str, str]] | None = None

    def user_sources() -> list[tuple[str, str]]:
        nonlocal sources
        if sources is None:
            sources = list(user_strings(plan)) if plan is not None else []
        return sources

    if not any(isinstance(b, Title) for b in doc.blocks):
        faults.append(("", str(msg("guard.no-title", "produced no title (a line starting with '# ')"))))
    try:
        heading_numbers(doc.blocks)
    except TemplateError as exc:
        faults.append(("", str(exc)))
    for block in doc.blocks:
        if isinstance(block, Heading):
            m = _OWN_NUMBER.match(block.text)
            if m:
                message = msg("guard.numbered-heading", "heading {heading} carries its own number; numbers are added by the writer",
                              heading=repr(block.text))
                field = next((path for path, value in user_sources() if value.strip() and value.strip() in block.text
                              and value.lstrip().startswith(m.group().strip())), None)
                if field is not None:
                    problems.append(Problem(message, field=field))
                else:
                    faults.append(("", message))
    texts = [block_text(block) for block in doc.blocks]
    # The built-in rules cannot match across a line break, so one pass over the whole text finds
    # whether a rule has anything to say; only then is it run block by block to place the finding.
    joined = "\n".join(texts)
    rules = [rule for rule in TEXT_RULES if _fires(rule, joined)] + list(extra_rules)
    for index, (block, text) in enumerate(zip(doc.blocks, texts, strict=True)):
        if not text:
            continue
        for rule in rules:
            for finding in rule(text):
                field = _user_field(user_sources(), finding.excerpt)
                if field is not None:
                    problems.append(Problem(finding.message, field=field))
                else:
                    faults.append((_describe(index, block), finding.message))
    if faults and rendered:
        found = _("; ").join(_("{where}: {what}", where=w, what=m) if w else str(m) for w, m in faults)
        if plugin:
            raise TemplateError(msg("guard.template-fault-of", "template {template} (plugin {plugin!r}): {faults}",
                                    template=template, plugin=plugin, faults=found))
        raise TemplateError(msg("guard.template-fault", "template {template}: {faults}", template=template, faults=found))
    problems = [Problem(m, field=f"{template}, {w}" if w else template) for w, m in faults] + problems
    if problems:
        raise GuardError(problems)
