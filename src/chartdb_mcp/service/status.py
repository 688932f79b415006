"""Table statuses at a glance, and setting them by hand (as a proposal, like any edit)."""

from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.ops import ChangeOp, SetTableStatus
from chartdb_mcp.core.edit.specs.common import find_table
from chartdb_mcp.core.model import Diagram, TableStatus
from chartdb_mcp.core.sync.status import NEXT_ACTIONS, count_statuses
from chartdb_mcp.errors import InvalidInput
from chartdb_mcp.service import proposals
from chartdb_mcp.service.proposals import Review
from chartdb_mcp.store import DiagramStore


class StatusGroup(BaseModel):
    """The tables of one status and what that status suggests doing next."""

    status: TableStatus
    count: int
    tables: list[str] = Field(default_factory=list)
    tables_left_out: int = 0
    next_actions: list[str] = Field(default_factory=list)


class StatusSummary(BaseModel):
    """How many tables each status has, with their names within the budget."""

    diagram_id: str
    version: int
    total: int
    counts: dict[str, int]
    groups: list[StatusGroup]
    last_verified: str | None = Field(
        default=None, description="The newest verification time recorded on any table."
    )
    notes: list[str] = Field(default_factory=list)


async def status_summary(store: DiagramStore, diagram_id: str, max_chars: int) -> StatusSummary:
    """Counts per status (every status listed), tables per status as far as `max_chars` allows."""
    return summarize(await store.get(diagram_id), max_chars)


def summarize(diagram: Diagram, max_chars: int) -> StatusSummary:
    """The summary of one diagram version; names are cut, in status order, at the budget."""
    counts = count_statuses(diagram.tables)
    stamps = [t.sync.verified_at for t in diagram.tables if t.sync and t.sync.verified_at]
    summary = StatusSummary(
        diagram_id=diagram.id,
        version=diagram.version,
        total=len(diagram.tables),
        counts={status.value: count for status, count in counts.items()},
        groups=[],
        last_verified=max(stamps).isoformat() if stamps else None,
    )
    budget = max_chars - 2 * len(summary.model_dump_json()) - 400 * len(TableStatus)
    for status in TableStatus:
        group = StatusGroup(
            status=status, count=counts[status], next_actions=list(NEXT_ACTIONS[status])
        )
        for table in (t for t in diagram.tables if t.status is status):
            budget -= 2 * (len(table.qualified_name) + 4)
            if budget < 0:
                group.tables_left_out += 1
                continue
            group.tables.append(table.qualified_name)
        if group.count:
            summary.groups.append(group)
    left_out = sum(group.tables_left_out for group in summary.groups)
    if left_out:
        summary.notes.append(
            f"{left_out} table names left out to stay within max_chars; get-schema with a "
            "status filter lists them."
        )
    return summary


async def set_table_status(
    store: DiagramStore,
    diagram_id: str,
    tables: list[str],
    status: TableStatus,
    *,
    reasoning: str = "",
    author: str = "assistant",
    max_chars: int | None = None,
) -> Review:
    """Propose setting `status` on each named table; apply-changes commits it."""
    if not tables:
        raise InvalidInput("'tables' must name at least one table.")

    def build(diagram: Diagram) -> list[ChangeOp]:
        found = [find_table(name, diagram) for name in tables]
        return [
            SetTableStatus(table=table.qualified_name, table_id=table.id, status=status)
            for table in dict((t.id, t) for t in found).values()
        ]

    return await proposals.propose(
        store,
        diagram_id,
        build,
        title=f"Mark {len(tables)} table(s) {status.value}",
        reasoning=reasoning,
        author=author,
        max_chars=max_chars,
    )
