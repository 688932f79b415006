"""Running one checked statement against a live database, bounded in time and rows.

`run_statement` is blocking: call it in a worker thread. It opens one connection, runs
the statement in one transaction guarded by `guards.begin`, reads at most `row_cap + 1`
rows from a streaming cursor (so a query producing millions of rows never loads them),
and ends the transaction: rolled back unless a write was asked to commit. Errors keep
the database's own words with every secret removed.
"""

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import QueryFailed
from chartdb_mcp.live.engines import connect, driver_message, scrub
from chartdb_mcp.live.query import guards
from chartdb_mcp.live.query.values import JsonValue, json_value
from chartdb_mcp.live.target import ConnectionTarget

logger = logging.getLogger(__name__)

# Rows a streaming cursor fetches from the server at a time.
STREAM_BATCH = 500
# Driver error codes for "stopped by the statement timeout".
MYSQL_TIMEOUT_CODES = frozenset({1969, 3024})
POSTGRES_CANCELED = "57014"

Parameter = str | int | float | bool | None


@dataclass(frozen=True)
class QueryRequest:
    """What to run and within which bounds. `commit` matters only for writes."""

    sql: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    read_only: bool = True
    commit: bool = False
    timeout: float = 30.0
    row_cap: int = 1000
    # The tables the statement names, checked before a MySQL dry run.
    tables: tuple[tuple[str | None, str], ...] = ()


@dataclass(frozen=True)
class QueryOutcome:
    """Rows as JSON-safe values, their columns and types, and what happened."""

    columns: list[str]
    types: list[str]
    rows: list[list[JsonValue]]
    truncated: bool
    affected_rows: int | None
    committed: bool
    seconds: float
    server_version: str | None


def run_statement(target: ConnectionTarget, request: QueryRequest) -> QueryOutcome:
    """Run `request.sql` (already checked by the caller) and return its outcome.

    Raises ConnectionFailed when the database cannot be reached and QueryFailed when it
    refuses the statement or the timeout stops it; in both cases nothing is committed.
    """
    started = time.monotonic()
    with connect(target, failure=QueryFailed) as connection:
        version = server_version(connection)
        problem = ""
        try:
            return _run(connection, target, request, started, version)
        except SQLAlchemyError as error:
            problem = describe_failure(error, target, request.timeout)
        logger.info("query on %s failed: %s", target.display, problem)
        raise QueryFailed(problem)


def _run(
    connection: Connection,
    target: ConnectionTarget,
    request: QueryRequest,
    started: float,
    version: str | None,
) -> QueryOutcome:
    committed = False
    try:
        guards.begin(connection, target, read_only=request.read_only, timeout=request.timeout)
        if not request.read_only and not request.commit:
            guards.check_dry_run(connection, target, request.tables)
        streaming = connection.execution_options(
            stream_results=request.read_only, max_row_buffer=STREAM_BATCH
        )
        result = streaming.execute(text(request.sql), request.parameters)
        columns, types, rows, truncated = _read_rows(result, request.row_cap)
        affected = None if result.returns_rows else max(result.rowcount, 0)
        _close(result, connection, target, truncated)
        committed = request.commit and not request.read_only
    finally:
        if not connection.invalidated:
            guards.finish(connection, target, commit=committed)
    return QueryOutcome(
        columns=columns,
        types=types,
        rows=rows,
        truncated=truncated,
        affected_rows=affected,
        committed=committed,
        seconds=time.monotonic() - started,
        server_version=version,
    )


def _read_rows(
    result: CursorResult[Any], cap: int
) -> tuple[list[str], list[str], list[list[JsonValue]], bool]:
    """At most `cap` rows (one more is read to learn whether there are more)."""
    if not result.returns_rows:
        return [], [], [], False
    columns = [str(name) for name in result.keys()]  # noqa: SIM118
    types = ["null"] * len(columns)
    fetched = result.fetchmany(cap + 1)
    truncated = len(fetched) > cap
    rows: list[list[JsonValue]] = []
    for raw in fetched[:cap]:
        row: list[JsonValue] = []
        for position, value in enumerate(raw):
            converted, kind = json_value(value)
            if types[position] == "null":
                types[position] = kind
            row.append(converted)
        rows.append(row)
    return columns, types, rows, truncated


def _close(
    result: CursorResult[Any], connection: Connection, target: ConnectionTarget, truncated: bool
) -> None:
    """Drop the rest of a cut-off result without reading it."""
    if truncated and target.database_type in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        # An unbuffered MySQL result must be read to its end before the connection can be
        # used again; closing the connection instead stops the server from sending it.
        # https://github.com/PyMySQL/PyMySQL/blob/main/pymysql/connections.py: a result
        # marked inactive is not drained when its cursor closes.
        unread = getattr(result.cursor, "_result", None)
        if unread is not None:
            unread.unbuffered_active = False
        connection.invalidate()
        return
    result.close()


def server_version(connection: Connection) -> str | None:
    """The server's version as the dialect read it at connect time."""
    info = connection.dialect.server_version_info
    if not info:
        return None
    return ".".join(str(part) for part in info)


def describe_failure(error: SQLAlchemyError, target: ConnectionTarget, timeout: float) -> str:
    """The database's message, secrets removed, with timeouts said plainly."""
    if is_timeout(error, target):
        return (
            f"The query ran longer than its {timeout:g}s timeout and was stopped by the "
            "database; nothing was changed."
        )
    return f"The database refused the query: {scrub(driver_message(error), target)}"


def is_timeout(error: SQLAlchemyError, target: ConnectionTarget) -> bool:
    original = error.orig if isinstance(error, DBAPIError) else None
    if original is None:
        return False
    kind = target.database_type
    if kind == DatabaseType.POSTGRESQL:
        return getattr(original, "sqlstate", None) == POSTGRES_CANCELED
    if kind == DatabaseType.SQLITE:
        return "interrupted" in str(original)
    args: tuple[object, ...] = tuple(getattr(original, "args", ()))
    return bool(args) and args[0] in MYSQL_TIMEOUT_CODES
