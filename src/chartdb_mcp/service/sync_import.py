"""Bring a live schema into a diagram as a proposal: all tables, new ones, or named ones.

The live schema is read once; the plan (see `core.sync.importing`) is diffed against the
current diagram and the ops become a pending proposal that apply-changes commits. What a
proposal cannot carry is reported, not dropped silently: views (no change op edits
them; import-database brings them) and triggers and routines (the model holds none).
"""

import logging
import time
from functools import partial

import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.sync.compare import compare_schemas
from chartdb_mcp.core.sync.importing import ConflictPolicy, ImportScope, LiveSide, plan_import
from chartdb_mcp.live.sync.reading import read_schemas
from chartdb_mcp.service import proposals
from chartdb_mcp.service.connections import KeySourceFactory, open_profile
from chartdb_mcp.service.proposals import Review
from chartdb_mcp.service.sync_load import tables_schemas
from chartdb_mcp.service.sync_verify import DifferenceLine, check_family
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)

NAMES_SHOWN = 50
NOT_READ = (
    "Triggers and routines are not read: the diagram model has no place for them, so "
    "sync-import cannot record them."
)


class Conflict(BaseModel):
    """A table on both sides that differs, left for the person to decide."""

    table: str
    differences: list[DifferenceLine]


class SyncImportReport(BaseModel):
    """What sync-import proposes, and what it left out and why."""

    diagram_id: str
    connection: str
    source: str
    scope: ImportScope
    conflict_policy: ConflictPolicy
    proposal_id: str | None = Field(default=None, description="None when nothing is to change.")
    added: list[str] = Field(default_factory=list)
    replaced: list[str] = Field(default_factory=list)
    kept_from_diagram: list[str] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    unchanged_count: int = 0
    custom_types: list[str] = Field(default_factory=list)
    views_not_carried: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    seconds: float
    review: Review | None = None


async def sync_import(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    connection: str | None,
    *,
    scope: ImportScope = ImportScope.ALL,
    tables: list[str] | None = None,
    policy: ConflictPolicy = ConflictPolicy.LIST,
    reasoning: str = "",
    author: str = "assistant",
    max_chars: int | None = None,
) -> SyncImportReport:
    """Propose bringing the live tables of `scope` into the diagram under `policy`.

    Raises InvalidInput for a named table the database lacks, DatabaseTypeMismatch for a
    database of another family, and the connection errors of the live layer.
    """
    started = time.perf_counter()
    diagram = await store.get(diagram_id)
    profile, target = await open_profile(store, keys, diagram_id, connection)
    check_family(diagram, target)
    live = await anyio.to_thread.run_sync(
        partial(read_schemas, target, tables_schemas(diagram), with_defaults=True)
    )
    comparison = compare_schemas(
        diagram, live.tables, live.relationships, database_type=live.database_type
    )
    side = LiveSide(live.tables, live.relationships, live.custom_types, live.source, live.read_at)
    plan = plan_import(diagram, side, comparison, scope=scope, names=tables or [], policy=policy)
    report = SyncImportReport(
        diagram_id=diagram.id,
        connection=profile.name,
        source=live.source,
        scope=scope,
        conflict_policy=policy,
        added=plan.added,
        replaced=plan.replaced,
        kept_from_diagram=plan.kept,
        conflicts=[
            Conflict(
                table=name,
                differences=[
                    DifferenceLine(
                        kind=d.kind.value, element=d.element, diagram=d.desired, database=d.live
                    )
                    for d in found
                ],
            )
            for name, found in plan.conflicts.items()
        ],
        unchanged_count=len(plan.unchanged),
        custom_types=plan.custom_types,
        seconds=0.0,
    )
    known_views = {(v.schema_name, v.name) for v in diagram.views}
    missing_views = [v for v in live.views if (v.schema_name, v.name) not in known_views]
    report.views_not_carried = [
        f"{v.schema_name}.{v.name}" if v.schema_name else v.name for v in missing_views
    ][:NAMES_SHOWN]
    if missing_views:
        report.notes.append(
            f"{len(missing_views)} views the diagram lacks are not carried: no change op "
            "edits views; import-database into this diagram brings them."
        )
    report.notes.append(NOT_READ)
    report.notes += live.warnings
    if plan.conflicts:
        report.notes.append(
            f"{len(plan.conflicts)} tables differ on both sides and were left out; choose "
            "conflict_policy keep-diagram or take-database, or name them with scope tables."
        )
    ops = diff_diagrams(diagram, plan.diagram)
    if ops:
        review = await proposals.propose(
            store,
            diagram.id,
            ops,
            title=title_of(report),
            reasoning=reasoning or f"Bring the schema of {live.source} into the diagram.",
            author=author,
            max_chars=max_chars,
        )
        report.proposal_id, report.review = review.id, review
    else:
        report.notes.append("Nothing to import: the diagram already has what was asked.")
    report.seconds = round(time.perf_counter() - started, 3)
    logger.info(
        "sync-import into diagram %s from %s: %d added, %d replaced, %d conflicts",
        diagram.id,
        live.source,
        len(plan.added),
        len(plan.replaced),
        len(plan.conflicts),
    )
    return report


def title_of(report: SyncImportReport) -> str:
    """`Import 3 new and 1 changed table(s) from <source>`."""
    return (
        f"Import {len(report.added)} new and {len(report.replaced)} changed table(s) "
        f"from {report.source}"
    )
