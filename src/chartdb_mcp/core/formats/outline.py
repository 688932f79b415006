"""Compact and detailed views of a diagram for a model's context window.

The compact outline spends one short line per column; the detailed view is the full
model of a table plus its relationships with names resolved. Both are plain pydantic
objects so tools can return them as structured content and render them as text.
"""

from pydantic import BaseModel, Field

from chartdb_mcp.core.model import (
    CustomType,
    Diagram,
    Index,
    Relationship,
    Table,
    TableStatus,
    View,
)


class DiagramHeader(BaseModel):
    """Who the diagram is and how big it is."""

    id: str
    name: str
    database_type: str
    version: int
    schemas: list[str]
    table_count: int
    view_count: int
    relationship_count: int
    custom_type_count: int
    source: str | None = None


class ForeignKeyRef(BaseModel):
    """A relationship seen from one table, with every name resolved."""

    name: str | None = None
    columns: list[str]
    references_table: str
    references_columns: list[str]
    on_delete: str
    on_update: str


class TableOutline(BaseModel):
    """One table in a few lines: columns with type and key markers, FKs, indexes."""

    name: str
    status: TableStatus
    columns: list[str] = Field(description="'name type' plus PK, NOT NULL, DEFAULT markers.")
    partitioning: str | None = Field(
        default=None, description="PARTITION BY ..., or PARTITION OF parent FOR VALUES ..."
    )
    unique: list[str] = Field(default_factory=list, description="UNIQUE constraints.")
    foreign_keys: list[str] = Field(default_factory=list)
    indexes: list[str] = Field(default_factory=list)
    comment: str | None = None


class TableDetail(BaseModel):
    """Everything the diagram knows about one table."""

    table: Table
    partitioning: str | None = None
    foreign_keys: list[ForeignKeyRef]
    referenced_by: list[ForeignKeyRef]


class ViewOutline(BaseModel):
    """A view's name, kind and output columns."""

    name: str
    materialized: bool
    columns: list[str]


class TypeOutline(BaseModel):
    """A custom type in one line."""

    name: str
    kind: str
    summary: str


def quoted(name: str) -> str:
    """The name as SQL would need it in a column list: double-quoted unless a plain word."""
    if name.isidentifier():
        return name
    return '"' + name.replace('"', '""') + '"'


def header_of(diagram: Diagram) -> DiagramHeader:
    """The diagram's identity and counts."""
    return DiagramHeader(
        id=diagram.id,
        name=diagram.name,
        database_type=diagram.database_type.value,
        version=diagram.version,
        schemas=diagram.schemas,
        table_count=len(diagram.tables),
        view_count=len(diagram.views),
        relationship_count=len(diagram.relationships),
        custom_type_count=len(diagram.custom_types),
        source=diagram.source.url if diagram.source else None,
    )


def outline_table(diagram: Diagram, table: Table) -> TableOutline:
    """The compact form of a table."""
    pk_columns = set(table.primary_key.columns) if table.primary_key else set()
    return TableOutline(
        name=table.qualified_name,
        status=table.status,
        columns=[_column_line(column.name, table, pk_columns) for column in table.columns],
        partitioning=partitioning_of(diagram, table),
        unique=[
            f"{unique.name + ' ' if unique.name else ''}({', '.join(unique.columns)})"
            for unique in table.unique_constraints
        ],
        foreign_keys=[_fk_line(ref) for ref in foreign_keys_of(diagram, table)],
        indexes=[index_line(index) for index in table.indexes],
        comment=table.comment,
    )


def index_line(index: Index) -> str:
    """`name [UNIQUE] [USING method] (parts) [INCLUDE (...)] [WHERE ...]`; btree is implied."""
    line = index.name + (" UNIQUE" if index.unique else "")
    if index.method and index.method.lower() != "btree":
        line += f" USING {index.method}"
    line += f" ({', '.join(index.columns)})"
    if index.include:
        line += f" INCLUDE ({', '.join(index.include)})"
    return line + (f" WHERE {index.where}" if index.where else "")


def detail_table(diagram: Diagram, table: Table) -> TableDetail:
    """The full form of a table with its relationships in both directions."""
    return TableDetail(
        table=table,
        partitioning=partitioning_of(diagram, table),
        foreign_keys=foreign_keys_of(diagram, table),
        referenced_by=[
            _resolve(diagram, relationship, from_target=True)
            for relationship in diagram.relationships
            if relationship.target_table_id == table.id
        ],
    )


def partitioning_of(diagram: Diagram, table: Table) -> str | None:
    """How the table is partitioned, or which table it is a partition of."""
    if table.partition_by:
        return f"PARTITION BY {table.partition_by}"
    if table.partition_of is None:
        return None
    parent = diagram.table_by_id(table.partition_of)
    parent_name = parent.qualified_name if parent else table.partition_of
    text = f"PARTITION OF {parent_name}"
    if table.partition_bound:
        text += f" {table.partition_bound}"
    return f"{text} (inherited keys and indexes are listed on {parent_name})"


def outline_view(view: View) -> ViewOutline:
    """The compact form of a view."""
    return ViewOutline(
        name=view.qualified_name,
        materialized=view.materialized,
        columns=[f"{quoted(column.name)} {column.type}" for column in view.columns],
    )


def outline_type(custom_type: CustomType) -> TypeOutline:
    """A custom type in one line: enum labels, or a domain's base type."""
    if custom_type.values:
        summary = ", ".join(custom_type.values)
    elif custom_type.base_type:
        summary = custom_type.base_type + ("" if custom_type.nullable else " NOT NULL")
    else:
        summary = ", ".join(f"{field.name} {field.type}" for field in custom_type.fields)
    return TypeOutline(
        name=custom_type.qualified_name, kind=custom_type.kind.value, summary=summary
    )


def foreign_keys_of(diagram: Diagram, table: Table) -> list[ForeignKeyRef]:
    """The table's own foreign keys, with target names resolved."""
    return [
        _resolve(diagram, relationship, from_target=False)
        for relationship in diagram.relationships
        if relationship.source_table_id == table.id
    ]


def _resolve(diagram: Diagram, relationship: Relationship, from_target: bool) -> ForeignKeyRef:
    if from_target:
        other = diagram.table_by_id(relationship.source_table_id)
        own_columns, other_columns = relationship.target_columns, relationship.source_columns
    else:
        other = diagram.table_by_id(relationship.target_table_id)
        own_columns, other_columns = relationship.source_columns, relationship.target_columns
    return ForeignKeyRef(
        name=relationship.name,
        columns=own_columns,
        references_table=other.qualified_name if other else relationship.target_table_id,
        references_columns=other_columns,
        on_delete=relationship.on_delete.value,
        on_update=relationship.on_update.value,
    )


def _column_line(name: str, table: Table, pk_columns: set[str]) -> str:
    column = table.column(name)
    assert column is not None
    parts = [quoted(column.name), column.type]
    if column.name in pk_columns:
        parts.append("PK")
    elif not column.nullable:
        parts.append("NOT NULL")
    if column.identity is not None:
        parts.append(f"GENERATED {column.identity.value} AS IDENTITY")
    elif column.autoincrement:
        parts.append("AUTOINCREMENT")
    if column.collation:
        parts.append(f"COLLATE {column.collation}")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({column.generated})")
    if column.on_update is not None:
        parts.append(f"ON UPDATE {column.on_update}")
    return " ".join(parts)


def _fk_line(ref: ForeignKeyRef) -> str:
    line = (
        f"({', '.join(ref.columns)}) -> {ref.references_table}({', '.join(ref.references_columns)})"
    )
    if ref.on_delete != "NO ACTION":
        line += f" ON DELETE {ref.on_delete}"
    if ref.on_update != "NO ACTION":
        line += f" ON UPDATE {ref.on_update}"
    return line


class RelationshipOutline(BaseModel):
    """A relationship with table names resolved and its cardinality derived from keys."""

    id: str
    name: str | None = None
    source_table: str
    source_columns: list[str]
    target_table: str
    target_columns: list[str]
    on_delete: str
    on_update: str
    source_cardinality: str
    target_cardinality: str


def outline_relationships(diagram: Diagram) -> list[RelationshipOutline]:
    """Every relationship of the diagram, readable without looking up ids."""
    outlines = []
    for relationship in diagram.relationships:
        source = diagram.table_by_id(relationship.source_table_id)
        target = diagram.table_by_id(relationship.target_table_id)
        source_side, target_side = diagram.cardinality(relationship)
        outlines.append(
            RelationshipOutline(
                id=relationship.id,
                name=relationship.name,
                source_table=source.qualified_name if source else relationship.source_table_id,
                source_columns=relationship.source_columns,
                target_table=target.qualified_name if target else relationship.target_table_id,
                target_columns=relationship.target_columns,
                on_delete=relationship.on_delete.value,
                on_update=relationship.on_update.value,
                source_cardinality=source_side.value,
                target_cardinality=target_side.value,
            )
        )
    return outlines
