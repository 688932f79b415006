"""Export a corpus schema as DDL, load the export into a fresh database, read it back:
the diff against the original import is empty, for PostgreSQL, MariaDB and SQLite."""

import sqlite3
from pathlib import Path

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.ddl import export_ddl
from support.databases import mariadb_database, postgres_database
from support.sql_roundtrip import read_diagram, remaining_changes, run_statements


def test_pagila_round_trips_through_postgres_ddl(pagila_postgres_url: str) -> None:
    original = read_diagram(pagila_postgres_url)
    # pagila's views call functions and aggregates of its own, which a diagram does not hold.
    script = export_ddl(original, include_views=False)
    assert script.warnings == []
    with postgres_database("ddl_pg") as url:
        run_statements(url, script.statements)
        assert remaining_changes(original, read_diagram(url)) == []


def test_sakila_round_trips_through_mariadb_ddl(sakila_mariadb_url: str) -> None:
    original = read_diagram(sakila_mariadb_url)
    script = export_ddl(original, DatabaseType.MARIADB)
    assert script.warnings == []
    source_database = sakila_mariadb_url.rsplit("/", 1)[1]
    assert source_database not in script.text  # views name the tables, not the database
    with mariadb_database("ddl_maria") as url:
        run_statements(url, script.statements)
        loaded = read_diagram(url)
        assert remaining_changes(original, loaded) == []
        assert sorted(v.name for v in loaded.views) == sorted(v.name for v in original.views)


def test_sakila_round_trips_through_sqlite_ddl(sakila_sqlite_path: Path, tmp_path: Path) -> None:
    original = read_diagram(str(sakila_sqlite_path))
    script = export_ddl(original)
    assert script.warnings == []
    copy = tmp_path / "copy.db"
    sqlite3.connect(copy).close()
    run_statements(str(copy), script.statements)
    loaded = read_diagram(str(copy))
    assert remaining_changes(original, loaded) == []
    assert sorted(view.name for view in loaded.views) == sorted(v.name for v in original.views)


@pytest.mark.parametrize("dialect", [DatabaseType.MARIADB, DatabaseType.SQLITE])
def test_pagila_exported_for_another_database_loads(
    pagila_postgres_url: str, dialect: DatabaseType, tmp_path: Path
) -> None:
    original = read_diagram(pagila_postgres_url)
    script = export_ddl(original, dialect, include_views=False)
    if dialect == DatabaseType.SQLITE:
        path = tmp_path / "pagila.db"
        sqlite3.connect(path).close()
        run_statements(str(path), script.statements)
        loaded = read_diagram(str(path))
    else:
        with mariadb_database("pagila_maria") as url:
            run_statements(url, script.statements)
            loaded = read_diagram(url)
    assert sorted(t.name for t in loaded.tables) == sorted(t.name for t in original.tables)
    assert len(loaded.relationships) == len(original.relationships)
    for table in original.tables:
        copy = next(t for t in loaded.tables if t.name == table.name)
        assert [c.name for c in copy.columns] == [c.name for c in table.columns]
        assert (copy.primary_key is None) == (table.primary_key is None)
    # What MySQL and SQLite cannot say is reported, never dropped in silence.
    assert any("gist" in warning for warning in script.warnings)
