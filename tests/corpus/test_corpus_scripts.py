"""Each corpus script, read as text, gives the diagram the database gives after loading it.

Each file is loaded into a fresh database with the fixtures of support.databases,
introspected with the live importer, and compared with `parse_script` of the same file
through the diff engine: merged by name (as a re-import would), the diff must be empty.

What a script cannot state, and so is left out, is listed in support.script_compare.
The type text is checked here to be the script's own spelling.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.parse import ParsedScript, parse_script
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.target import parse_target
from support.databases import corpus_path, load_postgres_script, postgres_database
from support.script_compare import diff_ops


@dataclass
class Case:
    """One corpus script with its live import."""

    label: str
    database: DatabaseType
    parsed: ParsedScript
    live: LiveSchema


@pytest.fixture(scope="module")
def sakila_postgres_url() -> Iterator[str]:
    with postgres_database("sakila_pg") as url:
        load_postgres_script(url, corpus_path("sakila", "postgres-sakila-schema.sql"))
        yield url


def read_corpus(*parts: str, database: DatabaseType) -> ParsedScript:
    return parse_script(corpus_path(*parts).read_text(encoding="utf-8"), database)


@pytest.fixture(scope="module")
def pagila(pagila_postgres_url: str) -> Case:
    parsed = read_corpus("pagila", "pagila-schema.sql", database=DatabaseType.POSTGRESQL)
    live = introspect(parse_target(pagila_postgres_url), ["public"])
    return Case("pagila", DatabaseType.POSTGRESQL, parsed, live)


@pytest.fixture(scope="module")
def sakila_postgres(sakila_postgres_url: str) -> Case:
    parsed = read_corpus("sakila", "postgres-sakila-schema.sql", database=DatabaseType.POSTGRESQL)
    live = introspect(parse_target(sakila_postgres_url), ["public"])
    return Case("sakila-postgres", DatabaseType.POSTGRESQL, parsed, live)


@pytest.fixture(scope="module")
def sakila_mariadb(sakila_mariadb_url: str) -> Case:
    parsed = read_corpus("sakila", "mysql-sakila-schema.sql", database=DatabaseType.MARIADB)
    live = introspect(parse_target(sakila_mariadb_url))
    return Case("sakila-mariadb", DatabaseType.MARIADB, parsed, live)


@pytest.fixture(scope="module")
def sakila_sqlite(sakila_sqlite_path: Path) -> Case:
    parsed = read_corpus("sakila", "sqlite-sakila-schema.sql", database=DatabaseType.SQLITE)
    live = introspect(parse_target(str(sakila_sqlite_path)))
    return Case("sakila-sqlite", DatabaseType.SQLITE, parsed, live)


CASES = ("pagila", "sakila_postgres", "sakila_mariadb", "sakila_sqlite")


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest) -> Case:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def test_script_and_live_import_diff_to_nothing(case: Case) -> None:
    lines = diff_ops(case.parsed, case.live)
    assert not lines, "\n".join(lines)


def test_every_table_key_and_index_is_recovered(case: Case) -> None:
    assert sorted(t.name for t in case.parsed.tables) == sorted(t.name for t in case.live.tables)
    live_tables = {t.name: t for t in case.live.tables}
    for table in case.parsed.tables:
        other = live_tables[table.name]
        assert [(c.name, c.normalized_type, c.nullable) for c in table.columns] == [
            (c.name, c.normalized_type, c.nullable) for c in other.columns
        ], table.name
        assert table.primary_key == other.primary_key, table.name
        assert sorted(i.name for i in table.indexes) == sorted(i.name for i in other.indexes)
    assert len(case.parsed.relationships) == len(case.live.relationships)


def test_views_are_listed_with_their_definitions(case: Case) -> None:
    assert sorted((v.name, v.materialized) for v in case.parsed.views) == sorted(
        (v.name, v.materialized) for v in case.live.views
    )
    assert all(
        view.definition and "SELECT" in view.definition.upper() for view in case.parsed.views
    )
    assert all(view.columns == [] for view in case.parsed.views)


def test_nothing_is_unreadable_and_the_rest_is_counted(case: Case) -> None:
    parsed = case.parsed
    counted = sum(parsed.used.values()) + sum(parsed.skipped.values()) + len(parsed.problems)
    assert counted == parsed.statements
    assert case.parsed.problems == []
    assert case.parsed.used["table"] == len(case.live.tables)
    assert sum(case.parsed.skipped.values()) > 0


@pytest.mark.parametrize(
    ("fixture", "table", "column", "written"),
    [
        ("pagila", "film", "rating", "mpaa_rating"),
        ("pagila", "film", "last_update", "timestamp with time zone"),
        ("sakila_postgres", "actor", "first_name", "character varying(45)"),
        ("sakila_mariadb", "actor", "actor_id", "INT UNSIGNED"),
        ("sakila_mariadb", "film", "rating", "ENUM('G','PG','PG-13','R','NC-17')"),
        ("sakila_sqlite", "film", "rental_rate", "DECIMAL(4,2)"),
    ],
)
def test_types_keep_the_script_spelling(
    request: pytest.FixtureRequest, fixture: str, table: str, column: str, written: str
) -> None:
    case: Case = request.getfixturevalue(fixture)
    found = next(t for t in case.parsed.tables if t.name == table).column(column)
    assert found is not None and found.type == written


def test_pagila_skips_are_reported_by_kind(pagila: Case) -> None:
    assert pagila.parsed.skipped["function"] == 9
    assert pagila.parsed.skipped["trigger"] == 15
    assert pagila.parsed.skipped["aggregate"] == 1
    assert pagila.parsed.skipped["sequence"] == 13
    assert pagila.parsed.used["materialized view"] == 1


def test_pagila_partitions_have_parent_and_bound(pagila: Case) -> None:
    payment = next(t for t in pagila.parsed.tables if t.name == "payment")
    assert payment.partition_by == "RANGE (payment_date)"
    partitions = [t for t in pagila.parsed.tables if t.partition_of == payment.id]
    assert len(partitions) == 7
    assert all(
        p.partition_bound and p.partition_bound.startswith("FOR VALUES FROM (") for p in partitions
    )
