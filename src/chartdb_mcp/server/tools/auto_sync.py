"""Automatic sync tools: set a diagram's interval, and show each diagram's last run."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, state_of
from chartdb_mcp.server.tools.annotations import READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars
from chartdb_mcp.service.auto_sync import (
    AutoSyncEntry,
    AutoSyncStatus,
    auto_sync_status,
    set_auto_sync,
)

# Stores a setting (setting it again is the same setting); later runs read the database.
SETS_SCHEDULE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


def register(server: MCPServer, settings: Settings) -> None:
    """Register set-auto-sync and auto-sync-status."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/set-auto-sync"),
        structured_output=settings.structured_output,
        title="Set automatic sync",
        description=(
            "Run sync-diff on a diagram every interval_minutes (at least 1; 0 or null turns "
            "it off) while the server runs long-lived (HTTP/SSE); results in auto-sync-status."
        ),
        annotations=SETS_SCHEDULE,
    )
    async def set_auto_sync_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        interval_minutes: Annotated[
            int | None,
            Field(strict=True, description="Minutes between runs, at least 1; 0 or null: off."),
        ],
        connection: Annotated[
            str | None,
            Field(description="Connection profile name or id; default: the active one."),
        ] = None,
    ) -> Annotated[CallToolResult, AutoSyncEntry]:
        with tool_errors("chartdb/set-auto-sync"):
            entry = await set_auto_sync(
                state_of(ctx).store, diagram_id, connection, interval_minutes
            )
        return tool_result(entry, entry_text(entry))

    @server.tool(
        name=name("chartdb/auto-sync-status"),
        structured_output=settings.structured_output,
        title="Automatic sync status",
        description=(
            "Each diagram's automatic sync: interval, connection, last run and its outcome "
            "(tables per status, drift count, error), next run."
        ),
        annotations=READ_ONLY,
    )
    async def auto_sync_status_tool(
        ctx: ToolContext,
        diagram_id: Annotated[
            str | None, Field(description="Only this diagram; default: every one with it on.")
        ] = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, AutoSyncStatus]:
        state = state_of(ctx)
        with tool_errors("chartdb/auto-sync-status"):
            status = await auto_sync_status(
                state.store,
                diagram_id,
                scheduler_running=state.settings.auto_sync,
                max_chars=max_chars,
            )
        return tool_result(status, status_text(status))


def entry_text(entry: AutoSyncEntry) -> str:
    """One line for the setting, one for the last run when there was one."""
    if not entry.enabled:
        return f"Automatic sync of diagram {entry.diagram_id} is off."
    connection = entry.connection or "the active connection"
    lines = [
        f"Automatic sync of diagram {entry.diagram_id}: every {entry.interval_minutes} min "
        f"against {connection}; next run {entry.next_run_at:%Y-%m-%d %H:%M:%S} UTC."
    ]
    outcome = entry.last_outcome
    if outcome is not None and entry.last_run_at is not None:
        when = f"{entry.last_run_at:%Y-%m-%d %H:%M:%S} UTC"
        if outcome.ok:
            counts = ", ".join(f"{n} {s}" for s, n in outcome.counts.items()) or "no tables"
            lines.append(f"  last run {when}: {counts}; {outcome.drift_count} drift.")
        else:
            lines.append(f"  last run {when} failed: {outcome.error}")
    return "\n".join(lines)


def status_text(status: AutoSyncStatus) -> str:
    """Each diagram's lines, then the notes."""
    lines = [entry_text(entry) for entry in status.diagrams]
    if not lines:
        lines.append("No diagram has automatic sync on.")
    return "\n".join(lines + status.notes)
