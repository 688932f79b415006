"""The tool that reads DDL scripts: import-sql."""

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
from chartdb_mcp.server.tools.annotations import CREATES
from chartdb_mcp.server.tools.arguments import MaxChars
from chartdb_mcp.service.sql_import import SqlImportReport, import_sql

# Lists shortened first when the answer is over budget, longest first.
TRIMMED = ("op_lines", "problems", "warnings")


def register(server: MCPServer, settings: Settings) -> None:
    """Register import-sql."""

    @server.tool(
        name=wire_name("chartdb/import-sql", settings.tool_names),
        structured_output=settings.structured_output,
        title="Import SQL",
        description=(
            "Read a DDL script (pg_dump, mysqldump, SQLite .schema or hand-written) into a "
            "new diagram, or as a proposal on an existing one. Reports skipped statements."
        ),
        annotations=CREATES,
    )
    async def import_sql_tool(
        ctx: ToolContext,
        dialect: Annotated[
            str, Field(description="postgresql, mysql, mariadb, sqlite, sqlserver or oracle.")
        ],
        sql: Annotated[str | None, Field(description="The script's text.")] = None,
        path: Annotated[
            str | None, Field(description="A script file on this machine, instead of 'sql'.")
        ] = None,
        diagram_id: Annotated[
            str | None,
            Field(description="Existing diagram: the script becomes a proposal on it."),
        ] = None,
        name: Annotated[
            str | None, Field(description="Name for a new diagram.", max_length=200)
        ] = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, SqlImportReport]:
        with tool_errors("chartdb/import-sql"):
            report = await import_sql(
                state_of(ctx).store,
                dialect=dialect,
                sql=sql,
                path=path,
                diagram_id=diagram_id,
                name=name,
                author=author_of(ctx),
            )
        fitted = fit_report(report, max_chars)
        return tool_result(fitted, render_sql_report(fitted))


def render_sql_report(report: SqlImportReport) -> str:
    """The import's outcome in a few lines."""
    lines = [
        f"Read {plural(report.statements, 'statement')} of {report.database_type} DDL: "
        f"{plural(report.tables, 'table')}, {plural(report.views, 'view')}, "
        f"{plural(report.relationships, 'relationship')}, "
        f"{plural(report.custom_types, 'custom type')}.",
    ]
    if report.outcome == "created":
        lines.append(f"Created diagram {report.diagram_name!r} (id {report.diagram_id}).")
    elif report.outcome == "proposed":
        lines.append(
            f"Proposal {report.proposal_id} on diagram {report.diagram_name!r} (version "
            f"{report.version}) with {plural(report.op_count, 'op')}:"
        )
        lines += [f"  {line}" for line in report.op_lines]
    else:
        lines.append(f"Diagram {report.diagram_name!r} already matches the script.")
    if report.skipped:
        counts = ", ".join(f"{kind} {count}" for kind, count in sorted(report.skipped.items()))
        lines.append(f"Not imported, by kind: {counts}.")
    if report.problem_count:
        lines.append(f"{plural(report.problem_count, 'statement')} could not be read:")
        lines += [f"  line {p.line}: {p.excerpt} — {p.reason}" for p in report.problems]
    if report.tables_not_in_script:
        lines.append(
            "Diagram tables the script does not mention (left as they are): "
            + ", ".join(report.tables_not_in_script)
        )
    lines += [f"Warning: {warning}" for warning in report.warnings]
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)


def fit_report(report: SqlImportReport, max_chars: int) -> SqlImportReport:
    """The report with its longest lists shortened until text and JSON fit `max_chars`."""
    fitted = report.model_copy(deep=True)
    cut: dict[str, int] = {}
    while size_of(fitted) > max_chars:
        name = max(TRIMMED, key=lambda field: len(getattr(fitted, field)))
        items = getattr(fitted, name)
        if not items:
            break
        keep = len(items) // 2
        cut[name] = cut.get(name, 0) + len(items) - keep
        setattr(fitted, name, items[:keep])
    for name, count in cut.items():
        label = name.replace("_", " ")
        fitted.notes.append(f"{count} {label} left out to fit max_chars; raise it to see them.")
    return fitted


def size_of(report: SqlImportReport) -> int:
    """Characters the answer takes: its text plus its JSON."""
    return len(render_sql_report(report)) + len(report.model_dump_json(exclude_none=True))
