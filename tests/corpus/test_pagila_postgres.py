"""Pagila on PostgreSQL: the import matches what pg_catalog and information_schema say.

The expected values are read straight from the server with psycopg, not through
SQLAlchemy, and a few facts are checked by hand against pagila-schema.sql.
"""

import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from chartdb_mcp.core.model import (
    CustomTypeKind,
    DatabaseType,
    Diagram,
    ReferentialAction,
    TableStatus,
)
from chartdb_mcp.live.engines import connect
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.introspect.neutral import InspectorReader
from chartdb_mcp.live.target import parse_target
from support.databases import postgres_connect
from support.import_routes import ROUTES, import_by
from support.live_facts import ACTIONS, foreign_key_facts, relations_of, table


@pytest.fixture(scope="module", params=ROUTES)
def live(request: pytest.FixtureRequest, pagila_postgres_url: str) -> LiveSchema:
    return import_by(request.param, pagila_postgres_url)


@pytest.fixture(scope="module")
def catalog(pagila_postgres_url: str) -> Iterator[psycopg.Connection]:
    with postgres_connect(make_url(pagila_postgres_url)) as connection:
        yield connection


def rows(catalog: psycopg.Connection, sql: str) -> list[tuple[Any, ...]]:
    return catalog.execute(sql.encode()).fetchall()


def test_reads_the_public_schema_of_a_postgres_server(live: LiveSchema) -> None:
    assert live.database_type == DatabaseType.POSTGRESQL
    assert live.schemas == ["public"]
    assert re.match(r"\d+\.\d+", live.server_version)
    assert live.warnings == []


def test_every_table_and_view(live: LiveSchema, catalog: psycopg.Connection) -> None:
    relations = rows(
        catalog,
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'f', 'v', 'm')",
    )
    tables = {name for name, kind in relations if kind in ("r", "p", "f")}
    views = {name: kind == "m" for name, kind in relations if kind in ("v", "m")}
    assert len(tables) == 22
    assert sorted(t.name for t in live.tables) == sorted(tables)
    assert {v.name: v.materialized for v in live.views} == views
    assert all(view.definition and "SELECT" in view.definition for view in live.views)


def test_every_column_type_and_nullability(live: LiveSchema, catalog: psycopg.Connection) -> None:
    expected: dict[str, list[tuple[str, str, bool]]] = {}
    for relation, name, type_text, nullable in rows(
        catalog,
        "SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod), "
        "c.is_nullable = 'YES' "
        "FROM information_schema.columns c "
        "JOIN pg_attribute a "
        "  ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass "
        " AND a.attname = c.column_name "
        "WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position",
    ):
        expected.setdefault(relation, []).append((name, type_text, nullable))
    # information_schema leaves materialized views out; pg_attribute has them.
    for relation, name, type_text, nullable in rows(
        catalog,
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "WHERE c.relkind = 'm' AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 "
        "ORDER BY c.relname, a.attnum",
    ):
        expected.setdefault(relation, []).append((name, type_text, nullable))
    found = {
        item.name: [(column.name, column.type, column.nullable) for column in item.columns]
        for item in relations_of(live)
    }
    assert found == expected


def test_every_primary_key(live: LiveSchema, catalog: psycopg.Connection) -> None:
    keys = rows(
        catalog,
        "SELECT c.relname, con.conname, con.conparentid <> 0, "
        " ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i) "
        "       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), "
        " p.relname "
        "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "LEFT JOIN pg_inherits inh ON inh.inhrelid = c.oid "
        "LEFT JOIN pg_class p ON p.oid = inh.inhparent "
        "WHERE con.contype = 'p' AND con.connamespace = 'public'::regnamespace",
    )
    assert len(keys) == 22
    for relation, name, inherited, columns, parent in keys:
        if inherited:
            # A partition's key is its parent's, listed once on the parent.
            assert table(live, relation).primary_key is None
            assert table(live, parent).primary_key.columns == columns  # type: ignore[union-attr]
        else:
            key = table(live, relation).primary_key
            assert key is not None
            assert (key.name, key.columns) == (name, columns)
    with_keys = {t.name for t in live.tables if t.primary_key is not None}
    assert with_keys == {relation for relation, _, inherited, _, _ in keys if not inherited}


def test_every_foreign_key(live: LiveSchema, catalog: psycopg.Connection) -> None:
    expected = {
        (
            source,
            name,
            tuple(columns),
            target,
            tuple(target_columns),
            ACTIONS[delete],
            ACTIONS[update],
        )
        for source, name, columns, target, target_columns, delete, update in rows(
            catalog,
            "SELECT c.relname, con.conname, "
            " ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i) "
            "  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), "
            " f.relname, "
            " ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i) "
            "  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), "
            " r.delete_rule, r.update_rule "
            "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
            "JOIN pg_class f ON f.oid = con.confrelid "
            "JOIN information_schema.referential_constraints r "
            "  ON r.constraint_schema = 'public' AND r.constraint_name = con.conname "
            "WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace "
            "  AND con.conparentid = 0",
        )
    }
    found = foreign_key_facts(live)
    assert len(expected) == 36
    assert found == expected


def test_every_index(live: LiveSchema, catalog: psycopg.Connection) -> None:
    indexes = rows(
        catalog,
        "SELECT t.relname, ic.relname, i.indisunique, "
        " ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) "
        "       FROM generate_series(1, i.indnkeyatts) k), "
        " EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid), "
        " ic.relispartition "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE ic.relnamespace = 'public'::regnamespace",
    )
    found = {
        (item.name, index.name): ([p.column or p.expression for p in index.parts], index.unique)
        for item in relations_of(live)
        for index in item.indexes
    }
    standalone = {
        (relation, name): (list(parts), unique)
        for relation, name, unique, parts, backs_constraint, cloned in indexes
        if not backs_constraint and not cloned
    }
    assert found == standalone
    assert len(standalone) == 34
    # The others are accounted for by a primary key or unique constraint on their table.
    backing = [(relation, name) for relation, name, _, _, backs, _ in indexes if backs]
    for relation, name in backing:
        item = table(live, relation)
        key_names = [item.primary_key.name] if item.primary_key else []
        key_names += [unique.name for unique in item.unique_constraints]
        parent = next((t for t in live.tables if t.id == item.partition_of), None)
        assert name in key_names or (parent is not None and parent.primary_key is not None)


def test_partitions_are_tables_of_their_own(live: LiveSchema, catalog: psycopg.Connection) -> None:
    payment = table(live, "payment")
    assert payment.partition_by == "RANGE (payment_date)"
    assert payment.primary_key is not None
    assert payment.primary_key.columns == ["payment_date", "payment_id"]
    children = rows(
        catalog,
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'public.payment'::regclass",
    )
    partitions = {t.name: t for t in live.tables if t.partition_of == payment.id}
    assert (
        sorted(partitions)
        == sorted(name for name, _ in children)
        == [f"payment_p2022_0{month}" for month in range(1, 8)]
    )
    for name, bound in children:
        assert partitions[name].partition_bound == bound
        assert bound.startswith("FOR VALUES FROM (")
        assert [c.name for c in partitions[name].columns] == [c.name for c in payment.columns]
    assert [t.name for t in live.tables if t.partition_by] == ["payment"]


def test_hand_checked_film(live: LiveSchema) -> None:
    film = table(live, "film")
    columns = {column.name: column for column in film.columns}
    assert columns["rating"].type == "mpaa_rating"
    assert columns["rating"].default == "'G'::mpaa_rating"
    assert columns["fulltext"].type == "tsvector"
    assert columns["fulltext"].nullable is False
    assert columns["special_features"].type == "text[]"
    assert columns["special_features"].is_array is True
    assert columns["release_year"].type == "year"
    assert columns["rental_rate"].type == "numeric(4,2)"
    assert columns["last_update"].normalized_type == "timestamptz"
    assert columns["film_id"].autoincrement is True
    assert columns["film_id"].default == "nextval('film_film_id_seq'::regclass)"
    assert columns["title"].autoincrement is False
    fulltext = next(index for index in film.indexes if index.name == "film_fulltext_idx")
    assert (fulltext.method, fulltext.columns) == ("gist", ["fulltext"])
    language = table(live, "language")
    assert language.column("name").type == "character(20)"  # type: ignore[union-attr]
    assert language.column("name").normalized_type == "char(20)"  # type: ignore[union-attr]


def test_hand_checked_keys(live: LiveSchema) -> None:
    assert table(live, "film_actor").primary_key.columns == ["actor_id", "film_id"]  # type: ignore[union-attr]
    assert table(live, "film_category").primary_key.columns == ["film_id", "category_id"]  # type: ignore[union-attr]
    rental = table(live, "rental")
    unique = next(i for i in rental.indexes if i.name.startswith("idx_unq_rental"))
    assert unique.unique and unique.columns == ["rental_date", "inventory_id", "customer_id"]
    by_name = {r.name: r for r in live.relationships}
    address_city = by_name["address_city_id_fkey"]
    assert (address_city.on_delete, address_city.on_update) == (
        ReferentialAction.RESTRICT,
        ReferentialAction.CASCADE,
    )
    staff_store = by_name["staff_store_id_fkey"]
    assert (staff_store.on_delete, staff_store.on_update) == (
        ReferentialAction.NO_ACTION,
        ReferentialAction.NO_ACTION,
    )


def test_enums_and_domains(live: LiveSchema, catalog: psycopg.Connection) -> None:
    types = {custom.name: custom for custom in live.custom_types}
    assert sorted(types) == ["bıgınt", "mpaa_rating", "year"]
    rating = types["mpaa_rating"]
    assert rating.kind == CustomTypeKind.ENUM
    assert rating.values == ["G", "PG", "PG-13", "R", "NC-17"]
    labels = rows(
        catalog,
        "SELECT enumlabel FROM pg_enum WHERE enumtypid = 'public.mpaa_rating'::regtype "
        "ORDER BY enumsortorder",
    )
    assert rating.values == [label for (label,) in labels]
    year = types["year"]
    assert (year.kind, year.base_type, year.nullable) == (CustomTypeKind.DOMAIN, "integer", True)
    assert year.checks == ["VALUE >= 1901 AND VALUE <= 2155"]
    assert (types["bıgınt"].kind, types["bıgınt"].base_type) == (CustomTypeKind.DOMAIN, "bigint")


def test_materialized_view_keeps_its_index(live: LiveSchema) -> None:
    view = next(view for view in live.views if view.name == "rental_by_category")
    assert view.materialized
    assert [(i.name, i.columns, i.unique) for i in view.indexes] == [
        ("rental_category", ["category"], True)
    ]
    assert [c.name for c in view.columns] == ["category", "total_sales"]


def test_tables_are_marked_as_existing(live: LiveSchema, pagila_postgres_url: str) -> None:
    display = parse_target(pagila_postgres_url).display
    assert live.source == display
    for item in live.tables:
        assert item.status == TableStatus.EXISTS
        assert item.sync is not None
        assert item.sync.source == display
        assert item.sync.verified_at == live.read_at
        assert item.sync.verified_at.tzinfo is not None
    diagram = Diagram(
        name="pagila",
        database_type=live.database_type,
        tables=live.tables,
        relationships=live.relationships,
        views=live.views,
        custom_types=live.custom_types,
    )
    assert len(diagram.tables) == 22


def test_progress_is_reported_a_handful_of_times(pagila_postgres_url: str) -> None:
    calls: list[tuple[int, int, str]] = []
    introspect(parse_target(pagila_postgres_url), progress=lambda *call: calls.append(call))
    assert 4 <= len(calls) <= 12
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _, _ in calls] == sorted(done for done, _, _ in calls)


def test_catalog_reader_agrees_with_sqlalchemy_inspector(
    live: LiveSchema, pagila_postgres_url: str
) -> None:
    with connect(parse_target(pagila_postgres_url)) as connection:
        reader = InspectorReader(connection, DatabaseType.POSTGRESQL)
        read = reader.read(["public"], lambda message: None)
    inspected = {record.name: record for record in read.tables}
    for item in live.tables:
        other = inspected[item.name]
        assert [(c.name, c.nullable, c.normalized_type) for c in item.columns] == [
            (c.name, c.nullable, c.normalized_type) for c in other.columns
        ]
        # SQLAlchemy names the access method only when it is not btree.
        assert [(i.name, i.columns, i.unique, i.method) for i in item.indexes] == sorted(
            (i.name, i.columns, i.unique, i.method or "btree") for i in other.indexes
        )
        if item.partition_of is None:
            assert item.primary_key == other.primary_key
    keys = {(k.source[1], k.name, tuple(k.source_columns), k.target[1]) for k in read.foreign_keys}
    names = {t.id: t.name for t in live.tables}
    assert keys == {
        (names[r.source_table_id], r.name, tuple(r.source_columns), names[r.target_table_id])
        for r in live.relationships
    }
