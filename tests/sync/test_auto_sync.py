"""Automatic sync: the two tools, and the scheduler's rounds on real databases."""

import secrets
import sqlite3
from datetime import timedelta
from pathlib import Path

import anyio
import pytest
from mcp import Client

from chartdb_mcp.config import Settings
from chartdb_mcp.core.model import utc_now
from chartdb_mcp.errors import StoreError
from chartdb_mcp.keys import source_of
from chartdb_mcp.service.auto_sync import run_due, run_scheduler
from chartdb_mcp.store import DiagramStore, open_store
from chartdb_mcp.store.master_key import KeySourceKind
from support.mcp_client import call_error, call_ok
from support.profiles import MakeClient, new_diagram
from sync.live_schemas import DRIFT, loaded, run

pytestmark = pytest.mark.anyio


async def imported(client: Client, url: str) -> str:
    """Import the database into a new diagram and give it an active profile on it."""
    report = await call_ok(client, "chartdb_import_database", url=url)
    diagram_id = str(report["diagram_id"])
    await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="live", url=url)
    return diagram_id


def empty_sqlite(tmp_path: Path) -> str:
    """The path of an empty SQLite database file."""
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    return str(path)


def env_keys(db_path: Path) -> Settings:
    return Settings(db_path=str(db_path), key_source=KeySourceKind.ENV)


async def test_set_auto_sync_refuses_bad_input_and_changes_nothing(
    make_client: MakeClient, tmp_path: Path
) -> None:
    async with make_client() as client:
        error = await call_error(
            client, "chartdb_set_auto_sync", diagram_id="nosuchdiagram", interval_minutes=5
        )
        assert "'nosuchdiagram'" in error
        diagram_id = await new_diagram(client, "sqlite")
        error = await call_error(
            client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=5
        )
        assert "no active connection" in error
        await call_ok(
            client,
            "chartdb_add_connection",
            diagram_id=diagram_id,
            name="live",
            url=empty_sqlite(tmp_path),
        )
        error = await call_error(
            client,
            "chartdb_set_auto_sync",
            diagram_id=diagram_id,
            interval_minutes=5,
            connection="elsewhere",
        )
        assert "'elsewhere'" in error and "'live'" in error
        for bad in (-1, 20_000):
            error = await call_error(
                client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=bad
            )
            assert f"got {bad}" in error
        error = await call_error(
            client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes="often"
        )
        assert "interval_minutes" in error
        status = await call_ok(client, "chartdb_auto_sync_status", diagram_id=diagram_id)
        assert [d["enabled"] for d in status["diagrams"]] == [False]
        assert status["scheduler_running"] is False
        error = await call_error(client, "chartdb_auto_sync_status", diagram_id="nosuchdiagram")
        assert "'nosuchdiagram'" in error


async def test_set_auto_sync_turns_on_and_off(make_client: MakeClient, tmp_path: Path) -> None:
    async with make_client() as client:
        diagram_id = await new_diagram(client, "sqlite")
        url = empty_sqlite(tmp_path)
        await call_ok(client, "chartdb_add_connection", diagram_id=diagram_id, name="live", url=url)
        entry = await call_ok(
            client,
            "chartdb_set_auto_sync",
            diagram_id=diagram_id,
            interval_minutes=15,
            connection="live",
        )
        assert (entry["enabled"], entry["interval_minutes"], entry["connection"]) == (
            True,
            15,
            "live",
        )
        status = await call_ok(client, "chartdb_auto_sync_status")
        [line] = status["diagrams"]
        assert line["diagram_id"] == diagram_id and "last_outcome" not in line
        assert any("does not run automatic sync" in note for note in status["notes"])
        off = await call_ok(
            client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=0
        )
        assert off["enabled"] is False
        assert (await call_ok(client, "chartdb_auto_sync_status"))["diagrams"] == []
        again = await call_ok(
            client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=None
        )
        assert again["enabled"] is False


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_a_round_after_an_outside_change_records_drift(
    make_client: MakeClient, tmp_path: Path, dialect: str
) -> None:
    store_path = tmp_path / "store.sqlite"
    with loaded(dialect, tmp_path) as url:
        async with make_client(str(store_path)) as client:
            diagram_id = await imported(client, url)
            await call_ok(
                client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=10
            )
        run(dialect, url, DRIFT[dialect])
        started = utc_now()
        async with await open_store(store_path) as store:
            keys = lambda: source_of(env_keys(store_path))  # noqa: E731
            [(ran, outcome)] = await run_due(store, keys, now=started)
            assert ran == diagram_id and outcome.ok
            assert outcome.counts == {"SYNCED": 1, "DRIFT": 3} and outcome.drift_count == 3
            # Not due again until the interval has passed.
            assert await run_due(store, keys, now=started + timedelta(minutes=9)) == []
            [(again, _)] = await run_due(store, keys, now=started + timedelta(minutes=10))
            assert again == diagram_id
        async with make_client(str(store_path)) as client:
            status = await call_ok(client, "chartdb_auto_sync_status", diagram_id=diagram_id)
            [line] = status["diagrams"]
            assert line["last_outcome"]["counts"] == {"SYNCED": 1, "DRIFT": 3}
            assert line["last_outcome"]["drift_count"] == 3
            summary = await call_ok(client, "chartdb_status_summary", diagram_id=diagram_id)
            assert summary["counts"]["DRIFT"] == 3


async def test_one_failing_diagram_does_not_stop_the_others_and_hides_its_secret(
    make_client: MakeClient, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.sqlite"
    password = "pw-" + secrets.token_hex(8)
    with loaded("sqlite", tmp_path) as url:
        async with make_client(str(store_path)) as client:
            good = await imported(client, url)
            await call_ok(client, "chartdb_set_auto_sync", diagram_id=good, interval_minutes=1)
            bad = await new_diagram(client, "postgresql")
            # Nothing listens on port 1: the connection fails, with the password in the URL.
            await call_ok(
                client,
                "chartdb_add_connection",
                diagram_id=bad,
                name="down",
                url=f"postgresql://someone:{password}@127.0.0.1:1/nothing",
            )
            await call_ok(client, "chartdb_set_auto_sync", diagram_id=bad, interval_minutes=1)
        async with await open_store(store_path) as store:
            keys = lambda: source_of(env_keys(store_path))  # noqa: E731
            outcomes = dict(await run_due(store, keys))
        assert set(outcomes) == {good, bad}
        assert outcomes[good].ok and outcomes[good].counts == {"SYNCED": 4}
        assert not outcomes[bad].ok and outcomes[bad].error
        assert password not in outcomes[bad].error
        async with make_client(str(store_path)) as client:
            status = await call_ok(client, "chartdb_auto_sync_status")
        assert password not in str(status)
        errors = {d["diagram_id"]: d["last_outcome"].get("error") for d in status["diagrams"]}
        assert errors[good] is None and errors[bad]


async def test_the_scheduler_survives_a_failed_round_and_stops_when_cancelled(
    tmp_path: Path,
) -> None:
    store_path = tmp_path / "store.sqlite"
    rounds: list[float] = []
    async with await open_store(store_path) as store:
        opened = [False, True, True]

        def store_now() -> DiagramStore:
            # The first round finds no store (as while the server is still starting).
            if not opened[len(rounds)]:
                raise StoreError("The diagram store is not open: the server is not running.")
            return store

        async def tick(seconds: float) -> None:
            rounds.append(seconds)
            if len(rounds) == 3:
                scope.cancel()
            await anyio.sleep(0)

        with anyio.CancelScope() as scope:
            await run_scheduler(store_now, lambda: source_of(env_keys(store_path)), 7.0, sleep=tick)
    assert rounds == [7.0, 7.0, 7.0]


async def test_a_run_past_its_timeout_records_a_timeout(
    make_client: MakeClient, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.sqlite"
    with loaded("sqlite", tmp_path) as url:
        async with make_client(str(store_path)) as client:
            diagram_id = await imported(client, url)
            await call_ok(
                client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=1
            )
        async with await open_store(store_path) as store:
            keys = lambda: source_of(env_keys(store_path))  # noqa: E731
            [(ran, outcome)] = await run_due(store, keys, timeout=0)
    assert ran == diagram_id and not outcome.ok
    assert outcome.error == "sync-diff did not finish within 0 s."
