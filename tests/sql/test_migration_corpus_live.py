"""A migration from an empty database to a whole corpus schema, and back by inverses.

pagila (PostgreSQL) and sakila (MariaDB, SQLite): the migration from nothing builds a
database that reads back as the corpus import, and a second generation is empty. On
PostgreSQL and MariaDB, running the inverses in reverse order empties the database again.
"""

import sqlite3
from pathlib import Path

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.core.sql.migrate import plan_migration
from chartdb_mcp.core.sql.migrate.align import align_ids
from support.databases import mariadb_database, postgres_database
from support.sql_roundtrip import read_diagram, run_statements


def empty_like(diagram: Diagram) -> Diagram:
    return diagram.model_copy(
        update={"tables": [], "relationships": [], "custom_types": [], "views": []}
    )


def loaded_as(url: str, reference: Diagram) -> Diagram:
    """The database read back, with the reference's ids and schema names."""
    live = read_diagram(url)
    schemas = {table.name: table.schema_name for table in reference.tables}
    tables = [
        t.model_copy(update={"schema_name": schemas.get(t.name, t.schema_name)})
        for t in live.tables
    ]
    return align_ids(reference, live.model_copy(update={"tables": tables}))


def test_pagila_from_nothing_and_back_on_postgres(pagila_postgres_url: str) -> None:
    pagila = read_diagram(pagila_postgres_url)
    plan = plan_migration(empty_like(pagila), pagila)
    assert all(step.inverse for step in plan.steps if step.sql.startswith("CREATE TABLE"))
    with postgres_database("mig_pagila") as url:
        run_statements(url, [step.sql for step in plan.steps])
        loaded = loaded_as(url, pagila)
        assert [s.sql for s in plan_migration(loaded, pagila).steps] == []
        inverses = [step.inverse for step in reversed(plan.steps) if step.inverse]
        run_statements(url, inverses)
        assert read_diagram(url).tables == []


def test_sakila_from_nothing_and_back_on_mariadb(sakila_mariadb_url: str) -> None:
    sakila = read_diagram(sakila_mariadb_url)
    plan = plan_migration(empty_like(sakila), sakila)
    with mariadb_database("mig_sakila") as url:
        run_statements(url, [step.sql for step in plan.steps])
        loaded = loaded_as(url, sakila)
        assert [s.sql for s in plan_migration(loaded, sakila).steps] == []
        inverses = [step.inverse for step in reversed(plan.steps) if step.inverse]
        run_statements(url, inverses)
        assert read_diagram(url).tables == []


def test_sakila_from_nothing_on_sqlite(sakila_sqlite_path: Path, tmp_path: Path) -> None:
    sakila = read_diagram(str(sakila_sqlite_path))
    plan = plan_migration(empty_like(sakila), sakila)
    path = tmp_path / "sakila.db"
    sqlite3.connect(path).close()
    run_statements(str(path), [step.sql for step in plan.steps])
    loaded = loaded_as(str(path), sakila)
    assert [s.sql for s in plan_migration(loaded, sakila).steps] == []
