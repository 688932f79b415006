"""Turn a reader's records into model tables and relationships with ids.

Every table gets status EXISTS and a SyncInfo naming the database (without its password)
and the time it was read. Foreign keys and partitions refer to tables by id; one that
points at a table that was not read (outside the schemas read, or missing) is left out
with a warning.
"""

from dataclasses import dataclass
from datetime import datetime

from chartdb_mcp.core.model import Relationship, SyncInfo, Table, TableKey, TableStatus, new_id
from chartdb_mcp.live.introspect.records import (
    CatalogRead,
    ForeignKeyRecord,
    qualified,
)


@dataclass
class Assembled:
    """The tables and relationships of one read, with ids resolved."""

    tables: list[Table]
    relationships: list[Relationship]


def assemble(read: CatalogRead, *, source: str, verified_at: datetime) -> Assembled:
    """Build tables and relationships from `read`, adding warnings to `read.warnings`."""
    ids: dict[TableKey, str] = {record.key: new_id() for record in read.tables}
    tables = []
    for record in read.tables:
        parent_id = None
        if record.partition_of is not None:
            parent_id = ids.get(record.partition_of)
            if parent_id is None:
                read.warnings.add(
                    "Partitions whose parent table is outside the schemas read are shown "
                    "as plain tables",
                    qualified(*record.key),
                )
        tables.append(
            Table(
                id=ids[record.key],
                schema_name=record.schema,
                name=record.name,
                columns=record.columns,
                primary_key=record.primary_key,
                unique_constraints=record.unique_constraints,
                indexes=record.indexes,
                checks=record.checks,
                comment=record.comment,
                status=TableStatus.EXISTS,
                sync=SyncInfo(source=source, verified_at=verified_at),
                partition_by=record.partition_by,
                partition_of=parent_id,
                partition_bound=record.partition_bound,
            )
        )
    return Assembled(tables=tables, relationships=relationships_of(read, ids))


def relationships_of(read: CatalogRead, ids: dict[TableKey, str]) -> list[Relationship]:
    """One relationship per foreign key whose both tables were read."""
    relationships = []
    for key in read.foreign_keys:
        source_id, target_id = ids.get(key.source), ids.get(key.target)
        if source_id is None or target_id is None:
            read.warnings.add(
                "Foreign keys to tables that were not read (outside the schemas read, or "
                "missing) are left out",
                f"{foreign_key_label(key)} -> {qualified(*key.target)}",
            )
            continue
        relationships.append(
            Relationship(
                name=key.name,
                source_table_id=source_id,
                source_columns=key.source_columns,
                target_table_id=target_id,
                target_columns=key.target_columns,
                on_delete=key.on_delete,
                on_update=key.on_update,
            )
        )
    return relationships


def foreign_key_label(key: ForeignKeyRecord) -> str:
    """`schema.table.name`, or `table(columns)` for a key without a name (SQLite's)."""
    if key.name:
        return f"{qualified(*key.source)}.{key.name}"
    return f"{qualified(*key.source)}({', '.join(key.source_columns)})"
