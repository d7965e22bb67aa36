"""Markup → document model: the small Markdown a template writes, parsed with markdown-it-py into
:mod:`plangen.document` blocks (title, headings by level, paragraphs, tables, roster, signature)."""

from plangen.markup.parser import TITLE_BREAK, parse

__all__ = ["TITLE_BREAK", "parse"]
