"""Each corpus script, read as text, gives the diagram the database gives after loading it.

Each file is loaded into a fresh database with the fixtures of support.databases,
introspected with the live importer, and compared with `parse_script` of the same file
through the diff engine: merged by name (as a re-import would), the diff must be empty.

What a script cannot state, and so is left out of the comparison, explicitly:

- the type text: the catalog prints its own spelling (`int(10) unsigned` for
  `INT UNSIGNED`, `character varying(45)` for `varchar(45)`); the normalized type is
  compared instead, and the type text is checked to be what the script wrote;
- defaults, ON UPDATE and check expressions are compared in one canonical spelling
  (`canonical_expression`), since catalogs re-print them;
- PostgreSQL partition bounds: the server prints timestamptz bounds in its own time
  zone; the test checks each partition has a bound and its parent;
- the order of relationships, indexes, unique constraints and checks: catalogs list
  them by name, a script in the order it declares them;
- the status and sync record: a live import marks tables EXISTS, a script PLANNED;
- view columns and definitions: the database works them out from the query (the diff
  does not cover views; names and materialization are compared);
- MySQL/MariaDB collations: `VARCHAR(40) BINARY` makes the server pick its charset's
  binary collation (`utf8mb3_bin`), which the script does not name;
- MySQL/MariaDB database name: the fixture loads sakila into a uniquely named database.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.edit.ops import ChangeOp
from chartdb_mcp.core.model import DatabaseType, Diagram, Table, TableStatus
from chartdb_mcp.core.sql.parse import ParsedScript, parse_script
from chartdb_mcp.core.sql.parse.canonical import canonical_expression
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.target import parse_target
from support.databases import corpus_path, load_postgres_script, postgres_database


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


MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)
CASES = ("pagila", "sakila_postgres", "sakila_mariadb", "sakila_sqlite")


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest) -> Case:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def comparable(diagram: Diagram, database: DatabaseType, schema: str | None) -> Diagram:
    """The diagram without what a script cannot state (see the module docstring)."""

    def column_fields(column: object) -> dict[str, object]:
        assert hasattr(column, "normalized_type")
        return {
            "type": column.normalized_type,
            "default": canonical_expression(column.default, database),  # type: ignore[attr-defined]
            "on_update": canonical_expression(column.on_update, database),  # type: ignore[attr-defined]
            "collation": None if database in MYSQL_FAMILY else column.collation,  # type: ignore[attr-defined]
        }

    def table_copy(table: Table) -> Table:
        return table.model_copy(
            update={
                "schema_name": schema if database in MYSQL_FAMILY else table.schema_name,
                "status": TableStatus.PLANNED,
                "sync": None,
                "partition_bound": None,
                "columns": [c.model_copy(update=column_fields(c)) for c in table.columns],
                "indexes": sorted(table.indexes, key=lambda index: index.name),
                "unique_constraints": sorted(table.unique_constraints, key=lambda u: u.columns),
                "checks": sorted(
                    (
                        check.model_copy(
                            update={"expression": canonical_expression(check.expression, database)}
                        )
                        for check in table.checks
                    ),
                    key=lambda check: (check.name or "", check.expression),
                ),
            }
        )

    custom_types = [
        custom.model_copy(
            update={"checks": [canonical_expression(c, database) or "" for c in custom.checks]}
        )
        for custom in diagram.custom_types
    ]
    names = {table.id: table.name for table in diagram.tables}
    relationships = sorted(
        diagram.relationships,
        key=lambda r: (names[r.source_table_id], r.name or "", r.source_columns),
    )
    return diagram.model_copy(
        update={
            "tables": [table_copy(t) for t in diagram.tables],
            "relationships": relationships,
            "custom_types": custom_types,
            "schemas": [],
            "source": None,
        }
    )


def diagrams_of(case: Case) -> tuple[Diagram, Diagram]:
    """(live, script) as diagrams, the script's merged onto the live one's ids by name."""
    live = Diagram(
        name=case.label,
        database_type=case.database,
        schemas=case.live.schemas,
        tables=case.live.tables,
        relationships=case.live.relationships,
        views=case.live.views,
        custom_types=case.live.custom_types,
    )
    schema = case.live.schemas[0] if case.database in MYSQL_FAMILY else None
    script = Diagram(
        name=case.label,
        database_type=case.database,
        tables=[
            t.model_copy(update={"schema_name": schema or t.schema_name})
            for t in case.parsed.tables
        ],
        relationships=case.parsed.relationships,
        views=case.parsed.views,
        custom_types=case.parsed.custom_types,
    )
    outcome = merge_import(live, script)
    assert outcome.added == [], "tables only the script has"
    assert outcome.not_in_database == [], "tables only the database has"
    return comparable(live, case.database, schema), comparable(
        outcome.diagram, case.database, schema
    )


def describe(op: ChangeOp) -> str:
    """An op as one short line, so a failure shows what differs."""
    fields = op.model_dump(mode="json", exclude_none=True, exclude={"table_id"})
    return json.dumps(fields)[:300]


def test_script_and_live_import_diff_to_nothing(case: Case) -> None:
    live, script = diagrams_of(case)
    ops = diff_diagrams(live, script)
    lines = [describe(op) for op in ops]
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
    assert case.parsed.problems == []
    assert case.parsed.used["table"] == len(case.live.tables)
    assert sum(case.parsed.skipped.values()) > 0
