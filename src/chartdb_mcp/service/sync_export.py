"""Forward engineering: the migration that takes a live database to the diagram.

First a preview: the statements with their risks, a fingerprint of them (`plan_hash`),
the tables the migration drops and any EXISTS or SYNCED table it would drop or rebuild
(refused unless named in `drop_tables`). Execution needs the fingerprint of the preview
the person saw (`confirm`), a profile that allows writes (and, for a production label,
unlocked production writes), and `allow_destructive` when a step is destructive; it
then runs as `live.sync.execute` describes and verifies the diagram afterwards, which
records the statuses (SYNCED where the database now matches).
"""

import hashlib
import logging
import time
from functools import partial

import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.connections import ConnectionProfile
from chartdb_mcp.core.sql.migrate import MigrationPlan, Risk, plan_migration
from chartdb_mcp.core.sync.export import align, protected_steps
from chartdb_mcp.errors import MigrationRefused
from chartdb_mcp.live.sync.execute import Execution, execute_plan
from chartdb_mcp.live.sync.reading import read_schemas
from chartdb_mcp.service.connections import KeySourceFactory, open_profile
from chartdb_mcp.service.sync_load import tables_schemas
from chartdb_mcp.service.sync_verify import check_family, verify_diagram
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)


class ExportStep(BaseModel):
    """One statement of the migration, numbered from 1."""

    number: int
    sql: str
    risk: Risk
    reason: str | None = None
    inverse: str | None = None
    table: str | None = None


class ExecutionReport(BaseModel):
    """How the run went; `applied` are the step numbers that stayed applied."""

    mode: str
    dry_run_passed: bool | None = None
    committed: bool
    applied: list[int] = Field(default_factory=list)
    failed_step: int | None = None
    error: str | None = None
    inverses: list[str] = Field(
        default_factory=list, description="SQL undoing the applied steps, newest first."
    )


class SyncExportReport(BaseModel):
    """The migration from the live database to the diagram, and its run if asked."""

    diagram_id: str
    connection: str
    source: str
    dialect: str
    plan_hash: str = Field(description="Pass as confirm to execute exactly this migration.")
    highest_risk: Risk
    step_count: int
    steps: list[ExportStep] = Field(default_factory=list)
    steps_left_out: int = 0
    drops: list[str] = Field(default_factory=list)
    protected: list[str] = Field(
        default_factory=list, description="EXISTS/SYNCED tables it would drop or rebuild."
    )
    warnings: list[str] = Field(default_factory=list)
    executed: bool = False
    execution: ExecutionReport | None = None
    statuses: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    seconds: float = 0.0


async def sync_export(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    connection: str | None,
    *,
    execute: bool = False,
    confirm: str | None = None,
    drop_tables: list[str] | None = None,
    allow_destructive: bool = False,
    author: str | None = None,
    max_chars: int = 20_000,
) -> SyncExportReport:
    """Preview (default) or run the migration from the profile's database to the diagram.

    Raises MigrationRefused when execution lacks consent or permission, or the plan
    drops or rebuilds a protected table; the connection errors of the live layer.
    """
    started = time.perf_counter()
    diagram = await store.get(diagram_id)
    profile, target = await open_profile(store, keys, diagram_id, connection, writable=execute)
    check_family(diagram, target)
    live = await anyio.to_thread.run_sync(partial(read_schemas, target, tables_schemas(diagram)))
    drop = set(drop_tables or [])
    sides = align(diagram, live.tables, live.relationships, live.custom_types, drop=drop)
    try:
        plan = plan_migration(sides.live, sides.desired, live.database_type)
    except ValueError as error:
        raise MigrationRefused(f"sync-export cannot write this migration: {error}.") from None
    report = preview(diagram.id, profile.name, live.source, plan, max_chars)
    report.drops = sides.dropped
    report.protected = protected_steps(plan.steps, diagram, drop)
    if not plan.steps:
        report.notes.append("Nothing to do: the database already matches the diagram.")
    elif not execute:
        report.notes.append(
            "Preview only. To run it: execute=true with confirm set to plan_hash"
            + (", and allow_destructive=true." if report.highest_risk is Risk.DESTRUCTIVE else ".")
        )
    if execute and plan.steps:
        check_consent(profile, report, confirm, allow_destructive)
        outcome = await anyio.to_thread.run_sync(execute_plan, target, plan.steps)
        report.executed, report.execution = True, execution_report(outcome)
        logger.info(
            "sync-export of diagram %s to %s: %d of %d steps applied, failed step %s",
            diagram.id,
            live.source,
            len(outcome.applied),
            len(plan.steps),
            outcome.failed_step,
        )
        if outcome.applied:
            verified = await verify_diagram(
                store, keys, diagram.id, connection, max_chars=2_000, author=author
            )
            report.statuses = verified.counts
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def preview(
    diagram_id: str, connection: str, source: str, plan: MigrationPlan, max_chars: int
) -> SyncExportReport:
    """The plan as a report, steps listed as far as `max_chars` allows."""
    report = SyncExportReport(
        diagram_id=diagram_id,
        connection=connection,
        source=source,
        dialect=plan.dialect.value,
        plan_hash=hashlib.sha256(plan.script.encode()).hexdigest()[:16],
        highest_risk=plan.highest_risk,
        step_count=len(plan.steps),
        warnings=plan.warnings,
    )
    budget = max_chars - 2 * len(report.model_dump_json()) - 1_000
    for number, step in enumerate(plan.steps, start=1):
        line = ExportStep(
            number=number,
            sql=step.sql,
            risk=step.risk,
            reason=step.reason,
            inverse=step.inverse,
            table=step.table,
        )
        budget -= 2 * len(line.model_dump_json())
        if budget < 0:
            report.steps_left_out = len(plan.steps) - number + 1
            report.notes.append(
                f"{report.steps_left_out} steps left out to stay within max_chars; "
                "generate-migration or a larger max_chars shows them."
            )
            break
        report.steps.append(line)
    return report


def check_consent(
    profile: ConnectionProfile,
    report: SyncExportReport,
    confirm: str | None,
    allow_destructive: bool,
) -> None:
    """Refuse to run without the preview's fingerprint, permission or a safe plan."""
    if confirm != report.plan_hash:
        raise MigrationRefused(
            "Run sync-export without execute first and pass its plan_hash as confirm: "
            f"this migration's is {report.plan_hash!r}, and it may differ from what was shown."
        )
    if not profile.allow_writes:
        raise MigrationRefused(
            f"Connection {profile.name!r} does not allow writes; the person can enable them "
            "with update-connection allow_writes=true."
        )
    if profile.is_production and not profile.production_writes_unlocked:
        raise MigrationRefused(
            f"Connection {profile.name!r} is labelled {profile.environment!r}; migrations stay "
            "refused until the person sets production_writes_unlocked=true on it."
        )
    if report.protected:
        raise MigrationRefused(
            "The migration would drop or rebuild tables that exist in the database "
            f"({', '.join(report.protected)}); name them in drop_tables to allow it."
        )
    if report.highest_risk is Risk.BLOCKED:
        raise MigrationRefused("The migration has a blocked step; see its reason.")
    if report.highest_risk is Risk.DESTRUCTIVE and not allow_destructive:
        raise MigrationRefused(
            "The migration has destructive steps; pass allow_destructive=true to run it."
        )


def execution_report(outcome: Execution) -> ExecutionReport:
    """The live layer's outcome as an answer."""
    return ExecutionReport(
        mode=outcome.mode,
        dry_run_passed=outcome.dry_run_passed,
        committed=outcome.committed,
        applied=outcome.applied,
        failed_step=outcome.failed_step,
        error=outcome.error,
        inverses=outcome.inverses,
    )
