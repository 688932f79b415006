"""The SQL behind stored proposals: one small function per statement.

Like `queries`, none of these opens or commits a transaction. The listing columns
(status, revision, base version, times) repeat what the JSON document holds, so that
a status check or a listing never decodes a document it does not need.
"""

import aiosqlite

from chartdb_mcp.core.edit.proposal import Proposal, ProposalStatus
from chartdb_mcp.store.connection import fetch_all, run
from chartdb_mcp.store.queries import to_text


async def insert_proposal(
    connection: aiosqlite.Connection, proposal: Proposal, document: str
) -> None:
    """Add a new proposal's row."""
    await run(
        connection,
        """
        INSERT INTO proposals (id, diagram_id, status, revision, base_version, created_at,
                               updated_at, document)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            proposal.id,
            proposal.diagram_id,
            proposal.status.value,
            proposal.revision,
            proposal.base_version,
            to_text(proposal.created_at),
            to_text(proposal.updated_at),
            document,
        ),
    )


async def update_proposal(
    connection: aiosqlite.Connection, proposal: Proposal, document: str
) -> None:
    """Overwrite a proposal's row with its new state."""
    await run(
        connection,
        """
        UPDATE proposals
        SET status = ?, revision = ?, base_version = ?, updated_at = ?, document = ?
        WHERE id = ?
        """,
        (
            proposal.status.value,
            proposal.revision,
            proposal.base_version,
            to_text(proposal.updated_at),
            document,
            proposal.id,
        ),
    )


async def fetch_state(
    connection: aiosqlite.Connection, proposal_id: str
) -> tuple[ProposalStatus, int] | None:
    """(status, revision) of a stored proposal, or None when it is unknown."""
    rows = await fetch_all(
        connection, "SELECT status, revision FROM proposals WHERE id = ?", (proposal_id,)
    )
    if not rows:
        return None
    return ProposalStatus(rows[0]["status"]), int(rows[0]["revision"])


async def fetch_document(connection: aiosqlite.Connection, proposal_id: str) -> str | None:
    """A proposal's JSON document, or None when it is unknown."""
    rows = await fetch_all(
        connection, "SELECT document FROM proposals WHERE id = ?", (proposal_id,)
    )
    return str(rows[0]["document"]) if rows else None


async def fetch_documents(
    connection: aiosqlite.Connection,
    diagram_id: str,
    status: ProposalStatus | None,
    limit: int,
) -> list[str]:
    """A diagram's proposal documents, newest first, optionally of one status only."""
    rows = await fetch_all(
        connection,
        """
        SELECT document FROM proposals
        WHERE diagram_id = ? AND (? IS NULL OR status = ?)
        ORDER BY created_at DESC, id LIMIT ?
        """,
        (diagram_id, status and status.value, status and status.value, limit),
    )
    return [str(row["document"]) for row in rows]
