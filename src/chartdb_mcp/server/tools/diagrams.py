"""Tools for diagrams as wholes: list, create, delete, and read the schema."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.formats.outline import DiagramHeader
from chartdb_mcp.core.formats.schema_page import SchemaPage, SchemaQuery
from chartdb_mcp.core.formats.schema_text import plural, render_header
from chartdb_mcp.core.model import DatabaseType, TableStatus
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, author_of, state_of
from chartdb_mcp.server.tools.annotations import CREATES, DESTROYS, READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId
from chartdb_mcp.service import diagrams
from chartdb_mcp.service.diagrams import DeletedDiagram, DiagramList


def register(server: MCPServer, settings: Settings) -> None:
    """Register list-diagrams, create-diagram, delete-diagram and get-schema."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/list-diagrams"),
        structured_output=settings.structured_output,
        title="List diagrams",
        description="List every diagram with its id, database type, version and counts.",
        annotations=READ_ONLY,
    )
    async def list_diagrams(ctx: ToolContext) -> Annotated[CallToolResult, DiagramList]:
        with tool_errors("chartdb/list-diagrams"):
            listing = await diagrams.list_diagrams(state_of(ctx).store)
        lines = [
            f"{d.id}  {d.name} ({d.database_type}, version {d.version}): "
            f"{d.table_count} tables, {d.relationship_count} relationships"
            for d in listing.diagrams
        ]
        return tool_result(listing, "\n".join(lines) or "No diagrams yet.")

    @server.tool(
        name=name("chartdb/create-diagram"),
        structured_output=settings.structured_output,
        title="Create diagram",
        description="Create an empty diagram for a database type; returns its id.",
        annotations=CREATES,
    )
    async def create_diagram(
        ctx: ToolContext,
        name: Annotated[str, Field(description="A name people will recognise.", max_length=200)],
        database_type: DatabaseType = DatabaseType.GENERIC,
        description: str | None = None,
    ) -> Annotated[CallToolResult, DiagramHeader]:
        with tool_errors("chartdb/create-diagram"):
            header = await diagrams.create_diagram(
                state_of(ctx).store, name, database_type, description, author=author_of(ctx)
            )
        return tool_result(header, "Created. " + render_header(header))

    @server.tool(
        name=name("chartdb/delete-diagram"),
        structured_output=settings.structured_output,
        title="Delete diagram",
        description="Delete a diagram and all its versions. This cannot be undone.",
        annotations=DESTROYS,
    )
    async def delete_diagram(
        ctx: ToolContext, diagram_id: DiagramId
    ) -> Annotated[CallToolResult, DeletedDiagram]:
        with tool_errors("chartdb/delete-diagram"):
            deleted = await diagrams.delete_diagram(state_of(ctx).store, diagram_id)
        text = (
            f"Deleted diagram {deleted.name!r} ({deleted.id}) "
            f"and its {plural(deleted.versions_removed, 'version')}."
        )
        return tool_result(deleted, text)

    @server.tool(
        name=name("chartdb/get-schema"),
        structured_output=settings.structured_output,
        title="Get schema",
        description=(
            "Read a diagram's schema. By default a compact outline of every table "
            "(filter, page with offset); name tables to get their full definitions. "
            "Answers stay under max_chars and say when they were cut."
        ),
        annotations=READ_ONLY,
    )
    async def get_schema(
        ctx: ToolContext,
        diagram_id: DiagramId,
        tables: Annotated[
            list[str] | None,
            Field(description="Tables or views ('name' or 'schema.name') to show in full."),
        ] = None,
        name_filter: Annotated[
            str | None, Field(description="Substring or glob (*, ?) on table names.")
        ] = None,
        schema: Annotated[str | None, Field(description="Only this schema.")] = None,
        status: TableStatus | None = None,
        offset: Annotated[int, Field(ge=0, description="First table of the page.")] = 0,
        limit: Annotated[int, Field(ge=1, le=1000, description="Tables per page.")] = 50,
        max_chars: Annotated[
            int, Field(ge=2_000, le=200_000, description="Budget for the whole answer.")
        ] = 20_000,
    ) -> Annotated[CallToolResult, SchemaPage]:
        with tool_errors("chartdb/get-schema"):
            query = SchemaQuery(
                tables=tables or [],
                name_filter=name_filter,
                schema_name=schema,
                status=status,
                offset=offset,
                limit=limit,
                max_chars=max_chars,
            )
            page, text = await diagrams.get_schema(state_of(ctx).store, diagram_id, query)
        return tool_result(page, text)
