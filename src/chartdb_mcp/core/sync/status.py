"""Table statuses: what a comparison makes of each table, and what each status suggests.

A verified table is SYNCED when the database has it exactly as designed, DRIFT when it
has it differently, and PLANNED when it lacks it. DEPRECATED is the person's decision
(the table is to be dropped), so verification keeps it and only refreshes the record.
"""

from dataclasses import dataclass
from datetime import datetime

from chartdb_mcp.core.model import Diagram, SyncInfo, Table, TableStatus
from chartdb_mcp.core.sync.compare import SchemaComparison, TableComparison

NEXT_ACTIONS: dict[TableStatus, tuple[str, ...]] = {
    TableStatus.PLANNED: (
        "Create it in the database with sync-export (preview first).",
        "Or export its DDL with export-sql and run it yourself.",
    ),
    TableStatus.DRIFT: (
        "See what differs with sync-diff (or verify-table).",
        "Resolve it: sync-import takes the database's version, sync-export the diagram's.",
    ),
    TableStatus.EXISTS: ("Refresh it from the database with sync-import, then validate.",),
    TableStatus.SYNCED: (),
    TableStatus.DEPRECATED: ("Drop it with a migration (sync-export names it to drop).",),
}


@dataclass(frozen=True)
class StatusChange:
    """One table whose recorded status or drift details a verification changed."""

    table: str
    before: TableStatus
    after: TableStatus


def verdict(comparison: TableComparison) -> TableStatus:
    """The status a comparison gives its table."""
    if comparison.desired.status is TableStatus.DEPRECATED:
        return TableStatus.DEPRECATED
    if not comparison.found:
        return TableStatus.PLANNED
    return TableStatus.DRIFT if comparison.differences else TableStatus.SYNCED


def drift_details(comparison: TableComparison, source: str) -> list[str]:
    """The sentences recorded on a table: its differences, or that the database lacks it."""
    if not comparison.found:
        return [f"Not found in {source}."]
    return [difference.sentence for difference in comparison.differences]


def record_verification(
    diagram: Diagram, comparison: SchemaComparison, *, source: str, verified_at: datetime
) -> tuple[Diagram, list[StatusChange]]:
    """The diagram with each compared table's status and sync record set from `comparison`.

    Returns the changes of status or drift details; when there are none, the caller may
    keep the stored version, since only the verification time would differ.
    """
    by_id = {c.desired.id: c for c in comparison.tables}
    changes: list[StatusChange] = []
    tables: list[Table] = []
    for table in diagram.tables:
        checked = by_id.get(table.id)
        if checked is None:
            tables.append(table)
            continue
        status = verdict(checked)
        drift = drift_details(checked, source)
        previous = table.sync
        if status != table.status or previous is None or previous.drift != drift:
            changes.append(StatusChange(table.qualified_name, table.status, status))
        sync = SyncInfo(source=source, verified_at=verified_at, drift=drift)
        tables.append(table.model_copy(update={"status": status, "sync": sync}))
    return diagram.model_copy(update={"tables": tables}), changes


def count_statuses(tables: list[Table]) -> dict[TableStatus, int]:
    """How many tables have each status, every status listed."""
    counts = dict.fromkeys(TableStatus, 0)
    for table in tables:
        counts[table.status] += 1
    return counts
