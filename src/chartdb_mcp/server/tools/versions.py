"""Tools for a diagram's versions: read the changelog, restore an earlier version."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, author_of, state_of
from chartdb_mcp.server.tools.annotations import COMMITS, READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars
from chartdb_mcp.service import applying
from chartdb_mcp.service.answer_text import (
    changelog_text,
    fit_changelog,
    fit_restored,
    restored_text,
)
from chartdb_mcp.service.applying import Changelog, Restored


def register(server: MCPServer, settings: Settings) -> None:
    """Register diagram-history and restore-version."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/diagram-history"),
        structured_output=settings.structured_output,
        title="Diagram history",
        description="The changelog: each version, newest first, with who, when and what changed.",
        annotations=READ_ONLY,
    )
    async def diagram_history(
        ctx: ToolContext,
        diagram_id: DiagramId,
        limit: Annotated[int, Field(ge=1, le=1000, description="Newest versions to show.")] = 20,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, Changelog]:
        with tool_errors("chartdb/diagram-history"):
            changelog = await applying.history(state_of(ctx).store, diagram_id, limit)
        fitted = fit_changelog(changelog, max_chars)
        return tool_result(fitted, changelog_text(fitted))

    @server.tool(
        name=name("chartdb/restore-version"),
        structured_output=settings.structured_output,
        title="Restore version",
        description=(
            "Make an earlier version of a diagram current again, as a new version; "
            "the versions in between stay in the history."
        ),
        annotations=COMMITS,
    )
    async def restore_version(
        ctx: ToolContext,
        diagram_id: DiagramId,
        version: Annotated[int, Field(ge=1, description="The version to bring back.")],
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, Restored]:
        with tool_errors("chartdb/restore-version"):
            restored = await applying.restore_version(
                state_of(ctx).store, diagram_id, version, author_of(ctx)
            )
        fitted = fit_restored(restored, max_chars)
        return tool_result(fitted, restored_text(fitted))
