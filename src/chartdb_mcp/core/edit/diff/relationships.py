"""Relationships (foreign keys), matched by id and compared through table and column ids.

There is no op that alters a relationship, so a changed one is dropped and added again
with the same id. So is one whose table is dropped or recreated, one that uses a column
going away, and one that changed places in the list. All drops come first, before any
column or table goes; all adds come last, once every table and column is in place.
"""

from collections.abc import Mapping
from typing import Any

from chartdb_mcp.core.edit.diff.lists import ListPlan, plan_list
from chartdb_mcp.core.edit.diff.pair import TablePair, column_refs
from chartdb_mcp.core.edit.ops import AddRelationship, ChangeOp, DropRelationship
from chartdb_mcp.core.model import Diagram, Relationship


def relationship_shape(relationship: Relationship, diagram: Diagram) -> dict[str, Any]:
    """The relationship as plain data with its column names replaced by column ids."""
    shape = relationship.model_dump(exclude={"id"})
    for end in ("source", "target"):
        table = diagram.table_by_id(shape[f"{end}_table_id"])
        if table is not None:
            shape[f"{end}_columns"] = column_refs(table, shape[f"{end}_columns"])
    return shape


def loses_an_end(
    relationship: Relationship, dropped_ids: set[str], pairs: Mapping[str, TablePair]
) -> bool:
    """Whether the relationship uses a table that is dropped or a column that goes away."""
    for table_id, columns in (
        (relationship.source_table_id, relationship.source_columns),
        (relationship.target_table_id, relationship.target_columns),
    ):
        pair = pairs.get(table_id)
        if table_id in dropped_ids or (pair is not None and pair.uses_gone(columns)):
            return True
    return False


def plan_relationships(
    old: Diagram, new: Diagram, dropped_ids: set[str], pairs: list[TablePair]
) -> ListPlan[Relationship]:
    """Relationships to drop and to add."""
    by_table = {pair.table_id: pair for pair in pairs}

    def same(old_relationship: Relationship, new_relationship: Relationship) -> bool:
        old_shape = relationship_shape(old_relationship, old)
        return old_shape == relationship_shape(new_relationship, new)

    forced = frozenset(r.id for r in old.relationships if loses_an_end(r, dropped_ids, by_table))
    return plan_list(old.relationships, new.relationships, same, forced)


def drop_ops(plan: ListPlan[Relationship]) -> list[ChangeOp]:
    """Drop the relationships that go away or are rebuilt, by id."""
    return [DropRelationship(relationship=r.id) for r in plan.removed]


def add_ops(plan: ListPlan[Relationship], new: Diagram) -> list[ChangeOp]:
    """Add new and rebuilt relationships at their places, both ends named and pinned."""
    ops: list[ChangeOp] = []
    for position, relationship in plan.added:
        source = new.table_by_id(relationship.source_table_id)
        target = new.table_by_id(relationship.target_table_id)
        assert source is not None and target is not None  # the new diagram is valid
        ops.append(
            AddRelationship(
                **relationship.model_dump(exclude={"source_table_id", "target_table_id"}),
                source_table=source.qualified_name,
                source_table_id=source.id,
                target_table=target.qualified_name,
                target_table_id=target.id,
                position=position,
            )
        )
    return ops
