"""The output folder: unique portable names, whole files only, a journal of what was made, index tables.

Everything here is written through a temporary name and a rename (or appended a line at a time, for
the journal), so whatever interrupts a batch, the folder holds only complete files. Every file is
created exclusively and no link in the folder is ever followed (:mod:`plangen.files`): a link planted
at a name plangen uses is replaced or refused, never written through. The folder is locked for the
length of a batch, and cells that came from a roster are written to the reports as text, never as
spreadsheet formulas.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import signal
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import IO, Any, Self

from plangen import files
from plangen.batch.options import quoted
from plangen.errors import OutputError
from plangen.i18n import N_, Msg, _, msg

JOURNAL = ".plangen-batch.jsonl"
LOCK = ".plangen-batch.lock"
ZIP_NAME = "plans.zip"
PART_PREFIX = ".plangen-"
"""Every temporary file of a batch starts so (and ends in .part): one glob removes those a killed run left."""
JOURNAL_LIMIT = 64 * 1024 * 1024
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
        raise OutputError(msg("batch.outside-folder", "refusing to write {name} outside {folder}", name=quoted(name), folder=folder))
    return path


def content_hash(data: bytes) -> str:
    """What the journal records of a plan's bytes, to tell a plan edited by hand from the one plangen wrote."""
    return hashlib.sha256(data).hexdigest()[:32]


class Journal:
    """(input hash → file) of plans already made in this folder, appended to as files are written.

    Each line also holds the hash of the file's bytes, so a plan edited since (or a file plangen never
    made) is recognised and kept rather than overwritten (:func:`make_room`)."""

    def __init__(self, folder: Path, *, force: bool) -> None:
        self.path = folder / JOURNAL
        self.previous: dict[str, list[tuple[str, str]]] = {}
        self.made: dict[str, str | None] = {}
        """file name → hash of the bytes plangen wrote there (None: written by a version that kept none)."""
        kind = files.kind(self.path)
        if kind not in (None, "file"):
            raise OutputError(msg("batch.journal-not-file", "{file} is not a plain file (a link?); plangen never follows links "
                                  "in its output folder: remove it and run again", file=self.path))
        if kind == "file":
            text = files.read_regular(self.path, limit=JOURNAL_LIMIT).decode("utf-8", "replace")
            for line in text.splitlines():
                try:
                    entry = json.loads(line)
                    name = str(entry["file"])
                    if not force:
                        self.previous.setdefault(str(entry["hash"]), []).append((name, str(entry.get("unit", ""))))
                    self.made[FileNames.key(name)] = str(entry["sha"]) if "sha" in entry else None
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash
        self.seen: dict[str, int] = {}
        self.current: list[str] = []
        try:  # appended to, never followed: O_NOFOLLOW fails on a link planted since it was read
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | files.NOFOLLOW | files.CLOEXEC, 0o666)
        except OSError as exc:
            raise files.fail(self.path, exc) from None
        self._fh = os.fdopen(fd, "a", encoding="utf-8")

    def recorded(self, digest: str) -> tuple[str, str] | None:
        """(file, unit) the n-th row with this input was written to last time, if there was one."""
        n = self.seen.get(digest, 0)
        self.seen[digest] = n + 1
        files_ = self.previous.get(digest, [])
        return files_[n] if n < len(files_) else None

    def add(self, digest: str, name: str, unit: str, sha: str | None) -> None:
        entry: dict[str, str] = {"hash": digest, "file": name, "unit": unit}
        if sha is not None:
            entry["sha"] = sha
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self.current.append(line)
        try:
            self._fh.write(line)
            self._fh.flush()
        except OSError as exc:
            raise files.fail(self.path, exc) from None

    def close(self, *, compact: bool) -> None:
        try:
            self._fh.close()
        except OSError:
            pass  # disk full: the lines that reached it are whole, a cut one is skipped when read
        if compact:
            files.write_atomic(self.path, "".join(self.current).encode("utf-8"), prefix=f"{PART_PREFIX}journal.")


def make_room(folder: Path, name: str, journal: Journal) -> Msg | None:
    """Before a plan is written to ``name``: move aside whatever is there that plangen did not write, or
    that was edited since, so no one's edit is overwritten. Returns the warning to print, if any."""
    path = folder / name
    kind = files.kind(path)
    if kind is None:
        return None
    recorded = journal.made.get(FileNames.key(name), "absent")
    if kind == "file" and recorded != "absent":
        if recorded is None:
            return None  # made by an older plangen that kept no hash: its own file
        try:
            if content_hash(files.read_regular(path)) == recorded:
                return None
        except OutputError:
            pass
    stem = name.removesuffix(".docx")
    n = 1
    while True:
        kept = f"{stem}.kept.docx" if n == 1 else f"{stem}.kept-{n}.docx"
        if files.kind(folder / kept) is None:
            break
        n += 1
    try:
        os.rename(path, folder / kept)  # a link is moved as a link; its target is never touched
    except OSError as exc:
        raise files.fail(path, exc, N_("cannot move aside")) from None
    why = {"link": N_("is a symbolic link, not a plan plangen wrote"), "other": N_("is not a plain file")}.get(
        kind, N_("was edited since plangen made it") if recorded != "absent" else N_("was not made by plangen"))
    return msg("batch.kept-aside", "{name} {why}; it was kept as {kept} and the new plan written as {name}",
               name=name, why=_(why), kept=kept)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, WPS or LibreOffice read a CSV cell as a formula (OWASP, CSV injection)."""


def neutral(value: Any) -> Any:
    """A roster-derived value made safe for a spreadsheet: text that could start a formula gets a
    leading ``'`` (OWASP's advice for CSV; the apostrophe shows as text). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


INDEX_HEADER = [N_("row"), N_("unit"), N_("file"), N_("status"), N_("note")]
"""index.csv/.xlsx: 行号, 单位, 文件, 状态, 备注 in Chinese (the English words under PLANGEN_LANG=en)."""
ERRORS_HEADER = [N_("row"), N_("column"), N_("field"), N_("message")]
"""errors.csv: 行号, 列, 字段, 问题."""
STATUSES = {"made": N_("made"), "skipped": N_("skipped"), "failed": N_("failed")}


def status(key: str) -> str:
    """A row's status in the index, in the reader's language: 已生成, 已跳过, 失败."""
    return _(STATUSES[key])


class ReportTable:
    """A CSV or XLSX file written row by row to a temporary name and renamed when complete.

    Every text cell is written as text: in CSV with :func:`neutral`, in XLSX as a string cell (never
    a formula, whatever it starts with)."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.xlsx = path.suffix == ".xlsx"
        header = [_(h) for h in header]
        try:
            fd, self.tmp = files.temp_beside(path, prefix=f"{PART_PREFIX}{path.name}.")
        except OSError as exc:
            raise files.fail(path, exc) from None
        self._fh: IO[Any] = os.fdopen(fd, "wb" if self.xlsx else "w", encoding=None if self.xlsx else "utf-8-sig",
                                      newline=None if self.xlsx else "")
        if self.xlsx:
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(path.stem)
            self._sheet.append(header)
        else:
            self._writer = csv.writer(self._fh)
            self._writer.writerow(header)

    def add(self, values: list[Any]) -> None:
        values = [str(v) if isinstance(v, Msg) else v for v in values]  # a message, in the reader's language
        try:
            if self.xlsx:
                self._sheet.append([self._text_cell(v) for v in values])
            else:
                self._writer.writerow([neutral(v) for v in values])
        except OSError as exc:
            raise files.fail(self.path, exc) from None

    def _text_cell(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"  # openpyxl makes any text starting with = a live formula
        return cell

    def finish(self) -> Path:
        try:
            if self.xlsx:
                self._book.save(self._fh)  # to the file created here, not reopened by name
            self._fh.close()
            os.replace(self.tmp, self.path)  # a link at path is replaced, not followed
        except OSError as exc:
            self.discard()
            raise files.fail(self.path, exc) from None
        return self.path

    def discard(self) -> None:
        try:
            self._fh.close()
        except (OSError, ValueError):
            pass
        files.remove(self.tmp)


class DeferInterrupt:
    """Hold Ctrl-C and SIGTERM while one file, its journal line and its index row are written, then act on them."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self) -> Self:
        self.hit: int | None = None
        self.old: dict[int, Any] = {}
        try:
            for sig in self.SIGNALS:
                self.old[sig] = signal.signal(sig, self._note)
        except ValueError:  # not the main thread: nothing to defer
            self.old = {}
        return self

    def _note(self, signum: int, _frame: Any) -> None:
        self.hit = signum

    def __exit__(self, *exc: object) -> None:
        for sig, old in self.old.items():
            signal.signal(sig, old)
        if self.hit is not None and exc[0] is None:
            signal.raise_signal(self.hit)  # now handled as it would have been: KeyboardInterrupt, Terminated…


def exists(folder: Path, name: str) -> bool:
    """A plain file (not a link, not a folder) is at ``folder/name``."""
    try:
        return files.kind(inside(folder, name)) == "file"
    except OutputError:
        return False


def pack(folder: Path, names: list[str], index: Path | None) -> Path:
    """A zip of the plans (stored: .docx is already compressed) with UTF-8 names Windows shows as Chinese.

    Each plan is read without following links (a link where a plan should be was already moved aside)."""
    target = folder / ZIP_NAME
    try:
        fd, tmp = files.temp_beside(target, prefix=f"{PART_PREFIX}{ZIP_NAME}.")
    except OSError as exc:
        raise files.fail(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
            for name, path, compress in [*((n, folder / n, zipfile.ZIP_STORED) for n in names),
                                         *([(index.name, index, zipfile.ZIP_DEFLATED)] if index is not None else [])]:
                info = zipfile.ZipInfo(name, time.localtime(os.lstat(path).st_mtime)[:6])
                info.compress_type = compress
                info.external_attr = 0o644 << 16
                zf.writestr(info, files.read_regular(path))
        os.replace(tmp, target)
    except OSError as exc:
        files.remove(tmp)
        raise files.fail(target, exc) from None
    except BaseException:
        files.remove(tmp)
        raise
    return target


class FolderLock:
    """One batch at a time in a folder: a second one would delete the first's parts and mix the index.

    ``flock`` on a lock file created without following links (POSIX), ``msvcrt.locking`` on Windows;
    the kernel drops the lock when the process dies, so a killed run never leaves the folder locked."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK
        self.fd: int | None = None

    def acquire(self) -> None:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | files.NOFOLLOW | files.CLOEXEC, 0o666)
            except OSError as exc:
                raise files.fail(self.path.parent, exc, N_("cannot write in")) from None
            try:
                _lock(fd)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() if hasattr(os, "pread") else ""
                os.close(fd)
                if holder.isdigit():
                    raise OutputError(msg("batch.folder-in-use", "{folder} is in use by another plangen batch (process {pid}); "
                                          "wait for it to finish, or choose another -o", folder=self.path.parent, pid=holder)) from None
                raise OutputError(msg("batch.folder-in-use", "{folder} is in use by another plangen batch; wait for it to finish, "
                                      "or choose another -o", folder=self.path.parent)) from None
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                    return  # a file system without locks (some network shares): run unlocked, as before
                raise files.fail(self.path.parent, exc, N_("cannot write in")) from None
            # the run before us may have removed the file between our open and our lock: lock the one that is there
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(self.path))
            except OSError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0) if hasattr(os, "pwrite") else None
                self.fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        if self.fd is not None:
            files.remove(self.path)  # while still locked: whoever waits re-checks the file is the one there
            os.close(self.fd)
            self.fd = None


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise BlockingIOError(*exc.args) from None
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
