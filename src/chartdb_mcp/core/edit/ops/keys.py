"""Ops on a table's keys: set (or remove) the primary key, add and drop unique constraints."""

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
from chartdb_mcp.core.edit.ops.labels import columns_text, unique_label
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import Diagram, PrimaryKey, UniqueConstraint
from chartdb_mcp.errors import InvalidChange


class SetPrimaryKey(TableOp):
    """Replace the table's primary key; null columns remove it."""

    kind: Literal["set_primary_key"] = "set_primary_key"
    columns: list[str] | None = Field(default=None, min_length=1)
    name: str | None = None


class AddUnique(TableOp):
    """Add a UNIQUE constraint at a position in the table's list (omitted: last)."""

    kind: Literal["add_unique"] = "add_unique"
    constraint: UniqueConstraint
    position: int | None = None


class DropUnique(TableOp):
    """Remove a UNIQUE constraint, named by its name or id."""

    kind: Literal["drop_unique"] = "drop_unique"
    constraint: str = Field(min_length=1)


def shown_key(key: PrimaryKey | None) -> str:
    """`(a, b)` or `none`."""
    return f"({', '.join(key.columns)})" if key is not None else "none"


# set_primary_key


def validate_set_pk(op: SetPrimaryKey, diagram: Diagram) -> list[str]:
    """Errors for unknown or repeated columns; a warning for each nullable key column."""
    table = resolve_table(op, diagram)
    if op.columns is None:
        return []
    check_columns_exist(table, op.columns, "primary key", op.table)
    if len(set(op.columns)) != len(op.columns):
        raise InvalidChange(f"The primary key of table {op.table!r} repeats a column.")
    nullable = [name for name in op.columns if (c := table.column(name)) and c.nullable]
    return [
        f"Column {name!r} of table {op.table!r} is nullable but in the primary key."
        for name in nullable
    ]


def apply_set_pk(op: SetPrimaryKey, diagram: Diagram) -> Diagram:
    """The diagram with the table's primary key replaced."""
    table = resolve_table(op, diagram)
    key = PrimaryKey(name=op.name, columns=op.columns) if op.columns is not None else None
    return update_table(diagram, table, primary_key=key)


def invert_set_pk(op: SetPrimaryKey, diagram: Diagram) -> OpBase:
    """Set the previous primary key (or none) again."""
    table = resolve_table(op, diagram)
    key = table.primary_key
    if key is None:
        return SetPrimaryKey(**pinned(table), columns=None)
    return SetPrimaryKey(**pinned(table), columns=key.columns, name=key.name)


def describe_set_pk(op: SetPrimaryKey, diagram: Diagram) -> str:
    """`~ primary key table: (old) -> (new)`."""
    table = resolve_table(op, diagram)
    new = PrimaryKey(columns=op.columns) if op.columns is not None else None
    return f"~ primary key {table.name}: {shown_key(table.primary_key)} -> {shown_key(new)}"


# add_unique / drop_unique


def validate_add(op: AddUnique, diagram: Diagram) -> list[str]:
    """Errors for a repeated constraint or columns the table does not have."""
    table = resolve_table(op, diagram)
    check_member_free(table.unique_constraints, op.constraint, "unique constraint", op.table)
    label = unique_label(op.constraint)
    check_columns_exist(table, op.constraint.columns, label, op.table)
    length = len(table.unique_constraints)
    check_position(op.position, length, f"the unique constraints of table {op.table!r}")
    return []


def apply_add(op: AddUnique, diagram: Diagram) -> Diagram:
    """The diagram with the constraint inserted."""
    table = resolve_table(op, diagram)
    constraints = inserted(table.unique_constraints, op.constraint, op.position)
    return update_table(diagram, table, unique_constraints=constraints)


def invert_add(op: AddUnique, diagram: Diagram) -> OpBase:
    """Drop the added constraint by id."""
    return DropUnique(**pinned(resolve_table(op, diagram)), constraint=op.constraint.id)


def describe_add(op: AddUnique, diagram: Diagram) -> str:
    """`+ unique name on table (columns)`."""
    table = resolve_table(op, diagram)
    name = f" {op.constraint.name}" if op.constraint.name else ""
    return f"+ unique{name} on {table.name} {columns_text(op.constraint.columns)}"


def validate_drop(op: DropUnique, diagram: Diagram) -> list[str]:
    """An error when the table has no such constraint."""
    table = resolve_table(op, diagram)
    find_member(table.unique_constraints, op.constraint, "unique constraint", op.table)
    return []


def apply_drop(op: DropUnique, diagram: Diagram) -> Diagram:
    """The diagram without the constraint."""
    table = resolve_table(op, diagram)
    position, _ = find_member(
        table.unique_constraints, op.constraint, "unique constraint", op.table
    )
    kept = removed(table.unique_constraints, position)
    return update_table(diagram, table, unique_constraints=kept)


def invert_drop(op: DropUnique, diagram: Diagram) -> OpBase:
    """Add the same constraint back at the same place."""
    table = resolve_table(op, diagram)
    position, constraint = find_member(
        table.unique_constraints, op.constraint, "unique constraint", op.table
    )
    return AddUnique(**pinned(table), constraint=constraint, position=position)


def describe_drop(op: DropUnique, diagram: Diagram) -> str:
    """`- unique name on table`."""
    table = resolve_table(op, diagram)
    _, constraint = find_member(
        table.unique_constraints, op.constraint, "unique constraint", op.table
    )
    if constraint.name:
        return f"- unique {constraint.name} on {table.name}"
    return f"- unique on {table.name} {columns_text(constraint.columns)}"


register(
    "set_primary_key",
    validate=validate_set_pk,
    apply=apply_set_pk,
    invert=invert_set_pk,
    describe=describe_set_pk,
)
register(
    "add_unique",
    validate=validate_add,
    apply=apply_add,
    invert=invert_add,
    describe=describe_add,
)
register(
    "drop_unique",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)

__all__ = ["AddUnique", "DropUnique", "SetPrimaryKey"]
