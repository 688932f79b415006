"""Secondary indexes of a kept table, matched by id and compared through column ids.

There is no op that alters an index, so a changed one is dropped and added again with
the same id; so is one that uses a column going away, or one that changed places.
"""

from typing import Any

from chartdb_mcp.core.edit.diff.lists import ListPlan, plan_list
from chartdb_mcp.core.edit.diff.pair import TablePair, address, column_ref, column_refs
from chartdb_mcp.core.edit.ops import AddIndex, ChangeOp, DropIndex
from chartdb_mcp.core.model import Index, Table


def index_shape(table: Table, index: Index) -> dict[str, Any]:
    """The index as plain data with every column name replaced by its column's id."""
    shape = index.model_dump(exclude={"id"})
    shape["parts"] = [
        {**part, "column": column_ref(table, part["column"])} if part["column"] else part
        for part in shape["parts"]
    ]
    shape["include"] = column_refs(table, index.include)
    return shape


def index_columns(index: Index) -> list[str]:
    """Every column name the index uses, in its key or in INCLUDE."""
    return [part.column for part in index.parts if part.column is not None] + index.include


def plan_indexes(pair: TablePair) -> ListPlan[Index]:
    """Indexes to drop and to add."""
    old_table, new_table = pair.old_table, pair.new_table

    def same(old_index: Index, new_index: Index) -> bool:
        return index_shape(old_table, old_index) == index_shape(new_table, new_index)

    forced = frozenset(i.id for i in old_table.indexes if pair.uses_gone(index_columns(i)))
    return plan_list(old_table.indexes, new_table.indexes, same, forced)


def drop_ops(pair: TablePair) -> list[ChangeOp]:
    """Drop removed, changed, moved and column-dependent indexes, by id."""
    return [
        DropIndex(**address(pair.old_table), index=index.id) for index in plan_indexes(pair).removed
    ]


def add_ops(pair: TablePair) -> list[ChangeOp]:
    """Add new and rebuilt indexes at their places in the new table."""
    return [
        AddIndex(**address(pair.new_table), index=index, position=position)
        for position, index in plan_indexes(pair).added
    ]
