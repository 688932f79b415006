"""Marking a query's `:name` parameters so that only they are bound, and nothing else.

The query runs as a SQLAlchemy `text()` construct, which takes any `:word` for a bound
parameter, even inside a string literal, a quoted name or a comment (`'{"a":1}'` would
ask for a parameter `1`), and misses one written before a PostgreSQL cast (`:x::int`).
The dialect's own tokenizer (sqlglot) knows where the real parameters are; every other
colon text() would take for one is escaped (`\\:`, which text() turns back into `:`),
and a parameter before `::` is wrapped in parentheses.
"""

import itertools
import re

from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import TokenType

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.readonly import dialect_of
from chartdb_mcp.errors import QueryRefused

# https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text:
# the pattern text() binds (a colon, a word, no colon before or after).
TEXT_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")
NAME = re.compile(r"\w+")


def mark_parameters(sql: str, database_type: DatabaseType, given: set[str]) -> tuple[str, set[str]]:
    """The text to hand to text(), and the parameter names it uses.

    Raises QueryRefused when the query uses a parameter without a value in `given`,
    or `given` holds a value the query does not use.
    """
    placeholders = _placeholders(sql, database_type)
    parts: list[str] = []
    position = 0
    used: set[str] = set()
    for index, char in enumerate(sql):
        if char != ":" or index < position:
            continue
        parts.append(sql[position:index])
        if index in placeholders:
            name, end = placeholders[index]
            used.add(name)
            before_cast = sql.startswith("::", end + 1)
            parts.append(f"(:{name})" if before_cast else f":{name}")
            position = end + 1
            continue
        parts.append("\\:" if TEXT_BIND.match(sql, index) else ":")
        position = index + 1
    parts.append(sql[position:])
    _check_values(used, given)
    return "".join(parts), used


def _placeholders(sql: str, database_type: DatabaseType) -> dict[int, tuple[str, int]]:
    """Colon positions that start a `:name` parameter: name and the name's last index."""
    try:
        tokens = Dialect.get_or_raise(dialect_of(database_type)).tokenize(sql)
    except SqlglotError as error:
        raise QueryRefused(f"The query cannot be tokenized: {error}") from None
    found: dict[int, tuple[str, int]] = {}
    for colon, name in itertools.pairwise(tokens):
        adjacent = name.start == colon.end + 1
        if colon.token_type == TokenType.COLON and adjacent and NAME.fullmatch(name.text):
            found[colon.start] = (name.text, name.end)
    return found


def _check_values(used: set[str], given: set[str]) -> None:
    missing = sorted(used - given)
    if missing:
        listed = ", ".join(f":{name}" for name in missing)
        raise QueryRefused(f"The query uses {listed}, but parameters gives no value for it.")
    unused = sorted(given - used)
    if unused:
        listed = ", ".join(repr(name) for name in unused)
        raise QueryRefused(f"parameters has {listed}, which the query does not use as :name.")
