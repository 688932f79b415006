"""Only the person lifts the guard on production writes: asked through elicitation, or
by the command line when the host cannot ask; the assistant's arguments never suffice."""

import sqlite3
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner
from mcp import Client

from chartdb_mcp.cli import main
from chartdb_mcp.config import Settings
from chartdb_mcp.core.connections import ConnectionProfile, lifts_production_guard
from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.errors import ProductionGuardLocked
from chartdb_mcp.server import build_server
from chartdb_mcp.service import connections
from chartdb_mcp.service.connections import Secret
from chartdb_mcp.store import open_store
from chartdb_mcp.store.master_key import KeySourceKind
from support.consent import Consent
from support.mcp_client import call_error, call_ok, text_of
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio

PASSWORD = "s3cret-Pa55"
DELETE = {"sql": "DELETE FROM item", "mode": "write", "commit": True}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)")
        raw.executemany("INSERT INTO item VALUES (?)", [(n,) for n in range(1, 11)])
    raw.close()
    return path


def items(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        count: int = raw.execute("SELECT count(*) FROM item").fetchone()[0]
    raw.close()
    return count


async def production_shop(client: Client, shop: Path, environment: str = "production") -> str:
    diagram_id = await new_diagram(client, "sqlite")
    await call_ok(
        client,
        "chartdb_add_connection",
        diagram_id=diagram_id,
        name="shop",
        url=str(shop),
        environment=environment,
        allow_writes=True,
    )
    return diagram_id


async def profile_of(client: Client, diagram_id: str) -> dict[str, Any]:
    listing = await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id)
    [profile] = listing["connections"]
    return dict(profile)


async def unlock(client: Client, diagram_id: str, **more: Any) -> Any:
    return await client.call_tool(
        "chartdb_update_connection",
        {
            "diagram_id": diagram_id,
            "connection": "shop",
            "production_writes_unlocked": True,
            **more,
        },
    )


async def test_an_accepted_question_unlocks_and_names_the_profile_without_its_secret(
    make_client: MakeClient, shop: Path
) -> None:
    consent = Consent("accept", unlock=True)
    async with make_client(elicitation_callback=consent) as client:
        diagram_id = await new_diagram(client)
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="orders",
            url=f"postgresql://admin:{PASSWORD}@db.example.com:5432/orders",
            environment="Production EU",
        )
        updated = await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="orders",
            production_writes_unlocked=True,
        )
    [question] = consent.questions
    assert "'orders'" in question and "'Production EU'" in question
    assert "'orders'?" not in question and "database 'orders' on db.example.com" in question
    assert PASSWORD not in question
    assert updated["connection"]["production_writes_unlocked"] is True


async def test_an_accepted_unlock_lets_writes_through(make_client: MakeClient, shop: Path) -> None:
    async with make_client(elicitation_callback=Consent("accept", unlock=True)) as client:
        diagram_id = await production_shop(client, shop)
        await call_error(client, "chartdb_query_database", diagram_id=diagram_id, **DELETE)
        result = await unlock(client, diagram_id)
        assert not result.is_error, text_of(result)
        done = await call_ok(client, "chartdb_query_database", diagram_id=diagram_id, **DELETE)
    assert done["committed"] is True and items(shop) == 0


@pytest.mark.parametrize(
    "consent",
    [Consent("accept", unlock=False), Consent("decline"), Consent("cancel")],
    ids=["accepted-but-unconfirmed", "declined", "cancelled"],
)
async def test_anything_but_a_confirmed_accept_leaves_the_profile_unchanged(
    make_client: MakeClient, shop: Path, consent: Consent
) -> None:
    async with make_client(elicitation_callback=consent) as client:
        diagram_id = await production_shop(client, shop)
        before = await profile_of(client, diagram_id)
        result = await unlock(client, diagram_id, color="red")
        after = await profile_of(client, diagram_id)
        refused = await call_error(
            client, "chartdb_query_database", diagram_id=diagram_id, **DELETE
        )
    assert not result.is_error
    assert text_of(result).startswith("Not changed: the person did not confirm")
    assert len(consent.questions) == 1
    assert after == before and after["production_writes_unlocked"] is False
    assert "production_writes_unlocked" in refused and items(shop) == 10


async def test_a_host_without_elicitation_is_refused_with_the_command_to_run(
    make_client: MakeClient, shop: Path
) -> None:
    async with make_client() as client:
        diagram_id = await production_shop(client, shop)
        before = await profile_of(client, diagram_id)
        message = await call_error(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            production_writes_unlocked=True,
        )
        after = await profile_of(client, diagram_id)
    assert f"chartdb-mcp unlock-production --diagram {diagram_id} --connection shop" in message
    assert "Nothing was changed" in message
    assert after == before


def test_the_command_line_unlocks_and_locks_a_profile_in_a_store_file(
    make_client: MakeClient, shop: Path, tmp_path: Path
) -> None:
    """The command runs outside any event loop, as it does in a terminal."""
    store_file = str(tmp_path / "store.sqlite")

    async def add() -> str:
        async with make_client(store_file) as client:
            diagram_id = await production_shop(client, shop)
            await call_error(client, "chartdb_query_database", diagram_id=diagram_id, **DELETE)
        return diagram_id

    async def write(diagram_id: str) -> Any:
        async with make_client(store_file) as client:
            return await client.call_tool(
                "chartdb_query_database", {"diagram_id": diagram_id, **DELETE}
            )

    diagram_id = anyio.run(add)
    where = ["--db-path", store_file]
    profile = ["--diagram", diagram_id, "--connection", "shop"]

    unlocked = CliRunner().invoke(main, [*where, "unlock-production", *profile])
    assert unlocked.exit_code == 0, unlocked.output
    assert "Production writes unlocked on connection 'shop' (production" in unlocked.output
    done = anyio.run(write, diagram_id)
    assert not done.is_error and done.structured_content["committed"] is True
    assert items(shop) == 0

    locked = CliRunner().invoke(main, [*where, "lock-production", *profile])
    assert locked.exit_code == 0, locked.output
    refused = anyio.run(write, diagram_id)
    assert refused.is_error and "production_writes_unlocked" in text_of(refused)


def test_the_command_line_names_a_missing_diagram(tmp_path: Path) -> None:
    store_file = str(tmp_path / "store.sqlite")
    result = CliRunner().invoke(
        main,
        ["--db-path", store_file, "unlock-production", "--diagram", "nope", "--connection", "x"],
    )
    assert (result.exit_code, result.output) == (1, "Error: No diagram has the id 'nope'.\n")


async def test_relabelling_an_unlocked_profile_to_production_asks_again(
    make_client: MakeClient, shop: Path, tmp_path: Path
) -> None:
    store_file = str(tmp_path / "store.sqlite")
    consent = Consent("accept", unlock=True)
    async with make_client(store_file, elicitation_callback=consent) as client:
        diagram_id = await production_shop(client, shop, environment="staging")
        await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            production_writes_unlocked=True,
        )
    async with make_client(store_file) as client:
        before = await profile_of(client, diagram_id)
        message = await call_error(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            environment="prod",
            production_writes_unlocked=True,
        )
        after = await profile_of(client, diagram_id)
    assert before["production_writes_unlocked"] is True and after == before
    assert "unlock-production" in message
    declined = Consent("decline")
    async with make_client(store_file, elicitation_callback=declined) as client:
        result = await unlock(client, diagram_id, environment="live")
        assert "Not changed" in text_of(result)
        assert (await profile_of(client, diagram_id))["environment"] == "staging"
    assert "'live'" in declined.questions[0]


async def test_locking_and_an_unchanged_unlock_ask_no_one(
    make_client: MakeClient, shop: Path
) -> None:
    consent = Consent("accept", unlock=True)
    async with make_client(elicitation_callback=consent) as client:
        diagram_id = await production_shop(client, shop)
        await unlock(client, diagram_id)
        again = await unlock(client, diagram_id, color="red")
        locked = await client.call_tool(
            "chartdb_update_connection",
            {"diagram_id": diagram_id, "connection": "shop", "production_writes_unlocked": False},
        )
        profile = await profile_of(client, diagram_id)
    assert not again.is_error and not locked.is_error
    assert len(consent.questions) == 1
    assert profile["production_writes_unlocked"] is False and profile["color"] == "red"


async def test_a_profile_added_unlocked_needs_the_persons_consent(shop: Path) -> None:
    fields = {
        "name": "shop",
        "dialect": DatabaseType.SQLITE,
        "database": str(shop),
        "environment": "production",
        "production_writes_unlocked": True,
    }
    async with await open_store(":memory:") as store:
        diagram_id = (await store.create(Diagram(name="shop"), "created")).id

        def no_keys() -> Any:
            raise AssertionError("no secret to seal")

        with pytest.raises(ProductionGuardLocked, match="unlock-production"):
            await connections.add_connection(store, no_keys, diagram_id, fields, Secret())
        assert await connections.list_connections(store, diagram_id) == []
        added = await connections.add_connection(
            store, no_keys, diagram_id, fields, Secret(), unlock_confirmed=True
        )
    assert added.production_writes_unlocked is True


async def test_an_unlocked_profile_moved_to_another_database_is_locked_or_asked_about(
    make_client: MakeClient, shop: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    consent = Consent("accept", unlock=True)
    async with make_client(elicitation_callback=consent) as client:
        diagram_id = await production_shop(client, shop)
        await unlock(client, diagram_id)
        moved = await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="shop",
            database=str(other),
        )
        assert moved["connection"]["production_writes_unlocked"] is False
        result = await unlock(client, diagram_id, database=str(shop))
        assert not result.is_error, text_of(result)
    assert len(consent.questions) == 2
    assert repr(str(shop)) in consent.questions[1]


@pytest.mark.parametrize("action", ["accept", "decline"])
async def test_the_legacy_protocol_revision_asks_the_same_way(
    master_key: str, shop: Path, action: str
) -> None:
    consent = Consent(action, unlock=True)
    server = build_server(Settings(db_path=":memory:", key_source=KeySourceKind.ENV))
    async with Client(server, mode="legacy", elicitation_callback=consent) as client:
        diagram_id = await production_shop(client, shop)
        result = await unlock(client, diagram_id)
        profile = await profile_of(client, diagram_id)
    assert not result.is_error and len(consent.questions) == 1
    assert profile["production_writes_unlocked"] is (action == "accept")


def profile(environment: str, unlocked: bool, database: str = "a.db") -> ConnectionProfile:
    return ConnectionProfile(
        diagram_id="d",
        name="p",
        dialect=DatabaseType.SQLITE,
        database=database,
        environment=environment,
        production_writes_unlocked=unlocked,
    )


@pytest.mark.parametrize(
    ("before", "after", "lifts"),
    [
        (None, profile("production", True), True),
        (None, profile("production", False), False),
        (profile("production", False), profile("production", True), True),
        (profile("staging", False), profile("staging", True), True),
        (profile("staging", True), profile("production", True), True),
        (profile("prod", True), profile("production", True), True),
        (profile("production", True), profile("production", True), False),
        (profile("production", True), profile("production", False), False),
        (profile("staging", True), profile("dev", True), False),
        (profile("production", True), profile("production", True, "b.db"), True),
        (profile("staging", True), profile("staging", True, "b.db"), False),
    ],
)
def test_which_changes_lift_the_guard(
    before: ConnectionProfile | None, after: ConnectionProfile, lifts: bool
) -> None:
    assert lifts_production_guard(before, after) is lifts
