"""Scripts that once imported differently from the database they build.

Each script is loaded into a fresh database, introspected with the live importer and
compared with `parse_script` of the same text (see support.script_compare).
"""

import sqlite3
from pathlib import Path

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import parse_script
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.databases import (
    load_mariadb_script,
    load_postgres_script,
    mariadb_database,
    postgres_database,
)
from support.script_compare import diff_ops

POSTGRES_SCRIPT = """
CREATE TABLE bookings (
    id int PRIMARY KEY,
    period tstzrange NOT NULL,
    exclude boolean DEFAULT false,
    codes varchar(3)[] NOT NULL DEFAULT ARRAY['a', 'b']::varchar[],
    note text
);
CREATE INDEX ON bookings (note);
CREATE INDEX ON bookings (note);
CREATE UNIQUE INDEX ON bookings (id, note);
CREATE INDEX ON bookings (lower(note), note);
CREATE INDEX ON bookings USING gist (period);
"""


def test_postgres_unnamed_indexes_and_keyword_columns(tmp_path: Path) -> None:
    script = tmp_path / "bookings.sql"
    script.write_text(POSTGRES_SCRIPT, encoding="utf-8")
    parsed = parse_script(POSTGRES_SCRIPT, DatabaseType.POSTGRESQL)
    with postgres_database("tricky_pg") as url:
        load_postgres_script(url, script)
        live = introspect(parse_target(url), ["public"])
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    [table] = parsed.tables
    assert sorted(index.name for index in table.indexes) == [
        "bookings_id_note_idx",
        "bookings_lower_note_idx",
        "bookings_note_idx",
        "bookings_note_idx1",
        "bookings_period_idx",
    ]


POSTGRES_CHANGES = """
CREATE TABLE customers (id int PRIMARY KEY);
CREATE TABLE orders (id serial PRIMARY KEY, placed_by int, weight real, note varchar(20));
ALTER TABLE orders ALTER COLUMN weight TYPE double precision;
ALTER TABLE orders ALTER COLUMN note SET DATA TYPE text COLLATE "C" USING note::text;
ALTER TABLE orders RENAME COLUMN placed_by TO customer_id;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
    REFERENCES customers (id);
CREATE INDEX orders_customer_idx ON orders (customer_id);
ALTER TABLE customers RENAME id TO customer_no;
"""


def test_postgres_columns_retyped_and_renamed_after_create(tmp_path: Path) -> None:
    script = tmp_path / "changes.sql"
    script.write_text(POSTGRES_CHANGES, encoding="utf-8")
    parsed = parse_script(POSTGRES_CHANGES, DatabaseType.POSTGRESQL)
    with postgres_database("tricky_pg") as url:
        load_postgres_script(url, script)
        live = introspect(parse_target(url), ["public"])
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert parsed.warnings == []
    orders = next(t for t in parsed.tables if t.name == "orders")
    assert [(c.name, c.type) for c in orders.columns] == [
        ("id", "integer"),
        ("customer_id", "int"),
        ("weight", "double precision"),
        ("note", "text"),
    ]


MYSQL_CHANGES = """
CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(20), born YEAR, nick TEXT);
ALTER TABLE people ADD COLUMN email VARCHAR(200) NOT NULL AFTER id;
ALTER TABLE people ADD COLUMN tenant INT FIRST;
ALTER TABLE people MODIFY COLUMN name VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE people CHANGE born birth_year YEAR AFTER tenant, MODIFY nick TEXT FIRST;
CREATE INDEX people_birth ON people (birth_year);
"""


def test_mysql_columns_modified_changed_and_placed_after_create(tmp_path: Path) -> None:
    script = tmp_path / "changes.sql"
    script.write_text(MYSQL_CHANGES, encoding="utf-8")
    parsed = parse_script(MYSQL_CHANGES, DatabaseType.MARIADB)
    with mariadb_database("tricky_my") as url:
        load_mariadb_script(url, script)
        live = introspect(parse_target(url))
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert parsed.warnings == []
    [people] = parsed.tables
    assert [(c.name, c.type) for c in people.columns] == [
        ("nick", "TEXT"),
        ("tenant", "INT"),
        ("birth_year", "YEAR"),
        ("id", "INT"),
        ("email", "VARCHAR(200)"),
        ("name", "VARCHAR(100)"),
    ]


SQLITE_SCRIPT = """
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
CREATE TABLE pairs (a INT, b TEXT, PRIMARY KEY (a, b)) STRICT, WITHOUT ROWID;
CREATE TABLE people (
    id INTEGER PRIMARY KEY ON CONFLICT FAIL AUTOINCREMENT,
    name TEXT NOT NULL ON CONFLICT ABORT UNIQUE ON CONFLICT REPLACE
);
CREATE TABLE IF NOT EXISTS "main"."odd names" ("col one" TEXT, [col two] INT);
CREATE INDEX main.people_name ON people (name COLLATE NOCASE);
"""


def test_sqlite_without_rowid_conflict_clauses_and_main(tmp_path: Path) -> None:
    parsed = parse_script(SQLITE_SCRIPT, DatabaseType.SQLITE)
    path = tmp_path / "tricky.db"
    connection = sqlite3.connect(path)
    connection.executescript(SQLITE_SCRIPT)
    connection.close()
    live = introspect(parse_target(str(path)))
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert parsed.warnings == []
    assert sorted(t.name for t in parsed.tables) == ["kv", "odd names", "pairs", "people"]
