"""Ops on whole tables: create, drop (and its exact inverse, restore) and rename.

Dropping a table drops the relationships that touch it. Its inverse is `restore_table`,
which carries the table and those relationships with the places they held in the
diagram's lists, so undoing a drop gives back the same diagram, ids and order included.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chartdb_mcp.core.edit.ops.base import (
    OpBase,
    TableOp,
    check_position,
    find_index,
    inserted,
    resolve_table,
)
from chartdb_mcp.core.edit.ops.labels import relationship_ends
from chartdb_mcp.core.edit.ops.lookup import name_taken, table_with_id
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import Diagram, Relationship, Table
from chartdb_mcp.errors import InvalidChange


class CreateTable(OpBase):
    """Add a new table, complete with its columns, keys, indexes and checks."""

    kind: Literal["create_table"] = "create_table"
    table: Table
    position: int | None = Field(
        default=None, description="Place in the diagram's table list; the end when omitted."
    )


class DropTable(TableOp):
    """Remove a table and every relationship in which it is the source or the target."""

    kind: Literal["drop_table"] = "drop_table"


class PlacedRelationship(BaseModel):
    """A relationship and the place it held in the diagram's relationship list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    position: int = Field(ge=0)
    relationship: Relationship


class RestoreTable(OpBase):
    """Put back a dropped table and its relationships where they were (undoes drop_table)."""

    kind: Literal["restore_table"] = "restore_table"
    table: Table
    position: int = Field(ge=0)
    relationships: list[PlacedRelationship] = Field(default_factory=list)


class RenameTable(TableOp):
    """Give a table a new name in the same schema; references follow because they use ids."""

    kind: Literal["rename_table"] = "rename_table"
    new_name: str = Field(min_length=1)


def check_new_table(table: Table, position: int | None, diagram: Diagram) -> None:
    """Refuse a table whose id or schema-qualified name the diagram already has."""
    if table_with_id(diagram, table.id) is not None:
        raise InvalidChange(f"Diagram {diagram.name!r} already has a table with id {table.id!r}.")
    check_name_free(table.schema_name, table.name, diagram)
    if table.partition_of is not None and table_with_id(diagram, table.partition_of) is None:
        raise InvalidChange(
            f"Table {table.qualified_name!r} is a partition of unknown table id "
            f"{table.partition_of!r}."
        )
    check_position(position, len(diagram.tables), f"the tables of diagram {diagram.name!r}")


def check_name_free(schema_name: str | None, name: str, diagram: Diagram) -> None:
    """Refuse a schema-qualified table name the diagram already uses."""
    if name_taken(diagram, schema_name, name):
        shown = f"{schema_name}.{name}" if schema_name else name
        raise InvalidChange(f"Diagram {diagram.name!r} already has a table named {shown!r}.")


# create_table


def validate_create(op: CreateTable, diagram: Diagram) -> list[str]:
    """Errors for a repeated id or name; no warnings."""
    check_new_table(op.table, op.position, diagram)
    return []


def apply_create(op: CreateTable, diagram: Diagram) -> Diagram:
    """The diagram with the table inserted."""
    return diagram.model_copy(update={"tables": inserted(diagram.tables, op.table, op.position)})


def invert_create(op: CreateTable, diagram: Diagram) -> OpBase:
    """Drop the created table again, by id."""
    return DropTable(table=op.table.qualified_name, table_id=op.table.id)


def describe_create(op: CreateTable, diagram: Diagram) -> str:
    """`+ table schema.name`."""
    return f"+ table {op.table.qualified_name}"


# drop_table


def validate_drop(op: DropTable, diagram: Diagram) -> list[str]:
    """An error when partitions depend on the table; a warning naming dropped relationships."""
    table = resolve_table(op, diagram)
    partitions = [t.qualified_name for t in diagram.tables if t.partition_of == table.id]
    if partitions:
        raise InvalidChange(
            f"Table {op.table!r} cannot be dropped: partitions {partitions} belong to it."
        )
    touching = [r.name or relationship_ends(r, diagram) for r in diagram.relationships_of(table.id)]
    if not touching:
        return []
    return [f"Dropping table {op.table!r} also drops relationships {touching}."]


def apply_drop(op: DropTable, diagram: Diagram) -> Diagram:
    """The diagram without the table and without the relationships that touch it."""
    table = resolve_table(op, diagram)
    tables = [t for t in diagram.tables if t.id != table.id]
    gone = {r.id for r in diagram.relationships_of(table.id)}
    relationships = [r for r in diagram.relationships if r.id not in gone]
    return diagram.model_copy(update={"tables": tables, "relationships": relationships})


def invert_drop(op: DropTable, diagram: Diagram) -> OpBase:
    """A restore_table carrying the table, its place and its relationships with theirs."""
    table = resolve_table(op, diagram)
    placed = [
        PlacedRelationship(position=number, relationship=relationship)
        for number, relationship in enumerate(diagram.relationships)
        if table.id in (relationship.source_table_id, relationship.target_table_id)
    ]
    position = find_index(diagram.tables, lambda t: t.id == table.id)
    assert position is not None  # resolve_table found it in this list
    return RestoreTable(table=table, position=position, relationships=placed)


def describe_drop(op: DropTable, diagram: Diagram) -> str:
    """`- table schema.name`, counting the relationships that go with it."""
    table = resolve_table(op, diagram)
    count = len(diagram.relationships_of(table.id))
    suffix = f" (and {count} relationship{'s' if count != 1 else ''})" if count else ""
    return f"- table {table.qualified_name}{suffix}"


# restore_table


def validate_restore(op: RestoreTable, diagram: Diagram) -> list[str]:
    """Errors for a repeated table or relationship, or a relationship to a missing table."""
    check_new_table(op.table, op.position, diagram)
    known = {t.id for t in diagram.tables} | {op.table.id}
    taken = {r.id for r in diagram.relationships}
    for placed in op.relationships:
        relationship = placed.relationship
        if relationship.id in taken:
            raise InvalidChange(
                f"Diagram {diagram.name!r} already has a relationship with id {relationship.id!r}."
            )
        ends = {relationship.source_table_id, relationship.target_table_id}
        if not ends <= known:
            raise InvalidChange(
                f"A relationship of table {op.table.qualified_name!r} refers to table ids "
                f"the diagram does not have: {sorted(ends - known)}."
            )
    return []


def apply_restore(op: RestoreTable, diagram: Diagram) -> Diagram:
    """The table and its relationships inserted back at their recorded places."""
    relationships = list(diagram.relationships)
    for placed in sorted(op.relationships, key=lambda p: p.position):
        relationships = inserted(relationships, placed.relationship, placed.position)
    tables = inserted(diagram.tables, op.table, op.position)
    return diagram.model_copy(update={"tables": tables, "relationships": relationships})


def invert_restore(op: RestoreTable, diagram: Diagram) -> OpBase:
    """Drop the restored table again, by id."""
    return DropTable(table=op.table.qualified_name, table_id=op.table.id)


def describe_restore(op: RestoreTable, diagram: Diagram) -> str:
    """`+ table schema.name (restored ...)`."""
    count = len(op.relationships)
    return f"+ table {op.table.qualified_name} (restored with {count} relationships)"


# rename_table


def validate_rename(op: RenameTable, diagram: Diagram) -> list[str]:
    """An error when another table in the same schema has the new name."""
    table = resolve_table(op, diagram)
    if op.new_name != table.name:
        check_name_free(table.schema_name, op.new_name, diagram)
    return []


def apply_rename(op: RenameTable, diagram: Diagram) -> Diagram:
    """The diagram with the table renamed; relationships refer by id and need no change."""
    table = resolve_table(op, diagram)
    renamed = table.model_copy(update={"name": op.new_name})
    tables = [renamed if t.id == table.id else t for t in diagram.tables]
    return diagram.model_copy(update={"tables": tables})


def invert_rename(op: RenameTable, diagram: Diagram) -> OpBase:
    """Rename the table back, addressing it by its id and new name."""
    table = resolve_table(op, diagram)
    new_qualified = f"{table.schema_name}.{op.new_name}" if table.schema_name else op.new_name
    return RenameTable(table=new_qualified, table_id=table.id, new_name=table.name)


def describe_rename(op: RenameTable, diagram: Diagram) -> str:
    """`~ table schema.old -> schema.new`."""
    table = resolve_table(op, diagram)
    new_qualified = f"{table.schema_name}.{op.new_name}" if table.schema_name else op.new_name
    return f"~ table {table.qualified_name} -> {new_qualified}"


register(
    "create_table",
    validate=validate_create,
    apply=apply_create,
    invert=invert_create,
    describe=describe_create,
)
register(
    "drop_table",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)
register(
    "restore_table",
    validate=validate_restore,
    apply=apply_restore,
    invert=invert_restore,
    describe=describe_restore,
)
register(
    "rename_table",
    validate=validate_rename,
    apply=apply_rename,
    invert=invert_rename,
    describe=describe_rename,
)

__all__ = ["CreateTable", "DropTable", "PlacedRelationship", "RenameTable", "RestoreTable"]
