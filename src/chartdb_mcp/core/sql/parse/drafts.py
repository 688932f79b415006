"""What the statement readers collect before the diagram is built.

Tables are keyed by (schema, name) because statements refer to each other by name:
an `ALTER TABLE` adds a key to a table created earlier, a foreign key names its target,
a sequence names the column that owns it. Ids are given out only when the diagram is
assembled (see build).
"""

from collections import Counter
from dataclasses import dataclass, field

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    DatabaseType,
    Index,
    PrimaryKey,
    ReferentialAction,
    TableKey,
    UniqueConstraint,
    View,
)

# Where an unqualified name lives, per dialect, so names compare with a live import.
DEFAULT_SCHEMAS: dict[DatabaseType, str | None] = {
    DatabaseType.POSTGRESQL: "public",
    DatabaseType.SQLSERVER: "dbo",
}


@dataclass
class TableDraft:
    """One table as the script defines it so far."""

    schema: str | None
    name: str
    line: int
    columns: list[Column] = field(default_factory=list)
    primary_key: PrimaryKey | None = None
    unique_constraints: list[UniqueConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    comment: str | None = None
    partition_by: str | None = None
    partition_of: TableKey | None = None
    partition_bound: str | None = None
    inherits: list[TableKey] = field(default_factory=list)
    check_columns: dict[str, str] = field(default_factory=dict)  # check id -> its column

    @property
    def key(self) -> TableKey:
        """(schema, name)."""
        return (self.schema, self.name)

    def column(self, name: str) -> Column | None:
        """The column of this name; unquoted names match regardless of case."""
        exact = next((column for column in self.columns if column.name == name), None)
        if exact is not None:
            return exact
        folded = name.lower()
        return next((c for c in self.columns if c.name.lower() == folded), None)


@dataclass
class ForeignKeyDraft:
    """A foreign key by table names; no target columns means the target's primary key."""

    name: str | None
    source: TableKey
    source_columns: list[str]
    target: TableKey
    target_columns: list[str] | None
    on_delete: ReferentialAction
    on_update: ReferentialAction
    line: int


@dataclass
class Problem:
    """A statement that could not be read: where it starts, what it says, why."""

    line: int
    excerpt: str
    reason: str


@dataclass
class ScriptState:
    """Everything read so far from one script."""

    database: DatabaseType
    schema: str | None
    tables: dict[TableKey, TableDraft] = field(default_factory=dict)
    foreign_keys: list[ForeignKeyDraft] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    custom_types: list[CustomType] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)
    cloned_indexes: set[str] = field(default_factory=set)
    used: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    folded: dict[TableKey, TableKey] = field(default_factory=dict)  # see find_table

    def add_table(self, table: TableDraft) -> None:
        """Record a table the script creates."""
        self.tables[table.key] = table
        self.folded.setdefault(folded_key(table.key), table.key)

    def drop_table(self, key: TableKey) -> None:
        """Forget a table the script drops again."""
        del self.tables[key]
        self.folded = {}
        for table_key in reversed(self.tables):  # the first of equal folded names wins
            self.folded[folded_key(table_key)] = table_key

    def key_of(self, schema: str | None, name: str) -> TableKey:
        """The key of a table named in the script; unqualified means the current schema.

        SQLite's `main` is the database file itself, which a live import leaves unnamed.
        """
        if self.database == DatabaseType.SQLITE and (schema or "").lower() == "main":
            schema = None
        return (schema if schema is not None else self.schema, name)

    def find_table(self, key: TableKey) -> TableDraft | None:
        """The table with this key, or with the same name when only the case differs."""
        found = self.tables.get(key)
        if found is not None:
            return found
        # A dictionary by folded name keeps a script of many thousand tables linear.
        actual = self.folded.get(folded_key(key))
        return self.tables.get(actual) if actual is not None else None

    def warn(self, sentence: str) -> None:
        """Record a warning once."""
        if sentence not in self.warnings:
            self.warnings.append(sentence)


def folded_key(key: TableKey) -> TableKey:
    """The key with schema and name in lower case, for matching names case-blind."""
    return ((key[0] or "").lower(), key[1].lower())


# https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
POSTGRES_NAME_LIMIT = 63


def postgres_name(first: str, second: str | None, label: str) -> str:
    """The name PostgreSQL makes for an object it names itself: `first_second_label`,
    the longer of the two names shortened a character at a time to fit 63 bytes (as
    makeObjectName in its source does; names are taken as single-byte)."""
    overhead = len(label) + 1 + (1 if second else 0)
    available = POSTGRES_NAME_LIMIT - overhead
    first_chars, second_chars = len(first), len(second or "")
    while first_chars + second_chars > available:
        if first_chars > second_chars:
            first_chars -= 1
        else:
            second_chars -= 1
    parts = [first[:first_chars]] + ([second[:second_chars]] if second else []) + [label]
    return "_".join(parts)
