"""Canonical spellings of column types, so that two spellings of one type compare equal.

`normalize_type` reads a type as a database or a person wrote it and returns one
lowercase spelling per type and dialect. sqlglot's tokenizer splits the text, so quoted
names and enum labels keep their case and any commas, quotes or parentheses inside them.

What it unifies:

- aliases of one type: `int4`/`int`/`integer` -> `integer`, `int2` -> `smallint`,
  `int8` -> `bigint`, `bool` -> `boolean`, `character varying(n)` -> `varchar(n)`,
  `character(n)`/`bpchar(n)` -> `char(n)`, `decimal` -> `numeric`, `float8`/`double`
  -> `double precision`, `float4` -> `real`, `timestamp [without time zone]` ->
  `timestamp`, `timestamp with time zone` -> `timestamptz` (likewise `time`/`timetz`),
  `bit varying` -> `varbit`;
- PostgreSQL: `serial`/`bigserial`/`smallserial` -> their integer type (the sequence is
  the column's default), `float(p)` -> `real` or `double precision` by precision,
  `char` -> `char(1)`, `bit` -> `bit(1)`, array suffixes (`integer[3]`, `_int4` is not
  resolved) -> `[]` per dimension;
- MySQL and MariaDB: integer display widths (`int(10) unsigned` -> `integer unsigned`;
  `tinyint(1)` keeps its width because it is how MySQL spells boolean), `bool` ->
  `tinyint(1)`, `decimal` -> `numeric(10,0)` and `decimal(p)` -> `numeric(p,0)`,
  `real` -> `double precision`, `year(4)` -> `year`, `serial` -> `bigint unsigned`;
- spacing and letter case outside quoted names and string literals.

What it does not unify: a domain and its base type, `varchar` and `text`, types that
only behave alike (`timestamp(6)` and `timestamp`, MySQL `text` and `mediumtext`),
character sets and collations written after a MySQL type, and names qualified by
schema (`public.mpaa_rating` stays apart from `mpaa_rating`). In SQLite `INT` and
`INTEGER` become one spelling even though only `INTEGER PRIMARY KEY` is a rowid alias.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import Token, TokenError, TokenType
from sqlglot.dialects import Dialect

from chartdb_mcp.core.model.kinds import DatabaseType

# The sqlglot dialect whose tokenizer reads each database's type text.
TOKENIZER_DIALECTS: dict[DatabaseType, str] = {
    DatabaseType.POSTGRESQL: "postgres",
    DatabaseType.MYSQL: "mysql",
    DatabaseType.MARIADB: "mysql",
    DatabaseType.SQLITE: "sqlite",
    DatabaseType.SQLSERVER: "tsql",
    DatabaseType.ORACLE: "oracle",
    DatabaseType.GENERIC: "",
}

COMMON_ALIASES: dict[str, str] = {
    "int": "integer",
    "int4": "integer",
    "integer": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "bool": "boolean",
    "character varying": "varchar",
    "char varying": "varchar",
    "character": "char",
    "decimal": "numeric",
    "dec": "numeric",
    "double": "double precision",
    "float8": "double precision",
    "float4": "real",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "time without time zone": "time",
    "time with time zone": "timetz",
    "bit varying": "varbit",
}

# https://www.postgresql.org/docs/current/datatype.html (table 8.1 lists the aliases)
POSTGRES_ALIASES: dict[str, str] = {
    **COMMON_ALIASES,
    "bpchar": "char",
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}

# https://mariadb.com/kb/en/data-types/ and https://dev.mysql.com/doc/refman/8.0/en/other-vendor-data-types.html
MYSQL_ALIASES: dict[str, str] = {
    **COMMON_ALIASES,
    "int1": "tinyint",
    "int3": "mediumint",
    "middleint": "mediumint",
    "fixed": "numeric",
    "real": "double precision",
    "float4": "float",
    "bool": "tinyint",
    "boolean": "tinyint",
    "serial": "bigint unsigned",
}

ALIASES: dict[DatabaseType, dict[str, str]] = {
    DatabaseType.POSTGRESQL: POSTGRES_ALIASES,
    DatabaseType.MYSQL: MYSQL_ALIASES,
    DatabaseType.MARIADB: MYSQL_ALIASES,
}

MYSQL_INTEGERS = frozenset({"tinyint", "smallint", "mediumint", "integer", "bigint"})
MYSQL_MODIFIERS = ("signed", "unsigned", "zerofill")
WORD_TOKENS = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT})
PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*")
# Quoting keeps a user type apart from a built-in one: PostgreSQL's "char" is not char(1).
TYPE_WORDS = frozenset(
    word
    for aliases in (POSTGRES_ALIASES, MYSQL_ALIASES)
    for spelling in (*aliases, *aliases.values())
    for word in spelling.split()
) | {"char", "bit", "float", "text", "varchar", "enum", "set", "year", "time", "timestamp"}


@dataclass
class TypeParts:
    """A type text split into the words before and after its arguments."""

    head: list[str]
    args: list[str]
    has_args: bool
    tail: list[str]
    array_dims: int


@lru_cache(maxsize=4096)
def normalize_type(type_text: str, database_type: DatabaseType | str) -> str:
    """Return the canonical lowercase spelling of `type_text` in `database_type`.

    Never raises: text the tokenizer cannot read comes back lowercased with its spacing
    collapsed. The module docstring lists what compares equal afterwards. Results are
    cached, since a schema repeats a few dozen type spellings over thousands of columns.
    """
    database = DatabaseType(database_type)
    text = " ".join(type_text.split())
    if not text:
        return ""
    try:
        tokens = Dialect.get_or_raise(TOKENIZER_DIALECTS[database] or None).tokenize(text)
        parts = split_type(tokens, database)
    except (TokenError, ValueError):
        return text.lower()
    return render(parts, database)


def split_type(tokens: list[Token], database: DatabaseType) -> TypeParts:
    """Group the tokens of a type into head words, arguments, tail words and `[]`s."""
    parts = TypeParts(head=[], args=[], has_args=False, tail=[], array_dims=0)
    depth = 0
    current: list[str] = []
    for token in tokens:
        kind = token.token_type
        if kind == TokenType.L_PAREN:
            depth += 1
            parts.has_args = True
            if depth > 1:
                current.append("(")
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                parts.args.append("".join(current))
                current = []
            else:
                current.append(")")
        elif depth > 0:
            if kind == TokenType.COMMA and depth == 1:
                parts.args.append("".join(current))
                current = []
            else:
                current.append(token_text(token, database))
        elif kind == TokenType.L_BRACKET:
            parts.array_dims += 1
        elif kind in (TokenType.R_BRACKET, TokenType.NUMBER):
            continue  # the size of an array dimension is not enforced by PostgreSQL
        else:
            words = parts.tail if parts.has_args else parts.head
            add_word(words, token, database)
    if depth != 0:
        raise ValueError("unbalanced parentheses")
    return parts


def add_word(words: list[str], token: Token, database: DatabaseType) -> None:
    """Append a word; a dot and the word after it join the previous word (`schema.type`)."""
    text = token_text(token, database)
    if words and (token.token_type == TokenType.DOT or words[-1].endswith(".")):
        words[-1] += text
    else:
        words.append(text)


def token_text(token: Token, database: DatabaseType) -> str:
    """The token as canonical text: quoted names and strings keep their case."""
    if token.token_type == TokenType.STRING:
        return "'" + token.text.replace("'", "''") + "'"
    if token.token_type == TokenType.IDENTIFIER:
        return quote_name(token.text, database)
    return token.text.lower()


def quote_name(name: str, database: DatabaseType) -> str:
    """A quoted name, unquoted when quoting changes nothing (plain, lowercase, no type word)."""
    if PLAIN_IDENTIFIER.fullmatch(name) and name not in TYPE_WORDS:
        return name
    if database in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def render(parts: TypeParts, database: DatabaseType) -> str:
    """Put the canonical name, arguments, MySQL modifiers and array suffix together."""
    aliases = ALIASES.get(database, COMMON_ALIASES)
    words, tail = list(parts.head), list(parts.tail)
    modifiers: list[str] = []
    if database in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        # https://dev.mysql.com/doc/refman/8.0/en/numeric-type-attributes.html
        modifiers = [w for w in words + tail if w in MYSQL_MODIFIERS and w != "signed"]
        words = [word for word in words if word not in MYSQL_MODIFIERS]
        tail = [word for word in tail if word not in MYSQL_MODIFIERS]
    full = " ".join(words + tail)
    head = " ".join(words)
    if full in aliases or not tail:
        name, rest = aliases.get(full, full), ""
    else:
        name, rest = aliases.get(head, head), " " + " ".join(tail)
    name, args = adjust(name, parts.args, database, original=full)
    arguments = f"({','.join(args)})" if args else ""
    suffix = "".join(f" {word}" for word in modifiers)
    return f"{name}{arguments}{rest}{suffix}" + "[]" * parts.array_dims


def adjust(
    name: str, args: list[str], database: DatabaseType, *, original: str
) -> tuple[str, list[str]]:
    """Dialect rules that depend on the arguments (precision, widths, implied sizes)."""
    if database == DatabaseType.POSTGRESQL:
        return adjust_postgres(name, args, original=original)
    if database in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        return adjust_mysql(name, args, original=original)
    return name, args


def adjust_postgres(name: str, args: list[str], *, original: str) -> tuple[str, list[str]]:
    """PostgreSQL: `float(p)` picks real or double; `char` and `bit` mean length 1."""
    # https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT
    if name == "float":
        return float_by_precision(args, default="double precision"), []
    # https://www.postgresql.org/docs/current/datatype-character.html (bpchar alone: unbounded)
    if original == "bpchar" and not args:
        return "bpchar", []
    if name in ("char", "bit") and not args:
        return name, ["1"]
    return name, args


def adjust_mysql(name: str, args: list[str], *, original: str) -> tuple[str, list[str]]:
    """MySQL: drop integer display widths, fill in decimal's defaults, spell bool."""
    # https://dev.mysql.com/doc/refman/8.0/en/numeric-type-syntax.html
    if original in ("bool", "boolean"):
        return "tinyint", ["1"]
    if name in MYSQL_INTEGERS:
        keep = name == "tinyint" and args == ["1"]
        return name, args if keep else []
    if name == "numeric" and len(args) < 2:
        return name, [args[0] if args else "10", "0"]
    if name == "float" and len(args) == 1:
        return float_by_precision(args, default="float", single="float"), []
    if name == "year":
        return name, []
    if name in ("char", "bit") and not args:
        return name, ["1"]
    return name, args


def float_by_precision(args: list[str], *, default: str, single: str = "real") -> str:
    """`float(p)`: single precision up to 24 bits, double above (both vendors agree)."""
    if not args or not args[0].isdigit():
        return default
    return single if int(args[0]) <= 24 else "double precision"
