"""Opening the SQLite file, running transactions, and turning SQLite errors into ours.

Connections run in autocommit mode (`isolation_level=None`): every transaction is
opened here, explicitly, so none is ever left open by accident.
"""

import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiosqlite
import anyio
import anyio.to_thread

from chartdb_mcp.errors import StoreError

logger = logging.getLogger(__name__)

MEMORY = ":memory:"

# SQLite result codes, from https://www.sqlite.org/rescode.html
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOTADB = 26


def is_memory(path: str | Path) -> bool:
    """True for the in-memory database, which has no file and no journal."""
    return str(path) == MEMORY


async def connect(path: str | Path, busy_timeout: float) -> aiosqlite.Connection:
    """An open connection with foreign keys on; a file's parent folders are created.

    Nothing in the file is read or changed yet. Raises `StoreError` naming the path
    when the file cannot be opened.
    """
    with translate_errors(path, "open"):
        if not is_memory(path):
            _make_parent(Path(path))
            await anyio.to_thread.run_sync(_probe, path)
        connection = await aiosqlite.connect(path, timeout=busy_timeout, isolation_level=None)
    try:
        with translate_errors(path, "open"):
            connection.row_factory = sqlite3.Row
            await run(connection, "PRAGMA foreign_keys = ON")
    except BaseException:
        with anyio.CancelScope(shield=True):
            await connection.close()
        raise
    return connection


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"Cannot create the folder {str(path.parent)!r} for the diagram store: "
            f"{error.strerror or error}."
        ) from error


def _probe(path: str | Path) -> None:
    # An aiosqlite connection that fails to open leaves its worker thread to report to
    # the event loop later, which fails noisily once the loop has closed. Opening the
    # file once with plain sqlite3 first turns that failure into a clean error.
    sqlite3.connect(path).close()


async def use_wal(connection: aiosqlite.Connection, path: str | Path) -> None:
    """Switch a store file to the WAL journal (a lasting property of the file).

    WAL lets readers, in this process or another, proceed while one writer writes.
    Where the file system cannot share WAL memory (some network drives), the file keeps
    its journal mode and a warning is logged.
    """
    if is_memory(path):
        return
    rows = await fetch_all(connection, "PRAGMA journal_mode = WAL")
    mode = str(rows[0][0]).lower() if rows else "unknown"
    if mode != "wal":
        logger.warning("diagram store %s stays in %s journal mode, not WAL", path, mode)


async def run(
    connection: aiosqlite.Connection, sql: str, parameters: tuple[object, ...] = ()
) -> None:
    """Execute one statement whose result rows, if any, are not needed."""
    async with connection.execute(sql, parameters):
        pass


async def fetch_all(
    connection: aiosqlite.Connection, sql: str, parameters: tuple[object, ...] = ()
) -> list[sqlite3.Row]:
    """Execute one query and return all its rows."""
    return list(await connection.execute_fetchall(sql, parameters))


@asynccontextmanager
async def immediate_transaction(connection: aiosqlite.Connection) -> AsyncIterator[None]:
    """A write transaction that holds the database's write lock from its first statement.

    `BEGIN IMMEDIATE` makes concurrent writers (in this process or another) wait their
    turn for up to the busy timeout instead of discovering the conflict at their first
    write. The body's changes are committed together, or, on any exception or
    cancellation, rolled back together.
    """
    try:
        await run(connection, "BEGIN IMMEDIATE")
        yield
        # Once the body has finished, the commit is not abandoned halfway by a cancel.
        with anyio.CancelScope(shield=True):
            await run(connection, "COMMIT")
    except BaseException:
        # Queued behind any statement still running, so it also undoes a BEGIN that a
        # cancellation interrupted; a no-op when no transaction is open.
        with anyio.CancelScope(shield=True):
            await connection.rollback()
        raise


@contextmanager
def translate_errors(path: str | Path, action: str) -> Iterator[None]:
    """Re-raise SQLite errors as `StoreError`, naming the store file and what failed."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(describe(error, path, action)) from error


def describe(error: sqlite3.Error, path: str | Path, action: str) -> str:
    """A full-sentence message for a SQLite error met while doing `action` on `path`."""
    code = getattr(error, "sqlite_errorcode", None)
    shown = repr(str(path))
    if code is not None and code & 0xFF == SQLITE_NOTADB:
        return f"The file {shown} is not a SQLite database, so it cannot be a diagram store."
    if code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
        return (
            f"The diagram store {shown} stayed locked by another process for too long "
            f"({action}); try again."
        )
    return f"Cannot {action} the diagram store {shown}: {error}."
