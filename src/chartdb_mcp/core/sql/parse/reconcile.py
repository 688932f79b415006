"""Keep a diagram's own spelling wherever a script says the same thing another way.

A diagram imported from a live database spells `character varying(45)` and
`lower(email::text)`; a hand-written script of the same schema says `varchar(45)` and
`lower(email)`. Merged naively, every such column and index would become a change to
review. `reconcile` takes the merged diagram and, for each element that keeps its id,
puts back the existing text when the two mean the same (same normalized type, same
canonical expression, same partition bound in UTC; a collation the script does not
name), and the existing order of
relationships, indexes, unique constraints and checks, so only real differences remain.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from chartdb_mcp.core.edit.diff.lists import HasId
from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    DatabaseType,
    Diagram,
    Index,
    Table,
)
from chartdb_mcp.core.sql.parse.canonical import canonical_bound, canonical_expression
from chartdb_mcp.core.sql.types import normalize_type

Member = TypeVar("Member", Index, CheckConstraint, Column, CustomType)
Ordered = TypeVar("Ordered", bound=HasId)


def reconcile(existing: Diagram, merged: Diagram) -> Diagram:
    """`merged` with `existing`'s spellings and order wherever nothing really differs."""
    database = existing.database_type
    before = {table.id: table for table in existing.tables}
    tables = [
        reconcile_table(before[table.id], table, database) if table.id in before else table
        for table in merged.tables
    ]
    old_types = {custom.id: custom for custom in existing.custom_types}
    custom_types = [
        same_type(old_types[c.id], c, database) if c.id in old_types else c
        for c in merged.custom_types
    ]
    return merged.model_copy(
        update={
            "tables": tables,
            "relationships": in_order(existing.relationships, merged.relationships),
            "custom_types": custom_types,
        }
    )


def reconcile_table(old: Table, new: Table, database: DatabaseType) -> Table:
    """One table: equivalent columns, indexes, checks and bound spelled as before."""
    bound = new.partition_bound
    if canonical_bound(old.partition_bound) == canonical_bound(bound):
        bound = old.partition_bound
    return new.model_copy(
        update={
            "columns": keep_equivalent(old.columns, new.columns, same_column, database),
            "indexes": in_order(
                old.indexes, keep_equivalent(old.indexes, new.indexes, same_index, database)
            ),
            "unique_constraints": in_order(old.unique_constraints, new.unique_constraints),
            "checks": in_order(
                old.checks, keep_equivalent(old.checks, new.checks, same_check, database)
            ),
            "partition_bound": bound,
        }
    )


def keep_equivalent(
    old: Sequence[Member],
    new: Sequence[Member],
    merge: Callable[[Member, Member, DatabaseType], Member],
    database: DatabaseType,
) -> list[Member]:
    """Each new member, merged with the old member of the same id if there is one."""
    by_id = {member.id: member for member in old}
    return [merge(by_id[m.id], m, database) if m.id in by_id else m for m in new]


def same_column(old: Column, new: Column, database: DatabaseType) -> Column:
    """The new column with the old type text and expressions where they mean the same."""
    update: dict[str, object] = {}
    if normalize_type(old.type, database) == normalize_type(new.type, database):
        update["type"], update["normalized_type"] = old.type, old.normalized_type
    if new.collation is None:
        update["collation"] = old.collation  # a script that names none keeps the diagram's
    for field in ("default", "on_update", "generated"):
        old_text, new_text = getattr(old, field), getattr(new, field)
        if canonical_expression(old_text, database) == canonical_expression(new_text, database):
            update[field] = old_text
    return new.model_copy(update=update)


def same_index(old: Index, new: Index, database: DatabaseType) -> Index:
    """The old index when the new one differs only in how its expressions are spelled."""

    def shape(index: Index) -> object:
        parts = [
            (p.column, canonical_expression(p.expression, database), p.descending)
            for p in index.parts
        ]
        where = canonical_expression(index.where, database)
        return (index.name, parts, index.unique, index.method, where, index.include)

    return old if shape(old) == shape(new) else new


def same_check(
    old: CheckConstraint, new: CheckConstraint, database: DatabaseType
) -> CheckConstraint:
    """The old check when the expressions mean the same."""
    same = canonical_expression(old.expression, database) == canonical_expression(
        new.expression, database
    )
    return old if same and old.name == new.name else new


def same_type(old: CustomType, new: CustomType, database: DatabaseType) -> CustomType:
    """The old type's check, default and base-type texts where they mean the same."""
    update: dict[str, object] = {}
    if [canonical_expression(c, database) for c in old.checks] == [
        canonical_expression(c, database) for c in new.checks
    ]:
        update["checks"] = old.checks
    if canonical_expression(old.default, database) == canonical_expression(new.default, database):
        update["default"] = old.default
    if (
        old.base_type
        and new.base_type
        and normalize_type(old.base_type, database) == normalize_type(new.base_type, database)
    ):
        update["base_type"] = old.base_type
    return new.model_copy(update=update)


def in_order(old: Sequence[HasId], new: Sequence[Ordered]) -> list[Ordered]:
    """The new elements, those that existed before in their old order, new ones after."""
    place = {member.id: position for position, member in enumerate(old)}
    kept = sorted((m for m in new if m.id in place), key=lambda m: place[m.id])
    return kept + [m for m in new if m.id not in place]
