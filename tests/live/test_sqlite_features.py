"""SQLite specifics the PRAGMAs alone do not tell: generated columns, parenthesized
defaults, collations, virtual tables, WAL files, and warnings that name tables plainly."""

import sqlite3
from pathlib import Path

import pytest

from chartdb_mcp.core.model import Table
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.introspect import sqlite as sqlite_reader
from chartdb_mcp.live.introspect.sqlite_ddl import ColumnClauses, column_clauses
from chartdb_mcp.live.target import parse_target

COLUMNS = """
CREATE TABLE a (
    x int,
    y TEXT AS (upper(x)) STORED,
    z TEXT GENERATED ALWAYS AS (upper(x)) STORED,
    w int AS (x+1),
    v text as (x || 'a') virtual,
    pb TEXT COLLATE NOCASE,
    pc TEXT COLLATE "RTRIM" CHECK (pc COLLATE NOCASE <> 'x'),
    pd TEXT COLLATE BINARY,
    created TEXT DEFAULT (datetime('now')),
    counted INT DEFAULT -5,
    label TEXT DEFAULT 'none' NOT NULL
);
"""


def sqlite_file(tmp_path: Path, script: str, name: str = "live.db") -> Path:
    """A SQLite file made by `script`, closed before it is read."""
    path = tmp_path / name
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.close()
    return path


def read(path: Path) -> LiveSchema:
    return introspect(parse_target(str(path)))


def by_name(live: LiveSchema, name: str) -> Table:
    return next(table for table in live.tables if table.name == name)


@pytest.fixture
def columns(tmp_path: Path) -> Table:
    return by_name(read(sqlite_file(tmp_path, COLUMNS)), "a")


@pytest.mark.parametrize(
    ("column", "generated"),
    [
        ("x", None),
        ("y", "upper(x)"),
        ("z", "upper(x)"),
        ("w", "x+1"),
        ("v", "x || 'a'"),
        ("created", None),
    ],
)
def test_generated_columns_keep_their_expression(
    columns: Table, column: str, generated: str | None
) -> None:
    found = columns.column(column)
    assert found is not None
    assert (found.generated, found.default if generated else None) == (generated, None)


def test_generated_columns_as_the_tester_declared_them(tmp_path: Path) -> None:
    script = (
        "CREATE TABLE a (x int, y TEXT AS (upper(x)) STORED, "
        "z TEXT GENERATED ALWAYS AS (upper(x)) STORED, w int AS (x+1), "
        "v text as (x || 'a') virtual);"
    )
    table = by_name(read(sqlite_file(tmp_path, script)), "a")
    assert [(c.name, c.generated) for c in table.columns] == [
        ("x", None),
        ("y", "upper(x)"),
        ("z", "upper(x)"),
        ("w", "x+1"),
        ("v", "x || 'a'"),
    ]


@pytest.mark.parametrize(
    ("column", "default"),
    [
        ("created", "(datetime('now'))"),
        ("counted", "-5"),
        ("label", "'none'"),
        ("x", None),
    ],
)
def test_defaults_keep_their_parentheses(columns: Table, column: str, default: str | None) -> None:
    assert columns.column(column).default == default  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("column", "collation"),
    [("pb", "NOCASE"), ("pc", "RTRIM"), ("pd", None), ("x", None)],
)
def test_collations_other_than_binary_are_read(
    columns: Table, column: str, collation: str | None
) -> None:
    assert columns.column(column).collation == collation  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE TABLE t AS SELECT count(*) AS n FROM u", {}),
        ("CREATE TABLE t (a", {}),
        (
            'CREATE TABLE t ("odd name" int AS (1), CONSTRAINT k PRIMARY KEY (a), CHECK (b > 0))',
            {"odd name": ColumnClauses(generated="1")},
        ),
        (
            "CREATE TABLE t (a DECIMAL(10, 2) DEFAULT (1 + (2)) /* AS (x) */ COLLATE nocase)",
            {"a": ColumnClauses(default="(1 + (2))", collation="nocase")},
        ),
    ],
)
def test_column_clauses_read_only_what_the_statement_says(
    sql: str, expected: dict[str, ColumnClauses]
) -> None:
    assert column_clauses(sql) == expected


FTS = """
CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE fts_notes (id INTEGER PRIMARY KEY);
CREATE VIRTUAL TABLE fts USING fts5(body);
"""
LEFT_OUT = "Virtual tables (CREATE VIRTUAL TABLE) are left out"


@pytest.mark.parametrize("table_list", [True, False], ids=["table_list", "before 3.37"])
def test_virtual_tables_and_their_shadows_are_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table_list: bool
) -> None:
    if not table_list:
        monkeypatch.setattr(sqlite_reader, "TABLE_LIST_SINCE", (99, 0, 0))
    live = read(sqlite_file(tmp_path, FTS))
    names = sorted(table.name for table in live.tables)
    # Before 3.37 shadow tables are told by name, so fts_notes goes too; a known cost.
    assert names == (["fts_notes", "note"] if table_list else ["note"])
    assert [w for w in live.warnings if w.startswith(LEFT_OUT)] == [
        f"{sqlite_reader.VIRTUAL_TABLES_LEFT_OUT}: fts."
    ]
    assert not any("fts_" in warning for warning in live.warnings)


def test_reading_a_wal_database_says_which_files_it_left(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path, "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER);")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.db"]
    live = read(path)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "live.db")
    assert left == ["live.db-shm", "live.db-wal"]
    assert any(w.startswith("SQLite created live.db-shm and live.db-wal") for w in live.warnings)
    assert not any("SQLite created" in warning for warning in read(path).warnings)


def test_reading_a_rollback_journal_database_leaves_nothing(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path, "CREATE TABLE t (id INTEGER);")
    live = read(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.db"]
    assert not any("SQLite created" in warning for warning in live.warnings)


def test_foreign_keys_to_missing_tables_are_named_without_none(tmp_path: Path) -> None:
    path = sqlite_file(
        tmp_path,
        "CREATE TABLE fk_to_missing (id INTEGER, other INTEGER REFERENCES nosuchtable (id));",
    )
    live = read(path)
    assert live.relationships == []
    assert (
        "Foreign keys to tables that were not read (outside the schemas read, or missing) "
        "are left out: fk_to_missing(other) -> nosuchtable." in live.warnings
    )
    assert not any("None" in warning for warning in live.warnings)
