"""The `chartdb-mcp` command: serve (the default), demo, key and production-guard commands."""

import logging
import sys

import anyio
import click

from chartdb_mcp import keys
from chartdb_mcp.config import (
    DB_PATH_ENV,
    TOOL_GROUPS,
    Settings,
    ToolNameStyle,
    resolve_auto_sync_tick,
    resolve_db_path,
)
from chartdb_mcp.core.connections import ConnectionProfile
from chartdb_mcp.demo import run_demo
from chartdb_mcp.errors import ChartdbError, StoreError
from chartdb_mcp.server.transports import Transport, serve
from chartdb_mcp.service import connections
from chartdb_mcp.store import open_store
from chartdb_mcp.store.master_key import KEY_SOURCE_ENV, KeySourceKind


@click.group(invoke_without_command=True)
@click.option(
    "--db-path",
    envvar=DB_PATH_ENV,
    help=f"Diagram store file (or :memory:). Also ${DB_PATH_ENV}. Default: the user data folder.",
)
@click.option(
    "--tool-names",
    type=click.Choice([style.value for style in ToolNameStyle]),
    default=ToolNameStyle.SAFE.value,
    show_default=True,
    help="safe: chartdb_get_schema; seed: chartdb/get-schema.",
)
@click.option(
    "--groups",
    default=",".join(TOOL_GROUPS),
    show_default=True,
    help="Comma-separated tool groups to enable.",
)
@click.option(
    "--key-source",
    type=click.Choice([kind.value for kind in KeySourceKind]),
    envvar=KEY_SOURCE_ENV,
    help=f"Where the master key of connection secrets lives. Also ${KEY_SOURCE_ENV}. "
    "Default: the OS keyring when one is usable.",
)
@click.option(
    "--key-file",
    envvar="CHARTDB_MCP_KEY_FILE",
    help="Key file for --key-source file. Default: master.key beside the store.",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    default="INFO",
    show_default=True,
)
@click.option(
    "--auto-sync",
    is_flag=True,
    help="Run automatic sync under stdio too (HTTP and SSE always run it).",
)
@click.option(
    "--output-schemas",
    is_flag=True,
    help="Declare each tool's output schema in tools/list (they triple its size).",
)
@click.pass_context
def main(
    ctx: click.Context,
    db_path: str | None,
    tool_names: str,
    groups: str,
    key_source: str | None,
    key_file: str | None,
    log_level: str,
    auto_sync: bool,
    output_schemas: bool,
) -> None:
    """An MCP server for designing database schemas with an AI assistant.

    With no command it serves over stdio, as MCP hosts expect.
    """
    logging.basicConfig(
        stream=sys.stderr,
        level=log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Settings(
        db_path=resolve_db_path(db_path),
        tool_names=ToolNameStyle(tool_names),
        groups=_parse_groups(groups),
        key_source=KeySourceKind(key_source) if key_source else None,
        key_file=key_file,
        auto_sync=auto_sync,
        auto_sync_tick=resolve_auto_sync_tick(),
        output_schemas=output_schemas,
    )
    if ctx.invoked_subcommand is None:
        _serve(ctx.obj, Transport.STDIO, "127.0.0.1", 8000)


@main.command("serve")
@click.option(
    "--transport",
    type=click.Choice([transport.value for transport in Transport]),
    default=Transport.STDIO.value,
    show_default=True,
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address for HTTP/SSE.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_obj
def serve_command(settings: Settings, transport: str, host: str, port: int) -> None:
    """Serve over stdio (default), SSE or streamable HTTP."""
    _serve(settings, Transport(transport), host, port)


@main.command("demo")
@click.option(
    "--keep",
    is_flag=True,
    help="Keep the demo's store and database under ./chartdb-demo instead of a temp folder.",
)
def demo_command(keep: bool) -> None:
    """Build a SQLite database from the example schema, import it through the server
    over stdio, and print the schema the server gives back."""
    sys.exit(run_demo(keep=keep))


@main.command("generate-key")
def generate_key_command() -> None:
    """Print a new random master key in base64, for --key-source env."""
    click.echo(keys.generate_key_text())


@main.command("rotate-key")
@click.pass_obj
def rotate_key_command(settings: Settings) -> None:
    """Re-encrypt every stored connection secret under a new master key.

    With --key-source env the new key is read from $CHARTDB_MCP_NEW_MASTER_KEY; put it in
    $CHARTDB_MCP_MASTER_KEY afterwards. Other sources store the new key themselves.
    """
    try:
        count = anyio.run(keys.rotate, settings)
    except ChartdbError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Re-encrypted {count} connection secret(s) under the new master key.")


@main.command("unlock-production")
@click.option("--diagram", "diagram_id", required=True, help="The diagram's id.")
@click.option("--connection", required=True, help="The connection profile's name or id.")
@click.pass_obj
def unlock_production_command(settings: Settings, diagram_id: str, connection: str) -> None:
    """Let query-database run writes on a production connection (the person's decision).

    The profile must also allow writes (update-connection allow_writes=true). Relabelling
    the profile locks it again.
    """
    profile = _set_production_unlock(settings, diagram_id, connection, unlocked=True)
    click.echo(
        f"Production writes unlocked on connection {profile.name!r} ({profile.environment}, "
        f"database {profile.database or '-'!r}) of diagram {diagram_id}."
    )
    if not profile.is_production:
        click.echo(f"Note: {profile.environment!r} is not a production label; no guard applied.")
    if not profile.allow_writes:
        click.echo("Note: the connection does not allow writes yet (allow_writes is false).")


@main.command("lock-production")
@click.option("--diagram", "diagram_id", required=True, help="The diagram's id.")
@click.option("--connection", required=True, help="The connection profile's name or id.")
@click.pass_obj
def lock_production_command(settings: Settings, diagram_id: str, connection: str) -> None:
    """Refuse writes on a production connection again."""
    profile = _set_production_unlock(settings, diagram_id, connection, unlocked=False)
    click.echo(
        f"Production writes locked on connection {profile.name!r} ({profile.environment}) "
        f"of diagram {diagram_id}."
    )


def _set_production_unlock(
    settings: Settings, diagram_id: str, connection: str, *, unlocked: bool
) -> ConnectionProfile:
    async def change() -> ConnectionProfile:
        async with await open_store(settings.db_path) as store:
            return await connections.set_production_unlock(store, diagram_id, connection, unlocked)

    try:
        return anyio.run(change)
    except ChartdbError as error:
        raise click.ClickException(str(error)) from None


def _serve(settings: Settings, transport: Transport, host: str, port: int) -> None:
    """Check that the store opens (one clear line if not), then serve."""
    try:
        anyio.run(_open_store_once, settings.db_path)
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    serve(settings, transport, host, port)


async def _open_store_once(path: str) -> None:
    store = await open_store(path)
    await store.close()


def _parse_groups(text: str) -> frozenset[str]:
    groups = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(groups - set(TOOL_GROUPS))
    if unknown or not groups:
        problem = f"unknown groups {unknown}" if unknown else "no group named"
        raise click.BadParameter(
            f"{problem}; choose from {', '.join(TOOL_GROUPS)}", param_hint="--groups"
        )
    return groups
