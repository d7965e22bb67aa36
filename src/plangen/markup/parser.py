"""Parse the markup templates produce into the document model, with markdown-it-py.

The markup is a small Markdown dialect:

- ``# title`` is the plan title; ``## … #####`` are headings of levels 1–4 (numbers are added later);
  ``{{ br }}`` in a title marks where it may wrap.
- A paragraph is a paragraph; ``**bold**`` is bold; a bullet list is one paragraph per item.
- A GFM table is a Word table (the first row is the header).
- Fenced blocks carry structure Markdown has no word for: ```` ```roster ```` (``组长：…`` lines),
  ```` ```signature ```` (signer, then date), ```` ```flush ```` (paragraphs without indent).
- ``---`` starts a new page.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from plangen.document import Block, Document, Heading, PageBreak, Paragraph, Roster, Run, Signature, Table, Title
from plangen.errors import TemplateError
from plangen.i18n import msg
from plangen.markup.cache import cached_blocks

TITLE_BREAK = "\u2063"  # INVISIBLE SEPARATOR: user text never carries it (it is stripped on input)

_md = (
    MarkdownIt("commonmark", {"html": False})
    .enable("table")
    .disable(["link", "image", "autolink", "html_block", "html_inline", "code", "lheading", "entity", "blockquote"])
)
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Undo the Markdown escaping of user text inside fenced blocks, where Markdown leaves it as is."""
    return _UNESCAPE.sub(r"\1", text)


def _runs(token: Token) -> list[Run]:
    runs: list[Run] = []
    bold = 0
    for child in token.children or []:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            if runs and runs[-1].bold == bool(bold):
                runs[-1].text += child.content
            else:
                runs.append(Run(child.content, bool(bold)))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind in ("em_open", "em_close"):
            continue
        elif kind in ("softbreak", "hardbreak"):
            continue  # Chinese text joins across lines without a space
        else:
            raise TemplateError(msg("template.markup-unsupported", "markup {kind!r} is not supported in a plan", kind=kind))
    return runs


def _plain(token: Token) -> str:
    return "".join(r.text for r in _runs(token))


def parse(markup: str, *, source: str = "template") -> Document:
    """Markup text → Document. Unknown constructs are template errors, never silently dropped."""
    blocks = cached_blocks(markup, _md.parse, lambda tokens: blocks_of(tokens, source))
    return Document(blocks, title=next((b.text for b in blocks if isinstance(b, Title) and b.text), ""))


def parse_uncached(markup: str, *, source: str = "template") -> list[Block]:
    """The blocks of one full parse, past the chunk cache: what :func:`parse` must always equal."""
    return blocks_of(_md.parse(markup), source)


def blocks_of(tokens: list[Token], source: str) -> list[Block]:
    """The document blocks a token stream stands for."""
    blocks: list[Block] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            level = int(tok.tag[1])
            inline = tokens[i + 1]
            if level == 1:
                raw = _plain(inline).strip()
                breaks: list[int] = []
                plain = ""
                for part in raw.split(TITLE_BREAK):
                    if plain:
                        breaks.append(len(plain))
                    plain += part
                blocks.append(Title(plain, tuple(breaks)))
            else:
                blocks.append(Heading(level - 1, _plain(inline).strip()))
            i += 3
            continue
        if kind == "paragraph_open":
            runs = _runs(tokens[i + 1])
            if runs and (runs[0].text.strip() or len(runs) > 1):
                runs[0].text = runs[0].text.lstrip()
                runs[-1].text = runs[-1].text.rstrip()
                blocks.append(Paragraph(runs))
            i += 3
            continue
        if kind == "ordered_list_open":
            raise TemplateError(msg("template.numbered-list", "{source}: numbered lists are not supported; use headings (####) so numbers "
                                    "stay in sequence", source=source))
        elif kind == "table_open":
            i = _table(tokens, i, blocks)
            continue
        elif kind == "fence":
            _fence(tok, blocks, source)
        elif kind == "hr":
            blocks.append(PageBreak())
        elif kind in ("bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close"):
            pass  # the items' paragraphs are the blocks
        else:
            raise TemplateError(msg("template.markup-unsupported-in", "{source}: markup {kind!r} is not supported in a plan", source=source, kind=kind))
        i += 1
    return blocks


def _table(tokens: list[Token], i: int, blocks: list[Block]) -> int:
    header: list[str] = []
    rows: list[list[str]] = []
    current: list[str] | None = None
    in_head = False
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "thead_open":
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "tr_open":
            current = []
        elif t.type == "tr_close" and current is not None:
            (header.extend(current) if in_head else rows.append(current))
            current = None
        elif t.type == "inline" and current is not None:
            current.append(_plain(t).strip())
        i += 1
    blocks.append(Table(header, rows))
    return i + 1


def _fence(tok: Token, blocks: list[Block], source: str) -> None:
    info = tok.info.strip()
    lines = [unescape(line).strip() for line in tok.content.splitlines() if line.strip()]
    if info == "roster":
        pairs = []
        for line in lines:
            label, sep, names = line.partition("：")
            if not sep:
                raise TemplateError(msg("template.roster-line", "{source}: roster line {line!r} needs a label and a full-width colon", source=source, line=line))
            pairs.append((label.strip(), names.strip()))
        blocks.append(Roster(pairs))
    elif info == "signature":
        if len(lines) != 2:
            raise TemplateError(msg("template.signature-lines", "{source}: a signature block holds two lines, the signer and the date", source=source))
        blocks.append(Signature(lines[0], lines[1]))
    elif info == "flush":
        blocks.extend(Paragraph([Run(line)], kind="flush") for line in lines)
    else:
        raise TemplateError(msg("template.unknown-block", "{source}: unknown block {fence}", source=source, fence="```" + info))
