"""Diagram tables as SQLAlchemy tables: columns, keys, checks, indexes and foreign keys.

`TableBuilder.build` fills one MetaData with every exported table; foreign keys are
attached afterwards (`add_foreign_key`) once both ends exist. Whatever the target cannot
express is left out of the table and named in a warning.
"""

from typing import Any

import sqlalchemy as sa

from chartdb_mcp.core.model import Column, DatabaseType, Diagram, Index, Relationship, Table
from chartdb_mcp.core.sql.ddl.columns import MYSQL_FAMILY, ColumnBuilder
from chartdb_mcp.core.sql.ddl.expressions import ExpressionWriter
from chartdb_mcp.core.sql.ddl.targets import Target
from chartdb_mcp.core.sql.ddl.warnings import Warnings
from chartdb_mcp.errors import InvalidInput

SQLITE_INTERNAL_PREFIX = "sqlite_autoindex_"
# PostgreSQL's identifier limit, which a renamed index must keep to (the others allow more).
NAME_LIMIT = 63


class TableBuilder:
    """Builds the SQLAlchemy tables of one export into `metadata`."""

    def __init__(
        self,
        diagram: Diagram,
        target: Target,
        columns: ColumnBuilder,
        expressions: ExpressionWriter,
        warnings: Warnings,
        keep_schemas: bool,
    ) -> None:
        self.diagram = diagram
        self.target = target
        self.columns = columns
        self.expressions = expressions
        self.warnings = warnings
        self.keep_schemas = keep_schemas
        self.metadata = sa.MetaData()
        self.built: dict[str, sa.Table] = {}
        self.names: dict[str, str] = {}  # written name -> the table's qualified name
        # Names taken per schema, case-folded, where index names are schema-wide.
        self.taken: set[tuple[str | None, str]] = {
            (self.schema_of(schema), name.casefold())
            for schema, name in [(t.schema_name, t.name) for t in diagram.tables]
            + [(v.schema_name, v.name) for v in diagram.views]
        }

    def schema_of(self, schema_name: str | None) -> str | None:
        """The schema the target table lives in (None: the connection's default)."""
        return schema_name if self.keep_schemas else None

    def build(self, table: Table) -> sa.Table:
        """The SQLAlchemy table for `table`, with its keys, checks and indexes."""
        where = table.qualified_name
        keyed = keyed_columns(self.diagram, table)
        primary = set(table.primary_key.columns) if table.primary_key else set()
        columns = [
            self.columns.build(
                where, column, keyed=column.name in keyed, in_key=column.name in primary
            )
            for column in table.columns
        ]
        options: dict[str, Any] = {}
        if table.comment is not None and self.target.comments:
            options["comment"] = table.comment
        if table.partition_by is not None:
            if self.target.partitions:
                options["postgresql_partition_by"] = table.partition_by
            else:
                self.warnings.add(
                    f"{where}: PARTITION BY {table.partition_by} is not exported; "
                    f"partitions become tables of their own."
                )
        self.claim_name(table)
        if self.sqlite_autoincrement(table):
            options["sqlite_autoincrement"] = True
        built = sa.Table(
            table.name,
            self.metadata,
            *columns,
            *self.constraints(table),
            schema=self.schema_of(table.schema_name),
            **options,
        )
        for index in table.indexes:
            self.add_index(built, table, index)
        if self.target.database_type in MYSQL_FAMILY:
            self.key_auto_increment(built, table)
        self.built[table.id] = built
        return built

    def claim_name(self, table: Table) -> None:
        """Refuse a second table that would take an exported table's name.

        Written without schemas (MySQL, SQLite, or one schema's names), `public.a` and
        `other.a` would both be `a`.
        """
        schema = self.schema_of(table.schema_name)
        key = f"{schema}.{table.name}" if schema else table.name
        taken = self.names.setdefault(key, table.qualified_name)
        if taken != table.qualified_name:
            raise InvalidInput(
                f"Tables {taken!r} and {table.qualified_name!r} would both be {key!r} in "
                f"{self.target.database_type.value}, which gets no schema names here; "
                "rename one first (an export can also pick tables)."
            )

    def sqlite_autoincrement(self, table: Table) -> bool:
        """Whether a SQLite table's INTEGER PRIMARY KEY is written AUTOINCREMENT.

        Only a SQLite diagram's own keyword is kept: there it means ids are never
        reused, and a rebuild or export without it would quietly change that.
        """
        if self.target.database_type != DatabaseType.SQLITE:
            return False
        if self.diagram.database_type != DatabaseType.SQLITE or table.primary_key is None:
            return False
        if len(table.primary_key.columns) != 1:
            return False
        key = table.column(table.primary_key.columns[0])
        return key is not None and key.autoincrement

    def key_auto_increment(self, built: sa.Table, table: Table) -> None:
        """Warn about an auto-increment column MySQL cannot count up (not in the key)."""
        for column in built.columns:
            if column.autoincrement is True and not column.primary_key:
                self.warnings.add(
                    f"{table.qualified_name}.{column.name}: MySQL counts up only a primary "
                    "key column; this column is exported without AUTO_INCREMENT."
                )

    def primary_key_columns(self, table: Table) -> list[str]:
        """The key's columns; on MySQL an auto-increment column moves to the front."""
        assert table.primary_key is not None
        columns = list(table.primary_key.columns)
        if self.target.database_type not in MYSQL_FAMILY:
            return columns
        # https://dev.mysql.com/doc/refman/8.0/en/example-auto-increment.html: an
        # AUTO_INCREMENT column must lead an index; in CREATE TABLE only the key can.
        auto = [c.name for c in table.columns if c.name in columns and is_auto(c)]
        if auto and auto[0] != columns[0]:
            columns.remove(auto[0])
            columns.insert(0, auto[0])
            self.warnings.add(
                f"{table.qualified_name}: the primary key is exported as ({', '.join(columns)}), "
                f"since MySQL needs the auto-increment column {auto[0]!r} first."
            )
        return columns

    def constraints(self, table: Table) -> list[sa.Constraint]:
        """Primary key, unique constraints and checks."""
        found: list[sa.Constraint] = []
        partition = table.partition_of is not None and self.target.partitions
        if table.primary_key is not None and not partition:
            name = table.primary_key.name
            if self.target.database_type in MYSQL_FAMILY or name == "PRIMARY":
                name = None  # MySQL calls every primary key PRIMARY and takes no name
            columns = self.primary_key_columns(table)
            found.append(sa.PrimaryKeyConstraint(*columns, name=name))
        for unique in table.unique_constraints:
            found.append(sa.UniqueConstraint(*unique.columns, name=unique.name))
        for check in table.checks:
            where = f"{table.qualified_name} check {check.name or check.expression!r}"
            expression = self.expressions.expression(where, check.expression)
            found.append(sa.CheckConstraint(sa.text(expression), name=check.name))
        return found

    def add_index(self, built: sa.Table, table: Table, index: Index) -> None:
        """Attach `index` to `built`, or warn about what keeps it out."""
        where = f"{table.qualified_name} index {index.name!r}"
        if index.name.startswith(SQLITE_INTERNAL_PREFIX):
            return  # SQLite makes these for UNIQUE and PRIMARY KEY constraints itself
        problem = self.index_problem(index)
        if problem is not None:
            self.warnings.add(f"{where} is not exported: {problem}.")
            return
        elements: list[Any] = []
        for part in index.parts:
            if part.column is not None:
                element: Any = built.c[part.column]
            else:
                element = sa.text(self.expressions.expression(where, part.expression or ""))
            elements.append(element.desc() if part.descending else element)
        sa.Index(
            self.index_name(table, index),
            *elements,
            unique=index.unique,
            _table=built,
            **self.index_options(where, index),
        )

    def index_name(self, table: Table, index: Index) -> str:
        """The index's name, or a free one where index names are unique per schema.

        MySQL scopes index names to their table, so two tables may each have an
        `idx_fk_film_id`; PostgreSQL, SQLite and Oracle refuse the second one, so it
        is prefixed with its table's name, with a warning.
        """
        if not self.target.schema_wide_index_names:
            return index.name
        schema = self.schema_of(table.schema_name)
        name = index.name
        number = 1
        while (schema, name.casefold()) in self.taken:
            suffix = f"_{number}" if number > 1 else ""
            name = f"{table.name}_{index.name}"[: NAME_LIMIT - len(suffix)] + suffix
            number += 1
        self.taken.add((schema, name.casefold()))
        if name != index.name:
            self.warnings.add(
                f"{table.qualified_name} index {index.name!r} is exported as {name!r}: "
                f"{self.target.database_type.value} index names are unique per schema "
                "and another table or index has this one."
            )
        return name

    def index_problem(self, index: Index) -> str | None:
        """Why the target cannot build this index, if it cannot."""
        name = self.target.database_type.value
        method = (index.method or "").lower()
        if method and method not in self.target.index_methods and method != "btree":
            return f"{name} has no {method!r} index method"
        if index.where is not None and not self.target.partial_indexes:
            return f"{name} has no partial indexes (WHERE {index.where})"
        if any(part.expression for part in index.parts) and not self.target.expression_indexes:
            return f"{name} cannot index expressions"
        return None

    def index_options(self, where: str, index: Index) -> dict[str, Any]:
        """The dialect keywords for method, predicate and INCLUDE columns."""
        options: dict[str, Any] = {}
        method = (index.method or "").lower()
        database = self.target.database_type
        if database == DatabaseType.POSTGRESQL:
            if method:
                options["postgresql_using"] = method
            if index.include:
                options["postgresql_include"] = index.include
        elif database in MYSQL_FAMILY:
            prefix = self.dialect_prefix()
            if method in ("fulltext", "spatial"):
                options[f"{prefix}_prefix"] = method.upper()
            elif method == "hash":
                options[f"{prefix}_using"] = method
        elif database == DatabaseType.SQLSERVER and index.include:
            options["mssql_include"] = index.include
        elif index.include:
            self.warnings.add(f"{where}: INCLUDE {index.include} is not exported.")
        if index.where is not None:
            predicate = sa.text(self.expressions.expression(where, index.where))
            options[f"{self.dialect_prefix()}_where"] = predicate
        return options

    def dialect_prefix(self) -> str:
        """SQLAlchemy's keyword prefix for the target's dialect options."""
        prefixes = {DatabaseType.SQLSERVER: "mssql"}
        return prefixes.get(self.target.database_type, self.target.database_type.value)

    def add_foreign_key(self, relationship: Relationship) -> sa.ForeignKeyConstraint | None:
        """Attach the relationship to its source table; None when an end is not exported."""
        source = self.built.get(relationship.source_table_id)
        target = self.built.get(relationship.target_table_id)
        label = relationship.name or relationship.id
        if source is None:
            return None
        if target is None:
            self.warnings.add(
                f"foreign key {label!r} of {source.fullname} is not exported: "
                "the table it references is not part of the export."
            )
            return None
        constraint = sa.ForeignKeyConstraint(
            relationship.source_columns,
            [target.c[name] for name in relationship.target_columns],
            name=relationship.name,
            ondelete=self.action(label, "DELETE", relationship.on_delete.value),
            onupdate=self.action(label, "UPDATE", relationship.on_update.value),
            use_alter=not self.target.inline_foreign_keys,
        )
        source.append_constraint(constraint)
        return constraint

    def action(self, label: str, event: str, action: str) -> str | None:
        """The ON DELETE/UPDATE action, or None for NO ACTION or one the target lacks."""
        if action == "NO ACTION":
            return None
        allowed = (
            self.target.fk_actions_delete if event == "DELETE" else self.target.fk_actions_update
        )
        if action not in allowed:
            self.warnings.add(
                f"foreign key {label!r}: {self.target.database_type.value} has no "
                f"ON {event} {action}; the clause is left out (NO ACTION)."
            )
            return None
        return action


def keyed_columns(diagram: Diagram, table: Table) -> set[str]:
    """Names of the columns a key, an index or a foreign key of `table` uses."""
    names: set[str] = set()
    if table.primary_key is not None:
        names.update(table.primary_key.columns)
    for unique in table.unique_constraints:
        names.update(unique.columns)
    for index in table.indexes:
        names.update(part.column for part in index.parts if part.column is not None)
    for relationship in diagram.relationships:
        if relationship.source_table_id == table.id:
            names.update(relationship.source_columns)
        if relationship.target_table_id == table.id:
            names.update(relationship.target_columns)
    return names


def is_auto(column: Column) -> bool:
    """Whether the column numbers its rows itself (auto-increment, identity or sequence)."""
    return column.autoincrement or column.identity is not None
