"""Verify a diagram against a live database and record each table's status.

The live schema is read once (one connection, the catalog readers' batched queries),
compared with the diagram table by table, and the verdicts are recorded on the tables:
status SYNCED, DRIFT or PLANNED (DEPRECATED stays), the source database, the time and
the drift details.

How status updates are recorded: they are bookkeeping, not design edits, so they do not
go through a proposal. They are written as one new diagram version with a changelog
entry ("Verified ... against ...") listing each table whose status or drift details
changed; the write is atomic and checks the version it read, comparing again when
another writer saved first. When nothing but the verification time would change, no
version is written (a verification on every turn must not flood the history); the
answer then says the stored statuses are current.
"""

import logging
import time
from collections import Counter

from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.specs.common import find_table
from chartdb_mcp.core.model import DatabaseType, Diagram, TableStatus
from chartdb_mcp.core.sync.compare import SchemaComparison, compare_schemas
from chartdb_mcp.core.sync.status import StatusChange, record_verification
from chartdb_mcp.core.sync.status import verdict as status_of
from chartdb_mcp.errors import DatabaseTypeMismatch, VersionConflict
from chartdb_mcp.live.introspect import LiveSchema
from chartdb_mcp.live.target import ConnectionTarget
from chartdb_mcp.service.connections import KeySourceFactory, open_profile
from chartdb_mcp.service.sync_load import load_and_read, remember
from chartdb_mcp.store import ChangeNote, DiagramStore

logger = logging.getLogger(__name__)

SAVE_ATTEMPTS = 3
CHANGES_NOTED = 50

# Families whose diagrams may be checked against each other's servers.
FAMILIES = ({DatabaseType.MYSQL, DatabaseType.MARIADB},)


class DifferenceLine(BaseModel):
    """One difference: its kind, the element, and each side's value where it has one."""

    kind: str
    element: str
    diagram: str | None = None
    database: str | None = None


class TableVerdict(BaseModel):
    """One table's status after verification, and why."""

    table: str
    status: TableStatus
    previous_status: TableStatus
    differences: list[DifferenceLine] = Field(default_factory=list)
    drift: list[str] = Field(default_factory=list)


class VerifyReport(BaseModel):
    """What a verification found and recorded."""

    diagram_id: str
    connection: str
    source: str
    version: int
    recorded: bool = Field(description="Whether a new version holds the new statuses.")
    checked: int
    counts: dict[str, int] = Field(description="Checked tables per status after verification.")
    changed: list[str] = Field(default_factory=list, description="Tables whose record changed.")
    tables: list[TableVerdict] = Field(default_factory=list)
    tables_left_out: int = 0
    only_in_database: list[str] = Field(default_factory=list)
    only_in_database_count: int = 0
    notes: list[str] = Field(default_factory=list)
    seconds: float


async def verify_diagram(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    connection: str | None,
    *,
    tables: list[str] | None = None,
    include_synced: bool = False,
    max_chars: int = 20_000,
    author: str | None = None,
) -> VerifyReport:
    """Compare the diagram (or the named tables) with the profile's database; record statuses.

    Raises TableNotFound for a name the diagram lacks, DatabaseTypeMismatch when the
    profile's database is of another family, and the connection errors of the live layer.
    """
    started = time.perf_counter()
    profile, target = await open_profile(store, keys, diagram_id, connection)
    diagram, live = await load_and_read(store, diagram_id, target)
    ids = [find_table(name, diagram).id for name in tables] if tables else None
    check_family(diagram, target)
    saved, comparison, changes = await record(store, diagram, live, ids, author)
    return build_report(
        saved,
        comparison,
        changes,
        profile_name=profile.name,
        recorded=saved.version != diagram.version,
        include_synced=include_synced or bool(tables),
        max_chars=max_chars,
        seconds=time.perf_counter() - started,
    )


def check_family(diagram: Diagram, target: ConnectionTarget) -> None:
    """Refuse to compare a diagram with a database of another kind."""
    ours, theirs = diagram.database_type, target.database_type
    if ours in (DatabaseType.GENERIC, theirs) or any({ours, theirs} <= f for f in FAMILIES):
        return
    raise DatabaseTypeMismatch(
        f"Diagram {diagram.name!r} describes a {ours.value} database; it cannot be verified "
        f"against {target.display} ({theirs.value})."
    )


async def record(
    store: DiagramStore,
    diagram: Diagram,
    live: LiveSchema,
    ids: list[str] | None,
    author: str | None,
) -> tuple[Diagram, SchemaComparison, list[StatusChange]]:
    """Compare and save the verdicts on the newest version, comparing again after a clash."""
    attempts_left = SAVE_ATTEMPTS
    while True:
        comparison = compare_schemas(
            diagram,
            live.tables,
            live.relationships,
            database_type=live.database_type,
            only=ids,
        )
        updated, changes = record_verification(
            diagram, comparison, source=live.source, verified_at=live.read_at
        )
        if not changes:
            remember(store, diagram)
            return diagram, comparison, changes
        try:
            saved = await store.save(
                updated, diagram.version, note_of(live, comparison, changes, author)
            )
        except VersionConflict:
            attempts_left -= 1
            if attempts_left == 0:
                raise
            diagram = await store.get(diagram.id)
            continue
        remember(store, saved)
        logger.info(
            "verified %d tables of diagram %s against %s: %d changed (version %d)",
            len(comparison.tables),
            saved.id,
            live.source,
            len(changes),
            saved.version,
        )
        return saved, comparison, changes


def note_of(
    live: LiveSchema, comparison: SchemaComparison, changes: list[StatusChange], author: str | None
) -> ChangeNote:
    """The changelog entry: what was verified, and each table whose status changed."""
    lines = [
        f"{change.table}: {change.before.value} -> {change.after.value}"
        for change in changes[:CHANGES_NOTED]
    ]
    if len(changes) > CHANGES_NOTED:
        lines.append(f"... and {len(changes) - CHANGES_NOTED} more tables")
    return ChangeNote(
        summary=f"Verified {len(comparison.tables)} tables against {live.source}",
        author=author,
        changes=tuple(lines),
    )


def build_report(
    saved: Diagram,
    comparison: SchemaComparison,
    changes: list[StatusChange],
    *,
    profile_name: str,
    recorded: bool,
    include_synced: bool,
    max_chars: int,
    seconds: float,
) -> VerifyReport:
    """The report, listing tables that are not SYNCED (all, when asked) within `max_chars`."""
    verdicts = {c.desired.id: status_of(c) for c in comparison.tables}
    counts = Counter(verdicts.values())
    report = VerifyReport(
        diagram_id=saved.id,
        connection=profile_name,
        source=saved.source.url if saved.source else "",
        version=saved.version,
        recorded=recorded,
        checked=len(comparison.tables),
        counts={status.value: counts[status] for status in TableStatus if counts[status]},
        changed=[change.table for change in changes[:CHANGES_NOTED]],
        only_in_database_count=len(comparison.live_only),
        seconds=round(seconds, 3),
    )
    budget = max_chars - len(report.model_dump_json()) - 500
    for name in (t.qualified_name for t in comparison.live_only):
        budget -= len(name) + 4
        if budget < 0:
            break
        report.only_in_database.append(name)
    for checked in comparison.tables:
        status = verdicts[checked.desired.id]
        if status is TableStatus.SYNCED and not include_synced:
            continue
        line = TableVerdict(
            table=checked.desired.qualified_name,
            status=status,
            previous_status=checked.desired.status,
            differences=[
                DifferenceLine(
                    kind=d.kind.value, element=d.element, diagram=d.desired, database=d.live
                )
                for d in checked.differences
            ],
            drift=[d.sentence for d in checked.differences]
            if checked.found
            else ["Not found in the database."],
        )
        budget -= 2 * len(line.model_dump_json())
        if budget < 0:
            report.tables_left_out += 1
            continue
        report.tables.append(line)
    if report.tables_left_out:
        report.notes.append(
            f"{report.tables_left_out} tables left out to stay within max_chars; name them "
            "in verify-table or raise max_chars."
        )
    if len(report.only_in_database) < report.only_in_database_count:
        report.notes.append(
            f"only_in_database shows {len(report.only_in_database)} of "
            f"{report.only_in_database_count} tables."
        )
    if not recorded:
        report.notes.append("No status changed; the stored statuses are current.")
    return report
