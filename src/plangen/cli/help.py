"""Help in the reader's language. Commands keep their English help texts (the catalogue's msgids);
the help formatter translates each text and option description through :mod:`plangen.i18n` as it
writes them, so the language can change between two calls in one process (tests, the web app)."""

from __future__ import annotations

from collections.abc import Iterable

import click

from plangen.i18n import _, language


def translate_help(text: str) -> str:
    """A help text or an option description; click's own ``[default: …]`` tail is translated by click."""
    head, sep, tail = text.partition("  [")
    return _(head) + sep + tail if head else text


class TranslatingFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """Chinese runs on after its full-width colon (用法：plangen …); English keeps click's space."""
        if prefix is None and language() == "zh":
            prefix = _("Usage:")
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        if language() == "zh":
            self.write(f"{'':>{self.current_indent}}{heading}：\n")
        else:
            super().write_heading(heading)

    def write_text(self, text: str) -> None:
        super().write_text(translate_help(text))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, translate_help(desc) if desc else desc) for term, desc in rows], col_max, col_spacing)


class TranslatingContext(click.Context):
    formatter_class = TranslatingFormatter


def localise(commands: Iterable[click.Command]) -> None:
    """Give these commands (and a group's subcommands) the translating help formatter."""
    for command in commands:
        command.context_class = TranslatingContext
        if isinstance(command, click.Group):
            localise(command.commands.values())


class TranslatingGroup(click.Group):
    """A group whose listing of subcommands shows each one's help in the reader's language: click
    shortens the English text first, which then matches no msgid."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _command in rows)
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, click.Command(name, help=translate_help(_msgid(command.help))).get_short_help_str(limit))
                                for name, command in rows])


def _msgid(text: str | None) -> str:
    """A help text as the catalogue holds it: dedented, cut at click's ``\\f``."""
    import inspect

    return inspect.cleandoc(text or "").partition("\f")[0]
