"""Named queries a diagram keeps: text, description and tags, created, replaced, deleted."""

import json
import sqlite3
from datetime import datetime

from pydantic import BaseModel, Field

from chartdb_mcp.core.model import utc_now
from chartdb_mcp.core.model.ids import new_id
from chartdb_mcp.errors import DiagramNotFound, InvalidInput
from chartdb_mcp.store import queries
from chartdb_mcp.store.connection import fetch_all, run
from chartdb_mcp.store.diagram_store import DiagramStore
from chartdb_mcp.store.queries import from_text, to_text

COLUMNS = "id, diagram_id, name, description, tags, sql, dialect, created_at, updated_at"


class SavedQuery(BaseModel):
    """A query kept under a name within one diagram."""

    id: str = Field(default_factory=new_id)
    diagram_id: str
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    sql: str = Field(min_length=1, max_length=100_000)
    dialect: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class SavedQueries:
    """The saved queries of one diagram store."""

    def __init__(self, store: DiagramStore) -> None:
        self._store = store

    async def save(self, query: SavedQuery) -> tuple[SavedQuery, bool]:
        """Store `query` under its name, replacing one of that name; (stored, replaced)."""
        now = utc_now()
        async with self._store.writing() as connection:
            if await queries.fetch_head(connection, query.diagram_id) is None:
                raise DiagramNotFound(query.diagram_id)
            rows = await fetch_all(
                connection,
                f"SELECT {COLUMNS} FROM saved_queries WHERE diagram_id = ? AND name = ?",
                (query.diagram_id, query.name),
            )
            created = _query(rows[0]).created_at if rows else now
            stored = query.model_copy(
                update={
                    "id": rows[0]["id"] if rows else query.id,
                    "created_at": created,
                    "updated_at": now,
                }
            )
            await run(
                connection,
                f"INSERT OR REPLACE INTO saved_queries ({COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.id,
                    stored.diagram_id,
                    stored.name,
                    stored.description,
                    json.dumps(stored.tags),
                    stored.sql,
                    stored.dialect,
                    to_text(created or now),
                    to_text(now),
                ),
            )
        return stored, bool(rows)

    async def list_queries(self, diagram_id: str, tag: str | None = None) -> list[SavedQuery]:
        """The diagram's saved queries by name, only those tagged `tag` when given."""
        async with self._store.reading() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            rows = await fetch_all(
                connection,
                f"SELECT {COLUMNS} FROM saved_queries WHERE diagram_id = ? ORDER BY name",
                (diagram_id,),
            )
        found = [_query(row) for row in rows]
        return [query for query in found if tag is None or tag in query.tags]

    async def get(self, diagram_id: str, name: str) -> SavedQuery:
        """The saved query named (or with the id) `name`; raises InvalidInput naming the others."""
        for query in await self.list_queries(diagram_id):
            if name in (query.name, query.id):
                return query
        known = ", ".join(repr(query.name) for query in await self.list_queries(diagram_id))
        raise InvalidInput(
            f"Diagram {diagram_id!r} has no saved query named {name!r}; "
            f"its saved queries: {known or 'none'}."
        )

    async def delete(self, diagram_id: str, name: str) -> SavedQuery:
        """Remove a saved query; returns it."""
        query = await self.get(diagram_id, name)
        async with self._store.writing() as connection:
            await run(connection, "DELETE FROM saved_queries WHERE id = ?", (query.id,))
        return query


def _query(row: sqlite3.Row) -> SavedQuery:
    return SavedQuery(
        id=row["id"],
        diagram_id=row["diagram_id"],
        name=row["name"],
        description=row["description"],
        tags=json.loads(row["tags"]),
        sql=row["sql"],
        dialect=row["dialect"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )
