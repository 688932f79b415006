"""SQLite: the neutral inspector reader, plus what only sqlite_master and PRAGMAs tell.

The inspector maps declared types onto SQLAlchemy types, reads ON DELETE/ON UPDATE only
from table-level FOREIGN KEY clauses, and leaves out DESC and expression key parts. SQLite
has all of it in its table-valued PRAGMAs, so three queries per schema fill the gaps:
declared types (with the CREATE statements that tell AUTOINCREMENT and view SQL), foreign
key actions, and index key parts.
"""

import re
import warnings
from typing import Any

from sqlalchemy import Connection, TextClause, text
from sqlalchemy.engine.interfaces import (
    ReflectedColumn,
    ReflectedForeignKeyConstraint,
    ReflectedIndex,
    ReflectedUniqueConstraint,
)
from sqlalchemy.exc import SAWarning
from sqlglot import Token, TokenError, TokenType
from sqlglot.dialects import Dialect

from chartdb_mcp.core.model import DatabaseType, Index, IndexPart, UniqueConstraint
from chartdb_mcp.live.introspect.neutral import InspectorReader
from chartdb_mcp.live.introspect.records import (
    CatalogRead,
    ForeignKeyRecord,
    TableRecord,
    qualified,
    referential_action,
)

USER_OBJECTS = "m.name NOT LIKE 'sqlite~_%' ESCAPE '~'"

# https://www.sqlite.org/pragma.html#pragfunc (table-valued PRAGMA functions take a schema)
DECLARATIONS = f"""
SELECT m.name AS table_name, m.type AS kind, m.sql AS sql,
       p.name AS column_name, p.type AS declared, p.pk AS pk
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
        """Skip what the PRAGMAs answer better (indexes) or SQLite lacks (comments)."""
        if call.__name__ in ("get_multi_table_comment", "get_multi_indexes"):
            return {}
        with warnings.catch_warnings():
            # SQLAlchemy finds unique constraints by reflecting indexes, and warns about
            # every expression index on the way; table_indexes reads those itself.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
            return super().batched(call, schema, kind, read)

    def load_declarations(self, rows: list[Any], schema: str, read: CatalogRead) -> None:
        """Declared types, AUTOINCREMENT columns and view SQL."""
        self.declared, self.autoincrement, self.view_sql = {}, set(), {}
        for row in rows:
            declared = " ".join((row.declared or "").split())
            if not declared and row.kind == "table":
                read.warnings.add(
                    f"Columns declared without a type are shown as {UNTYPED}, "
                    "the affinity SQLite gives them",
                    f"{qualified(self.record_schema(schema), row.table_name)}.{row.column_name}",
                )
            self.declared[(row.table_name, row.column_name)] = declared or UNTYPED
            if row.kind == "view":
                self.view_sql[row.table_name] = VIEW_PREFIX.sub("", row.sql or "", count=1)
            elif row.pk and declared.upper() == "INTEGER" and AUTOINCREMENT.search(row.sql or ""):
                self.autoincrement.add((row.table_name, row.column_name))

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


def key_texts(sql: str) -> list[str]:
    """The key parts of a CREATE INDEX statement as written, without COLLATE and ASC/DESC.

    Returns [] when the statement cannot be read.
    """
    try:
        tokens = Dialect.get_or_raise("sqlite").tokenize(sql)
    except TokenError:
        return []
    texts = []
    for group in key_groups(tokens):
        part = bare_key(group)
        if not part:
            return []
        texts.append(sql[part[0].start : part[-1].end + 1])
    return texts


def key_groups(tokens: list[Token]) -> list[list[Token]]:
    """The comma-separated token groups inside the parentheses after ON table."""
    kinds = [token.token_type for token in tokens]
    if TokenType.ON not in kinds or TokenType.L_PAREN not in kinds[kinds.index(TokenType.ON) :]:
        return []
    opening = kinds.index(TokenType.L_PAREN, kinds.index(TokenType.ON))
    groups, first, depth = [], opening + 1, 0
    for position in range(opening, len(tokens)):
        if kinds[position] == TokenType.L_PAREN:
            depth += 1
        elif kinds[position] == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                groups.append(tokens[first:position])
                break
        elif kinds[position] == TokenType.COMMA and depth == 1:
            groups.append(tokens[first:position])
            first = position + 1
    return groups


def bare_key(group: list[Token]) -> list[Token]:
    """A key part without its trailing ASC/DESC and COLLATE name."""
    end = len(group)
    while end and group[end - 1].token_type in (TokenType.ASC, TokenType.DESC):
        end -= 1
    if end > 2 and group[end - 2].token_type == TokenType.COLLATE:
        end -= 2
    return group[:end]
