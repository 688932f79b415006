"""Only real `:name` parameters are bound: colons in strings, names and comments stay text."""

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.binding import mark_parameters
from chartdb_mcp.errors import QueryRefused

PG, MARIA, SQLITE = DatabaseType.POSTGRESQL, DatabaseType.MARIADB, DatabaseType.SQLITE


def compiled(sql: str) -> str:
    """What text() sends for `sql` (PostgreSQL's %(name)s style)."""
    return str(text(sql).compile(dialect=postgresql.dialect()))


@pytest.mark.parametrize(
    ("dialect", "sql", "given", "sent"),
    [
        (PG, "SELECT '{\"a\":1}' AS j, :v AS v", {"v"}, "SELECT '{\"a\":1}' AS j, %(v)s AS v"),
        (PG, "SELECT :x::int + 1", {"x"}, "SELECT (%(x)s)::int + 1"),
        (PG, 'SELECT 1 AS "a:b" -- :c\n', set(), 'SELECT 1 AS "a:b" -- :c\n'),
        (PG, "SELECT $$:d$$, a::text FROM t", set(), "SELECT $$:d$$, a::text FROM t"),
        (
            MARIA,
            "SELECT `x:y`, ':z' # :w\n WHERE a = :a",
            {"a"},
            "SELECT `x:y`, ':z' # :w\n WHERE a = %(a)s",
        ),
        (SQLITE, "SELECT [c:d], 'x:y', :p", {"p"}, "SELECT [c:d], 'x:y', %(p)s"),
    ],
)
def test_only_the_parameters_are_bound(
    dialect: DatabaseType, sql: str, given: set[str], sent: str
) -> None:
    marked, used = mark_parameters(sql, dialect, given)
    assert used == given
    assert compiled(marked) == sent


def test_a_missing_or_unused_value_is_refused_by_name() -> None:
    with pytest.raises(QueryRefused, match=":b"):
        mark_parameters("SELECT :a, :b", PG, {"a"})
    with pytest.raises(QueryRefused, match="'extra'"):
        mark_parameters("SELECT :a", PG, {"a", "extra"})
