"""The whole CREATE script of a diagram for one target, in an order that loads cleanly.

1. schemas; 2. PostgreSQL sequences behind `nextval` defaults, enums and domains;
3. tables (partitions after their parent); 4. indexes; 5. comments the dialect does not
write inline; 6. foreign keys (inline on SQLite, ALTER TABLE elsewhere, so that table
order and cycles never matter); 7. views, each after the views it names.
"""

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateSchema,
    CreateSequence,
    CreateTable,
    CreateView,
    SetColumnComment,
    SetTableComment,
)
from sqlalchemy.sql.elements import ClauseElement

from chartdb_mcp.core.model import (
    Column,
    CustomType,
    CustomTypeKind,
    DatabaseType,
    Diagram,
    Table,
    View,
)
from chartdb_mcp.core.sql.ddl.columns import ColumnBuilder
from chartdb_mcp.core.sql.ddl.elements import CreatePartition
from chartdb_mcp.core.sql.ddl.expressions import ExpressionWriter, sequence_of
from chartdb_mcp.core.sql.ddl.tables import TableBuilder
from chartdb_mcp.core.sql.ddl.targets import Target, same_family
from chartdb_mcp.core.sql.ddl.types import SpelledType, TypeMapper
from chartdb_mcp.core.sql.ddl.warnings import Warnings


@dataclass
class DdlScript:
    """The statements of an export, in order, and what the target could not express."""

    dialect: DatabaseType
    statements: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The statements as one script, each ended by a semicolon."""
        return "".join(f"{statement};\n\n" for statement in self.statements)


class ScriptWriter:
    """Compiles the export's statements with the target's SQLAlchemy dialect."""

    def __init__(self, diagram: Diagram, target: Target, table_ids: set[str] | None) -> None:
        self.diagram = diagram
        self.target = target
        self.warnings = Warnings()
        self.dialect: Dialect = target.dialect()
        source = source_of(diagram, target)
        self.source = source
        self.verbatim = same_family(source, target.database_type)
        self.expressions = ExpressionWriter(source, target, self.warnings)
        self.types = TypeMapper(source, target, diagram.custom_types, self.warnings)
        columns = ColumnBuilder(target, self.types, self.expressions, self.warnings)
        self.tables = [t for t in diagram.tables if table_ids is None or t.id in table_ids]
        keep = keeps_schemas(diagram, target, self.verbatim)
        self.builder = TableBuilder(diagram, target, columns, self.expressions, self.warnings, keep)
        self.statements: list[str] = []

    def emit(self, element: ClauseElement) -> None:
        """Compile one statement for the target and keep it."""
        self.statements.append(str(element.compile(dialect=self.dialect)).strip())

    def write(self, include_views: bool) -> DdlScript:
        """Every statement of the script, in load order."""
        self.write_schemas()
        self.write_types()
        built = self.write_tables()
        self.write_indexes(built)
        self.write_comments(built)
        self.write_foreign_keys(built)
        if include_views:
            self.write_views()
        return DdlScript(self.target.database_type, self.statements, self.warnings.render())

    def write_schemas(self) -> None:
        """CREATE SCHEMA for each schema the exported tables use."""
        if not self.builder.keep_schemas:
            return
        names = dict.fromkeys(t.schema_name for t in self.tables if t.schema_name)
        for name in names:
            if name == self.target.default_schema:
                continue
            if self.target.database_type == DatabaseType.ORACLE:
                self.warnings.add(f"schema {name!r} is an Oracle user; create it beforehand.")
                continue
            exists_check = self.target.database_type == DatabaseType.POSTGRESQL
            self.emit(CreateSchema(name, if_not_exists=exists_check))

    def write_types(self) -> None:
        """Sequences, enums and domains the tables need (PostgreSQL); warnings elsewhere."""
        if self.target.database_type != DatabaseType.POSTGRESQL:
            return
        if self.verbatim:
            for name in self.sequences():
                schema, _, bare = name.rpartition(".")
                sequence = sa.Sequence(bare, schema=schema or None)
                self.emit(CreateSequence(sequence, if_not_exists=True))
        for custom in self.diagram.custom_types:
            self.write_custom_type(custom)

    def sequences(self) -> list[str]:
        """Sequence names the exported columns' `nextval` defaults draw from, in order."""
        found: dict[str, None] = {}
        for table in self.tables:
            for column in table.columns:
                name = sequence_of(column.default or "")
                if name is not None:
                    found.setdefault(name, None)
        return list(found)

    def write_custom_type(self, custom: CustomType) -> None:
        """CREATE TYPE ... AS ENUM or CREATE DOMAIN."""
        schema = custom.schema_name if self.builder.keep_schemas else None
        if custom.kind == CustomTypeKind.ENUM:
            enum = postgresql.ENUM(*custom.values, name=custom.name, schema=schema)
            self.emit(postgresql.CreateEnumType(enum))
        elif custom.kind == CustomTypeKind.DOMAIN and custom.base_type:
            check = " AND ".join(f"({text})" for text in custom.checks) or None
            domain = postgresql.DOMAIN(
                custom.name,
                SpelledType(custom.base_type) if self.verbatim else sa.Text(),
                default=custom.default,
                not_null=not custom.nullable or None,
                check=check,
                schema=schema,
            )
            self.emit(postgresql.CreateDomainType(domain))
        else:
            self.warnings.add(f"composite type {custom.qualified_name!r} is not exported.")

    def write_tables(self) -> list[tuple[Table, sa.Table]]:
        """CREATE TABLE for every exported table, partitions after their parents."""
        ordered = sorted(self.tables, key=lambda table: table.partition_of is not None)
        built = [(table, self.builder.build(table)) for table in ordered]
        if self.target.inline_foreign_keys:
            for relationship in self.diagram.relationships:
                self.builder.add_foreign_key(relationship)
        for table, sa_table in built:
            parent = self.builder.built.get(table.partition_of or "")
            if parent is not None and self.target.partitions:
                bound = table.partition_bound or "DEFAULT"
                self.emit(CreatePartition(sa_table, parent, bound, table.partition_by))
            else:
                self.emit(CreateTable(sa_table))
        return built

    def write_indexes(self, built: list[tuple[Table, sa.Table]]) -> None:
        """CREATE INDEX for each table's indexes, in the diagram's order."""
        for _, sa_table in built:
            for index in sorted(sa_table.indexes, key=index_order(sa_table)):
                self.emit(CreateIndex(index))

    def write_comments(self, built: list[tuple[Table, sa.Table]]) -> None:
        """COMMENT statements where the dialect does not write comments inline."""
        commented = any(
            table.comment is not None or any(c.comment is not None for c in table.columns)
            for table, _ in built
        )
        if not commented:
            return
        if not self.target.comments:
            self.warnings.add(
                f"{self.target.database_type.value} has no comments on tables or columns; "
                "they are not exported."
            )
            return
        if getattr(self.dialect, "inline_comments", False):
            return
        for _, sa_table in built:
            if sa_table.comment is not None:
                self.emit(SetTableComment(sa_table))
            for column in sa_table.columns:
                if column.comment is not None:
                    self.emit(SetColumnComment(column))

    def write_foreign_keys(self, built: list[tuple[Table, sa.Table]]) -> None:
        """ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY, once every table exists."""
        if self.target.inline_foreign_keys:
            return
        for relationship in self.diagram.relationships:
            constraint = self.builder.add_foreign_key(relationship)
            if constraint is not None:
                self.emit(AddConstraint(constraint))

    def write_views(self) -> None:
        """CREATE [MATERIALIZED] VIEW for each view, after the views it refers to."""
        keep = self.builder.keep_schemas
        for view in views_in_dependency_order(self.diagram.views):
            if not view.definition:
                self.warnings.add(f"view {view.qualified_name!r} has no definition to export.")
                continue
            materialized = view.materialized and self.target.materialized_views
            if view.materialized and not materialized:
                self.warnings.add(
                    f"materialized view {view.qualified_name!r} is exported as a plain view."
                )
            where = f"view {view.qualified_name}"
            if not self.verbatim:
                self.warnings.add(
                    f"{where}: its query is translated from {self.source.value} word by "
                    f"word; rules {self.target.database_type.value} is stricter about "
                    "(GROUP BY, implicit casts) are not checked."
                )
            query = self.expressions.query(where, view.definition)
            own = {name for name in (t.schema_name for t in self.diagram.tables) if name}
            if not keep and own and qualifies(query, own):
                query = self.expressions.unqualified_query(where, query, own)
            selectable: Any = sa.text(query).columns()
            self.emit(
                CreateView(
                    selectable,
                    view.name,
                    schema=view.schema_name if keep else None,
                    materialized=materialized,
                )
            )
            if view.indexes and materialized:
                self.write_view_indexes(view)
            for index in view.indexes if not materialized else []:
                self.warnings.add(
                    f"view {view.qualified_name} index {index.name!r} is not exported: "
                    "only a materialized view has indexes."
                )

    def write_view_indexes(self, view: View) -> None:
        """Indexes of a materialized view, built on a stand-in table with its columns.

        A script import knows no view columns, so the columns the indexes name stand in
        for them; their type is never written, only their names.
        """
        known = {column.name for column in view.columns}
        named = [p.column for i in view.indexes for p in i.parts if p.column is not None]
        named += [name for index in view.indexes for name in index.include]
        extra = [
            Column(name=name, type="text") for name in dict.fromkeys(named) if name not in known
        ]
        stand_in = Table(
            id=view.id,
            schema_name=view.schema_name,
            name=view.name,
            columns=[*view.columns, *extra],
            indexes=view.indexes,
        )
        sa_table = self.builder.build(stand_in)
        for index in sorted(sa_table.indexes, key=index_order(sa_table)):
            self.emit(CreateIndex(index))


def source_of(diagram: Diagram, target: Target) -> DatabaseType:
    """The dialect the diagram's text is written in (a generic diagram: the target's)."""
    if diagram.database_type == DatabaseType.GENERIC:
        return target.database_type
    return diagram.database_type


def keeps_schemas(diagram: Diagram, target: Target, verbatim: bool) -> bool:
    """Qualify names by schema when the target has schemas and they carry meaning."""
    if not target.schemas:
        return False
    schemas = {table.schema_name for table in diagram.tables if table.schema_name}
    return verbatim or len(schemas) > 1


def index_order(sa_table: sa.Table) -> Any:
    """A sort key keeping indexes in the order they were attached to the table."""
    attached = list(sa_table.indexes)
    return attached.index


def qualifies(query: str, schemas: set[str]) -> bool:
    """Whether the query names one of `schemas` followed by a dot (quoted or not)."""
    return any(re.search(rf"(\b|[`\"]){re.escape(name)}[`\"]?\s*\.", query) for name in schemas)


def views_in_dependency_order(views: list[View]) -> list[View]:
    """The views, each placed after the other views its definition names."""
    names = {view.id: re.compile(rf"\b{re.escape(view.name)}\b") for view in views}
    placed: list[View] = []
    remaining = list(views)
    while remaining:
        for view in remaining:
            needs = [
                other
                for other in remaining
                if other is not view and names[other.id].search(view.definition or "")
            ]
            if not needs:
                break
        else:
            view = remaining[0]  # a cycle cannot load anyway; keep the diagram's order
        placed.append(view)
        remaining.remove(view)
    return placed
