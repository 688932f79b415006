"""SQLite: the neutral inspector reader, plus what only sqlite_master and PRAGMAs tell.

The inspector maps declared types onto SQLAlchemy types, reads ON DELETE/ON UPDATE only
from table-level FOREIGN KEY clauses, leaves out DESC and expression key parts, and
misreads generated columns. SQLite has all of it in its table-valued PRAGMAs and stored
CREATE statements, so a few queries per schema fill the gaps: declared types (with the
CREATE statements that tell AUTOINCREMENT, generated expressions, collations and view
SQL), foreign key actions, index key parts, and which tables are virtual or their shadows.
Virtual tables and their shadow tables are left out, with a warning.
"""

import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, TextClause, text
from sqlalchemy.engine.interfaces import (
    ReflectedColumn,
    ReflectedForeignKeyConstraint,
    ReflectedIndex,
    ReflectedUniqueConstraint,
)
from sqlalchemy.exc import SAWarning

from chartdb_mcp.core.model import Column, DatabaseType, Index, IndexPart, UniqueConstraint
from chartdb_mcp.live.introspect.neutral import InspectorReader
from chartdb_mcp.live.introspect.records import (
    CatalogRead,
    ForeignKeyRecord,
    TableRecord,
    qualified,
    referential_action,
)
from chartdb_mcp.live.introspect.sqlite_ddl import ColumnClauses, column_clauses, key_texts

USER_OBJECTS = "m.name NOT LIKE 'sqlite~_%' ESCAPE '~'"

# https://www.sqlite.org/pragma.html#pragfunc (table-valued PRAGMA functions take a schema)
DECLARATIONS = f"""
SELECT m.name AS table_name, m.type AS kind, m.sql AS sql,
       p.name AS column_name, p.type AS declared, p.pk AS pk, p.hidden AS hidden
FROM {{schema}}.sqlite_master AS m
JOIN pragma_table_xinfo(m.name, :schema) AS p
WHERE m.type IN ('table', 'view') AND {USER_OBJECTS}
"""

# https://www.sqlite.org/pragma.html#pragma_foreign_key_list
FOREIGN_KEY_ACTIONS = f"""
SELECT m.name AS table_name, f.id, f."from" AS column_name, f."table" AS target,
       f.on_update, f.on_delete
FROM {{schema}}.sqlite_master AS m
JOIN pragma_foreign_key_list(m.name, :schema) AS f
WHERE m.type = 'table' AND {USER_OBJECTS}
ORDER BY m.name, f.id, f.seq
"""

# https://www.sqlite.org/pragma.html#pragma_index_xinfo (cid -2: an expression)
# Only indexes made by CREATE INDEX (origin 'c'): UNIQUE and PRIMARY KEY constraints
# are listed as constraints.
INDEX_PARTS = f"""
SELECT m.tbl_name AS table_name, m.name AS index_name, m.sql AS sql,
       l."unique" AS is_unique, x.cid, x.name AS column_name, x."desc" AS descending
FROM {{schema}}.sqlite_master AS m
JOIN pragma_index_list(m.tbl_name, :schema) AS l ON l.name = m.name
JOIN pragma_index_xinfo(m.name, :schema) AS x
WHERE m.type = 'index' AND l.origin = 'c' AND x.key = 1 AND {USER_OBJECTS}
ORDER BY m.tbl_name, m.name, x.seqno
"""

# https://www.sqlite.org/pragma.html#pragma_index_list (origin 'u': a UNIQUE constraint,
# inline on a column or at table level; the inspector sees only the table-level ones)
UNIQUE_PARTS = f"""
SELECT m.name AS table_name, l.name AS index_name, i.name AS column_name
FROM {{schema}}.sqlite_master AS m
JOIN pragma_index_list(m.name, :schema) AS l
JOIN pragma_index_info(l.name, :schema) AS i
WHERE m.type = 'table' AND l.origin = 'u' AND {USER_OBJECTS}
ORDER BY m.name, l.seq, i.seqno
"""

# https://www.sqlite.org/pragma.html#pragma_table_list (3.37+): virtual tables, and the
# shadow tables their module stores them in.
HIDDEN_TABLES = """
SELECT name, type AS kind FROM pragma_table_list
WHERE schema = :schema AND type IN ('virtual', 'shadow')
"""
TABLE_LIST_SINCE = (3, 37, 0)
# Before 3.37: virtual tables by their CREATE statement; shadows are named <virtual>_<part>
# https://www.sqlite.org/vtab.html#xshadowname
VIRTUAL_TABLES = f"""
SELECT m.name FROM {{schema}}.sqlite_master AS m
WHERE m.type = 'table' AND m.sql LIKE 'CREATE VIRTUAL TABLE%' AND {USER_OBJECTS}
"""
ALL_TABLES = "SELECT m.name FROM {schema}.sqlite_master AS m WHERE m.type = 'table'"
VIRTUAL_TABLES_LEFT_OUT = (
    "Virtual tables (CREATE VIRTUAL TABLE) are left out, since a diagram would show them "
    "as plain tables; so are the shadow tables that hold their data"
)

# https://www.sqlite.org/pragma.html#pragma_table_xinfo (hidden 2: virtual, 3: stored)
GENERATED_HIDDEN = (2, 3)
# https://www.sqlite.org/wal.html#readonly: reading a WAL database needs -wal and -shm
# files; a read-only connection creates them when missing and cannot remove them.
SIDECAR_SUFFIXES = ("-wal", "-shm")

# https://www.sqlite.org/autoinc.html
AUTOINCREMENT = re.compile(r"\bAUTOINCREMENT\b", re.IGNORECASE)
VIEW_PREFIX = re.compile(
    r"^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?VIEW\s+.*?\s+AS\s+", re.IGNORECASE | re.DOTALL
)
PARTIAL_INDEX = re.compile(r"\)\s*WHERE\s+(.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL)
# https://www.sqlite.org/datatype3.html#determination_of_column_affinity (no type: BLOB)
UNTYPED = "BLOB"
EXPRESSION_COLUMN = -2


class SQLiteReader(InspectorReader):
    """Reads a SQLite file; the main schema's tables carry no schema name."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection, DatabaseType.SQLITE)
        self.declared: dict[tuple[str, str], str] = {}
        self.autoincrement: set[tuple[str, str]] = set()
        self.view_sql: dict[str, str] = {}
        self.actions: dict[tuple[str, tuple[str, ...], str], tuple[str, str]] = {}
        self.index_rows: dict[str, dict[str, list[Any]]] = {}
        self.unique_columns: dict[str, dict[str, list[str]]] = {}
        self.hidden_tables: set[str] = set()
        self.clauses: dict[str, dict[str, ColumnClauses]] = {}
        self.generated: set[tuple[str, str]] = set()

    def server_version(self) -> str:
        """The SQLite library version, e.g. `3.40.1`."""
        return str(self.connection.execute(text("SELECT sqlite_version()")).scalar_one())

    def default_schemas(self) -> list[str]:
        """`main`, the file itself (attached databases only when asked for)."""
        return ["main"]

    def record_schema(self, schema: str) -> str | None:
        """No schema name for `main`; attached databases keep theirs."""
        return None if schema == "main" else schema

    def read_schema(self, schema: str, read: CatalogRead) -> None:
        """Read the PRAGMAs first, then let the inspector do the rest."""
        quoted = '"' + schema.replace('"', '""') + '"'
        self.hidden_tables = self.read_hidden_tables(quoted, schema, read)
        self.load_declarations(self.query(DECLARATIONS, quoted, schema), schema, read)
        self.load_actions(self.query(FOREIGN_KEY_ACTIONS, quoted, schema))
        self.index_rows = {}
        for row in self.query(INDEX_PARTS, quoted, schema):
            self.index_rows.setdefault(row.table_name, {}).setdefault(row.index_name, []).append(
                row
            )
        self.unique_columns = {}
        for row in self.query(UNIQUE_PARTS, quoted, schema):
            by_index = self.unique_columns.setdefault(row.table_name, {})
            by_index.setdefault(row.index_name, []).append(row.column_name)
        super().read_schema(schema, read)

    def query(self, sql: str, quoted_schema: str, schema: str) -> list[Any]:
        """Run one of the PRAGMA queries above for one schema."""
        statement: TextClause = text(sql.format(schema=quoted_schema))
        return list(self.connection.execute(statement, {"schema": schema}))

    def batched(self, call: Any, schema: str, kind: Any, read: CatalogRead) -> Any:
        """Skip what the PRAGMAs answer better (indexes) or SQLite lacks (comments), and
        leave out virtual and shadow tables."""
        if call.__name__ in ("get_multi_table_comment", "get_multi_indexes"):
            return {}
        with warnings.catch_warnings():
            # SQLAlchemy finds unique constraints by reflecting indexes, and warns about
            # every expression index on the way; table_indexes reads those itself.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
            found = super().batched(call, schema, kind, read)
        return {key: value for key, value in found.items() if key[1] not in self.hidden_tables}

    def read_hidden_tables(self, quoted_schema: str, schema: str, read: CatalogRead) -> set[str]:
        """Names of the schema's virtual tables and their shadow tables, with a warning."""
        if sqlite3.sqlite_version_info >= TABLE_LIST_SINCE:
            rows = self.query(HIDDEN_TABLES, quoted_schema, schema)
            found = [(row.name, row.kind) for row in rows]
        else:
            found = self.guess_hidden_tables(quoted_schema, schema)
        for name, kind in found:
            if kind == "virtual":
                read.warnings.add(
                    VIRTUAL_TABLES_LEFT_OUT, qualified(self.record_schema(schema), name)
                )
        return {name for name, _ in found}

    def guess_hidden_tables(self, quoted_schema: str, schema: str) -> list[tuple[str, str]]:
        """(name, kind) of virtual tables, and of tables named like their shadows."""
        virtual = [row.name for row in self.query(VIRTUAL_TABLES, quoted_schema, schema)]
        prefixes = tuple(f"{name}_" for name in virtual)
        tables = [row.name for row in self.query(ALL_TABLES, quoted_schema, schema)]
        shadows = [name for name in tables if prefixes and name.startswith(prefixes)]
        return [(name, "virtual") for name in virtual] + [(name, "shadow") for name in shadows]

    def load_declarations(self, rows: list[Any], schema: str, read: CatalogRead) -> None:
        """Declared types, AUTOINCREMENT columns, column clauses and view SQL."""
        self.declared, self.autoincrement, self.view_sql = {}, set(), {}
        self.clauses, self.generated = {}, set()
        for row in rows:
            if row.table_name in self.hidden_tables:
                continue
            name = f"{qualified(self.record_schema(schema), row.table_name)}.{row.column_name}"
            declared = " ".join((row.declared or "").split())
            if not declared and row.kind == "table":
                read.warnings.add(
                    f"Columns declared without a type are shown as {UNTYPED}, "
                    "the affinity SQLite gives them",
                    name,
                )
            if row.kind == "table" and row.table_name not in self.clauses:
                self.clauses[row.table_name] = column_clauses(row.sql or "")
            if row.hidden in GENERATED_HIDDEN:
                self.note_generated(row.table_name, row.column_name, name, read)
            self.declared[(row.table_name, row.column_name)] = declared or UNTYPED
            if row.kind == "view":
                self.view_sql[row.table_name] = VIEW_PREFIX.sub("", row.sql or "", count=1)
            elif row.pk and declared.upper() == "INTEGER" and AUTOINCREMENT.search(row.sql or ""):
                self.autoincrement.add((row.table_name, row.column_name))

    def note_generated(self, table: str, column: str, name: str, read: CatalogRead) -> None:
        """Remember a generated column; warn when its CREATE TABLE gives no expression."""
        self.generated.add((table, column))
        if self.clauses_of(table, column).generated is None:
            read.warnings.add(
                "Generated columns whose expression could not be read are shown as plain columns",
                name,
            )

    def clauses_of(self, table: str, column: str) -> ColumnClauses:
        """The column's clauses from its CREATE TABLE; none for views and unread text."""
        return self.clauses.get(table, {}).get(column.lower(), ColumnClauses())

    def column_of(self, schema: str, table: str, column: ReflectedColumn) -> Column:
        """The inspector's column with the generated expression, parenthesized default and
        collation as the CREATE TABLE declares them."""
        found = super().column_of(schema, table, column)
        clauses = self.clauses_of(table, column["name"])
        if (table, column["name"]) in self.generated:
            found.generated, found.default = clauses.generated, None
        else:
            found.generated = None
            found.default = clauses.default or found.default
        found.collation = clauses.collation
        return found

    def load_actions(self, rows: list[Any]) -> None:
        """(table, columns, target) -> (ON DELETE, ON UPDATE) for every foreign key."""
        grouped: dict[tuple[str, int], list[Any]] = {}
        for row in rows:
            grouped.setdefault((row.table_name, row.id), []).append(row)
        self.actions = {
            (first.table_name, tuple(row.column_name for row in key), first.target): (
                first.on_delete,
                first.on_update,
            )
            for key in grouped.values()
            for first in key[:1]
        }

    def foreign_key_of(
        self, record: TableRecord, key: ReflectedForeignKeyConstraint
    ) -> ForeignKeyRecord:
        """The inspector's foreign key with the actions SQLite itself reports."""
        found = super().foreign_key_of(record, key)
        actions = self.actions.get((record.name, tuple(found.source_columns), found.target[1]))
        if actions is not None:
            found.on_delete = referential_action(actions[0])
            found.on_update = referential_action(actions[1])
        return found

    def table_unique_constraints(
        self, reflected: list[ReflectedUniqueConstraint], record: TableRecord
    ) -> list[UniqueConstraint]:
        """Every UNIQUE constraint SQLite enforces, named where the CREATE TABLE names it."""
        names = {tuple(unique["column_names"]): unique.get("name") for unique in reflected}
        return [
            UniqueConstraint(name=names.get(tuple(columns)), columns=columns)
            for columns in self.unique_columns.get(record.name, {}).values()
        ]

    def table_indexes(
        self, reflected: list[ReflectedIndex], record: TableRecord, read: CatalogRead
    ) -> list[Index]:
        """Indexes from the PRAGMAs: DESC and expression parts included."""
        indexes = []
        for name, rows in self.index_rows.get(record.name, {}).items():
            index = index_from_pragma(name, rows)
            if index is None:
                read.warnings.add(
                    "Indexes whose key could not be read are left out",
                    f"{qualified(*record.key)}.{name}",
                )
            else:
                indexes.append(index)
        return indexes

    def type_text(self, schema: str, table: str, column: ReflectedColumn) -> str:
        """The type exactly as declared."""
        return self.declared.get((table, column["name"])) or super().type_text(
            schema, table, column
        )

    def is_autoincrement(self, schema: str, table: str, column: ReflectedColumn) -> bool:
        """Only INTEGER PRIMARY KEY AUTOINCREMENT; a bare rowid alias does not count."""
        return (table, column["name"]) in self.autoincrement

    def view_definition(self, schema: str, name: str) -> str | None:
        """The SELECT of a view, from its CREATE VIEW statement."""
        return self.view_sql.get(name)


def sidecar_files(database: Path | None) -> set[Path]:
    """The -wal and -shm files that exist beside a SQLite database file now."""
    if database is None:
        return set()
    beside = (database.with_name(database.name + suffix) for suffix in SIDECAR_SUFFIXES)
    return {path for path in beside if path.exists()}


def note_new_sidecars(database: Path | None, before: set[Path], read: CatalogRead) -> None:
    """Warn about -wal and -shm files that reading created and had to leave behind."""
    created = sorted(path.name for path in sidecar_files(database) - before)
    if created:
        read.warnings.note(
            f"SQLite created {' and '.join(created)} beside the database file: a database "
            "in WAL mode cannot be read without them, even read-only, and a read-only "
            "connection may not remove them. They hold no data; the next program "
            "that opens the database for writing removes them when it closes it."
        )


def index_from_pragma(name: str, rows: list[Any]) -> Index | None:
    """An index from its index_xinfo rows; expressions are cut from its CREATE INDEX."""
    sql = rows[0].sql or ""
    texts: list[str] = []
    if any(row.cid == EXPRESSION_COLUMN for row in rows):
        texts = key_texts(sql)
        if len(texts) != len(rows):
            return None
    parts = [
        IndexPart(expression=texts[position], descending=bool(row.descending))
        if row.cid == EXPRESSION_COLUMN
        else IndexPart(column=row.column_name, descending=bool(row.descending))
        for position, row in enumerate(rows)
    ]
    partial = PARTIAL_INDEX.search(sql)
    return Index(
        name=name,
        parts=parts,
        unique=bool(rows[0].is_unique),
        where=partial.group(1) if partial else None,
    )
