"""Smart-query documents shaped the way ChartDB's own queries print them on real servers.

Each fixture copies one habit of the real output, seen running the app's query against
pagila (PostgreSQL 15), sakila (MariaDB 10.11) and sakila (SQLite 3): empty strings
for "no default", one comma-joined key row per SQLite table, indexes of materialized
views whose columns the query does not list, MariaDB views listed only as tables, and
SQLite's constant index type.
"""

import json
from typing import Any

from chartdb_mcp.core.formats.interchange import ImportFormat, import_document
from chartdb_mcp.core.model import DatabaseType, Diagram


def column(schema: str, table: str, name: str, position: int, **extra: Any) -> dict[str, Any]:
    return {
        "schema": schema,
        "table": table,
        "name": name,
        "type": "integer",
        "ordinal_position": position,
        "nullable": False,
        "character_maximum_length": "null",
        "precision": None,
        "default": "",
        "collation": "",
        "comment": "",
        "is_identity": False,
        **extra,
    }


def document(**parts: Any) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "fk_info": [],
        "pk_info": [],
        "columns": [],
        "indexes": [],
        "tables": [],
        "views": [],
        "database_name": "shop",
        "version": "",
    }
    return empty | parts


def index_row(schema: str, table: str, name: str, column: str, **extra: Any) -> dict[str, Any]:
    return {
        "schema": schema,
        "table": table,
        "name": name,
        "column": column,
        "index_type": "btree",
        "cardinality": 0,
        "size": 8192,
        "unique": False,
        "column_position": 1,
        "direction": "asc",
        **extra,
    }


def read(parts: dict[str, Any], database_type: DatabaseType) -> tuple[Diagram, list[str]]:
    imported = import_document(
        json.dumps(parts), ImportFormat.CHARTDB_SMART_QUERY, database_type=database_type
    )
    return imported.diagram, imported.warnings


def test_an_empty_default_is_no_default() -> None:
    # The PostgreSQL and MySQL/MariaDB queries print "" for every column without a default.
    parts = document(
        columns=[
            column("public", "film", "film_id", 1),
            column("public", "film", "title", 2, type="text", default=""),
            column("public", "film", "rate", 3, type="numeric", default="4.99"),
        ],
        tables=[{"schema": "public", "table": "film", "type": "BASE TABLE", "comment": ""}],
    )
    diagram, _ = read(parts, DatabaseType.POSTGRESQL)
    assert [c.default for c in diagram.tables[0].columns] == [None, None, "4.99"]


def test_a_sqlite_composite_key_row_lists_its_columns_joined_by_commas() -> None:
    # SQLite's query prints one key row per table, GROUP_CONCAT of the key's columns.
    parts = document(
        columns=[
            column("", "film_actor", "actor_id", 0, nullable=0),
            column("", "film_actor", "film_id", 1, nullable=0),
        ],
        pk_info=[
            {
                "schema": "",
                "table": "film_actor",
                "field_count": 2,
                "column": "actor_id,film_id",
                "pk_def": "PRIMARY KEY (actor_id,film_id)",
            }
        ],
        tables=[{"schema": "", "table": "film_actor", "type": "table"}],
        version="3.40.1",
    )
    diagram, _ = read(parts, DatabaseType.SQLITE)
    key = diagram.tables[0].primary_key
    assert key is not None and key.columns == ["actor_id", "film_id"]


def test_an_index_of_a_relation_without_columns_is_left_out_with_a_warning() -> None:
    # PostgreSQL's query lists indexes of materialized views but not their columns.
    parts = document(
        columns=[column("public", "film", "film_id", 1)],
        indexes=[
            index_row("public", "rental_by_category", "rental_category", "category", unique=True),
            index_row("public", "film", "film_pkey", "film_id", unique=True),
        ],
        pk_info=[{"schema": "public", "table": "film", "column": "film_id", "pk_def": ""}],
        tables=[{"schema": "public", "table": "film", "type": "BASE TABLE", "comment": ""}],
    )
    diagram, warnings = read(parts, DatabaseType.POSTGRESQL)
    assert [t.name for t in diagram.tables] == ["film"]
    assert any("rental_category" in w and "public.rental_by_category" in w for w in warnings)


def test_a_table_row_of_type_view_is_a_view() -> None:
    # MariaDB's query leaves `views` empty and lists each view in `tables` as a VIEW.
    parts = document(
        columns=[
            column("shop", "film", "film_id", 1),
            column("shop", "film_list", "fid", 1, nullable=True),
        ],
        tables=[
            {"schema": "shop", "table": "film", "type": "BASE TABLE", "comment": ""},
            {"schema": "shop", "table": "film_list", "type": "VIEW", "comment": "VIEW"},
        ],
        version="10.11.19-MariaDB-0+deb12u1",
    )
    diagram, _ = read(parts, DatabaseType.MARIADB)
    assert [t.name for t in diagram.tables] == ["film"]
    assert [(v.name, [c.name for c in v.columns]) for v in diagram.views] == [
        ("film_list", ["fid"])
    ]
    assert diagram.views[0].comment is None


def test_sqlite_index_type_and_mysql_key_name_say_nothing_of_their_own() -> None:
    # SQLite's query prints the constant 'B-TREE'; MySQL names every primary key PRIMARY.
    sqlite_parts = document(
        columns=[column("", "actor", "actor_id", 0), column("", "actor", "name", 1)],
        indexes=[index_row("", "actor", "idx_actor_name", "name", index_type="B-TREE")],
        tables=[{"schema": "", "table": "actor", "type": "table"}],
    )
    sqlite, _ = read(sqlite_parts, DatabaseType.SQLITE)
    assert sqlite.tables[0].indexes[0].method is None
    mysql_parts = document(
        columns=[column("shop", "actor", "actor_id", 1)],
        pk_info=[{"schema": "shop", "table": "actor", "column": "actor_id", "pk_def": ""}],
        indexes=[index_row("shop", "actor", "PRIMARY", "actor_id", unique=True, size=-1)],
        tables=[{"schema": "shop", "table": "actor", "type": "BASE TABLE", "comment": ""}],
    )
    mysql, _ = read(mysql_parts, DatabaseType.MARIADB)
    key = mysql.tables[0].primary_key
    assert key is not None and key.name is None and key.columns == ["actor_id"]


def test_an_empty_version_is_told_apart_by_the_default_schema() -> None:
    # The PostgreSQL, CockroachDB and SQL Server queries all print an empty version.
    def guessed(schema: str) -> tuple[DatabaseType, list[str]]:
        parts = document(
            columns=[column(schema, "film", "film_id", 1, type="serial")],
            tables=[{"schema": schema, "table": "film", "type": "BASE TABLE", "comment": ""}],
        )
        imported = import_document(json.dumps(parts), ImportFormat.CHARTDB_SMART_QUERY)
        return imported.diagram.database_type, imported.warnings

    kind, warnings = guessed("public")
    assert kind == DatabaseType.POSTGRESQL
    assert warnings == [
        "The document gives no version; read as postgresql from its schema 'public'. "
        "Pass database_type to choose another."
    ]
    assert guessed("dbo")[0] == DatabaseType.SQLSERVER
    kind, warnings = guessed("sales")
    assert kind == DatabaseType.GENERIC and "Pass database_type" in warnings[0]
