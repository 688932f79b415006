"""What each target database can express, as data: its SQLAlchemy dialect and its flags.

The DDL builder asks these flags instead of testing dialect names, so a new target is a
new row here plus, at most, a small override where the dialect's compiler falls short.
"""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import mssql, mysql, oracle, postgresql
from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect
from sqlalchemy.dialects.sqlite.base import SQLiteDDLCompiler
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Dialect

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.types import TOKENIZER_DIALECTS


@dataclass(frozen=True)
class Target:
    """One database family the DDL can be written for."""

    database_type: DatabaseType
    sqlglot: str
    default_schema: str | None
    schemas: bool
    partial_indexes: bool
    include_columns: bool
    expression_indexes: bool
    index_methods: frozenset[str]
    native_enums: bool
    domains: bool
    inline_enums: bool
    comments: bool
    identity: bool
    materialized_views: bool
    partitions: bool
    fk_actions_delete: frozenset[str]
    fk_actions_update: frozenset[str]
    inline_foreign_keys: bool
    transactional_ddl: bool
    bounded_keys: bool = False
    # Index names share one namespace per schema with tables (not per table as in MySQL).
    schema_wide_index_names: bool = False

    def dialect(self) -> Dialect:
        """A fresh SQLAlchemy dialect object that compiles statements for this target."""
        factory = DIALECTS[self.database_type]
        if self.database_type == DatabaseType.SQLSERVER:
            # VARCHAR(max) and VARBINARY(max), not the deprecated TEXT and IMAGE
            dialect: Dialect = mssql.dialect(deprecate_large_types=True)  # type: ignore[no-untyped-call]
            # comments go through sp_addextendedproperty, which names the schema
            dialect.default_schema_name = self.default_schema
        else:
            dialect = factory()
        return dialect


NUMBER = re.compile(r"-?\d+(\.\d+)?")


class SQLiteCompiler(SQLiteDDLCompiler):
    """SQLite's DDL compiler, writing a negative or decimal default without parentheses.

    SQLAlchemy wraps every default with a non-word character in parentheses, and SQLite
    then reports `(4.99)` as the default; its grammar takes signed numbers as they are.
    https://www.sqlite.org/lang_createtable.html (column-constraint, DEFAULT)
    """

    def get_column_specification(self, column: Any, **kwargs: Any) -> str:
        """The column as SQLAlchemy writes it, with a bare numeric default."""
        text: str = super().get_column_specification(column, **kwargs)  # type: ignore[no-untyped-call]
        default = self.get_column_default_string(column)
        if default is not None and NUMBER.fullmatch(default.strip()):
            text = text.replace(f" DEFAULT ({default})", f" DEFAULT {default}", 1)
        return text


class SQLiteDialect(SQLiteDialect_pysqlite):
    """SQLite as SQLAlchemy compiles it, with the default fix above."""

    ddl_compiler = SQLiteCompiler


ALL_ACTIONS = frozenset({"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"})

DIALECTS = {
    DatabaseType.POSTGRESQL: postgresql.dialect,
    DatabaseType.MYSQL: mysql.dialect,
    DatabaseType.MARIADB: MariaDBDialect,
    DatabaseType.SQLITE: SQLiteDialect,
    DatabaseType.SQLSERVER: mssql.dialect,
    DatabaseType.ORACLE: oracle.dialect,
}

POSTGRESQL = Target(
    database_type=DatabaseType.POSTGRESQL,
    sqlglot="postgres",
    default_schema="public",
    schemas=True,
    partial_indexes=True,
    include_columns=True,
    expression_indexes=True,
    index_methods=frozenset({"btree", "hash", "gist", "gin", "spgist", "brin"}),
    native_enums=True,
    domains=True,
    inline_enums=False,
    comments=True,
    identity=True,
    materialized_views=True,
    partitions=True,
    fk_actions_delete=ALL_ACTIONS,
    fk_actions_update=ALL_ACTIONS,
    inline_foreign_keys=False,
    transactional_ddl=True,
    schema_wide_index_names=True,
)

# https://dev.mysql.com/doc/refman/8.0/en/create-index.html (no partial or INCLUDE indexes)
MYSQL = Target(
    database_type=DatabaseType.MYSQL,
    sqlglot="mysql",
    default_schema=None,
    schemas=False,
    partial_indexes=False,
    include_columns=False,
    expression_indexes=True,
    index_methods=frozenset({"btree", "hash", "fulltext", "spatial"}),
    native_enums=False,
    domains=False,
    inline_enums=True,
    comments=True,
    identity=False,
    materialized_views=False,
    partitions=False,
    fk_actions_delete=ALL_ACTIONS - {"SET DEFAULT"},
    fk_actions_update=ALL_ACTIONS - {"SET DEFAULT"},
    inline_foreign_keys=False,
    transactional_ddl=False,
    bounded_keys=True,
)

MARIADB = Target(**{**MYSQL.__dict__, "database_type": DatabaseType.MARIADB})

# https://www.sqlite.org/lang_createtable.html: foreign keys only inside CREATE TABLE.
SQLITE = Target(
    database_type=DatabaseType.SQLITE,
    sqlglot="sqlite",
    default_schema=None,
    schemas=False,
    partial_indexes=True,
    include_columns=False,
    expression_indexes=True,
    index_methods=frozenset(),
    native_enums=False,
    domains=False,
    inline_enums=False,
    comments=False,
    identity=False,
    materialized_views=False,
    partitions=False,
    fk_actions_delete=ALL_ACTIONS,
    fk_actions_update=ALL_ACTIONS,
    inline_foreign_keys=True,
    transactional_ddl=True,
    schema_wide_index_names=True,
)

# https://learn.microsoft.com/sql/t-sql/statements/create-table-transact-sql (no RESTRICT)
SQLSERVER = Target(
    database_type=DatabaseType.SQLSERVER,
    sqlglot="tsql",
    default_schema="dbo",
    schemas=True,
    partial_indexes=True,
    include_columns=True,
    expression_indexes=False,
    index_methods=frozenset({"clustered", "nonclustered"}),
    native_enums=False,
    domains=False,
    inline_enums=False,
    comments=True,
    identity=True,
    materialized_views=False,
    partitions=False,
    fk_actions_delete=ALL_ACTIONS - {"RESTRICT"},
    fk_actions_update=ALL_ACTIONS - {"RESTRICT"},
    inline_foreign_keys=False,
    transactional_ddl=True,
    bounded_keys=True,
)

# https://docs.oracle.com/en/database/oracle/oracle-database/19/sqlrf/constraint.html
# (ON DELETE CASCADE or SET NULL only; no ON UPDATE clause)
ORACLE = Target(
    database_type=DatabaseType.ORACLE,
    sqlglot="oracle",
    default_schema=None,
    schemas=True,
    partial_indexes=False,
    include_columns=False,
    expression_indexes=True,
    index_methods=frozenset({"bitmap"}),
    native_enums=False,
    domains=False,
    inline_enums=False,
    comments=True,
    identity=True,
    materialized_views=True,
    partitions=False,
    fk_actions_delete=frozenset({"NO ACTION", "CASCADE", "SET NULL"}),
    fk_actions_update=frozenset({"NO ACTION"}),
    inline_foreign_keys=False,
    transactional_ddl=False,
    bounded_keys=True,
    schema_wide_index_names=True,
)

TARGETS: dict[DatabaseType, Target] = {
    target.database_type: target
    for target in (POSTGRESQL, MYSQL, MARIADB, SQLITE, SQLSERVER, ORACLE)
}


def target_for(database_type: DatabaseType | str) -> Target:
    """The target for a database type; `generic` has none and raises ValueError."""
    database = DatabaseType(database_type)
    if database not in TARGETS:
        raise ValueError(f"there is no SQL dialect for database type {database.value!r}")
    return TARGETS[database]


def sqlglot_name(database_type: DatabaseType) -> str | None:
    """The sqlglot dialect that reads text written for `database_type` (None: generic)."""
    return TOKENIZER_DIALECTS[database_type] or None


def same_family(first: DatabaseType, second: DatabaseType) -> bool:
    """Whether text written for one database is read unchanged by the other."""
    mysql_family = {DatabaseType.MYSQL, DatabaseType.MARIADB}
    return first == second or {first, second} <= mysql_family
