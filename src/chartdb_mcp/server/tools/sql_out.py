"""Tools that write SQL from diagrams: export-sql (and generate-migration)."""

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
from chartdb_mcp.server.tools.annotations import READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars
from chartdb_mcp.service import sql_export
from chartdb_mcp.service.sql_export import SqlExport

Dialect = Annotated[
    DatabaseType | None,
    Field(description="Target database; default the diagram's own."),
]


def register(server: MCPServer, settings: Settings) -> None:
    """Register export-sql."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/export-sql"),
        title="Export SQL",
        description=(
            "Write the diagram as a CREATE script for postgresql, mysql, mariadb, sqlite, "
            "sqlserver or oracle, with warnings for what the target cannot express."
        ),
        annotations=READ_ONLY,
    )
    async def export_sql(
        ctx: ToolContext,
        diagram_id: DiagramId,
        dialect: Dialect = None,
        tables: Annotated[
            list[str] | None, Field(description="Only these tables ('name' or 'schema.name').")
        ] = None,
        include_views: bool = True,
        max_chars: MaxChars = 50_000,
    ) -> Annotated[CallToolResult, SqlExport]:
        with tool_errors("chartdb/export-sql"):
            export = await sql_export.export_sql(
                state_of(ctx).store, diagram_id, dialect, tables, include_views, max_chars
            )
        return tool_result(export, export_text(export))


def export_text(export: SqlExport) -> str:
    """The script, preceded by its warnings and followed by what was cut, as SQL comments."""
    lines = [f"-- {export.dialect.value} script, diagram version {export.version}"]
    lines += [f"-- warning: {warning}" for warning in export.warnings]
    if export.omitted_warnings:
        lines.append(f"-- {export.omitted_warnings} more warnings left out to fit max_chars")
    text = "\n".join(lines) + "\n\n" + export.script
    if export.omitted_statements:
        text += (
            f"-- {export.omitted_statements} more statements left out to fit max_chars; "
            "raise max_chars or pass `tables`.\n"
        )
    return text
