"""ChartDB's smart-query JSON: per-column rows regrouped into tables, keys and indexes."""

import json
from typing import Any

import pytest

from chartdb_mcp.core.formats.interchange import ImportFormat, import_document
from chartdb_mcp.core.model import DatabaseType, ReferentialAction
from chartdb_mcp.errors import InvalidDocument


def column(
    table: str, name: str, position: int, type_: str = "INTEGER", **extra: Any
) -> dict[str, Any]:
    return {
        "schema": "",
        "table": table,
        "name": name,
        "type": type_,
        "ordinal_position": position,
        "nullable": 1,
        **extra,
    }


FK_DEF = "FOREIGN KEY (order_id, region) REFERENCES orders(id, region) ON UPDATE CASCADE"


def sqlite_document() -> dict[str, Any]:
    """What the SQLite query prints: empty schemas, 0/1 flags, a composite key."""
    return {
        "fk_info": [
            {
                "schema": "",
                "table": "lines",
                "column": "order_id",
                "foreign_key_name": "fk_lines_0",
                "reference_schema": "",
                "reference_table": "orders",
                "reference_column": "id",
                "fk_def": FK_DEF,
            },
            {
                "schema": "",
                "table": "lines",
                "column": "region",
                "foreign_key_name": "fk_lines_0",
                "reference_schema": "",
                "reference_table": "orders",
                "reference_column": "region",
                "fk_def": FK_DEF,
            },
        ],
        "pk_info": [
            {"schema": "", "table": "orders", "column": "id", "pk_def": ""},
            {"schema": "", "table": "orders", "column": "region", "pk_def": ""},
        ],
        "columns": [
            column("orders", "region", 2, "VARCHAR", character_maximum_length="8", nullable=0),
            column("orders", "id", 1, nullable=0),
            column("lines", "order_id", 1),
            column("lines", "region", 2, "VARCHAR(8)"),
            column("lines", "note", 3, "TEXT", default="'none'", collation="NOCASE"),
            column("recent", "id", 1),
        ],
        "indexes": [
            {
                "schema": "",
                "table": "lines",
                "name": "lines_note",
                "column": "note",
                "index_type": "",
                "unique": 1,
                "direction": "asc",
                "column_position": 1,
            },
        ],
        "tables": [{"schema": "", "table": "orders"}, {"schema": "", "table": "lines"}],
        "views": [
            {"schema": "", "view_name": "recent", "view_definition": "SELECT id FROM orders"}
        ],
        "check_constraints": [{"schema": "", "table": "lines", "expression": "length(note) < 99"}],
        "database_name": "shop.db",
        "version": "3.45.1",
    }


def test_rows_regroup_into_tables_keys_foreign_keys_views_and_checks() -> None:
    imported = import_document(json.dumps(sqlite_document()), ImportFormat.CHARTDB_SMART_QUERY)
    diagram = imported.diagram
    assert (diagram.name, diagram.database_type, imported.warnings) == (
        "shop.db",
        DatabaseType.SQLITE,
        [],
    )
    orders, lines = diagram.tables
    assert [(c.name, c.type, c.nullable) for c in orders.columns] == [
        ("id", "INTEGER", False),
        ("region", "VARCHAR(8)", False),
    ]
    assert orders.schema_name is None and orders.primary_key is not None
    assert orders.primary_key.columns == ["id", "region"]
    assert (lines.columns[2].default, lines.columns[2].collation) == ("'none'", "NOCASE")
    assert [(i.name, i.columns, i.unique) for i in lines.indexes] == [
        ("lines_note", ["note"], True)
    ]
    assert [c.expression for c in lines.checks] == ["length(note) < 99"]
    [relationship] = diagram.relationships
    assert relationship.source_columns == ["order_id", "region"]
    assert relationship.target_columns == ["id", "region"]
    assert relationship.on_update == ReferentialAction.CASCADE
    assert relationship.on_delete == ReferentialAction.NO_ACTION
    [view] = diagram.views
    assert (view.name, view.definition, [c.name for c in view.columns]) == (
        "recent",
        "SELECT id FROM orders",
        ["id"],
    )


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("PostgreSQL 16.2 on x86_64", DatabaseType.POSTGRESQL),
        ("10.11.6-MariaDB-0+deb12u1", DatabaseType.MARIADB),
        ("8.0.36", DatabaseType.MYSQL),
        ("9.1.0", DatabaseType.MYSQL),
        ("3.45.1", DatabaseType.SQLITE),
        ("Microsoft SQL Server 2022 (RTM)", DatabaseType.SQLSERVER),
    ],
)
def test_the_database_type_is_read_from_the_version(version: str, expected: DatabaseType) -> None:
    document = sqlite_document() | {"version": version}
    diagram = import_document(json.dumps(document), ImportFormat.CHARTDB_SMART_QUERY).diagram
    assert diagram.database_type == expected


def test_an_argument_names_the_type_when_the_version_does_not() -> None:
    document = sqlite_document() | {"version": "unknown build"}
    guessed = import_document(json.dumps(document), ImportFormat.CHARTDB_SMART_QUERY)
    assert guessed.diagram.database_type == DatabaseType.GENERIC
    assert "Pass database_type" in guessed.warnings[0]
    chosen = import_document(
        json.dumps(document), ImportFormat.CHARTDB_SMART_QUERY, database_type=DatabaseType.SQLITE
    )
    assert chosen.diagram.database_type == DatabaseType.SQLITE and chosen.warnings == []


def test_a_foreign_key_to_an_unknown_table_or_column_is_refused() -> None:
    document = sqlite_document()
    document["fk_info"][0]["reference_table"] = "invoices"
    with pytest.raises(InvalidDocument, match="'fk_lines_0' refers to table 'invoices'"):
        import_document(json.dumps(document), ImportFormat.CHARTDB_SMART_QUERY)
    document = sqlite_document()
    document["pk_info"][0]["column"] = "nope"
    with pytest.raises(InvalidDocument, match=r"unknown columns \['nope'\]"):
        import_document(json.dumps(document), ImportFormat.CHARTDB_SMART_QUERY)


def test_postgres_serial_and_array_columns_read_as_the_live_import_spells_them() -> None:
    document = sqlite_document() | {"version": "PostgreSQL 15.4"}
    document["columns"] = [
        column("orders", "id", 1, "serial", default="nextval('orders_id_seq'::regclass)"),
        column("orders", "region", 2, "character varying", character_maximum_length="null"),
        column("orders", "tags", 3, "text", is_array=True),
        column("lines", "order_id", 1, "integer"),
        column("lines", "region", 2, "character varying", character_maximum_length="8"),
        column("lines", "note", 3, "text"),
    ]
    document["views"] = []
    orders, lines = import_document(
        json.dumps(document), ImportFormat.CHARTDB_SMART_QUERY
    ).diagram.tables
    assert [(c.type, c.autoincrement, c.is_array) for c in orders.columns] == [
        ("integer", True, False),
        ("character varying", False, False),
        ("text[]", False, True),
    ]
    assert orders.columns[0].default == "nextval('orders_id_seq'::regclass)"
    assert lines.columns[1].type == "character varying(8)"
