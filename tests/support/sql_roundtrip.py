"""Load generated SQL into live test databases and compare what comes back with a diagram.

`run_statements` executes statements one by one on PostgreSQL, MariaDB or SQLite and
fails the test naming the statement the server refused. `read_diagram` introspects a
database into a diagram; `remaining_changes(expected, actual)` gives the actual diagram
the expected one's ids (two reads never share ids) and returns the diff as plain dicts:
an empty list means the two schemas are the same.
"""

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pymysql
import pytest
from sqlalchemy.engine import make_url

from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.model import DatabaseType, Diagram, TableStatus
from chartdb_mcp.core.sql.migrate.align import align_ids
from chartdb_mcp.live.introspect import introspect
from chartdb_mcp.live.target import parse_target
from support.databases import mariadb_connect, postgres_connect


def run_statements(url: str, statements: list[str]) -> None:
    """Execute each statement, autocommitted, on the database at `url` (or SQLite path)."""
    if url.startswith("postgresql"):
        with postgres_connect(make_url(url), autocommit=True) as connection:
            for statement in statements:
                try:
                    connection.execute(statement.encode())
                except psycopg.Error as error:
                    pytest.fail(f"PostgreSQL refused:\n{statement}\n-> {error}")
        return
    if url.startswith(("mariadb", "mysql")):
        target = make_url(url)
        connection = mariadb_connect(target, database=target.database)
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    try:
                        cursor.execute(statement)
                    except pymysql.MySQLError as error:
                        pytest.fail(f"MariaDB refused:\n{statement}\n-> {error}")
        finally:
            connection.close()
        return
    with sqlite3.connect(Path(url), isolation_level=None) as connection:
        for statement in statements:
            try:
                connection.execute(statement)
            except sqlite3.Error as error:
                pytest.fail(f"SQLite refused:\n{statement}\n-> {error}")
    connection.close()


def read_diagram(url: str, name: str = "read back") -> Diagram:
    """The database's schema as a diagram, the way an import would store it."""
    live = introspect(parse_target(url))
    return Diagram(
        name=name,
        database_type=live.database_type,
        schemas=live.schemas,
        tables=live.tables,
        relationships=live.relationships,
        views=live.views,
        custom_types=live.custom_types,
    )


def comparable(diagram: Diagram) -> Diagram:
    """The diagram without what only says where and when it was read."""
    # A MySQL schema is the database itself, whose name each test database has its own.
    mysql = diagram.database_type in (DatabaseType.MYSQL, DatabaseType.MARIADB)
    tables = [
        table.model_copy(
            update={
                "sync": None,
                "status": TableStatus.EXISTS,
                "position": None,
                "schema_name": None if mysql else table.schema_name,
            }
        )
        for table in diagram.tables
    ]
    # Relationships come back in the order the server lists them, which is not creation order.
    relationships = sorted(diagram.relationships, key=lambda r: (r.name or "", r.source_columns))
    return diagram.model_copy(
        update={
            "tables": tables,
            "relationships": relationships,
            "database_type": DatabaseType.GENERIC,
        }
    )


def remaining_changes(expected: Diagram, actual: Diagram) -> list[dict[str, Any]]:
    """The diff that would turn `expected` into `actual` once ids are aligned."""
    aligned = align_ids(expected, actual)
    ops = diff_diagrams(comparable(expected), comparable(aligned))
    return [op.model_dump(mode="json") for op in ops]
