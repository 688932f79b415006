"""Read-only mode holds: no attack changes PostgreSQL, MariaDB or SQLite, and reads pass.

Every attack goes through `chartdb_query_database` in read mode (both layers: the
classifier and the database's read-only transaction) and must be refused or fail; then
the database is checked directly: the marker table still holds its one row, no table was
added, and no file was written. Legitimate complex reads must still pass. A second
table, per dialect, runs writes through the runner with the classifier bypassed, to
show what the database layer stops on its own.
"""

import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from chartdb_mcp.errors import QueryFailed
from chartdb_mcp.live.query.runner import QueryRequest, run_statement
from chartdb_mcp.live.target import parse_target
from support.databases import (
    mariadb_connect,
    mariadb_database,
    postgres_connect,
    postgres_database,
)
from support.mcp_client import text_of
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio

ORIGINAL = [(1, "original")]
# A file an attack would create; {file} in an attack's SQL stands for it.
FILE_TOKEN = "{file}"


@dataclass
class Marked:
    """A database holding one `marker` row; `state()` reads tables and rows back."""

    dialect: str
    url: str
    file: Path

    def state(self) -> tuple[set[str], list[tuple[Any, ...]]]:
        if self.dialect == "sqlite":
            with sqlite3.connect(self.url) as raw:
                tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
                rows = raw.execute("SELECT id, note FROM marker ORDER BY id").fetchall()
            raw.close()
            return tables, rows
        if self.dialect == "postgresql":
            with postgres_connect(make_url(self.url)) as connection:
                tables = {
                    row[0]
                    for row in connection.execute(
                        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                    )
                }
                rows = connection.execute("SELECT id, note FROM marker ORDER BY id").fetchall()
            return tables, [tuple(row) for row in rows]
        parts = make_url(self.url)
        connection = mariadb_connect(parts, parts.database)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW TABLES")
                tables = {row[0] for row in cursor.fetchall()}
                cursor.execute("SELECT id, note FROM marker ORDER BY id")
                rows = [tuple(row) for row in cursor.fetchall()]
        finally:
            connection.close()
        return tables, rows


def attack_file() -> Path:
    # In /tmp, where the database servers may write, so a working attack would leave it.
    return Path("/tmp") / f"chartdb_attack_{os.getpid()}_{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def postgresql_marked() -> Iterator[Marked]:
    with postgres_database("attacks") as url:
        with postgres_connect(make_url(url), autocommit=True) as connection:
            connection.execute("CREATE TABLE marker (id int PRIMARY KEY, note text)")
            connection.execute("INSERT INTO marker VALUES (1, 'original')")
            connection.execute("CREATE SEQUENCE marker_seq")
        yield Marked("postgresql", url, attack_file())


@pytest.fixture(scope="module")
def mariadb_marked() -> Iterator[Marked]:
    with mariadb_database("attacks") as url:
        parts = make_url(url)
        connection = mariadb_connect(parts, parts.database)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE marker (id INT PRIMARY KEY, note TEXT)")
            cursor.execute("INSERT INTO marker VALUES (1, 'original')")
        connection.close()
        yield Marked("mariadb", url, attack_file())


@pytest.fixture(scope="module")
def sqlite_marked(tmp_path_factory: pytest.TempPathFactory) -> Marked:
    folder = tmp_path_factory.mktemp("attacks")
    path = folder / "marked.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE marker (id INTEGER PRIMARY KEY, note TEXT)")
        raw.execute("INSERT INTO marker VALUES (1, 'original')")
    raw.close()
    return Marked("sqlite", str(path), folder / "attack_output.db")


POSTGRES_ATTACKS = [
    "SELECT 1; COMMIT; INSERT INTO marker VALUES (2, 'x')",
    "COMMIT; INSERT INTO marker VALUES (2, 'x')",
    "END; DROP TABLE marker",
    "ROLLBACK; DELETE FROM marker",
    "SELECT 1 -- comment\n; DELETE FROM marker",
    "SELECT 1 /* ; */ ; DELETE FROM marker",
    "SELECT $$;$$; DELETE FROM marker",
    "WITH gone AS (DELETE FROM marker RETURNING *) SELECT * FROM gone",
    "WITH x AS (INSERT INTO marker VALUES (2, 'x') RETURNING *) SELECT 1",
    "WITH a AS (SELECT 1), b AS (UPDATE marker SET note = 'x' RETURNING 1) SELECT * FROM a",
    "SELECT * FROM (WITH d AS (DELETE FROM marker RETURNING 1) SELECT * FROM d) s",
    "SELECT * INTO stolen FROM marker",
    "CREATE TABLE stolen AS SELECT * FROM marker",
    "SELECT * FROM marker FOR UPDATE",
    "SELECT * FROM marker FOR SHARE",
    "SELECT * FROM marker FOR NO KEY UPDATE SKIP LOCKED",
    "DO $$ BEGIN DELETE FROM marker; END $$",
    "PREPARE evil AS DELETE FROM marker",
    "EXECUTE evil",
    "COPY marker TO PROGRAM 'touch {file}'",
    "COPY (SELECT 1) TO '{file}'",
    "COPY marker FROM PROGRAM 'echo 2,x'",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_catalog.pg_read_file('/etc/hostname')",
    "SELECT pg_read_binary_file('/etc/hostname')",
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT dblink_exec('dbname=postgres', 'DELETE FROM marker')",
    "SELECT * FROM dblink('dbname=postgres', 'SELECT 1') AS t(a int)",
    "SELECT lo_import('/etc/hostname')",
    "SELECT lo_export(1, '{file}')",
    "SELECT pg_sleep(600)",
    "SELECT pg_advisory_lock(42)",
    "SELECT pg_try_advisory_xact_lock(42)",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT set_config('transaction_read_only', 'off', true)",
    "SET SESSION default_transaction_read_only = off",
    "SET transaction_read_only = off",
    "RESET ALL",
    "SELECT nextval('marker_seq')",
    "SELECT setval('marker_seq', 100)",
    "SELECT query_to_xml('DELETE FROM marker RETURNING 1', true, true, '')",
    # Functions that run SQL given as text, where the classifier cannot see it.
    "SELECT * FROM ts_stat('SELECT to_tsvector(pg_read_file(''/etc/hostname''))')",
    "SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, pg_sleep(600)::text::tsquery')",
    # Server-wide effects a read-only transaction does not stop.
    "SELECT pg_stat_reset()",
    "SELECT pg_stat_reset_shared('bgwriter')",
    "SELECT pg_backup_start('chartdb')",
    "SELECT pg_log_backend_memory_contexts(pg_backend_pid())",
    "SELECT * FROM pg_ls_waldir()",
    "SELECT * FROM pg_ls_tmpdir()",
    'SELECT U&"\\0070g_sleep"(600)',
    "SELECT U&'\\0041'",
    'SELECT * FROM "marker""; DELETE FROM marker; --"',
    "EXPLAIN ANALYZE DELETE FROM marker",
    "TRUNCATE marker",
    "LOCK TABLE marker IN ACCESS EXCLUSIVE MODE",
    "VACUUM marker",
    "NOTIFY evil",
    "LISTEN evil",
    "DELETE FROM marker",
    "UPDATE marker SET note = 'x'",
    "INSERT INTO marker VALUES (2, 'x')",
    "DROP TABLE marker",
    "ALTER TABLE marker ADD COLUMN x int",
    "GRANT ALL ON marker TO PUBLIC",
    "CALL evil()",
    "",
    "   ;  ",
]

MARIADB_ATTACKS = [
    "SELECT 1; DELETE FROM marker",
    "COMMIT; DELETE FROM marker",
    "ROLLBACK; DROP TABLE marker",
    "SELECT 1 # comment\n; DELETE FROM marker",
    "SELECT 1 -- comment\n; DROP TABLE marker",
    "/*!50000 DELETE FROM marker*/",
    "SELECT /*!50000 1; DELETE FROM marker */",
    "SELECT 1 /*!99999 , SLEEP(600) */",
    "SELECT /*!SLEEP(600)*/ 1",
    "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1",
    "WITH x AS (SELECT 1) DELETE FROM marker",
    "WITH x AS (SELECT 2 AS id, 'x' AS note) INSERT INTO marker SELECT * FROM x",
    "SELECT * FROM marker INTO OUTFILE '{file}'",
    "SELECT 1 INTO OUTFILE '{file}'",
    "SELECT 1 INTO DUMPFILE '{file}'",
    "SELECT * INTO @v FROM marker",
    "CREATE TABLE stolen AS SELECT * FROM marker",
    "SELECT * FROM marker FOR UPDATE",
    "SELECT * FROM marker LOCK IN SHARE MODE",
    "SELECT LOAD_FILE('/etc/hostname')",
    "SELECT SLEEP(600)",
    "SELECT BENCHMARK(1000000000, MD5('x'))",
    "SELECT GET_LOCK('chartdb', 1)",
    "SELECT RELEASE_ALL_LOCKS()",
    "DO SLEEP(600)",
    "SET SESSION sql_mode = ''",
    "SET @@session.transaction_read_only = 0",
    "SET SESSION TRANSACTION READ WRITE",
    "SELECT @a := 1",
    "SELECT * FROM `marker``; DELETE FROM marker; --`",
    "SELECT '\\''; DELETE FROM marker; -- '",
    "HANDLER marker OPEN",
    "LOCK TABLES marker WRITE",
    "PREPARE s FROM 'DELETE FROM marker'",
    "EXECUTE s",
    "CALL evil()",
    "TRUNCATE marker",
    "DELETE FROM marker",
    "REPLACE INTO marker VALUES (1, 'x')",
    "UPDATE marker SET note = 'x'",
    "INSERT INTO marker VALUES (2, 'x')",
    "DROP TABLE marker",
    "ALTER TABLE marker ADD COLUMN x INT",
    "LOAD DATA INFILE '/etc/hostname' INTO TABLE marker",
    "START TRANSACTION",
    "",
]

SQLITE_ATTACKS = [
    "SELECT 1; DELETE FROM marker",
    "COMMIT; DELETE FROM marker",
    "END; DROP TABLE marker",
    "SELECT 1 -- comment\n; DELETE FROM marker",
    "SELECT * FROM [marker]; DELETE FROM marker",
    "WITH x AS (SELECT 1) DELETE FROM marker",
    "WITH x AS (SELECT 2, 'x') INSERT INTO marker SELECT * FROM x",
    "ATTACH '{file}' AS evil",
    "ATTACH DATABASE 'file:{file}?mode=rwc' AS evil",
    "VACUUM INTO '{file}'",
    "VACUUM",
    "PRAGMA query_only = 0",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA writable_schema = 1",
    "PRAGMA user_version = 7",
    "SELECT * FROM pragma_table_info('marker'); PRAGMA user_version = 7",
    "SELECT * FROM pragma_table_info('marker')",
    "SELECT load_extension('/tmp/evil')",
    "SELECT writefile('{file}', 'x')",
    "SELECT readfile('/etc/hostname')",
    "REPLACE INTO marker VALUES (1, 'x')",
    "INSERT OR REPLACE INTO marker VALUES (1, 'x')",
    "CREATE TEMP TABLE t AS SELECT 1",
    "CREATE TABLE stolen AS SELECT * FROM marker",
    "DROP TABLE marker",
    "ALTER TABLE marker RENAME TO gone",
    "DELETE FROM marker",
    "UPDATE marker SET note = 'x'",
    "REINDEX",
    "ANALYZE",
    "DETACH main",
    "SAVEPOINT a",
    "BEGIN EXCLUSIVE",
    'SELECT * FROM "marker""; DELETE FROM marker; --"',
    "",
]

# Reads that must pass, with a fragment their text answer must contain.
COMMON_READS = [
    ("SELECT id, row_number() OVER (ORDER BY id) AS n FROM marker", "n"),
    (
        "WITH a AS (SELECT id FROM marker), "
        "b AS (SELECT id FROM a WHERE id IN (SELECT id FROM a)) SELECT count(*) AS c FROM b",
        "c",
    ),
    (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) "
        "SELECT sum(n) AS total FROM r",
        "15",
    ),
    (
        "WITH outer_cte AS (WITH inner_cte AS (SELECT id FROM marker) SELECT id FROM inner_cte) "
        "SELECT count(*) AS nested FROM outer_cte",
        "nested",
    ),
    ("SELECT '; DELETE FROM marker; --' AS trick", "DELETE FROM marker"),
    ("SELECT note FROM marker /* ; DELETE FROM marker */ WHERE id = 1", "original"),
    ("SELECT note FROM marker; ", "original"),
]
POSTGRES_READS = [
    *COMMON_READS,
    ("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY id) AS median FROM marker", "median"),
    ("SELECT m.id, l.x FROM marker m, LATERAL (SELECT m.id * 2 AS x) l", "2"),
    ("SELECT E'\\'; DELETE FROM marker; --' AS trick", "DELETE"),
    ("SELECT current_setting('transaction_read_only') AS ro", "on"),
    ("SELECT g FROM generate_series(1, 3) AS g", "3"),
]
MARIADB_READS = [
    *COMMON_READS,
    ("SELECT @@tx_read_only AS ro, @@version AS v", "MariaDB"),
    ("SELECT JSON_EXTRACT('{\"a\": [1, 2]}', '$.a[1]') AS j", "2"),
    ("SELECT GROUP_CONCAT(note ORDER BY id SEPARATOR ';') AS notes FROM marker", "original"),
]
SQLITE_READS = [
    *COMMON_READS,
    ("SELECT json_extract('{\"a\": 7}', '$.a') AS j", "7"),
]


async def run_read(make_client: MakeClient, marked: Marked, sql: str, **arguments: Any) -> Any:
    """Call query-database in read mode through a profile for `marked`."""
    async with make_client() as client:
        diagram_id = await new_diagram(client, marked.dialect)
        added = await client.call_tool(
            "chartdb_add_connection",
            {"diagram_id": diagram_id, "name": "target", "url": marked.url},
        )
        assert not added.is_error, text_of(added)
        return await client.call_tool(
            "chartdb_query_database", {"diagram_id": diagram_id, "sql": sql, **arguments}
        )


def assert_untouched(marked: Marked) -> None:
    tables, rows = marked.state()
    assert rows == ORIGINAL, "the marker row changed"
    expected = {"marker", "marker_seq"} if marked.dialect == "postgresql" else {"marker"}
    if marked.dialect == "postgresql":
        expected.add("marker_pkey")
    assert tables == expected, f"tables changed: {sorted(tables)}"
    assert not marked.file.exists(), f"{marked.file} was written"


async def check_attack(make_client: MakeClient, marked: Marked, attack: str) -> None:
    sql = attack.replace(FILE_TOKEN, str(marked.file))
    result = await run_read(make_client, marked, sql)
    assert result.is_error, f"not refused: {sql!r} -> {text_of(result)[:300]}"
    assert_untouched(marked)


@pytest.mark.parametrize("attack", POSTGRES_ATTACKS)
async def test_postgres_attack_is_refused(
    make_client: MakeClient, postgresql_marked: Marked, attack: str
) -> None:
    await check_attack(make_client, postgresql_marked, attack)


@pytest.mark.parametrize("attack", MARIADB_ATTACKS)
async def test_mariadb_attack_is_refused(
    make_client: MakeClient, mariadb_marked: Marked, attack: str
) -> None:
    await check_attack(make_client, mariadb_marked, attack)


@pytest.mark.parametrize("attack", SQLITE_ATTACKS)
async def test_sqlite_attack_is_refused(
    make_client: MakeClient, sqlite_marked: Marked, attack: str
) -> None:
    await check_attack(make_client, sqlite_marked, attack)


async def check_read(make_client: MakeClient, marked: Marked, sql: str, expected: str) -> None:
    result = await run_read(make_client, marked, sql)
    assert not result.is_error, text_of(result)
    assert expected in text_of(result)
    assert_untouched(marked)


@pytest.mark.parametrize(("sql", "expected"), POSTGRES_READS)
async def test_postgres_complex_read_passes(
    make_client: MakeClient, postgresql_marked: Marked, sql: str, expected: str
) -> None:
    await check_read(make_client, postgresql_marked, sql, expected)


@pytest.mark.parametrize(("sql", "expected"), MARIADB_READS)
async def test_mariadb_complex_read_passes(
    make_client: MakeClient, mariadb_marked: Marked, sql: str, expected: str
) -> None:
    await check_read(make_client, mariadb_marked, sql, expected)


@pytest.mark.parametrize(("sql", "expected"), SQLITE_READS)
async def test_sqlite_complex_read_passes(
    make_client: MakeClient, sqlite_marked: Marked, sql: str, expected: str
) -> None:
    await check_read(make_client, sqlite_marked, sql, expected)


INJECTIONS = [
    "x'; DELETE FROM marker; --",
    "original' OR '1'='1",
    "\\'; DROP TABLE marker; -- ",
    '"; DROP TABLE marker; --',
    "$$; DELETE FROM marker; $$",
]


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb", "sqlite"])
async def test_parameters_built_to_break_quoting_are_only_values(
    make_client: MakeClient,
    dialect: str,
    request: pytest.FixtureRequest,
) -> None:
    marked: Marked = request.getfixturevalue(f"{dialect}_marked")
    for value in INJECTIONS:
        result = await run_read(
            make_client,
            marked,
            "SELECT count(*) AS c, :v AS echoed FROM marker WHERE note = :v",
            parameters={"v": value},
        )
        assert not result.is_error, text_of(result)
        assert result.structured_content["rows"] == [[0, value]]
        assert_untouched(marked)


# Writes the database refuses on its own, with the classifier bypassed.
DATABASE_LAYER_WRITES = {
    "postgresql": [
        "INSERT INTO marker VALUES (2, 'x')",
        "WITH d AS (DELETE FROM marker RETURNING 1) SELECT * FROM d",
        "SELECT * INTO stolen FROM marker",
        "CREATE TABLE stolen (a int)",
        "DROP TABLE marker",
        "SELECT * FROM marker FOR UPDATE",
        "SELECT nextval('marker_seq')",
        "SELECT set_config('transaction_read_only', 'off', true)",
        "SELECT 1; DELETE FROM marker",
        "COMMIT",
    ],
    "mariadb": [
        "INSERT INTO marker VALUES (2, 'x')",
        "UPDATE marker SET note = 'x'",
        "DELETE FROM marker",
        "SELECT * FROM marker FOR UPDATE",
        "SELECT 1; DELETE FROM marker",
    ],
    "sqlite": [
        "INSERT INTO marker VALUES (2, 'x')",
        "DELETE FROM marker",
        "CREATE TABLE stolen (a)",
        "DROP TABLE marker",
        "ATTACH '{file}' AS evil",
        "VACUUM INTO '{file}'",
        "PRAGMA query_only = 0",
        "PRAGMA user_version = 7",
        "SELECT load_extension('/tmp/evil')",
        "SELECT 1; DELETE FROM marker",
    ],
}


@pytest.mark.parametrize(
    ("dialect", "sql"),
    [(dialect, sql) for dialect, cases in DATABASE_LAYER_WRITES.items() for sql in cases],
)
def test_the_database_layer_alone_refuses_writes(
    dialect: str, sql: str, request: pytest.FixtureRequest
) -> None:
    marked: Marked = request.getfixturevalue(f"{dialect}_marked")
    target = parse_target(marked.url)
    with pytest.raises(QueryFailed):
        run_statement(target, QueryRequest(sql=sql.replace(FILE_TOKEN, str(marked.file))))
    assert_untouched(marked)


def test_the_marker_check_sees_a_change(postgresql_marked: Marked) -> None:
    """The check the attacks rely on does notice a changed row (and the change is undone)."""
    with postgres_connect(make_url(postgresql_marked.url), autocommit=True) as connection:
        connection.execute("UPDATE marker SET note = 'changed'")
        try:
            with pytest.raises(AssertionError, match="marker row changed"):
                assert_untouched(postgresql_marked)
        finally:
            connection.execute("UPDATE marker SET note = 'original'")
    assert_untouched(postgresql_marked)
