"""Creating files safely: the one place plangen opens a file for writing.

Every file plangen writes is created under a fresh random name with ``O_CREAT | O_EXCL | O_NOFOLLOW``
and renamed into place, so a symbolic link (or any other file) planted at a name plangen uses is never
written through: rename replaces a link, it does not follow it, and an exclusive create fails on one.
Files are created with mode 0666 and the process umask applies, as any editor does (``mkstemp`` would
make them 0600, which colleagues on a shared folder cannot open).

Errors become :class:`~plangen.errors.OutputError` with one line naming the file; :data:`FATAL` errnos
(disk full, read-only, no permission) mean no further file in that folder can be written either.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from plangen.errors import InputError, OutputError
from plangen.i18n import N_, _, msg

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC | _BINARY
FATAL = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, getattr(errno, "EDQUOT", errno.ENOSPC),
                   errno.EMFILE, errno.ENFILE})
"""When writing one file fails with one of these, the next would too: the batch stops instead of failing every row."""
TEMP_SUFFIX = ".part"


# The operating system's reasons, in the reader's language (strerror is English on most systems).
_REASONS = {
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOENT: N_("No such file or directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EISDIR: N_("Is a directory"),
    errno.EMFILE: N_("Too many open files"),
    errno.EEXIST: N_("a file of that name is in the way"),
}
# What plangen was doing, for ``fail(path, exc, what)``.
WHAT = {
    "cannot write": N_("cannot write {path}"),
    "cannot read": N_("cannot read {path}"),
    "cannot create folder": N_("cannot create folder {path}"),
    "cannot write in": N_("cannot write in {path}"),
    "cannot move aside": N_("cannot move aside {path}"),
}


def describe(exc: OSError) -> str:
    """The OS's reason, with a hint where the user can do something about it."""
    reason = _(_REASONS[exc.errno]) if exc.errno in _REASONS else (exc.strerror or str(exc))
    if exc.errno == errno.ELOOP:
        return _("it is a symbolic link, and plangen never writes through a link; remove the link")
    if exc.errno == errno.ENOSPC:
        return _("{reason}; free some space and run the same command again", reason=reason)
    if exc.errno == errno.EROFS:
        return _("{reason}; choose a folder you can write to", reason=reason)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("{reason}; choose a folder you can write to, or ask for write access", reason=reason)
    return reason


def fail(path: Path | str, exc: OSError, what: str = "cannot write") -> OutputError:
    """An OutputError naming ``path``; ``fatal`` tells the batch to stop rather than go on row by row."""
    doing = _(WHAT.get(what, "cannot write {path}"), path=path)
    return OutputError(msg("output.os-error", "{doing}: {reason}", doing=doing, reason=describe(exc)), fatal=exc.errno in FATAL)


def create(path: Path) -> int:
    """A new file at ``path``, opened for writing: fails if anything (a link too) is there already."""
    return os.open(path, CREATE_FLAGS, 0o666)


def temp_beside(path: Path, prefix: str | None = None) -> tuple[int, Path]:
    """A new hidden file in ``path``'s folder with a random name, created exclusively (mode 0666 & ~umask)."""
    stem = prefix if prefix is not None else f".{path.name[:60]}."
    while True:
        tmp = path.with_name(f"{stem}{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            return create(tmp), tmp
        except FileExistsError:
            continue


def write_fd(fd: int, data: bytes) -> None:
    """All of ``data`` to an open file, closing it."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False, prefix: str | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place: no reader ever sees half a
    file, and a link at ``path`` is refused, never followed. ``exclusive``: fail if ``path`` exists at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(path.parent, exc, "cannot create folder") from None
    if not exclusive and is_link(path):
        raise OutputError(msg("output.link", "cannot write {path}: it is a symbolic link, and plangen never writes "
                              "through a link; remove the link or choose another name", path=path))
    tmp: Path | None = None
    try:
        fd, tmp = temp_beside(path, prefix)
        write_fd(fd, data)
        if exclusive:
            try:
                os.link(tmp, path)  # atomic, and fails on anything at path, a dangling link included
            except FileExistsError:
                raise _exists(path) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                write_fd(create(path), data)  # a file system without hard links: create it exclusively
        else:
            os.replace(tmp, path)
            tmp = None
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise fail(path, exc) from None
    finally:
        if tmp is not None:
            remove(tmp)


def _exists(path: Path) -> InputError:
    """The user named a file that is there already (exit 2: their choice of name)."""
    return InputError(msg("output.exists", "{path} already exists; choose another name or delete it first", path=path))


def remove(path: Path) -> None:
    """Remove a file (a link itself, never its target) if it is there."""
    try:
        os.unlink(path)
    except OSError:
        pass


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def kind(path: Path) -> str | None:
    """What is at ``path`` without following a link: ``file``, ``link``, ``other``, or None for nothing."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:
        return "other"
    if stat.S_ISREG(mode):
        return "file"
    return "link" if stat.S_ISLNK(mode) else "other"


def read_regular(path: Path, *, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refusing a link (``O_NOFOLLOW``) or anything that is not a plain file."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | CLOEXEC | _BINARY)
    except OSError as exc:
        raise fail(path, exc, "cannot read") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(msg("output.not-a-file", "cannot read {path}: it is not a plain file; remove it", path=path))
        return fh.read() if limit is None else fh.read(limit)


def move_aside(path: Path) -> Path:
    """Move what is at ``path`` (a file, or a link as a link) to the first free ``NAME.kept.docx``,
    ``NAME.kept-2.docx``…, as ``plangen batch`` keeps a file it did not make; the name it now has."""
    stem = path.name.removesuffix(".docx")
    n = 1
    while os.path.lexists(kept := path.with_name(f"{stem}.kept.docx" if n == 1 else f"{stem}.kept-{n}.docx")):
        n += 1
    try:
        os.rename(path, kept)  # a link is moved as a link; its target is never touched
    except OSError as exc:
        raise fail(path, exc, "cannot move aside") from None
    return kept
