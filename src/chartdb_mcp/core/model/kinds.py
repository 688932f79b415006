"""Enumerations shared across the model."""

from enum import StrEnum


class DatabaseType(StrEnum):
    """The database family a diagram describes."""

    POSTGRESQL = "postgresql"
    MYSQL = "mysql"
    MARIADB = "mariadb"
    SQLITE = "sqlite"
    SQLSERVER = "sqlserver"
    ORACLE = "oracle"
    GENERIC = "generic"


class TableStatus(StrEnum):
    """Where a table stands against the live database it describes."""

    PLANNED = "PLANNED"
    EXISTS = "EXISTS"
    SYNCED = "SYNCED"
    DRIFT = "DRIFT"
    DEPRECATED = "DEPRECATED"


class ReferentialAction(StrEnum):
    """What a foreign key does when its referenced row is deleted or updated."""

    NO_ACTION = "NO ACTION"
    RESTRICT = "RESTRICT"
    CASCADE = "CASCADE"
    SET_NULL = "SET NULL"
    SET_DEFAULT = "SET DEFAULT"


class IdentityGeneration(StrEnum):
    """How an identity column fills itself (SQL standard GENERATED ... AS IDENTITY)."""

    ALWAYS = "ALWAYS"
    BY_DEFAULT = "BY DEFAULT"


class CustomTypeKind(StrEnum):
    """The kinds of user-defined types a diagram records."""

    ENUM = "enum"
    DOMAIN = "domain"
    COMPOSITE = "composite"


class Cardinality(StrEnum):
    """How many rows one side of a relationship may match."""

    ONE = "one"
    MANY = "many"
