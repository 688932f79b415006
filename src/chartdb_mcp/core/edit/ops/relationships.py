"""Ops on relationships (foreign keys): add and drop, composite keys included.

An added relationship names its two tables like any other op and gets its id when the
op is built, so applying the same op twice gives the same diagram.
"""

from typing import Literal

from pydantic import Field, model_validator

from chartdb_mcp.core.edit.ops.base import (
    OpBase,
    check_position,
    find_index,
    inserted,
    removed,
)
from chartdb_mcp.core.edit.ops.labels import relationship_ends, relationship_label
from chartdb_mcp.core.edit.ops.lookup import relationship_maps, require_table, table_with_id
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import Column, Diagram, ReferentialAction, Relationship, Table, new_id
from chartdb_mcp.errors import InvalidChange


class AddRelationship(OpBase):
    """Add a foreign key from source (child) columns to target (parent) columns."""

    kind: Literal["add_relationship"] = "add_relationship"
    id: str = Field(default_factory=new_id)
    name: str | None = None
    source_table: str = Field(min_length=1)
    source_table_id: str | None = None
    source_columns: list[str] = Field(min_length=1)
    target_table: str = Field(min_length=1)
    target_table_id: str | None = None
    target_columns: list[str] = Field(min_length=1)
    on_delete: ReferentialAction = ReferentialAction.NO_ACTION
    on_update: ReferentialAction = ReferentialAction.NO_ACTION
    position: int | None = Field(
        default=None, description="Place in the relationship list; the end when omitted."
    )

    @model_validator(mode="after")
    def _pairs_line_up(self) -> "AddRelationship":
        if len(self.source_columns) != len(self.target_columns):
            named = repr(self.name) if self.name else f"from {self.source_table!r}"
            raise ValueError(
                f"relationship {named} pairs {len(self.source_columns)} "
                f"source columns with {len(self.target_columns)} target columns"
            )
        return self


class DropRelationship(OpBase):
    """Remove a relationship, named by its name or its id."""

    kind: Literal["drop_relationship"] = "drop_relationship"
    relationship: str = Field(min_length=1, description="The relationship's name or id.")


def comparable_type(column: Column) -> str:
    """The spelling two column types are compared by: normalized when known."""
    return column.normalized_type or column.type.lower()


def type_warnings(relationships: list[Relationship], diagram: Diagram) -> list[str]:
    """One warning per column pair whose source and target types differ."""
    warnings = []
    for relationship in relationships:
        source = table_with_id(diagram, relationship.source_table_id)
        target = table_with_id(diagram, relationship.target_table_id)
        if source is None or target is None:
            continue
        for source_name, target_name in zip(
            relationship.source_columns, relationship.target_columns, strict=True
        ):
            child, parent = source.column(source_name), target.column(target_name)
            if child is None or parent is None or comparable_type(child) == comparable_type(parent):
                continue
            warnings.append(
                f"Column '{source.name}.{child.name}' ({child.type}) differs in type from "
                f"'{target.name}.{parent.name}' ({parent.type}) in "
                f"{relationship_label(relationship, diagram)}."
            )
    return warnings


def find_end(name: str, table_id: str | None, diagram: Diagram) -> Table:
    """One end of a relationship, or InvalidChange quoting the name given."""
    return require_table(diagram, name, table_id)


def built(op: AddRelationship, diagram: Diagram) -> Relationship:
    """The relationship the op adds, with both ends resolved to table ids."""
    source = find_end(op.source_table, op.source_table_id, diagram)
    target = find_end(op.target_table, op.target_table_id, diagram)
    return Relationship(
        id=op.id,
        name=op.name,
        source_table_id=source.id,
        source_columns=op.source_columns,
        target_table_id=target.id,
        target_columns=op.target_columns,
        on_delete=op.on_delete,
        on_update=op.on_update,
    )


def find_relationship(name: str, diagram: Diagram) -> tuple[int, Relationship]:
    """The position and relationship called `name` (or with that id)."""
    position = find_index(diagram.relationships, lambda r: name in (r.name, r.id))
    if position is None:
        raise InvalidChange(f"Diagram {diagram.name!r} has no relationship named {name!r}.")
    return position, diagram.relationships[position]


# add_relationship


def validate_add(op: AddRelationship, diagram: Diagram) -> list[str]:
    """Errors for missing tables or columns and repeated ids; warnings for type mismatches."""
    relationship = built(op, diagram)
    for label, table_id, columns in (
        (op.source_table, relationship.source_table_id, op.source_columns),
        (op.target_table, relationship.target_table_id, op.target_columns),
    ):
        table = table_with_id(diagram, table_id)
        assert table is not None  # built() resolved it
        missing = [name for name in columns if table.column(name) is None]
        if missing:
            named = f"Relationship {op.name!r}" if op.name else "The relationship"
            raise InvalidChange(
                f"{named} refers to columns {missing} that table {label!r} does not have."
            )
    taken = relationship_maps(diagram)
    if op.id in taken.ids:
        raise InvalidChange(
            f"Diagram {diagram.name!r} already has a relationship with id {op.id!r}."
        )
    if op.name is not None and op.name in taken.names:
        raise InvalidChange(f"Diagram {diagram.name!r} already has a relationship {op.name!r}.")
    check_position(op.position, len(diagram.relationships), "the relationships")
    return type_warnings([relationship], diagram)


def apply_add(op: AddRelationship, diagram: Diagram) -> Diagram:
    """The diagram with the relationship inserted."""
    relationships = inserted(diagram.relationships, built(op, diagram), op.position)
    return diagram.model_copy(update={"relationships": relationships})


def invert_add(op: AddRelationship, diagram: Diagram) -> OpBase:
    """Drop the added relationship by its id."""
    return DropRelationship(relationship=op.id)


def describe_add(op: AddRelationship, diagram: Diagram) -> str:
    """`+ relationship name: child(cols) -> parent(cols)`."""
    relationship = built(op, diagram)
    return f"+ relationship {arrow(relationship, diagram)}"


def arrow(relationship: Relationship, diagram: Diagram) -> str:
    """`name: child(cols) -> parent(cols)`, using table names for readability."""
    actions = "".join(
        f" ON {event} {action.value}"
        for event, action in (
            ("DELETE", relationship.on_delete),
            ("UPDATE", relationship.on_update),
        )
        if action is not ReferentialAction.NO_ACTION
    )
    name = f"{relationship.name}: " if relationship.name else ""
    return f"{name}{relationship_ends(relationship, diagram)}{actions}"


# drop_relationship


def validate_drop(op: DropRelationship, diagram: Diagram) -> list[str]:
    """An error when no relationship has that name or id."""
    find_relationship(op.relationship, diagram)
    return []


def apply_drop(op: DropRelationship, diagram: Diagram) -> Diagram:
    """The diagram without the relationship."""
    position, _ = find_relationship(op.relationship, diagram)
    relationships = removed(diagram.relationships, position)
    return diagram.model_copy(update={"relationships": relationships})


def invert_drop(op: DropRelationship, diagram: Diagram) -> OpBase:
    """Add the same relationship back, same id, same place."""
    position, relationship = find_relationship(op.relationship, diagram)
    source = find_end("", relationship.source_table_id, diagram)
    target = find_end("", relationship.target_table_id, diagram)
    return AddRelationship(
        id=relationship.id,
        name=relationship.name,
        source_table=source.qualified_name,
        source_table_id=source.id,
        source_columns=relationship.source_columns,
        target_table=target.qualified_name,
        target_table_id=target.id,
        target_columns=relationship.target_columns,
        on_delete=relationship.on_delete,
        on_update=relationship.on_update,
        position=position,
    )


def describe_drop(op: DropRelationship, diagram: Diagram) -> str:
    """`- relationship name: child(cols) -> parent(cols)`."""
    _, relationship = find_relationship(op.relationship, diagram)
    return f"- relationship {arrow(relationship, diagram)}"


register(
    "add_relationship",
    validate=validate_add,
    apply=apply_add,
    invert=invert_add,
    describe=describe_add,
)
register(
    "drop_relationship",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)

__all__ = ["AddRelationship", "DropRelationship", "type_warnings"]
