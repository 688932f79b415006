"""Read ChartDB's diagram JSON into a diagram with fresh ids.

The inverse of `chartdb_export`: fields become columns (type and sizes joined again),
the flagged primary-key index gives the key its order and name, a unique field without
a matching unique index becomes a unique constraint, tables flagged as views become
views, and relationships that share a name between the same two tables are regrouped
into one composite foreign key, child table first.
"""

import json
from collections.abc import Hashable, Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from chartdb_mcp.core.formats.interchange import chartdb_shape as shape
from chartdb_mcp.core.formats.interchange.chartdb_shape import describe_errors
from chartdb_mcp.core.formats.interchange.common import Imported, TypeParts, join_type
from chartdb_mcp.core.model import (
    Area,
    CheckConstraint,
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Index,
    IndexPart,
    Note,
    Position,
    PrimaryKey,
    Relationship,
    Table,
    UniqueConstraint,
    View,
)
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.errors import InvalidDocument

# ChartDB's database types that have no counterpart of their own here.
DATABASE_TYPES: dict[str, tuple[DatabaseType, str | None]] = {
    "sql_server": (DatabaseType.SQLSERVER, None),
    "cockroachdb": (DatabaseType.POSTGRESQL, "CockroachDB is read as PostgreSQL."),
    "clickhouse": (DatabaseType.GENERIC, "ClickHouse is read as a generic database."),
}


@contextmanager
def located(path: str, name: str) -> Iterator[None]:
    """Name the place in the file, and the element's name, of a value the model refuses."""
    try:
        yield
    except ValidationError as error:
        raise InvalidDocument(
            f"The ChartDB diagram does not make a valid diagram at {path} ({name!r}): "
            f"{describe_errors(error)}."
        ) from None


def load_json(text: str, what: str) -> object:
    """The parsed document; `InvalidDocument` says where the JSON breaks."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidDocument(
            f"The {what} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None


def import_chartdb_json(text: str, name: str | None = None) -> Imported:
    """The diagram a ChartDB JSON file describes, under `name` or the file's own name."""
    document = shape.parse_shape(load_json(text, "ChartDB diagram file"))
    warnings: list[str] = []
    database_type, note = DATABASE_TYPES.get(document.database_type) or (
        DatabaseType(document.database_type),
        None,
    )
    if note:
        warnings.append(note)
    reader = Reader(database_type, warnings)
    charted = document.tables or []
    if document.dependencies:
        warnings.append(
            f"{len(document.dependencies)} view dependencies were not imported: the diagram "
            "keeps views without links to their tables."
        )
    try:
        tables = [reader.table(item, n) for n, item in enumerate(charted) if not item.is_view]
        views = [reader.view(item, n) for n, item in enumerate(charted) if item.is_view]
        relationships = reader.relationships(document.relationships or [], warnings)
        diagram = Diagram(
            name=(name or "").strip() or document.name.strip() or "ChartDB diagram",
            database_type=database_type,
            schemas=sorted({t.schema_name for t in tables if t.schema_name}),
            tables=tables,
            relationships=relationships,
            views=views,
            custom_types=[custom_type_of(item) for item in document.custom_types or []],
            notes=[note_of(item) for item in document.notes or []],
            areas=[area_of(item) for item in document.areas or []],
        )
    except ValidationError as error:
        raise InvalidDocument(
            f"The ChartDB diagram does not make a valid diagram: {describe_errors(error)}."
        ) from None
    if reader.stale:
        shown = "; ".join(reader.stale[:5]) + ("; ..." if len(reader.stale) > 5 else "")
        warnings.append(
            f"{len(reader.stale)} index fields refer to fields their table does not have and "
            f"were left out: {shown}."
        )
    return Imported(diagram, warnings)


class Reader:
    """Turns ChartDB tables into ours, remembering which field id is which column."""

    def __init__(self, database_type: DatabaseType, warnings: list[str]) -> None:
        self.database_type = database_type
        self.warnings = warnings
        self.stale: list[str] = []  # index fields whose field is gone
        self.fields: dict[str, tuple[str, str]] = {}  # field id -> (table id, column name)
        self.tables: dict[str, Table] = {}  # ChartDB table id -> our table
        self.view_ids: set[str] = set()

    def columns(self, table: shape.Table, number: int) -> list[Column]:
        found = []
        for place, item in enumerate(table.fields):
            with located(f"tables[{number}].fields[{place}]", item.name):
                found.append(self.column(table, item))
        return found

    def column(self, table: shape.Table, item: shape.DbField) -> Column:
        self.fields[item.id] = (table.id, item.name)
        parts = TypeParts(
            item.type.name,
            bool(item.is_array),
            item.character_maximum_length,
            item.precision,
            item.scale,
        )
        type_text = join_type(parts)
        return Column(
            name=item.name,
            type=type_text,
            normalized_type=normalize_type(type_text, self.database_type),
            nullable=item.nullable,
            default=item.default,
            autoincrement=bool(item.increment),
            comment=item.comments,
            collation=item.collation,
            is_array=bool(item.is_array),
        )

    def columns_of(self, table: shape.Table, field_ids: list[str], owner: str) -> list[str]:
        """Column names for field ids of `table`.

        The app leaves an index behind when its field is deleted, so an unknown id is
        skipped with a warning naming `owner` rather than refused.
        """
        names = []
        for field_id in field_ids:
            found = self.fields.get(field_id)
            if found is None or found[0] != table.id:
                self.stale.append(f"{owner} of table {table.name!r} (field id {field_id!r})")
                continue
            names.append(found[1])
        return names

    def table(self, item: shape.Table, number: int) -> Table:
        columns = self.columns(item, number)
        key_index = next((i for i in item.indexes if i.is_primary_key), None)
        flagged = [field.name for field in item.fields if field.primary_key]
        primary_key = None
        key_columns: list[str] = []
        if key_index is not None:
            owner = f"Primary key index {key_index.name!r}"
            key_columns = self.columns_of(item, key_index.field_ids, owner)
        if key_columns and key_index is not None:
            primary_key = PrimaryKey(name=key_index.name or None, columns=key_columns)
        elif flagged:
            primary_key = PrimaryKey(columns=flagged)
        indexes = self.indexes(item)
        # A unique flag says nothing new on a field that is the whole primary key (the app
        # sets it there) or that a unique index of its own already covers.
        implied = {tuple(i.columns) for i in indexes if i.unique}
        if primary_key is not None and len(primary_key.columns) == 1:
            implied.add((primary_key.columns[0],))
        uniques = [
            UniqueConstraint(columns=[field.name])
            for field in item.fields
            if field.unique and (field.name,) not in implied
        ]
        checks = [CheckConstraint(expression=c.expression) for c in item.check_constraints or []]
        checks += [CheckConstraint(expression=f.check) for f in item.fields if f.check]
        with located(f"tables[{number}]", item.name):
            table = Table(
                schema_name=item.schema_ or None,
                name=item.name,
                columns=columns,
                primary_key=primary_key,
                unique_constraints=uniques,
                indexes=indexes,
                checks=checks,
                comment=item.comments,
                color=item.color,
                position=Position(x=item.x, y=item.y),
            )
        self.tables[item.id] = table
        return table

    def indexes(self, item: shape.Table) -> list[Index]:
        """The table's indexes other than the primary key's; one left without fields goes."""
        found: list[Index] = []
        for index in item.indexes:
            if index.is_primary_key:
                continue
            columns = self.columns_of(item, index.field_ids, f"Index {index.name!r}")
            if columns:
                found.append(
                    Index(
                        name=index.name or f"{item.name}_idx{len(found) + 1}",
                        parts=[IndexPart(column=column) for column in columns],
                        unique=index.unique,
                        method=index.type,
                    )
                )
        return found

    def view(self, item: shape.Table, number: int) -> View:
        self.view_ids.add(item.id)
        columns = self.columns(item, number)
        indexes = self.indexes(item)
        with located(f"tables[{number}]", item.name):
            return View(
                schema_name=item.schema_ or None,
                name=item.name,
                materialized=bool(item.is_materialized_view),
                columns=columns,
                comment=item.comments,
                indexes=indexes if item.is_materialized_view else [],
            )

    def relationships(
        self, items: list[shape.Relationship], warnings: list[str]
    ) -> list[Relationship]:
        """Column pairs regrouped into foreign keys from the child: ChartDB's target, or its
        source when that is the many side of a many-to-one link."""
        groups: dict[Hashable, list[shape.Relationship]] = {}
        on_views = many_to_many = 0
        for item in map(parent_first, items):
            for table_id in (item.source_table_id, item.target_table_id):
                if table_id not in self.tables and table_id not in self.view_ids:
                    raise InvalidDocument(
                        f"Relationship {item.name!r} refers to unknown table id {table_id!r}."
                    )
            if item.source_table_id in self.view_ids or item.target_table_id in self.view_ids:
                on_views += 1
                continue
            if item.source_cardinality == item.target_cardinality == "many":
                many_to_many += 1
                continue
            key = (item.name, item.source_table_id, item.target_table_id) if item.name else item.id
            groups.setdefault(key, []).append(item)
        if on_views:
            warnings.append(
                f"{on_views} relationships touching views were not imported: the diagram "
                "relates tables only."
            )
        if many_to_many:
            warnings.append(
                f"{many_to_many} many-to-many relationships were not imported: a foreign key "
                "runs from a child to a parent; model the link table instead."
            )
        found = []
        for pairs in groups.values():
            # A column twice on either side is no composite key: links the user happened
            # to give one name, kept apart, the name kept by the first (constraint names
            # are unique per table).
            parents = [p.source_field_id for p in pairs]
            children = [p.target_field_id for p in pairs]
            if len(set(parents)) < len(parents) or len(set(children)) < len(children):
                apart = [self.relationship([pair]) for pair in pairs]
                found += apart[:1] + [r.model_copy(update={"name": None}) for r in apart[1:]]
            else:
                found.append(self.relationship(pairs))
        return found

    def relationship(self, pairs: list[shape.Relationship]) -> Relationship:
        first = pairs[0]
        child, parent = self.tables[first.target_table_id], self.tables[first.source_table_id]
        owner = f"Relationship {first.name!r}"
        return Relationship(
            name=first.name or None,
            source_table_id=child.id,
            source_columns=[self.field_name(p.target_field_id, first.target_table_id, owner)
                            for p in pairs],
            target_table_id=parent.id,
            target_columns=[self.field_name(p.source_field_id, first.source_table_id, owner)
                            for p in pairs],
        )  # fmt: skip

    def field_name(self, field_id: str, table_id: str, owner: str) -> str:
        found = self.fields.get(field_id)
        if found is None or found[0] != table_id:
            raise InvalidDocument(
                f"{owner} refers to field id {field_id!r}, which its table "
                f"{self.tables[table_id].name!r} does not have."
            )
        return found[1]


def parent_first(item: shape.Relationship) -> shape.Relationship:
    """The relationship running from the referenced table, as the app reads it.

    A link drawn from the many side to the one side has the child as its source; the
    app's own SQL export then puts the foreign key on the source, so the sides swap.
    """
    if (item.source_cardinality, item.target_cardinality) != ("many", "one"):
        return item
    return item.model_copy(
        update={
            "source_schema": item.target_schema,
            "source_table_id": item.target_table_id,
            "source_field_id": item.target_field_id,
            "source_cardinality": "one",
            "target_schema": item.source_schema,
            "target_table_id": item.source_table_id,
            "target_field_id": item.source_field_id,
            "target_cardinality": "many",
        }
    )


def custom_type_of(item: shape.CustomType) -> CustomType:
    if item.kind == "enum":
        return CustomType(
            schema_name=item.schema_ or None,
            name=item.name,
            kind=CustomTypeKind.ENUM,
            values=item.values or [],
        )
    return CustomType(
        schema_name=item.schema_ or None,
        name=item.name,
        kind=CustomTypeKind.COMPOSITE,
        fields=[Column(name=f.field, type=f.type) for f in item.fields or []],
    )


def note_of(item: shape.Note) -> Note:
    return Note(
        content=item.content,
        position=Position(x=item.x, y=item.y),
        width=item.width,
        height=item.height,
        color=item.color,
    )


def area_of(item: shape.Area) -> Area:
    return Area(
        name=item.name,
        position=Position(x=item.x, y=item.y),
        width=item.width,
        height=item.height,
        color=item.color,
    )
