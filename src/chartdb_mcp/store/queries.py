"""The SQL behind the diagram store: one small function per statement.

None of these functions opens or commits a transaction; the store runs them inside
one. Timestamps are stored as ISO 8601 text in UTC with microseconds, so that text
order is time order.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.store.connection import fetch_all, run
from chartdb_mcp.store.records import ChangeNote, DiagramSummary, VersionInfo


@dataclass(frozen=True)
class Head:
    """What the `diagrams` row says about a diagram's current state."""

    version: int
    created_at: datetime


def to_text(moment: datetime) -> str:
    """The stored spelling of a timestamp."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """The timestamp a stored spelling stands for."""
    return datetime.fromisoformat(text)


async def fetch_head(connection: aiosqlite.Connection, diagram_id: str) -> Head | None:
    """The diagram's current version and creation time, or None when it is unknown."""
    rows = await fetch_all(
        connection, "SELECT version, created_at FROM diagrams WHERE id = ?", (diagram_id,)
    )
    if not rows:
        return None
    return Head(version=rows[0]["version"], created_at=from_text(rows[0]["created_at"]))


async def insert_head(connection: aiosqlite.Connection, diagram: Diagram) -> None:
    """Add the `diagrams` row of a new diagram."""
    await run(
        connection,
        """
        INSERT INTO diagrams (id, name, database_type, version, table_count, view_count,
                              relationship_count, updated_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (diagram.id, *_head_values(diagram), to_text(diagram.created_at)),
    )


async def update_head(connection: aiosqlite.Connection, diagram: Diagram) -> None:
    """Point the `diagrams` row at the diagram's (new) version and refresh its counts."""
    await run(
        connection,
        """
        UPDATE diagrams
        SET name = ?, database_type = ?, version = ?, table_count = ?, view_count = ?,
            relationship_count = ?, updated_at = ?
        WHERE id = ?
        """,
        (*_head_values(diagram), diagram.id),
    )


def _head_values(diagram: Diagram) -> tuple[object, ...]:
    return (
        diagram.name,
        diagram.database_type.value,
        diagram.version,
        len(diagram.tables),
        len(diagram.views),
        len(diagram.relationships),
        to_text(diagram.updated_at),
    )


async def insert_version(
    connection: aiosqlite.Connection, diagram: Diagram, note: ChangeNote, document: str
) -> None:
    """Keep the snapshot `document` of the diagram at its version, with its changelog."""
    await run(
        connection,
        """
        INSERT INTO diagram_versions (diagram_id, version, summary, table_count, created_at,
                                      document, author, proposal_id, changes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            diagram.id,
            diagram.version,
            note.summary,
            len(diagram.tables),
            to_text(diagram.updated_at),
            document,
            note.author,
            note.proposal_id,
            json.dumps(list(note.changes)),
        ),
    )


async def delete_diagram(connection: aiosqlite.Connection, diagram_id: str) -> None:
    """Remove the diagram's row; its versions go with it (ON DELETE CASCADE)."""
    await run(connection, "DELETE FROM diagrams WHERE id = ?", (diagram_id,))


async def fetch_current_document(connection: aiosqlite.Connection, diagram_id: str) -> str | None:
    """The current version's document, or None when the diagram is unknown."""
    rows = await fetch_all(
        connection,
        """
        SELECT v.document FROM diagrams AS d
        JOIN diagram_versions AS v ON v.diagram_id = d.id AND v.version = d.version
        WHERE d.id = ?
        """,
        (diagram_id,),
    )
    return str(rows[0]["document"]) if rows else None


async def fetch_version_document(
    connection: aiosqlite.Connection, diagram_id: str, version: int
) -> tuple[int, str | None] | None:
    """(current version, that version's document or None), or None for an unknown diagram."""
    rows = await fetch_all(
        connection,
        """
        SELECT d.version, v.document FROM diagrams AS d
        LEFT JOIN diagram_versions AS v ON v.diagram_id = d.id AND v.version = ?
        WHERE d.id = ?
        """,
        (version, diagram_id),
    )
    if not rows:
        return None
    return rows[0]["version"], rows[0]["document"]


async def fetch_summaries(connection: aiosqlite.Connection) -> list[DiagramSummary]:
    """Every diagram's listing line, most recently changed first."""
    rows = await fetch_all(
        connection,
        """
        SELECT id, name, database_type, version, table_count, view_count,
               relationship_count, updated_at
        FROM diagrams ORDER BY updated_at DESC, name, id
        """,
    )
    return [
        DiagramSummary(
            id=row["id"],
            name=row["name"],
            database_type=row["database_type"],
            version=row["version"],
            table_count=row["table_count"],
            view_count=row["view_count"],
            relationship_count=row["relationship_count"],
            updated_at=from_text(row["updated_at"]),
        )
        for row in rows
    ]


async def fetch_history(
    connection: aiosqlite.Connection, diagram_id: str, limit: int | None
) -> list[VersionInfo]:
    """The diagram's versions, newest first, at most `limit` of them (None: all)."""
    rows = await fetch_all(
        connection,
        """
        SELECT version, summary, created_at, table_count, author, proposal_id, changes
        FROM diagram_versions
        WHERE diagram_id = ? ORDER BY version DESC LIMIT ?
        """,
        (diagram_id, -1 if limit is None else limit),
    )
    return [
        VersionInfo(
            version=row["version"],
            summary=row["summary"],
            created_at=from_text(row["created_at"]),
            table_count=row["table_count"],
            author=row["author"],
            proposal_id=row["proposal_id"],
            changes=json.loads(row["changes"]),
        )
        for row in rows
    ]
