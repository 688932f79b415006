"""Write a diagram as ChartDB's diagram JSON, the file the app's "Import diagram" reads.

The app's model is narrower than ours, so the export says what it could not keep:
referential actions, expression and partial index details, constraint names other than
the primary key's, generated and ON UPDATE columns, partitioning, statuses, domains and
view definitions. Composite foreign keys become one relationship per column pair under
one name, which the import regroups. In ChartDB a relationship runs from the referenced
(parent) table, its source, to the referencing (child) table, its target.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from chartdb_mcp.core.formats.interchange import chartdb_shape as shape
from chartdb_mcp.core.formats.interchange.chartdb_losses import warnings
from chartdb_mcp.core.formats.interchange.chartdb_shape import (
    DEFAULT_AREA_COLOR,
    DEFAULT_NOTE_COLOR,
    DEFAULT_NOTE_SIZE,
    DEFAULT_TABLE_COLOR,
    INDEX_TYPES,
)
from chartdb_mcp.core.formats.interchange.common import (
    Exported,
    grid_position,
    running_ids,
    split_type,
)
from chartdb_mcp.core.model import (
    Area,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    Note,
    ReferentialAction,
    Relationship,
    Table,
    View,
)

DATABASE_TYPES = {DatabaseType.SQLSERVER: "sql_server"}


@dataclass
class Exporter:
    """The running id counter, the id maps, and the losses counted along the way."""

    diagram: Diagram
    ids: Iterator[str] = field(default_factory=running_ids)
    table_ids: dict[str, str] = field(default_factory=dict)
    field_ids: dict[tuple[str, str], str] = field(default_factory=dict)
    created_at: int = 0
    lost: dict[str, list[str]] = field(default_factory=dict)

    def next_id(self) -> str:
        return next(self.ids)

    def lose(self, what: str, name: str) -> None:
        """Record that `name` lost `what` in the export."""
        self.lost.setdefault(what, []).append(name)


def export_chartdb_json(diagram: Diagram) -> Exported:
    """The diagram as pretty-printed ChartDB JSON, with a warning per kind of loss."""
    exporter = Exporter(diagram, created_at=int(diagram.created_at.timestamp() * 1000))
    tables = [table_of(exporter, table, number) for number, table in enumerate(diagram.tables)]
    first_view = len(diagram.tables)
    tables += [
        view_of(exporter, view, first_view + number) for number, view in enumerate(diagram.views)
    ]
    document = shape.Diagram(
        id=diagram.id,
        name=diagram.name,
        database_type=DATABASE_TYPES.get(diagram.database_type, diagram.database_type.value),
        tables=tables,
        relationships=[
            pair
            for relationship in diagram.relationships
            for pair in relationship_pairs(exporter, relationship)
        ],
        dependencies=[],
        areas=[area_of(exporter, area) for area in diagram.areas],
        custom_types=custom_types_of(exporter, diagram.custom_types),
        notes=[note_of(exporter, note) for note in diagram.notes],
        created_at=diagram.created_at.isoformat(),
        updated_at=diagram.updated_at.isoformat(),
    )
    content = json.dumps(
        document.model_dump(mode="json", by_alias=True, exclude_none=True), indent=2
    )
    return Exported(content + "\n", warnings(exporter.lost, diagram))


def table_of(exporter: Exporter, table: Table, number: int) -> shape.Table:
    """One table: fields, the primary key as an index, indexes, checks and canvas settings."""
    table_id = exporter.table_ids.setdefault(table.id, exporter.next_id())
    single_unique = {u.columns[0] for u in table.unique_constraints if len(u.columns) == 1}
    key = table.primary_key.columns if table.primary_key else []
    fields = [
        field_of(exporter, table, column, column.name in key, column.name in single_unique)
        for column in table.columns
    ]
    position = table.position or grid_position(number)
    if table.position is None:
        exporter.lose("position", table.name)
    if table.color is None:
        exporter.lose("color", table.name)
    table_lost(exporter, table)
    return shape.Table(
        id=table_id,
        name=table.name,
        schema=table.schema_name,
        x=position.x,
        y=position.y,
        fields=fields,
        indexes=indexes_of(exporter, table),
        check_constraints=[
            shape.CheckConstraint(
                id=exporter.next_id(), expression=check.expression, created_at=exporter.created_at
            )
            for check in table.checks
        ],
        color=table.color or DEFAULT_TABLE_COLOR,
        is_view=False,
        created_at=exporter.created_at,
        comments=table.comment,
        order=number,
    )


def table_lost(exporter: Exporter, table: Table) -> None:
    """Count what a table has that ChartDB has no place for."""
    label = table.qualified_name
    if table.partition_by or table.partition_of or table.partition_bound:
        exporter.lose("partitioning", label)
    for unique in table.unique_constraints:
        if tuple(unique.columns) in implied_uniques(table):
            exporter.lose("unique on key", f"{label}.{unique.name or unique.columns[0]}")
        elif unique.name is not None and len(unique.columns) == 1:
            exporter.lose("unique name", f"{label}.{unique.name}")
        if len(unique.columns) > 1:
            columns = ", ".join(unique.columns)
            subject = f"{label}.{unique.name}" if unique.name else f"{label}({columns})"
            exporter.lose("unique as index", subject)
    for check in table.checks:
        if check.name is not None:
            exporter.lose("check name", f"{label}.{check.name}")
    for column in table.columns:
        for what, value in (
            ("generated", column.generated),
            ("on update", column.on_update),
            ("identity", column.identity),
        ):
            if value is not None:
                exporter.lose(what, f"{label}.{column.name}")


def implied_uniques(table: Table) -> set[tuple[str, ...]]:
    """One-column sets whose uniqueness a key or unique index already states in ChartDB."""
    implied: set[tuple[str, ...]] = {
        (index.parts[0].column,)
        for index in table.indexes
        if index.unique and len(index.parts) == 1 and index.parts[0].column is not None
    }
    if table.primary_key is not None and len(table.primary_key.columns) == 1:
        implied.add((table.primary_key.columns[0],))
    return implied


def field_of(
    exporter: Exporter, table: Table, column: Column, primary: bool, unique: bool
) -> shape.DbField:
    """One column as a ChartDB field; the type's size goes into its own keys."""
    field_id = exporter.next_id()
    exporter.field_ids[(table.id, column.name)] = field_id
    parts = split_type(column.type, column.is_array)
    return shape.DbField(
        id=field_id,
        name=column.name,
        type=shape.DataType(id=parts.name.lower().replace(" ", "_"), name=parts.name),
        primary_key=primary,
        unique=unique,
        nullable=column.nullable,
        increment=column.autoincrement or column.identity is not None or None,
        is_array=parts.is_array or None,
        character_maximum_length=parts.length,
        precision=parts.precision,
        scale=parts.scale,
        default=column.default,
        collation=column.collation,
        comments=column.comment,
        created_at=exporter.created_at,
    )


def indexes_of(exporter: Exporter, table: Table) -> list[shape.Index]:
    """The primary key (flagged), multi-column uniques, then the indexes ChartDB can hold."""
    found = []
    key = table.primary_key
    in_field_order = key is not None and key.columns == [
        c.name for c in table.columns if c.name in key.columns
    ]
    # Without a name or an order of its own, the fields' flags say all there is to say.
    if key is not None and (key.name is not None or not in_field_order):
        if key.name is None:
            exporter.lose("key name", table.qualified_name)
        found.append(
            shape.Index(
                id=exporter.next_id(),
                name=key.name or f"{table.name}_pkey",
                unique=True,
                field_ids=[exporter.field_ids[(table.id, c)] for c in key.columns],
                is_primary_key=True,
                created_at=exporter.created_at,
            )
        )
    for unique in table.unique_constraints:
        if len(unique.columns) > 1:
            found.append(
                shape.Index(
                    id=exporter.next_id(),
                    name=unique.name or "_".join([table.name, *unique.columns, "key"]),
                    unique=True,
                    field_ids=[exporter.field_ids[(table.id, c)] for c in unique.columns],
                    created_at=exporter.created_at,
                )
            )
    found += [
        index_of(exporter, table, index)
        for index in table.indexes
        if index_fits(exporter, table, index)
    ]
    return found


def index_fits(exporter: Exporter, table: Table, index: Index) -> bool:
    """True when ChartDB can hold the index; records every detail it cannot."""
    label = f"{table.qualified_name}.{index.name}"
    if any(part.column is None for part in index.parts):
        exporter.lose("expression index", label)
        return False
    if any(part.descending for part in index.parts):
        exporter.lose("descending", label)
    if index.where is not None:
        exporter.lose("partial", label)
    if index.include:
        exporter.lose("include", label)
    return True


def index_of(exporter: Exporter, table: Table, index: Index) -> shape.Index:
    return shape.Index(
        id=exporter.next_id(),
        name=index.name,
        unique=index.unique,
        field_ids=[exporter.field_ids[(table.id, str(part.column))] for part in index.parts],
        type=index_type(exporter, table, index),
        created_at=exporter.created_at,
    )


def index_type(exporter: Exporter, table: Table, index: Index) -> str | None:
    """The method as one of the app's index types; another one is left out and reported."""
    if index.method is None:
        return None
    method = index.method.strip().lower().replace("b-tree", "btree")
    if method in INDEX_TYPES:
        return method
    exporter.lose("index method", f"{table.qualified_name}.{index.name} ({index.method})")
    return None


def view_of(exporter: Exporter, view: View, number: int) -> shape.Table:
    """A view as ChartDB draws it: a table flagged as a view, with its columns."""
    table = Table(id=view.id, schema_name=view.schema_name, name=view.name, columns=view.columns)
    if view.definition:
        exporter.lose("view definition", view.qualified_name)
    position = grid_position(number)
    return shape.Table(
        id=exporter.table_ids.setdefault(view.id, exporter.next_id()),
        name=view.name,
        schema=view.schema_name,
        x=position.x,
        y=position.y,
        fields=[field_of(exporter, table, column, False, False) for column in view.columns],
        indexes=[
            index_of(exporter, table, i) for i in view.indexes if index_fits(exporter, table, i)
        ]
        if view.materialized
        else [],
        color=DEFAULT_TABLE_COLOR,
        is_view=True,
        is_materialized_view=view.materialized or None,
        created_at=exporter.created_at,
        comments=view.comment,
        order=number,
    )


def relationship_pairs(exporter: Exporter, relationship: Relationship) -> list[shape.Relationship]:
    """One ChartDB relationship per column pair, from the parent table to the child table."""
    diagram = exporter.diagram
    child_side, parent_side = diagram.cardinality(relationship)
    source = diagram.table_by_id(relationship.source_table_id)
    target = diagram.table_by_id(relationship.target_table_id)
    assert source is not None and target is not None  # the diagram's validator promises it
    name = relationship.name or "_".join([source.name, *relationship.source_columns, "fkey"])
    if relationship.name is None and len(relationship.source_columns) > 1:
        exporter.lose("relationship name", name)
    if {relationship.on_delete, relationship.on_update} != {ReferentialAction.NO_ACTION}:
        exporter.lose("actions", name)
    if len(relationship.source_columns) > 1:
        exporter.lose("composite", name)
    return [
        shape.Relationship(
            id=exporter.next_id(),
            name=name,
            source_schema=target.schema_name,
            source_table_id=exporter.table_ids[target.id],
            source_field_id=exporter.field_ids[(target.id, target_column)],
            target_schema=source.schema_name,
            target_table_id=exporter.table_ids[source.id],
            target_field_id=exporter.field_ids[(source.id, source_column)],
            source_cardinality=parent_side.value,
            target_cardinality=child_side.value,
            created_at=exporter.created_at,
        )
        for source_column, target_column in zip(
            relationship.source_columns, relationship.target_columns, strict=True
        )
    ]


def custom_types_of(exporter: Exporter, items: list[CustomType]) -> list[shape.CustomType]:
    """Enums and composites; domains have no place in ChartDB."""
    for item in items:
        if item.kind == CustomTypeKind.DOMAIN:
            exporter.lose("domain", item.qualified_name)
    return [custom_type_of(exporter, i) for i in items if i.kind != CustomTypeKind.DOMAIN]


def custom_type_of(exporter: Exporter, item: CustomType) -> shape.CustomType:
    fields = [shape.CustomTypeField(field=f.name, type=f.type) for f in item.fields]
    return shape.CustomType(
        id=exporter.next_id(),
        schema=item.schema_name,
        name=item.name,
        kind="enum" if item.kind == CustomTypeKind.ENUM else "composite",
        values=item.values if item.kind == CustomTypeKind.ENUM else None,
        fields=fields if item.kind == CustomTypeKind.COMPOSITE else None,
    )


def area_of(exporter: Exporter, area: Area) -> shape.Area:
    return shape.Area(
        id=exporter.next_id(),
        name=area.name,
        x=area.position.x,
        y=area.position.y,
        width=area.width,
        height=area.height,
        color=area.color or DEFAULT_AREA_COLOR,
    )


def note_of(exporter: Exporter, note: Note) -> shape.Note:
    width, height = DEFAULT_NOTE_SIZE
    return shape.Note(
        id=exporter.next_id(),
        content=note.content,
        x=note.position.x,
        y=note.position.y,
        width=note.width if note.width is not None else width,
        height=note.height if note.height is not None else height,
        color=note.color or DEFAULT_NOTE_COLOR,
    )
