"""Throwaway databases for tests: uniquely named, loaded from the corpus, dropped afterwards.

Loaded as a pytest plugin by tests/conftest.py. It offers:

- session fixtures `pagila_postgres_url` (pagila in a fresh PostgreSQL database),
  `sakila_mariadb_url` (sakila in a fresh MariaDB database) and `sakila_sqlite_path`
  (sakila in a temporary SQLite file);
- context managers `postgres_database()` and `mariadb_database()` that create an empty,
  uniquely named database, yield its URL and drop it on the way out;
- `corpus_path(...)`, `load_postgres_script(...)` and `load_mariadb_script(...)`.

The servers are PostgreSQL at CHARTDB_TEST_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/postgres) and MariaDB at CHARTDB_TEST_MARIADB
(default mysql://root@127.0.0.1:3306/), each used as an administrator. When a server,
its command-line client or the corpus is missing, the test is skipped with the reason;
when the CI environment variable is set, it fails instead. The corpus is
../shared/corpus next to the project, or CHARTDB_MCP_CORPUS.
"""

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import NoReturn

import psycopg
import pymysql
import pytest
from sqlalchemy.engine import URL, make_url

POSTGRES_ADMIN = os.environ.get(
    "CHARTDB_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MARIADB_ADMIN = os.environ.get("CHARTDB_TEST_MARIADB", "mysql://root@127.0.0.1:3306/")
PROBE_TIMEOUT = 3
CREATE_ATTEMPTS = 5
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def unavailable(reason: str) -> NoReturn:
    """Skip the test for `reason`, or fail it when running under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def corpus_path(*parts: str) -> Path:
    """A file of the shared corpus; skips (fails under CI) when it is missing."""
    root = Path(os.environ.get("CHARTDB_MCP_CORPUS") or PROJECT_ROOT.parent / "shared" / "corpus")
    path = root.joinpath(*parts)
    if not path.is_file():
        unavailable(f"corpus file {path} is missing (set CHARTDB_MCP_CORPUS)")
    return path


def unique_name(label: str) -> str:
    """A database name no other test run uses: chartdb_test_<label>_<pid>_<random>."""
    return f"chartdb_test_{label}_{os.getpid()}_{secrets.token_hex(4)}"


def require_tool(*names: str) -> str:
    """The path of the first command-line client found; skips (fails under CI) if none."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    unavailable(f"none of the command-line clients {', '.join(names)} is installed")


# PostgreSQL


def postgres_connect(url: URL, **options: object) -> psycopg.Connection:
    """A psycopg connection from a SQLAlchemy-style URL."""
    return psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        connect_timeout=PROBE_TIMEOUT,
        **options,  # type: ignore[arg-type]
    )


@cache
def postgres_problem() -> str | None:
    """Why the PostgreSQL test server cannot be used, or None when it can."""
    url = make_url(POSTGRES_ADMIN)
    try:
        with postgres_connect(url):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {url.host}:{url.port or 5432} is not available: {error}"


@contextmanager
def postgres_database(label: str = "db") -> Iterator[str]:
    """Create an empty PostgreSQL database; yield its URL (postgresql://...); drop it after."""
    problem = postgres_problem()
    if problem:
        unavailable(problem)
    admin = make_url(POSTGRES_ADMIN)
    name = unique_name(label)
    with postgres_connect(admin, autocommit=True) as connection:
        create_postgres_database(connection, name)
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with postgres_connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def create_postgres_database(connection: psycopg.Connection, name: str) -> None:
    """CREATE DATABASE, retrying while another session briefly holds template1."""
    for attempt in range(CREATE_ATTEMPTS):
        try:
            connection.execute(f'CREATE DATABASE "{name}"'.encode())
            return
        except psycopg.errors.ObjectInUse:
            if attempt == CREATE_ATTEMPTS - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def load_postgres_script(url: str, script: Path) -> None:
    """Run an SQL file with psql, stopping at the first error."""
    psql = require_tool("psql")
    target = make_url(url)
    environment = {**os.environ, "PGPASSWORD": target.password or ""}
    command = [
        psql,
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        str(target.host),
        "-p",
        str(target.port or 5432),
        "-U",
        str(target.username),
        "-d",
        str(target.database),
        "-f",
        str(script),
    ]
    run_client(command, environment, script)


# MariaDB / MySQL


def mariadb_connect(url: URL, database: str | None = None) -> pymysql.Connection:
    """A PyMySQL connection (autocommit) from a SQLAlchemy-style URL."""
    return pymysql.connect(
        host=url.host,
        port=url.port or 3306,
        user=url.username or "root",
        password=url.password or "",
        database=database,
        connect_timeout=PROBE_TIMEOUT,
        autocommit=True,
    )


@cache
def mariadb_problem() -> str | None:
    """Why the MariaDB test server cannot be used, or None when it can."""
    url = make_url(MARIADB_ADMIN)
    try:
        mariadb_connect(url).close()
        return None
    except pymysql.MySQLError as error:
        return f"MariaDB at {url.host}:{url.port or 3306} is not available: {error}"


def mariadb_execute(statement: str) -> None:
    """Run one administrative statement on the MariaDB test server."""
    connection = mariadb_connect(make_url(MARIADB_ADMIN))
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def mariadb_database(label: str = "db") -> Iterator[str]:
    """Create an empty MariaDB database; yield its URL (mariadb://...); drop it after."""
    problem = mariadb_problem()
    if problem:
        unavailable(problem)
    admin = make_url(MARIADB_ADMIN)
    name = unique_name(label)
    mariadb_execute(f"CREATE DATABASE `{name}`")
    try:
        url = admin.set(drivername="mariadb", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        mariadb_execute(f"DROP DATABASE IF EXISTS `{name}`")


def retarget_mysql_script(sql: str, source: str, target: str) -> str:
    """Point a dump that creates and uses database `source` at database `target` instead.

    Statements that drop or create `source` are removed (the fixture made `target`), and
    `USE source` and `source.` qualifications name `target`.
    """
    name = re.escape(source)
    sql = re.sub(
        rf"^\s*(DROP|CREATE)\s+(SCHEMA|DATABASE)\s+(IF\s+(NOT\s+)?EXISTS\s+)?`?{name}`?\s*;",
        "",
        sql,
        flags=re.IGNORECASE | re.MULTILINE,
    )
    sql = re.sub(rf"^\s*USE\s+`?{name}`?\s*;", f"USE `{target}`;", sql, flags=re.I | re.M)
    return re.sub(rf"\b{name}\.", f"`{target}`.", sql)


def load_mariadb_script(url: str, script: Path, source_database: str | None = None) -> None:
    """Run an SQL file with the mariadb client (it understands DELIMITER).

    `source_database` names the database the script creates and uses, if any; the script
    is rewritten to use the database of `url` instead.
    """
    client = require_tool("mariadb", "mysql")
    target = make_url(url)
    database = str(target.database)
    sql = script.read_text(encoding="utf-8")
    if source_database:
        sql = retarget_mysql_script(sql, source_database, database)
    environment = {**os.environ, "MYSQL_PWD": target.password or ""}
    command = [
        client,
        "--host",
        str(target.host),
        "--port",
        str(target.port or 3306),
        "--user",
        str(target.username or "root"),
        database,
    ]
    run_client(command, environment, script, stdin=sql)


def run_client(
    command: list[str], environment: dict[str, str], script: Path, stdin: str | None = None
) -> None:
    """Run a database client; fail the test with its error output if it fails."""
    result = subprocess.run(
        command, input=stdin, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"loading {script.name} failed:\n{result.stderr.strip()}")


# Session fixtures


@pytest.fixture(scope="session")
def pagila_postgres_url() -> Iterator[str]:
    """The pagila schema (no data) in a fresh PostgreSQL database; its URL."""
    script = corpus_path("pagila", "pagila-schema.sql")
    with postgres_database("pagila") as url:
        load_postgres_script(url, script)
        yield url


@pytest.fixture(scope="session")
def sakila_mariadb_url() -> Iterator[str]:
    """The MySQL sakila schema (no data) in a fresh MariaDB database; its mariadb:// URL."""
    script = corpus_path("sakila", "mysql-sakila-schema.sql")
    with mariadb_database("sakila") as url:
        load_mariadb_script(url, script, source_database="sakila")
        yield url


@pytest.fixture(scope="session")
def sakila_sqlite_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite sakila schema (no data) in a temporary file; its path."""
    script = corpus_path("sakila", "sqlite-sakila-schema.sql")
    path = tmp_path_factory.mktemp("sakila") / "sakila.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(script.read_text(encoding="utf-8"))
    connection.close()
    return path
