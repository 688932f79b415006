"""Automatic sync: per-diagram intervals, and the runs of sync-diff a scheduler makes.

Turning automatic sync on makes the diagram due at once, so its first run comes at the
scheduler's next tick; each run then schedules the next one `interval_minutes` after it
started. A run is the same verification as `chartdb/sync-diff` (the statuses it finds are
recorded as a diagram version when they change); its outcome is kept on the setting.

The scheduler runs diagrams one at a time, so two runs of one diagram never overlap, and
each run is bounded by a timeout. A failing diagram records its error and the scheduler
goes on with the next one.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import anyio
from pydantic import BaseModel, Field

from chartdb_mcp.core.model import utc_now
from chartdb_mcp.errors import ChartdbError, InvalidInput
from chartdb_mcp.service.connections import KeySourceFactory
from chartdb_mcp.service.sync_verify import verify_diagram
from chartdb_mcp.store import DiagramStore
from chartdb_mcp.store.auto_sync import AutoSyncSetting, AutoSyncStore, SyncOutcome
from chartdb_mcp.store.connections import ConnectionStore

logger = logging.getLogger(__name__)

RUN_TIMEOUT_SECONDS = 120.0
LONGEST_INTERVAL_MINUTES = 7 * 24 * 60
AUTHOR = "auto-sync"

Clock = Callable[[], datetime]


class AutoSyncEntry(BaseModel):
    """One diagram's automatic sync: its setting, its last run and its next one."""

    diagram_id: str
    enabled: bool
    interval_minutes: int | None = None
    connection: str | None = Field(default=None, description="None: the active connection.")
    last_run_at: datetime | None = None
    last_outcome: SyncOutcome | None = None
    next_run_at: datetime | None = None


class AutoSyncStatus(BaseModel):
    """Automatic sync per diagram, and whether this server runs the scheduler."""

    scheduler_running: bool
    diagrams: list[AutoSyncEntry] = Field(default_factory=list)
    diagrams_left_out: int = 0
    notes: list[str] = Field(default_factory=list)


async def set_auto_sync(
    store: DiagramStore,
    diagram_id: str,
    connection: str | None,
    interval_minutes: int | None,
    *,
    now: datetime | None = None,
) -> AutoSyncEntry:
    """Turn automatic sync on (every `interval_minutes`, at least 1) or off (0 or None).

    The connection is checked now (the named one, or the diagram's active one) and kept
    by name; None keeps following whichever connection is active. Raises DiagramNotFound,
    ConnectionProfileNotFound, or InvalidInput for an interval out of range. Nothing changes
    on an error.
    """
    settings = AutoSyncStore(store)
    if interval_minutes is not None and not 0 <= interval_minutes <= LONGEST_INTERVAL_MINUTES:
        raise InvalidInput(
            f"interval_minutes must be from 1 to {LONGEST_INTERVAL_MINUTES} (a week), or 0 "
            f"to turn automatic sync off; got {interval_minutes}."
        )
    if not interval_minutes:
        await settings.clear(diagram_id)
        logger.info("automatic sync of diagram %s turned off", diagram_id)
        return AutoSyncEntry(diagram_id=diagram_id, enabled=False)
    profile, _sealed = await ConnectionStore(store).get(diagram_id, connection)
    kept = profile.name if connection is not None else None
    stored = await settings.set(diagram_id, kept, interval_minutes, now or utc_now())
    logger.info(
        "automatic sync of diagram %s every %d min against %s",
        diagram_id,
        interval_minutes,
        kept or "its active connection",
    )
    return entry_of(stored)


async def auto_sync_status(
    store: DiagramStore,
    diagram_id: str | None,
    *,
    scheduler_running: bool,
    max_chars: int = 20_000,
) -> AutoSyncStatus:
    """The automatic sync of one diagram (also when off), or of every diagram that has it."""
    settings = await AutoSyncStore(store).list_settings(diagram_id)
    status = AutoSyncStatus(scheduler_running=scheduler_running)
    if diagram_id is not None and not settings:
        status.diagrams.append(AutoSyncEntry(diagram_id=diagram_id, enabled=False))
    budget = max_chars - 1_000
    for setting in settings:
        entry = entry_of(setting)
        budget -= 2 * len(entry.model_dump_json())
        if budget < 0:
            status.diagrams_left_out += 1
            continue
        status.diagrams.append(entry)
    if status.diagrams_left_out:
        status.notes.append(
            f"{status.diagrams_left_out} diagrams left out to stay within max_chars; "
            "name one in diagram_id or raise max_chars."
        )
    if not scheduler_running:
        status.notes.append(
            "This server does not run automatic sync (it serves over stdio without "
            "--auto-sync); settings are kept for a server that does."
        )
    return status


def entry_of(setting: AutoSyncSetting) -> AutoSyncEntry:
    """The status line of a stored setting."""
    return AutoSyncEntry(enabled=True, **setting.model_dump())


async def run_due(
    store: DiagramStore,
    keys: KeySourceFactory,
    *,
    now: datetime | None = None,
    timeout: float = RUN_TIMEOUT_SECONDS,
) -> list[tuple[str, SyncOutcome]]:
    """Run sync-diff once for every diagram due at `now`, one after another; record each.

    Returns each diagram run with its outcome. An error in one diagram is its outcome,
    never an exception: the next diagram still runs.
    """
    moment = now or utc_now()
    settings = AutoSyncStore(store)
    done: list[tuple[str, SyncOutcome]] = []
    for setting in await settings.list_settings():
        if setting.next_run_at > moment:
            continue
        outcome = await run_one(store, keys, setting, timeout)
        next_run = moment + timedelta(minutes=setting.interval_minutes)
        await settings.record_run(setting.diagram_id, moment, outcome, next_run)
        done.append((setting.diagram_id, outcome))
    return done


async def run_one(
    store: DiagramStore, keys: KeySourceFactory, setting: AutoSyncSetting, timeout: float
) -> SyncOutcome:
    """One bounded sync-diff of one diagram, as an outcome; logs one line."""
    started = time.perf_counter()
    try:
        with anyio.fail_after(timeout):
            report = await verify_diagram(
                store, keys, setting.diagram_id, setting.connection, author=AUTHOR, max_chars=2_000
            )
    except TimeoutError:
        outcome = SyncOutcome(ok=False, error=f"sync-diff did not finish within {timeout:g} s.")
    except ChartdbError as error:
        # The live layer scrubs secrets from driver messages before they become errors.
        outcome = SyncOutcome(ok=False, error=str(error))
    except Exception:
        logger.exception("automatic sync of diagram %s failed unexpectedly", setting.diagram_id)
        outcome = SyncOutcome(
            ok=False, error="sync-diff failed unexpectedly; the server's log has the details."
        )
    else:
        outcome = SyncOutcome(
            ok=True,
            counts=report.counts,
            drift_count=report.counts.get("DRIFT", 0),
            recorded_version=report.version if report.recorded else None,
        )
    outcome.seconds = round(time.perf_counter() - started, 3)
    if outcome.ok:
        logger.info(
            "automatic sync of diagram %s: %s, %d drift (%.1f s)",
            setting.diagram_id,
            ", ".join(f"{n} {s}" for s, n in outcome.counts.items()) or "no tables",
            outcome.drift_count,
            outcome.seconds,
        )
    else:
        logger.warning("automatic sync of diagram %s failed: %s", setting.diagram_id, outcome.error)
    return outcome


async def run_scheduler(
    store: Callable[[], DiagramStore],
    keys: KeySourceFactory,
    tick_seconds: float,
    *,
    clock: Clock = utc_now,
    sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
) -> None:
    """Wake every `tick_seconds` and run the due diagrams, until cancelled."""
    logger.info("automatic sync scheduler started (tick %g s)", tick_seconds)
    try:
        while True:
            try:
                await run_due(store(), keys, now=clock())
            except Exception:
                # A broken store or setting must not end the scheduler: log and wait.
                logger.exception("automatic sync scheduler: a round failed")
            await sleep(tick_seconds)
    finally:
        logger.info("automatic sync scheduler stopped")
