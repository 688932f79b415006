"""Hand-written scripts (tests/core/sql_parse/scripts) agree with the database they build.

Each script is loaded into a fresh database, introspected with the live importer and
compared with `parse_script` of the same text through the diff engine (see
support.script_compare for what is left out of the comparison and why).
"""

import sqlite3
from pathlib import Path

import pytest

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

SCRIPTS = Path(__file__).parents[1] / "core" / "sql_parse" / "scripts"


def test_postgres_serial_identity_generated_partitions_and_indexes() -> None:
    script = SCRIPTS / "postgres-handwritten.sql"
    parsed = parse_script(script.read_text(encoding="utf-8"), DatabaseType.POSTGRESQL)
    with postgres_database("script_pg") as url:
        load_postgres_script(url, script)
        live = introspect(parse_target(url), ["public"])
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert len(parsed.tables) == 3 and len(parsed.relationships) == 1
    assert sorted(t.name for t in parsed.custom_types) == ["mood", "positive_int"]


def test_mysqldump_with_delimiter_blocks_on_mariadb() -> None:
    script = SCRIPTS / "mysql-delimiter.sql"
    parsed = parse_script(script.read_text(encoding="utf-8"), DatabaseType.MARIADB)
    with mariadb_database("script_my") as url:
        load_mariadb_script(url, script)
        live = introspect(parse_target(url))
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert len(parsed.relationships) == 1


SQLITE_SCRIPT = """
CREATE TABLE authors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    born DATE DEFAULT (date('now')),
    initials TEXT GENERATED ALWAYS AS (substr(name, 1, 1)) VIRTUAL
);
CREATE TABLE [books] (
    "id" INTEGER NOT NULL,
    author_id INTEGER REFERENCES authors (id) ON DELETE CASCADE,
    title VARCHAR(200) NOT NULL COLLATE NOCASE,
    price NUMERIC(8, 2) CHECK (price >= 0),
    PRIMARY KEY ("id")
);
CREATE INDEX books_title ON books (title DESC);
CREATE UNIQUE INDEX books_author_title ON books (author_id, lower(title))
    WHERE author_id IS NOT NULL;
CREATE TRIGGER books_ai AFTER INSERT ON books BEGIN
    UPDATE books SET title = trim(new.title) WHERE id = new.id;
END;
CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 5;
"""


def test_sqlite_schema(tmp_path: Path) -> None:
    parsed = parse_script(SQLITE_SCRIPT, DatabaseType.SQLITE)
    path = tmp_path / "books.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(SQLITE_SCRIPT)
    connection.close()
    live = introspect(parse_target(str(path)))
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert dict(parsed.skipped) == {"trigger": 1}


@pytest.mark.parametrize("database", [DatabaseType.POSTGRESQL])
def test_the_handwritten_postgres_script_reports_its_skips(database: DatabaseType) -> None:
    text = (SCRIPTS / "postgres-handwritten.sql").read_text(encoding="utf-8")
    parsed = parse_script(text, database)
    assert dict(parsed.skipped) == {"function": 1, "trigger": 1, "grant": 1}
    assert parsed.problems == [] and parsed.warnings == []


UNNAMED_KEYS = """
CREATE TABLE p (id INT PRIMARY KEY, code INT UNIQUE);
CREATE TABLE c (
  id INT PRIMARY KEY,
  p_id INT,
  q_id INT REFERENCES p (id),
  r_code INT,
  FOREIGN KEY (p_id) REFERENCES p (id),
  FOREIGN KEY (r_code) REFERENCES p (code) ON DELETE CASCADE
);
"""


def test_mariadb_names_unnamed_foreign_keys_and_their_indexes(tmp_path: Path) -> None:
    script = tmp_path / "keys.sql"
    script.write_text(UNNAMED_KEYS, encoding="utf-8")
    parsed = parse_script(UNNAMED_KEYS, DatabaseType.MARIADB)
    with mariadb_database("script_keys") as url:
        load_mariadb_script(url, script)
        live = introspect(parse_target(url))
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    assert sorted(r.name or "" for r in parsed.relationships) == [
        "c_ibfk_1",
        "c_ibfk_2",
        "c_ibfk_3",
    ]


def test_postgres_names_unnamed_checks_keys_and_foreign_keys() -> None:
    script = SCRIPTS / "postgres-unnamed.sql"
    parsed = parse_script(script.read_text(encoding="utf-8"), DatabaseType.POSTGRESQL)
    with postgres_database("script_names") as url:
        load_postgres_script(url, script)
        live = introspect(parse_target(url), ["public"])
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    names = {t.name: sorted(c.name or "" for c in t.checks) for t in parsed.tables}
    assert names["u"] == ["u_x_check", "u_x_check1"]
    long = next(t for t in parsed.tables if t.name.startswith("a_table"))
    assert [r.name for r in parsed.relationships] == [
        "v_x_y_fkey",
        "a_table_name_that_is_long_enough_to_be_truncated_b_w_x_w_y_fkey",
    ]
    assert long.columns[0].default == (
        "nextval('a_table_name_that_is_long_eno_a_column_name_that_is_also_ra_seq'::regclass)"
    )


UNNAMED_CHECKS = """
CREATE TABLE t (
  a INT CHECK (a > 0),
  b INT,
  c INT,
  CHECK (b > 0),
  CONSTRAINT named_ck CHECK (c < 5),
  CHECK (a < b),
  UNIQUE (b, c),
  UNIQUE KEY (c)
);
"""


def test_mariadb_names_unnamed_checks_and_unique_keys(tmp_path: Path) -> None:
    script = tmp_path / "checks.sql"
    script.write_text(UNNAMED_CHECKS, encoding="utf-8")
    parsed = parse_script(UNNAMED_CHECKS, DatabaseType.MARIADB)
    with mariadb_database("script_checks") as url:
        load_mariadb_script(url, script)
        live = introspect(parse_target(url))
    lines = diff_ops(parsed, live)
    assert not lines, "\n".join(lines)
    [table] = parsed.tables
    assert [c.name for c in table.checks] == ["a", "CONSTRAINT_1", "named_ck", "CONSTRAINT_2"]
