"""Tools that move diagrams in and out of other formats, and the schema linter."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.formats.interchange import ExportFormat, ImportFormat
from chartdb_mcp.core.formats.schema_text import plural
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, state_of
from chartdb_mcp.server.tools.annotations import CREATES, READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars
from chartdb_mcp.service import interchange
from chartdb_mcp.service.interchange import ExportResult, ImportResult
from chartdb_mcp.service.lint import LintReport, lint_schema

RuleIds = Annotated[
    list[str] | None,
    Field(description="Rule ids, e.g. no-primary-key, fk-without-index, reserved-word."),
]


def register(server: MCPServer, settings: Settings) -> None:
    """Register export-diagram, import-diagram and lint-schema."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/export-diagram"),
        structured_output=settings.structured_output,
        title="Export diagram",
        description=(
            "Write a diagram as ChartDB JSON (for the ChartDB app), DBML or a Mermaid ER "
            "diagram. Returns the text, or writes the file at `path`; warns what the format loses."
        ),
        annotations=CREATES,
    )
    async def export_diagram(
        ctx: ToolContext,
        diagram_id: DiagramId,
        format: ExportFormat,
        path: Annotated[
            str, Field(description="A file to write, as the person named it; omit to get the text.")
        ] = "",
        overwrite: Annotated[bool, Field(description="Replace an existing file.")] = False,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, ExportResult]:
        with tool_errors("chartdb/export-diagram"):
            result = await interchange.export_to_format(
                state_of(ctx).store,
                diagram_id,
                format,
                path=path or None,
                overwrite=overwrite,
                max_chars=max_chars,
            )
        return tool_result(result, render_export(result))

    @server.tool(
        name=name("chartdb/import-diagram"),
        structured_output=settings.structured_output,
        title="Import diagram",
        description=(
            "Create a diagram from ChartDB JSON, ChartDB smart-query JSON or DBML, given as "
            "`content` or a file `path`. Says what it could not import."
        ),
        annotations=CREATES,
    )
    async def import_diagram(
        ctx: ToolContext,
        format: ImportFormat,
        # Plain `str` with "" for omitted: the SDK would parse a JSON-looking string given
        # for an optional (`str | None`) argument into a list or dict before validation.
        content: Annotated[str, Field(description="The document itself.")] = "",
        path: Annotated[str, Field(description="A file holding the document.")] = "",
        name: Annotated[str, Field(description="Name for the new diagram.", max_length=200)] = "",
        database_type: Annotated[
            DatabaseType | None,
            Field(description="Used when the document does not say (DBML, smart query)."),
        ] = None,
    ) -> Annotated[CallToolResult, ImportResult]:
        with tool_errors("chartdb/import-diagram"):
            result = await interchange.import_from_format(
                state_of(ctx).store,
                format,
                content=content or None,
                path=path or None,
                name=name or None,
                database_type=database_type,
            )
        return tool_result(result, render_import(result))

    @server.tool(
        name=name("chartdb/lint-schema"),
        structured_output=settings.structured_output,
        title="Lint schema",
        description=(
            "Check a diagram without an LLM: missing primary keys, unindexed or mistyped "
            "foreign keys, duplicate indexes, reserved or over-long names, nullable uniques, "
            "isolated tables."
        ),
        annotations=READ_ONLY,
    )
    async def lint_schema_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        dialect: Annotated[
            DatabaseType | None,
            Field(description="Check names for this database; default: the diagram's."),
        ] = None,
        rules: RuleIds = None,
        exclude_rules: RuleIds = None,
        tables: Annotated[
            list[str] | None, Field(description="Only these tables ('name' or 'schema.name').")
        ] = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, LintReport]:
        with tool_errors("chartdb/lint-schema"):
            report = await lint_schema(
                state_of(ctx).store,
                diagram_id,
                dialect=dialect,
                include=rules,
                exclude=exclude_rules,
                tables=tables,
                max_chars=max_chars,
            )
        return tool_result(report, render_lint(report))


def render_export(result: ExportResult) -> str:
    """The export's text, or where it went, then its warnings and any cut."""
    lines = []
    if result.path is not None:
        lines.append(
            f"Wrote diagram {result.diagram_name!r} as {result.format.value} to {result.path} "
            f"({result.chars} characters)."
        )
    else:
        lines.append(result.content or "")
    if result.truncated:
        lines.append(
            f"[Cut: the export is {result.chars} characters and this answer shows the first "
            f"{len(result.content or '')}. Pass `path` to write the whole file, or raise "
            "max_chars.]"
        )
    lines += [f"Warning: {warning}" for warning in result.warnings]
    return "\n".join(lines)


def render_import(result: ImportResult) -> str:
    """The new diagram and its counts in a few lines."""
    lines = [
        f"Imported {plural(result.tables, 'table')}, {plural(result.views, 'view')}, "
        f"{plural(result.relationships, 'relationship')} and "
        f"{plural(result.custom_types, 'custom type')} from {result.format.value} into the new "
        f"diagram {result.diagram_name!r} (id {result.diagram_id}, {result.database_type}).",
    ]
    lines += [f"Warning: {warning}" for warning in result.warnings]
    return "\n".join(lines)


def render_lint(report: LintReport) -> str:
    """One line per finding, worst first per table, and the totals."""
    counts = ", ".join(f"{plural(n, s.value)}" for s, n in report.counts.items())
    lines = [
        f"Linted {plural(report.tables_checked, 'table')} of {report.diagram_name!r} for "
        f"{report.dialect}: {counts}."
    ]
    for finding in report.findings:
        where = finding.table + (f".{finding.column}" if finding.column else "")
        lines.append(
            f"{finding.severity.value} {finding.rule} {where}: {finding.message} "
            f"Suggestion: {finding.suggestion}"
        )
    if report.findings_left_out:
        lines.append(
            f"[{report.findings_left_out} more findings left out to stay under max_chars; "
            "filter by rules or tables, or raise max_chars.]"
        )
    if not report.findings and not report.findings_left_out:
        lines.append("No findings.")
    return "\n".join(lines)
