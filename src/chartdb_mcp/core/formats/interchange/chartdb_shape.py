"""The shape of ChartDB's diagram JSON ("Export diagram as JSON"), as pydantic models.

The file is the diagram object itself: no wrapper, no version field, string ids, and
camelCase keys. Reading is as lenient as the app (unknown keys are ignored, optional
keys may be missing or null); writing leaves out what is null.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from chartdb_mcp.errors import InvalidDocument

Side = Literal["one", "many"]
# What the export fills in where the app needs a value the diagram does not have.
DEFAULT_TABLE_COLOR = "#8eb7ff"
DEFAULT_NOTE_COLOR = "#ffe374"
DEFAULT_AREA_COLOR = "#b0b0b0"
DEFAULT_NOTE_SIZE = (240.0, 160.0)
# The index types the app's schema accepts; any other value makes it refuse the file.
INDEX_TYPES = frozenset(
    {"btree", "hash", "gist", "gin", "spgist", "brin", "nonclustered", "clustered", "xml"}
    | {"fulltext", "spatial", "index"}
)


class Shape(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown keys are dropped."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class DataType(Shape):
    id: str
    name: str


class DbField(Shape):
    id: str
    name: str
    type: DataType
    primary_key: bool
    unique: bool
    nullable: bool
    increment: bool | None = None
    is_array: bool | None = None
    character_maximum_length: str | None = None
    precision: int | None = None
    scale: int | None = None
    default: str | None = None
    collation: str | None = None
    comments: str | None = None
    check: str | None = None
    created_at: int = 0


class Index(Shape):
    id: str
    name: str
    unique: bool
    field_ids: list[str]
    type: str | None = None
    is_primary_key: bool | None = None
    comments: str | None = None
    created_at: int = 0


class CheckConstraint(Shape):
    id: str
    expression: str
    created_at: int = 0


class Table(Shape):
    id: str
    name: str
    schema_: str | None = Field(default=None, alias="schema")
    x: float
    y: float
    fields: list[DbField]
    indexes: list[Index] = Field(default_factory=list)
    check_constraints: list[CheckConstraint] | None = None
    color: str
    is_view: bool
    is_materialized_view: bool | None = None
    created_at: int = 0
    width: float | None = None
    comments: str | None = None
    order: int | None = None
    expanded: bool | None = None
    parent_area_id: str | None = None


class Relationship(Shape):
    id: str
    name: str
    source_schema: str | None = None
    source_table_id: str
    target_schema: str | None = None
    target_table_id: str
    source_field_id: str
    target_field_id: str
    source_cardinality: Side
    target_cardinality: Side
    created_at: int = 0


class Dependency(Shape):
    id: str
    schema_: str | None = Field(default=None, alias="schema")
    table_id: str
    dependent_schema: str | None = None
    dependent_table_id: str
    created_at: int = 0


class Area(Shape):
    id: str
    name: str
    x: float
    y: float
    width: float
    height: float
    color: str
    order: int | None = None


class Note(Shape):
    id: str
    content: str
    x: float
    y: float
    width: float
    height: float
    color: str
    order: int | None = None


class CustomTypeField(Shape):
    field: str
    type: str


class CustomType(Shape):
    id: str
    schema_: str | None = Field(default=None, alias="schema")
    name: str
    kind: Literal["enum", "composite"]
    values: list[str] | None = None
    fields: list[CustomTypeField] | None = None
    order: int | None = None


DatabaseTypeName = Literal[
    "generic",
    "postgresql",
    "mysql",
    "sql_server",
    "mariadb",
    "sqlite",
    "clickhouse",
    "cockroachdb",
    "oracle",
]


class Diagram(Shape):
    id: str = ""
    name: str
    database_type: DatabaseTypeName
    database_edition: str | None = None
    tables: list[Table] | None = None
    relationships: list[Relationship] | None = None
    dependencies: list[Dependency] | None = None
    areas: list[Area] | None = None
    custom_types: list[CustomType] | None = None
    notes: list[Note] | None = None
    created_at: str | None = None
    updated_at: str | None = None


def parse_shape(document: object) -> Diagram:
    """The document as a ChartDB diagram; `InvalidDocument` names the first bad fields."""
    if not isinstance(document, dict):
        raise InvalidDocument(
            f"A ChartDB diagram file holds one JSON object; this one holds a "
            f"{type(document).__name__}."
        )
    try:
        return Diagram.model_validate(document)
    except ValidationError as error:
        raise InvalidDocument(
            f"This is not a ChartDB diagram file: {describe_errors(error)}."
        ) from None


def describe_errors(error: ValidationError, limit: int = 3) -> str:
    """The first few problems as `tables[2].fields[0].name: Field required`."""
    problems = []
    for item in error.errors(include_url=False, include_input=False)[:limit]:
        path = ""
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
        problems.append(f"{path or 'document'}: {item['msg']}")
    more = error.error_count() - limit
    return "; ".join(problems) + (f" (and {more} more)" if more > 0 else "")
