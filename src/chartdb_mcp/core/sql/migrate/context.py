"""One side of a migration as SQLAlchemy objects, built once and looked up by model id."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement

from chartdb_mcp.core.model import Column, Diagram, Index, Relationship, Table
from chartdb_mcp.core.sql.ddl.columns import ColumnBuilder
from chartdb_mcp.core.sql.ddl.expressions import ExpressionWriter
from chartdb_mcp.core.sql.ddl.script import keeps_schemas, source_of
from chartdb_mcp.core.sql.ddl.tables import TableBuilder
from chartdb_mcp.core.sql.ddl.targets import Target, same_family
from chartdb_mcp.core.sql.ddl.types import TypeMapper
from chartdb_mcp.core.sql.ddl.warnings import Warnings


class SchemaSide:
    """The tables, columns, indexes and foreign keys of one diagram, compiled for a target."""

    def __init__(self, diagram: Diagram, target: Target, warnings: Warnings) -> None:
        self.diagram = diagram
        self.target = target
        self.dialect: Dialect = target.dialect()
        source = source_of(diagram, target)
        verbatim = same_family(source, target.database_type)
        self.expressions = ExpressionWriter(source, target, warnings)
        types = TypeMapper(source, target, diagram.custom_types, warnings)
        columns = ColumnBuilder(target, types, self.expressions, warnings)
        keep = keeps_schemas(diagram, target, verbatim)
        self.builder = TableBuilder(diagram, target, columns, self.expressions, warnings, keep)
        self.tables = {table.id: table for table in diagram.tables}
        for table in diagram.tables:
            self.builder.build(table)
        self.foreign_keys: dict[str, sa.ForeignKeyConstraint] = {}
        for relationship in diagram.relationships:
            constraint = self.builder.add_foreign_key(relationship)
            if constraint is not None:
                self.foreign_keys[relationship.id] = constraint
        self.preparer = self.dialect.identifier_preparer
        self.ddl = self.dialect.ddl_compiler(self.dialect, sa.DDL(""))  # type: ignore[no-untyped-call]

    def compile(self, element: ClauseElement) -> str:
        """The statement as the target writes it."""
        return str(element.compile(dialect=self.dialect)).strip()

    def table(self, table_id: str | None) -> Table:
        """The model table with this id."""
        return self.tables[table_id or ""]

    def sa_table(self, table_id: str | None) -> sa.Table:
        """The SQLAlchemy table with this id."""
        return self.builder.built[table_id or ""]

    def table_name(self, table_id: str | None) -> str:
        """The table's name, qualified and quoted as the target wants."""
        return str(self.preparer.format_table(self.sa_table(table_id)))

    def quote(self, name: str) -> str:
        """A column, index or constraint name, quoted when the target needs it."""
        return str(self.preparer.quote(name))

    def column(self, table_id: str | None, name: str) -> Column:
        """The model column of that table and name."""
        found = self.table(table_id).column(name)
        if found is None:
            raise KeyError(name)
        return found

    def column_spec(self, table_id: str | None, name: str) -> str:
        """The column's full definition (name, type, default, NOT NULL, ...) for ALTER."""
        sa_column = self.sa_table(table_id).c[name]
        return str(self.ddl.get_column_specification(sa_column)).strip()

    def column_type(self, table_id: str | None, name: str) -> str:
        """The column's type as the target writes it."""
        sa_column: Any = self.sa_table(table_id).c[name]
        return str(sa_column.type.compile(dialect=self.dialect))

    def index(self, table_id: str | None, key: str) -> tuple[Index, sa.Index | None]:
        """The model index with this id or name and its SQLAlchemy index, if exported."""
        table = self.table(table_id)
        model = next(i for i in table.indexes if key in (i.id, i.name))
        built = next((i for i in self.sa_table(table_id).indexes if i.name == model.name), None)
        return model, built

    def indexes_in_order(self, table_id: str | None) -> list[sa.Index]:
        """The table's exported SQLAlchemy indexes, in the diagram's order."""
        built = {str(index.name): index for index in self.sa_table(table_id).indexes}
        return [built[i.name] for i in self.table(table_id).indexes if i.name in built]

    def relationship(self, key: str) -> Relationship:
        """The relationship with this id or name."""
        return next(r for r in self.diagram.relationships if key in (r.id, r.name))
