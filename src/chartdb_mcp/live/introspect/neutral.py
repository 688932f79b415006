"""The dialect-neutral reader: SQLAlchemy's inspector with its batched `get_multi_*` calls.

It reads any database SQLAlchemy has a dialect for, seven batched calls per schema. The
dialect modules subclass it for what the inspector cannot tell (SQLite's declared types)
or replace it where it is too slow (PostgreSQL, MySQL). Type texts come from compiling
the reflected type, so they are SQLAlchemy's spelling (`VARCHAR(45)`), not the server's.
"""

from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from sqlalchemy import Connection, inspect
from sqlalchemy.engine.interfaces import (
    ReflectedCheckConstraint,
    ReflectedColumn,
    ReflectedForeignKeyConstraint,
    ReflectedIndex,
    ReflectedPrimaryKeyConstraint,
    ReflectedUniqueConstraint,
)
from sqlalchemy.engine.reflection import ObjectKind
from sqlalchemy.exc import CompileError
from sqlalchemy.types import ARRAY, NullType

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    DatabaseType,
    IdentityGeneration,
    Index,
    IndexPart,
    PrimaryKey,
    UniqueConstraint,
    View,
)
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.live.introspect.records import (
    CatalogRead,
    ForeignKeyRecord,
    Step,
    TableRecord,
    literal_null_to_none,
    qualified,
    referential_action,
)

T = TypeVar("T")
# (schema, name) as the inspector keys its multi-table results.
InspectorKey = tuple[str | None, str]


class InspectorReader:
    """Reads one database through `sqlalchemy.inspect`, schema by schema."""

    def __init__(self, connection: Connection, database_type: DatabaseType) -> None:
        self.connection = connection
        self.database_type = database_type
        self.inspector = inspect(connection)

    def server_version(self) -> str:
        """The dialect's server version, dotted."""
        info = self.connection.dialect.server_version_info or ()
        return ".".join(str(part) for part in info)

    def schema_names(self) -> list[str]:
        """Every schema the inspector lists."""
        return list(self.inspector.get_schema_names())

    def default_schemas(self) -> list[str]:
        """The connection's default schema."""
        default = self.inspector.default_schema_name
        return [default] if default else self.schema_names()[:1]

    def step_count(self, schemas: list[str]) -> int:
        """One step per schema."""
        return len(schemas)

    def read(self, schemas: list[str], step: Step) -> CatalogRead:
        """Read each schema with batched inspector calls."""
        read = CatalogRead()
        for schema in schemas:
            step(f"Reading schema {schema}")
            self.read_schema(schema, read)
        return read

    def record_schema(self, schema: str) -> str | None:
        """The schema name tables carry in the diagram."""
        return schema

    def read_schema(self, schema: str, read: CatalogRead) -> None:
        """Tables with their keys, indexes and checks; views with their columns."""
        inspector, tables = self.inspector, ObjectKind.TABLE
        columns = self.batched(inspector.get_multi_columns, schema, ObjectKind.ANY, read)
        keys = self.batched(inspector.get_multi_pk_constraint, schema, tables, read)
        foreign = self.batched(inspector.get_multi_foreign_keys, schema, tables, read)
        indexes = self.batched(inspector.get_multi_indexes, schema, tables, read)
        uniques = self.batched(inspector.get_multi_unique_constraints, schema, tables, read)
        checks = self.batched(inspector.get_multi_check_constraints, schema, tables, read)
        comments = self.batched(inspector.get_multi_table_comment, schema, tables, read)
        views = self.view_names(schema)
        owner = self.record_schema(schema)
        for key, reflected in columns.items():
            name = key[1]
            converted = [self.column_of(schema, name, column) for column in reflected]
            if name in views:
                read.views.append(self.view_of(schema, name, converted, views[name]))
                continue
            record = TableRecord(schema=owner, name=name, columns=converted)
            record.primary_key = primary_key_of(keys.get(key))
            record.unique_constraints = self.table_unique_constraints(uniques.get(key, []), record)
            record.indexes = self.table_indexes(indexes.get(key, []), record, read)
            record.checks = [check_of(check) for check in checks.get(key, [])]
            comment = comments.get(key)
            record.comment = comment.get("text") if comment else None
            read.tables.append(record)
            read.foreign_keys += [
                self.foreign_key_of(record, foreign_key) for foreign_key in foreign.get(key, [])
            ]

    def table_unique_constraints(
        self, reflected: list[ReflectedUniqueConstraint], record: TableRecord
    ) -> list[UniqueConstraint]:
        """The table's unique constraints; dialects override where the inspector misses some."""
        return unique_constraints_of(reflected)

    def batched(
        self,
        call: Callable[..., dict[InspectorKey, T]],
        schema: str,
        kind: ObjectKind,
        read: CatalogRead,
    ) -> dict[InspectorKey, T]:
        """One `get_multi_*` call for the whole schema; {} with a warning if unsupported."""
        try:
            return dict(call(schema=schema, kind=kind))
        except NotImplementedError:
            what = call.__name__.removeprefix("get_multi_").replace("_", " ")
            read.warnings.add(f"This database cannot report {what}s; none were read", schema)
            return {}

    def table_indexes(
        self, reflected: list[ReflectedIndex], record: TableRecord, read: CatalogRead
    ) -> list[Index]:
        """A table's indexes from what the inspector reflected."""
        return indexes_of(reflected, record, read)

    def view_names(self, schema: str) -> dict[str, bool]:
        """View name -> whether it is materialized."""
        names = dict.fromkeys(self.inspector.get_view_names(schema=schema), False)
        with suppress(NotImplementedError):  # the dialect has no materialized views
            names.update(dict.fromkeys(self.inspector.get_materialized_view_names(schema), True))
        return names

    def view_definition(self, schema: str, name: str) -> str | None:
        """A view's SQL; the inspector has no batched form of this call."""
        try:
            return self.inspector.get_view_definition(name, schema=schema)
        except NotImplementedError:
            return None

    def view_of(self, schema: str, name: str, columns: list[Column], materialized: bool) -> View:
        """A view with its columns and definition."""
        definition = self.view_definition(schema, name)
        return View(
            schema_name=self.record_schema(schema),
            name=name,
            definition=definition.strip() if definition else None,
            materialized=materialized,
            columns=columns,
        )

    def type_text(self, schema: str, table: str, column: ReflectedColumn) -> str:
        """The column's type compiled by the connection's dialect."""
        kind = column["type"]
        if isinstance(kind, NullType):
            return "NULL"
        try:
            return str(kind.compile(dialect=self.connection.dialect))
        except CompileError:
            return str(kind.__class__.__name__).upper()

    def is_autoincrement(self, schema: str, table: str, column: ReflectedColumn) -> bool:
        """Whether the database fills the column from a counter."""
        return column.get("autoincrement") is True or "identity" in column

    def column_of(self, schema: str, table: str, column: ReflectedColumn) -> Column:
        """A model column from a reflected one."""
        type_text = self.type_text(schema, table, column)
        computed = column.get("computed")
        identity = column.get("identity")
        generation = None
        if identity is not None:
            always = identity.get("always")
            generation = IdentityGeneration.ALWAYS if always else IdentityGeneration.BY_DEFAULT
        return Column(
            name=column["name"],
            type=type_text,
            normalized_type=normalize_type(type_text, self.database_type),
            nullable=column["nullable"],
            default=None if computed else literal_null_to_none(column.get("default")),
            autoincrement=self.is_autoincrement(schema, table, column),
            identity=generation,
            generated=str(computed["sqltext"]) if computed else None,
            comment=column.get("comment"),
            collation=getattr(column["type"], "collation", None),
            is_array=isinstance(column["type"], ARRAY),
        )

    def foreign_key_of(
        self, record: TableRecord, key: ReflectedForeignKeyConstraint
    ) -> ForeignKeyRecord:
        """A foreign key record; an unqualified target is in the same schema."""
        target_schema = key.get("referred_schema")
        options: dict[str, Any] = dict(key.get("options") or {})
        return ForeignKeyRecord(
            name=key.get("name"),
            source=record.key,
            source_columns=list(key["constrained_columns"]),
            target=(
                self.record_schema(target_schema) if target_schema else record.schema,
                key["referred_table"],
            ),
            target_columns=list(key["referred_columns"]),
            on_delete=referential_action(options.get("ondelete")),
            on_update=referential_action(options.get("onupdate")),
        )


def primary_key_of(key: ReflectedPrimaryKeyConstraint | None) -> PrimaryKey | None:
    """The primary key, or None when the table has none."""
    if not key or not key.get("constrained_columns"):
        return None
    return PrimaryKey(name=key.get("name"), columns=list(key["constrained_columns"]))


def unique_constraints_of(reflected: list[ReflectedUniqueConstraint]) -> list[UniqueConstraint]:
    """Unique constraints, except those that are really a unique index (MySQL)."""
    return [
        UniqueConstraint(name=unique.get("name"), columns=list(unique["column_names"]))
        for unique in reflected
        if "duplicates_index" not in unique
    ]


def indexes_of(
    reflected: list[ReflectedIndex], record: TableRecord, read: CatalogRead
) -> list[Index]:
    """Indexes, except those a unique constraint creates (already listed as constraints)."""
    indexes = []
    for index in reflected:
        if index.get("duplicates_constraint"):
            continue
        parts = index_parts(index)
        if not parts:
            read.warnings.add(
                "Indexes whose columns could not be read are left out",
                f"{qualified(*record.key)}.{index['name']}",
            )
            continue
        options: dict[str, Any] = dict(index.get("dialect_options") or {})
        method = options.get("postgresql_using") or options.get("mysql_prefix")
        where = next((value for key, value in options.items() if key.endswith("_where")), None)
        include = options.get("postgresql_include") or index.get("include_columns") or []
        indexes.append(
            Index(
                name=index["name"] or "",
                parts=parts,
                unique=bool(index["unique"]),
                method=str(method).lower() if method else None,
                where=str(where) if where is not None else None,
                include=list(include),
            )
        )
    return indexes


def index_parts(index: ReflectedIndex) -> list[IndexPart]:
    """Key parts in order: columns, or expressions where the column name is None."""
    sorting: dict[str, tuple[str, ...]] = dict(index.get("column_sorting") or {})
    expressions: list[str | None] = list(index.get("expressions") or [])
    parts = []
    for position, column in enumerate(index["column_names"]):
        label = column if column is not None else (expressions[position:] or [None])[0]
        if label is None:
            return []  # an expression the dialect could not reflect
        descending = "desc" in sorting.get(label, ())
        if column is not None:
            parts.append(IndexPart(column=column, descending=descending))
        else:
            parts.append(IndexPart(expression=label, descending=descending))
    return parts


def check_of(check: ReflectedCheckConstraint) -> CheckConstraint:
    """A check constraint with its expression as the dialect reflects it."""
    return CheckConstraint(name=check.get("name"), expression=str(check["sqltext"]))
