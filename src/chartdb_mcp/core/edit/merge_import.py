"""Fold a freshly imported schema into an existing diagram.

Re-importing must not cost the person their design work: a table that is already in the
diagram keeps its id, its column ids, its color and its place on the canvas, while its
definition is replaced by what the database reports. Tables the database does not have
stay as they are, and the result says which they are.
"""

from dataclasses import dataclass, field
from typing import TypeVar

from chartdb_mcp.core.model import (
    Column,
    CustomType,
    DatabaseType,
    Diagram,
    Relationship,
    Table,
    View,
)

QualifiedName = tuple[str | None, str]
SchemaObject = TypeVar("SchemaObject", View, CustomType)


@dataclass
class MergeOutcome:
    """The merged diagram and what happened to each table, by qualified name."""

    diagram: Diagram
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    not_in_database: list[str] = field(default_factory=list)


def merge_import(existing: Diagram, imported: Diagram) -> MergeOutcome:
    """The existing diagram with the imported schemas' tables, views and types replaced.

    Only the schemas listed in `imported.schemas` are touched. The version and timestamps
    are left to the store.
    """
    scope: set[str | None] = set(imported.schemas)
    scope |= {table.schema_name for table in imported.tables}
    current = {_key(table): table for table in existing.tables}
    outcome = MergeOutcome(diagram=existing)
    id_map: dict[str, str] = {}
    merged_tables: list[Table] = []
    for table in imported.tables:
        previous = current.get(_key(table))
        if previous is None:
            outcome.added.append(table.qualified_name)
            merged_tables.append(table)
            continue
        outcome.updated.append(table.qualified_name)
        id_map[table.id] = previous.id
        merged_tables.append(_carry_over(previous, table))
    merged_tables = [
        table.model_copy(update={"partition_of": id_map.get(table.partition_of)})
        if table.partition_of in id_map
        else table
        for table in merged_tables
    ]
    imported_keys = {_key(table) for table in imported.tables}
    kept = [table for table in existing.tables if _key(table) not in imported_keys]
    outcome.not_in_database = [t.qualified_name for t in kept if t.schema_name in scope]
    tables = _in_original_order(existing.tables, merged_tables, kept)
    outcome.diagram = existing.model_copy(
        update={
            "tables": tables,
            "relationships": _merge_relationships(existing, imported, id_map, tables),
            "views": _replace_by_name(existing.views, imported.views),
            "custom_types": _replace_by_name(existing.custom_types, imported.custom_types),
            "schemas": sorted(set(existing.schemas) | set(imported.schemas)),
            "source": imported.source,
            "database_type": (
                imported.database_type
                if existing.database_type is DatabaseType.GENERIC
                else existing.database_type
            ),
        }
    )
    Diagram.model_validate(outcome.diagram.model_dump())
    return outcome


def _key(table: Table) -> QualifiedName:
    return (table.schema_name, table.name)


def _carry_over(previous: Table, imported: Table) -> Table:
    """The imported definition under the previous ids and canvas settings."""
    previous_columns = {column.name: column for column in previous.columns}
    columns: list[Column] = [
        column.model_copy(update={"id": previous_columns[column.name].id})
        if column.name in previous_columns
        else column
        for column in imported.columns
    ]
    return imported.model_copy(
        update={
            "id": previous.id,
            "columns": columns,
            "color": previous.color,
            "position": previous.position,
            "comment": imported.comment if imported.comment is not None else previous.comment,
        }
    )


def _in_original_order(
    original: list[Table], merged: list[Table], kept: list[Table]
) -> list[Table]:
    """Existing tables keep their places; new ones follow in import order."""
    by_id = {table.id: table for table in merged + kept}
    ordered = [by_id.pop(table.id) for table in original if table.id in by_id]
    return ordered + [table for table in merged if table.id in by_id]


def _merge_relationships(
    existing: Diagram, imported: Diagram, id_map: dict[str, str], tables: list[Table]
) -> list[Relationship]:
    """Imported FKs replace those leaving imported tables; the rest stay if still valid."""
    imported_ids = {id_map.get(table.id, table.id) for table in imported.tables}
    present = {table.id: table for table in tables}
    kept = [
        relationship
        for relationship in existing.relationships
        if relationship.source_table_id not in imported_ids and _still_valid(relationship, present)
    ]
    remapped = [
        relationship.model_copy(
            update={
                "source_table_id": id_map.get(
                    relationship.source_table_id, relationship.source_table_id
                ),
                "target_table_id": id_map.get(
                    relationship.target_table_id, relationship.target_table_id
                ),
            }
        )
        for relationship in imported.relationships
    ]
    return kept + remapped


def _still_valid(relationship: Relationship, present: dict[str, Table]) -> bool:
    source = present.get(relationship.source_table_id)
    target = present.get(relationship.target_table_id)
    if source is None or target is None:
        return False
    return all(source.column(name) for name in relationship.source_columns) and all(
        target.column(name) for name in relationship.target_columns
    )


def _replace_by_name(
    current: list[SchemaObject], imported: list[SchemaObject]
) -> list[SchemaObject]:
    """Imported objects replace those of the same name (keeping their ids); others stay."""
    previous_ids = {(item.schema_name, item.name): item.id for item in current}
    imported_keys = {(item.schema_name, item.name) for item in imported}
    kept = [item for item in current if (item.schema_name, item.name) not in imported_keys]
    replaced = [
        item.model_copy(update={"id": previous_ids.get((item.schema_name, item.name), item.id)})
        for item in imported
    ]
    return kept + replaced
