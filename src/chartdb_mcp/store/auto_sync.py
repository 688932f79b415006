"""Each diagram's automatic sync setting and the outcome of its last run."""

import json
import sqlite3
from datetime import datetime

from pydantic import BaseModel, Field

from chartdb_mcp.core.model import utc_now
from chartdb_mcp.errors import DiagramNotFound
from chartdb_mcp.store import queries
from chartdb_mcp.store.connection import fetch_all, run
from chartdb_mcp.store.diagram_store import DiagramStore
from chartdb_mcp.store.queries import from_text, to_text

COLUMNS = (
    "diagram_id, connection, interval_minutes, last_run_at, last_outcome, next_run_at, "
    "created_at, updated_at"
)


class SyncOutcome(BaseModel):
    """What one automatic run found: tables per status and how many drift, or its error."""

    ok: bool
    counts: dict[str, int] = Field(default_factory=dict)
    drift_count: int = 0
    recorded_version: int | None = None
    error: str | None = None
    seconds: float = 0.0


class AutoSyncSetting(BaseModel):
    """A diagram's interval, its connection (None: the active one) and its last run."""

    diagram_id: str
    connection: str | None = None
    interval_minutes: int = Field(ge=1)
    last_run_at: datetime | None = None
    last_outcome: SyncOutcome | None = None
    next_run_at: datetime


class AutoSyncStore:
    """The automatic sync settings of one diagram store."""

    def __init__(self, store: DiagramStore) -> None:
        self._store = store

    async def set(
        self, diagram_id: str, connection: str | None, interval_minutes: int, next_run_at: datetime
    ) -> AutoSyncSetting:
        """Store the setting, keeping the last run's record; raises DiagramNotFound."""
        now = to_text(utc_now())
        async with self._store.writing() as db:
            if await queries.fetch_head(db, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            await run(
                db,
                f"INSERT INTO auto_sync ({COLUMNS}) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?) "
                "ON CONFLICT (diagram_id) DO UPDATE SET connection = excluded.connection, "
                "interval_minutes = excluded.interval_minutes, "
                "next_run_at = excluded.next_run_at, updated_at = excluded.updated_at",
                (diagram_id, connection, interval_minutes, to_text(next_run_at), now, now),
            )
        stored = await self.get(diagram_id)
        if stored is None:  # the diagram was deleted by another process since
            raise DiagramNotFound(diagram_id)
        return stored

    async def clear(self, diagram_id: str) -> bool:
        """Turn automatic sync off; True when it was on. Raises DiagramNotFound."""
        async with self._store.writing() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            rows = await fetch_all(
                connection, "SELECT 1 FROM auto_sync WHERE diagram_id = ?", (diagram_id,)
            )
            await run(connection, "DELETE FROM auto_sync WHERE diagram_id = ?", (diagram_id,))
        return bool(rows)

    async def get(self, diagram_id: str) -> AutoSyncSetting | None:
        """The diagram's setting, or None when automatic sync is off for it."""
        async with self._store.reading() as connection:
            rows = await fetch_all(
                connection,
                f"SELECT {COLUMNS} FROM auto_sync WHERE diagram_id = ?",
                (diagram_id,),
            )
        return _setting(rows[0]) if rows else None

    async def list_settings(self, diagram_id: str | None = None) -> list[AutoSyncSetting]:
        """Every setting (or the one diagram's) by next run; raises DiagramNotFound."""
        async with self._store.reading() as connection:
            if diagram_id is not None and await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            rows = await fetch_all(
                connection,
                f"SELECT {COLUMNS} FROM auto_sync WHERE ? IS NULL OR diagram_id = ? "
                "ORDER BY next_run_at, diagram_id",
                (diagram_id, diagram_id),
            )
        return [_setting(row) for row in rows]

    async def record_run(
        self, diagram_id: str, ran_at: datetime, outcome: SyncOutcome, next_run_at: datetime
    ) -> None:
        """Keep a run's outcome; a setting removed meanwhile stays removed."""
        async with self._store.writing() as connection:
            await run(
                connection,
                "UPDATE auto_sync SET last_run_at = ?, last_outcome = ?, next_run_at = ? "
                "WHERE diagram_id = ?",
                (to_text(ran_at), outcome.model_dump_json(), to_text(next_run_at), diagram_id),
            )


def _setting(row: sqlite3.Row) -> AutoSyncSetting:
    outcome = row["last_outcome"]
    return AutoSyncSetting(
        diagram_id=row["diagram_id"],
        connection=row["connection"],
        interval_minutes=row["interval_minutes"],
        last_run_at=from_text(row["last_run_at"]) if row["last_run_at"] else None,
        last_outcome=SyncOutcome.model_validate(json.loads(outcome)) if outcome else None,
        next_run_at=from_text(row["next_run_at"]),
    )
