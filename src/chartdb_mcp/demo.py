"""The demo: the whole main job on the embedded default, with no database server.

It builds a SQLite database from the example schema, starts `chartdb-mcp` over stdio the
way an MCP host does, imports the database through the server's tools and prints the
schema the server gives back. This is client code: printing to stdout is its purpose.
"""

import shutil
import sqlite3
import sys
import tempfile
from importlib import resources
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, TextContent

EXAMPLE_SCHEMA = "blog.sql"


def example_schema() -> str:
    """The example DDL: from the source tree's `examples/`, else from the installed package."""
    in_tree = Path(__file__).resolve().parents[2] / "examples" / EXAMPLE_SCHEMA
    if in_tree.is_file():
        return in_tree.read_text(encoding="utf-8")
    return resources.files("chartdb_mcp").joinpath("examples", EXAMPLE_SCHEMA).read_text("utf-8")


def build_example_database(path: Path) -> None:
    """Create the example SQLite database at `path` (replacing any file there)."""
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as connection:
        connection.executescript(example_schema())
    connection.close()


def run_demo(keep: bool = False) -> int:
    """Run the demo; returns the process exit status."""
    if keep:
        folder = Path("chartdb-demo").resolve()
        folder.mkdir(exist_ok=True)
        return anyio.run(_demo, folder)
    folder = Path(tempfile.mkdtemp(prefix="chartdb-demo-"))
    try:
        return anyio.run(_demo, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _demo(folder: Path) -> int:
    database = folder / "blog.db"
    store = folder / "store.sqlite"
    build_example_database(database)
    print(f"Built the example database {database} from examples/{EXAMPLE_SCHEMA}.")
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "chartdb_mcp", "--db-path", str(store), "--log-level", "WARNING"],
    )
    async with Client(server) as client:
        tools = await client.list_tools()
        print(f"Started chartdb-mcp over stdio: {len(tools.tools)} tools.")
        imported = await client.call_tool(
            "chartdb_import_database", {"url": str(database), "name": "blog"}
        )
        _show("chartdb_import_database", imported)
        if imported.is_error or imported.structured_content is None:
            return 1
        diagram_id = imported.structured_content["diagram_id"]
        schema = await client.call_tool("chartdb_get_schema", {"diagram_id": diagram_id})
        _show("chartdb_get_schema", schema)
        detail = await client.call_tool(
            "chartdb_get_schema", {"diagram_id": diagram_id, "tables": ["posts"]}
        )
        _show("chartdb_get_schema tables=['posts']", detail)
        return 1 if schema.is_error or detail.is_error else 0


def _show(title: str, result: CallToolResult) -> None:
    print(f"\n=== {title}{' (error)' if result.is_error else ''} ===")
    for block in result.content:
        if isinstance(block, TextContent):
            print(block.text)
