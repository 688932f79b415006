"""One spelling per expression, for comparing defaults and checks across sources.

A catalog prints an expression its own way: PostgreSQL drops redundant parentheses,
adds the casts it infers (`'ok'::mood`, `lower(email::text)`), MariaDB writes
`current_timestamp()` for `CURRENT_TIMESTAMP` and `1` for `TRUE`, and partition bounds
come in the server's time zone. These functions print the text back in one form (sqlglot
parses the expressions), so a script and a live import of the same schema compare
equal. They are for comparing, not for showing.
"""

import re
from datetime import UTC, datetime
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.types import TOKENIZER_DIALECTS

MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)
QUOTED = re.compile(r"'((?:[^']|'')*)'")


@lru_cache(maxsize=4096)
def canonical_expression(text: str | None, database: DatabaseType) -> str | None:
    """The expression in one spelling; text sqlglot cannot read comes back squeezed."""
    if text is None:
        return None
    try:
        return respelled(text, database)
    except (ParseError, TokenError, RecursionError):
        # sqlglot recurses once per parenthesis: deep nesting is unreadable text too.
        return " ".join(text.split()).lower()


def respelled(text: str, database: DatabaseType) -> str | None:
    """The expression parsed and printed back without parentheses, casts or quotes."""
    dialect = TOKENIZER_DIALECTS[database] or None
    tree = sqlglot.parse_one(text, read=dialect)
    while isinstance(tree, exp.Paren | exp.Cast):
        tree = tree.this
    for identifier in tree.find_all(exp.Identifier):
        identifier.set("quoted", False)
    for node in list(tree.find_all(exp.Paren, exp.Boolean, exp.Cast)):
        if node is tree:
            tree = simplify(node, database)
        else:
            node.replace(simplify(node, database))
    if isinstance(tree, exp.Null):
        return None
    return tree.sql(dialect=dialect, normalize=True, comments=False).lower()


def simplify(node: exp.Expression, database: DatabaseType) -> exp.Expression:
    """Drop parentheses and casts; spell MySQL booleans as the numbers they are."""
    if isinstance(node, exp.Paren | exp.Cast):
        inner: exp.Expression = node.this
        return inner
    if database in MYSQL_FAMILY and isinstance(node, exp.Boolean):
        return exp.Literal.number(1 if node.this else 0)
    return node


def canonical_bound(text: str | None) -> str | None:
    """A partition bound with its timestamps in UTC (catalogs print the server's zone).

    A timestamp without a zone is taken as UTC: a script cannot say which zone the
    server will read it in.
    """
    if text is None:
        return None
    return QUOTED.sub(lambda match: utc_literal(match.group(1)), " ".join(text.split()))


def utc_literal(value: str) -> str:
    """`'2022-04-01 01:00:00+01'` as `'2022-04-01 00:00:00'`; other literals as they are."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"'{value}'"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return f"'{moment.isoformat(sep=' ')}'"
