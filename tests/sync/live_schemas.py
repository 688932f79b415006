"""A small schema in each test database, and the outside changes the drift tests make.

Four tables: `author`, `book` (a foreign key to author and an index on title), `shelf`
and `genre`. The drift changes add a column to author, drop book's index and change the
type of shelf.label; genre stays as it was.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from support.databases import mariadb_connect, mariadb_database, postgres_database

SCHEMA = [
    "CREATE TABLE author (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL)",
    "CREATE TABLE book (id INTEGER PRIMARY KEY, title VARCHAR(200) NOT NULL,"
    " author_id INTEGER REFERENCES author (id))",
    "CREATE INDEX idx_book_title ON book (title)",
    "CREATE TABLE shelf (id INTEGER PRIMARY KEY, label VARCHAR(20))",
    "CREATE TABLE genre (id INTEGER PRIMARY KEY, name VARCHAR(40))",
]
MARIADB_SCHEMA = [
    "CREATE TABLE author (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL)",
    "CREATE TABLE book (id INTEGER PRIMARY KEY, title VARCHAR(200) NOT NULL,"
    " author_id INTEGER, CONSTRAINT fk_book_author FOREIGN KEY (author_id)"
    " REFERENCES author (id))",
    "CREATE INDEX idx_book_title ON book (title)",
    "CREATE TABLE shelf (id INTEGER PRIMARY KEY, label VARCHAR(20))",
    "CREATE TABLE genre (id INTEGER PRIMARY KEY, name VARCHAR(40))",
]
DRIFT = {
    "postgresql": [
        "ALTER TABLE author ADD COLUMN born INTEGER",
        "DROP INDEX idx_book_title",
        "ALTER TABLE shelf ALTER COLUMN label TYPE VARCHAR(40)",
    ],
    "mariadb": [
        "ALTER TABLE author ADD COLUMN born INTEGER",
        "DROP INDEX idx_book_title ON book",
        "ALTER TABLE shelf MODIFY label VARCHAR(40)",
    ],
    "sqlite": [
        "ALTER TABLE author ADD COLUMN born INTEGER",
        "DROP INDEX idx_book_title",
        # SQLite cannot change a column's type in place: rebuild the table.
        "ALTER TABLE shelf RENAME TO shelf_old",
        "CREATE TABLE shelf (id INTEGER PRIMARY KEY, label VARCHAR(40))",
        "DROP TABLE shelf_old",
    ],
}


def run(dialect: str, url: str, statements: list[str]) -> None:
    """Run statements on the test database, committing each, as an outside client would."""
    if dialect == "postgresql":
        with psycopg.connect(url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement.encode())
    elif dialect == "mariadb":
        parsed = make_url(url)
        connection = mariadb_connect(parsed, parsed.database)
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()
    else:
        with sqlite3.connect(url) as raw:
            for statement in statements:
                raw.execute(statement)
        raw.close()


@contextmanager
def database(dialect: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of `dialect`; its URL (a file path for SQLite)."""
    if dialect == "postgresql":
        with postgres_database("sync") as url:
            yield url
    elif dialect == "mariadb":
        with mariadb_database("sync") as url:
            yield url
    else:
        yield str(tmp_path / "sync.db")


@contextmanager
def loaded(dialect: str, tmp_path: Path) -> Iterator[str]:
    """A database of `dialect` holding the four tables; its URL."""
    with database(dialect, tmp_path) as url:
        run(dialect, url, MARIADB_SCHEMA if dialect == "mariadb" else SCHEMA)
        yield url
