"""How messages and change lines name things: by the names people gave them.

Members without a name (an unnamed unique constraint, check or relationship) are shown
by what they are made of, never by their generated id, which nobody would recognise.
"""

from chartdb_mcp.core.edit.ops.lookup import table_with_id
from chartdb_mcp.core.model import CheckConstraint, Diagram, Relationship, UniqueConstraint


def columns_text(columns: list[str]) -> str:
    """`(a, b)`."""
    return f"({', '.join(columns)})"


def unique_label(constraint: UniqueConstraint) -> str:
    """`unique constraint 'name'`, or `unique constraint on (a, b)` when it has no name."""
    if constraint.name:
        return f"unique constraint {constraint.name!r}"
    return f"unique constraint on {columns_text(constraint.columns)}"


def check_label(check: CheckConstraint) -> str:
    """`check 'name'`, or `check (expression)` when it has no name."""
    return f"check {check.name!r}" if check.name else f"check ({check.expression})"


def relationship_ends(relationship: Relationship, diagram: Diagram) -> str:
    """`child(cols) -> parent(cols)`, with the tables' names."""
    source = table_with_id(diagram, relationship.source_table_id)
    target = table_with_id(diagram, relationship.target_table_id)
    source_name = source.name if source else "(a missing table)"
    target_name = target.name if target else "(a missing table)"
    return (
        f"{source_name}{columns_text(relationship.source_columns)} -> "
        f"{target_name}{columns_text(relationship.target_columns)}"
    )


def relationship_label(relationship: Relationship, diagram: Diagram) -> str:
    """`relationship 'name'`, or `relationship child(cols) -> parent(cols)` without a name."""
    if relationship.name:
        return f"relationship {relationship.name!r}"
    return f"relationship {relationship_ends(relationship, diagram)}"
