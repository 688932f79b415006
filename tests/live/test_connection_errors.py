"""Bad targets fail with the right error class, quickly, and never show the password."""

import secrets
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from chartdb_mcp.errors import (
    ConnectionFailed,
    IntrospectionFailed,
    InvalidConnectionTarget,
    SchemaNotFound,
)
from chartdb_mcp.live import engines
from chartdb_mcp.live.engines import connect, scrub
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.databases import (
    MARIADB_ADMIN,
    mariadb_database,
    mariadb_execute,
    postgres_database,
)

SecretCheck = Callable[[BaseException, str], None]
SECRET = "Sup3r-Secret-" + secrets.token_hex(4)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.mark.parametrize("scheme", ["postgresql", "mysql", "mariadb"])
def test_closed_port_fails_fast(scheme: str, no_secret: SecretCheck) -> None:
    target = parse_target(f"{scheme}://someone:{SECRET}@127.0.0.1:{closed_port()}/shop")
    started = time.monotonic()
    with pytest.raises(ConnectionFailed) as caught:
        introspect(target)
    assert time.monotonic() - started < engines.CONNECT_TIMEOUT
    assert target.display in str(caught.value)
    assert "refused" in str(caught.value).lower()
    no_secret(caught.value, SECRET)


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_a_server_that_never_answers_times_out(
    scheme: str, monkeypatch: pytest.MonkeyPatch, no_secret: SecretCheck
) -> None:
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", 2)
    with silent_server() as port:
        target = parse_target(f"{scheme}://someone:{SECRET}@127.0.0.1:{port}/shop")
        started = time.monotonic()
        with pytest.raises(ConnectionFailed) as caught:
            introspect(target)
        elapsed = time.monotonic() - started
    assert 1.5 < elapsed < 8
    no_secret(caught.value, SECRET)


@pytest.fixture
def mariadb_user_with_password() -> Iterator[str]:
    """A MariaDB user whose password is SECRET, owning a fresh database; yields its URL."""
    with mariadb_database("login") as url:
        database = make_url(url).database
        user = f"chartdb_test_{secrets.token_hex(4)}"
        for host in ("%", "localhost"):
            mariadb_execute(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{SECRET}'")
            mariadb_execute(f"GRANT ALL ON `{database}`.* TO '{user}'@'{host}'")
        try:
            yield make_url(url).set(username=user, password=SECRET).render_as_string(False)
        finally:
            for host in ("%", "localhost"):
                mariadb_execute(f"DROP USER IF EXISTS '{user}'@'{host}'")


def test_wrong_password_on_mariadb(mariadb_user_with_password: str, no_secret: SecretCheck) -> None:
    right = make_url(mariadb_user_with_password)
    assert introspect(parse_target(mariadb_user_with_password)).tables == []
    wrong_password = "Wr0ng-" + SECRET
    wrong = right.set(password=wrong_password).render_as_string(hide_password=False)
    with pytest.raises(ConnectionFailed) as caught:
        introspect(parse_target(wrong))
    assert "Access denied" in str(caught.value)
    assert str(right.username) in str(caught.value)
    no_secret(caught.value, wrong_password)
    no_secret(caught.value, SECRET)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ("charset=bogus", "charset='bogus'"),
        ("bogus_option=1", "'bogus_option'"),
        ("connect_timeout=abc", "'abc'"),
        ("ssl_check_hostname=maybe", "'maybe'"),
    ],
)
def test_bad_mysql_url_options_are_named(
    options: str, words: str, sakila_mariadb_url: str, no_secret: SecretCheck
) -> None:
    url = make_url(sakila_mariadb_url).set(password=SECRET).render_as_string(False)
    with pytest.raises((InvalidConnectionTarget, ConnectionFailed)) as caught:
        introspect(parse_target(f"{url}?{options}"))
    assert words in str(caught.value)
    no_secret(caught.value, SECRET)


def test_bad_postgres_url_options_are_named(no_secret: SecretCheck) -> None:
    with postgres_database("options") as url:
        bad = make_url(url).set(password=SECRET).render_as_string(False) + "?bogus_option=1"
        with pytest.raises(ConnectionFailed, match="bogus_option") as caught:
            introspect(parse_target(bad))
    no_secret(caught.value, SECRET)


def test_unknown_database_on_postgres_is_a_connection_failure() -> None:
    with postgres_database("exists") as url:
        missing = make_url(url).set(database=f"{make_url(url).database}_missing")
        with pytest.raises(ConnectionFailed, match="does not exist"):
            introspect(parse_target(missing.render_as_string(hide_password=False)))


def test_unknown_schema_is_named(pagila_postgres_url: str) -> None:
    with pytest.raises(SchemaNotFound) as caught:
        introspect(parse_target(pagila_postgres_url), ["public", "nowhere"])
    message = str(caught.value)
    assert "'nowhere'" in message
    assert "public" in message.split("It has:")[1]


def test_unknown_database_on_mariadb_is_named(sakila_mariadb_url: str) -> None:
    with pytest.raises(SchemaNotFound, match="no database named 'nowhere'"):
        introspect(parse_target(sakila_mariadb_url), ["nowhere"])


def test_mysql_url_without_database_needs_schemas(sakila_mariadb_url: str) -> None:
    bare = make_url(MARIADB_ADMIN).set(drivername="mysql", database=None)
    target = parse_target(bare.render_as_string(hide_password=False))
    with pytest.raises(Exception, match="names no database"):
        introspect(target)
    database = str(make_url(sakila_mariadb_url).database)
    assert len(introspect(target, [database]).tables) == 16


def test_sqlite_file_removed_after_parsing_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    sqlite3.connect(path).close()
    target = parse_target(str(path))
    path.unlink()
    with pytest.raises(ConnectionFailed, match="unable to open database file"):
        introspect(target)
    assert not path.exists()


def test_sqlite_is_opened_read_only(sakila_sqlite_path: Path) -> None:
    target = parse_target(str(sakila_sqlite_path))
    with pytest.raises(IntrospectionFailed, match="readonly"), connect(target) as connection:
        connection.execute(text("CREATE TABLE sneaky (id INTEGER)"))


def test_errors_after_connecting_are_introspection_failures(pagila_postgres_url: str) -> None:
    target = parse_target(pagila_postgres_url)
    with pytest.raises(IntrospectionFailed) as caught, connect(target) as connection:
        connection.execute(text("SELECT * FROM no_such_table"))
    assert 'relation "no_such_table" does not exist' in str(caught.value)
    assert caught.value.__suppress_context__


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"login for alice with {SECRET} failed", "login for alice with [hidden] failed"),
        (
            f"cannot reach postgresql+psycopg://alice:{SECRET}@db.example/shop",
            "cannot reach postgresql://alice@db.example/shop",
        ),
        (
            f"cannot reach postgresql://alice:{SECRET}@db.example/shop",
            "cannot reach postgresql://alice@db.example/shop",
        ),
        ("nothing to hide here", "nothing to hide here"),
    ],
)
def test_scrub_removes_the_url_and_the_password(message: str, expected: str) -> None:
    target = parse_target(f"postgresql://alice:{SECRET}@db.example/shop")
    assert scrub(message, target) == expected


def test_scrub_withholds_messages_that_contain_a_short_password() -> None:
    target = parse_target("postgresql://alice:ab@db.example/shop")
    scrubbed = scrub("role alice (password ab) was refused", target)
    assert "ab)" not in scrubbed
    assert "withheld" in scrubbed
