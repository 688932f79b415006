"""parse_target: URLs and SQLite paths become targets; bad input never echoes a password."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import InvalidConnectionTarget
from chartdb_mcp.live.target import parse_target

SecretCheck = Callable[[BaseException, str], None]

SECRET = "Pa55-w0rd-XYZ"


@pytest.mark.parametrize(
    ("text", "driver", "database_type", "display"),
    [
        (
            f"postgresql://alice:{SECRET}@db.example:5433/shop",
            "postgresql+psycopg",
            DatabaseType.POSTGRESQL,
            "postgresql://alice@db.example:5433/shop",
        ),
        (
            f"postgres://alice:{SECRET}@db.example/shop",
            "postgresql+psycopg",
            DatabaseType.POSTGRESQL,
            "postgresql://alice@db.example/shop",
        ),
        (
            "postgresql+psycopg://alice@db.example/shop?sslmode=require",
            "postgresql+psycopg",
            DatabaseType.POSTGRESQL,
            "postgresql://alice@db.example/shop?sslmode=require",
        ),
        (
            f"mysql://root:{SECRET}@127.0.0.1:3306/sakila",
            "mysql+pymysql",
            DatabaseType.MYSQL,
            "mysql://root@127.0.0.1:3306/sakila",
        ),
        (
            "mysql+pymysql://root@127.0.0.1/sakila",
            "mysql+pymysql",
            DatabaseType.MYSQL,
            "mysql://root@127.0.0.1/sakila",
        ),
        (
            f"mariadb://root:{SECRET}@127.0.0.1/sakila",
            "mariadb+pymysql",
            DatabaseType.MARIADB,
            "mariadb://root@127.0.0.1/sakila",
        ),
    ],
)
def test_network_urls(text: str, driver: str, database_type: DatabaseType, display: str) -> None:
    target = parse_target(text)
    assert target.url.drivername == driver
    assert target.database_type == database_type
    assert target.display == display
    assert SECRET not in repr(target)


def test_the_password_is_kept_for_connecting_only() -> None:
    target = parse_target(f"postgresql://alice:{SECRET}@db.example/shop")
    assert target.url.password == SECRET
    assert target.secrets == [SECRET]
    assert SECRET not in target.display
    assert SECRET not in str(target)


def test_secret_query_values_are_removed_from_display() -> None:
    target = parse_target(f"postgresql://alice@db.example/shop?password={SECRET}&sslmode=require")
    assert target.display == "postgresql://alice@db.example/shop?sslmode=require"
    assert target.secrets == [SECRET]


def test_percent_encoded_passwords_are_decoded_and_hidden() -> None:
    target = parse_target("postgresql://alice:p%40ss%2Fword@db.example/shop")
    assert target.url.password == "p@ss/word"
    assert target.display == "postgresql://alice@db.example/shop"


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "my shop.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    connection.close()
    return path


def test_sqlite_path_opens_read_only(sqlite_file: Path) -> None:
    target = parse_target(str(sqlite_file))
    assert target.database_type == DatabaseType.SQLITE
    assert target.display == f"sqlite:///{sqlite_file}"
    assert target.url.query == {"mode": "ro", "uri": "true"}
    assert target.url.database == sqlite_file.as_uri()


def test_sqlite_url_is_the_same_target_as_the_path(sqlite_file: Path) -> None:
    from_url = parse_target(f"sqlite:///{sqlite_file}")
    assert from_url == parse_target(str(sqlite_file))


def test_an_empty_file_is_an_empty_sqlite_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert parse_target(str(empty)).database_type == DatabaseType.SQLITE


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        (f"ftp://alice:{SECRET}@host/x", "Unknown database scheme 'ftp://'"),
        (f"oracle+cx://alice:{SECRET}@host/x", "Unknown database scheme"),
        (f"alice:{SECRET}@host://x", "not a URL we understand"),
        (f"postgresql://alice:{SECRET}@/shop", "names no host"),
        (f"postgresql:///shop?password={SECRET}", "names no host"),
        (f"mysql://root:{SECRET}@127.0.0.1:33o6/x", "port is not a number"),
        (f"postgresql://alice:{SECRET}@extra@host/shop", "more than one '@'"),
        (f"postgresql//alice:{SECRET}@host/shop", "not a URL either"),
        (f"mysql:/root:{SECRET}@host/shop", "not a URL either"),
        (f"postgresql://postgres:{SECRET}@127.0.0.1:5432", "add /dbname"),
        (f"postgres://postgres:{SECRET}@127.0.0.1/", "names no database"),
        ("sqlite://", "must name a database file"),
        ("sqlite:///:memory:", "must name a database file"),
    ],
)
def test_malformed_input_says_what_is_wrong_without_the_password(
    text: str, words: str, no_secret: SecretCheck
) -> None:
    with pytest.raises(InvalidConnectionTarget) as caught:
        parse_target(text)
    assert words in str(caught.value)
    no_secret(caught.value, SECRET)


def test_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(InvalidConnectionTarget, match="does not exist"):
        parse_target(str(missing))
    assert not missing.exists()
    with pytest.raises(InvalidConnectionTarget, match="does not exist"):
        parse_target(f"sqlite:///{missing}")
    assert not missing.exists()


def test_directory_is_not_a_sqlite_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidConnectionTarget, match="is a directory"):
        parse_target(str(tmp_path))


def test_other_files_are_not_sqlite_databases(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("SELECT 1;\n")
    with pytest.raises(InvalidConnectionTarget, match="is not a SQLite database file"):
        parse_target(str(text_file))


def test_a_path_too_long_for_the_os_is_named_shortened(tmp_path: Path) -> None:
    given = str(tmp_path / ("a" * 100_000))
    with pytest.raises(InvalidConnectionTarget) as caught:
        parse_target(given)
    message = str(caught.value)
    assert "File name too long" in message
    assert "(100" in message and len(message) < 1_000
