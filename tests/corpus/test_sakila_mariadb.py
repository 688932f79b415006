"""Sakila on MariaDB: the import matches what information_schema says.

The expected values are read with PyMySQL, not through SQLAlchemy, and a few facts are
checked by hand against mysql-sakila-schema.sql.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from chartdb_mcp.core.model import DatabaseType, ReferentialAction, TableStatus
from chartdb_mcp.live.engines import connect
from chartdb_mcp.live.introspect import LiveSchema
from chartdb_mcp.live.introspect.neutral import InspectorReader
from chartdb_mcp.live.target import parse_target
from support.databases import mariadb_connect
from support.import_routes import ROUTES, import_by
from support.live_facts import ACTIONS, foreign_key_facts, relations_of, table


@pytest.fixture(scope="module")
def database(sakila_mariadb_url: str) -> str:
    return str(make_url(sakila_mariadb_url).database)


@pytest.fixture(scope="module", params=ROUTES)
def live(request: pytest.FixtureRequest, sakila_mariadb_url: str) -> LiveSchema:
    # The mysql:// scheme on purpose: the server version must correct it to MariaDB.
    url = make_url(sakila_mariadb_url).set(drivername="mysql")
    return import_by(request.param, url.render_as_string(hide_password=False))


@pytest.fixture(scope="module")
def catalog(sakila_mariadb_url: str) -> Iterator[Any]:
    connection = mariadb_connect(make_url(sakila_mariadb_url))
    yield connection
    connection.close()


def rows(catalog: Any, sql: str, database: str) -> list[tuple[Any, ...]]:
    with catalog.cursor() as cursor:
        cursor.execute(sql, (database,))
        return list(cursor.fetchall())


def test_mariadb_is_recognised_from_the_server_version(live: LiveSchema, database: str) -> None:
    assert live.database_type == DatabaseType.MARIADB
    assert "MariaDB" in live.server_version
    assert live.schemas == [database]
    assert {t.schema_name for t in live.tables} == {database}
    assert live.custom_types == []
    assert live.warnings == []


def test_every_table_and_view(live: LiveSchema, catalog: Any, database: str) -> None:
    relations = rows(
        catalog,
        "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
        database,
    )
    assert len(live.tables) == 16
    assert sorted(t.name for t in live.tables) == sorted(
        name for name, kind in relations if kind == "BASE TABLE"
    )
    assert sorted(v.name for v in live.views) == sorted(
        name for name, kind in relations if kind == "VIEW"
    )
    assert len(live.views) == 7
    assert all(v.definition and v.definition.lower().startswith("select") for v in live.views)


def test_every_column_type_and_nullability(live: LiveSchema, catalog: Any, database: str) -> None:
    expected: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for relation, name, type_text, nullable in rows(
        catalog,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'YES' "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION",
        database,
    ):
        expected[relation].append((name, type_text, bool(nullable)))
    found = {
        item.name: [(column.name, column.type, column.nullable) for column in item.columns]
        for item in relations_of(live)
    }
    assert found == dict(expected)


def test_every_primary_key(live: LiveSchema, catalog: Any, database: str) -> None:
    expected: dict[str, list[str]] = defaultdict(list)
    for relation, column in rows(
        catalog,
        "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s AND CONSTRAINT_NAME = 'PRIMARY' "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION",
        database,
    ):
        expected[relation].append(column)
    found = {t.name: t.primary_key.columns for t in live.tables if t.primary_key is not None}
    assert found == dict(expected)
    assert found["film_actor"] == ["actor_id", "film_id"]


def test_every_foreign_key(live: LiveSchema, catalog: Any, database: str) -> None:
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for relation, name, column, target, target_column in rows(
        catalog,
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        database,
    ):
        pairs[(relation, name)].append((column, target, target_column))
    rules = {
        (relation, name): (ACTIONS[delete], ACTIONS[update])
        for relation, name, delete, update in rows(
            catalog,
            "SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE "
            "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s",
            database,
        )
    }
    expected = {
        (
            relation,
            name,
            tuple(c for c, _, _ in columns),
            columns[0][1],
            tuple(t for _, _, t in columns),
            *rules[(relation, name)],
        )
        for (relation, name), columns in pairs.items()
    }
    found = foreign_key_facts(live)
    assert len(expected) == 22
    assert found == expected


def test_every_index(live: LiveSchema, catalog: Any, database: str) -> None:
    expected: dict[tuple[str, str], tuple[list[str], bool, str]] = {}
    for relation, name, column, non_unique, method in rows(
        catalog,
        "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE "
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s AND INDEX_NAME <> 'PRIMARY' "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        database,
    ):
        columns, _, _ = expected.setdefault((relation, name), ([], not non_unique, method.lower()))
        columns.append(column)
    found = {
        (item.name, index.name): (index.columns, index.unique, index.method)
        for item in live.tables
        for index in item.indexes
    }
    assert found == expected
    # A UNIQUE key is listed once, as a unique index, not also as a constraint.
    assert all(t.unique_constraints == [] for t in live.tables)


def test_hand_checked_film(live: LiveSchema) -> None:
    film = table(live, "film")
    columns = {column.name: column for column in film.columns}
    assert columns["rating"].type == "enum('G','PG','PG-13','R','NC-17')"
    assert columns["rating"].default == "'G'"
    assert columns["special_features"].type == (
        "set('Trailers','Commentaries','Deleted Scenes','Behind the Scenes')"
    )
    assert columns["film_id"].type == "int(10) unsigned"
    assert columns["film_id"].normalized_type == "integer unsigned"
    assert columns["film_id"].autoincrement is True
    assert columns["length"].type == "smallint(5) unsigned"
    assert columns["rental_duration"].normalized_type == "tinyint unsigned"
    assert columns["rental_rate"].default == "4.99"
    assert columns["description"].default is None
    assert columns["last_update"].default == "current_timestamp()"
    assert columns["last_update"].on_update == "current_timestamp()"
    assert table(live, "staff").column("password").collation == "utf8mb3_bin"  # type: ignore[union-attr]
    assert table(live, "staff").column("username").collation is None  # type: ignore[union-attr]


def test_hand_checked_keys(live: LiveSchema) -> None:
    fulltext = table(live, "film_text").indexes
    assert [(i.name, i.columns, i.method) for i in fulltext] == [
        ("idx_title_description", ["title", "description"], "fulltext")
    ]
    rental_date = next(i for i in table(live, "rental").indexes if i.name == "rental_date")
    assert rental_date.unique and rental_date.columns == [
        "rental_date",
        "inventory_id",
        "customer_id",
    ]
    payment_rental = next(r for r in live.relationships if r.name == "fk_payment_rental")
    assert (payment_rental.on_delete, payment_rental.on_update) == (
        ReferentialAction.SET_NULL,
        ReferentialAction.CASCADE,
    )
    assert all(t.status == TableStatus.EXISTS for t in live.tables)


def test_catalog_reader_agrees_with_sqlalchemy_inspector(
    live: LiveSchema, sakila_mariadb_url: str, database: str
) -> None:
    with connect(parse_target(sakila_mariadb_url)) as connection:
        reader = InspectorReader(connection, DatabaseType.MARIADB)
        read = reader.read([database], lambda message: None)
    inspected = {record.name: record for record in read.tables}
    assert sorted(inspected) == sorted(t.name for t in live.tables)
    for item in live.tables:
        other = inspected[item.name]
        # SQLAlchemy appends the character set and collation of a column that has its own.
        assert [(c.name, c.nullable, c.normalized_type) for c in item.columns] == [
            (c.name, c.nullable, re.split(" character set | collate ", c.normalized_type)[0])
            for c in other.columns
        ]
        assert sorted((i.name, i.columns, i.unique) for i in item.indexes) == sorted(
            (i.name, i.columns, i.unique) for i in other.indexes
        )
        assert item.primary_key.columns == other.primary_key.columns  # type: ignore[union-attr]
    names = {t.id: t.name for t in live.tables}
    # MariaDB's SHOW CREATE TABLE omits RESTRICT (the default), so the inspector reports
    # NO ACTION where information_schema says RESTRICT; for InnoDB the two are the same.
    same = {ReferentialAction.RESTRICT: ReferentialAction.NO_ACTION}
    assert {
        (
            k.source[1],
            k.name,
            tuple(k.source_columns),
            k.target[1],
            same.get(k.on_delete, k.on_delete),
        )
        for k in read.foreign_keys
    } == {
        (
            names[r.source_table_id],
            r.name,
            tuple(r.source_columns),
            names[r.target_table_id],
            same.get(r.on_delete, r.on_delete),
        )
        for r in live.relationships
    }
