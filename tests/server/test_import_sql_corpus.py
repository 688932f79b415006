"""A corpus script imported onto the live import of the same database proposes nothing.

This is the whole path a person takes: import-database reads the database, import-sql
reads the script that built it into the same diagram. The script is merged by name,
its spellings reconciled with the catalog's, and the diff must be empty, so the answer
is 'unchanged' and no proposal is stored.
"""

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from support.databases import (
    corpus_path,
    load_postgres_script,
    postgres_database,
    require_tool,
    retarget_mysql_script,
)
from support.mcp_client import call_ok, in_memory_client

pytestmark = pytest.mark.anyio


async def import_both(
    url: str, script: dict[str, Any], schemas: list[str] | None
) -> dict[str, Any]:
    arguments: dict[str, Any] = {"url": url}
    if schemas is not None:
        arguments["schemas"] = schemas
    async with in_memory_client() as client:
        live = await call_ok(client, "chartdb_import_database", **arguments)
        report = await call_ok(
            client, "chartdb_import_sql", diagram_id=live["diagram_id"], max_chars=50_000, **script
        )
        proposals = await call_ok(client, "chartdb_list_proposals", diagram_id=live["diagram_id"])
    assert proposals["proposals"] == []
    return report


async def test_pagila_onto_its_live_import(pagila_postgres_url: str) -> None:
    path = corpus_path("pagila", "pagila-schema.sql")
    script = {"path": str(path), "dialect": "postgresql"}
    report = await import_both(pagila_postgres_url, script, ["public"])
    assert (report["outcome"], report["op_count"], report["tables"]) == ("unchanged", 0, 22)


async def test_sakila_mysql_onto_its_live_mariadb_import(sakila_mariadb_url: str) -> None:
    database = str(make_url(sakila_mariadb_url).database)
    text = corpus_path("sakila", "mysql-sakila-schema.sql").read_text(encoding="utf-8")
    script = {"sql": retarget_mysql_script(text, "sakila", database), "dialect": "mariadb"}
    report = await import_both(sakila_mariadb_url, script, None)
    assert (report["outcome"], report["op_count"], report["tables"]) == ("unchanged", 0, 16)


async def test_sakila_sqlite_onto_its_live_import(sakila_sqlite_path: Path) -> None:
    path = corpus_path("sakila", "sqlite-sakila-schema.sql")
    script = {"path": str(path), "dialect": "sqlite"}
    report = await import_both(str(sakila_sqlite_path), script, None)
    assert (report["outcome"], report["op_count"], report["tables"]) == ("unchanged", 0, 16)


async def test_sakila_postgres_onto_its_live_import() -> None:
    path = corpus_path("sakila", "postgres-sakila-schema.sql")
    with postgres_database("sakila_pg_tool") as url:
        load_postgres_script(url, path)
        script = {"path": str(path), "dialect": "postgresql"}
        report = await import_both(url, script, ["public"])
    assert (report["outcome"], report["op_count"], report["tables"]) == ("unchanged", 0, 21)


async def test_a_mariadb_dump_without_use_goes_into_the_diagrams_database(
    sakila_mariadb_url: str,
) -> None:
    target = make_url(sakila_mariadb_url)
    command = [require_tool("mariadb-dump", "mysqldump"), "--no-data", "--routines", "--triggers"]
    command += ["--host", str(target.host), "--port", str(target.port or 3306)]
    command += ["--user", str(target.username or "root"), str(target.database)]
    environment = {**os.environ, "MYSQL_PWD": target.password or ""}
    dump = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    assert "USE " not in dump.stdout
    script = {"sql": dump.stdout, "dialect": "mariadb"}
    report = await import_both(sakila_mariadb_url, script, None)
    assert (report["outcome"], report["op_count"], report["tables"]) == ("unchanged", 0, 16)
