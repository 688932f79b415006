"""Read DBML into a diagram with fresh ids, parsed by pydbml.

The database type comes from the project's `database_type` setting, else from the
caller, else generic. pydbml puts unqualified tables and enums in the schema `public`;
outside PostgreSQL that schema is dropped again. A reference's `>` side, or its first
side for `-`, is the child. Many-to-many references and table groups have no place in
the model and are reported, not imported.
"""

from typing import Any

import pyparsing
from pydantic import ValidationError
from pydbml import PyDBML
from pydbml import exceptions as dbml_errors
from pydbml.classes import Enum, Expression

from chartdb_mcp.core.formats.interchange.chartdb_shape import describe_errors
from chartdb_mcp.core.formats.interchange.common import Imported
from chartdb_mcp.core.model import (
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    Note,
    PrimaryKey,
    ReferentialAction,
    Relationship,
    Table,
    UniqueConstraint,
)
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.errors import InvalidDocument

DEFAULT_SCHEMA = "public"
DATABASE_TYPES = {
    "postgresql": DatabaseType.POSTGRESQL,
    "postgres": DatabaseType.POSTGRESQL,
    "mysql": DatabaseType.MYSQL,
    "mariadb": DatabaseType.MARIADB,
    "sqlite": DatabaseType.SQLITE,
    "sql server": DatabaseType.SQLSERVER,
    "sqlserver": DatabaseType.SQLSERVER,
    "mssql": DatabaseType.SQLSERVER,
    "oracle": DatabaseType.ORACLE,
    "generic": DatabaseType.GENERIC,
}
PYDBML_ERRORS = (
    dbml_errors.TableNotFoundError,
    dbml_errors.ColumnNotFoundError,
    dbml_errors.IndexNotFoundError,
    dbml_errors.AttributeMissingError,
    dbml_errors.DuplicateReferenceError,
    dbml_errors.DBMLError,
    dbml_errors.DatabaseValidationError,
    dbml_errors.ValidationError,
)


def parse_dbml(text: str) -> Any:
    """pydbml's database for the text; `InvalidDocument` gives the line of a syntax error."""
    try:
        return PyDBML(text)
    except pyparsing.ParseBaseException as error:
        raise InvalidDocument(
            f"DBML syntax error at line {error.lineno}, column {error.col}: {error.msg} "
            f"(the line reads {error.line.strip()[:120]!r})."
        ) from None
    # pydbml refuses a table without columns with Python's own SyntaxError.
    except (*PYDBML_ERRORS, SyntaxError) as error:
        raise InvalidDocument(f"The DBML cannot be used: {str(error).rstrip('!.')}.") from None


def import_dbml(
    text: str, name: str | None = None, database_type: DatabaseType | None = None
) -> Imported:
    """The diagram the DBML describes, named `name`, the project's name or 'DBML diagram'."""
    parsed = parse_dbml(text)
    warnings: list[str] = []
    project = parsed.project
    declared = str((project.items or {}).get("database_type", "")) if project else ""
    found_type = DATABASE_TYPES.get(declared.strip().lower())
    if declared and found_type is None:
        warnings.append(f"The project's database_type {declared!r} is unknown; read as generic.")
    reader = Reader(found_type or database_type or DatabaseType.GENERIC)
    if parsed.table_groups:
        warnings.append(
            f"{len(parsed.table_groups)} table groups were not imported: the diagram has no "
            "grouping of tables other than canvas areas."
        )
    project_name = project.name if project is not None else ""
    note = project.note.text if project is not None and project.note.text else None
    try:
        tables = [reader.table(item) for item in parsed.tables]
        relationships = reader.relationships(parsed.refs, warnings)
        diagram = Diagram(
            name=(name or "").strip() or project_name.strip() or "DBML diagram",
            database_type=reader.database_type,
            description=note,
            schemas=sorted({t.schema_name for t in tables if t.schema_name}),
            tables=tables,
            relationships=relationships,
            custom_types=[reader.enum(item) for item in parsed.enums],
            notes=[Note(content=item.text) for item in parsed.sticky_notes],
        )
    except ValidationError as error:
        raise InvalidDocument(
            f"The DBML does not make a valid diagram: {describe_errors(error)}."
        ) from None
    return Imported(diagram, warnings)


class Reader:
    """Turns pydbml's objects into ours, remembering which pydbml table is which."""

    def __init__(self, database_type: DatabaseType) -> None:
        self.database_type = database_type
        self.tables: dict[int, Table] = {}  # id() of the pydbml table -> our table

    def schema(self, schema: str | None) -> str | None:
        if schema == DEFAULT_SCHEMA and self.database_type != DatabaseType.POSTGRESQL:
            return None
        return schema or None

    def type_text(self, type_: str | Enum) -> str:
        if isinstance(type_, Enum):
            return type_.name if type_.schema == DEFAULT_SCHEMA else f"{type_.schema}.{type_.name}"
        return str(type_)

    def column(self, item: Any) -> Column:
        type_text = self.type_text(item.type)
        return Column(
            name=item.name,
            type=type_text,
            normalized_type=normalize_type(type_text, self.database_type),
            nullable=not (item.not_null or item.pk),
            default=sql_default(item.default),
            autoincrement=bool(item.autoinc),
            comment=item.note.text or None,
            is_array=type_text.endswith("]"),
        )

    def table(self, item: Any) -> Table:
        key_columns = [column.name for column in item.columns if column.pk]
        key_name = None
        indexes: list[Index] = []
        for number, index in enumerate(item.indexes, start=1):
            if index.pk:
                key_columns = [subject.name for subject in index.subjects]
                key_name = index.name
                continue
            parts = [
                IndexPart(expression=subject.text)
                if isinstance(subject, Expression)
                else IndexPart(column=subject.name)
                for subject in index.subjects
            ]
            indexes.append(
                Index(
                    name=index.name or f"{item.name}_idx{number}",
                    parts=parts,
                    unique=bool(index.unique),
                    method=index.type,
                )
            )
        # A key column cannot hold NULL, whether the key is inline or in the index block.
        columns = [
            self.column(column).model_copy(update={"nullable": False})
            if column.name in key_columns
            else self.column(column)
            for column in item.columns
        ]
        table = Table(
            schema_name=self.schema(item.schema),
            name=item.name,
            columns=columns,
            primary_key=PrimaryKey(name=key_name, columns=key_columns) if key_columns else None,
            unique_constraints=[
                UniqueConstraint(columns=[column.name]) for column in item.columns if column.unique
            ],
            indexes=indexes,
            comment=item.note.text or None,
            color=item.header_color,
        )
        self.tables[id(item)] = table
        return table

    def relationships(self, refs: list[Any], warnings: list[str]) -> list[Relationship]:
        found = []
        many_to_many = 0
        for ref in refs:
            if ref.type == "<>":
                many_to_many += 1
                continue
            child, parent = (ref.col2, ref.col1) if ref.type == "<" else (ref.col1, ref.col2)
            if len(child) != len(parent):
                raise InvalidDocument(
                    f"Reference {side(ref.col1)} {ref.type} {side(ref.col2)} pairs "
                    f"{len(ref.col1)} columns with {len(ref.col2)}."
                )
            found.append(
                Relationship(
                    name=ref.name or None,
                    source_table_id=self.tables[id(child[0].table)].id,
                    source_columns=[column.name for column in child],
                    target_table_id=self.tables[id(parent[0].table)].id,
                    target_columns=[column.name for column in parent],
                    on_delete=action(ref.on_delete),
                    on_update=action(ref.on_update),
                )
            )
        if many_to_many:
            warnings.append(
                f"{many_to_many} many-to-many references were not imported: a foreign key "
                "runs from a child to a parent; model the link table instead."
            )
        return found

    def enum(self, item: Any) -> CustomType:
        return CustomType(
            schema_name=self.schema(item.schema),
            name=item.name,
            kind=CustomTypeKind.ENUM,
            values=[value.name for value in item.items],
        )


def side(columns: list[Any]) -> str:
    """One side of a reference as DBML writes it: table.(a, b)."""
    return f"{columns[0].table.name}.({', '.join(column.name for column in columns)})"


def sql_default(default: object) -> str | None:
    """A DBML default as an SQL expression: strings quoted, expressions as written."""
    # pydbml reads a bare `null` as the text 'NULL' (a quoted 'NULL' too, far rarer).
    if default is None or default == "NULL":
        return None
    if isinstance(default, Expression):
        return str(default.text)
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, str):
        return "'" + default.replace("'", "''") + "'"
    return str(default)


def action(text: str | None) -> ReferentialAction:
    if not text:
        return ReferentialAction.NO_ACTION
    try:
        return ReferentialAction(text.strip().upper())
    except ValueError:
        raise InvalidDocument(f"The DBML reference action {text!r} is unknown.") from None
