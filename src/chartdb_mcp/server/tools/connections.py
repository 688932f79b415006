"""Tools for a diagram's connection profiles: add, list, update, remove, use, test."""

from typing import Annotated, Any

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.resolve import Resolve
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.connections import ConnectionProfile
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.keys import source_of
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, state_of
from chartdb_mcp.server.tools.annotations import CREATES, DESTROYS, READ_ONLY, READS_LIVE_DATABASE
from chartdb_mcp.server.tools.arguments import DiagramId
from chartdb_mcp.server.tools.production_guard import (
    UnlockConfirmation,
    confirm_unlock,
    person_decided,
)
from chartdb_mcp.service import connections
from chartdb_mcp.service.connections import ConnectionTest, KeySourceFactory, Secret

ConnectionName = Annotated[str, Field(description="The connection's name (or id).", max_length=100)]
Password = Annotated[
    str | None,
    Field(description="Password; stored encrypted, never shown again.", max_length=4096),
]
SecretUrl = Annotated[
    str | None,
    Field(
        description=(
            "Full URL instead of the parts (postgresql://user:pass@host:5432/db, mysql://, "
            "mariadb://, sqlite:///path); encrypted when it holds a password."
        ),
        max_length=8192,
    ),
]
Environment = Annotated[
    str | None,
    Field(description="dev, staging, production or any label; production guards writes."),
]


class ConnectionAnswer(BaseModel):
    """One profile, as a tool answer."""

    connection: ConnectionProfile
    message: str


class ConnectionList(BaseModel):
    """A diagram's profiles and which one is active."""

    diagram_id: str
    active: str | None = None
    connections: list[ConnectionProfile]


def keys_of(ctx: ToolContext) -> KeySourceFactory:
    """The key source of the server's settings, built when a secret is first needed."""
    settings = state_of(ctx).settings
    return lambda: source_of(settings)


def register(server: MCPServer, settings: Settings) -> None:
    """Register add-, list-, update-, remove-, use- and test-connection."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    @server.tool(
        name=name("chartdb/add-connection"),
        structured_output=settings.structured_output,
        title="Add connection",
        description=(
            "Save a named connection profile (dev/staging/production) for a diagram. "
            "The secret is encrypted at rest and never returned. The first becomes active."
        ),
        annotations=CREATES,
    )
    async def add_connection(
        ctx: ToolContext,
        diagram_id: DiagramId,
        name: ConnectionName,
        dialect: Annotated[DatabaseType | None, Field(description="Omit with a url.")] = None,
        host: str | None = None,
        port: Annotated[int | None, Field(ge=1, le=65535)] = None,
        database: Annotated[str | None, Field(description="Database name or SQLite path.")] = None,
        username: str | None = None,
        password: Password = None,
        url: SecretUrl = None,
        environment: Environment = None,
        color: str | None = None,
        options: Annotated[
            dict[str, str] | None,
            Field(description="URL options, e.g. sslmode=require, connect_timeout=5."),
        ] = None,
        allow_writes: Annotated[
            bool, Field(description="Let query-database run writes on request.")
        ] = False,
    ) -> Annotated[CallToolResult, ConnectionAnswer]:
        fields: dict[str, Any] = {
            "name": name,
            "dialect": dialect,
            "host": host,
            "port": port,
            "database": database,
            "username": username,
            "environment": environment,
            "color": color,
            "options": options,
            "allow_writes": allow_writes,
        }
        with tool_errors("chartdb/add-connection"):
            profile = await connections.add_connection(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                fields,
                Secret(password=password, url=url),
            )
        answer = ConnectionAnswer(connection=profile, message=f"Saved {describe(profile)}.")
        return tool_result(answer, answer.message)

    @server.tool(
        name=name("chartdb/list-connections"),
        structured_output=settings.structured_output,
        title="List connections",
        description="A diagram's connection profiles (no secrets), the active one and last test.",
        annotations=READ_ONLY,
    )
    async def list_connections(
        ctx: ToolContext, diagram_id: DiagramId
    ) -> Annotated[CallToolResult, ConnectionList]:
        with tool_errors("chartdb/list-connections"):
            profiles = await connections.list_connections(state_of(ctx).store, diagram_id)
        active = next((profile.name for profile in profiles if profile.active), None)
        listing = ConnectionList(diagram_id=diagram_id, active=active, connections=profiles)
        lines = [f"Diagram {diagram_id} has {len(profiles)} connection(s)."]
        lines += [describe(profile) for profile in profiles]
        return tool_result(listing, "\n".join(lines))

    @server.tool(
        name=name("chartdb/update-connection"),
        structured_output=settings.structured_output,
        title="Update connection",
        description=(
            "Change fields of a connection profile; omitted fields stay as they are. "
            "Unlocking production writes needs the person's confirmation."
        ),
        annotations=CREATES,
    )
    async def update_connection(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: ConnectionName,
        consent: Annotated[ElicitationResult[UnlockConfirmation], Resolve(confirm_unlock)],
        new_name: Annotated[str | None, Field(max_length=100)] = None,
        dialect: DatabaseType | None = None,
        host: str | None = None,
        port: Annotated[int | None, Field(ge=1, le=65535)] = None,
        database: str | None = None,
        username: str | None = None,
        password: Password = None,
        url: SecretUrl = None,
        clear_secret: Annotated[bool, Field(description="Forget the stored secret.")] = False,
        environment: Environment = None,
        color: str | None = None,
        options: dict[str, str] | None = None,
        allow_writes: bool | None = None,
        production_writes_unlocked: Annotated[
            bool | None,
            Field(
                description=(
                    "Lift (true) or restore (false) the guard that refuses writes on a "
                    "production profile; lifting asks the person."
                )
            ),
        ] = None,
    ) -> Annotated[CallToolResult, ConnectionAnswer]:
        decided = person_decided(consent)
        if decided is False:
            with tool_errors("chartdb/update-connection"):
                unchanged = await connections.get_connection(
                    state_of(ctx).store, diagram_id, connection
                )
            declined = ConnectionAnswer(
                connection=unchanged,
                message=(
                    "Not changed: the person did not confirm unlocking production writes; "
                    f"{describe(unchanged)} is as it was."
                ),
            )
            return tool_result(declined, declined.message)
        fields: dict[str, Any] = {
            "name": new_name,
            "dialect": dialect,
            "host": host,
            "port": port,
            "database": database,
            "username": username,
            "environment": environment,
            "color": color,
            "options": options,
            "allow_writes": allow_writes,
            "production_writes_unlocked": production_writes_unlocked,
        }
        with tool_errors("chartdb/update-connection"):
            profile = await connections.update_connection(
                state_of(ctx).store,
                keys_of(ctx),
                diagram_id,
                connection,
                fields,
                Secret(password=password, url=url),
                clear_secret=clear_secret,
                unlock_confirmed=decided is True,
            )
        answer = ConnectionAnswer(connection=profile, message=f"Updated {describe(profile)}.")
        return tool_result(answer, answer.message)

    @server.tool(
        name=name("chartdb/remove-connection"),
        structured_output=settings.structured_output,
        title="Remove connection",
        description="Delete a connection profile, its secret and its query history.",
        annotations=DESTROYS,
    )
    async def remove_connection(
        ctx: ToolContext, diagram_id: DiagramId, connection: ConnectionName
    ) -> Annotated[CallToolResult, ConnectionAnswer]:
        with tool_errors("chartdb/remove-connection"):
            profile = await connections.remove_connection(
                state_of(ctx).store, diagram_id, connection
            )
        answer = ConnectionAnswer(connection=profile, message=f"Removed {describe(profile)}.")
        return tool_result(answer, answer.message)

    @server.tool(
        name=name("chartdb/use-connection"),
        structured_output=settings.structured_output,
        title="Use connection",
        description="Make a profile the diagram's active connection (used when none is named).",
        annotations=CREATES,
    )
    async def use_connection(
        ctx: ToolContext, diagram_id: DiagramId, connection: ConnectionName
    ) -> Annotated[CallToolResult, ConnectionAnswer]:
        with tool_errors("chartdb/use-connection"):
            profile = await connections.use_connection(state_of(ctx).store, diagram_id, connection)
        answer = ConnectionAnswer(connection=profile, message=f"Now using {describe(profile)}.")
        return tool_result(answer, answer.message)

    @server.tool(
        name=name("chartdb/test-connection"),
        structured_output=settings.structured_output,
        title="Test connection",
        description=(
            "Connect once with a profile: online with the server version, or the "
            "database's error. Records the outcome on the profile."
        ),
        annotations=READS_LIVE_DATABASE,
    )
    async def test_connection(
        ctx: ToolContext,
        diagram_id: DiagramId,
        connection: Annotated[
            str | None, Field(description="Name or id; default: the active connection.")
        ] = None,
    ) -> Annotated[CallToolResult, ConnectionTest]:
        with tool_errors("chartdb/test-connection"):
            outcome = await connections.test_connection(
                state_of(ctx).store, keys_of(ctx), diagram_id, connection
            )
        version = f" (server {outcome.server_version})" if outcome.server_version else ""
        text = f"{outcome.connection}: {outcome.status.value}{version}. {outcome.message}"
        return tool_result(outcome, text)


def describe(profile: ConnectionProfile) -> str:
    """One line about a profile: name, environment, address, flags; never a secret."""
    address = profile.database or ""
    if profile.host:
        port = f":{profile.port}" if profile.port else ""
        address = (
            f"{profile.username + '@' if profile.username else ''}{profile.host}{port}/{address}"
        )
    flags = [
        flag
        for flag, on in (
            ("active", profile.active),
            ("writes allowed", profile.allow_writes),
            ("production writes unlocked", profile.production_writes_unlocked),
            ("secret stored", profile.has_secret),
        )
        if on
    ]
    status = f", last test {profile.last_status.value}" if profile.last_status else ""
    shown_flags = f" [{', '.join(flags)}]" if flags else ""
    return (
        f"connection {profile.name!r} ({profile.environment}, {profile.dialect.value} "
        f"{address}){shown_flags}{status}"
    )
