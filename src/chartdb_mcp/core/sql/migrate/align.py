"""Give a diagram read from a database the ids of the diagram it should match.

Two reads of the same schema give every element fresh ids, and the diff matches by id.
`align_ids(reference, other)` returns `other` with each table, column, unique, index,
check, relationship and custom type that has a counterpart in `reference` carrying
that counterpart's id. Tables and types match by qualified name, columns by name, keys
and indexes by their columns (names differ between databases), checks by name or text,
relationships by their two ends and columns.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from chartdb_mcp.core.model import Diagram, Index, Relationship, Table, UniqueConstraint

Item = TypeVar("Item")


def align_ids(reference: Diagram, other: Diagram) -> Diagram:
    """`other` with the ids of its elements' counterparts in `reference`."""
    by_name = {table.qualified_name.lower(): table for table in reference.tables}
    table_ids: dict[str, str] = {}
    tables: list[Table] = []
    for table in other.tables:
        match = by_name.get(table.qualified_name.lower()) or bare_match(reference, table)
        if match is None:
            tables.append(table)
            continue
        table_ids[table.id] = match.id
        tables.append(align_table(match, table))
    tables = [
        table.model_copy(update={"partition_of": table_ids[table.partition_of]})
        if table.partition_of in table_ids
        else table
        for table in tables
    ]
    relationships = [
        relationship.model_copy(
            update={
                "source_table_id": table_ids.get(relationship.source_table_id),
                "target_table_id": table_ids.get(relationship.target_table_id),
            }
        )
        if relationship.source_table_id in table_ids and relationship.target_table_id in table_ids
        else relationship
        for relationship in other.relationships
    ]
    relationships = copy_ids(
        reference.relationships, relationships, lambda r: r.name, relationship_key
    )
    custom_types = copy_ids(
        reference.custom_types, other.custom_types, lambda kind: kind.qualified_name.lower()
    )
    return other.model_copy(
        update={"tables": tables, "relationships": relationships, "custom_types": custom_types}
    )


def bare_match(reference: Diagram, table: Table) -> Table | None:
    """The reference table of the same bare name when schemas differ (MySQL databases)."""
    matches = [t for t in reference.tables if t.name.lower() == table.name.lower()]
    return matches[0] if len(matches) == 1 else None


def align_table(reference: Table, table: Table) -> Table:
    """`table` with its id and its members' ids taken from `reference`."""
    columns = copy_ids(reference.columns, table.columns, lambda column: column.name.lower())
    uniques = copy_ids(
        reference.unique_constraints, table.unique_constraints, lambda u: u.name, unique_key
    )
    indexes = copy_ids(reference.indexes, table.indexes, lambda i: i.name, index_key)
    checks = copy_ids(reference.checks, table.checks, lambda c: c.name, lambda c: c.expression)
    return table.model_copy(
        update={
            "id": reference.id,
            "columns": columns,
            "unique_constraints": uniques,
            "indexes": indexes,
            "checks": checks,
        }
    )


def unique_key(unique: UniqueConstraint) -> Any:
    """What identifies a unique constraint across databases: its columns."""
    return tuple(unique.columns)


def index_key(index: Index) -> Any:
    """What identifies an index across databases: its parts, uniqueness and predicate."""
    return (tuple(part.label for part in index.parts), index.unique, index.where)


def relationship_key(relationship: Relationship) -> Any:
    """What identifies a foreign key: its two tables and their column pairs."""
    return (
        relationship.source_table_id,
        tuple(relationship.source_columns),
        relationship.target_table_id,
        tuple(relationship.target_columns),
    )


def copy_ids(
    reference: Sequence[Item], items: Sequence[Item], *keys: Callable[[Item], Any]
) -> list[Item]:
    """Each item with the id of its counterpart in `reference`, if it has one.

    The keys are tried in order (a key of None matches nothing); each reference item
    lends its id to one item only.
    """
    result = list(items)
    taken: set[str] = set()
    matched: set[int] = set()
    for key in keys:
        ids: dict[Any, str] = {}
        for item in reference:
            if key(item) is not None:
                ids.setdefault(key(item), item.id)  # type: ignore[attr-defined]
        for position, item in enumerate(result):
            found = ids.get(key(item))
            if position in matched or found is None or found in taken:
                continue
            result[position] = item.model_copy(update={"id": found})  # type: ignore[attr-defined]
            taken.add(found)
            matched.add(position)
    return result
