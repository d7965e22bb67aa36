"""Reading a roster (花名册): an .xlsx sheet or a .csv file, one row at a time.

Rosters come from Excel. Chinese Excel saves "CSV (逗号分隔)" in GBK without a BOM, "CSV UTF-8" with a
BOM, "Unicode text" in UTF-16, and other tools write plain UTF-8; the encoding is told as every input's is
(:mod:`plangen.inputs.decoding`), checked by a streaming pass over the whole file, never guessed from the
first kilobyte. Rows are yielded lazily so a roster of any length is read in constant memory, and
each row keeps the number Excel shows for it, so an error report points at the right line.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from plangen.batch.options import quoted
from plangen.errors import InputError, Problem
from plangen.i18n import Msg, msg
from plangen.inputs.decoding import file_encoding


class Number(str):
    """A cell Excel stored as a number, as the text a person reads (2024.0 → "2024").

    Still text everywhere, but a phone field can tell that a leading zero was lost (05511234567 →
    5511234567): a number cannot carry one.
    """

    __slots__ = ()


Cell = str | date

EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#N/A!"})
"""What Excel shows in a cell whose formula failed; a CSV saved from Excel keeps them as text."""


class NoCachedValue:
    """A formula cell saved without its result: the workbook was written by a program and never opened
    (and recalculated) in Excel or WPS, so there is no value to read."""

    def __init__(self, formula: str) -> None:
        self.formula = formula


@dataclass(frozen=True)
class BadRecord:
    """A CSV line that cannot be a row (a quote that never closes, a cell too long): that row's error only."""

    message: Msg


@dataclass
class Row:
    """One data row: its sheet row number and its non-blank cells by column header."""

    number: int
    cells: dict[str, Cell]
    problems: list[Problem] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not self.cells and not self.problems


@dataclass
class RosterFile:
    """A roster being read: headers known up front, rows streamed by :meth:`rows`."""

    path: Path
    headers: list[str]
    estimate: int
    """Roughly how many data rows there are, for the progress bar (not a promise)."""
    sheet: str | None = None
    strict_width: bool = False
    """CSV: a row with fewer cells than the header lost a separator somewhere, so its cells are shifted."""
    notes: list[Msg] = field(default_factory=list)
    """What the user should know about how the file was read (which sheet, hidden rows skipped), for the summary."""
    header_row: int = 1
    """The sheet row taken as the header (after a title row, 2)."""
    hidden_rows: list[int] = field(default_factory=list)
    """Rows hidden in Excel (filtered out or hidden by hand) that held data: skipped, and said so."""
    _rows: Iterator[tuple[int, Any]] | None = None
    _close: Any = None

    def rows(self) -> Iterator[Row]:
        """Every data row after the header, blank ones included (the caller skips them)."""
        assert self._rows is not None, "rows() may be called once per open()"
        rows, self._rows = self._rows, None
        try:
            for number, values in rows:
                if isinstance(values, _Hidden):
                    if any(cell_value(v) != "" for v in values.values):
                        self.hidden_rows.append(number)
                    continue
                yield self._row(number, values)
        finally:
            self.close()
            if self.hidden_rows:
                n = len(self.hidden_rows)
                shown = ", ".join(map(str, self.hidden_rows[:10])) + (" …" if n > 10 else "")
                self.notes.append(
                    msg("roster.hidden-rows", "{count} rows hidden in Excel (filtered out or hidden by hand) were skipped: "
                        "row {rows}; unhide them to make their plans", count=n, rows=shown) if n > 1 else
                    msg("roster.hidden-row", "1 row hidden in Excel (filtered out or hidden by hand) was skipped: row {rows}; "
                        "unhide it to make its plan", rows=shown))

    def close(self) -> None:
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def _row(self, number: int, values: list[Any] | BadRecord) -> Row:
        if isinstance(values, BadRecord):
            return Row(number, {}, [Problem(values.message, file=str(self.path), row=number)])
        cells: dict[str, Cell] = {}
        problems: list[Problem] = []
        width = len(self.headers)
        for i, value in enumerate(values):
            header = self.headers[i] if i < width else ""
            if isinstance(value, NoCachedValue):
                problems.append(Problem(msg(
                    "roster.formula-without-value",
                    "cell {cell} holds the formula ={formula} but no value: the workbook was saved by a program and never "
                    "calculated; open it in Excel or WPS and save it again, or type the value",
                    cell=f"{column_letter(i)}{number}", formula=value.formula[:40]), field=header or column_letter(i),
                    file=str(self.path), row=number))
                continue
            text = cell_value(value)
            if text == "":
                continue
            if isinstance(text, str) and text.strip().upper() in EXCEL_ERRORS:
                problems.append(Problem(msg(
                    "roster.excel-error",
                    "cell {cell} holds the Excel error {error}, not a value: a formula failed "
                    "or a lookup found nothing; fix the formula or type the value",
                    cell=f"{column_letter(i)}{number}", error=text.strip()),
                    field=header or column_letter(i), file=str(self.path), row=number))
                continue
            if i >= width or not self.headers[i]:
                letter = column_letter(i)
                problems.append(Problem(msg(
                    "roster.no-header", "column {column} holds {value} but has no header (the row has {cells} cells, the header {width})",
                    column=letter, value=quoted(str(text)[:20]), cells=len(values), width=width),
                    field=letter, file=str(self.path), row=number))
                continue
            cells[self.headers[i]] = text
        if self.strict_width and cells and len(values) < width:
            problems.append(Problem(msg(
                "roster.short-row", "has {cells} cells but the header has {width}: a separator is missing, so the cells may be shifted",
                cells=len(values), width=width),
                file=str(self.path), row=number))
        return Row(number, cells, problems)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


_SPACES = re.compile(r"\s+")


def clean_header(value: Any) -> str:
    """Header text as people mean it: no BOM, no surrounding or doubled spaces, full-width folded."""
    text = cell_value(value)
    if isinstance(text, date):
        text = text.isoformat()
    text = unicodedata.normalize("NFKC", text.replace("\ufeff", ""))
    return _SPACES.sub(" ", text).strip()


def cell_value(value: Any) -> Cell:
    """A cell as text (or a date), the way a person reads it in Excel: 2024.0 is 2024, not "2024.0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date()  # a date column; Excel stores dates as date-times
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return Number(int(value))
    if isinstance(value, (int, float)):
        return Number(value)
    return str(value).strip()


@dataclass(frozen=True)
class _Hidden:
    """A row hidden in Excel; its values only tell whether it held anything."""

    values: list[Any]


def open_roster(path: str | Path, *, sheet: str | None = None) -> RosterFile:
    """Open a roster by its suffix and read its header row; rows are read lazily afterwards."""
    path = Path(path)
    if not path.exists():
        raise InputError(Problem(msg("roster.no-file", "no such file"), file=str(path)))
    if path.is_dir():
        raise InputError(Problem(msg("roster.folder", "is a folder, not a roster"), file=str(path)))
    if not path.is_file():
        # a pipe or device (/dev/stdin, /dev/zero) has no end to find: the encoding pass would read for ever
        raise InputError(Problem(msg("roster.not-regular", "is not a regular file (a pipe or a device); save the roster to a file first"), file=str(path)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(Problem(msg("roster.xls", "is an old .xls workbook; save it in Excel as .xlsx or as CSV"), file=str(path)))
    if sheet is not None:
        raise InputError(Problem(msg("roster.sheet-not-xlsx", "--sheet applies to .xlsx workbooks only"), file=str(path)))
    return _open_csv(path)


# ---- CSV -------------------------------------------------------------------------------------------

def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _delimiter(first_line: str) -> str:
    """Comma, unless the header clearly uses tabs or semicolons (Excel's "Unicode text", European CSV)."""
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


MAX_CELL_CHARS = 100_000
"""A roster cell holds a name or a sentence; 100,000 characters is far beyond any field's bound."""
MAX_RECORD_LINES = 100
"""Lines one quoted cell may span (a list of members, one per line); more is a quote that never closes."""


def _open_csv(path: Path) -> RosterFile:
    encoding = file_encoding(path)  # streamed over the whole file: a roster of any length is never held whole
    fh: IO[str] = path.open("r", encoding=encoding, newline="")
    try:
        first = fh.readline(MAX_CELL_CHARS)
        fh.seek(0)
        if "\x00" in first:
            raise InputError(Problem(msg("roster.binary", "is a binary file, not a CSV roster"), file=str(path)))
        delimiter = _delimiter(first)
        width = [0]
        numbered = _records(fh, delimiter, width)
        header_number, headers, numbered, note = _header(numbered, path)
        width[0] = len(headers)  # from now on a line with as many separators as the header looks like a row
    except BaseException:
        fh.close()
        raise
    estimate = max(0, _count_lines(path) - header_number)
    return RosterFile(path, headers, estimate, strict_width=True, notes=[note] if note else [], header_row=header_number,
                      _rows=numbered, _close=fh.close)


class _Lines:
    """Physical lines of a text file, each at most :data:`MAX_CELL_CHARS` long, with push-back."""

    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.back: list[str] = []

    def next(self) -> str | None:
        """The next line; a line longer than the bound is returned cut, the rest of it skipped, and flagged."""
        if self.back:
            return self.back.pop()
        line = self.fh.readline(MAX_CELL_CHARS + 1)
        if not line:
            return None
        if len(line) > MAX_CELL_CHARS and not line.endswith(("\n", "\r")):
            while (rest := self.fh.readline(1 << 16)) and not rest.endswith(("\n", "\r")):
                pass  # skip the rest of the line without holding it
            return _TooLong(line[:40])
        return line

    def push(self, lines: list[str]) -> None:
        self.back.extend(reversed(lines))


class _TooLong(str):
    """The start of a physical line longer than :data:`MAX_CELL_CHARS`."""


def _records(fh: IO[str], delimiter: str, width: list[int]) -> Iterator[tuple[int, Any]]:
    """(row number as Excel shows it, cells) for each record, or a BadRecord for a row that cannot be read.

    The csv module alone lets one stray quote swallow every row after it into one cell, and stops the
    whole file at one overlong cell. Here each record is parsed on its own: a record that runs past the
    end of the file inside quotes, spans more than :data:`MAX_RECORD_LINES` lines, or swallows a line
    that looks like a whole row (as many separators as the header) is that row's error, and the lines
    after its first are read again as rows of their own.
    """
    source = _Lines(fh)
    number = 0
    while (first := source.next()) is not None:
        number += 1
        if isinstance(first, _TooLong):
            yield number, BadRecord(msg("roster.line-too-long", "is a line longer than {limit} characters (it starts {start}); a roster cell holds a name or a sentence",
                                            limit=f"{MAX_CELL_CHARS:,}", start=quoted(str(first)[:20])))
            continue
        taken = [first]
        ran_out = False

        def feed(first: str = first, taken: list[str] = taken) -> Iterator[str]:  # bound now: read within this pass
            nonlocal ran_out
            yield first
            while len(taken) < MAX_RECORD_LINES:
                line = source.next()
                if line is None:
                    ran_out = True
                    return
                if isinstance(line, _TooLong):
                    source.push([line])
                    return
                taken.append(line)
                yield line

        reader = csv.reader(feed(), delimiter=delimiter, strict=False)
        try:
            values = next(reader, [])
            error = ""
        except csv.Error as exc:
            values, error = [], str(exc)
        if len(taken) > 1:
            columns = width[0]
            swallowed = any(line.count(delimiter) >= max(2, columns - 1) for line in taken[1:]) if columns else False
            unclosed = ran_out and _inside_quotes(taken, delimiter)
            if error or unclosed or swallowed or len(taken) >= MAX_RECORD_LINES:
                source.push(taken[1:])
                yield number, BadRecord(msg(
                    "roster.unclosed-quote",
                    "has a quote (\") that opens a cell but does not close it on this line, so the rows after it would be "
                    "read as part of one cell; remove the stray quote or close it (the next lines are read as rows)"))
                continue
        if error:
            yield number, BadRecord(msg("roster.bad-csv", "cannot be read as CSV: {error}; this row is skipped", error=error))
            continue
        if any(len(v) > MAX_CELL_CHARS for v in values):
            yield number, BadRecord(msg("roster.cell-too-long", "has a cell longer than {limit} characters; a roster cell holds a name or a sentence",
                                            limit=f"{MAX_CELL_CHARS:,}"))
            continue
        yield number, values


def _inside_quotes(lines: list[str], delimiter: str) -> bool:
    """Whether these lines end inside a quoted cell (the strict parser says "unexpected end of data")."""
    try:
        list(csv.reader(iter(lines), delimiter=delimiter, strict=True))
    except csv.Error:
        return True
    return False


HEADER_SCAN = 12
"""Rows looked at for the header: a title, a date line and blank rows above it are usual, a dozen is not."""


def _values_of(values: Any) -> list[str]:
    if isinstance(values, _Hidden):
        values = values.values
    headers = [clean_header(v) for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _score(headers: list[str]) -> int:
    """How many cells are headers an office writes (书记, 单位名称, 联系电话…)."""
    from plangen.roster_words import header_role

    return sum(1 for h in headers if h and header_role(h) is not None)


def _pick_header(rows: list[tuple[int, list[str]]]) -> tuple[int, int, list[str]]:
    """(index in ``rows``, rows it spans, headers): the row with most office headers, two rows read as one
    when a merged group label (领导小组 over 书记/主任/委员) sits above them; else the first row with two
    or more cells (a title is one merged cell); else the first non-blank row."""
    best: tuple[int, int, list[str]] | None = None
    best_score = 0
    for i, (_n, headers) in enumerate(rows):
        score = _score(headers)
        if i > 0 and rows[i - 1][0] == rows[i][0] - 1 and sum(1 for h in rows[i - 1][1] if h) >= 2:
            above = rows[i - 1][1]
            width = max(len(above), len(headers))
            joined = [(headers[j] if j < len(headers) and headers[j] else (above[j] if j < len(above) else "")) for j in range(width)]
            if _score(joined) > max(score, _score(above)):
                score, headers = _score(joined), joined
                if score > best_score:
                    best, best_score = (i, 2, headers), score
                continue
        if score > best_score:
            best, best_score = (i, 1, headers), score
    if best is not None and best_score >= 2:  # one word in a data row (a 类别 cell 社区) does not make a header
        return best
    for i, (_n, headers) in enumerate(rows):
        if sum(1 for h in headers if h) >= 2:
            return i, 1, headers
    return best if best is not None else (0, 1, rows[0][1])


def _header(numbered: Iterator[tuple[int, Any]], path: Path) -> tuple[int, list[str], Iterator[tuple[int, Any]], Msg | None]:
    """The header row, found rather than assumed: title rows, blank rows and merged cells above it are
    skipped (and said). Duplicate names are refused (which one would win?). Returns the rows after it."""
    seen_rows: list[tuple[int, Any]] = []
    candidates: list[tuple[int, list[str]]] = []
    for number, values in numbered:
        if isinstance(values, BadRecord):
            if not candidates:
                raise InputError(Problem(msg("roster.bad-header-row", "the header row {problem}", problem=values.message), file=str(path), row=number))
            seen_rows.append((number, values))
            continue
        seen_rows.append((number, values))
        headers = _values_of(values)
        if headers:
            candidates.append((number, headers))
        if len(candidates) >= HEADER_SCAN:
            break
    if not candidates:
        raise InputError(Problem(msg("roster.empty", "is empty: no header row with column names"), file=str(path)))
    index, span, headers = _pick_header(candidates)
    number = candidates[index][0]
    seen: dict[str, int] = {}
    for i, name in enumerate(headers):
        if name and name in seen:
            raise InputError(Problem(msg(
                "roster.duplicate-header", "columns {first} and {second} are both headed {header}; rename one",
                first=column_letter(seen[name]), second=column_letter(i), header=quoted(name)),
                file=str(path), row=number))
        seen[name] = i
    rest = [(n, v) for n, v in seen_rows if n > number]
    note = None
    first = number - span + 1
    if first > 1 or span > 1:
        note = (msg("roster.header-rows", "rows {first}–{last} were read together as the header (a merged heading above the column names)",
                    first=first, last=number) if span > 1 else
                msg("roster.header-row", "row {row} was taken as the header row; the rows above it (a title or blank rows) were skipped", row=number))
    return number, headers, itertools.chain(rest, numbered), note


# ---- XLSX ------------------------------------------------------------------------------------------

def _check_package(path: Path) -> None:
    """Refuse an encrypted, old, oddly compressed or bomb workbook in one line, before openpyxl inflates it."""
    import zipfile

    from plangen.ooxml import safe_zip

    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        reason = safe_zip.sniff(head, kind=".xlsx")
        if reason is not None and head.startswith((safe_zip.OLE_MAGIC, b"{\\rtf")):  # other non-zips: zipfile says why
            raise InputError(Problem(msg("roster.not-workbook", "is {reason}", reason=reason), file=str(path)))
        with zipfile.ZipFile(path) as zf:
            reason = safe_zip.problem(zf, kind=".xlsx") or safe_zip.verify(zf, kind=".xlsx")  # openpyxl trusts the sizes
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(Problem(msg("roster.unreadable-xlsx", "is not a readable .xlsx workbook ({error})", error=f"{type(exc).__name__}: {exc}"), file=str(path))) from None
    if reason is not None:
        raise InputError(Problem(reason, file=str(path)))


def _open_xlsx(path: Path, sheet: str | None) -> RosterFile:
    import zipfile

    from openpyxl import load_workbook

    _check_package(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except SyntaxError as exc:  # xml.etree's ParseError: a DTD (billion laughs, an external entity) or broken XML
        raise _bad_xml(path, exc) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(Problem(msg("roster.unreadable-xlsx", "is not a readable .xlsx workbook ({error})", error=f"{type(exc).__name__}: {exc}"), file=str(path))) from None
    try:
        notes: list[Msg] = []
        if sheet is None:
            ws = _default_sheet(book, path, notes)
        elif sheet in book.sheetnames:
            ws = book[sheet]
        elif sheet.isdigit() and 1 <= int(sheet) <= len(book.worksheets):
            ws = book.worksheets[int(sheet) - 1]
        else:
            raise InputError(Problem(msg("roster.no-sheet", "has no sheet {sheet}; its sheets are {sheets}", sheet=quoted(sheet),
                                         sheets=", ".join(book.sheetnames)), file=str(path)))
        numbered = _xlsx_rows(ws, path)
        header_number, headers, numbered, note = _header(numbered, path)
        if note is not None:
            notes.append(note)
        estimate = max(0, (ws.max_row or 0) - header_number)
    except BaseException:
        book.close()
        raise
    return RosterFile(path, headers, estimate, sheet=ws.title, notes=notes, header_row=header_number, _rows=numbered, _close=book.close)


def _bad_xml(path: Path | str, exc: SyntaxError) -> InputError:
    """A workbook whose XML cannot be read: nothing in it was expanded or fetched; one line saying so."""
    return InputError(Problem(msg("roster.bad-xml", "is not a readable .xlsx workbook: its XML is damaged or declares entities "
                                  "(a DTD), which Excel never writes; open it in Excel and save it again"), file=str(path)))


def _parsed(parser: Any, path: Path | str) -> Iterator[tuple[int, Any]]:
    """The sheet parser's rows, a ParseError met half-way turned into :func:`_bad_xml`."""
    try:
        yield from parser.parse()
    except SyntaxError as exc:
        raise _bad_xml(path, exc) from None


def _default_sheet(book: Any, path: Path, notes: list[Msg]) -> Any:
    """The sheet Excel opens on (the active one) when it is visible, else the first visible one.

    A hidden first sheet (a lookup table, last year's list) is never what the user sees and means.
    """
    visible = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise InputError(Problem(msg("roster.no-visible-sheet", "has no visible sheet; unhide the roster's sheet in Excel, or name it with --sheet"), file=str(path)))
    try:
        active = book.active
    except (IndexError, AttributeError):
        active = None
    ws = active if active in visible else visible[0]
    if len(book.worksheets) > 1:
        hidden = len(book.worksheets) - len(visible)
        params = {"sheet": quoted(ws.title), "count": len(book.worksheets), "hidden": hidden}
        if ws is active:
            notes.append(msg("roster.sheet-read-active", "read sheet {sheet} (the sheet Excel opens on; the workbook has {count} "
                             "sheets, {hidden} of them hidden); choose another with --sheet", **params) if hidden else
                         msg("roster.sheet-read-active", "read sheet {sheet} (the sheet Excel opens on; the workbook has {count} "
                             "sheets); choose another with --sheet", **params))
        else:
            notes.append(msg("roster.sheet-read-first", "read sheet {sheet} (the first visible sheet; the workbook has {count} "
                             "sheets, {hidden} of them hidden); choose another with --sheet", **params) if hidden else
                         msg("roster.sheet-read-first", "read sheet {sheet} (the first visible sheet; the workbook has {count} "
                             "sheets); choose another with --sheet", **params))
    return ws


def _xlsx_rows(ws: Any, path: Path | str = "") -> Iterator[tuple[int, Any]]:
    """(row number, values) for every row that has cells; a hidden row comes as ``_Hidden``.

    openpyxl's own read-only rows say neither whether a row is hidden nor whether a blank value is a
    formula that was never calculated, so the sheet XML is read with its parser, which sees both.
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        hidden: bool = False

        def parse_row(self, row: Any) -> Any:
            self.hidden = row.get("hidden") in ("1", "true")
            return super().parse_row(row)

        def parse_cell(self, element: Any) -> Any:
            cell = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            # Excel saves a formula whose result is "" as t="str" with an empty <v/>; a number result is never
            # empty. No <v>, or an empty one on a number cell (what openpyxl writes), is no result at all.
            if (formula is not None and cell["value"] is None
                    and (element.find(VALUE_TAG) is None or element.get("t", "n") == "n")):
                cell["value"] = NoCachedValue(formula.text or "…")
            return cell

    book = ws.parent
    with ws._get_source() as src:
        parser = Parser(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                        date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in _parsed(parser, path):
            width = max((c["column"] for c in cells), default=0)
            values: list[Any] = [None] * width
            for c in cells:
                values[c["column"] - 1] = c["value"]
            yield number, (_Hidden(values) if parser.hidden else values)
