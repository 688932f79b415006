"""Changes to relationships, compared by table and column ids."""

from typing import Any

from chartdb_mcp.core.edit.changes.model import (
    ARROW,
    ChangeKind,
    RelationshipChange,
    by_id,
    paired,
    table_name,
)
from chartdb_mcp.core.edit.changes.tables import column_ids
from chartdb_mcp.core.edit.ops.lookup import table_with_id
from chartdb_mcp.core.formats.outline import quoted
from chartdb_mcp.core.model import Diagram, Relationship

# relationships


def relationship_changes(before: Diagram, after: Diagram) -> list[RelationshipChange]:
    """Relationships added or modified in the after order, then removed ones."""
    changes = []
    for pair in paired(by_id(before.relationships), by_id(after.relationships)):
        match pair:
            case None, Relationship() as after_fk:
                changes.append(described(after, after_fk, "added"))
            case Relationship() as before_fk, None:
                changes.append(described(before, before_fk, "removed"))
            case Relationship() as before_fk, Relationship() as after_fk:
                if relationship_ref(before, before_fk) != relationship_ref(after, after_fk):
                    was = f" (was {relationship_text(before, before_fk)})"
                    changes.append(described(after, after_fk, "modified", was))
    return changes


def described(
    diagram: Diagram, relationship: Relationship, change: ChangeKind, was: str = ""
) -> RelationshipChange:
    """A relationship change with its ends named as `diagram` names them."""
    return RelationshipChange(
        id=relationship.id,
        name=relationship.name,
        change=change,
        source_table=table_name(diagram, relationship.source_table_id),
        target_table=table_name(diagram, relationship.target_table_id),
        text=relationship_text(diagram, relationship) + was,
    )


def relationship_text(diagram: Diagram, relationship: Relationship) -> str:
    """`source(cols) → target(cols)` plus any ON DELETE / ON UPDATE action."""
    source_columns = ", ".join(quoted(name) for name in relationship.source_columns)
    target_columns = ", ".join(quoted(name) for name in relationship.target_columns)
    text = (
        f"{table_name(diagram, relationship.source_table_id)}({source_columns}) {ARROW} "
        f"{table_name(diagram, relationship.target_table_id)}({target_columns})"
    )
    for action, label in ((relationship.on_delete, "DELETE"), (relationship.on_update, "UPDATE")):
        text += f" ON {label} {action.value}" if action.value != "NO ACTION" else ""
    return text


def relationship_ref(diagram: Diagram, relationship: Relationship) -> tuple[Any, ...]:
    """The relationship with its columns as ids, so column renames do not count."""
    source = table_with_id(diagram, relationship.source_table_id)
    target = table_with_id(diagram, relationship.target_table_id)
    return (
        relationship.name,
        relationship.source_table_id,
        column_ids(source, relationship.source_columns) if source else (),
        relationship.target_table_id,
        column_ids(target, relationship.target_columns) if target else (),
        relationship.on_delete,
        relationship.on_update,
    )
