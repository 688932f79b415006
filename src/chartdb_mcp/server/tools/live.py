"""Tools that read live databases."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.formats.schema_text import plural
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, author_of, state_of
from chartdb_mcp.server.tools.annotations import READS_LIVE_DATABASE
from chartdb_mcp.service.importing import ImportReport, import_database


def register(server: MCPServer, settings: Settings) -> None:
    """Register import-database."""

    @server.tool(
        name=wire_name("chartdb/import-database", settings.tool_names),
        structured_output=settings.structured_output,
        title="Import database",
        description=(
            "Read a live PostgreSQL, MySQL/MariaDB or SQLite schema into a new diagram, or "
            "into an existing one (keeps ids, colors, positions). Reports progress."
        ),
        annotations=READS_LIVE_DATABASE,
    )
    async def import_database_tool(
        ctx: ToolContext,
        url: Annotated[
            str,
            Field(
                description=(
                    "postgresql://user:pass@host:5432/db, mysql://… or mariadb://…, "
                    "sqlite:///path, or a SQLite file path. The password is never stored."
                )
            ),
        ],
        diagram_id: Annotated[
            str | None, Field(description="Existing diagram to update; omit for a new one.")
        ] = None,
        name: Annotated[
            str | None, Field(description="Name for a new diagram.", max_length=200)
        ] = None,
        schemas: Annotated[
            list[str] | None,
            Field(description="Schemas (MySQL: databases) to read; default: all user schemas."),
        ] = None,
    ) -> Annotated[CallToolResult, ImportReport]:
        with tool_errors("chartdb/import-database"):
            report = await import_database(
                state_of(ctx).store,
                url,
                diagram_id=diagram_id,
                name=name,
                schemas=schemas,
                progress=ctx.report_progress,
                author=author_of(ctx),
            )
        return tool_result(report, render_import_report(report))


def render_import_report(report: ImportReport) -> str:
    """The import's outcome in a few lines."""
    lines = [
        f"Imported {plural(report.tables, 'table')}, {plural(report.views, 'view')}, "
        f"{plural(report.relationships, 'relationship')} and "
        f"{plural(report.custom_types, 'custom type')} from {report.source} "
        f"({report.database_type} {report.server_version or ''}) in {report.seconds:.1f}s.",
        f"Diagram {report.diagram_name!r} (id {report.diagram_id}) is now at version "
        f"{report.version}.",
    ]
    if report.updated_count:
        lines.append(
            f"Updated {plural(report.updated_count, 'table')} already in the diagram"
            + (f" and added {report.added_count}." if report.added_count else ".")
        )
    if report.tables_not_in_database:
        lines.append(
            f"{plural(report.not_in_database_count, 'table')} of the diagram not in the database: "
            + ", ".join(report.tables_not_in_database)
        )
    lines += [f"Warning: {warning}" for warning in report.warnings]
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)
