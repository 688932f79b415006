"""Ops on columns: add, drop, rename and alter.

A column that a key, an index or a relationship uses cannot be dropped; drop those
first. Renaming a column rewrites every reference by name (primary key, unique
constraints, index columns, relationships) but not SQL text such as check expressions,
which is reported as a warning instead.
"""

import re
from typing import Any, Literal

from pydantic import Field

from chartdb_mcp.core.edit.ops.base import (
    OpBase,
    TableOp,
    check_position,
    find_index,
    inserted,
    pinned,
    require_column,
    resolve_table,
    update_table,
)
from chartdb_mcp.core.edit.ops.labels import check_label, relationship_label, unique_label
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.edit.ops.relationships import type_warnings
from chartdb_mcp.core.model import Column, Diagram, IdentityGeneration, Relationship, Table
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.errors import InvalidChange


class AddColumn(TableOp):
    """Add a column at a position (0 is first; omitted is last)."""

    kind: Literal["add_column"] = "add_column"
    column: Column
    position: int | None = None


class DropColumn(TableOp):
    """Remove a column that no key, index or relationship uses."""

    kind: Literal["drop_column"] = "drop_column"
    column: str = Field(min_length=1)


class RenameColumn(TableOp):
    """Rename a column and every reference to it by name."""

    kind: Literal["rename_column"] = "rename_column"
    column: str = Field(min_length=1)
    new_name: str = Field(min_length=1)


class AlterColumn(TableOp):
    """Change some properties of a column; only the fields given change.

    Giving `default`, `identity` or `comment` as null removes it. When `type` is given
    without `normalized_type`, the normalized form is derived for the diagram's database.
    """

    kind: Literal["alter_column"] = "alter_column"
    column: str = Field(min_length=1)
    type: str | None = Field(default=None, min_length=1)
    normalized_type: str | None = None
    nullable: bool | None = None
    default: str | None = None
    autoincrement: bool | None = None
    identity: IdentityGeneration | None = None
    comment: str | None = None


ALTERABLE = (
    "type",
    "normalized_type",
    "nullable",
    "default",
    "autoincrement",
    "identity",
    "comment",
)
NOT_NULL_FIELDS = ("type", "nullable", "autoincrement")


def column_uses(table: Table, name: str, diagram: Diagram) -> list[str]:
    """What in the diagram refers to the column by name, as readable labels."""
    uses = []
    if table.primary_key is not None and name in table.primary_key.columns:
        uses.append("the primary key")
    uses += [unique_label(u) for u in table.unique_constraints if name in u.columns]
    uses += [
        f"index {index.name!r}"
        for index in table.indexes
        if name in [part.column for part in index.parts] or name in index.include
    ]
    uses += [
        relationship_label(r, diagram)
        for r in diagram.relationships_of(table.id)
        if (r.source_table_id == table.id and name in r.source_columns)
        or (r.target_table_id == table.id and name in r.target_columns)
    ]
    return uses


def renamed_in(names: list[str], old: str, new: str) -> list[str]:
    """The list with `old` replaced by `new`."""
    return [new if name == old else name for name in names]


# add_column


def validate_add(op: AddColumn, diagram: Diagram) -> list[str]:
    """Errors for an unknown table, a repeated column name or a bad position."""
    table = resolve_table(op, diagram)
    if table.column(op.column.name) is not None:
        raise InvalidChange(f"Table {op.table!r} already has a column named {op.column.name!r}.")
    check_position(op.position, len(table.columns), f"the columns of table {op.table!r}")
    return []


def apply_add(op: AddColumn, diagram: Diagram) -> Diagram:
    """The diagram with the column inserted."""
    table = resolve_table(op, diagram)
    return update_table(diagram, table, columns=inserted(table.columns, op.column, op.position))


def invert_add(op: AddColumn, diagram: Diagram) -> OpBase:
    """Drop the added column."""
    return DropColumn(**pinned(resolve_table(op, diagram)), column=op.column.name)


def describe_add(op: AddColumn, diagram: Diagram) -> str:
    """`+ column table.name type`."""
    table = resolve_table(op, diagram)
    return f"+ column {table.name}.{op.column.name} {op.column.type}"


# drop_column


def validate_drop(op: DropColumn, diagram: Diagram) -> list[str]:
    """Errors for an unknown table or column, or a column something still uses."""
    table = resolve_table(op, diagram)
    require_column(table, op.column, op.table)
    uses = column_uses(table, op.column, diagram)
    if uses:
        raise InvalidChange(
            f"Column {op.column!r} of table {op.table!r} cannot be dropped; "
            f"it is used by {', '.join(uses)}."
        )
    return []


def apply_drop(op: DropColumn, diagram: Diagram) -> Diagram:
    """The diagram without the column."""
    table = resolve_table(op, diagram)
    return update_table(diagram, table, columns=[c for c in table.columns if c.name != op.column])


def invert_drop(op: DropColumn, diagram: Diagram) -> OpBase:
    """Add the same column back at the same place."""
    table = resolve_table(op, diagram)
    position = find_index(table.columns, lambda c: c.name == op.column)
    column = require_column(table, op.column, op.table)
    return AddColumn(**pinned(table), column=column, position=position)


def describe_drop(op: DropColumn, diagram: Diagram) -> str:
    """`- column table.name`."""
    return f"- column {resolve_table(op, diagram).name}.{op.column}"


# rename_column


def validate_rename(op: RenameColumn, diagram: Diagram) -> list[str]:
    """Errors for unknown or taken names; warnings for SQL text that mentions the column."""
    table = resolve_table(op, diagram)
    require_column(table, op.column, op.table)
    if op.new_name != op.column and table.column(op.new_name) is not None:
        raise InvalidChange(f"Table {op.table!r} already has a column named {op.new_name!r}.")
    word = re.compile(rf"\b{re.escape(op.column)}\b")
    texts = [(check_label(c), c.expression) for c in table.checks]
    for index in table.indexes:
        texts.append((f"index {index.name!r}", index.where or ""))
        texts += [(f"index {index.name!r}", p.expression or "") for p in index.parts]
    texts += [(f"column {c.name!r}", c.generated or "") for c in table.columns]
    mentions = sorted({label for label, text in texts if word.search(text)})
    return [
        f"{label} of table {op.table!r} mentions {op.column!r} in SQL text, which is not rewritten."
        for label in mentions
    ]


def apply_rename(op: RenameColumn, diagram: Diagram) -> Diagram:
    """The diagram with the column and every by-name reference to it renamed."""
    table = resolve_table(op, diagram)
    old, new = op.column, op.new_name
    changes: dict[str, Any] = {
        "columns": [
            c.model_copy(update={"name": new}) if c.name == old else c for c in table.columns
        ],
        "unique_constraints": [
            u.model_copy(update={"columns": renamed_in(u.columns, old, new)})
            for u in table.unique_constraints
        ],
        "indexes": [
            i.model_copy(
                update={
                    "parts": [
                        p.model_copy(update={"column": new}) if p.column == old else p
                        for p in i.parts
                    ],
                    "include": renamed_in(i.include, old, new),
                }
            )
            for i in table.indexes
        ],
    }
    if table.primary_key is not None:
        columns = renamed_in(table.primary_key.columns, old, new)
        changes["primary_key"] = table.primary_key.model_copy(update={"columns": columns})
    diagram = update_table(diagram, table, **changes)
    relationships = [renamed_relationship(r, table.id, old, new) for r in diagram.relationships]
    return diagram.model_copy(update={"relationships": relationships})


def renamed_relationship(
    relationship: Relationship, table_id: str, old: str, new: str
) -> Relationship:
    """The relationship with the column renamed on whichever ends belong to the table."""
    changes = {}
    if relationship.source_table_id == table_id:
        changes["source_columns"] = renamed_in(relationship.source_columns, old, new)
    if relationship.target_table_id == table_id:
        changes["target_columns"] = renamed_in(relationship.target_columns, old, new)
    return relationship.model_copy(update=changes) if changes else relationship


def invert_rename(op: RenameColumn, diagram: Diagram) -> OpBase:
    """Rename the column back."""
    table = resolve_table(op, diagram)
    return RenameColumn(**pinned(table), column=op.new_name, new_name=op.column)


def describe_rename(op: RenameColumn, diagram: Diagram) -> str:
    """`~ column table.old -> new`."""
    return f"~ column {resolve_table(op, diagram).name}.{op.column} -> {op.new_name}"


# alter_column


def given_changes(op: AlterColumn, diagram: Diagram) -> dict[str, Any]:
    """The column fields the op sets, with the normalized type derived when needed."""
    changes = {name: getattr(op, name) for name in ALTERABLE if name in op.model_fields_set}
    if "type" in changes and "normalized_type" not in changes:
        changes["normalized_type"] = normalize_type(op.type or "", diagram.database_type)
    return changes


def validate_alter(op: AlterColumn, diagram: Diagram) -> list[str]:
    """Errors for unknown names or nulls where a value is required; type mismatch warnings."""
    table = resolve_table(op, diagram)
    require_column(table, op.column, op.table)
    changes = given_changes(op, diagram)
    nulled = [name for name in NOT_NULL_FIELDS if name in changes and changes[name] is None]
    if nulled:
        raise InvalidChange(
            f"Column {op.column!r} of table {op.table!r} cannot have {nulled} set to null."
        )
    if "type" not in changes:
        return []
    after = apply_alter(op, diagram)
    return type_warnings(after.relationships_of(table.id), after)


def apply_alter(op: AlterColumn, diagram: Diagram) -> Diagram:
    """The diagram with the given column fields changed."""
    table = resolve_table(op, diagram)
    changes = given_changes(op, diagram)
    columns = [c.model_copy(update=changes) if c.name == op.column else c for c in table.columns]
    return update_table(diagram, table, columns=columns)


def invert_alter(op: AlterColumn, diagram: Diagram) -> OpBase:
    """Set the changed fields back to what they were."""
    table = resolve_table(op, diagram)
    column = require_column(table, op.column, op.table)
    old = {name: getattr(column, name) for name in given_changes(op, diagram)}
    return AlterColumn(**pinned(table), column=op.column, **old)


def describe_alter(op: AlterColumn, diagram: Diagram) -> str:
    """`~ column table.name: old type -> new type, nullable true -> false, ...`."""
    table = resolve_table(op, diagram)
    column = require_column(table, op.column, op.table)
    changes = given_changes(op, diagram)
    shown = []
    if "type" in changes:
        shown.append(f"{column.type} -> {changes['type']}")
    for name in ALTERABLE[2:]:
        if name in changes:
            shown.append(f"{name} {show(getattr(column, name))} -> {show(changes[name])}")
    return f"~ column {table.name}.{op.column}: {', '.join(shown) or 'no change'}"


def show(value: object) -> str:
    """A field value as the readable diff prints it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


register(
    "add_column",
    validate=validate_add,
    apply=apply_add,
    invert=invert_add,
    describe=describe_add,
)
register(
    "drop_column",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)
register(
    "rename_column",
    validate=validate_rename,
    apply=apply_rename,
    invert=invert_rename,
    describe=describe_rename,
)
register(
    "alter_column",
    validate=validate_alter,
    apply=apply_alter,
    invert=invert_alter,
    describe=describe_alter,
)

__all__ = ["AddColumn", "AlterColumn", "DropColumn", "RenameColumn"]
