"""export-query: CSV, JSON and xlsx files or embedded content; reads only; no overwrites."""

import base64
import csv
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from mcp import Client

from chartdb_mcp.store.master_key import KeySourceKind
from support.mcp_client import call_error, call_ok
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio

ROWS_SQL = "SELECT id, name, price FROM item ORDER BY id"


@pytest.fixture
def item_db(tmp_path: Path) -> Path:
    path = tmp_path / "items.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, price REAL)")
        raw.executemany(
            "INSERT INTO item VALUES (?, ?, ?)",
            [(1, "plain", 1.25), (2, '=HYPERLINK("http://x")', None), (3, 'ünïcode, "q"', 3.0)],
        )
    raw.close()
    return path


async def profile(client: Client, path: Path) -> str:
    diagram_id = await new_diagram(client, "sqlite")
    await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="db", url=str(path))
    return diagram_id


async def test_csv_and_xlsx_files_hold_the_rows_and_formulas_stay_text(
    make_client: MakeClient, item_db: Path, tmp_path: Path
) -> None:
    async with make_client() as client:
        diagram_id = await profile(client, item_db)
        csv_path = tmp_path / "out.csv"
        report = await call_ok(
            client,
            "chartdb_export_query",
            diagram_id=diagram_id,
            sql=ROWS_SQL,
            format="csv",
            path=str(csv_path),
        )
        assert (report["row_count"], report["path"], report["embedded"]) == (
            3,
            str(csv_path),
            False,
        )
        rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
        assert rows == [
            ["id", "name", "price"],
            ["1", "plain", "1.25"],
            ["2", '\'=HYPERLINK("http://x")', ""],
            ["3", 'ünïcode, "q"', "3.0"],
        ]
        again = await call_error(
            client,
            "chartdb_export_query",
            diagram_id=diagram_id,
            sql=ROWS_SQL,
            format="csv",
            path=str(csv_path),
        )
        assert "already exists" in again

        xlsx_path = tmp_path / "out.xlsx"
        await call_ok(
            client,
            "chartdb_export_query",
            diagram_id=diagram_id,
            sql=ROWS_SQL,
            format="xlsx",
            path=str(xlsx_path),
        )
        sheet = openpyxl.load_workbook(xlsx_path).active
        cells = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
        assert cells[1] == [(1, "n"), ("plain", "s"), (1.25, "n")]
        assert cells[2][1] == ('=HYPERLINK("http://x")', "s")


async def test_json_and_xlsx_can_travel_embedded_within_the_budget(
    make_client: MakeClient, item_db: Path
) -> None:
    async with make_client() as client:
        diagram_id = await profile(client, item_db)
        result = await client.call_tool(
            "chartdb_export_query",
            {"diagram_id": diagram_id, "sql": ROWS_SQL, "format": "json"},
        )
        assert not result.is_error
        resource = result.content[1].resource  # type: ignore[union-attr]
        assert resource.mime_type == "application/json"
        assert json.loads(resource.text)[0] == {"id": 1, "name": "plain", "price": 1.25}
        xlsx = await client.call_tool(
            "chartdb_export_query",
            {"diagram_id": diagram_id, "sql": ROWS_SQL, "format": "xlsx"},
        )
        blob = xlsx.content[1].resource.blob  # type: ignore[union-attr]
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(blob)))
        assert book.active.max_row == 4
        too_big = await call_error(
            client,
            "chartdb_export_query",
            diagram_id=diagram_id,
            sql="WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
            format="csv",
            row_cap=5000,
            max_chars=2000,
        )
        assert "give a path" in too_big


async def test_exports_are_reads_and_paths_must_be_absolute(
    make_client: MakeClient, item_db: Path, tmp_path: Path
) -> None:
    async with make_client() as client:
        diagram_id = await profile(client, item_db)
        refused = await call_error(
            client,
            "chartdb_export_query",
            diagram_id=diagram_id,
            sql="DELETE FROM item RETURNING *",
            format="csv",
            path=str(tmp_path / "deleted.csv"),
        )
        assert "Read-only" in refused
        assert not (tmp_path / "deleted.csv").exists()
        relative = await call_error(
            client,
            "chartdb_export_query",
            diagram_id=diagram_id,
            sql=ROWS_SQL,
            format="csv",
            path="out.csv",
        )
        assert "not absolute" in relative
    with sqlite3.connect(item_db) as raw:
        assert raw.execute("SELECT count(*) FROM item").fetchone() == (3,)
    raw.close()


async def test_an_export_never_overwrites_the_store_or_the_master_key(
    make_client: MakeClient, item_db: Path, tmp_path: Path
) -> None:
    """The store and the key file sit in a folder the person may export to; replacing
    either with a CSV would lose every diagram or every connection secret."""
    folder = tmp_path / "data"
    folder.mkdir()
    store = folder / "store.sqlite"
    key_file = folder / "master.key"
    async with make_client(str(store), key_source=KeySourceKind.FILE) as client:
        diagram_id = await profile(client, item_db)
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="pg",
            url="postgresql://postgres:Export-Pw-never-lost@127.0.0.1:5432/postgres",
        )
        link = tmp_path / "innocent.csv"
        link.symlink_to(store)
        before = {path: path.read_bytes() for path in (store, key_file)}
        for target in (store, key_file, folder / "master.key.next", link):
            message = await call_error(
                client,
                "chartdb_export_query",
                diagram_id=diagram_id,
                connection="db",
                sql=ROWS_SQL,
                format="csv",
                path=str(target),
                overwrite=True,
            )
            assert "chartdb-mcp's own" in message, target
        assert {path: path.read_bytes() for path in before} == before
        assert not (folder / "master.key.next").exists()
        listing = await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id)
        assert len(listing["connections"]) == 2
