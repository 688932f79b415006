"""Keys of a kept table: the primary key and the unique constraints.

Both are compared through column ids, so renaming a column does not change them.
The primary key has no id of its own: it is cleared early only when it uses a column
that goes away, and otherwise set once, after the columns are in place.
"""

from chartdb_mcp.core.edit.diff.lists import ListPlan, plan_list
from chartdb_mcp.core.edit.diff.pair import TablePair, address, column_refs
from chartdb_mcp.core.edit.ops import AddUnique, ChangeOp, DropUnique, SetPrimaryKey
from chartdb_mcp.core.model import PrimaryKey, Table, UniqueConstraint


def key_shape(table: Table, key: PrimaryKey | None) -> tuple[str | None, list[str]] | None:
    """The primary key as (name, column ids), or None when the table has none."""
    return None if key is None else (key.name, column_refs(table, key.columns))


def clears_key_early(pair: TablePair) -> bool:
    """Whether the old primary key uses a column that goes away."""
    old_key = pair.old_table.primary_key
    return old_key is not None and pair.uses_gone(old_key.columns)


def plan_uniques(pair: TablePair) -> ListPlan[UniqueConstraint]:
    """Unique constraints to drop and to add; a changed one is dropped and added again."""
    old_table, new_table = pair.old_table, pair.new_table

    def same(old_unique: UniqueConstraint, new_unique: UniqueConstraint) -> bool:
        old_shape = (old_unique.name, column_refs(old_table, old_unique.columns))
        return old_shape == (new_unique.name, column_refs(new_table, new_unique.columns))

    forced = frozenset(u.id for u in old_table.unique_constraints if pair.uses_gone(u.columns))
    return plan_list(old_table.unique_constraints, new_table.unique_constraints, same, forced)


def drop_ops(pair: TablePair) -> list[ChangeOp]:
    """Clear a primary key that uses a column going away; drop changed or moved uniques."""
    ops: list[ChangeOp] = []
    if clears_key_early(pair):
        ops.append(SetPrimaryKey(**address(pair.old_table), columns=None))
    ops += [
        DropUnique(**address(pair.old_table), constraint=unique.id)
        for unique in plan_uniques(pair).removed
    ]
    return ops


def add_ops(pair: TablePair) -> list[ChangeOp]:
    """Set the new primary key when it differs, then add uniques at their places."""
    old_key, new_key = pair.old_table.primary_key, pair.new_table.primary_key
    current = None if clears_key_early(pair) else key_shape(pair.old_table, old_key)
    ops: list[ChangeOp] = []
    if current != key_shape(pair.new_table, new_key):
        columns = new_key.columns if new_key is not None else None
        name = new_key.name if new_key is not None else None
        ops.append(SetPrimaryKey(**address(pair.new_table), columns=columns, name=name))
    ops += [
        AddUnique(**address(pair.new_table), constraint=unique, position=position)
        for position, unique in plan_uniques(pair).added
    ]
    return ops
