"""The diagram: tables plus the relationships, views and types between them."""

import unicodedata
from collections import Counter
from datetime import UTC, datetime
from typing import Self

from pydantic import Field, field_validator, model_validator

from chartdb_mcp.core.model.ids import new_id
from chartdb_mcp.core.model.kinds import (
    Cardinality,
    CustomTypeKind,
    DatabaseType,
    ReferentialAction,
)
from chartdb_mcp.core.model.table import Column, Index, ModelBase, Position, Table

# Unicode categories of control, format (e.g. bidi overrides) and line/paragraph separators.
UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp"}


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Relationship(ModelBase):
    """A foreign key: ordered column pairs from the source (child) to the target (parent).

    A composite key is one relationship with several pairs, never several relationships.
    """

    id: str = Field(default_factory=new_id)
    name: str | None = None
    source_table_id: str
    source_columns: list[str] = Field(min_length=1)
    target_table_id: str
    target_columns: list[str] = Field(min_length=1)
    on_delete: ReferentialAction = ReferentialAction.NO_ACTION
    on_update: ReferentialAction = ReferentialAction.NO_ACTION

    @model_validator(mode="after")
    def _pairs_line_up(self) -> Self:
        if len(self.source_columns) != len(self.target_columns):
            raise ValueError(
                f"relationship {self.name or self.id!r} pairs {len(self.source_columns)} "
                f"source columns with {len(self.target_columns)} target columns"
            )
        return self


class View(ModelBase):
    """A view or materialized view with its output columns and definition."""

    id: str = Field(default_factory=new_id)
    schema_name: str | None = None
    name: str = Field(min_length=1)
    definition: str | None = None
    materialized: bool = False
    columns: list[Column] = Field(default_factory=list)
    comment: str | None = None
    indexes: list[Index] = Field(
        default_factory=list, description="Indexes of a materialized view."
    )

    @property
    def qualified_name(self) -> str:
        """`schema.name`, or just the name when the view has no schema."""
        return f"{self.schema_name}.{self.name}" if self.schema_name else self.name


class CustomType(ModelBase):
    """A user-defined type: an enum's labels, a domain's base type, or composite fields."""

    id: str = Field(default_factory=new_id)
    schema_name: str | None = None
    name: str = Field(min_length=1)
    kind: CustomTypeKind
    values: list[str] = Field(default_factory=list, description="Enum labels, in order.")
    base_type: str | None = Field(default=None, description="A domain's underlying type.")
    nullable: bool = True
    default: str | None = None
    checks: list[str] = Field(default_factory=list)
    fields: list[Column] = Field(default_factory=list, description="A composite's fields.")

    @property
    def qualified_name(self) -> str:
        """`schema.name`, or just the name when the type has no schema."""
        return f"{self.schema_name}.{self.name}" if self.schema_name else self.name


class Note(ModelBase):
    """A free-text note placed on the canvas."""

    id: str = Field(default_factory=new_id)
    content: str
    position: Position = Field(default_factory=Position)
    width: float | None = None
    height: float | None = None
    color: str | None = None


class Area(ModelBase):
    """A named rectangle grouping tables on the canvas."""

    id: str = Field(default_factory=new_id)
    name: str
    position: Position = Field(default_factory=Position)
    width: float = 0.0
    height: float = 0.0
    color: str | None = None


class ImportSource(ModelBase):
    """The live database a diagram was last imported from (never with credentials)."""

    url: str = Field(description="The connection address with any password removed.")
    dialect: str
    server_version: str | None = None
    imported_at: datetime = Field(default_factory=utc_now)


class Diagram(ModelBase):
    """An ER diagram: the unit the store versions and the tools read and edit."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1, max_length=200)
    database_type: DatabaseType = DatabaseType.GENERIC
    schemas: list[str] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    views: list[View] = Field(default_factory=list)
    custom_types: list[CustomType] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    description: str | None = Field(default=None, max_length=10_000)
    source: ImportSource | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    @field_validator("name")
    @classmethod
    def _printable_name(cls, name: str) -> str:
        if any(unicodedata.category(char) in UNPRINTABLE for char in name):
            raise ValueError(
                f"the diagram name {name!r} contains control or formatting characters; "
                "use printable text"
            )
        return name

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        tables = {table.id: table for table in self.tables}
        if len(tables) != len(self.tables):
            raise ValueError(f"diagram {self.name!r} repeats a table id")
        counts = Counter((table.schema_name, table.name) for table in self.tables)
        repeated = {name for name, count in counts.items() if count > 1}
        if repeated:
            shown = sorted(".".join(filter(None, name)) for name in repeated)
            raise ValueError(f"diagram {self.name!r} repeats table names {shown}")
        for table in self.tables:
            if table.partition_of is not None and table.partition_of not in tables:
                raise ValueError(
                    f"table {table.name!r} is a partition of unknown table id "
                    f"{table.partition_of!r}"
                )
        for relationship in self.relationships:
            for table_id, columns in (
                (relationship.source_table_id, relationship.source_columns),
                (relationship.target_table_id, relationship.target_columns),
            ):
                end = tables.get(table_id)
                if end is None:
                    raise ValueError(
                        f"relationship {relationship.name or relationship.id!r} "
                        f"refers to unknown table id {table_id!r}"
                    )
                missing = [name for name in columns if end.column(name) is None]
                if missing:
                    raise ValueError(
                        f"relationship {relationship.name or relationship.id!r} refers to "
                        f"columns {missing} that table {end.name!r} does not have"
                    )
        return self

    def table_by_id(self, table_id: str) -> Table | None:
        """The table with this id, if any."""
        return next((table for table in self.tables if table.id == table_id), None)

    def find_table(self, name: str) -> Table | None:
        """The table called `name` or `schema.name`; a bare name must be unambiguous."""
        if "." in name:
            schema_name, _, bare = name.rpartition(".")
            matches = [t for t in self.tables if t.name == bare and t.schema_name == schema_name]
            if matches:
                return matches[0]
        matches = [table for table in self.tables if table.name == name]
        return matches[0] if len(matches) == 1 else None

    def relationships_of(self, table_id: str) -> list[Relationship]:
        """Every relationship in which the table is the source or the target."""
        return [
            relationship
            for relationship in self.relationships
            if table_id in (relationship.source_table_id, relationship.target_table_id)
        ]

    def cardinality(self, relationship: Relationship) -> tuple[Cardinality, Cardinality]:
        """(source side, target side): the source is 'one' when its columns are unique."""
        source = self.table_by_id(relationship.source_table_id)
        unique_sets = source.unique_column_sets() if source is not None else []
        source_side = (
            Cardinality.ONE if set(relationship.source_columns) in unique_sets else Cardinality.MANY
        )
        return source_side, Cardinality.ONE
