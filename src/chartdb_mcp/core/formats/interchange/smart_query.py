"""Read the JSON that ChartDB's "smart query" prints, run against a user's own database.

The document lists catalog rows, one per column: `columns`, `pk_info`, `fk_info` and
`indexes` are regrouped into tables, keys, foreign keys and indexes; `tables`, `views`,
`check_constraints` and `custom_types` are taken as they are. Referential actions come
from each foreign key's `fk_def`; sizes are joined back into the type for the types
that take them. The database type comes from the caller, else from `version`.
"""

import re
from collections.abc import Hashable

from pydantic import ValidationError

from chartdb_mcp.core.formats.interchange.chartdb_import import load_json
from chartdb_mcp.core.formats.interchange.chartdb_shape import describe_errors
from chartdb_mcp.core.formats.interchange.common import LENGTH_TYPES, Imported
from chartdb_mcp.core.formats.interchange.smart_query_shape import (
    ColumnRow,
    CustomTypeRow,
    ForeignKeyRow,
    IndexRow,
    Metadata,
    ViewRow,
)
from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    View,
)
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.errors import InvalidDocument

MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)
SIZED_NUMBERS = frozenset({"numeric", "decimal", "dec", "number"})
# ChartDB's PostgreSQL query prints a column whose default draws from a sequence as a
# serial type, beside that default; the column itself is the plain integer type.
SERIALS = {"smallserial": "smallint", "serial": "integer", "bigserial": "bigint"}
# https://www.sqlite.org/datatype3.html#determination_of_column_affinity (no type: BLOB)
UNTYPED = {DatabaseType.SQLITE: "BLOB"}
# Words in a server's version string, most specific first.
VERSIONS = (
    ("mariadb", DatabaseType.MARIADB),
    ("postgresql", DatabaseType.POSTGRESQL),
    ("microsoft sql server", DatabaseType.SQLSERVER),
    ("oracle", DatabaseType.ORACLE),
)
DEFAULT_SCHEMAS = {"public": DatabaseType.POSTGRESQL, "dbo": DatabaseType.SQLSERVER}
ACTION = re.compile(
    r"ON (?P<event>DELETE|UPDATE) (?P<action>NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)",
    re.IGNORECASE,
)


def import_smart_query(
    text: str, name: str | None = None, database_type: DatabaseType | None = None
) -> Imported:
    """The diagram the metadata describes, named `name` or after its database."""
    document = load_json(text, "smart-query result")
    if not isinstance(document, dict):
        raise InvalidDocument("A smart-query result is one JSON object with 'tables', 'columns', …")
    try:
        metadata = Metadata.model_validate(document)
    except ValidationError as error:
        raise InvalidDocument(
            f"This is not a ChartDB smart-query result: {describe_errors(error)}."
        ) from None
    warnings: list[str] = []
    kind = database_type or guessed_type(metadata.version)
    if kind is None and not metadata.version.strip():
        kind, schema = by_default_schema(metadata)
        if kind is not None:
            warnings.append(
                f"The document gives no version; read as {kind.value} from its schema "
                f"{schema!r}. Pass database_type to choose another."
            )
    if kind is None:
        kind = DatabaseType.GENERIC
        warnings.append(
            f"The database type is not clear from version {metadata.version[:60]!r}; "
            "read as generic. Pass database_type to choose one."
        )
    builder = Builder(kind, metadata)
    try:
        tables = builder.tables()
        diagram = Diagram(
            name=(name or "").strip() or metadata.database_name.strip() or "Imported database",
            database_type=kind,
            schemas=sorted({t.schema_name for t in tables if t.schema_name}),
            tables=tables,
            relationships=builder.relationships(),
            views=builder.views(),
            custom_types=[custom_type_of(row, builder) for row in metadata.custom_types or []],
        )
    except ValidationError as error:
        raise InvalidDocument(
            f"The smart-query result does not make a valid diagram: {describe_errors(error)}."
        ) from None
    if builder.untyped_columns:
        shown = ", ".join(builder.untyped_columns[:5])
        more = ", ..." if len(builder.untyped_columns) > 5 else ""
        warnings.append(
            f"{len(builder.untyped_columns)} columns have no type in the catalog and are shown "
            f"as {UNTYPED.get(kind, 'unknown')} ({shown}{more})."
        )
    if builder.unplaced_indexes:
        shown = ", ".join(builder.unplaced_indexes[:5])
        more = ", ..." if len(builder.unplaced_indexes) > 5 else ""
        warnings.append(
            f"{len(builder.unplaced_indexes)} indexes belong to relations the document lists "
            f"no columns for (materialized views, in PostgreSQL's query) and were left out "
            f"({shown}{more})."
        )
    return Imported(diagram, warnings)


def by_default_schema(metadata: Metadata) -> tuple[DatabaseType | None, str]:
    """The database whose default schema the rows use, for the queries that print no
    version (PostgreSQL's, CockroachDB's and SQL Server's)."""
    schemas = {row.schema_ for row in metadata.columns}
    for schema, kind in DEFAULT_SCHEMAS.items():
        if schema in schemas:
            return kind, schema
    return None, ""


def guessed_type(version: str) -> DatabaseType | None:
    lowered = version.lower()
    found = next((kind for word, kind in VERSIONS if word in lowered), None)
    # Bare numbers: SQLite's sqlite_version() is 3.x.y; MySQL's version() is 5.x, 8.x, 9.x.
    if found is None and re.match(r"^3\.\d+\.\d+$", version.strip()):
        return DatabaseType.SQLITE
    if found is None and re.match(r"^\d+\.\d+", version):
        return DatabaseType.MYSQL
    return found


class Builder:
    """Regroups the per-column rows by table."""

    def __init__(self, kind: DatabaseType, metadata: Metadata) -> None:
        self.kind = kind
        self.metadata = metadata
        self.by_name: dict[tuple[str | None, str], Table] = {}
        self.untyped_columns: list[str] = []
        self.unplaced_indexes: list[str] = []  # indexes of relations without columns

    def schema(self, schema: str | None) -> str | None:
        return None if self.kind == DatabaseType.SQLITE or not schema else schema

    def columns_of(self, schema: str | None, table: str) -> list[Column]:
        rows = [
            row
            for row in self.metadata.columns
            if self.schema(row.schema_) == schema and row.table == table
        ]
        return [self.column(row) for row in sorted(rows, key=lambda r: r.ordinal_position)]

    def column(self, row: ColumnRow) -> Column:
        type_text = sized_type(row) or self.untyped(row)
        serial = type_text.lower() in SERIALS and self.kind == DatabaseType.POSTGRESQL
        if serial:
            type_text = SERIALS[type_text.lower()]
        if row.is_array and not type_text.endswith("]"):
            type_text += "[]"
        return Column(
            name=row.name,
            type=type_text,
            normalized_type=normalize_type(type_text, self.kind),
            nullable=bool(row.nullable),
            # DEFAULT NULL says no more than no default; catalogs print it either way, and
            # the PostgreSQL and MySQL queries print "" for a column without one.
            default=None if (row.default or "").strip().upper() in ("", "NULL") else row.default,
            autoincrement=bool(row.is_identity) or serial,
            comment=row.comment or None,
            collation=row.collation or None,
            is_array=bool(row.is_array),
        )

    def untyped(self, row: ColumnRow) -> str:
        """The type of a column the catalog gives none (SQLite: BLOB, its affinity)."""
        self.untyped_columns.append(f"{row.table}.{row.name}")
        return UNTYPED.get(self.kind, "unknown")

    def listed_views(self) -> list[ViewRow]:
        """The views, and the table rows of type VIEW: MariaDB's query lists views only
        there (its `views` rows concatenate a NULL definition and vanish)."""
        found = list(self.metadata.views)
        named = {(self.schema(v.schema_), v.view_name) for v in found}
        for row in self.metadata.tables:
            key = (self.schema(row.schema_), row.table)
            if (row.type or "").upper() == "VIEW" and key not in named:
                named.add(key)
                found.append(ViewRow(schema=row.schema_, view_name=row.table))
        return found

    def tables(self) -> list[Table]:
        view_names = {(self.schema(v.schema_), v.view_name) for v in self.listed_views()}
        names = [(self.schema(row.schema_), row.table) for row in self.metadata.tables]
        names += [(self.schema(row.schema_), row.table) for row in self.metadata.columns]
        comments = {(self.schema(r.schema_), r.table): r.comment for r in self.metadata.tables}
        for key in dict.fromkeys(names):
            if key in view_names:
                continue
            schema, table_name = key
            self.by_name[key] = Table(
                schema_name=schema,
                name=table_name,
                columns=self.columns_of(schema, table_name),
                comment=comments.get(key) or None,
            )
        self.add_keys()
        self.add_indexes()
        for row in self.metadata.check_constraints or []:
            table = self.table(row.schema_, row.table, "A check constraint")
            table.checks = [*table.checks, CheckConstraint(expression=row.expression)]
        return list(self.by_name.values())

    def table(self, schema: str | None, name: str, owner: str) -> Table:
        found = self.by_name.get((self.schema(schema), name))
        if found is None:
            shown = f"{schema}.{name}" if self.schema(schema) else name
            raise InvalidDocument(f"{owner} refers to table {shown!r}, which has no columns.")
        return found

    def add_keys(self) -> None:
        grouped: dict[tuple[str | None, str], list[str]] = {}
        for row in self.metadata.pk_info:
            table = self.table(row.schema_, row.table, "A primary key row")
            columns = [row.column.strip()]
            # SQLite's query prints one row per table, its key's columns joined by commas.
            if table.column(columns[0]) is None and "," in columns[0]:
                columns = [part.strip() for part in columns[0].split(",")]
            grouped.setdefault((self.schema(row.schema_), row.table), []).extend(columns)
        for key, columns in grouped.items():
            self.by_name[key].primary_key = PrimaryKey(columns=list(dict.fromkeys(columns)))

    def add_indexes(self) -> None:
        grouped: dict[tuple[str | None, str, str], list[IndexRow]] = {}
        for row in self.metadata.indexes:
            grouped.setdefault((self.schema(row.schema_), row.table, row.name), []).append(row)
        for (schema, table_name, index_name), rows in grouped.items():
            table = self.by_name.get((schema, table_name))
            if table is None:
                # PostgreSQL's query lists indexes of materialized views, not their columns.
                shown = f"{schema}.{table_name}" if schema else table_name
                self.unplaced_indexes.append(f"{index_name} on {shown}")
                continue
            rows.sort(key=lambda r: r.column_position)
            parts = [
                IndexPart(column=r.column, descending=r.direction.lower() == "desc") for r in rows
            ]
            columns = [part.column for part in parts]
            if table.primary_key is not None and columns == table.primary_key.columns:
                # MySQL and MariaDB name every primary key PRIMARY; the live import keeps none.
                if not (self.kind in MYSQL_FAMILY and index_name == "PRIMARY"):
                    table.primary_key = table.primary_key.model_copy(update={"name": index_name})
                continue
            index = Index(
                name=index_name,
                parts=parts,
                unique=bool(rows[0].unique),
                method=self.method(rows[0].index_type),
            )
            table.indexes = [*table.indexes, index]

    def method(self, index_type: str) -> str | None:
        """The index method; SQLite's query prints the constant 'B-TREE', its only kind."""
        method = index_type.strip().lower().replace("b-tree", "btree") or None
        return None if self.kind == DatabaseType.SQLITE else method

    def relationships(self) -> list[Relationship]:
        grouped: dict[Hashable, list[ForeignKeyRow]] = {}
        for row in self.metadata.fk_info:
            grouped.setdefault(
                (self.schema(row.schema_), row.table, row.foreign_key_name), []
            ).append(row)
        found = []
        for rows in grouped.values():
            first = rows[0]
            child = self.table(
                first.schema_, first.table, f"Foreign key {first.foreign_key_name!r}"
            )
            parent_schema = first.reference_schema if first.reference_schema else first.schema_
            parent = self.table(
                parent_schema, first.reference_table, f"Foreign key {first.foreign_key_name!r}"
            )
            actions = {
                m["event"].upper(): m["action"].upper() for m in ACTION.finditer(first.fk_def)
            }
            found.append(
                Relationship(
                    name=first.foreign_key_name or None,
                    source_table_id=child.id,
                    source_columns=[row.column for row in rows],
                    target_table_id=parent.id,
                    target_columns=[row.reference_column for row in rows],
                    on_delete=ReferentialAction(actions.get("DELETE", "NO ACTION")),
                    on_update=ReferentialAction(actions.get("UPDATE", "NO ACTION")),
                )
            )
        return found

    def views(self) -> list[View]:
        return [
            View(
                schema_name=self.schema(row.schema_),
                name=row.view_name,
                definition=row.view_definition or None,
                columns=self.columns_of(self.schema(row.schema_), row.view_name),
            )
            for row in self.listed_views()
        ]


def sized_type(row: ColumnRow) -> str:
    """The type with its length or precision, for the types that take one."""
    base = row.type.strip()
    lowered = base.lower()
    length = row.character_maximum_length
    if "(" in base:
        return base
    if lowered in LENGTH_TYPES and length not in (None, "", "null", -1, "-1"):
        return f"{base}({length})"
    precision = (row.precision or {}).get("precision")
    scale = (row.precision or {}).get("scale")
    if lowered in SIZED_NUMBERS and precision is not None:
        return f"{base}({precision},{scale})" if scale is not None else f"{base}({precision})"
    return base


def custom_type_of(row: CustomTypeRow, builder: Builder) -> CustomType:
    if row.kind == "enum":
        return CustomType(
            schema_name=builder.schema(row.schema_),
            name=row.type,
            kind=CustomTypeKind.ENUM,
            values=row.values or [],
        )
    return CustomType(
        schema_name=builder.schema(row.schema_),
        name=row.type,
        kind=CustomTypeKind.COMPOSITE,
        fields=[
            Column(name=f.get("field", "?"), type=f.get("type", "text")) for f in row.fields or []
        ],
    )
