"""Connection profiles and their query history, kept in the diagram store's file.

A profile row holds the profile as JSON (nothing secret in it) and, apart from it, the
sealed secret: nonce, ciphertext and the id of the master key that sealed it. Plain
secrets never reach this module. Every change is one transaction of the diagram store.
"""

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite
from pydantic import ValidationError

from chartdb_mcp.core.connections import ConnectionProfile
from chartdb_mcp.core.model import utc_now
from chartdb_mcp.errors import (
    ConnectionProfileNotFound,
    DiagramNotFound,
    InvalidInput,
    StoreError,
)
from chartdb_mcp.store import queries
from chartdb_mcp.store.connection import fetch_all, run
from chartdb_mcp.store.diagram_store import DiagramStore
from chartdb_mcp.store.queries import from_text, to_text
from chartdb_mcp.store.secret_box import SealedSecret

logger = logging.getLogger(__name__)

PROFILE_COLUMNS = "id, name, active, document, key_id, secret_nonce, secret_ciphertext"
LONGEST_HISTORY = 500


@dataclass(frozen=True)
class HistoryEntry:
    """One query run through a profile, as the history keeps it."""

    connection_id: str
    started_at: datetime
    duration_ms: float
    sql: str
    mode: str
    status: str
    row_count: int | None = None
    error: str | None = None
    id: int | None = None


class KeepSecret:
    """Marks an update that leaves the stored secret as it is."""


KEEP_SECRET = KeepSecret()


class ConnectionStore:
    """The connection profiles and query history of one diagram store."""

    def __init__(self, store: DiagramStore) -> None:
        self._store = store

    async def add(self, profile: ConnectionProfile, sealed: SealedSecret | None) -> None:
        """Store a new profile; it becomes active when it is the diagram's first.

        Raises DiagramNotFound for an unknown diagram and InvalidInput for a name in use.
        """
        async with self._store.writing() as connection:
            if await queries.fetch_head(connection, profile.diagram_id) is None:
                raise DiagramNotFound(profile.diagram_id)
            existing = await _fetch_rows(connection, profile.diagram_id)
            if any(row["name"] == profile.name for row in existing):
                raise InvalidInput(
                    f"Diagram {profile.diagram_id!r} already has a connection named "
                    f"{profile.name!r}; choose another name or use update-connection."
                )
            now = utc_now()
            stored = profile.model_copy(
                update={"created_at": now, "updated_at": now, "active": not existing}
            )
            await run(
                connection,
                f"INSERT INTO connection_profiles ({PROFILE_COLUMNS}, diagram_id, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.id,
                    stored.name,
                    int(stored.active),
                    _document(stored),
                    *_secret_columns(sealed),
                    stored.diagram_id,
                    to_text(now),
                    to_text(now),
                ),
            )
        logger.info("added connection %r to diagram %s", profile.name, profile.diagram_id)

    async def list_profiles(self, diagram_id: str) -> list[ConnectionProfile]:
        """The diagram's profiles by name; raises DiagramNotFound."""
        async with self._store.reading() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            rows = await _fetch_rows(connection, diagram_id)
        return [_profile(row) for row in rows]

    async def get(
        self, diagram_id: str, name: str | None
    ) -> tuple[ConnectionProfile, SealedSecret | None]:
        """The profile named (or with the id) `name`, or the active one when `name` is None.

        Raises DiagramNotFound, or ConnectionProfileNotFound listing the names there are.
        """
        profiles = await self._rows(diagram_id)
        row = _find(profiles, diagram_id, name)
        return _profile(row), _sealed(row)

    async def update(
        self, profile: ConnectionProfile, sealed: SealedSecret | KeepSecret | None = KEEP_SECRET
    ) -> ConnectionProfile:
        """Replace a profile (found by id) and, unless KEEP_SECRET, its secret.

        Raises ConnectionProfileNotFound when the profile is gone and InvalidInput when
        the new name is another profile's.
        """
        stored = profile.model_copy(update={"updated_at": utc_now()})
        async with self._store.writing() as connection:
            rows = await _fetch_rows(connection, profile.diagram_id)
            if not any(row["id"] == profile.id for row in rows):
                raise ConnectionProfileNotFound(f"Connection {profile.name!r} no longer exists.")
            if any(row["name"] == profile.name and row["id"] != profile.id for row in rows):
                raise InvalidInput(f"Another connection is already named {profile.name!r}.")
            await run(
                connection,
                "UPDATE connection_profiles SET name = ?, document = ?, updated_at = ? "
                "WHERE id = ?",
                (
                    stored.name,
                    _document(stored),
                    to_text(stored.updated_at or utc_now()),
                    stored.id,
                ),
            )
            if not isinstance(sealed, KeepSecret):
                await run(
                    connection,
                    "UPDATE connection_profiles SET key_id = ?, secret_nonce = ?, "
                    "secret_ciphertext = ? WHERE id = ?",
                    (*_secret_columns(sealed), stored.id),
                )
        return stored

    async def remove(self, diagram_id: str, name: str) -> ConnectionProfile:
        """Delete a profile and its history; an active one hands the role to none."""
        async with self._store.writing() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            row = _find(await _fetch_rows(connection, diagram_id), diagram_id, name)
            await run(connection, "DELETE FROM connection_profiles WHERE id = ?", (row["id"],))
        logger.info("removed connection %r from diagram %s", row["name"], diagram_id)
        return _profile(row)

    async def activate(self, diagram_id: str, name: str) -> ConnectionProfile:
        """Make `name` the diagram's active profile (and no other) in one transaction."""
        async with self._store.writing() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            row = _find(await _fetch_rows(connection, diagram_id), diagram_id, name)
            await run(
                connection,
                "UPDATE connection_profiles SET active = 0 WHERE diagram_id = ? AND active = 1",
                (diagram_id,),
            )
            await run(
                connection, "UPDATE connection_profiles SET active = 1 WHERE id = ?", (row["id"],)
            )
        return _profile(row).model_copy(update={"active": True})

    async def reseal_all(self, reseal: Callable[[str, str, SealedSecret], SealedSecret]) -> int:
        """Replace every stored secret with `reseal(profile_id, name, sealed)`, atomically.

        Either every secret is replaced or, when `reseal` raises, none is. Returns how many.
        """
        async with self._store.writing() as connection:
            rows = await fetch_all(
                connection,
                f"SELECT {PROFILE_COLUMNS} FROM connection_profiles WHERE key_id IS NOT NULL",
            )
            for row in rows:
                sealed = _sealed(row)
                assert sealed is not None
                fresh = reseal(row["id"], row["name"], sealed)
                await run(
                    connection,
                    "UPDATE connection_profiles SET key_id = ?, secret_nonce = ?, "
                    "secret_ciphertext = ? WHERE id = ?",
                    (*_secret_columns(fresh), row["id"]),
                )
        return len(rows)

    async def record_history(self, entry: HistoryEntry) -> None:
        """Append a query to its profile's history, keeping the newest LONGEST_HISTORY."""
        async with self._store.writing() as connection:
            await run(
                connection,
                "INSERT INTO query_history (connection_id, started_at, duration_ms, sql, mode, "
                "status, row_count, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.connection_id,
                    to_text(entry.started_at),
                    entry.duration_ms,
                    entry.sql,
                    entry.mode,
                    entry.status,
                    entry.row_count,
                    entry.error,
                ),
            )
            await run(
                connection,
                "DELETE FROM query_history WHERE connection_id = ? AND id NOT IN "
                "(SELECT id FROM query_history WHERE connection_id = ? ORDER BY id DESC LIMIT ?)",
                (entry.connection_id, entry.connection_id, LONGEST_HISTORY),
            )

    async def history(self, connection_id: str, limit: int) -> list[HistoryEntry]:
        """The profile's queries, newest first, at most `limit`."""
        async with self._store.reading() as connection:
            rows = await fetch_all(
                connection,
                "SELECT id, connection_id, started_at, duration_ms, sql, mode, status, "
                "row_count, error FROM query_history WHERE connection_id = ? "
                "ORDER BY id DESC LIMIT ?",
                (connection_id, limit),
            )
        return [
            HistoryEntry(
                id=row["id"],
                connection_id=row["connection_id"],
                started_at=from_text(row["started_at"]),
                duration_ms=row["duration_ms"],
                sql=row["sql"],
                mode=row["mode"],
                status=row["status"],
                row_count=row["row_count"],
                error=row["error"],
            )
            for row in rows
        ]

    async def _rows(self, diagram_id: str) -> list[sqlite3.Row]:
        async with self._store.reading() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            return await _fetch_rows(connection, diagram_id)


async def _fetch_rows(connection: aiosqlite.Connection, diagram_id: str) -> list[sqlite3.Row]:
    return await fetch_all(
        connection,
        f"SELECT {PROFILE_COLUMNS} FROM connection_profiles WHERE diagram_id = ? ORDER BY name",
        (diagram_id,),
    )


def _find(rows: list[sqlite3.Row], diagram_id: str, name: str | None) -> sqlite3.Row:
    """The row named `name` (or with that id), or the active row when `name` is None."""
    for row in rows:
        if (name is None and row["active"]) or (
            name is not None and name in (row["name"], row["id"])
        ):
            return row
    known = ", ".join(repr(row["name"]) for row in rows) or "none"
    if name is None:
        raise ConnectionProfileNotFound(
            f"Diagram {diagram_id!r} has no active connection (its connections: {known}); "
            "name one, or choose one with use-connection."
        )
    raise ConnectionProfileNotFound(
        f"Diagram {diagram_id!r} has no connection named {name!r}; its connections: {known}."
    )


def _document(profile: ConnectionProfile) -> str:
    # The active flag lives in its own column, where the unique index can guard it.
    return profile.model_dump_json(exclude={"active"})


def _profile(row: sqlite3.Row) -> ConnectionProfile:
    try:
        document = json.loads(row["document"])
        document["active"] = bool(row["active"])
        return ConnectionProfile.model_validate(document)
    except (ValueError, ValidationError) as error:
        raise StoreError(f"The stored connection {row['name']!r} cannot be read: {error}") from None


def _sealed(row: sqlite3.Row) -> SealedSecret | None:
    if row["key_id"] is None:
        return None
    return SealedSecret(
        nonce=bytes(row["secret_nonce"]),
        ciphertext=bytes(row["secret_ciphertext"]),
        key_id=row["key_id"],
    )


def _secret_columns(sealed: SealedSecret | None) -> tuple[object, object, object]:
    if sealed is None:
        return (None, None, None)
    return (sealed.key_id, sealed.nonce, sealed.ciphertext)
