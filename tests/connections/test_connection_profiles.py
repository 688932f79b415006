"""Connection profiles through the MCP tools: saved, listed, switched, tested, rotated."""

import sqlite3
from pathlib import Path

import pytest
from mcp import Client
from sqlalchemy.engine import make_url

from chartdb_mcp import keys
from chartdb_mcp.config import Settings
from chartdb_mcp.errors import MasterKeyUnavailable
from chartdb_mcp.server import build_server
from chartdb_mcp.service import connections as connections_service
from chartdb_mcp.store.master_key import KEY_ENV, NEW_KEY_ENV, KeySourceKind
from support.databases import postgres_database
from support.mcp_client import call_error, call_ok, text_of
from support.processes import free_port
from support.profiles import MakeClient, new_diagram

pytestmark = pytest.mark.anyio

PASSWORD = "Profile-Pw-7f3a9c-never-shown"


async def test_a_profile_is_saved_listed_and_never_shows_its_secret(
    make_client: MakeClient, tmp_path: Path
) -> None:
    store = tmp_path / "store.sqlite"
    async with make_client(str(store)) as client:
        diagram_id = await new_diagram(client)
        added = await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="staging",
            dialect="postgresql",
            host="db.internal",
            port=5433,
            database="shop",
            username="reader",
            password=PASSWORD,
            environment="staging",
            options={"sslmode": "require"},
        )
        profile = added["connection"]
        assert (profile["name"], profile["environment"], profile["secret_kind"]) == (
            "staging",
            "staging",
            "password",
        )
        assert profile["active"] is True, "the first profile becomes the active one"
        listing = await client.call_tool("chartdb_list_connections", {"diagram_id": diagram_id})
        assert [c["name"] for c in listing.structured_content["connections"]] == ["staging"]
        assert PASSWORD not in text_of(listing) + str(listing.structured_content)
        assert PASSWORD not in str(added)
    with sqlite3.connect(store) as raw:
        [(ciphertext, key_id)] = raw.execute(
            "SELECT secret_ciphertext, key_id FROM connection_profiles"
        ).fetchall()
    assert ciphertext and key_id
    assert PASSWORD.encode() not in store.read_bytes()


async def test_a_url_fills_the_parts_and_a_second_profile_is_not_active(
    make_client: MakeClient,
) -> None:
    async with make_client() as client:
        diagram_id = await new_diagram(client)
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="dev",
            url="postgresql://postgres@127.0.0.1:5432/postgres",
        )
        added = await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="prod",
            url=f"postgresql://admin:{PASSWORD}@prod.example.com/shop?sslmode=require",
            environment="production",
        )
        prod = added["connection"]
        assert (prod["host"], prod["database"], prod["username"], prod["active"]) == (
            "prod.example.com",
            "shop",
            "admin",
            False,
        )
        assert prod["options"] == {"sslmode": "require"} and prod["secret_kind"] == "url"
        duplicate = await call_error(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="dev",
            url="postgresql://postgres@127.0.0.1:5432/postgres",
        )
        assert "'dev'" in duplicate
        await call_ok(client, "chartdb_use_connection", diagram_id=diagram_id, connection="prod")
        listing = await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id)
        assert listing["active"] == "prod"
        assert [c["active"] for c in listing["connections"]] == [False, True]


async def test_test_connection_reports_online_with_version_and_errors_scrubbed(
    make_client: MakeClient,
) -> None:
    with postgres_database("profiles") as url:
        parts = make_url(url)
        async with make_client() as client:
            diagram_id = await new_diagram(client)
            await call_ok(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="local",
                dialect="postgresql",
                host=parts.host,
                port=parts.port,
                database=parts.database,
                username=parts.username,
                password=PASSWORD,
            )
            online = await call_ok(client, "chartdb_test_connection", diagram_id=diagram_id)
            assert online["status"] == "online"
            assert online["server_version"] and online["server_version"][0].isdigit()
            assert online["last_connected_at"]

            port = free_port()
            await call_ok(
                client,
                "chartdb_update_connection",
                diagram_id=diagram_id,
                connection="local",
                port=port,
            )
            failed = await client.call_tool(
                "chartdb_test_connection", {"diagram_id": diagram_id, "connection": "local"}
            )
            assert not failed.is_error
            outcome = failed.structured_content
            assert outcome["status"] == "error"
            assert str(port) in outcome["message"]
            assert outcome["last_connected_at"] == online["last_connected_at"]
            assert PASSWORD not in text_of(failed) + str(outcome)
            [profile] = (await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id))[
                "connections"
            ]
            assert profile["last_status"] == "error" and PASSWORD not in str(profile)


async def test_update_keeps_what_is_not_given_and_remove_deletes(make_client: MakeClient) -> None:
    async with make_client() as client:
        diagram_id = await new_diagram(client)
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="one",
            dialect="mariadb",
            host="127.0.0.1",
            database="shop",
            username="root",
            password=PASSWORD,
        )
        updated = await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="one",
            new_name="two",
            environment="production",
            allow_writes=True,
        )
        profile = updated["connection"]
        assert (profile["name"], profile["host"], profile["secret_kind"]) == (
            "two",
            "127.0.0.1",
            "password",
        )
        assert profile["allow_writes"] is True and profile["production_writes_unlocked"] is False
        cleared = await call_ok(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="two",
            clear_secret=True,
        )
        assert "secret_kind" not in cleared["connection"]
        missing = await call_error(
            client, "chartdb_remove_connection", diagram_id=diagram_id, connection="one"
        )
        assert "'one'" in missing and "'two'" in missing
        await call_ok(client, "chartdb_remove_connection", diagram_id=diagram_id, connection="two")
        listing = await call_ok(client, "chartdb_list_connections", diagram_id=diagram_id)
        assert listing["connections"] == []


async def test_a_secret_given_as_an_option_is_refused_not_stored_in_plain_text(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """Options are listed as they are, so a password among them would be shown and kept
    unencrypted; it is refused, and the refusal does not repeat it."""
    store = tmp_path / "store.sqlite"
    async with make_client(str(store)) as client:
        diagram_id = await new_diagram(client)
        for key in ("password", "PASSWD", "sslpassword"):
            message = await call_error(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name="opts",
                dialect="postgresql",
                host="127.0.0.1",
                database="postgres",
                options={key: PASSWORD},
            )
            assert repr(key) in message and PASSWORD not in message
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="opts",
            dialect="postgresql",
            host="127.0.0.1",
            database="postgres",
        )
        message = await call_error(
            client,
            "chartdb_update_connection",
            diagram_id=diagram_id,
            connection="opts",
            options={"ssl_key_password": PASSWORD},
        )
        assert PASSWORD not in message
        listing = await client.call_tool("chartdb_list_connections", {"diagram_id": diagram_id})
        assert PASSWORD not in text_of(listing) + repr(listing.structured_content)
    assert PASSWORD.encode() not in store.read_bytes()


async def test_without_a_key_source_a_secret_is_refused_with_how_to_choose(
    tmp_path: Path, no_keyring: None
) -> None:
    async with Client(build_server(Settings(db_path=":memory:"))) as client:
        diagram_id = await new_diagram(client)
        message = await call_error(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="x",
            url=f"postgresql://u:{PASSWORD}@h/db",
        )
        assert "--key-source" in message and PASSWORD not in message
        # A profile without a secret needs no key.
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="plain",
            url="postgresql://postgres@127.0.0.1/postgres",
        )


async def test_rotating_the_key_reseals_every_secret_in_the_file_source(
    make_client: MakeClient, tmp_path: Path
) -> None:
    store = tmp_path / "store.sqlite"
    settings = Settings(db_path=str(store), key_source=KeySourceKind.FILE)
    async with make_client(str(store), key_source=KeySourceKind.FILE) as client:
        diagram_id = await new_diagram(client)
        for name in ("a", "b"):
            await call_ok(
                client,
                "chartdb_add_connection",
                diagram_id=diagram_id,
                name=name,
                url=f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/postgres",
            )
    key_file = tmp_path / "master.key"
    old_key = key_file.read_text()
    with sqlite3.connect(store) as raw:
        before = raw.execute("SELECT key_id, secret_ciphertext FROM connection_profiles").fetchall()

    assert await keys.rotate(settings) == 2

    assert key_file.read_text() != old_key
    assert not (tmp_path / "master.key.next").exists()
    with sqlite3.connect(store) as raw:
        after = raw.execute("SELECT key_id, secret_ciphertext FROM connection_profiles").fetchall()
    assert {row[0] for row in after} != {row[0] for row in before}
    assert len({row[0] for row in after}) == 1
    assert all(old[1] != new[1] for old, new in zip(before, after, strict=True))
    async with make_client(str(store), key_source=KeySourceKind.FILE) as client:
        tested = await call_ok(
            client, "chartdb_test_connection", diagram_id=diagram_id, connection="b"
        )
        assert tested["status"] == "online", tested["message"]


async def test_two_interrupted_rotations_in_a_row_lose_no_secret(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rotation stopped after its commit leaves the secrets under the staged key; a
    second rotation stopped before its commit must not have thrown that key away."""
    store = tmp_path / "store.sqlite"
    settings = Settings(db_path=str(store), key_source=KeySourceKind.FILE)
    async with make_client(str(store), key_source=KeySourceKind.FILE) as client:
        diagram_id = await new_diagram(client)
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="a",
            url=f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/postgres",
        )
    source = keys.source_of(settings)

    def crash() -> None:
        raise MasterKeyUnavailable("stopped")

    # First rotation: every secret resealed and committed, then a crash before promote.
    with monkeypatch.context() as patch:
        patch.setattr(source, "promote", crash)
        patch.setattr(keys, "source_of", lambda _settings: source)
        with pytest.raises(MasterKeyUnavailable, match="stopped"):
            await keys.rotate(settings)
    # Second rotation: a crash while resealing, before anything is committed.
    real_seal = connections_service.seal

    def seal_then_crash(*args: object) -> object:
        real_seal(*args)  # type: ignore[arg-type]
        raise MasterKeyUnavailable("stopped again")

    with monkeypatch.context() as patch:
        patch.setattr(connections_service, "seal", seal_then_crash)
        with pytest.raises(MasterKeyUnavailable, match="stopped again"):
            await keys.rotate(settings)
    async with make_client(str(store), key_source=KeySourceKind.FILE) as client:
        tested = await call_ok(
            client, "chartdb_test_connection", diagram_id=diagram_id, connection="a"
        )
        assert tested["status"] == "online", tested["message"]


async def test_rotating_an_environment_key_needs_the_new_key_and_then_only_it_opens(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.sqlite"
    async with make_client(str(store)) as client:
        diagram_id = await new_diagram(client)
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="pg",
            url=f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/postgres",
        )
    settings = Settings(db_path=str(store), key_source=KeySourceKind.ENV)
    with pytest.raises(MasterKeyUnavailable, match="CHARTDB_MCP_NEW_MASTER_KEY"):
        await keys.rotate(settings)
    new_key = keys.generate_key_text()
    monkeypatch.setenv(NEW_KEY_ENV, new_key)
    assert await keys.rotate(settings) == 1

    monkeypatch.delenv(NEW_KEY_ENV)
    async with make_client(str(store)) as client:
        stale = await call_error(
            client, "chartdb_test_connection", diagram_id=diagram_id, connection="pg"
        )
        assert "cannot be decrypted" in stale and PASSWORD not in stale
    monkeypatch.setenv(KEY_ENV, new_key)
    async with make_client(str(store)) as client:
        tested = await call_ok(
            client, "chartdb_test_connection", diagram_id=diagram_id, connection="pg"
        )
        assert tested["status"] == "online", tested["message"]
