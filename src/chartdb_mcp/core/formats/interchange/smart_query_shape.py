"""The shape of the JSON ChartDB's "smart query" prints, as pydantic models.

One document with a list of catalog rows per key, most of them one row per column.
Reading is as lenient as the app: unknown keys are ignored, optional keys may be
missing or null, and flags may be booleans or 0/1.
"""

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ColumnRow(Row):
    schema_: str = Field(alias="schema")
    table: str
    name: str
    type: str
    ordinal_position: int
    nullable: bool | int
    character_maximum_length: str | int | None = None
    precision: dict[str, int | None] | None = None
    default: str | None = None
    collation: str | None = None
    comment: str | None = None
    is_identity: bool | None = None
    is_array: bool | None = None


class KeyRow(Row):
    schema_: str = Field(alias="schema")
    table: str
    column: str
    pk_def: str = ""


class ForeignKeyRow(Row):
    schema_: str = Field(alias="schema")
    table: str
    column: str
    foreign_key_name: str
    reference_schema: str | None = None
    reference_table: str
    reference_column: str
    fk_def: str = ""


class IndexRow(Row):
    schema_: str = Field(alias="schema")
    table: str
    name: str
    column: str
    index_type: str = ""
    unique: bool | int
    direction: str = "asc"
    column_position: int


class TableRow(Row):
    schema_: str = Field(alias="schema")
    table: str
    type: str | None = None
    comment: str | None = None


class ViewRow(Row):
    schema_: str = Field(alias="schema")
    view_name: str
    view_definition: str | None = None


class CheckRow(Row):
    schema_: str = Field(alias="schema")
    table: str
    expression: str


class CustomTypeRow(Row):
    schema_: str = Field(alias="schema")
    type: str
    kind: str
    values: list[str] | None = None
    fields: list[dict[str, str]] | None = None


class Metadata(Row):
    fk_info: list[ForeignKeyRow]
    pk_info: list[KeyRow]
    columns: list[ColumnRow]
    indexes: list[IndexRow]
    tables: list[TableRow]
    views: list[ViewRow]
    check_constraints: list[CheckRow] | None = None
    custom_types: list[CustomTypeRow] | None = None
    database_name: str
    version: str
