"""The person's consent to lifting the guard on production writes.

update-connection lifts the guard only when the person says so: the host asks them
through elicitation, and a host that cannot ask gets an error naming the command line
that lifts it. The assistant's own arguments never count as consent.
"""

from typing import Any

from mcp.server.elicitation import AcceptedElicitation, ElicitationResult
from mcp.server.mcpserver.resolve import Elicit
from pydantic import BaseModel, Field

from chartdb_mcp.core.connections import ConnectionProfile
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.state import ToolContext, state_of, supports_elicitation
from chartdb_mcp.service import connections


class UnlockConfirmation(BaseModel):
    """The person's answer when asked to lift the guard on production writes."""

    unlock: bool = Field(description="Allow writes on this production database?")


class NotAsked(UnlockConfirmation):
    """No one was asked: the change lifts no guard, or the host cannot ask. The service
    then refuses a change that would lift it."""


async def confirm_unlock(
    ctx: ToolContext,
    diagram_id: str,
    connection: str,
    environment: str | None = None,
    production_writes_unlocked: bool | None = None,
    dialect: DatabaseType | None = None,
    host: str | None = None,
    port: int | None = None,
    database: str | None = None,
    username: str | None = None,
    url: str | None = None,
) -> UnlockConfirmation | Elicit[UnlockConfirmation]:
    """Ask the person when the change lifts the guard and the host can ask; the
    question names the label and database the change leaves the profile with."""
    fields: dict[str, Any] = {
        "environment": environment,
        "production_writes_unlocked": production_writes_unlocked,
        "dialect": dialect,
        "host": host,
        "port": port,
        "database": database,
        "username": username,
    }
    if production_writes_unlocked is not True or not supports_elicitation(ctx):
        # Without an explicit unlock nothing can be lifted: a new label without one
        # locks the profile again.
        return NotAsked(unlock=False)
    with tool_errors("chartdb/update-connection"):
        planned = await connections.planned_unlock(
            state_of(ctx).store, diagram_id, connection, fields, url
        )
    if planned is None:
        return NotAsked(unlock=False)
    return Elicit(unlock_question(planned), UnlockConfirmation)


def unlock_question(profile: ConnectionProfile) -> str:
    """What the person is asked: which profile, environment and database; no secret."""
    address = f" on {profile.host}" if profile.host else ""
    return (
        f"Allow the assistant to run writes on connection {profile.name!r}, labelled "
        f"{profile.environment!r}: {profile.dialect.value} database "
        f"{profile.database or '-'!r}{address}? Writes there change real data."
    )


def person_decided(confirmation: ElicitationResult[UnlockConfirmation]) -> bool | None:
    """True when the person accepted and confirmed, False when they were asked and did
    not, None when no one was asked."""
    if isinstance(confirmation, AcceptedElicitation):
        if isinstance(confirmation.data, NotAsked):
            return None
        return confirmation.data.unlock
    return False
