"""Column types for a target dialect.

Within one family (or MySQL and MariaDB) a type is written back exactly as the diagram
spells it, so an export reads back unchanged. Across families the text is parsed with
sqlglot in the diagram's dialect, the parsed type picks a SQLAlchemy type from the table
below, and the target dialect's own type compiler spells it. What has no counterpart
in the target falls back to text and says so in a warning.
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.type_api import TypeEngine, UserDefinedType
from sqlglot import ParseError, TokenError, exp
from sqlglot.expressions.datatypes import DType

from chartdb_mcp.core.model import Column, CustomType, CustomTypeKind, DatabaseType
from chartdb_mcp.core.sql.ddl.targets import Target, same_family, sqlglot_name
from chartdb_mcp.core.sql.ddl.warnings import Warnings

T = DType
Args = list[int]


class SpelledType(UserDefinedType[Any]):
    """A type written exactly as given: the diagram's own spelling in its own dialect."""

    cache_ok = True

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling

    def get_col_spec(self, **_: object) -> str:
        """The spelling, as the compiler places it after the column name."""
        return self.spelling


class SpelledInteger(sa.Integer):
    """An integer type written exactly as given (`int(10) unsigned`), so it may count up."""

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling


@compiles(SpelledInteger)
def compile_spelled_integer(element: SpelledInteger, compiler: Any, **_: Any) -> str:
    """The spelling, as the type compiler would place a built-in integer type."""
    return element.spelling


def first(args: Args, default: int | None = None) -> int | None:
    """The first type argument, or `default`."""
    return args[0] if args else default


def numeric(args: Args) -> TypeEngine[Any]:
    """DECIMAL/NUMERIC with its precision and scale when given."""
    if len(args) >= 2:
        return sa.Numeric(args[0], args[1])
    return sa.Numeric(args[0]) if args else sa.Numeric()


# sqlglot's parsed type -> a SQLAlchemy type built from the parsed arguments. Unsigned
# integers widen to the next signed size so that every value still fits.
GENERIC: dict[DType, Callable[[Args], TypeEngine[Any]]] = {
    T.TINYINT: lambda _: sa.SmallInteger(),
    T.UTINYINT: lambda _: sa.SmallInteger(),
    T.SMALLINT: lambda _: sa.SmallInteger(),
    T.USMALLINT: lambda _: sa.Integer(),
    T.MEDIUMINT: lambda _: sa.Integer(),
    T.UMEDIUMINT: lambda _: sa.Integer(),
    T.INT: lambda _: sa.Integer(),
    T.UINT: lambda _: sa.BigInteger(),
    T.BIGINT: lambda _: sa.BigInteger(),
    T.UBIGINT: lambda _: sa.Numeric(20, 0),
    T.DECIMAL: numeric,
    T.UDECIMAL: numeric,
    T.MONEY: lambda _: sa.Numeric(19, 4),
    T.FLOAT: lambda _: sa.Float(),
    T.DOUBLE: lambda _: sa.Double(),
    T.BOOLEAN: lambda _: sa.Boolean(),
    T.BIT: lambda _: sa.Boolean(),
    T.CHAR: lambda args: sa.CHAR(first(args, 1)),
    T.NCHAR: lambda args: sa.NCHAR(first(args, 1)),
    T.VARCHAR: lambda args: sa.String(first(args)),
    T.NVARCHAR: lambda args: sa.Unicode(first(args)),
    T.TEXT: lambda _: sa.Text(),
    T.TINYTEXT: lambda _: sa.Text(),
    T.MEDIUMTEXT: lambda _: sa.Text(),
    T.LONGTEXT: lambda _: sa.Text(),
    T.BLOB: lambda _: sa.LargeBinary(),
    T.TINYBLOB: lambda _: sa.LargeBinary(),
    T.MEDIUMBLOB: lambda _: sa.LargeBinary(),
    T.LONGBLOB: lambda _: sa.LargeBinary(),
    T.VARBINARY: lambda _: sa.LargeBinary(),
    T.BINARY: lambda _: sa.LargeBinary(),
    T.DATE: lambda _: sa.Date(),
    T.DATETIME: lambda _: sa.DateTime(),
    T.DATETIME2: lambda _: sa.DateTime(),
    T.TIMESTAMP: lambda _: sa.DateTime(),
    T.TIMESTAMPNTZ: lambda _: sa.DateTime(),
    T.TIMESTAMPTZ: lambda _: sa.DateTime(timezone=True),
    T.TIMESTAMPLTZ: lambda _: sa.DateTime(timezone=True),
    T.TIME: lambda _: sa.Time(),
    T.TIMETZ: lambda _: sa.Time(timezone=True),
    T.INTERVAL: lambda _: sa.Interval(),
    T.UUID: lambda _: sa.Uuid(),
    T.JSON: lambda _: sa.JSON(),
    T.JSONB: lambda _: sa.JSON(),
    T.YEAR: lambda _: sa.SmallInteger(),
}

# What each target spells as text that the generic types above cannot reach. Keys are
# (target, sqlglot type); the value is spelled in the target's own words.
TARGET_SPELLINGS: dict[tuple[DatabaseType, DType], str] = {
    (DatabaseType.MYSQL, T.JSONB): "JSON",
    (DatabaseType.MARIADB, T.JSONB): "JSON",
    (DatabaseType.MYSQL, T.YEAR): "YEAR",
    (DatabaseType.MARIADB, T.YEAR): "YEAR",
    (DatabaseType.POSTGRESQL, T.JSONB): "JSONB",
    # SQLAlchemy writes DATE for every Oracle date-time, which drops the time zone.
    (DatabaseType.ORACLE, T.TIMESTAMPTZ): "TIMESTAMP WITH TIME ZONE",
    (DatabaseType.ORACLE, T.TIMESTAMPLTZ): "TIMESTAMP WITH LOCAL TIME ZONE",
    (DatabaseType.ORACLE, T.TIMESTAMP): "TIMESTAMP",
    (DatabaseType.ORACLE, T.DATETIME): "TIMESTAMP",
}


class TypeMapper:
    """Spells the diagram's column types for one target, collecting warnings as it goes."""

    def __init__(
        self,
        source: DatabaseType,
        target: Target,
        custom_types: list[CustomType],
        warnings: Warnings,
    ) -> None:
        self.source = source
        self.target = target
        self.warnings = warnings
        self.custom = {kind.name: kind for kind in custom_types}
        self.custom.update({kind.qualified_name: kind for kind in custom_types})
        self.verbatim = same_family(source, target.database_type)

    def custom_type(self, type_text: str) -> CustomType | None:
        """The diagram's enum, domain or composite that `type_text` names, if any."""
        bare = type_text.strip().strip('"`')
        return self.custom.get(bare)

    def column_type(self, where: str, column: Column) -> TypeEngine[Any]:
        """The SQLAlchemy type that spells `column`'s type in the target."""
        if self.verbatim:
            auto = column.autoincrement or column.identity is not None
            if auto:
                return SpelledInteger(column.type)
            return SpelledType(self.with_collation(column))
        custom = self.custom_type(column.type.removesuffix("[]"))
        if custom is not None:
            return self.from_custom(where, column, custom)
        return self.from_text(where, column.type)

    def with_collation(self, column: Column) -> str:
        """The type text followed by the column's collation, quoted as the target wants."""
        if column.collation is None:
            return column.type
        name = column.collation
        if self.target.database_type == DatabaseType.POSTGRESQL:
            name = '"' + name.replace('"', '""') + '"'
        return f"{column.type} COLLATE {name}"

    def from_custom(self, where: str, column: Column, custom: CustomType) -> TypeEngine[Any]:
        """An enum becomes the target's enum or a checked string; a domain its base type."""
        if custom.kind == CustomTypeKind.ENUM:
            if self.target.native_enums:
                return SpelledType(custom.name)
            if not self.target.inline_enums:
                self.warnings.add(
                    f"{where}: enum {custom.name!r} becomes a string with a CHECK on its "
                    f"labels, since {self.target.database_type.value} has no enum types."
                )
            # unnamed: the CHECK it adds would otherwise take the enum's name on every table
            return sa.Enum(*custom.values, create_constraint=True)
        if custom.kind == CustomTypeKind.DOMAIN and custom.base_type:
            if custom.checks or not custom.nullable:
                self.warnings.add(
                    f"{where}: domain {custom.name!r} becomes its base type "
                    f"{custom.base_type!r}; its checks and NOT NULL are not carried over."
                )
            return self.from_text(where, custom.base_type)
        self.warnings.add(
            f"{where}: composite type {custom.name!r} has no counterpart in "
            f"{self.target.database_type.value}; the column is exported as text."
        )
        return sa.Text()

    def from_text(self, where: str, type_text: str) -> TypeEngine[Any]:
        """Parse `type_text` in the source dialect and pick the target's type for it."""
        try:
            parsed = exp.DataType.build(type_text, dialect=sqlglot_name(self.source), udt=True)
        except (ParseError, TokenError, ValueError):
            parsed = None
        if parsed is None or parsed.this == T.USERDEFINED:
            return self.unknown(where, type_text)
        kind = parsed.this
        if kind == T.ARRAY:
            self.warnings.add(
                f"{where}: array type {type_text!r} has no counterpart in "
                f"{self.target.database_type.value}; the column is exported as JSON."
            )
            return sa.JSON()
        if kind in (T.ENUM, T.SET):
            labels = [value.name for value in parsed.expressions if isinstance(value, exp.Literal)]
            if kind == T.SET:
                self.warnings.add(
                    f"{where}: SET type {type_text!r} becomes a string; "
                    "its allowed values are not checked."
                )
                return sa.String(255)
            if not self.target.inline_enums:
                # PostgreSQL's enums are named types; an inline one has no name to give.
                self.warnings.add(
                    f"{where}: enum type {type_text!r} becomes a string with a CHECK on its "
                    f"labels, since {self.target.database_type.value} has no inline enums."
                )
            return sa.Enum(*labels, native_enum=False, create_constraint=True)
        spelled = TARGET_SPELLINGS.get((self.target.database_type, kind))
        if spelled is not None:
            return SpelledType(spelled)
        build = GENERIC.get(kind)
        if build is None:
            return self.unknown(where, type_text)
        return build(type_arguments(parsed))

    def unknown(self, where: str, type_text: str) -> TypeEngine[Any]:
        """A type the target has no counterpart for: text, with a warning."""
        self.warnings.add(
            f"{where}: type {type_text!r} has no counterpart in "
            f"{self.target.database_type.value}; the column is exported as text."
        )
        return sa.Text()


def type_arguments(parsed: exp.DataType) -> Args:
    """The integer arguments of a parsed type, e.g. [5, 2] for numeric(5,2)."""
    numbers: Args = []
    for argument in parsed.expressions:
        value = argument.this if isinstance(argument, exp.DataTypeParam) else argument
        text = value.name if isinstance(value, exp.Expression) else str(value)
        if text.isdigit():
            numbers.append(int(text))
    return numbers
