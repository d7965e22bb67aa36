"""Reading a roster (花名册): an .xlsx sheet or a .csv file, one row at a time.

Rosters come from Excel. Chinese Excel saves "CSV (逗号分隔)" in GBK without a BOM, "CSV UTF-8" with a
BOM, and other tools write plain UTF-8; the encoding is detected by a streaming pass, never guessed from
the first kilobyte. Rows are yielded lazily so a roster of any length is read in constant memory, and
each row keeps the number Excel shows for it, so an error report points at the right line.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from plangen.errors import InputError, Problem

Cell = str | date


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
    _rows: Iterator[tuple[int, list[Any]]] | None = None
    _close: Any = None

    def rows(self) -> Iterator[Row]:
        """Every data row after the header, blank ones included (the caller skips them)."""
        assert self._rows is not None, "rows() may be called once per open()"
        rows, self._rows = self._rows, None
        try:
            for number, values in rows:
                yield self._row(number, values)
        finally:
            self.close()

    def close(self) -> None:
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def _row(self, number: int, values: list[Any]) -> Row:
        cells: dict[str, Cell] = {}
        problems: list[Problem] = []
        width = len(self.headers)
        for i, value in enumerate(values):
            text = cell_value(value)
            if text == "":
                continue
            if i >= width or not self.headers[i]:
                letter = column_letter(i)
                problems.append(Problem(
                    f"column {letter} holds {str(text)[:20]!r} but has no header (the row has {len(values)} cells, the header {width})",
                    field=letter, file=str(self.path), row=number))
                continue
            cells[self.headers[i]] = text
        if self.strict_width and cells and len(values) < width:
            problems.append(Problem(
                f"has {len(values)} cells but the header has {width}: a separator is missing, so the cells may be shifted",
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
        return str(int(value))
    return str(value).strip()


def open_roster(path: str | Path, *, sheet: str | None = None) -> RosterFile:
    """Open a roster by its suffix and read its header row; rows are read lazily afterwards."""
    path = Path(path)
    if not path.exists():
        raise InputError(Problem("no such file", file=str(path)))
    if path.is_dir():
        raise InputError(Problem("is a folder, not a roster", file=str(path)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(Problem("is an old .xls workbook; save it in Excel as .xlsx or as CSV", file=str(path)))
    if sheet is not None:
        raise InputError(Problem("--sheet applies to .xlsx workbooks only", file=str(path)))
    return _open_csv(path)


# ---- CSV -------------------------------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """utf-8-sig / utf-16 by BOM; else UTF-8 if every byte decodes as UTF-8 (streamed); else GB18030."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        for encoding in ("utf-8", "gb18030"):
            if _decodes(fh, encoding):
                return encoding
    raise InputError(Problem("cannot be read as text: it is neither UTF-8 nor GB18030 (GBK)", file=str(path)))


def _decodes(fh: IO[bytes], encoding: str) -> bool:
    """Whether the whole file decodes, read in blocks so a large roster is never held in memory."""
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := fh.read(1 << 16):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


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


def _open_csv(path: Path) -> RosterFile:
    encoding = detect_encoding(path)
    fh: IO[str] = path.open("r", encoding=encoding, newline="")
    try:
        first = fh.readline()
        fh.seek(0)
        if "\x00" in first:
            raise InputError(Problem("is a binary file, not a CSV roster", file=str(path)))
        reader = csv.reader(fh, delimiter=_delimiter(first), strict=False)
        numbered = ((n, values) for n, values in enumerate(reader, 1))
        header_number, headers = _header(numbered, path)
    except csv.Error as exc:
        fh.close()
        raise InputError(Problem(f"is not a readable CSV file: {exc}", file=str(path))) from None
    except BaseException:
        fh.close()
        raise

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from numbered
        except csv.Error as exc:
            raise InputError(Problem(f"CSV error after row {header_number}: {exc}", file=str(path))) from None

    estimate = max(0, _count_lines(path) - header_number)
    return RosterFile(path, headers, estimate, strict_width=True, _rows=rows(), _close=fh.close)


def _header(numbered: Iterator[tuple[int, list[Any]]], path: Path) -> tuple[int, list[str]]:
    """The first non-blank row names the columns; duplicate names are refused (which one would win?)."""
    for number, values in numbered:
        headers = [clean_header(v) for v in values]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            continue
        seen: dict[str, int] = {}
        for i, name in enumerate(headers):
            if name and name in seen:
                raise InputError(Problem(
                    f"columns {column_letter(seen[name])} and {column_letter(i)} are both headed {name!r}; rename one",
                    file=str(path), row=number))
            seen[name] = i
        return number, headers
    raise InputError(Problem("is empty: no header row with column names", file=str(path)))


# ---- XLSX ------------------------------------------------------------------------------------------

def _check_package(path: Path) -> None:
    """Refuse an encrypted, old, oddly compressed or bomb workbook in one line, before openpyxl inflates it."""
    import zipfile

    from plangen.ooxml import package

    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        reason = package.sniff(head, kind=".xlsx")
        if reason is not None and head.startswith((package.OLE_MAGIC, b"{\\rtf")):  # other non-zips: zipfile says why
            raise InputError(Problem(f"is {reason}", file=str(path)))
        with zipfile.ZipFile(path) as zf:
            reason = package.problem(zf, kind=".xlsx")
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(Problem(f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", file=str(path))) from None
    if reason is not None:
        raise InputError(Problem(reason, file=str(path)))


def _open_xlsx(path: Path, sheet: str | None) -> RosterFile:
    import zipfile

    from openpyxl import load_workbook

    _check_package(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(Problem(f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", file=str(path))) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        elif sheet.isdigit() and 1 <= int(sheet) <= len(book.worksheets):
            ws = book.worksheets[int(sheet) - 1]
        else:
            raise InputError(Problem(f"has no sheet {sheet!r}; its sheets are {', '.join(book.sheetnames)}", file=str(path)))
        numbered = ((n, list(values)) for n, values in enumerate(ws.iter_rows(values_only=True), 1))
        header_number, headers = _header(numbered, path)
        estimate = max(0, (ws.max_row or 0) - header_number)
    except BaseException:
        book.close()
        raise
    return RosterFile(path, headers, estimate, sheet=ws.title, _rows=numbered, _close=book.close)
