"""The web app's data: one SQLite file (standard library, WAL) with a schema version and migrations.

Migrations are only ever appended: a database made by any earlier release is brought up to date at
start, and one made by a later release is refused rather than misread.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIGRATIONS: list[str] = [
    # 1: drafts typed in the form, and the app's own settings (the secret that signs sessions)
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_type TEXT NOT NULL,
        data TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE INDEX drafts_updated ON drafts(updated DESC);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: every document generated (downloaded), with the input it was made from, for 历史
    """
    CREATE TABLE generated (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_type TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        filename TEXT NOT NULL,
        kind TEXT NOT NULL,
        input TEXT NOT NULL,
        draft INTEGER,
        created REAL NOT NULL
    );
    CREATE INDEX generated_created ON generated(created DESC);
    """,
    # 3: each draft's version and the form (browser tab) that saved it last, so a save made over another
    # tab's newer one is noticed rather than silently undoing it
    """
    ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE drafts ADD COLUMN writer TEXT NOT NULL DEFAULT '';
    """,
]


class Conflict(Exception):
    """The draft was saved by another form since this one loaded it; ``args[0]`` is its version now."""


class StoreError(Exception):
    """The database cannot be used (made by a newer plangen, or not a plangen database)."""


@dataclass(frozen=True)
class Draft:
    id: int
    plan_type: str
    data: dict[str, Any]
    title: str
    updated: float
    version: int = 1


@dataclass(frozen=True)
class Generated:
    """One generated document: what it was, and the YAML input (the CLI's format) it was made from."""

    id: int
    plan_type: str
    title: str
    filename: str
    kind: str
    """``docx``, ``notice`` or ``pdf``."""
    input: str
    draft: int | None
    created: float


class Store:
    """Drafts and settings. One connection per thread: uvicorn runs sync work in a thread pool."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "plangen.sqlite3"
        self._local = threading.local()
        self.migrate()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    def migrate(self) -> int:
        """Bring the schema up to the latest version; the version reached."""
        db = self._db()
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT version FROM schema_version").fetchone()
        version = row[0] if row else 0
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was made by a newer plangen (schema {version}); upgrade plangen")
        for number, script in enumerate(MIGRATIONS[version:], version + 1):
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute("DELETE FROM schema_version")
                db.execute("INSERT INTO schema_version VALUES (?)", (number,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return len(MIGRATIONS)

    def secret(self) -> bytes:
        """The key that signs session cookies, made once and kept, so a restart keeps people signed in."""
        db = self._db()
        db.execute("INSERT OR IGNORE INTO settings VALUES ('secret', ?)", (secrets.token_hex(32),))
        return bytes.fromhex(db.execute("SELECT value FROM settings WHERE key='secret'").fetchone()[0])

    def create(self, plan_type: str, data: dict[str, Any], title: str = "") -> int:
        now = time.time()
        cur = self._db().execute(
            "INSERT INTO drafts (plan_type, data, title, created, updated) VALUES (?, ?, ?, ?, ?)",
            (plan_type, json.dumps(data, ensure_ascii=False), title, now, now),
        )
        return int(cur.lastrowid or 0)

    def save(self, draft_id: int, data: dict[str, Any], title: str, *, base: int | None = None, writer: str = "") -> int:
        """Save the draft; its new version. With ``base`` (the version the form loaded), refuse with
        :class:`Conflict` when another writer has saved since; the same writer (one tab's overlapping
        autosaves) never conflicts with itself."""
        row = self._db().execute(
            "UPDATE drafts SET data=?, title=?, updated=?, version=version+1, writer=? "
            "WHERE id=? AND (? IS NULL OR version=? OR (writer=? AND writer!='')) RETURNING version",
            (json.dumps(data, ensure_ascii=False), title, time.time(), writer, draft_id, base, base, writer),
        ).fetchone()
        if row is None:
            now = self._db().execute("SELECT version FROM drafts WHERE id=?", (draft_id,)).fetchone()
            raise Conflict(now[0] if now else 0)
        return int(row[0])

    _DRAFT = "SELECT id, plan_type, data, title, updated, version FROM drafts"

    def get(self, draft_id: int) -> Draft | None:
        row = self._db().execute(self._DRAFT + " WHERE id=?", (draft_id,)).fetchone()
        return Draft(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5]) if row else None

    def recent(self, limit: int = 10) -> list[Draft]:
        rows = self._db().execute(self._DRAFT + " ORDER BY updated DESC, id DESC LIMIT ?", (limit,)).fetchall()
        return [Draft(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def record(self, plan_type: str, title: str, filename: str, kind: str, input_yaml: str, draft: int | None) -> int:
        """Keep a generated document in the history (its input, not its bytes: it is made again on demand)."""
        cur = self._db().execute(
            "INSERT INTO generated (plan_type, title, filename, kind, input, draft, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (plan_type, title, filename, kind, input_yaml, draft, time.time()),
        )
        return int(cur.lastrowid or 0)

    _GENERATED = "SELECT id, plan_type, title, filename, kind, input, draft, created FROM generated"

    def generated(self, item_id: int) -> Generated | None:
        row = self._db().execute(self._GENERATED + " WHERE id=?", (item_id,)).fetchone()
        return Generated(*row) if row else None

    def history(self, limit: int = 200) -> list[Generated]:
        rows = self._db().execute(self._GENERATED + " ORDER BY created DESC, id DESC LIMIT ?", (limit,)).fetchall()
        return [Generated(*r) for r in rows]
