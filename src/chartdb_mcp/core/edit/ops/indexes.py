"""Ops on a table's secondary indexes: add and drop."""

from typing import Literal

from pydantic import Field

from chartdb_mcp.core.edit.ops.base import (
    OpBase,
    TableOp,
    check_columns_exist,
    check_member_free,
    check_position,
    find_member,
    inserted,
    pinned,
    removed,
    resolve_table,
    update_table,
)
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import Diagram, Index


class AddIndex(TableOp):
    """Add an index to a table at a position in its index list (omitted: last)."""

    kind: Literal["add_index"] = "add_index"
    index: Index
    position: int | None = None


class DropIndex(TableOp):
    """Remove an index, named by its name or id."""

    kind: Literal["drop_index"] = "drop_index"
    index: str = Field(min_length=1)


def validate_add(op: AddIndex, diagram: Diagram) -> list[str]:
    """Errors for a repeated index or columns the table does not have."""
    table = resolve_table(op, diagram)
    check_member_free(table.indexes, op.index, "index", op.table)
    columns = [p.column for p in op.index.parts if p.column is not None] + op.index.include
    check_columns_exist(table, columns, f"index {op.index.name!r}", op.table)
    check_position(op.position, len(table.indexes), f"the indexes of table {op.table!r}")
    return []


def apply_add(op: AddIndex, diagram: Diagram) -> Diagram:
    """The diagram with the index inserted."""
    table = resolve_table(op, diagram)
    return update_table(diagram, table, indexes=inserted(table.indexes, op.index, op.position))


def invert_add(op: AddIndex, diagram: Diagram) -> OpBase:
    """Drop the added index by id."""
    return DropIndex(**pinned(resolve_table(op, diagram)), index=op.index.id)


def describe_add(op: AddIndex, diagram: Diagram) -> str:
    """`+ index name on table (columns)`."""
    table = resolve_table(op, diagram)
    unique = "unique " if op.index.unique else ""
    return f"+ {unique}index {op.index.name} on {table.name} ({', '.join(op.index.columns)})"


def validate_drop(op: DropIndex, diagram: Diagram) -> list[str]:
    """An error when the table has no such index."""
    find_member(resolve_table(op, diagram).indexes, op.index, "index", op.table)
    return []


def apply_drop(op: DropIndex, diagram: Diagram) -> Diagram:
    """The diagram without the index."""
    table = resolve_table(op, diagram)
    position, _ = find_member(table.indexes, op.index, "index", op.table)
    indexes = removed(table.indexes, position)
    return update_table(diagram, table, indexes=indexes)


def invert_drop(op: DropIndex, diagram: Diagram) -> OpBase:
    """Add the same index back at the same place."""
    table = resolve_table(op, diagram)
    position, index = find_member(table.indexes, op.index, "index", op.table)
    return AddIndex(**pinned(table), index=index, position=position)


def describe_drop(op: DropIndex, diagram: Diagram) -> str:
    """`- index name`."""
    _, index = find_member(resolve_table(op, diagram).indexes, op.index, "index", op.table)
    return f"- index {index.name}"


register(
    "add_index",
    validate=validate_add,
    apply=apply_add,
    invert=invert_add,
    describe=describe_add,
)
register(
    "drop_index",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)

__all__ = ["AddIndex", "DropIndex"]
