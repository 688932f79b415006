"""MySQL and MariaDB: read the schema from information_schema, one query per kind of object.

SQLAlchemy reflects MySQL by parsing `SHOW CREATE TABLE` table by table, which loses
`COLUMN_TYPE` spellings (`smallint(5) unsigned`) and the RESTRICT rules MariaDB leaves
out of its DDL. information_schema has both and answers for every requested database
at once.

A schema here is a database. A UNIQUE key is one object in MySQL, both an index and a
constraint; it is listed once, as a unique index, with its index type.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, TextClause, text

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    DatabaseType,
    Index,
    IndexPart,
    PrimaryKey,
    TableKey,
    View,
)
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.errors import InvalidConnectionTarget
from chartdb_mcp.live.introspect.reader import fetch, schema_query
from chartdb_mcp.live.introspect.records import (
    CatalogRead,
    ForeignKeyRecord,
    Step,
    TableRecord,
    literal_null_to_none,
    qualified,
    referential_action,
)

SYSTEM_SCHEMAS = frozenset({"information_schema", "mysql", "performance_schema", "sys"})

TABLES = schema_query("""
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS kind,
       TABLE_COMMENT AS comment, TABLE_COLLATION AS collation, CREATE_OPTIONS AS options
FROM information_schema.TABLES
WHERE TABLE_SCHEMA IN :schemas
ORDER BY TABLE_SCHEMA, TABLE_NAME
""")

COLUMNS = schema_query("""
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS name,
       COLUMN_TYPE AS type, DATA_TYPE AS data_type, IS_NULLABLE AS nullable,
       COLUMN_DEFAULT AS column_default, EXTRA AS extra, COLUMN_COMMENT AS comment,
       COLLATION_NAME AS collation, GENERATION_EXPRESSION AS generation
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA IN :schemas
ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
""")

INDEX_COLUMNS = """
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS name,
       NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name, SUB_PART AS prefix,
       COLLATION AS sort, INDEX_TYPE AS method, {expression} AS expression
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN :schemas
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
"""
# https://dev.mysql.com/doc/refman/8.0/en/information-schema-statistics-table.html
# (EXPRESSION, for functional key parts, exists from MySQL 8.0.13; MariaDB has none)
INDEXES_WITH_EXPRESSIONS = schema_query(INDEX_COLUMNS.format(expression="EXPRESSION"))
INDEXES = schema_query(INDEX_COLUMNS.format(expression="NULL"))

# Joining these two views in SQL takes MariaDB ten times longer than reading both.
KEY_COLUMNS = schema_query("""
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS name,
       COLUMN_NAME AS column_name, REFERENCED_TABLE_SCHEMA AS target_schema,
       REFERENCED_TABLE_NAME AS target_table, REFERENCED_COLUMN_NAME AS target_column
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA IN :schemas AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
""")

RULES = schema_query("""
SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS name,
       UPDATE_RULE AS on_update, DELETE_RULE AS on_delete
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN :schemas
""")

# https://mariadb.com/kb/en/information-schema-check_constraints-table/ (has TABLE_NAME)
MARIADB_CHECKS = schema_query("""
SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name,
       CONSTRAINT_NAME AS name, CHECK_CLAUSE AS expression
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN :schemas
ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME
""")

# https://dev.mysql.com/doc/refman/8.0/en/information-schema-check-constraints-table.html
# (no TABLE_NAME there; TABLE_CONSTRAINTS says which table a check belongs to)
MYSQL_CHECKS = schema_query("""
SELECT t.TABLE_SCHEMA AS table_schema, t.TABLE_NAME AS table_name,
       c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS expression
FROM information_schema.TABLE_CONSTRAINTS t
JOIN information_schema.CHECK_CONSTRAINTS c
  ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
WHERE t.TABLE_SCHEMA IN :schemas AND t.CONSTRAINT_TYPE = 'CHECK'
ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, c.CONSTRAINT_NAME
""")

VIEWS = schema_query("""
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, VIEW_DEFINITION AS definition
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA IN :schemas
""")

PARTITIONS = schema_query("""
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name,
       PARTITION_METHOD AS method, PARTITION_EXPRESSION AS expression
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA IN :schemas AND PARTITION_ORDINAL_POSITION = 1
""")

TABLE_TYPES = frozenset({"BASE TABLE", "SYSTEM VERSIONED"})
# Types whose COLUMN_DEFAULT MySQL reports as a bare number rather than a string.
UNQUOTED_DEFAULT_TYPES = frozenset(
    {"tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric"}
    | {"float", "double", "real", "bit", "year"}
)
ON_UPDATE = re.compile(r"on update (\S+)", re.IGNORECASE)


class MySQLReader:
    """Reads MySQL 5.7+/8 and MariaDB 10.2+ through information_schema."""

    def __init__(self, connection: Connection, database_type: DatabaseType) -> None:
        self.connection = connection
        self.database_type = database_type
        self.version = ""

    def server_version(self) -> str:
        """`SELECT VERSION()`; a MariaDB server sets `database_type` to MARIADB."""
        self.version = str(self.connection.execute(text("SELECT VERSION()")).scalar_one())
        is_mariadb = "mariadb" in self.version.lower()
        self.database_type = DatabaseType.MARIADB if is_mariadb else DatabaseType.MYSQL
        return self.version

    def schema_names(self) -> list[str]:
        """Every database on the server the user can see."""
        query = text("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")
        return [str(name) for name in self.connection.execute(query).scalars()]

    def default_schemas(self) -> list[str]:
        """The database named in the URL."""
        current = self.connection.execute(text("SELECT DATABASE()")).scalar()
        if not current:
            raise InvalidConnectionTarget(
                "The URL names no database, so there is nothing to read by default; "
                "add one to the URL or name the databases to read."
            )
        return [str(current)]

    def step_count(self, schemas: list[str]) -> int:
        """Five information_schema phases, whatever the number of databases."""
        return 5

    def read(self, schemas: list[str], step: Step) -> CatalogRead:
        """Read every table, view, key, index and check of the databases `schemas`."""
        read = CatalogRead()
        step("Reading tables and views")
        relations = self.rows(TABLES, schemas)
        step("Reading columns")
        columns = self.columns(self.rows(COLUMNS, schemas), relations)
        records = {
            (row.table_schema, row.table_name): TableRecord(
                schema=row.table_schema,
                name=row.table_name,
                columns=columns[(row.table_schema, row.table_name)],
                comment=row.comment or None,
            )
            for row in relations
            if row.kind in TABLE_TYPES
        }
        step("Reading indexes")
        add_indexes(self.rows(self.index_query(), schemas), records, read)
        step("Reading foreign keys and checks")
        read.foreign_keys = foreign_keys(self.rows(KEY_COLUMNS, schemas), self.rows(RULES, schemas))
        add_checks(self.rows(self.check_query(), schemas), records)
        if any("partitioned" in (row.options or "").lower() for row in relations):
            add_partitioning(self.rows(PARTITIONS, schemas), records)
        step("Reading view definitions")
        read.views = views(self.rows(VIEWS, schemas), relations, columns)
        read.tables = list(records.values())
        return read

    def rows(self, query: TextClause, schemas: list[str]) -> list[Any]:
        """Run one catalog query for all requested schemas."""
        return fetch(self.connection, query, schemas)

    def check_query(self) -> TextClause:
        """CHECK constraints with their tables, as this flavour records them."""
        return MARIADB_CHECKS if self.database_type == DatabaseType.MARIADB else MYSQL_CHECKS

    def index_query(self) -> TextClause:
        """STATISTICS with functional key parts where the server records them."""
        if self.database_type == DatabaseType.MYSQL and major_version(self.version) >= 8:
            return INDEXES_WITH_EXPRESSIONS
        return INDEXES

    def columns(
        self, rows: Iterable[Any], relations: Sequence[Any]
    ) -> dict[TableKey, list[Column]]:
        """Columns per table or view, in order."""
        table_collations = {(row.table_schema, row.table_name): row.collation for row in relations}
        columns: dict[TableKey, list[Column]] = defaultdict(list)
        for row in rows:
            key = (row.table_schema, row.table_name)
            columns[key].append(self.column_of(row, table_collations.get(key)))
        return columns

    def column_of(self, row: Any, table_collation: str | None) -> Column:
        """A column from information_schema.COLUMNS, typed as COLUMN_TYPE spells it."""
        extra = row.extra or ""
        on_update = ON_UPDATE.search(extra)
        generated = row.generation or None
        return Column(
            name=row.name,
            type=row.type,
            normalized_type=normalize_type(row.type, self.database_type),
            nullable=row.nullable == "YES",
            default=None if generated else self.default_of(row),
            autoincrement="auto_increment" in extra.lower(),
            generated=generated,
            on_update=on_update.group(1) if on_update else None,
            comment=row.comment or None,
            collation=row.collation
            if table_collation and row.collation != table_collation
            else None,
        )

    def default_of(self, row: Any) -> str | None:
        """COLUMN_DEFAULT as an SQL expression.

        MariaDB reports defaults as SQL already (quoted strings, NULL as the word NULL);
        MySQL reports the bare value and marks expressions DEFAULT_GENERATED.
        """
        # https://mariadb.com/kb/en/information-schema-columns-table/ (COLUMN_DEFAULT, 10.2.7+)
        default = row.column_default
        if default is None or self.database_type == DatabaseType.MARIADB:
            return literal_null_to_none(default)
        # https://dev.mysql.com/doc/refman/8.0/en/information-schema-columns-table.html
        extra = (row.extra or "").upper()
        is_expression = "DEFAULT_GENERATED" in extra or default.upper().startswith("CURRENT_")
        if is_expression or row.data_type.lower() in UNQUOTED_DEFAULT_TYPES:
            return str(default)
        return "'" + str(default).replace("'", "''") + "'"


def major_version(version: str) -> int:
    """The leading number of a version string, 0 if there is none."""
    match = re.match(r"\d+", version)
    return int(match.group()) if match else 0


def add_indexes(
    rows: Iterable[Any], records: dict[TableKey, TableRecord], read: CatalogRead
) -> None:
    """Group STATISTICS rows into primary keys and indexes on their tables."""
    grouped: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row.table_schema, row.table_name, row.name)].append(row)
    for (schema, table, name), parts in grouped.items():
        record = records.get((schema, table))
        if record is None:
            continue
        if name == "PRIMARY":
            record.primary_key = PrimaryKey(columns=[part.column_name for part in parts])
            continue
        for part in parts:
            if part.prefix is not None and part.method.upper() != "FULLTEXT":
                read.warnings.add(
                    "Index prefix lengths are not represented",
                    f"{qualified(schema, table)}.{name} ({part.column_name}({part.prefix}))",
                )
        record.indexes.append(
            Index(
                name=name,
                parts=[index_part(part) for part in parts],
                unique=not int(parts[0].non_unique),
                method=parts[0].method.lower(),
            )
        )


def index_part(row: Any) -> IndexPart:
    """A key part: a column, or (MySQL 8) an expression; COLLATION 'D' means descending."""
    descending = row.sort == "D"
    if row.column_name is None and row.expression:
        return IndexPart(expression=row.expression, descending=descending)
    return IndexPart(column=row.column_name, descending=descending)


def foreign_keys(columns: Iterable[Any], rules: Iterable[Any]) -> list[ForeignKeyRecord]:
    """One record per constraint, its column pairs in key order, with its rules."""
    actions = {(row.table_schema, row.table_name, row.name): row for row in rules}
    keys: dict[tuple[str, str, str], ForeignKeyRecord] = {}
    for row in columns:
        identity = (row.table_schema, row.table_name, row.name)
        key = keys.get(identity)
        if key is None:
            rule = actions.get(identity)
            key = keys[identity] = ForeignKeyRecord(
                name=row.name,
                source=(row.table_schema, row.table_name),
                source_columns=[],
                target=(row.target_schema, row.target_table),
                target_columns=[],
                on_delete=referential_action(rule.on_delete if rule else None),
                on_update=referential_action(rule.on_update if rule else None),
            )
        key.source_columns.append(row.column_name)
        key.target_columns.append(row.target_column)
    return list(keys.values())


def add_checks(rows: Iterable[Any], records: dict[TableKey, TableRecord]) -> None:
    """Put each CHECK constraint on its table."""
    for row in rows:
        record = records.get((row.table_schema, row.table_name))
        if record is not None:
            record.checks.append(CheckConstraint(name=row.name, expression=row.expression))


def views(
    rows: Iterable[Any], relations: Sequence[Any], columns: dict[TableKey, list[Column]]
) -> list[View]:
    """Views with their columns and the SELECT information_schema.VIEWS records."""
    definitions = {(row.table_schema, row.table_name): row.definition for row in rows}
    return [
        View(
            schema_name=row.table_schema,
            name=row.table_name,
            definition=definitions.get((row.table_schema, row.table_name)),
            columns=columns[(row.table_schema, row.table_name)],
        )
        for row in relations
        if row.kind == "VIEW"
    ]


def add_partitioning(rows: Iterable[Any], records: dict[TableKey, TableRecord]) -> None:
    """`RANGE (expr)` and the like on partitioned tables; partitions are not tables here."""
    for row in rows:
        record = records.get((row.table_schema, row.table_name))
        if record is not None and row.method:
            record.partition_by = f"{row.method} ({row.expression})"
