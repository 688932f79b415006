"""What a change does to a diagram, described structurally for a person to review.

`summarize_changes(before, after)` compares two versions of a diagram and lists what was
added, modified and removed: tables with their columns, keys, indexes, checks and
settings, relationships and custom types. Everything is matched by id, so a renamed
table or column reads as a rename. Names are shown as they are after the change, and as
they were before it for what is removed. Keys, indexes and relationships are compared by
column id, so renaming a column does not make everything that uses it look changed.

Views, notes, areas, the diagram's own settings and a table's sync record are not
described; no op edits them. `core.formats.change_text` and `core.formats.change_mermaid`
render the result.
"""

from chartdb_mcp.core.edit.changes.custom_types import type_changes
from chartdb_mcp.core.edit.changes.model import (
    ChangeKind,
    ChangeSet,
    DetailChange,
    RelationshipChange,
    TableChange,
    TypeChange,
)
from chartdb_mcp.core.edit.changes.relationships import relationship_changes
from chartdb_mcp.core.edit.changes.tables import table_changes
from chartdb_mcp.core.model import Diagram


def summarize_changes(before: Diagram, after: Diagram) -> ChangeSet:
    """What turns `before` into `after`: tables, relationships and types matched by id."""
    tables = table_changes(before, after)
    relationships = relationship_changes(before, after)
    return ChangeSet(
        tables=tables,
        relationships=relationships,
        custom_types=type_changes(before.custom_types, after.custom_types),
        affected_tables=[change.name for change in tables],
        impact=impact_of(before, after, tables, relationships),
    )


# impact


def impact_of(
    before: Diagram,
    after: Diagram,
    tables: list[TableChange],
    relationships: list[RelationshipChange],
) -> list[str]:
    """Unchanged tables at an end of a changed relationship, or linked by a foreign key
    (before or after the change) to a changed table; in the after diagram's order."""
    changed = {change.table_id for change in tables}
    changed_relationships = {change.id for change in relationships}
    reached: set[str] = set()
    for relationship in [*before.relationships, *after.relationships]:
        ends = {relationship.source_table_id, relationship.target_table_id}
        if relationship.id in changed_relationships or ends & changed:
            reached |= ends
    return [t.qualified_name for t in after.tables if t.id in reached - changed]


__all__ = [
    "ChangeKind",
    "ChangeSet",
    "DetailChange",
    "RelationshipChange",
    "TableChange",
    "TypeChange",
    "summarize_changes",
]
