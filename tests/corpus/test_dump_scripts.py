"""What the databases' own dump tools print reads back as the database itself.

Each fixture database is dumped with its vendor's tool (`pg_dump --schema-only`,
`mariadb-dump --no-data --routines --triggers`, `sqlite3 .schema`), the dump is read with
`parse_script`, and the diff against the live import must be empty (support.script_compare
lists what the comparison leaves out).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import ParsedScript, parse_script
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.databases import load_postgres_script, postgres_database, require_tool
from support.script_compare import diff_ops

SCRIPTS = Path(__file__).parents[1] / "core" / "sql_parse" / "scripts"


def run(command: list[str], **options: object) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **options)  # type: ignore[call-overload]
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def pg_dump(url: str) -> str:
    target = make_url(url)
    environment = {**os.environ, "PGPASSWORD": target.password or ""}
    command = [require_tool("pg_dump"), "--schema-only", "-h", str(target.host)]
    command += ["-p", str(target.port or 5432), "-U", str(target.username), str(target.database)]
    return run(command, env=environment)


def assert_matches_live(parsed: ParsedScript, url: str, schemas: list[str] | None) -> None:
    live = introspect(parse_target(url), schemas)
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert parsed.problems == []
    # Dumps create stand-ins for views and drop them again; each view is listed once.
    views = sorted((v.name, v.materialized) for v in parsed.views)
    assert views == sorted((v.name, v.materialized) for v in live.views)


def test_pg_dump_of_pagila(pagila_postgres_url: str) -> None:
    parsed = parse_script(pg_dump(pagila_postgres_url), DatabaseType.POSTGRESQL)
    assert_matches_live(parsed, pagila_postgres_url, ["public"])
    assert len(parsed.tables) == 22 and parsed.skipped["function"] == 9


def test_pg_dump_of_identity_generated_and_partitioned_tables() -> None:
    with postgres_database("dump_pg") as url:
        load_postgres_script(url, SCRIPTS / "postgres-handwritten.sql")
        dump = pg_dump(url)
        parsed = parse_script(dump, DatabaseType.POSTGRESQL)
        assert_matches_live(parsed, url, ["public"])
    assert "ADD GENERATED ALWAYS AS IDENTITY" in dump and "ATTACH PARTITION" in dump


def test_mariadb_dump_of_sakila(sakila_mariadb_url: str) -> None:
    target = make_url(sakila_mariadb_url)
    command = [require_tool("mariadb-dump", "mysqldump"), "--no-data", "--routines", "--triggers"]
    command += ["--host", str(target.host), "--port", str(target.port or 3306)]
    command += ["--user", str(target.username or "root"), str(target.database)]
    dump = run(command, env={**os.environ, "MYSQL_PWD": target.password or ""})
    parsed = parse_script(f"USE `{target.database}`;\n{dump}", DatabaseType.MARIADB)
    assert_matches_live(parsed, sakila_mariadb_url, None)
    assert "/*!40101" in dump and "DELIMITER ;;" in dump
    assert parsed.skipped["trigger"] == 3 and parsed.skipped["procedure"] == 3


def test_sqlite_schema_of_sakila(sakila_sqlite_path: Path) -> None:
    dump = run([require_tool("sqlite3"), str(sakila_sqlite_path), ".schema"])
    parsed = parse_script(dump, DatabaseType.SQLITE)
    assert_matches_live(parsed, str(sakila_sqlite_path), None)
    assert parsed.skipped["trigger"] == 30


def test_sqlite_schema_with_autoincrement_skips_sqlite_sequence(tmp_path: Path) -> None:
    path = tmp_path / "seq.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v);INSERT INTO a (v) VALUES (1);"
        )
    connection.close()
    dump = run([require_tool("sqlite3"), str(path), ".schema"])
    parsed = parse_script(dump, DatabaseType.SQLITE)
    assert "sqlite_sequence" in dump
    assert [t.name for t in parsed.tables] == ["a"]
    assert parsed.skipped["SQLite internal table"] == 1
    assert_matches_live(parsed, str(path), None)
