"""The linter on the corpus: exactly the findings a reader of these schemas would confirm.

pagila (PostgreSQL) indexes its foreign keys only in part, and pg_dump's partitions carry
both an inherited and an own index on customer_id; MariaDB indexes every foreign key
itself; the SQLite sakila indexes the first column of two composite primary keys again.
"""

from pathlib import Path

import pytest

from chartdb_mcp.core.lint import lint
from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target


def diagram_of(url: str) -> Diagram:
    live = introspect(parse_target(url))
    return Diagram(
        name="corpus",
        database_type=live.database_type,
        tables=live.tables,
        relationships=live.relationships,
        views=live.views,
        custom_types=live.custom_types,
    )


def found(diagram: Diagram, dialect: DatabaseType | None = None) -> set[tuple[str, str, str]]:
    return {(f.rule, f.table, f.column or "") for f in lint(diagram, dialect)}


@pytest.fixture(scope="module")
def pagila(pagila_postgres_url: str) -> Diagram:
    return diagram_of(pagila_postgres_url)


def test_pagila(pagila: Diagram) -> None:
    months = [f"public.payment_p2022_0{n}" for n in range(1, 7)]
    unindexed = {
        ("public.film_category", "category_id"),
        ("public.inventory", "film_id"),
        ("public.rental", "customer_id"),
        ("public.rental", "staff_id"),
        ("public.staff", "address_id"),
        ("public.staff", "store_id"),
        ("public.store", "address_id"),
    } | {(month, "rental_id") for month in months}
    assert found(pagila) == {("fk-without-index", t, c) for t, c in unindexed} | {
        ("duplicate-index", month, "") for month in months
    }
    duplicates = [f for f in lint(pagila, include=["duplicate-index"])]
    assert duplicates[0].message == (
        "Index 'payment_p2022_01_customer_id_idx' (customer_id) repeats index "
        "'idx_fk_payment_p2022_01_customer_id'."
    )


def test_pagila_names_checked_against_other_dialects(pagila: Diagram) -> None:
    def names(dialect: DatabaseType) -> set[tuple[str, str, str]]:
        return {
            (rule, table, column)
            for rule, table, column in found(pagila, dialect)
            if rule in ("reserved-word", "identifier-too-long")
        }

    # film.fulltext is a tsvector column; FULLTEXT is reserved in MySQL and MariaDB.
    for dialect in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        assert names(dialect) == {("reserved-word", "public.film", "fulltext")}
    for dialect in (DatabaseType.SQLITE, DatabaseType.SQLSERVER, DatabaseType.GENERIC):
        assert names(dialect) == set()
    # Oracle before 12.2 allowed 30 characters; the partitions' index and key names are longer.
    oracle = lint(pagila, DatabaseType.ORACLE, include=["identifier-too-long"])
    assert len(oracle) == 31
    assert all("Oracle before 12.2 allows 30" in f.message for f in oracle)
    assert "idx_fk_payment_p2022_01_customer_id" in {f.message.split("'")[1] for f in oracle}


def test_sakila_mariadb(sakila_mariadb_url: str) -> None:
    diagram = diagram_of(sakila_mariadb_url)
    [film_text] = [t.qualified_name for t in diagram.tables if t.name == "film_text"]
    assert found(diagram) == {("no-relations", film_text, "")}


def test_sakila_sqlite(sakila_sqlite_path: Path) -> None:
    diagram = diagram_of(str(sakila_sqlite_path))
    assert found(diagram) == {
        ("redundant-index", "film_actor", ""),
        ("redundant-index", "film_category", ""),
        ("fk-without-index", "payment", "rental_id"),
        ("no-relations", "film_text", ""),
    }
