"""The query-database tool: SQL through a connection profile, read-only unless asked."""

import base64
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.types import (
    BlobResourceContents,
    CallToolResult,
    EmbeddedResource,
    TextContent,
    TextResourceContents,
    ToolAnnotations,
)
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.formats.export import ExportFormat
from chartdb_mcp.core.formats.schema_text import plural
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, state_of
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars
from chartdb_mcp.server.tools.connections import keys_of
from chartdb_mcp.service.exporting import ExportReport, export_query
from chartdb_mcp.service.querying import QueryMode, QueryReport, QuerySource, query_database

# It can write when asked (mode=write on a profile that allows it), so it is not read-only.
RUNS_SQL = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True
)

# Reads the database and may create a file the caller names.
EXPORTS = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True
)


def register(server: MCPServer, settings: Settings) -> None:
    """Register query-database and export-query."""

    @server.tool(
        name=wire_name("chartdb/query-database", settings.tool_names),
        structured_output=settings.structured_output,
        title="Query database",
        description=(
            "Run one SQL statement through a connection profile. Read-only by default "
            "(checked, and enforced by the database); bound :name parameters, timeout, "
            "row cap. mode=write needs a profile allowing writes; commit=false is a dry run."
        ),
        annotations=RUNS_SQL,
    )
    async def query_database_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        sql: Annotated[
            str | None, Field(description="One statement; :name marks a parameter.")
        ] = None,
        connection: Annotated[
            str | None, Field(description="Profile name or id; default: the active one.")
        ] = None,
        saved_query: Annotated[
            str | None, Field(description="Run this saved query instead of sql.")
        ] = None,
        template: Annotated[
            str | None, Field(description="Run this built-in template (list-query-templates).")
        ] = None,
        table: Annotated[
            str | None, Field(description="The table a template needs (table or schema.table).")
        ] = None,
        parameters: Annotated[
            dict[str, str | int | float | bool | None] | None,
            Field(description="Values for the :name parameters, bound by the driver."),
        ] = None,
        mode: Annotated[
            Literal["read", "write"], Field(description="write changes data (if allowed).")
        ] = "read",
        commit: Annotated[
            bool, Field(description="For mode=write: commit; false rolls back (dry run).")
        ] = False,
        timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0,
        row_cap: Annotated[int, Field(ge=1, le=10_000, description="Most rows returned.")] = 200,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, QueryReport]:
        with tool_errors("chartdb/query-database"):
            report = await query_database(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                connection,
                sql,
                saved_query=saved_query,
                template=template,
                table=table,
                parameters=parameters,
                mode=QueryMode(mode),
                commit=commit,
                timeout=timeout_seconds,
                row_cap=row_cap,
                max_chars=max_chars,
            )
        return tool_result(report, report_text(report))

    @server.tool(
        name=wire_name("chartdb/export-query", settings.tool_names),
        structured_output=settings.structured_output,
        title="Export query",
        description=(
            "Run a read (as query-database does) and export its rows as CSV, JSON or xlsx: "
            "to a new file at an absolute path, or embedded in the answer."
        ),
        annotations=EXPORTS,
    )
    async def export_query_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        format: Annotated[Literal["csv", "json", "xlsx"], Field(description="File format.")],
        sql: str | None = None,
        saved_query: str | None = None,
        template: str | None = None,
        table: str | None = None,
        parameters: dict[str, str | int | float | bool | None] | None = None,
        connection: Annotated[str | None, Field(description="Default: the active one.")] = None,
        path: Annotated[
            str | None, Field(description="Absolute file path; omit to embed the file.")
        ] = None,
        overwrite: bool = False,
        timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 60.0,
        row_cap: Annotated[int, Field(ge=1, le=1_000_000)] = 10_000,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, ExportReport]:
        with tool_errors("chartdb/export-query"):
            report, content = await export_query(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                connection,
                QuerySource(sql, saved_query, template, table, dict(parameters or {})),
                ExportFormat(format),
                path=path,
                overwrite=overwrite,
                timeout=timeout_seconds,
                row_cap=row_cap,
                max_chars=max_chars,
            )
        return export_result_of(report, content)


def export_result_of(report: ExportReport, content: bytes | None) -> CallToolResult:
    """The export's summary, with the file itself as an embedded resource when it has no path."""
    cut = " (truncated at the row cap)" if report.truncated else ""
    where = f"to {report.path}" if report.path else "embedded below"
    text = (
        f"Exported {report.row_count} rows{cut} from {report.connection!r} as "
        f"{report.format.value}, {report.bytes} bytes, {where}."
    )
    blocks: list[TextContent | EmbeddedResource] = [TextContent(type="text", text=text)]
    if content is not None:
        uri = f"chartdb://export/result.{report.format.value}"
        mime = report.format.mime_type
        resource: TextResourceContents | BlobResourceContents
        if report.format is ExportFormat.XLSX:
            blob = base64.b64encode(content).decode("ascii")
            resource = BlobResourceContents(uri=uri, mime_type=mime, blob=blob)
        else:
            resource = TextResourceContents(uri=uri, mime_type=mime, text=content.decode("utf-8"))
        blocks.append(EmbeddedResource(type="resource", resource=resource))
    return CallToolResult(
        content=blocks, structured_content=report.model_dump(mode="json", exclude_none=True)
    )


def report_text(report: QueryReport) -> str:
    """A header line, the table, and what was cut or committed."""
    where = f"{report.connection} ({report.environment}, {report.dialect})"
    if report.columns:
        rows = plural(report.row_count, "row")
        head = f"{report.statement} on {where}: {rows} in {report.seconds:.3f}s."
    else:
        affected = report.affected_rows
        count = "an unknown number of rows" if affected is None else plural(affected, "row")
        head = f"{report.statement} on {where}: {count} affected."
    lines = [head]
    if report.mode is QueryMode.WRITE:
        lines.append("Committed." if report.committed else "Dry run: rolled back, nothing changed.")
    if report.table:
        lines += ["", report.table]
    shown = report.table.count("\n") - 1 if report.table else 0
    if report.row_count > max(shown, 0) and report.table:
        lines.append(f"… {report.row_count - shown} more rows in the structured result.")
    if report.truncated:
        lines.append(f"Truncated: the database had more rows than the cap of {report.row_cap}.")
    if report.rows_cut_for_size:
        lines.append(f"{report.rows_cut_for_size} rows left out to stay within max_chars.")
    return "\n".join(lines)
