"""Whole tables, matched by id: drop, rename and create.

A table with the same id on both sides is kept and brought in line member by member,
unless it differs in a field no op changes in place (its schema, partitioning or sync
record): then it is dropped and created again, same id. A partition goes with its
parent, because `drop_table` refuses a table that still has partitions. Kept tables
never change places in the table list (no op moves a table); created ones are inserted
where the new diagram has them relative to the tables present.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from chartdb_mcp.core.edit.diff.columns import gone_column_ids
from chartdb_mcp.core.edit.diff.pair import TablePair, address
from chartdb_mcp.core.edit.diff.renames import order_renames
from chartdb_mcp.core.edit.ops import ChangeOp, CreateTable, DropTable, RenameTable
from chartdb_mcp.core.model import Diagram, Table

# The table fields that ops change in place; a difference in any other one recreates it.
IN_PLACE = frozenset(
    {
        "id",
        "name",
        "columns",
        "primary_key",
        "unique_constraints",
        "indexes",
        "checks",
        "comment",
        "status",
        "color",
        "position",
    }
)


@dataclass(frozen=True)
class TablePlan:
    """Tables to drop (partitions first), to create (parents first) and to keep."""

    dropped: list[Table]
    created: list[Table]
    pairs: list[TablePair]

    @property
    def dropped_ids(self) -> set[str]:
        """Ids of the old tables that are dropped, for good or to be created again."""
        return {table.id for table in self.dropped}


def changes_in_place(old_table: Table, new_table: Table) -> bool:
    """Whether the two versions differ only in fields that ops change in place."""
    return old_table.model_dump(exclude=set(IN_PLACE)) == new_table.model_dump(
        exclude=set(IN_PLACE)
    )


def plan_tables(old: Diagram, new: Diagram) -> TablePlan:
    """Split the tables into dropped, created and kept, by id."""
    old_tables = {table.id: table for table in old.tables}
    new_tables = {table.id: table for table in new.tables}
    common = old_tables.keys() & new_tables.keys()
    recreated = {i for i in common if not changes_in_place(old_tables[i], new_tables[i])}
    dropped_ids = with_partitions(old_tables.keys() - new_tables.keys() | recreated, old)
    created_ids = new_tables.keys() - old_tables.keys() | dropped_ids & new_tables.keys()
    dropped = sorted((t for t in old.tables if t.id in dropped_ids), key=lambda t: -depth(t, old))
    created = sorted((t for t in new.tables if t.id in created_ids), key=lambda t: depth(t, new))
    pairs = [
        TablePair(old_tables[t.id], t, gone_column_ids(old_tables[t.id], t))
        for t in new.tables
        if t.id in common - dropped_ids
    ]
    return TablePlan(dropped=dropped, created=created, pairs=pairs)


def with_partitions(table_ids: set[str], diagram: Diagram) -> set[str]:
    """The ids and, repeatedly, the ids of the diagram's partitions of those tables."""
    closed = set(table_ids)
    while True:
        more = {t.id for t in diagram.tables if t.partition_of in closed} - closed
        if not more:
            return closed
        closed |= more


def depth(table: Table, diagram: Diagram) -> int:
    """How many partition_of links lead from the table to a table that is no partition."""
    seen = {table.id}
    count = 0
    while table.partition_of is not None:
        parent = diagram.table_by_id(table.partition_of)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        table, count = parent, count + 1
    return count


def drop_ops(plan: TablePlan) -> list[ChangeOp]:
    """Drop the tables that go away; their relationships must already be gone."""
    return [DropTable(**address(table)) for table in plan.dropped]


def rename_ops(plan: TablePlan) -> list[ChangeOp]:
    """Rename kept tables within their schemas, ordered so no step takes a name in use."""
    by_schema: dict[str | None, list[TablePair]] = {}
    for pair in plan.pairs:
        by_schema.setdefault(pair.old_table.schema_name, []).append(pair)
    ops: list[ChangeOp] = []
    for schema_name, pairs in by_schema.items():
        wanted = {p.table_id: (p.old_table.name, p.new_table.name) for p in pairs}
        for step in order_renames(wanted, [p.old_table.name for p in pairs]):
            current = f"{schema_name}.{step.old_name}" if schema_name else step.old_name
            ops.append(RenameTable(table=current, table_id=step.member_id, new_name=step.new_name))
    return ops


def create_ops(plan: TablePlan, new: Diagram) -> list[ChangeOp]:
    """Create the new and recreated tables, each placed among the tables present."""
    order = {table.id: number for number, table in enumerate(new.tables)}
    present = [pair.table_id for pair in plan.pairs]
    ops: list[ChangeOp] = []
    for table in plan.created:
        ops.append(CreateTable(table=table, position=count_before(order, present, table.id)))
        present.append(table.id)
    return ops


def count_before(order: dict[str, int], present: Iterable[str], table_id: str) -> int:
    """How many present tables come before `table_id` in the new diagram."""
    return sum(1 for other in present if order[other] < order[table_id])
