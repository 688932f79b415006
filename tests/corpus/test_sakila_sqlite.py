"""Sakila on SQLite: the import matches what sqlite_master and the PRAGMAs say."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chartdb_mcp.core.model import DatabaseType, IndexPart, ReferentialAction
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.target import parse_target
from support.import_routes import ROUTES, import_by
from support.live_facts import ACTIONS, table


@pytest.fixture(scope="module", params=ROUTES)
def live(request: pytest.FixtureRequest, sakila_sqlite_path: Path) -> LiveSchema:
    return import_by(request.param, str(sakila_sqlite_path))


@pytest.fixture(scope="module")
def catalog(sakila_sqlite_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"{sakila_sqlite_path.as_uri()}?mode=ro", uri=True)
    yield connection
    connection.close()


def rows(catalog: sqlite3.Connection, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    return catalog.execute(sql, parameters).fetchall()


def names_of(catalog: sqlite3.Connection, kind: str) -> list[str]:
    return sorted(
        name
        for (name,) in rows(
            catalog,
            "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite%'",
            kind,
        )
    )


def test_reads_main_without_a_schema_name(live: LiveSchema) -> None:
    assert live.database_type == DatabaseType.SQLITE
    assert live.schemas == ["main"]
    assert {t.schema_name for t in live.tables} == {None}
    assert live.server_version == sqlite3.sqlite_version


def test_every_table_and_view(live: LiveSchema, catalog: sqlite3.Connection) -> None:
    assert sorted(t.name for t in live.tables) == names_of(catalog, "table")
    assert sorted(v.name for v in live.views) == names_of(catalog, "view")
    assert (len(live.tables), len(live.views)) == (16, 5)
    assert all(v.definition and v.definition.upper().startswith("SELECT") for v in live.views)


def test_every_column_declared_type_and_nullability(
    live: LiveSchema, catalog: sqlite3.Connection
) -> None:
    for item in live.tables:
        info = rows(catalog, 'SELECT name, type, "notnull" FROM pragma_table_info(?)', item.name)
        assert [(c.name, c.type, c.nullable) for c in item.columns] == [
            (name, declared, not notnull) for name, declared, notnull in info
        ]


def test_every_primary_key(live: LiveSchema, catalog: sqlite3.Connection) -> None:
    for item in live.tables:
        info = rows(
            catalog, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", item.name
        )
        expected = [name for (name,) in info]
        assert (item.primary_key.columns if item.primary_key else []) == expected
    assert table(live, "film_actor").primary_key.columns == ["actor_id", "film_id"]  # type: ignore[union-attr]


def test_every_foreign_key(live: LiveSchema, catalog: sqlite3.Connection) -> None:
    expected = set()
    for source in names_of(catalog, "table"):
        keys: dict[int, list[tuple[Any, ...]]] = {}
        for row in rows(
            catalog,
            'SELECT id, "table", "from", "to", on_delete, on_update '
            "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
            source,
        ):
            keys.setdefault(row[0], []).append(row)
        for pairs in keys.values():
            _, target, _, _, delete, update = pairs[0]
            expected.add(
                (
                    source,
                    tuple(pair[2] for pair in pairs),
                    target,
                    tuple(pair[3] for pair in pairs),
                    ACTIONS[delete],
                    ACTIONS[update],
                )
            )
    names = {t.id: t.name for t in live.tables}
    found = {
        (
            names[r.source_table_id],
            tuple(r.source_columns),
            names[r.target_table_id],
            tuple(r.target_columns),
            r.on_delete,
            r.on_update,
        )
        for r in live.relationships
    }
    assert len(expected) == 22
    assert found == expected


def test_inline_foreign_keys_keep_their_names(live: LiveSchema) -> None:
    names = {t.id: t.name for t in live.tables}
    city_country = next(r for r in live.relationships if r.name == "fk_city_country")
    assert (names[city_country.source_table_id], names[city_country.target_table_id]) == (
        "city",
        "country",
    )
    assert (city_country.on_delete, city_country.on_update) == (
        ReferentialAction.NO_ACTION,
        ReferentialAction.CASCADE,
    )
    payment_rental = next(r for r in live.relationships if r.name == "fk_payment_rental")
    assert payment_rental.on_delete == ReferentialAction.SET_NULL


def test_every_index(live: LiveSchema, catalog: sqlite3.Connection) -> None:
    expected = {}
    for source in names_of(catalog, "table"):
        for _, name, unique, origin, _ in rows(
            catalog, "SELECT * FROM pragma_index_list(?)", source
        ):
            columns = [
                column
                for (column,) in rows(
                    catalog, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", name
                )
            ]
            if origin == "c":
                expected[(source, name)] = (columns, bool(unique))
            elif origin == "pk":
                assert table(live, source).primary_key.columns == columns  # type: ignore[union-attr]
            else:
                uniques = [u.columns for u in table(live, source).unique_constraints]
                assert columns in uniques
    found = {
        (item.name, index.name): (index.columns, index.unique)
        for item in live.tables
        for index in item.indexes
    }
    assert found == expected
    assert found[("rental", "idx_rental_uq")] == (
        ["rental_date", "inventory_id", "customer_id"],
        True,
    )


def test_hand_checked_film(live: LiveSchema) -> None:
    film = table(live, "film")
    columns = {column.name: column for column in film.columns}
    assert columns["description"].type == "BLOB SUB_TYPE TEXT"
    assert columns["description"].default is None
    assert columns["rental_rate"].type == "DECIMAL(4,2)"
    assert columns["rental_rate"].normalized_type == "numeric(4,2)"
    assert columns["rating"].default == "'G'"
    assert columns["film_id"].autoincrement is False
    assert sorted(check.name or "" for check in film.checks) == [
        "CHECK_special_features",
        "CHECK_special_rating",
    ]


def test_autoincrement_needs_the_keyword(tmp_path: Path) -> None:
    path = tmp_path / "counters.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT);"
            "CREATE TABLE rowid_alias (id INTEGER PRIMARY KEY, note);"
            "CREATE VIEW notes AS SELECT note || '!' AS loud FROM counted;"
        )
    connection.close()
    live = introspect(parse_target(str(path)))
    counted, alias = table(live, "counted"), table(live, "rowid_alias")
    assert counted.column("id").autoincrement is True  # type: ignore[union-attr]
    assert alias.column("id").autoincrement is False  # type: ignore[union-attr]
    assert alias.column("note").type == "BLOB"  # type: ignore[union-attr]
    assert live.warnings == [
        "Columns declared without a type are shown as BLOB, the affinity SQLite gives them: "
        "rowid_alias.note."
    ]
    assert [v.definition for v in live.views] == ["SELECT note || '!' AS loud FROM counted"]


def test_what_the_inspector_misses(tmp_path: Path) -> None:
    path = tmp_path / "quirks.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE);"
            "CREATE TABLE post (id INTEGER PRIMARY KEY,"
            " author_id INTEGER REFERENCES author (id) ON DELETE CASCADE ON UPDATE SET NULL,"
            " title TEXT, published TEXT);"
            "CREATE INDEX post_title ON post (lower(title) COLLATE NOCASE, published DESC)"
            " WHERE published IS NOT NULL;"
            "CREATE UNIQUE INDEX post_author_title ON post (author_id, title);"
        )
    connection.close()
    live = introspect(parse_target(str(path)))
    [key] = live.relationships
    assert (key.on_delete, key.on_update) == (ReferentialAction.CASCADE, ReferentialAction.SET_NULL)
    post = table(live, "post")
    indexes = {index.name: index for index in post.indexes}
    assert indexes["post_title"].parts == [
        IndexPart(expression="lower(title)"),
        IndexPart(column="published", descending=True),
    ]
    assert indexes["post_title"].where == "published IS NOT NULL"
    assert (indexes["post_author_title"].columns, indexes["post_author_title"].unique) == (
        ["author_id", "title"],
        True,
    )
    author = table(live, "author")
    assert [u.columns for u in author.unique_constraints] == [["email"]]
    assert author.indexes == []
    assert live.warnings == []
