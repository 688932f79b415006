"""Column definitions: the name, the type as written, and the column's own constraints.

Constraints written on a column (PRIMARY KEY, UNIQUE, REFERENCES, CHECK) belong to the
table; `read_column` hands them to the table through `ColumnExtras`.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from sqlglot import TokenType

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    DatabaseType,
    IdentityGeneration,
    ReferentialAction,
)
from chartdb_mcp.core.sql.parse.drafts import (
    ForeignKeyDraft,
    ScriptState,
    TableDraft,
    postgres_name,
)
from chartdb_mcp.core.sql.parse.tokens import Cursor, ReadError
from chartdb_mcp.core.sql.types import normalize_type

# Words that end a column's type and start one of its options.
OPTION_WORDS = frozenset(
    {
        "NOT",
        "NULL",
        "DEFAULT",
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "CHECK",
        "COLLATE",
        "GENERATED",
        "AS",
        "AUTO_INCREMENT",
        "AUTOINCREMENT",
        "IDENTITY",
        "ON",
        "COMMENT",
        "CHARSET",
        "INVISIBLE",
        "VISIBLE",
        "SPARSE",
        "ENABLE",
        "DISABLE",
        "STORAGE",
        "COLUMN_FORMAT",
        "ROWGUIDCOL",
        "KEY",
    }
)
ACTIONS = {
    "CASCADE": ReferentialAction.CASCADE,
    "RESTRICT": ReferentialAction.RESTRICT,
    "NO": ReferentialAction.NO_ACTION,
    "SET NULL": ReferentialAction.SET_NULL,
    "SET DEFAULT": ReferentialAction.SET_DEFAULT,
}
# https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL
SERIALS = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}
DEFAULT_QUALIFIER = re.compile(r"(?<![\w\"'.])public\.(?=[\w\"])")
NEXTVAL_QUALIFIER = re.compile(r"nextval\('public\.", re.IGNORECASE)
MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)
CONSTRAINT_STATES = ("ENABLE", "DISABLE", "VALIDATE", "NOVALIDATE", "RELY", "NORELY")
BRACKETED = re.compile(r"\[([A-Za-z_][A-Za-z0-9_ ]*)\]")


@dataclass
class ColumnExtras:
    """What a column definition says about its table rather than itself."""

    primary_key: str | None = None  # the constraint name, "" when unnamed
    unique: list[str | None] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    foreign_keys: list[ForeignKeyDraft] = field(default_factory=list)
    autoincrement: bool = False  # SQLite's PRIMARY KEY AUTOINCREMENT


def plain_text(text: str, state: ScriptState) -> str:
    """Script text as a PostgreSQL catalog prints it: no `public.` on visible names."""
    if state.database != DatabaseType.POSTGRESQL:
        return text
    return DEFAULT_QUALIFIER.sub("", NEXTVAL_QUALIFIER.sub("nextval('", text))


def strip_parens(text: str) -> str:
    """The text without parentheses that wrap all of it."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and wraps_all(text):
        text = text[1:-1].strip()
    return text


def wraps_all(text: str) -> bool:
    """Whether the first `(` closes at the last character (strings not considered)."""
    depth = 0
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return position == len(text) - 1
    return False


def read_type(cursor: Cursor) -> str:
    """The type's tokens up to the first column option, as written."""
    start, depth = cursor.pos, 0
    while not cursor.done():
        token = cursor.tokens[cursor.pos]
        kind = token.token_type
        if depth == 0 and cursor.pos > start:
            if kind in (TokenType.COMMA, TokenType.R_PAREN):
                break
            word = token.text.upper() if kind != TokenType.IDENTIFIER else ""
            if word in OPTION_WORDS or (word == "CHARACTER" and cursor.is_word("SET", ahead=1)):
                break
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            if depth == 0:
                break
            depth -= 1
        cursor.pos += 1
    return cursor.source(start, cursor.pos)


def read_expression(cursor: Cursor) -> str:
    """An expression up to the next column option: at least one token or group."""
    start = cursor.pos
    if cursor.is_type(TokenType.L_PAREN):
        cursor.group()
    else:
        cursor.take()
    cursor.until(OPTION_WORDS - {"AS", "KEY", "IDENTITY"})
    return cursor.source(start, cursor.pos)


def read_action(cursor: Cursor) -> ReferentialAction:
    """CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT."""
    if cursor.accept("NO", "ACTION"):
        return ReferentialAction.NO_ACTION
    if cursor.accept("SET", "NULL"):
        return ReferentialAction.SET_NULL
    if cursor.accept("SET", "DEFAULT"):
        return ReferentialAction.SET_DEFAULT
    word = cursor.take().text.upper()
    if word not in ("CASCADE", "RESTRICT"):
        raise ReadError(f"unknown referential action {word!r}")
    return ACTIONS[word]


def read_references(
    cursor: Cursor, state: ScriptState, table: TableDraft, columns: list[str], name: str | None
) -> ForeignKeyDraft:
    """`REFERENCES target [(columns)]` and its ON DELETE / ON UPDATE / MATCH / DEFERRABLE."""
    line = table.line
    target = cursor.name()
    target_columns = cursor.name_list() if cursor.is_type(TokenType.L_PAREN) else None
    # https://mariadb.com/kb/en/foreign-keys/ (RESTRICT is MariaDB's default action)
    unspecified = (
        ReferentialAction.RESTRICT
        if state.database == DatabaseType.MARIADB
        else ReferentialAction.NO_ACTION
    )
    on_delete = on_update = unspecified
    while not cursor.done():
        if cursor.accept("ON", "DELETE"):
            on_delete = read_action(cursor)
        elif cursor.accept("ON", "UPDATE"):
            on_update = read_action(cursor)
        elif cursor.accept("MATCH"):
            cursor.take()
        elif cursor.accept("NOT", "DEFERRABLE") or cursor.accept("DEFERRABLE"):
            continue
        elif cursor.accept("INITIALLY"):
            cursor.take()
        elif (
            cursor.accept("NOT", "VALID") or cursor.accept("ENABLE") or cursor.accept("NOVALIDATE")
        ):
            continue
        else:
            break
    return ForeignKeyDraft(
        name=name,
        source=table.key,
        source_columns=columns,
        target=state.key_of(target.schema, target.name),
        target_columns=target_columns,
        on_delete=on_delete,
        on_update=on_update,
        line=line,
    )


def read_column(
    cursor: Cursor, state: ScriptState, table: TableDraft
) -> tuple[Column, ColumnExtras]:
    """One column definition; the cursor covers exactly that table element."""
    name = cursor.name_part()
    type_text = plain_text(read_type(cursor), state) if not cursor.is_word("AS") else ""
    fields: dict[str, Any] = {"nullable": True}
    extras = ColumnExtras()
    constraint_name: str | None = None
    while not cursor.done():
        if cursor.accept("CONSTRAINT"):
            constraint_name = cursor.name_part()
            continue
        read_option(cursor, state, table, name, fields, extras, constraint_name)
        constraint_name = None
    if extras.autoincrement:
        fields["autoincrement"] = True
    return finish_column(name, type_text, fields, state, table), extras


def read_option(
    cursor: Cursor,
    state: ScriptState,
    table: TableDraft,
    column: str,
    fields: dict[str, Any],
    extras: ColumnExtras,
    constraint_name: str | None,
) -> None:
    """One column option, recorded in `fields` (the column) or `extras` (the table)."""
    if read_key_option(cursor, state, table, column, extras, constraint_name):
        return
    if cursor.accept("NOT", "NULL"):
        fields["nullable"] = False
        skip_conflict_clause(cursor)
    elif cursor.accept("NULL"):
        fields["nullable"] = True
    elif cursor.accept("DEFAULT"):
        fields["default"] = plain_text(read_expression(cursor), state)
    elif cursor.accept("COLLATE"):
        fields["collation"] = cursor.name().name
    elif cursor.accept("GENERATED", "ALWAYS", "AS", "IDENTITY"):
        set_identity(cursor, fields, IdentityGeneration.ALWAYS)
    elif cursor.accept("GENERATED", "BY", "DEFAULT", "ON", "NULL", "AS", "IDENTITY") or (
        cursor.accept("GENERATED", "BY", "DEFAULT", "AS", "IDENTITY")
    ):
        set_identity(cursor, fields, IdentityGeneration.BY_DEFAULT)
    elif cursor.accept("GENERATED", "ALWAYS", "AS") or cursor.accept("AS"):
        start, stop = cursor.group()
        fields["generated"] = plain_text(cursor.source(start, stop), state)
        for word in ("STORED", "VIRTUAL", "PERSISTENT", "PERSISTED"):  # PERSISTED: T-SQL
            if cursor.accept(word):
                break
    elif cursor.accept("AUTO_INCREMENT") or cursor.accept("AUTOINCREMENT"):
        fields["autoincrement"] = True
    elif cursor.accept("IDENTITY"):
        cursor.skip_group()
        set_identity(cursor, fields, IdentityGeneration.BY_DEFAULT)
    elif cursor.accept("ON", "UPDATE"):
        fields["on_update"] = read_expression(cursor)
    elif cursor.accept("COMMENT"):
        fields["comment"] = cursor.string()
    elif cursor.accept("CHARACTER", "SET") or cursor.accept("CHARSET"):
        cursor.name()
    elif cursor.is_word(*CONSTRAINT_STATES):
        # https://docs.oracle.com/en/database/oracle/oracle-database/19/sqlrf/constraint.html
        # (constraint states) change how a constraint is checked, not what it says.
        cursor.take()
    else:
        word = cursor.take().text.upper()
        cursor.skip_group()
        state.warn(f"Column option {word!r} is not represented (first on {table.name}.{column}).")


def read_key_option(
    cursor: Cursor,
    state: ScriptState,
    table: TableDraft,
    column: str,
    extras: ColumnExtras,
    constraint_name: str | None,
) -> bool:
    """PRIMARY KEY, UNIQUE, REFERENCES or CHECK on a column; False if none is next."""
    if cursor.accept("PRIMARY", "KEY"):
        extras.primary_key = constraint_name or ""
        while cursor.accept("ASC") or cursor.accept("DESC") or cursor.accept("CLUSTERED"):
            pass
        cursor.accept("NONCLUSTERED")
        skip_conflict_clause(cursor)
        extras.autoincrement = cursor.accept("AUTOINCREMENT")
    elif cursor.accept("UNIQUE"):
        cursor.accept("KEY")
        _ = cursor.accept("CLUSTERED") or cursor.accept("NONCLUSTERED")
        skip_conflict_clause(cursor)
        extras.unique.append(constraint_name)
    elif cursor.accept("REFERENCES"):
        extras.foreign_keys.append(read_references(cursor, state, table, [column], constraint_name))
    elif cursor.accept("CHECK"):
        start, stop = cursor.group()
        text = plain_text(cursor.source(start, stop), state)
        extras.checks.append(CheckConstraint(name=constraint_name, expression=text))
    else:
        return False
    return True


def skip_conflict_clause(cursor: Cursor) -> None:
    """SQLite's `ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE`: how a violation is
    handled, not what the constraint says."""
    if cursor.accept("ON", "CONFLICT"):
        cursor.take()


def set_identity(cursor: Cursor, fields: dict[str, Any], generation: IdentityGeneration) -> None:
    """An identity column: its sequence options are not kept."""
    cursor.skip_group()
    fields["identity"] = generation
    fields["autoincrement"] = True


def finish_column(
    name: str, type_text: str, fields: dict[str, Any], state: ScriptState, table: TableDraft
) -> Column:
    """The column, with PostgreSQL's serial types spelled as the catalog has them."""
    database = state.database
    serial = SERIALS.get(type_text.lower()) if database == DatabaseType.POSTGRESQL else None
    if serial is not None:
        prefix = f"{table.schema}." if table.schema and table.schema != "public" else ""
        type_text = serial
        sequence = postgres_name(table.name, name, "seq")
        fields["default"] = f"nextval('{prefix}{sequence}'::regclass)"
        fields["nullable"] = False
    default = fields.get("default")
    if isinstance(default, str) and default.strip().upper() == "NULL":
        fields["default"] = None
    if fields.get("identity") is not None:
        # An identity column is NOT NULL in every database that has them.
        fields["nullable"] = False
    default = fields.get("default")
    if database == DatabaseType.POSTGRESQL and str(default or "").startswith("nextval("):
        fields["autoincrement"] = True
    if database in MYSQL_FAMILY and fields.get("autoincrement"):
        fields["nullable"] = False
    if database in MYSQL_FAMILY and type_text.upper().endswith(" BINARY"):
        # https://dev.mysql.com/doc/refman/8.0/en/charset-binary-collations.html
        type_text = type_text[: -len(" BINARY")].rstrip()
        state.warn(
            f"The BINARY attribute of {table.name}.{name} means its character set's binary "
            "collation, which the script does not name; the collation is left unset."
        )
    if database == DatabaseType.SQLSERVER:
        # SSMS scripts bracket type names ([nvarchar](200)); the brackets change nothing.
        type_text = BRACKETED.sub(r"\1", type_text)
    if not type_text:
        # https://www.sqlite.org/datatype3.html#determination_of_column_affinity (rule 3)
        type_text = "BLOB" if database == DatabaseType.SQLITE else "unknown"
    return Column(
        name=name,
        type=type_text,
        normalized_type=normalize_type(type_text, database),
        is_array=type_text.endswith("]") or type_text.upper().startswith("ARRAY"),
        **fields,
    )
