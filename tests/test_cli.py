"""The command line: where the store goes, option checks, and the demo end to end."""

import subprocess
import sys
from pathlib import Path

import anyio
import keyring
import pytest
from click.testing import CliRunner
from keyring.backends import fail
from mcp import Client

from chartdb_mcp.cli import main
from chartdb_mcp.config import DB_PATH_ENV, Settings, resolve_db_path
from chartdb_mcp.server import build_server
from chartdb_mcp.store import default_store_path


def test_store_path_prefers_the_flag_then_the_environment_then_the_default(
    tmp_path: Path,
) -> None:
    flag, env = tmp_path / "flag.sqlite", tmp_path / "env.sqlite"
    assert resolve_db_path(str(flag), {DB_PATH_ENV: str(env)}) == str(flag)
    assert resolve_db_path(None, {DB_PATH_ENV: str(env)}) == str(env)
    assert resolve_db_path(None, {}) == str(default_store_path().resolve())
    assert resolve_db_path(":memory:", {}) == ":memory:"
    assert resolve_db_path("~/x.sqlite", {}) == str(Path.home() / "x.sqlite")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--groups", "diagrams,bogus"], "unknown groups ['bogus']"),
        (
            ["--groups", ","],
            "no group named; choose from diagrams, review, live, sql, connections, sync",
        ),
        (["--tool-names", "slashes"], "'slashes' is not one of"),
        (["serve", "--transport", "carrier-pigeon"], "'carrier-pigeon' is not one of"),
        (["serve", "--port", "70000"], "70000 is not in the range"),
    ],
)
def test_bad_options_are_refused_by_name(arguments: list[str], expected: str) -> None:
    result = CliRunner().invoke(main, ["--db-path", ":memory:", *arguments])
    assert result.exit_code == 2
    assert expected in result.output


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "serve" in result.output and "demo" in result.output
    assert DB_PATH_ENV in result.output
    assert "unlock-production" in result.output and "lock-production" in result.output


async def count_tools() -> int:
    """How many tools a server with the default settings offers."""
    async with Client(build_server(Settings(db_path=":memory:"))) as client:
        return len((await client.list_tools()).tools)


def test_demo_imports_the_example_over_stdio_and_prints_the_schema(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chartdb_mcp", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert f"Started chartdb-mcp over stdio: {anyio.run(count_tools)} tools." in output
    assert "Imported 5 tables, 1 view, 6 relationships" in output
    assert "posts [EXISTS]" in output
    assert "FK (author_id) -> authors(id) ON DELETE CASCADE" in output
    assert "=== chartdb_get_schema tables=['posts'] ===" in output
    assert "(error)" not in output
    assert list(tmp_path.iterdir()) == [], "the demo leaves nothing behind without --keep"


@pytest.mark.parametrize("transport", ["stdio", "streamable-http"])
def test_a_store_that_cannot_be_opened_stops_the_server_with_one_line(
    tmp_path: Path, transport: str
) -> None:
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("plain text\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "chartdb_mcp",
            "--db-path",
            str(not_sqlite),
            "serve",
            "--transport",
            transport,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"Error: The file '{not_sqlite}' is not a SQLite database, so it cannot be a diagram store."
    )
    assert not_sqlite.read_text() == "plain text\n"


def test_generate_key_prints_a_key_the_env_source_accepts() -> None:
    result = CliRunner().invoke(main, ["generate-key"])
    assert result.exit_code == 0
    from chartdb_mcp.store.master_key import decode_key

    assert len(decode_key(result.output, "the output")) == 32


def test_rotate_key_without_a_key_source_says_how_to_choose(tmp_path: Path) -> None:
    # As on a headless machine, whatever keyring this one has.
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        result = CliRunner().invoke(main, ["--db-path", str(tmp_path / "s.sqlite"), "rotate-key"])
    finally:
        keyring.set_keyring(before)
    assert result.exit_code == 1
    assert "--key-source" in result.output
