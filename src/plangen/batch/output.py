"""The output folder: unique portable names, whole files only, a journal of what was made, index tables.

Everything here is written through a temporary name and a rename (or appended a line at a time, for
the journal), so whatever interrupts a batch, the folder holds only complete files.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Self

from plangen import api
from plangen.errors import OutputError

JOURNAL = ".plangen-batch.jsonl"
ZIP_NAME = "plans.zip"
MAX_NAME_BYTES = 200  # ext4 allows 255 bytes a name; keep room for （N） and the temporary-file prefix


class FileNames:
    """Unique, portable file names within one output folder (Windows ignores case; so do we)."""

    def __init__(self) -> None:
        self.taken: dict[str, int] = {}

    @staticmethod
    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def claim(self, name: str, row: int) -> bool:
        key = self.key(name)
        if key in self.taken:
            return False
        self.taken[key] = row
        return True

    def unique(self, stem: str, row: int) -> tuple[str, int | None]:
        """A free name for ``stem`` and, when it had to be changed, the row that holds the plain one."""
        stem = _trim(stem, MAX_NAME_BYTES)
        n = 1
        while True:
            name = f"{stem}.docx" if n == 1 else f"{stem}（{n}）.docx"
            if self.claim(name, row):
                return name, (self.taken.get(self.key(f"{stem}.docx")) if n > 1 else None)
            n += 1


def _trim(stem: str, limit: int) -> str:
    data = stem.encode("utf-8")
    if len(data) <= limit:
        return stem
    return data[:limit].decode("utf-8", "ignore").rstrip(" .")


def inside(folder: Path, name: str) -> Path:
    """``folder/name``, refusing anything that would land elsewhere (the name is already sanitised)."""
    path = folder / name
    if path.parent != folder or name in ("", ".", "..") or os.sep in name or (os.altsep and os.altsep in name):
        raise OutputError(f"refusing to write {name!r} outside {folder}")
    return path


class Journal:
    """(input hash → file) of plans already made in this folder, appended to as files are written."""

    def __init__(self, folder: Path, *, force: bool) -> None:
        self.path = folder / JOURNAL
        self.previous: dict[str, list[tuple[str, str]]] = {}
        if not force and self.path.exists():
            with self.path.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                        self.previous.setdefault(str(entry["hash"]), []).append((str(entry["file"]), str(entry.get("unit", ""))))
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by a crash
        self.seen: dict[str, int] = {}
        self.current: list[str] = []
        self._fh = self.path.open("a", encoding="utf-8")

    def recorded(self, digest: str) -> tuple[str, str] | None:
        """(file, unit) the n-th row with this input was written to last time, if there was one."""
        n = self.seen.get(digest, 0)
        self.seen[digest] = n + 1
        files = self.previous.get(digest, [])
        return files[n] if n < len(files) else None

    def add(self, digest: str, name: str, unit: str) -> None:
        line = json.dumps({"hash": digest, "file": name, "unit": unit}, ensure_ascii=False) + "\n"
        self.current.append(line)
        self._fh.write(line)
        self._fh.flush()

    def close(self, *, compact: bool) -> None:
        self._fh.close()
        if compact:
            api.write_atomic(self.path, "".join(self.current).encode("utf-8"))


class ReportTable:
    """A CSV or XLSX file written row by row to a temporary name and renamed when complete."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.part")
        self.xlsx = path.suffix == ".xlsx"
        if self.xlsx:
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(path.stem)
            self._sheet.append(header)
        else:
            self._fh = self.tmp.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(header)

    def add(self, values: list[Any]) -> None:
        (self._sheet.append if self.xlsx else self._writer.writerow)(values)

    def finish(self) -> Path:
        if self.xlsx:
            self._book.save(self.tmp)
        else:
            self._fh.close()
        os.replace(self.tmp, self.path)
        return self.path

    def discard(self) -> None:
        if not self.xlsx:
            self._fh.close()
        try:
            self.tmp.unlink()
        except OSError:
            pass


class DeferInterrupt:
    """Hold Ctrl-C while one file, its journal line and its index row are written, then act on it."""

    def __enter__(self) -> Self:
        self.hit = False
        try:
            self.old = signal.signal(signal.SIGINT, self._note)
        except ValueError:  # not the main thread: nothing to defer
            self.old = None
        return self

    def _note(self, *_: Any) -> None:
        self.hit = True

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)
        if self.hit and exc[0] is None:
            raise KeyboardInterrupt



def exists(folder: Path, name: str) -> bool:
    try:
        return inside(folder, name).is_file()
    except OutputError:
        return False


def pack(folder: Path, names: list[str], index: Path | None) -> Path:
    """A zip of the plans (stored: .docx is already compressed) with UTF-8 names Windows shows as Chinese."""
    target = folder / ZIP_NAME
    tmp = folder / f".{ZIP_NAME}.part"
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            for name in names:
                zf.write(folder / name, name)
            if index is not None:
                zf.write(index, index.name, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    return target
