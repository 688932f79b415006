"""Sync tools: table statuses, and keeping a diagram and its live database honest."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.model import TableStatus
from chartdb_mcp.core.sync.importing import ConflictPolicy, ImportScope
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, author_of, state_of
from chartdb_mcp.server.tools.annotations import CREATES, READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars
from chartdb_mcp.server.tools.connections import keys_of
from chartdb_mcp.server.tools.review import review_result
from chartdb_mcp.service.proposals import Review
from chartdb_mcp.service.review_text import fit_review, render_review
from chartdb_mcp.service.status import StatusSummary, set_table_status, status_summary
from chartdb_mcp.service.sync_export import SyncExportReport, sync_export
from chartdb_mcp.service.sync_import import SyncImportReport, sync_import
from chartdb_mcp.service.sync_verify import VerifyReport, verify_diagram

# Reads the live database and records statuses as a new diagram version; nothing is lost.
VERIFIES = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)
# Reads the live database and stores a pending proposal; the diagram itself is not changed.
VERIFIES_AND_PROPOSES = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True
)
# With execute=true it changes the live database, dropping tables when asked.
MIGRATES = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True
)
Connection = Annotated[
    str | None, Field(description="Connection profile name or id; default: the active one.")
]


def register(server: MCPServer, settings: Settings) -> None:
    """Register status-summary, set-table-status, verify-table, validate, sync-diff,
    sync-import and sync-export."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/status-summary"),
        structured_output=settings.structured_output,
        title="Status summary",
        description=(
            "Count a diagram's tables per status (PLANNED, EXISTS, SYNCED, DRIFT, "
            "DEPRECATED) with their names and each status's suggested next actions."
        ),
        annotations=READ_ONLY,
    )
    async def status_summary_tool(
        ctx: ToolContext, diagram_id: DiagramId, max_chars: MaxChars = 20_000
    ) -> Annotated[CallToolResult, StatusSummary]:
        with tool_errors("chartdb/status-summary"):
            summary = await status_summary(state_of(ctx).store, diagram_id, max_chars)
        return tool_result(summary, summary_text(summary))

    @server.tool(
        name=name("chartdb/set-table-status"),
        structured_output=settings.structured_output,
        title="Set table status",
        description=(
            "Propose setting the status of named tables by hand (e.g. DEPRECATED). "
            "Returns a proposal; apply-changes commits it."
        ),
        annotations=CREATES,
    )
    async def set_table_status_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        tables: Annotated[list[str], Field(description="Table names (name or schema.name).")],
        status: TableStatus,
        reasoning: Annotated[str, Field(description="Why, for the person.")] = "",
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, Review]:
        with tool_errors("chartdb/set-table-status"):
            review = await set_table_status(
                state_of(ctx).store,
                diagram_id,
                tables,
                status,
                reasoning=reasoning,
                author=author_of(ctx),
                max_chars=max_chars,
            )
        return review_result(review, max_chars, settings)

    async def verify(
        ctx: ToolContext,
        tool: str,
        diagram_id: str,
        connection: str | None,
        tables: list[str] | None,
        max_chars: int,
    ) -> CallToolResult:
        with tool_errors(tool):
            report = await verify_diagram(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                connection,
                tables=tables,
                max_chars=max_chars,
                author=author_of(ctx),
            )
        return tool_result(report, verify_text(report))

    @server.tool(
        name=name("chartdb/verify-table"),
        structured_output=settings.structured_output,
        title="Verify table",
        description=(
            "Check named tables against a connection's live database (exists, column types, "
            "nullability, keys, indexes, foreign keys); records SYNCED, DRIFT or PLANNED."
        ),
        annotations=VERIFIES,
    )
    async def verify_table_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        tables: Annotated[list[str], Field(min_length=1, description="Names to check.")],
        connection: Connection = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, VerifyReport]:
        return await verify(ctx, "chartdb/verify-table", diagram_id, connection, tables, max_chars)

    @server.tool(
        name=name("chartdb/validate"),
        structured_output=settings.structured_output,
        title="Validate diagram",
        description=(
            "Check every table of a diagram against a connection's live database in one "
            "batched read; records each table's status and lists those not SYNCED."
        ),
        annotations=VERIFIES,
    )
    async def validate_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: Connection = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, VerifyReport]:
        return await verify(ctx, "chartdb/validate", diagram_id, connection, None, max_chars)

    @server.tool(
        name=name("chartdb/sync-diff"),
        structured_output=settings.structured_output,
        title="Sync diff",
        description=(
            "The differences per table between a diagram and a connection's live schema, "
            "plus tables only the database has; updates each table's status."
        ),
        annotations=VERIFIES,
    )
    async def sync_diff_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: Connection = None,
        tables: Annotated[
            list[str] | None, Field(description="Only these tables; default: all.")
        ] = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, VerifyReport]:
        return await verify(ctx, "chartdb/sync-diff", diagram_id, connection, tables, max_chars)

    @server.tool(
        name=name("chartdb/sync-import"),
        structured_output=settings.structured_output,
        title="Sync import",
        description=(
            "Propose bringing a connection's live schema into the diagram: all, new or named "
            "tables; tables differing on both sides follow conflict_policy. Returns a proposal."
        ),
        annotations=VERIFIES_AND_PROPOSES,
    )
    async def sync_import_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: Connection = None,
        scope: Annotated[
            ImportScope, Field(description="all, new (tables the diagram lacks), or tables.")
        ] = ImportScope.ALL,
        tables: Annotated[
            list[str] | None, Field(description="For scope tables: live table names.")
        ] = None,
        conflict_policy: Annotated[
            ConflictPolicy,
            Field(description="keep-diagram, take-database, or list (propose the rest only)."),
        ] = ConflictPolicy.LIST,
        reasoning: Annotated[str, Field(description="Why, for the person.")] = "",
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, SyncImportReport]:
        with tool_errors("chartdb/sync-import"):
            report = await sync_import(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                connection,
                scope=scope,
                tables=tables,
                policy=conflict_policy,
                reasoning=reasoning,
                author=author_of(ctx),
                max_chars=max_chars,
            )
        if report.review is not None:
            report.review = fit_review(report.review, max_chars * 2 // 3)
        apply_tool = name("chartdb/apply-changes")
        return tool_result(report, sync_import_text(report, apply_tool))

    @server.tool(
        name=name("chartdb/sync-export"),
        structured_output=settings.structured_output,
        title="Sync export",
        description=(
            "The migration taking a connection's live database to the diagram, with risk "
            "levels (preview). execute=true with confirm=plan_hash runs it, atomically where "
            "DDL is transactional; then statuses are verified."
        ),
        annotations=MIGRATES,
    )
    async def sync_export_tool(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: Connection = None,
        execute: Annotated[bool, Field(description="Run it; default: preview only.")] = False,
        confirm: Annotated[
            str | None, Field(description="The preview's plan_hash: consent to exactly it.")
        ] = None,
        drop_tables: Annotated[
            list[str] | None,
            Field(description="Live tables the migration may drop or rebuild (else refused)."),
        ] = None,
        allow_destructive: Annotated[
            bool, Field(description="Allow destructive steps when executing.")
        ] = False,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, SyncExportReport]:
        with tool_errors("chartdb/sync-export"):
            report = await sync_export(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                connection,
                execute=execute,
                confirm=confirm,
                drop_tables=drop_tables,
                allow_destructive=allow_destructive,
                author=author_of(ctx),
                max_chars=max_chars,
            )
        return tool_result(report, sync_export_text(report))


def summary_text(summary: StatusSummary) -> str:
    """One line per status with its tables, then its next actions."""
    lines = [f"{summary.total} tables (version {summary.version}):"]
    for group in summary.groups:
        shown = ", ".join(group.tables)
        more = f" (+{group.tables_left_out} more)" if group.tables_left_out else ""
        lines.append(f"{group.status.value} {group.count}: {shown}{more}")
        lines += [f"  next: {action}" for action in group.next_actions]
    if summary.last_verified:
        lines.append(f"Last verified {summary.last_verified}.")
    return "\n".join(lines + summary.notes)


def verify_text(report: VerifyReport) -> str:
    """Counts, then each listed table with its differences."""
    counts = ", ".join(f"{count} {status}" for status, count in report.counts.items())
    recorded = f"recorded as version {report.version}" if report.recorded else "nothing changed"
    lines = [
        f"Checked {report.checked} tables against {report.connection} ({report.source}): "
        f"{counts or 'none'}; {recorded}."
    ]
    for table in report.tables:
        lines.append(f"{table.table} [{table.status.value}]")
        lines += [f"  - {sentence}" for sentence in table.drift]
    if report.only_in_database_count:
        lines.append(
            f"Only in the database ({report.only_in_database_count}): "
            + ", ".join(report.only_in_database)
        )
    return "\n".join(lines + report.notes)


def sync_import_text(report: SyncImportReport, apply_tool: str) -> str:
    """What is proposed, the conflicts, then the proposal's review."""
    lines = [
        f"sync-import ({report.scope.value}, {report.conflict_policy.value}) from "
        f"{report.source}: {len(report.added)} new, {len(report.replaced)} replaced, "
        f"{len(report.kept_from_diagram)} kept as designed, {len(report.conflicts)} conflicts, "
        f"{report.unchanged_count} unchanged."
    ]
    for conflict in report.conflicts:
        changes = "; ".join(f"{d.kind} {d.element}" for d in conflict.differences)
        lines.append(f"conflict {conflict.table}: {changes}")
    lines += report.notes
    if report.review is not None:
        lines += ["", render_review(report.review, apply_tool)]
    return "\n".join(lines)


def sync_export_text(report: SyncExportReport) -> str:
    """The statements with their risks, then how the run went."""
    lines = [
        f"Migration of {report.source} to diagram {report.diagram_id}: {report.step_count} "
        f"statements, highest risk {report.highest_risk.value}, plan_hash {report.plan_hash}."
    ]
    for step in report.steps:
        reason = f" ({step.reason})" if step.reason else ""
        lines.append(f"{step.number}. [{step.risk.value}]{reason} {step.sql};")
    if report.drops:
        lines.append("Drops: " + ", ".join(report.drops))
    if report.protected:
        lines.append("Refused unless named in drop_tables: " + ", ".join(report.protected))
    execution = report.execution
    if execution is not None:
        if execution.failed_step is None:
            lines.append(f"Executed ({execution.mode}): all {len(execution.applied)} applied.")
        else:
            lines.append(
                f"Failed at statement {execution.failed_step} ({execution.mode}): "
                f"{execution.error}. Applied: {execution.applied or 'none'}."
            )
            lines += [f"  undo: {inverse};" for inverse in execution.inverses]
    if report.statuses:
        lines.append("Statuses now: " + ", ".join(f"{n} {s}" for s, n in report.statuses.items()))
    return "\n".join(lines + report.warnings + report.notes)
