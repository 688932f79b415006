"""SQL Server and Oracle have no server here: their exports are parsed back with sqlglot in
that dialect, and the tables, columns, keys, foreign keys and indexes read from the
parsed script must be the diagram's (less what the export warned it left out)."""

from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.ddl import export_ddl
from support.sql_roundtrip import read_diagram

READERS = {DatabaseType.SQLSERVER: "tsql", DatabaseType.ORACLE: "oracle"}


def parsed_model(script: str, dialect: str) -> dict[str, Any]:
    """Tables (columns, primary key), foreign keys and indexes found in the parsed script."""
    tables: dict[str, dict[str, Any]] = {}
    foreign_keys: set[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = set()
    indexes: dict[str, tuple[str, tuple[str, ...], bool]] = {}
    for statement in sqlglot.parse(script, read=dialect):
        if isinstance(statement, exp.Create) and statement.kind == "TABLE":
            schema = statement.this
            name = schema.this.name
            columns = [c.name for c in schema.expressions if isinstance(c, exp.ColumnDef)]
            keys = [k for k in schema.find_all(exp.PrimaryKey)]
            primary = tuple(c.name for c in keys[0].expressions) if keys else ()
            tables[name] = {"columns": columns, "primary_key": primary}
        elif isinstance(statement, exp.Create) and statement.kind == "INDEX":
            index = statement.this
            table = index.args["table"].name
            parts = tuple(
                p.this.name if isinstance(p, exp.Ordered) else p.name
                for p in index.args["params"].args["columns"]
            )
            indexes[index.name] = (table, parts, bool(statement.args.get("unique")))
        elif isinstance(statement, exp.Alter):
            for key in statement.find_all(exp.ForeignKey):
                reference = key.args["reference"].this
                foreign_keys.add(
                    (
                        statement.this.name,
                        tuple(c.name for c in key.expressions),
                        reference.this.name,
                        tuple(c.name for c in reference.expressions),
                    )
                )
    return {"tables": tables, "foreign_keys": foreign_keys, "indexes": indexes}


def diagram_model(diagram: Diagram, warnings: list[str]) -> dict[str, Any]:
    """The same facts from the diagram, leaving out indexes the export said it skipped."""
    names = {table.id: table.name for table in diagram.tables}
    tables = {
        table.name: {
            "columns": [column.name for column in table.columns],
            "primary_key": tuple(table.primary_key.columns) if table.primary_key else (),
        }
        for table in diagram.tables
    }
    foreign_keys = {
        (
            names[r.source_table_id],
            tuple(r.source_columns),
            names[r.target_table_id],
            tuple(r.target_columns),
        )
        for r in diagram.relationships
    }
    skipped = " ".join(w for w in warnings if "is not exported" in w)
    indexes = {
        index.name: (table.name, tuple(index.columns), index.unique)
        for table in [*diagram.tables, *diagram.views]
        for index in table.indexes
        if f"index {index.name!r}" not in skipped and not index.name.startswith("sqlite_")
    }
    return {"tables": tables, "foreign_keys": foreign_keys, "indexes": indexes}


@pytest.mark.parametrize("dialect", sorted(READERS))
def test_pagila_exports_parse_back_with_every_key(
    pagila_postgres_url: str, dialect: DatabaseType
) -> None:
    diagram = read_diagram(pagila_postgres_url)
    script = export_ddl(diagram, dialect)
    assert parsed_model(script.text, READERS[dialect]) == diagram_model(diagram, script.warnings)
    assert any("gist" in warning for warning in script.warnings)


@pytest.mark.parametrize("dialect", sorted(READERS))
def test_sakila_exports_parse_back_with_every_key(
    sakila_sqlite_path: Path, dialect: DatabaseType
) -> None:
    diagram = read_diagram(str(sakila_sqlite_path))
    script = export_ddl(diagram, dialect)
    assert parsed_model(script.text, READERS[dialect]) == diagram_model(diagram, script.warnings)
