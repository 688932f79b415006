"""The read-only classifier alone: what it refuses, why it says so, and what it lets read."""

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.readonly import check_read_only, parse_single
from chartdb_mcp.errors import QueryRefused

PG, MARIA, SQLITE = DatabaseType.POSTGRESQL, DatabaseType.MARIADB, DatabaseType.SQLITE

REFUSED = [
    (PG, "SELECT 1; COMMIT", "2 statements"),
    (PG, "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "DELETE"),
    (PG, "SELECT * INTO t2 FROM t", "SELECT ... INTO"),
    (PG, "SELECT * FROM t FOR SHARE", "row lock"),
    (PG, "SELECT pg_catalog.pg_sleep(1)", "'pg_sleep'"),
    (PG, "SELECT dblink_connect('x')", "'dblink_connect'"),
    (PG, "SELECT pg_try_advisory_lock(1)", "'pg_try_advisory_lock'"),
    (PG, 'SELECT U&"\\0070g_sleep"(1)', "unicode-escaped"),
    (PG, "DO $$ BEGIN END $$", "this statement is DO"),
    (PG, "COPY t TO PROGRAM 'x'", "COPY"),
    (MARIA, "SELECT /*!50000 SLEEP(1) */", "executable comment"),
    (MARIA, "SELECT /*+ BKA(t) */ 1", "executable comment"),
    (MARIA, "SELECT @a := 1", "variable assignment"),
    (MARIA, "SELECT * FROM t LOCK IN SHARE MODE", "row lock"),
    (MARIA, "SELECT LOAD_FILE('/etc/passwd')", "'load_file'"),
    (MARIA, "SELECT 1 INTO OUTFILE '/tmp/x'", "cannot be parsed"),
    (SQLITE, "VACUUM INTO '/tmp/x'", "VACUUM"),
    (SQLITE, "ATTACH 'x' AS y", "ATTACH"),
    (SQLITE, "SELECT load_extension('x')", "'load_extension'"),
    (SQLITE, "PRAGMA query_only = 0", "PRAGMA"),
    (SQLITE, "", "empty"),
    (PG, "SELECT " + "(" * 300 + "1" + ")" * 300, "too deeply nested"),
    (MARIA, "SELECT 1 WHERE 1 IN " + "(SELECT 1 WHERE 1 IN " * 200 + "(1)" + ")" * 200, "nested"),
]

READS = [
    (PG, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM t"),
    (PG, "SELECT * FROM t, LATERAL (SELECT t.a * 2) AS l(b)"),
    (PG, "SELECT 'pg_sleep(1); DELETE FROM t'"),
    (PG, "SELECT current_setting('search_path')"),
    (MARIA, "SELECT @@version, JSON_EXTRACT('[1]', '$[0]')"),
    (MARIA, "SELECT a FROM t WHERE b = :b ORDER BY a LIMIT 10"),
    (SQLITE, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r"),
    (SQLITE, "VALUES (1), (2)"),
]


@pytest.mark.parametrize(("dialect", "sql", "reason"), REFUSED)
def test_refused_with_the_reason(dialect: DatabaseType, sql: str, reason: str) -> None:
    with pytest.raises(QueryRefused) as raised:
        check_read_only(sql, dialect)
    assert reason in str(raised.value)


@pytest.mark.parametrize(("dialect", "sql"), READS)
def test_reads_pass(dialect: DatabaseType, sql: str) -> None:
    assert check_read_only(sql, dialect).kind in ("SELECT", "VALUES")


def test_write_mode_still_needs_exactly_one_parsable_statement() -> None:
    assert parse_single("UPDATE t SET a = 1", PG).kind == "UPDATE"
    with pytest.raises(QueryRefused, match="2 statements"):
        parse_single("UPDATE t SET a = 1; DELETE FROM t", PG)


def test_dialects_without_a_checker_are_refused() -> None:
    with pytest.raises(QueryRefused, match="not supported"):
        check_read_only("SELECT 1", DatabaseType.ORACLE)
