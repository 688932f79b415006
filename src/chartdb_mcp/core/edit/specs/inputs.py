"""The friendly specs an assistant fills in instead of writing change ops.

These models are the JSON input schemas of the create-table, modify-table and
add-relationship tools, so every description is short: the model reads them on every turn.
"""

from pydantic import BaseModel, ConfigDict, Field

from chartdb_mcp.core.model import ReferentialAction, TableStatus

Columns = list[str]


class SpecBase(BaseModel):
    """Common configuration: unknown fields are refused; an aliased field takes either name."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ColumnSpec(SpecBase):
    """A column to create."""

    name: str = Field(min_length=1)
    type: str = Field(min_length=1, description="SQL type, e.g. text, varchar(80), bigint.")
    nullable: bool = True
    primary_key: bool = Field(default=False, description="Part of the primary key (NOT NULL).")
    unique: bool = False
    default: str | None = Field(default=None, description="SQL expression, e.g. now().")
    autoincrement: bool = False
    comment: str | None = None
    references: str | None = Field(
        default=None, description="Foreign key target: table.column or schema.table.column."
    )


class IndexSpec(SpecBase):
    """An index to create."""

    columns: Columns = Field(min_length=1)
    unique: bool = False
    name: str | None = Field(default=None, description="Generated when omitted.")
    method: str | None = Field(default=None, description="btree, hash, gin, gist, ...")


class TableSpec(SpecBase):
    """A new table with its columns, keys and indexes."""

    name: str = Field(min_length=1)
    schema_name: str | None = Field(
        default=None,
        alias="schema",
        description="Omitted: the one schema the diagram's tables share, if any.",
    )
    columns: list[ColumnSpec] = Field(min_length=1)
    primary_key: Columns | None = Field(
        default=None, description="Composite key; or flag columns with primary_key."
    )
    unique: list[Columns] = Field(default_factory=list, description="UNIQUE column sets.")
    indexes: list[IndexSpec] = Field(default_factory=list)
    comment: str | None = None
    status: TableStatus = TableStatus.PLANNED


class ColumnRename(SpecBase):
    """A column's new name."""

    column: str = Field(min_length=1)
    new_name: str = Field(min_length=1)


class ColumnChange(SpecBase):
    """New properties of an existing column; omitted fields stay as they are."""

    column: str = Field(min_length=1)
    type: str | None = Field(default=None, min_length=1)
    nullable: bool | None = None
    default: str | None = None
    drop_default: bool = False
    comment: str | None = None
    drop_comment: bool = False


class CheckSpec(SpecBase):
    """A CHECK constraint to create."""

    expression: str = Field(min_length=1, description="SQL, e.g. price >= 0.")
    name: str | None = Field(default=None, description="Generated when omitted.")


class TableChangesSpec(SpecBase):
    """Changes to one table; only the fields given change.

    Keys and indexes name columns as they are after the change (renamed, added).
    """

    table: str = Field(min_length=1, description="name or schema.name")
    rename_to: str | None = Field(default=None, min_length=1)
    add_columns: list[ColumnSpec] = Field(default_factory=list)
    drop_columns: list[str] = Field(default_factory=list)
    rename_columns: list[ColumnRename] = Field(default_factory=list)
    alter_columns: list[ColumnChange] = Field(default_factory=list)
    primary_key: Columns | None = Field(default=None, description="New key; [] drops it.")
    add_unique: list[Columns] = Field(default_factory=list, description="UNIQUE column sets.")
    drop_unique: list[str] = Field(default_factory=list, description="Constraint names.")
    add_indexes: list[IndexSpec] = Field(default_factory=list)
    drop_indexes: list[str] = Field(default_factory=list, description="Index names.")
    add_checks: list[CheckSpec] = Field(default_factory=list)
    drop_checks: list[str] = Field(default_factory=list, description="Check names.")
    comment: str | None = None
    drop_comment: bool = False
    status: TableStatus | None = None
    color: str | None = Field(default=None, description="e.g. #4dee8a")


class RelationshipSpec(SpecBase):
    """A foreign key from source (child) columns to target (parent) columns."""

    source_table: str = Field(min_length=1)
    source_columns: Columns = Field(min_length=1)
    target_table: str = Field(min_length=1)
    target_columns: Columns | None = Field(
        default=None, min_length=1, description="Omitted: the target's primary key."
    )
    on_delete: ReferentialAction = ReferentialAction.NO_ACTION
    on_update: ReferentialAction = ReferentialAction.NO_ACTION
    name: str | None = Field(default=None, description="Generated when omitted.")
