"""Tools that write SQL from diagrams: export-sql and generate-migration."""

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
from chartdb_mcp.service import sql_export, sql_migration
from chartdb_mcp.service.sql_export import SqlExport
from chartdb_mcp.service.sql_migration import MigrationAnswer

Dialect = Annotated[
    DatabaseType | None,
    Field(description="Target database; default the diagram's own."),
]


def register(server: MCPServer, settings: Settings) -> None:
    """Register export-sql and generate-migration."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/export-sql"),
        structured_output=settings.structured_output,
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
        include_views: Annotated[
            bool | None, Field(description="Default: yes, unless `tables` is given.")
        ] = None,
        max_chars: MaxChars = 50_000,
    ) -> Annotated[CallToolResult, SqlExport]:
        with tool_errors("chartdb/export-sql"):
            export = await sql_export.export_sql(
                state_of(ctx).store, diagram_id, dialect, tables, include_views, max_chars
            )
        return tool_result(export, export_text(export))

    @server.tool(
        name=name("chartdb/generate-migration"),
        structured_output=settings.structured_output,
        title="Generate migration",
        description=(
            "Write the ALTER script between two versions of a diagram, or for a proposal, "
            "for postgresql, mysql, mariadb or sqlite; each statement has a risk level."
        ),
        annotations=READ_ONLY,
    )
    async def generate_migration(
        ctx: ToolContext,
        diagram_id: DiagramId,
        from_version: Annotated[
            int | None,
            Field(ge=0, description="Default: the version before to_version; 0 = empty."),
        ] = None,
        to_version: Annotated[
            int | None, Field(ge=1, description="Default: the current version.")
        ] = None,
        proposal_id: Annotated[
            str | None, Field(description="Migrate from the proposal's base to its result.")
        ] = None,
        dialect: Dialect = None,
        max_chars: MaxChars = 50_000,
    ) -> Annotated[CallToolResult, MigrationAnswer]:
        with tool_errors("chartdb/generate-migration"):
            answer = await sql_migration.generate_migration(
                state_of(ctx).store,
                diagram_id,
                from_version,
                to_version,
                proposal_id,
                dialect,
                max_chars,
            )
        return tool_result(answer, migration_text(answer))


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


def migration_text(answer: MigrationAnswer) -> str:
    """The statements as a script, each risky one preceded by its risk and reason."""
    source = f"version {answer.from_version}" if answer.from_version else "an empty database"
    goal = f"version {answer.to_version}" if answer.to_version else f"proposal {answer.proposal_id}"
    counts = ", ".join(f"{count} {risk}" for risk, count in sorted(answer.risk_counts.items()))
    lines = [
        f"-- {answer.dialect.value} migration from {source} to {goal}: {counts or 'no changes'}"
    ]
    lines += [f"-- warning: {warning}" for warning in answer.warnings]
    for step in answer.steps:
        if step.risk.value != "safe":
            lines.append(f"-- {step.risk.value}: {step.reason}")
        if not step.transactional:
            lines.append("-- runs outside a transaction")
        lines.append(f"{step.sql};")
    if answer.omitted_steps:
        lines.append(f"-- {answer.omitted_steps} more statements left out to fit max_chars")
    return "\n".join(lines) + "\n"
