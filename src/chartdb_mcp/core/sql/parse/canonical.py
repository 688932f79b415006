"""One spelling per expression, for comparing defaults and checks across sources.

A catalog prints an expression its own way: PostgreSQL drops redundant parentheses,
adds the casts it infers (`'ok'::mood`, `lower(email::text)`), MariaDB writes
`current_timestamp()` for `CURRENT_TIMESTAMP` and `1` for `TRUE`. These
functions parse the text with sqlglot and print it back in one form, so a script and a
live import of the same schema compare equal. They are for comparing, not for showing.
"""

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.types import TOKENIZER_DIALECTS

MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)


@lru_cache(maxsize=4096)
def canonical_expression(text: str | None, database: DatabaseType) -> str | None:
    """The expression in one spelling; text sqlglot cannot read comes back squeezed."""
    if text is None:
        return None
    dialect = TOKENIZER_DIALECTS[database] or None
    try:
        tree = sqlglot.parse_one(text, read=dialect)
    except (ParseError, TokenError):
        return " ".join(text.split()).lower()
    while isinstance(tree, exp.Paren | exp.Cast):
        tree = tree.this
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
