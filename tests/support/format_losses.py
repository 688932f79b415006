"""What each interchange format cannot hold, applied to a diagram.

A round trip through a format should give back the original minus exactly these facts
(the export warns about each); anything else that differs is a defect.
"""

from collections.abc import Callable

from chartdb_mcp.core.formats.interchange import ExportFormat
from chartdb_mcp.core.formats.interchange.chartdb_shape import DEFAULT_TABLE_COLOR
from chartdb_mcp.core.formats.interchange.common import grid_position
from chartdb_mcp.core.model import (
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    Position,
    ReferentialAction,
    Table,
    TableStatus,
    View,
)


def without_plain_facts(table: Table) -> Table:
    """Neither format keeps statuses, partitioning, generated or ON UPDATE columns."""
    columns = [
        column.model_copy(
            update={
                "generated": None,
                "on_update": None,
                "identity": None,
                "autoincrement": column.autoincrement or column.identity is not None,
            }
        )
        for column in table.columns
    ]
    return table.model_copy(
        update={
            "columns": columns,
            "status": TableStatus.PLANNED,
            "sync": None,
            "partition_by": None,
            "partition_of": None,
            "partition_bound": None,
        }
    )


def uniques_as_indexes(table: Table) -> Table:
    """Multi-column unique constraints become unique indexes; single ones lose their name."""
    multi = [
        Index(
            name=u.name or "_".join([table.name, *u.columns, "key"]),
            parts=[IndexPart(column=c) for c in u.columns],
            unique=True,
        )
        for u in table.unique_constraints
        if len(u.columns) > 1
    ]
    # Both formats mark a one-column unique on the column, so they come back in column order.
    position = {c.name: n for n, c in enumerate(table.columns)}
    single = sorted(
        (
            u.model_copy(update={"name": None})
            for u in table.unique_constraints
            if len(u.columns) == 1
        ),
        key=lambda u: position[u.columns[0]],
    )
    return table.model_copy(update={"unique_constraints": single, "indexes": multi + table.indexes})


def chartdb_index(index: Index) -> Index | None:
    if any(part.column is None for part in index.parts):
        return None
    parts = [part.model_copy(update={"descending": False}) for part in index.parts]
    return index.model_copy(update={"parts": parts, "where": None, "include": []})


def chartdb_table(table: Table, number: int) -> Table:
    """ChartDB also needs a color and a place: the export fills in a default and a grid."""
    table = uniques_as_indexes(without_plain_facts(table))
    indexes = [kept for index in table.indexes if (kept := chartdb_index(index)) is not None]
    checks = [check.model_copy(update={"name": None}) for check in table.checks]
    key = table.primary_key.columns if table.primary_key else []
    primary_key = table.primary_key
    if primary_key is not None and primary_key.name is None:
        in_field_order = [c.name for c in table.columns if c.name in key] == key
        if not in_field_order:  # named, so the key's own order can travel
            primary_key = primary_key.model_copy(update={"name": f"{table.name}_pkey"})
    stated = [key] if len(key) == 1 else []
    stated += [[p.column for p in i.parts] for i in indexes if i.unique and len(i.parts) == 1]
    uniques = [u for u in table.unique_constraints if u.columns not in stated]
    return table.model_copy(
        update={
            "primary_key": primary_key,
            "unique_constraints": uniques,
            "indexes": indexes,
            "checks": checks,
            "color": table.color or DEFAULT_TABLE_COLOR,
            "position": table.position or grid_position(number),
        }
    )


def chartdb_view(view: View) -> View:
    indexes = [i for index in view.indexes if (i := chartdb_index(index)) is not None]
    return view.model_copy(
        update={"definition": None, "indexes": indexes if view.materialized else []}
    )


def no_actions(diagram: Diagram) -> list:  # type: ignore[type-arg]
    return [
        r.model_copy(
            update={
                "on_delete": ReferentialAction.NO_ACTION,
                "on_update": ReferentialAction.NO_ACTION,
            }
        )
        for r in diagram.relationships
    ]


def chartdb_losses(diagram: Diagram) -> Diagram:
    return diagram.model_copy(
        update={
            "tables": [chartdb_table(t, n) for n, t in enumerate(diagram.tables)],
            "views": [chartdb_view(v) for v in diagram.views],
            "relationships": no_actions(diagram),
            "custom_types": [c for c in diagram.custom_types if c.kind != CustomTypeKind.DOMAIN],
        }
    )


def dbml_index(index: Index) -> Index:
    method = (index.method or "").lower() or None
    parts = [part.model_copy(update={"descending": False}) for part in index.parts]
    return index.model_copy(
        update={
            "parts": parts,
            "where": None,
            "include": [],
            "method": method if method in DBML_METHODS else None,
        }
    )


def dbml_table(table: Table) -> Table:
    table = uniques_as_indexes(without_plain_facts(table))
    columns = [c.model_copy(update={"collation": None}) for c in table.columns]
    return table.model_copy(
        update={
            "columns": columns,
            "indexes": [dbml_index(i) for i in table.indexes],
            "checks": [],
            "position": None,
        }
    )


def dbml_schema(diagram: Diagram, schema: str | None) -> str | None:
    """DBML's unqualified names are in public: PostgreSQL keeps it, other databases drop it."""
    if diagram.database_type == DatabaseType.POSTGRESQL:
        return schema or "public"
    return None if schema == "public" else schema


def dbml_losses(diagram: Diagram) -> Diagram:
    tables = [
        dbml_table(t).model_copy(update={"schema_name": dbml_schema(diagram, t.schema_name)})
        for t in diagram.tables
    ]
    types = [
        c.model_copy(update={"schema_name": dbml_schema(diagram, c.schema_name)})
        for c in diagram.custom_types
        if c.kind == CustomTypeKind.ENUM and c.values
    ]
    return diagram.model_copy(
        update={
            "tables": tables,
            "custom_types": types,
            "views": [],
            "areas": [],
            "notes": [
                n.model_copy(
                    update={"position": Position(), "width": None, "height": None, "color": None}
                )
                for n in diagram.notes
            ],
        }
    )


DBML_METHODS = {"brin", "btree", "gin", "gist", "hash", "spgist"}

LOSSES: dict[ExportFormat, Callable[[Diagram], Diagram]] = {
    ExportFormat.CHARTDB_JSON: chartdb_losses,
    ExportFormat.DBML: dbml_losses,
}
