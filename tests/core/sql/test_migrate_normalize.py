"""What the migration normalization treats as the same, and what it keeps apart."""

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.migrate.spelling import bare_expression, same_default, same_type

PG, MARIA, LITE = DatabaseType.POSTGRESQL, DatabaseType.MARIADB, DatabaseType.SQLITE


@pytest.mark.parametrize(
    ("first", "second", "dialect", "same"),
    [
        ("int4", "integer", PG, True),
        ("character varying(20)", "varchar(20)", PG, True),
        ("varchar(20)", "varchar(30)", PG, False),
        ("bool", "tinyint(1)", MARIA, True),
        ("int(11)", "integer", MARIA, True),
        ("int(10) unsigned", "integer", MARIA, False),
        ("INTEGER", "integer", LITE, True),
        ("text", "varchar(20)", PG, False),
    ],
)
def test_type_aliases(first: str, second: str, dialect: DatabaseType, same: bool) -> None:
    assert same_type(first, second, dialect) is same


@pytest.mark.parametrize(
    ("first", "second", "dialect", "same"),
    [
        ("'x'::text", "'x'", PG, True),
        ("('x'::character varying)", "'x'", PG, True),
        ("(0)::integer", "0", PG, True),
        ("now()", "CURRENT_TIMESTAMP", PG, True),
        ("current_timestamp()", "CURRENT_TIMESTAMP", MARIA, True),
        ("(1)", "1", LITE, True),
        ("'X'", "'x'", PG, False),
        ("1", "2", PG, False),
        (None, "NULL", MARIA, True),
        (None, "0", PG, False),
    ],
)
def test_defaults(first: str | None, second: str, dialect: DatabaseType, same: bool) -> None:
    assert same_default(first, second, dialect) is same


@pytest.mark.parametrize(
    ("first", "second", "dialect"),
    [
        ("lower((email)::text)", "lower(email)", PG),
        ("(label <> ''::text)", "label <> ''", PG),
        ("`score` >= 0", "score >= 0", MARIA),
        ("(score * 2)", "score * 2", PG),
    ],
)
def test_expressions_spelled_back_by_the_server(
    first: str, second: str, dialect: DatabaseType
) -> None:
    assert bare_expression(first, dialect) == bare_expression(second, dialect)


def test_expressions_that_differ_stay_apart() -> None:
    assert bare_expression("score > 0", PG) != bare_expression("score >= 0", PG)
    assert bare_expression("(a + b) * c", PG) != bare_expression("a + b * c", PG)
