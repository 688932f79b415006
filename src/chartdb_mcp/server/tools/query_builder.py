"""Tools that write and check SQL against a diagram: build-query and validate-query."""

import json
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.builder import BuiltQuery, QueryFilter, QueryOrder, QuerySpec
from chartdb_mcp.core.sql.validate import QueryCheck
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, state_of
from chartdb_mcp.server.tools.annotations import READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId
from chartdb_mcp.service.query_building import build_diagram_query, validate_diagram_query


def register(server: MCPServer, settings: Settings) -> None:
    """Register build-query and validate-query."""

    @server.tool(
        name=wire_name("chartdb/build-query", settings.tool_names),
        structured_output=settings.structured_output,
        title="Build query",
        description=(
            "Turn tables, columns, filters, order and limit into dialect SQL with bound "
            "parameters, joining through the diagram's foreign keys (shortest path)."
        ),
        annotations=READ_ONLY,
    )
    async def build_query_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        tables: Annotated[list[str], Field(description="Tables to query; the first leads.")],
        columns: Annotated[
            list[str] | None, Field(description="table.column or table.*; default first.*")
        ] = None,
        filters: list[QueryFilter] | None = None,
        order: list[QueryOrder] | None = None,
        limit: Annotated[int | None, Field(ge=1, le=1_000_000)] = 100,
        dialect: Annotated[
            DatabaseType | None, Field(description="Default: the diagram's type.")
        ] = None,
    ) -> Annotated[CallToolResult, BuiltQuery]:
        with tool_errors("chartdb/build-query"):
            spec = QuerySpec(
                tables=tables,
                columns=columns or [],
                filters=filters or [],
                order=order or [],
                limit=limit,
            )
            built = await build_diagram_query(state_of(ctx).store, diagram_id, spec, dialect)
        lines = [built.sql]
        if built.parameters:
            lines.append(f"Parameters: {json.dumps(built.parameters)}")
        lines += [f"Join: {join}" for join in built.joins]
        return tool_result(built, "\n".join(lines))

    @server.tool(
        name=wire_name("chartdb/validate-query", settings.tool_names),
        structured_output=settings.structured_output,
        title="Validate query",
        description=(
            "Check a query's tables and columns against the diagram; unknown names come "
            "with suggestions. Nothing is run."
        ),
        annotations=READ_ONLY,
    )
    async def validate_query_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        sql: str,
        dialect: Annotated[
            DatabaseType | None, Field(description="Default: the diagram's type.")
        ] = None,
    ) -> Annotated[CallToolResult, QueryCheck]:
        with tool_errors("chartdb/validate-query"):
            check = await validate_diagram_query(state_of(ctx).store, diagram_id, sql, dialect)
        if check.valid:
            text = f"Every table and column is in the diagram ({', '.join(check.tables)})."
        else:
            lines = [
                f"Unknown table {item.name!r}"
                + (f"; did you mean {', '.join(item.suggestions)}?" if item.suggestions else "")
                for item in check.unknown_tables
            ]
            lines += [
                f"Unknown column {item.name!r}"
                + (f" in {item.table!r}" if item.table else "")
                + (f"; did you mean {', '.join(item.suggestions)}?" if item.suggestions else "")
                for item in check.unknown_columns
            ]
            text = "\n".join(lines)
        return tool_result(check, text)
