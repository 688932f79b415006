"""One diagram column as a SQLAlchemy column for the target: type, default, key behaviour."""

from typing import Any

import sqlalchemy as sa

from chartdb_mcp.core.model import Column, DatabaseType, IdentityGeneration
from chartdb_mcp.core.sql.ddl.expressions import ExpressionWriter, is_sequence_default
from chartdb_mcp.core.sql.ddl.targets import Target
from chartdb_mcp.core.sql.ddl.types import TypeMapper
from chartdb_mcp.core.sql.ddl.warnings import Warnings

MYSQL_FAMILY = {DatabaseType.MYSQL, DatabaseType.MARIADB}
# MySQL, SQL Server and Oracle cannot index unbounded text, so keyed text gets a size.
# https://dev.mysql.com/doc/refman/8.0/en/column-indexes.html#column-indexes-prefix
KEYED_STRING_LENGTH = 255


class ColumnBuilder:
    """Turns diagram columns into SQLAlchemy columns for one target."""

    def __init__(
        self,
        target: Target,
        types: TypeMapper,
        expressions: ExpressionWriter,
        warnings: Warnings,
    ) -> None:
        self.target = target
        self.types = types
        self.expressions = expressions
        self.warnings = warnings

    def build(self, where: str, column: Column, *, keyed: bool, in_key: bool) -> sa.Column[Any]:
        """The column; `keyed` when an index or key uses it, `in_key` when the PK does."""
        place = f"{where}.{column.name}"
        column_type = self.types.column_type(place, column)
        column_type = self.sized_for_key(place, column_type, keyed)
        arguments: list[Any] = []
        options: dict[str, Any] = {"nullable": column.nullable and not in_key}
        auto = column.autoincrement or column.identity is not None
        if auto and not self.types.verbatim:
            column_type = self.auto_type(column_type)
            arguments += self.auto_arguments(column, options)
        elif column.identity is not None and self.target.identity:
            always = column.identity == IdentityGeneration.ALWAYS
            arguments.append(sa.Identity(always=always))
        elif auto:
            options["autoincrement"] = self.target.database_type in MYSQL_FAMILY
        if not any(isinstance(argument, sa.Identity) for argument in arguments):
            options.setdefault("autoincrement", False)
        if column.generated is not None:
            arguments.append(self.computed(place, column.generated))
        default = self.default(place, column, auto)
        if default is not None:
            options["server_default"] = sa.text(default)
        if column.comment is not None and self.target.comments:
            options["comment"] = column.comment
        if column.collation is not None and not self.types.verbatim:
            self.warnings.add(
                f"{place}: collation {column.collation!r} is not exported; "
                "set it by hand if the target needs it."
            )
        return sa.Column(column.name, column_type, *arguments, **options)

    def sized_for_key(
        self, place: str, column_type: sa.types.TypeEngine[Any], keyed: bool
    ) -> sa.types.TypeEngine[Any]:
        """Where keys cannot use unbounded text, a keyed TEXT becomes VARCHAR(255)."""
        if not keyed or not self.target.bounded_keys:
            return column_type
        if isinstance(column_type, sa.Text | sa.LargeBinary | sa.JSON):
            self.warnings.add(
                f"{place}: a key or index uses this unbounded column, which "
                f"{self.target.database_type.value} cannot index; it is exported as "
                f"VARCHAR({KEYED_STRING_LENGTH})."
            )
            return sa.String(KEYED_STRING_LENGTH)
        return column_type

    def auto_type(self, column_type: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
        """SQLite numbers rows only through a column typed exactly INTEGER."""
        # https://www.sqlite.org/lang_createtable.html#rowid
        if self.target.database_type == DatabaseType.SQLITE:
            return sa.Integer()
        return column_type

    def auto_arguments(self, column: Column, options: dict[str, Any]) -> list[Any]:
        """Across dialects: an identity where the target has one, else auto-increment."""
        if self.target.identity:
            always = column.identity == IdentityGeneration.ALWAYS
            return [sa.Identity(always=always)]
        options["autoincrement"] = self.target.database_type in MYSQL_FAMILY
        return []

    def computed(self, place: str, expression: str) -> sa.Computed:
        """A generated column; PostgreSQL only stores them."""
        written = self.expressions.expression(place, expression)
        stored = True if self.target.database_type == DatabaseType.POSTGRESQL else None
        return sa.Computed(sa.text(written), persisted=stored)

    def default(self, place: str, column: Column, auto: bool) -> str | None:
        """The server default as the target spells it, with MySQL's ON UPDATE folded in."""
        default = column.default
        if column.generated is not None:
            return None
        if default is not None and is_sequence_default(default) and not self.types.verbatim:
            default = None  # the target's own auto-increment replaces the sequence
        if default is not None and auto and self.target.database_type in MYSQL_FAMILY:
            default = None
        written = self.expressions.default(place, default) if default is not None else None
        if column.on_update is None:
            return written
        if self.target.database_type not in MYSQL_FAMILY:
            self.warnings.add(
                f"{place}: ON UPDATE {column.on_update} is MySQL's own; "
                f"{self.target.database_type.value} needs a trigger for it."
            )
            return written
        on_update = self.expressions.expression(place, column.on_update)
        # SQLAlchemy's documented way to write ON UPDATE is inside the server default.
        return f"{written or 'NULL'} ON UPDATE {on_update}"
