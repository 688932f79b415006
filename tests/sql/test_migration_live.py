"""Migration round trips on live databases, for each pair of schemas.

Load "before" into a fresh PostgreSQL, MariaDB or SQLite database, generate the
migration from the two diagrams, run it statement by statement, read the database
back: a second migration from what is there to "after" is empty, so the database now
has the "after" schema, and generating again changes nothing.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.ddl import export_ddl
from chartdb_mcp.core.sql.migrate import plan_migration
from chartdb_mcp.core.sql.migrate.align import align_ids
from support.databases import mariadb_database, postgres_database
from support.migration_pairs import PAIRS, Pair, blog
from support.sql_roundtrip import read_diagram, run_statements

CASES = [
    pytest.param(pair, dialect, id=f"{dialect.value}-{pair.name}")
    for pair in PAIRS
    for dialect in pair.dialects
]


@contextmanager
def fresh_database(dialect: DatabaseType, tmp_path: Path) -> Iterator[str]:
    if dialect == DatabaseType.POSTGRESQL:
        with postgres_database("mig") as url:
            yield url
    elif dialect == DatabaseType.MARIADB:
        with mariadb_database("mig") as url:
            yield url
    else:
        path = tmp_path / "mig.db"
        sqlite3.connect(path).close()
        yield str(path)


def as_loaded(live: Diagram, like: Diagram) -> Diagram:
    """The database's schema with the ids and schema names of the diagram it should match."""
    schemas = {table.name: table.schema_name for table in like.tables}
    tables = [
        t.model_copy(update={"schema_name": schemas.get(t.name, t.schema_name)})
        for t in live.tables
    ]
    return align_ids(like, live.model_copy(update={"tables": tables}))


@pytest.mark.parametrize(("pair", "dialect"), CASES)
def test_the_migration_brings_the_database_to_after(
    pair: Pair, dialect: DatabaseType, tmp_path: Path
) -> None:
    before = pair.before(blog(dialect))
    after = pair.after(before)
    plan = plan_migration(before, after, dialect)
    assert (plan.steps == []) == pair.empty, [step.sql for step in plan.steps]
    with fresh_database(dialect, tmp_path) as url:
        run_statements(url, export_ddl(before).statements)
        loaded_before = as_loaded(read_diagram(url), before)
        assert plan_migration(loaded_before, before, dialect).steps == []
        run_statements(url, [step.sql for step in plan.steps])
        if dialect == DatabaseType.SQLITE and plan.steps:
            with sqlite3.connect(url) as connection:
                assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            connection.close()
        loaded = as_loaded(read_diagram(url), after)
    again = plan_migration(loaded, after, dialect)
    assert [step.sql for step in again.steps] == []


def fully_invertible(pair: Pair, dialect: DatabaseType) -> bool:
    before = pair.before(blog(dialect))
    steps = plan_migration(before, pair.after(before), dialect).steps
    return bool(steps) and all(step.inverse for step in steps)


INVERTIBLE = [
    pytest.param(pair, dialect, id=f"{dialect.value}-{pair.name}")
    for pair in PAIRS
    for dialect in pair.dialects
    if dialect != DatabaseType.SQLITE and fully_invertible(pair, dialect)
]


def test_most_migrations_can_be_undone_statement_by_statement() -> None:
    assert len(INVERTIBLE) >= 40


@pytest.mark.parametrize(("pair", "dialect"), INVERTIBLE)
def test_the_inverses_bring_the_database_back_to_before(
    pair: Pair, dialect: DatabaseType, tmp_path: Path
) -> None:
    before = pair.before(blog(dialect))
    plan = plan_migration(before, pair.after(before), dialect)
    with fresh_database(dialect, tmp_path) as url:
        run_statements(url, export_ddl(before).statements)
        run_statements(url, [step.sql for step in plan.steps])
        run_statements(url, [step.inverse or "" for step in reversed(plan.steps)])
        loaded = as_loaded(read_diagram(url), before)
    assert [step.sql for step in plan_migration(loaded, before, dialect).steps] == []


CROSS = [
    pytest.param(pair, dialect, id=f"postgresql-design-on-{dialect.value}-{pair.name}")
    for pair in PAIRS
    for dialect in (DatabaseType.MARIADB, DatabaseType.SQLITE)
    if not pair.empty and dialect in pair.dialects and DatabaseType.POSTGRESQL in pair.dialects
]


@pytest.mark.parametrize(("pair", "dialect"), CROSS)
def test_a_postgres_design_migrates_another_database(
    pair: Pair, dialect: DatabaseType, tmp_path: Path
) -> None:
    before = pair.before(blog(DatabaseType.POSTGRESQL))
    after = pair.after(before)
    plan = plan_migration(before, after, dialect)
    with fresh_database(dialect, tmp_path) as url:
        run_statements(url, export_ddl(before, dialect).statements)
        run_statements(url, [step.sql for step in plan.steps])
        loaded = as_loaded(read_diagram(url), after)
    assert [step.sql for step in plan_migration(loaded, after, dialect).steps] == []
