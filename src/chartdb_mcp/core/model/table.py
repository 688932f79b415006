"""Tables and what belongs to them: columns, keys, indexes and checks.

Within a table, keys and indexes name their columns; across tables (relationships) the
diagram refers to tables by id, so a rename never breaks a reference.
"""

from collections import Counter
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chartdb_mcp.core.model.ids import new_id
from chartdb_mcp.core.model.kinds import IdentityGeneration, TableStatus

# (schema, name) of a table; the schema is None where the database has no schemas.
TableKey = tuple[str | None, str]


class ModelBase(BaseModel):
    """Common configuration: strict field names, values validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Column(ModelBase):
    """One column of a table or view."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    type: str = Field(min_length=1, description="The type as the database spells it.")
    normalized_type: str = Field(
        default="", description="A canonical lowercase spelling used for comparisons."
    )
    nullable: bool = True
    default: str | None = Field(default=None, description="The default as an SQL expression.")
    autoincrement: bool = False
    identity: IdentityGeneration | None = None
    generated: str | None = Field(default=None, description="Expression of a computed column.")
    on_update: str | None = Field(
        default=None, description="MySQL/MariaDB ON UPDATE expression, e.g. current_timestamp()."
    )
    comment: str | None = None
    collation: str | None = None
    is_array: bool = False


class PrimaryKey(ModelBase):
    """The primary key: an ordered list of column names."""

    name: str | None = None
    columns: list[str] = Field(min_length=1)


class UniqueConstraint(ModelBase):
    """A UNIQUE constraint over ordered columns."""

    id: str = Field(default_factory=new_id)
    name: str | None = None
    columns: list[str] = Field(min_length=1)


class IndexPart(ModelBase):
    """One element of an index key: a column or an expression, and its order."""

    column: str | None = None
    expression: str | None = None
    descending: bool = False

    @model_validator(mode="after")
    def _one_of_column_or_expression(self) -> Self:
        if (self.column is None) == (self.expression is None):
            raise ValueError("an index part has exactly one of 'column' or 'expression'")
        return self

    @property
    def label(self) -> str:
        """The part as SQL would list it."""
        text = self.column if self.column is not None else f"({self.expression})"
        return f"{text} DESC" if self.descending else text


class Index(ModelBase):
    """A secondary index; unique, partial, expression and covering indexes included."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    parts: list[IndexPart] = Field(min_length=1)
    unique: bool = False
    method: str | None = Field(default=None, description="btree, hash, gin, gist, fulltext, ...")
    where: str | None = Field(default=None, description="Predicate of a partial index.")
    include: list[str] = Field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        """The labels of the key parts, in order."""
        return [part.label for part in self.parts]


class CheckConstraint(ModelBase):
    """A CHECK constraint."""

    id: str = Field(default_factory=new_id)
    name: str | None = None
    expression: str = Field(min_length=1)


class Position(ModelBase):
    """Where a table sits on the canvas (ChartDB coordinates)."""

    x: float = 0.0
    y: float = 0.0


class SyncInfo(ModelBase):
    """Where a table's status came from: the database and the time it was checked."""

    source: str = Field(description="The database, without credentials, e.g. postgresql://h/db.")
    verified_at: datetime | None = None
    drift: list[str] = Field(default_factory=list)


class Table(ModelBase):
    """A table: ordered columns, keys, indexes, checks, and its design-time metadata."""

    id: str = Field(default_factory=new_id)
    schema_name: str | None = None
    name: str = Field(min_length=1)
    columns: list[Column] = Field(default_factory=list)
    primary_key: PrimaryKey | None = None
    unique_constraints: list[UniqueConstraint] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    checks: list[CheckConstraint] = Field(default_factory=list)
    comment: str | None = None
    color: str | None = None
    position: Position | None = None
    status: TableStatus = TableStatus.PLANNED
    sync: SyncInfo | None = None
    partition_by: str | None = Field(
        default=None, description="Partitioning of a partitioned table, e.g. RANGE (created_at)."
    )
    partition_of: str | None = Field(
        default=None, description="Id of the partitioned table this table is a partition of."
    )
    partition_bound: str | None = Field(
        default=None, description="A partition's bound, e.g. FOR VALUES FROM (...) TO (...)."
    )

    @model_validator(mode="after")
    def _keys_name_existing_columns(self) -> Self:
        names = [column.name for column in self.columns]
        duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
        if duplicates:
            raise ValueError(f"table {self.name!r} repeats column names {duplicates}")
        known = set(names)
        referenced: list[str] = []
        if self.primary_key is not None:
            referenced += self.primary_key.columns
        for unique in self.unique_constraints:
            referenced += unique.columns
        for index in self.indexes:
            referenced += [part.column for part in index.parts if part.column is not None]
        missing = sorted(set(referenced) - known)
        if missing:
            raise ValueError(f"table {self.name!r} has keys on unknown columns {missing}")
        return self

    @property
    def qualified_name(self) -> str:
        """`schema.name`, or just the name when the table has no schema."""
        return f"{self.schema_name}.{self.name}" if self.schema_name else self.name

    def column(self, name: str) -> Column | None:
        """The column with this exact name, if any."""
        return next((column for column in self.columns if column.name == name), None)

    def unique_column_sets(self) -> list[set[str]]:
        """The column sets the table keeps unique: its primary key, unique constraints and
        unique indexes on plain columns without a predicate."""
        sets = [set(unique.columns) for unique in self.unique_constraints]
        sets += [
            {part.column for part in index.parts if part.column is not None}
            for index in self.indexes
            if index.unique and index.where is None and all(part.column for part in index.parts)
        ]
        if self.primary_key is not None:
            sets.append(set(self.primary_key.columns))
        return sets
