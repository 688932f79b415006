"""Give a diagram read back from a file the ids of the diagram it was written from.

Interchange formats renumber or drop ids, while the diff engine matches everything by
id. Matching by name first lets a round trip be checked with `diff_diagrams`: no ops
means nothing but ids changed.
"""

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from chartdb_mcp.core.model import Diagram, Relationship, Table, View

Element = TypeVar("Element", bound=Any)


def same_ids(
    reference: Sequence[Element], other: Sequence[Element], key: Callable[[Element], Hashable]
) -> list[Element]:
    """`other`'s elements under the id of the reference element with the same key."""
    ids = {key(element): element.id for element in reference}
    return [
        element.model_copy(update={"id": ids[key(element)]}) if key(element) in ids else element
        for element in other
    ]


def adopt_ids(reference: Diagram, other: Diagram) -> Diagram:
    """`other` with every table, column, key, index, relationship and type id of `reference`."""
    by_name = {(t.schema_name, t.name): t for t in reference.tables}
    tables: list[Table] = []
    table_ids: dict[str, str] = {}
    for table in other.tables:
        match = by_name.get((table.schema_name, table.name))
        if match is None:
            tables.append(table)
            continue
        table_ids[table.id] = match.id
        tables.append(adopt_table(match, table))
    relationships = [
        relationship.model_copy(
            update={
                "source_table_id": table_ids.get(relationship.source_table_id),
                "target_table_id": table_ids.get(relationship.target_table_id),
            }
        )
        for relationship in other.relationships
    ]
    relationships = same_ids(reference.relationships, relationships, relationship_key)
    views_by_name = {(v.schema_name, v.name): v for v in reference.views}
    views = [adopt_view(views_by_name.get((v.schema_name, v.name)), v) for v in other.views]
    return other.model_copy(
        update={
            "id": reference.id,
            "tables": tables,
            "relationships": relationships,
            "views": views,
            "custom_types": same_ids(
                reference.custom_types, other.custom_types, lambda c: (c.schema_name, c.name)
            ),
            "notes": [
                note.model_copy(update={"id": ref.id})
                for ref, note in zip(reference.notes, other.notes, strict=False)
            ],
            "areas": [
                area.model_copy(update={"id": ref.id})
                for ref, area in zip(reference.areas, other.areas, strict=False)
            ],
        }
    )


def adopt_table(reference: Table, table: Table) -> Table:
    return table.model_copy(
        update={
            "id": reference.id,
            "columns": same_ids(reference.columns, table.columns, lambda c: c.name),
            "indexes": same_ids(reference.indexes, table.indexes, lambda i: i.name),
            "unique_constraints": same_ids(
                reference.unique_constraints, table.unique_constraints, lambda u: tuple(u.columns)
            ),
            "checks": same_ids(reference.checks, table.checks, lambda c: c.expression),
        }
    )


def adopt_view(reference: View | None, view: View) -> View:
    if reference is None:
        return view
    return view.model_copy(
        update={
            "id": reference.id,
            "columns": same_ids(reference.columns, view.columns, lambda c: c.name),
            "indexes": same_ids(reference.indexes, view.indexes, lambda i: i.name),
        }
    )


def relationship_key(relationship: Relationship) -> Hashable:
    return (
        relationship.name,
        relationship.source_table_id,
        tuple(relationship.source_columns),
        relationship.target_table_id,
        tuple(relationship.target_columns),
    )
