"""Automatic sync in a real server process: on over streamable HTTP, off under stdio."""

import os
from pathlib import Path

import anyio
import pytest
from mcp import Client

from chartdb_mcp.config import AUTO_SYNC_TICK_ENV
from support.mcp_client import call_ok
from support.processes import http_server, stdio_parameters
from sync.live_schemas import DRIFT, loaded, run

pytestmark = pytest.mark.anyio

POLLS = 150
POLL_SECONDS = 0.2


async def test_streamable_http_server_runs_a_due_diagram_and_records_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The scheduler wakes every 0.2 s instead of every 30 s; the interval stays 1 minute
    # (turning automatic sync on makes the diagram due at once).
    monkeypatch.setenv(AUTO_SYNC_TICK_ENV, "0.2")
    log = tmp_path / "log"
    with (
        loaded("sqlite", tmp_path) as url,
        http_server(tmp_path / "store.sqlite", "streamable-http", log) as port,
    ):
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            report = await call_ok(client, "chartdb_import_database", url=url)
            diagram_id = report["diagram_id"]
            await call_ok(
                client, "chartdb_add_connection", diagram_id=diagram_id, name="live", url=url
            )
            run("sqlite", url, DRIFT["sqlite"])
            await call_ok(
                client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=1
            )
            line: dict[str, object] = {}
            for _ in range(POLLS):
                status = await call_ok(client, "chartdb_auto_sync_status", diagram_id=diagram_id)
                [line] = status["diagrams"]
                if "last_outcome" in line:
                    break
                await anyio.sleep(POLL_SECONDS)
            assert status["scheduler_running"] is True
            assert line["last_outcome"] == {
                "ok": True,
                "counts": {"SYNCED": 1, "DRIFT": 3},
                "drift_count": 3,
                "recorded_version": 2,
                "seconds": line["last_outcome"]["seconds"],  # type: ignore[index]
            }
            summary = await call_ok(client, "chartdb_status_summary", diagram_id=diagram_id)
            assert summary["counts"]["DRIFT"] == 3
    errors = log.read_text()
    assert "automatic sync scheduler started (tick 0.2 s)" in errors
    assert f"automatic sync of diagram {diagram_id}: 1 SYNCED, 3 DRIFT, 3 drift" in errors
    assert "automatic sync scheduler stopped" in errors
    assert log.with_suffix(".stdout").read_text() == ""


async def test_stdio_server_keeps_settings_but_runs_no_scheduler(tmp_path: Path) -> None:
    async with Client(stdio_parameters(tmp_path / "store.sqlite")) as client:
        status = await call_ok(client, "chartdb_auto_sync_status")
    assert status["scheduler_running"] is False
    assert any("--auto-sync" in note for note in status["notes"])


async def test_stdio_server_with_the_flag_runs_the_scheduler(tmp_path: Path) -> None:
    plain = stdio_parameters(tmp_path / "store.sqlite", "--auto-sync")
    parameters = plain.model_copy(update={"env": {**os.environ, AUTO_SYNC_TICK_ENV: "0.2"}})
    with loaded("sqlite", tmp_path) as url:
        async with Client(parameters) as client:
            report = await call_ok(client, "chartdb_import_database", url=url)
            diagram_id = report["diagram_id"]
            await call_ok(
                client, "chartdb_add_connection", diagram_id=diagram_id, name="live", url=url
            )
            await call_ok(
                client, "chartdb_set_auto_sync", diagram_id=diagram_id, interval_minutes=1
            )
            for _ in range(POLLS):
                status = await call_ok(client, "chartdb_auto_sync_status")
                [line] = status["diagrams"]
                if "last_outcome" in line:
                    break
                await anyio.sleep(POLL_SECONDS)
    assert status["scheduler_running"] is True
    assert line["last_outcome"]["counts"] == {"SYNCED": 4}
