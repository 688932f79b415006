"""A smart-query document built from sakila's own SQLite catalog imports like the live database.

The rows come straight from sqlite_master and the PRAGMAs, shaped the way ChartDB's
SQLite query prints them (one row per column, per key column, per index column), so the
check does not lean on the project's own introspection: the diagram read from the rows
must match the live import, apart from what the rows do not carry.
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.formats.interchange import ImportFormat, import_document
from chartdb_mcp.core.model import Diagram, TableStatus
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.adopt_ids import adopt_ids


def catalog_rows(path: Path) -> dict[str, Any]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        objects = connection.execute(
            "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).fetchall()
        document: dict[str, Any] = {
            "fk_info": [],
            "pk_info": [],
            "columns": [],
            "indexes": [],
            "tables": [],
            "views": [],
            "database_name": path.name,
            "version": sqlite3.sqlite_version,
        }
        for name, kind, sql in objects:
            if kind == "view":
                document["views"].append({"schema": "", "view_name": name, "view_definition": sql})
            else:
                document["tables"].append({"schema": "", "table": name})
            info = connection.execute(
                'SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)',
                (name,),
            ).fetchall()
            for cid, column, type_, notnull, default, _ in info:
                document["columns"].append(
                    {
                        "schema": "",
                        "table": name,
                        "name": column,
                        "type": type_,
                        "ordinal_position": cid + 1,
                        "nullable": 0 if notnull else 1,
                        "default": default,
                    }
                )
            for _, column, _, _, _, pk in sorted(info, key=lambda row: row[5]):
                if pk:
                    document["pk_info"].append(
                        {"schema": "", "table": name, "column": column, "pk_def": ""}
                    )
            if kind == "view":
                continue
            keys = connection.execute(
                'SELECT id, "from", "table", "to", on_update, on_delete '
                "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                (name,),
            ).fetchall()
            for number, source, target, target_column, on_update, on_delete in keys:
                document["fk_info"].append(
                    {
                        "schema": "",
                        "table": name,
                        "column": source,
                        "foreign_key_name": f"fk_{name}_{number}",
                        "reference_schema": "",
                        "reference_table": target,
                        "reference_column": target_column,
                        "fk_def": f"ON UPDATE {on_update} ON DELETE {on_delete}",
                    }
                )
            for index, unique, origin in connection.execute(
                "SELECT name, \"unique\", origin FROM pragma_index_list(?) WHERE origin = 'c'",
                (name,),
            ).fetchall():
                del origin
                for seqno, column, desc in connection.execute(
                    'SELECT seqno, name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1',
                    (index,),
                ).fetchall():
                    document["indexes"].append(
                        {
                            "schema": "",
                            "table": name,
                            "name": index,
                            "column": column,
                            "index_type": "",
                            "unique": unique,
                            "column_position": seqno + 1,
                            "direction": "desc" if desc else "asc",
                        }
                    )
        return document
    finally:
        connection.close()


def in_name_order(diagram: Diagram) -> Diagram:
    tables = [
        t.model_copy(update={"indexes": sorted(t.indexes, key=lambda i: i.name)})
        for t in diagram.tables
    ]
    names = {t.id: t.name for t in diagram.tables}
    relationships = sorted(
        diagram.relationships,
        key=lambda r: (names[r.source_table_id], r.source_columns, names[r.target_table_id]),
    )
    return diagram.model_copy(update={"tables": tables, "relationships": relationships})


def test_sakila_from_smart_query_rows_matches_the_live_import(sakila_sqlite_path: Path) -> None:
    text = json.dumps(catalog_rows(sakila_sqlite_path))
    imported = import_document(text, ImportFormat.CHARTDB_SMART_QUERY)
    # Expression columns of views have no declared type; SQLite gives them BLOB affinity.
    assert imported.warnings == [
        "8 columns have no type in the catalog and are shown as BLOB (customer_list.name, "
        "customer_list.notes, film_list.actors, staff_list.name, sales_by_store.store, ...)."
    ]
    live = introspect(parse_target(str(sakila_sqlite_path)))
    expected = Diagram(
        name="sakila",
        database_type=live.database_type,
        tables=[
            t.model_copy(update={"status": TableStatus.PLANNED, "sync": None, "checks": []})
            for t in live.tables
        ],
        relationships=[r.model_copy(update={"name": None}) for r in live.relationships],
    )
    back = imported.diagram
    named = [r.model_copy(update={"name": None}) for r in back.relationships]
    back = adopt_ids(expected, back.model_copy(update={"relationships": named}))
    # The rows list indexes and foreign keys in the catalog's order, not the import's.
    expected, back = in_name_order(expected), in_name_order(back)
    assert len(back.tables) == 16 and len(back.views) == 5 and len(back.relationships) == 22
    assert diff_diagrams(expected, back) == []
