"""Tools for the queries kept around a diagram: history, saved queries, templates."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, state_of
from chartdb_mcp.server.tools.annotations import CREATES, DESTROYS, READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId
from chartdb_mcp.service import query_library
from chartdb_mcp.service.query_library import (
    QueryHistory,
    SavedQueryAnswer,
    SavedQueryList,
    TemplateList,
)

SQL_SHOWN = 200


def register(server: MCPServer, settings: Settings) -> None:
    """Register query-history, save-query, list-saved-queries, delete-saved-query and
    list-query-templates."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/query-history"),
        structured_output=settings.structured_output,
        title="Query history",
        description="A connection's recent queries: text, time, duration, rows, status, error.",
        annotations=READ_ONLY,
    )
    async def query_history(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: Annotated[str | None, Field(description="Default: the active one.")] = None,
        limit: Annotated[int, Field(ge=1, le=500)] = 20,
    ) -> Annotated[CallToolResult, QueryHistory]:
        with tool_errors("chartdb/query-history"):
            history = await query_library.query_history(
                state_of(ctx).store, diagram_id, connection, limit
            )
        lines = [f"{len(history.entries)} recent queries on {history.connection!r}:"]
        for entry in history.entries:
            stamp = entry.started_at.strftime("%Y-%m-%d %H:%M:%S")
            rows = f", {entry.row_count} rows" if entry.row_count is not None else ""
            lines.append(
                f"{stamp} {entry.mode} {entry.status} {entry.duration_ms:.0f} ms{rows}: "
                f"{shorten(entry.sql)}" + (f" ({entry.error})" if entry.error else "")
            )
        return tool_result(history, "\n".join(lines))

    @server.tool(
        name=name("chartdb/save-query"),
        structured_output=settings.structured_output,
        title="Save query",
        description="Keep a query under a name in the diagram (replaces one of that name).",
        annotations=CREATES,
    )
    async def save_query(
        ctx: ToolContext,
        diagram_id: DiagramId,
        name: Annotated[str, Field(max_length=100)],
        sql: Annotated[str, Field(max_length=100_000)],
        description: Annotated[str | None, Field(max_length=2000)] = None,
        tags: Annotated[list[str] | None, Field(max_length=20)] = None,
        dialect: DatabaseType | None = None,
    ) -> Annotated[CallToolResult, SavedQueryAnswer]:
        with tool_errors("chartdb/save-query"):
            answer = await query_library.save_query(
                state_of(ctx).store, diagram_id, name, sql, description, tags or [], dialect
            )
        return tool_result(answer, answer.message)

    @server.tool(
        name=name("chartdb/list-saved-queries"),
        structured_output=settings.structured_output,
        title="List saved queries",
        description="The diagram's saved queries by name, optionally those with one tag.",
        annotations=READ_ONLY,
    )
    async def list_saved_queries(
        ctx: ToolContext, diagram_id: DiagramId, tag: str | None = None
    ) -> Annotated[CallToolResult, SavedQueryList]:
        with tool_errors("chartdb/list-saved-queries"):
            listing = await query_library.list_saved_queries(state_of(ctx).store, diagram_id, tag)
        count = len(listing.queries)
        lines = [f"{count} saved {'query' if count == 1 else 'queries'}."]
        lines += [
            f"{query.name}{' [' + ', '.join(query.tags) + ']' if query.tags else ''}: "
            f"{shorten(query.sql)}"
            for query in listing.queries
        ]
        return tool_result(listing, "\n".join(lines))

    @server.tool(
        name=name("chartdb/delete-saved-query"),
        structured_output=settings.structured_output,
        title="Delete saved query",
        description="Forget a saved query of the diagram.",
        annotations=DESTROYS,
    )
    async def delete_saved_query(
        ctx: ToolContext, diagram_id: DiagramId, name: str
    ) -> Annotated[CallToolResult, SavedQueryAnswer]:
        with tool_errors("chartdb/delete-saved-query"):
            answer = await query_library.delete_saved_query(state_of(ctx).store, diagram_id, name)
        return tool_result(answer, answer.message)

    @server.tool(
        name=name("chartdb/list-query-templates"),
        structured_output=settings.structured_output,
        title="List query templates",
        description=(
            "Built-in read-only queries for a dialect: row counts, largest tables, foreign "
            "keys, sample rows. Run one with query-database template=NAME."
        ),
        annotations=READ_ONLY,
    )
    async def list_query_templates(
        dialect: DatabaseType,
    ) -> Annotated[CallToolResult, TemplateList]:
        with tool_errors("chartdb/list-query-templates"):
            listing = query_library.list_templates(dialect)
        lines = [f"Query templates for {listing.dialect}:"]
        lines += [
            f"{item.name}{' (needs table)' if item.needs_table else ''}: {item.description}"
            for item in listing.templates
        ]
        return tool_result(listing, "\n".join(lines))


def shorten(sql: str) -> str:
    """A query on one line, cut for a listing."""
    line = " ".join(sql.split())
    return line if len(line) <= SQL_SHOWN else line[: SQL_SHOWN - 1] + "…"
