"""Columns of a kept table: drop, rename, alter and add, matched by column id.

`alter_column` changes only some fields; a column whose other fields differ (for
example `generated`, `collation` or `is_array`), or whose place relative to the other
columns changed, is dropped and added again with the same id. Whatever uses such a
column is then rebuilt around it by the other modules (see `TablePair.gone_ids`).
"""

from typing import Any

from chartdb_mcp.core.edit.diff.lists import ListPlan, plan_list
from chartdb_mcp.core.edit.diff.pair import TablePair, address
from chartdb_mcp.core.edit.diff.renames import order_renames
from chartdb_mcp.core.edit.ops import AddColumn, AlterColumn, ChangeOp, DropColumn, RenameColumn
from chartdb_mcp.core.model import Column, Table

# The fields `alter_column` can set: everything it has beyond its table and column address.
ALTERABLE = tuple(
    name for name in AlterColumn.model_fields if name not in ("kind", "table", "table_id", "column")
)
# The fields no op changes in place: a difference in one of them rebuilds the column.
REBUILT = tuple(name for name in Column.model_fields if name not in {"id", "name", *ALTERABLE})


def alterable_in_place(old_column: Column, new_column: Column) -> bool:
    """Whether renames and `alter_column` can turn the old column into the new one."""
    return all(getattr(old_column, name) == getattr(new_column, name) for name in REBUILT)


def plan_columns(old_table: Table, new_table: Table) -> ListPlan[Column]:
    """Which columns stay in place, which are dropped and which are added (and where)."""
    return plan_list(old_table.columns, new_table.columns, alterable_in_place)


def gone_column_ids(old_table: Table, new_table: Table) -> frozenset[str]:
    """Ids of the old columns that are dropped, for good or to be added again."""
    return frozenset(column.id for column in plan_columns(old_table, new_table).removed)


def drop_ops(pair: TablePair) -> list[ChangeOp]:
    """Drop the columns that go away; their users must already be gone."""
    plan = plan_columns(pair.old_table, pair.new_table)
    return [DropColumn(**address(pair.old_table), column=column.name) for column in plan.removed]


def build_ops(pair: TablePair) -> list[ChangeOp]:
    """Rename and alter the kept columns, then add the new ones at their places."""
    plan = plan_columns(pair.old_table, pair.new_table)
    return rename_ops(pair, plan) + alter_ops(pair, plan) + add_ops(pair, plan)


def rename_ops(pair: TablePair, plan: ListPlan[Column]) -> list[ChangeOp]:
    """Renames of kept columns, ordered so that no step takes a name still in use."""
    new_columns = {column.id: column for column in pair.new_table.columns}
    kept = [column for column in pair.old_table.columns if column.id in plan.kept]
    wanted = {column.id: (column.name, new_columns[column.id].name) for column in kept}
    taken = [column.name for column in kept]
    return [
        RenameColumn(**address(pair.new_table), column=step.old_name, new_name=step.new_name)
        for step in order_renames(wanted, taken)
    ]


def alter_ops(pair: TablePair, plan: ListPlan[Column]) -> list[ChangeOp]:
    """One `alter_column` per kept column whose alterable fields differ, in new order."""
    old_columns = {column.id: column for column in pair.old_table.columns}
    ops: list[ChangeOp] = []
    for new_column in pair.new_table.columns:
        if new_column.id not in plan.kept:
            continue
        changes = changed_fields(old_columns[new_column.id], new_column)
        if changes:
            ops.append(AlterColumn(**address(pair.new_table), column=new_column.name, **changes))
    return ops


def changed_fields(old_column: Column, new_column: Column) -> dict[str, Any]:
    """The alterable fields that differ, with their new values.

    A changed type always carries its normalized form too, so the op does not derive
    one that differs from the new diagram's.
    """
    changes = {
        name: getattr(new_column, name)
        for name in ALTERABLE
        if getattr(old_column, name) != getattr(new_column, name)
    }
    if "type" in changes:
        changes["normalized_type"] = new_column.normalized_type
    return changes


def add_ops(pair: TablePair, plan: ListPlan[Column]) -> list[ChangeOp]:
    """Add each new or rebuilt column at its place in the new table."""
    return [
        AddColumn(**address(pair.new_table), column=column, position=position)
        for position, column in plan.added
    ]
