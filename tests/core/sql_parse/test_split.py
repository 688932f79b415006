"""Statements are cut where each database's own client would cut them."""

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse.split import split_statements

PG, MYSQL, SQLITE = DatabaseType.POSTGRESQL, DatabaseType.MYSQL, DatabaseType.SQLITE
TSQL, ORACLE = DatabaseType.SQLSERVER, DatabaseType.ORACLE


def texts(script: str, database: DatabaseType) -> list[str]:
    return [" ".join(statement.text.split()) for statement in split_statements(script, database)]


@pytest.mark.parametrize(
    ("script", "database", "expected"),
    [
        ("SELECT 'a;b'; SELECT 2", PG, ["SELECT 'a;b'", "SELECT 2"]),
        ("SELECT 'it''s;'; SELECT 2;", PG, ["SELECT 'it''s;'", "SELECT 2"]),
        ('CREATE TABLE "a;b" (x int); SELECT 1;', PG, ['CREATE TABLE "a;b" (x int)', "SELECT 1"]),
        (
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql; SELECT 3;",
            PG,
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql",
                "SELECT 3",
            ],
        ),
        (
            "CREATE FUNCTION g() AS $body$ x := '$$;'; $body$; SELECT $1;",
            PG,
            ["CREATE FUNCTION g() AS $body$ x := '$$;'; $body$", "SELECT $1"],
        ),
        ("SELECT 1; -- a; comment\nSELECT /* ; */ 2;", PG, ["SELECT 1", "SELECT 2"]),
        (
            "\\restrict k3y\nSELECT 1;\n  \\connect other\nSELECT 2",
            PG,
            ["\\restrict k3y", "SELECT 1", "\\connect other", "SELECT 2"],
        ),
        (
            "SELECT E'it\\'s;'; SELECT 'a\\'; SELECT 3;",
            PG,
            ["SELECT E'it\\'s;'", "SELECT 'a\\'", "SELECT 3"],
        ),
        ("SELECT 'a\\';b'; SELECT 2;", MYSQL, ["SELECT 'a\\';b'", "SELECT 2"]),
        ("SELECT `a;b` FROM t; # c;\nSELECT 2;", MYSQL, ["SELECT `a;b` FROM t", "SELECT 2"]),
        ("/*!40101 SET NAMES utf8 */;\nSELECT 1;", MYSQL, ["SET NAMES utf8", "SELECT 1"]),
        (
            "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END //\n"
            "DELIMITER ;\nSELECT 3;",
            MYSQL,
            ["CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", "SELECT 3"],
        ),
        (
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 END; "
            "DELETE FROM b; END; CREATE TABLE c (x);",
            SQLITE,
            [
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 "
                "END; DELETE FROM b; END",
                "CREATE TABLE c (x)",
            ],
        ),
        ("SELECT [a;b] FROM t; SELECT 2;", SQLITE, ["SELECT [a;b] FROM t", "SELECT 2"]),
        (
            "CREATE TABLE [a] (x INT)\nCREATE TABLE b (y INT)\nGO\nSELECT 1\ngo\n",
            TSQL,
            ["CREATE TABLE [a] (x INT)", "CREATE TABLE b (y INT)", "SELECT 1"],
        ),
        (
            "CREATE PROCEDURE p AS\nBEGIN\n  SELECT 1;\n  CREATE TABLE x (y INT);\nEND\nGO\n",
            TSQL,
            ["CREATE PROCEDURE p AS BEGIN SELECT 1; CREATE TABLE x (y INT); END"],
        ),
        (
            "CREATE TABLE t (x NUMBER);\nBEGIN\n  NULL;\n  NULL;\nEND;\n/\nSELECT 1 FROM dual;",
            ORACLE,
            ["CREATE TABLE t (x NUMBER)", "BEGIN NULL; NULL; END;", "SELECT 1 FROM dual"],
        ),
    ],
)
def test_splits_like_the_client(script: str, database: DatabaseType, expected: list[str]) -> None:
    assert texts(script, database) == expected


def test_statements_know_their_first_line() -> None:
    script = "-- header\n\nSELECT 1;\n/* two\nlines */ SELECT\n2;\n\n\nSELECT 3;"
    assert [s.line for s in split_statements(script, PG)] == [3, 5, 9]


def test_an_unterminated_string_ends_the_script_instead_of_looping() -> None:
    assert texts("SELECT 1; SELECT 'oops", PG) == ["SELECT 1", "SELECT 'oops"]
