"""Fold a freshly imported schema into an existing diagram.

Re-importing must not cost the person their design work: a table that is already in the
diagram keeps its id, the ids of its columns, keys and indexes, its color and its place
on the canvas, while its definition is replaced by what the database reports. Tables the
database does not have stay in the diagram, marked PLANNED when they were thought to
exist, and the result says which they are.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, TypeVar

from chartdb_mcp.core.model import (
    CustomType,
    DatabaseType,
    Diagram,
    Relationship,
    SyncInfo,
    Table,
    TableKey,
    TableStatus,
    View,
)

SchemaObject = TypeVar("SchemaObject", View, CustomType)


class Identified(Protocol):
    """A model element with a stable id."""

    id: str

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with some fields replaced."""
        ...


Element = TypeVar("Element", bound=Identified)

FOUND_BEFORE = (TableStatus.EXISTS, TableStatus.SYNCED, TableStatus.DRIFT)


@dataclass
class MergeOutcome:
    """The merged diagram and what happened to each table, by qualified name."""

    diagram: Diagram
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    not_in_database: list[str] = field(default_factory=list)


def merge_import(existing: Diagram, imported: Diagram) -> MergeOutcome:
    """The existing diagram with the imported tables, views and types replaced by name.

    Only the imported schemas are touched. The version and timestamps are left to the
    store.
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
        table.model_copy(update={"partition_of": id_map[table.partition_of]})
        if table.partition_of in id_map
        else table
        for table in merged_tables
    ]
    imported_keys = {_key(table) for table in imported.tables}
    kept = [table for table in existing.tables if _key(table) not in imported_keys]
    outcome.not_in_database = [t.qualified_name for t in kept if t.schema_name in scope]
    kept = [_mark_missing(t, imported) if t.schema_name in scope else t for t in kept]
    tables = _in_original_order(existing.tables, merged_tables, kept)
    views = [_keep_view_column_ids(existing, view) for view in imported.views]
    outcome.diagram = existing.model_copy(
        update={
            "tables": tables,
            "relationships": _merge_relationships(existing, imported, id_map, tables),
            "views": _replace_by_name(existing.views, views),
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


def _key(table: Table) -> TableKey:
    return (table.schema_name, table.name)


def _carry_over(previous: Table, imported: Table) -> Table:
    """The imported definition under the previous ids and canvas settings."""
    return imported.model_copy(
        update={
            "id": previous.id,
            "columns": _same_ids(previous.columns, imported.columns, lambda c: c.name),
            "indexes": _same_ids(previous.indexes, imported.indexes, lambda i: i.name),
            "unique_constraints": _same_ids(
                previous.unique_constraints,
                imported.unique_constraints,
                lambda u: tuple(u.columns),
            ),
            "checks": _same_ids(previous.checks, imported.checks, lambda c: c.name or c.expression),
            "color": previous.color,
            "position": previous.position,
            "comment": imported.comment if imported.comment is not None else previous.comment,
        }
    )


def _same_ids(
    previous: Sequence[Element], imported: Sequence[Element], key: Callable[[Element], Hashable]
) -> list[Element]:
    """Imported elements, each under the id of the previous element with the same key."""
    ids = {key(element): element.id for element in previous}
    return [
        element.model_copy(update={"id": ids[key(element)]}) if key(element) in ids else element
        for element in imported
    ]


def _mark_missing(table: Table, imported: Diagram) -> Table:
    """A table the database no longer has is only in the diagram now: PLANNED again."""
    if table.status not in FOUND_BEFORE:
        return table
    source = imported.source.url if imported.source else "the database"
    return table.model_copy(
        update={
            "status": TableStatus.PLANNED,
            "sync": SyncInfo(
                source=source,
                verified_at=imported.source.imported_at if imported.source else None,
                drift=[f"Not found in {source} when it was imported again."],
            ),
        }
    )


def _keep_view_column_ids(existing: Diagram, view: View) -> View:
    key = (view.schema_name, view.name)
    previous = next((v for v in existing.views if (v.schema_name, v.name) == key), None)
    if previous is None:
        return view
    columns = _same_ids(previous.columns, view.columns, lambda c: c.name)
    return view.model_copy(update={"columns": columns})


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
    """Imported FKs replace those between imported tables, keeping ids of unchanged ones.

    A foreign key from an imported table to a table outside this import cannot have been
    read (the database was asked about the imported schemas only), so the diagram's own
    record of it stays, as long as its columns still exist.
    """
    imported_ids = {id_map.get(table.id, table.id) for table in imported.tables}
    present = {table.id: table for table in tables}
    kept = [
        relationship
        for relationship in existing.relationships
        if not {relationship.source_table_id, relationship.target_table_id} <= imported_ids
        and _still_valid(relationship, present)
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
    return kept + _same_ids(existing.relationships, remapped, _relationship_key)


def _relationship_key(relationship: Relationship) -> Hashable:
    return (
        relationship.source_table_id,
        tuple(relationship.source_columns),
        relationship.target_table_id,
        tuple(relationship.target_columns),
    )


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
