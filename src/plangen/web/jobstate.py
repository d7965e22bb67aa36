"""The files of one web batch, typed: ``meta.json`` (what was uploaded), ``job.json`` (how the job runs)
and ``status.json`` (how far it got), each with its load and save here and nowhere else.

Written whole or not at all (the page polls ``status.json`` while the job process writes it), in the
same JSON as before, so a server restarted over its data folder still shows earlier batches and the
jobs it left running. A file that is missing or unreadable loads as None.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

META = "meta.json"
SETTINGS = "job.json"
STATUS = "status.json"

State = Literal["starting", "running", "done", "failed"]
RUNNING: tuple[State, ...] = ("starting", "running")

T = TypeVar("T")


def write_json(path: Path, value: Any) -> None:
    """Whole or not at all: the page may read it while the job writes it."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _load(kind: type[T], path: Path) -> T | None:
    """A dataclass from its JSON object; keys it does not know are left out, missing ones take their defaults."""
    data = read_json(path)
    if not isinstance(data, dict):
        return None
    known = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    try:
        return kind(**{k: v for k, v in data.items() if k in known})
    except TypeError:  # a required key missing: not a file this module wrote
        return None


def _save(path: Path, value: Any) -> None:
    write_json(path, {k: v for k, v in dataclasses.asdict(value).items() if v is not None})


@dataclass(frozen=True)
class BatchMeta:
    """``meta.json``: the uploaded roster and base, written once when the batch is made."""

    plan_type: str
    headers: list[str]
    roster: str
    """The roster's file name as uploaded (shown; the file on disk is roster.csv or roster.xlsx)."""
    base: str
    """The base draft's title (shown)."""
    created: float = 0.0

    @classmethod
    def load(cls, folder: Path) -> BatchMeta | None:
        return _load(cls, folder / META)

    def save(self, folder: Path) -> None:
        _save(folder / META, self)


@dataclass(frozen=True)
class JobSettings:
    """``job.json``: what the job process needs beyond the base and roster files."""

    plugins_dirs: list[str] = field(default_factory=list)
    templates_dirs: list[str] = field(default_factory=list)
    same_people: bool = False
    columns: dict[str, str | list[str] | None] | None = None
    """The column map chosen in the page (header → field path, or paths); laid over the base's own."""

    @classmethod
    def load(cls, folder: Path) -> JobSettings:
        return _load(cls, folder / SETTINGS) or cls()

    def save(self, folder: Path) -> None:
        _save(folder / SETTINGS, self)


@dataclass(frozen=True)
class JobState:
    """``status.json``: starting → running (rows done of about total) → done (what was made) or failed."""

    state: State
    done: int = 0
    total: int = 0
    started: float = 0.0
    pid: int | None = None
    message: str | None = None
    """Why it failed, in the user's words ("" for an error on the server)."""
    made: int = 0
    failed: int = 0
    blank: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    index: str | None = None
    """The index file's name in out/ (index.csv or index.xlsx), if one was made."""
    errors: bool = False
    """out/errors.csv was written."""
    zip: bool = False
    """out/plans.zip was written."""
    finished: float | None = None

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    @classmethod
    def load(cls, folder: Path) -> JobState | None:
        return _load(cls, folder / STATUS)

    def save(self, folder: Path) -> None:
        _save(folder / STATUS, self)

    def but(self, **changes: Any) -> JobState:
        return dataclasses.replace(self, **changes)

    @classmethod
    def starting(cls) -> JobState:
        return cls("starting", started=time.time())

    def settled(self, folder: Path, ended: bool) -> JobState:
        """This state, unless the job process ``ended`` without saying so (killed, or gone when the server
        restarted): then the state it last wrote, or failed."""
        if not self.running or not ended:
            return self
        last = JobState.load(folder) or self
        return last.but(state="failed", message="") if last.running else last


def alive(pid: Any) -> bool:
    """Whether the job process with this pid still runs (a restarted server finds its jobs so)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
