"""The store's own table layout and the migrations that bring a file up to date.

`PRAGMA user_version` counts the migrations a file has received; `PRAGMA
application_id` marks the file as a chartdb-mcp store, so that another program's
SQLite database is never taken for an empty store and altered.

Layout after migration 1:

- `diagrams`: one row per diagram: its identity, current version, element counts and
  timestamps. It holds no document, so listing never reads the large ones.
- `diagram_versions`: every version's full snapshot (the diagram as JSON) with the
  summary of the change that produced it. The current document is the row whose
  version equals `diagrams.version`. Deleting a diagram cascades to its versions.

Migration 2 adds:

- to `diagram_versions`, the changelog of each version: who made it, the proposal it
  came from (if any) and one line per change (a JSON list of text);
- `proposals`: one row per proposal, its state in columns for listing and the whole
  proposal as JSON. Deleting a diagram cascades to its proposals.

Migration 3 adds:

- `connection_profiles`: a diagram's connection profiles, each a JSON document without
  secrets, plus its secret sealed with AES-256-GCM (nonce, ciphertext with tag, and the
  id of the master key that sealed it). At most one profile per diagram is active.
- `query_history`: one row per query run through a profile: text, time, duration, rows,
  status and (scrubbed) error.
- `saved_queries`: named queries of a diagram, with description and tags.

Deleting a diagram cascades to all three; deleting a profile, to its history.

Migration 4 adds:

- `auto_sync`: a diagram's automatic sync setting (the connection, by name, or none for
  the active one, and the interval in minutes) with its last run: when it ran, its
  outcome as JSON (counts per status, drift count, scrubbed error) and when it runs
  next. Deleting a diagram cascades to it.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from chartdb_mcp.errors import StoreError
from chartdb_mcp.store.connection import fetch_all, immediate_transaction, run

logger = logging.getLogger(__name__)

# "CdbM" read as a big-endian 32-bit integer.
APPLICATION_ID = 0x4364624D


@dataclass(frozen=True)
class Migration:
    """One step of the store's schema history, applied in a single transaction."""

    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "create the diagrams and diagram_versions tables",
        (
            f"PRAGMA application_id = {APPLICATION_ID}",
            """
            CREATE TABLE diagrams (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                database_type TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                table_count INTEGER NOT NULL,
                view_count INTEGER NOT NULL,
                relationship_count INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE diagram_versions (
                diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
                version INTEGER NOT NULL CHECK (version >= 1),
                summary TEXT NOT NULL,
                table_count INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (diagram_id, version)
            )
            """,
        ),
    ),
    Migration(
        "add the changelog columns and the proposals table",
        (
            "ALTER TABLE diagram_versions ADD COLUMN author TEXT",
            "ALTER TABLE diagram_versions ADD COLUMN proposal_id TEXT",
            "ALTER TABLE diagram_versions ADD COLUMN changes TEXT NOT NULL DEFAULT '[]'",
            """
            CREATE TABLE proposals (
                id TEXT PRIMARY KEY NOT NULL,
                diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                revision INTEGER NOT NULL CHECK (revision >= 1),
                base_version INTEGER NOT NULL CHECK (base_version >= 1),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                document TEXT NOT NULL
            )
            """,
            "CREATE INDEX proposals_by_diagram ON proposals (diagram_id, created_at)",
        ),
    ),
    Migration(
        "add connection profiles, query history and saved queries",
        (
            """
            CREATE TABLE connection_profiles (
                id TEXT PRIMARY KEY NOT NULL,
                diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
                document TEXT NOT NULL,
                key_id TEXT,
                secret_nonce BLOB,
                secret_ciphertext BLOB,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (diagram_id, name),
                CHECK ((key_id IS NULL) = (secret_ciphertext IS NULL))
            )
            """,
            """
            CREATE UNIQUE INDEX one_active_profile_per_diagram
            ON connection_profiles (diagram_id) WHERE active = 1
            """,
            """
            CREATE TABLE query_history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection_id TEXT NOT NULL
                    REFERENCES connection_profiles (id) ON DELETE CASCADE,
                started_at TEXT NOT NULL,
                duration_ms REAL NOT NULL,
                sql TEXT NOT NULL,
                mode TEXT NOT NULL,
                status TEXT NOT NULL,
                row_count INTEGER,
                error TEXT
            )
            """,
            "CREATE INDEX query_history_by_connection ON query_history (connection_id, id)",
            """
            CREATE TABLE saved_queries (
                id TEXT PRIMARY KEY NOT NULL,
                diagram_id TEXT NOT NULL REFERENCES diagrams (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                description TEXT,
                tags TEXT NOT NULL DEFAULT '[]',
                sql TEXT NOT NULL,
                dialect TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (diagram_id, name)
            )
            """,
        ),
    ),
    Migration(
        "add the automatic sync settings",
        (
            """
            CREATE TABLE auto_sync (
                diagram_id TEXT PRIMARY KEY NOT NULL
                    REFERENCES diagrams (id) ON DELETE CASCADE,
                connection TEXT,
                interval_minutes INTEGER NOT NULL CHECK (interval_minutes >= 1),
                last_run_at TEXT,
                last_outcome TEXT,
                next_run_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ),
    ),
)


def schema_version() -> int:
    """The schema version this program writes: the number of known migrations."""
    return len(MIGRATIONS)


async def migrate(connection: aiosqlite.Connection, path: str | Path) -> int:
    """Bring the store up to the current schema version and return that version.

    Each missing migration runs in its own transaction together with the bump of
    `user_version`, and the version is re-read under the write lock, so two processes
    opening one fresh file never apply a step twice. Raises `StoreError` for a file
    written by a newer chartdb-mcp or by another program.
    """
    known = schema_version()
    while True:
        async with immediate_transaction(connection):
            current = await _check_identity(connection, path, known)
            if current == known:
                return current
            step = MIGRATIONS[current]
            for statement in step.statements:
                await run(connection, statement)
            await run(connection, f"PRAGMA user_version = {current + 1}")
        logger.info(
            "migrated diagram store %s to schema version %d: %s",
            path,
            current + 1,
            step.description,
        )


async def _check_identity(connection: aiosqlite.Connection, path: str | Path, known: int) -> int:
    """The file's schema version, after making sure it is a store this program can use."""
    application_id = await _pragma(connection, "application_id")
    user_version = await _pragma(connection, "user_version")
    shown = repr(str(path))
    if application_id == 0 and user_version == 0:
        objects = await fetch_all(connection, "SELECT count(*) FROM sqlite_master")
        if objects[0][0] == 0:
            return 0
    if application_id != APPLICATION_ID:
        raise StoreError(
            f"The file {shown} is a SQLite database of another program, not a chartdb-mcp "
            "diagram store; choose another path."
        )
    if user_version > known:
        raise StoreError(
            f"The diagram store {shown} has schema version {user_version}, written by a "
            f"newer chartdb-mcp; this one knows versions up to {known}. Upgrade chartdb-mcp "
            "or use another store file."
        )
    return user_version


async def _pragma(connection: aiosqlite.Connection, name: str) -> int:
    rows = await fetch_all(connection, f"PRAGMA {name}")
    return int(rows[0][0])
