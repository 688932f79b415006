"""Running SQL through a connection profile: read-only by default, writes only on request.

A read passes the read-only classifier (one statement that only reads) and then runs in
a transaction the database itself keeps read-only, always rolled back. A write needs a
profile that allows writes, and on a production profile the lifted guard as well; it
runs in one transaction that is committed only when the caller says so (otherwise it is
a dry run, rolled back). Every run, refused or not, is recorded in the profile's history.
"""

import json
import logging
import time
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any

import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.connections import ConnectionProfile
from chartdb_mcp.core.formats.result_table import result_table
from chartdb_mcp.core.model import DatabaseType, utc_now
from chartdb_mcp.core.sql.binding import mark_parameters
from chartdb_mcp.core.sql.readonly import (
    Statement,
    check_read_only,
    parse_single,
    rolls_back_on_mysql,
    tables_of,
)
from chartdb_mcp.errors import ChartdbError, QueryRefused
from chartdb_mcp.live.query.runner import Parameter, QueryOutcome, QueryRequest, run_statement
from chartdb_mcp.live.query.values import JsonValue
from chartdb_mcp.service.connections import KeySourceFactory, open_profile
from chartdb_mcp.service.query_library import resolve_sql
from chartdb_mcp.store import DiagramStore
from chartdb_mcp.store.connections import ConnectionStore, HistoryEntry

logger = logging.getLogger(__name__)


class _WithoutQueryText(logging.Filter):
    """Drops sqlglot's notes on unsupported syntax: they quote the query, which is user data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "unsupported syntax" not in record.getMessage()


logging.getLogger("sqlglot").addFilter(_WithoutQueryText())

LONGEST_HISTORY_SQL = 10_000
TEMPLATE_SAMPLE_ROWS = 20
# Statement kinds that would end our transaction from inside it.
TRANSACTION_KINDS = frozenset({"TRANSACTION", "COMMIT", "ROLLBACK", "BEGIN", "END", "START"})
# https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html: DDL, GRANT, ... commit at once.
MYSQL_FAMILY = (DatabaseType.MYSQL, DatabaseType.MARIADB)


class QueryMode(StrEnum):
    """Whether a query may change data."""

    READ = "read"
    WRITE = "write"


class QueryColumn(BaseModel):
    """A result column and the type its values were read as."""

    name: str
    type: str


class QueryReport(BaseModel):
    """A query's outcome: columns, typed JSON-safe rows, and what was cut or committed."""

    connection: str
    environment: str
    dialect: str
    mode: QueryMode
    statement: str = Field(description="The statement's kind, e.g. SELECT or UPDATE.")
    columns: list[QueryColumn]
    rows: list[list[JsonValue]]
    row_count: int = Field(description="Rows in `rows`.")
    row_cap: int
    truncated: bool = Field(description="The database had more rows than the row cap.")
    rows_cut_for_size: int = Field(
        default=0, description="Rows read but left out to keep the answer within max_chars."
    )
    affected_rows: int | None = None
    committed: bool = False
    dry_run: bool = False
    seconds: float
    server_version: str | None = None
    table: str = Field(default="", exclude=True)


async def query_database(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    connection: str | None,
    sql: str | None,
    *,
    saved_query: str | None = None,
    template: str | None = None,
    table: str | None = None,
    parameters: dict[str, Parameter] | None = None,
    mode: QueryMode = QueryMode.READ,
    commit: bool = False,
    timeout: float = 30.0,
    row_cap: int = 200,
    max_chars: int = 20_000,
) -> QueryReport:
    """Run one statement through a profile (the active one when `connection` is None).

    Raises QueryRefused before touching the database when the statement is not a
    single read in read mode, or when the profile does not allow the write; QueryFailed
    when the database refuses it or the timeout stops it; ConnectionFailed when it
    cannot be reached. Nothing is committed unless a write was asked to commit.
    """
    source = QuerySource(sql, saved_query, template, table, dict(parameters or {}))
    executed = await run_query(
        store,
        keys,
        diagram_id,
        connection,
        source,
        mode=mode,
        commit=commit,
        timeout=timeout,
        row_cap=row_cap,
    )
    return report_of(
        executed.profile, executed.statement, mode, executed.outcome, row_cap, max_chars
    )


@dataclass(frozen=True)
class QuerySource:
    """Where the text comes from (exactly one of sql, saved_query, template) and its values."""

    sql: str | None
    saved_query: str | None = None
    template: str | None = None
    table: str | None = None
    parameters: dict[str, Parameter] = field(default_factory=dict)


@dataclass(frozen=True)
class Executed:
    """A statement that ran: the profile it ran on, what it was, and its whole outcome."""

    profile: ConnectionProfile
    statement: Statement
    outcome: QueryOutcome


async def run_query(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    connection: str | None,
    source: QuerySource,
    *,
    mode: QueryMode = QueryMode.READ,
    commit: bool = False,
    timeout: float = 30.0,
    row_cap: int = 200,
) -> Executed:
    """Check and run a statement as `query_database` does, returning every row read."""
    writes = mode is QueryMode.WRITE
    profile, target = await open_profile(store, keys, diagram_id, connection, writable=writes)
    text = await resolve_sql(
        store,
        diagram_id,
        profile.dialect,
        sql=source.sql,
        saved_query=source.saved_query,
        template=source.template,
        table=source.table,
    )
    values = dict(source.parameters)
    if source.template is not None and ":limit" in text:
        values.setdefault("limit", TEMPLATE_SAMPLE_ROWS)
    started_at, started = utc_now(), time.monotonic()
    try:
        # Parsing a long text takes seconds; do it off the event loop so other calls
        # are answered meanwhile.
        statement, marked = await anyio.to_thread.run_sync(
            partial(prepared, profile, text, mode, commit, set(values))
        )
        request = QueryRequest(
            sql=marked,
            parameters=values,
            read_only=not writes,
            commit=commit and writes,
            timeout=timeout,
            row_cap=row_cap,
            tables=tables_of(statement),
        )
        outcome = await anyio.to_thread.run_sync(
            partial(run_statement, target, request), abandon_on_cancel=True
        )
    except ChartdbError as error:
        await _record(store, profile, text, mode, started_at, started, None, error)
        raise
    await _record(store, profile, text, mode, started_at, started, outcome, None)
    logger.info(
        "query on connection %r (%s): %s, %d rows%s",
        profile.name,
        mode.value,
        statement.kind,
        len(outcome.rows),
        ", committed" if outcome.committed else "",
    )
    return Executed(profile=profile, statement=statement, outcome=outcome)


def prepared(
    profile: ConnectionProfile, sql: str, mode: QueryMode, commit: bool, names: set[str]
) -> tuple[Statement, str]:
    """The checked statement and its text with only the real parameters marked."""
    statement = checked_statement(profile, sql, mode, commit)
    marked, _used = mark_parameters(sql, profile.dialect, names)
    return statement, marked


def checked_statement(
    profile: ConnectionProfile, sql: str, mode: QueryMode, commit: bool
) -> Statement:
    """The parsed statement, if the profile and mode allow it; raises QueryRefused."""
    if mode is QueryMode.READ:
        return check_read_only(sql, profile.dialect)
    if not profile.allow_writes:
        raise QueryRefused(
            f"Connection {profile.name!r} does not allow writes; the person can enable them "
            "with update-connection allow_writes=true."
        )
    if profile.is_production and not profile.production_writes_unlocked:
        raise QueryRefused(
            f"Connection {profile.name!r} is labelled {profile.environment!r}, so writes "
            "stay refused until the person lifts the guard: update-connection "
            "production_writes_unlocked=true asks them, or they run chartdb-mcp "
            "unlock-production themselves."
        )
    statement = parse_single(sql, profile.dialect)
    if statement.kind in TRANSACTION_KINDS:
        raise QueryRefused(
            "Transaction control is not accepted: every write runs in its own transaction; "
            "use commit=true or a dry run instead."
        )
    if profile.dialect in MYSQL_FAMILY and not commit and not rolls_back_on_mysql(statement):
        raise QueryRefused(
            f"{profile.dialect.value} commits a {statement.kind} statement at once, so it "
            "cannot be dry-run; pass commit=true to run it for real."
        )
    return statement


def report_of(
    profile: ConnectionProfile,
    statement: Statement,
    mode: QueryMode,
    outcome: QueryOutcome,
    row_cap: int,
    max_chars: int,
) -> QueryReport:
    """The outcome shaped to fit `max_chars`: half for rows as JSON, most of the rest as text."""
    rows_budget = max_chars // 2
    kept: list[list[JsonValue]] = []
    used = 0
    for row in outcome.rows:
        size = len(json.dumps(row, ensure_ascii=False)) + 1
        if used + size > rows_budget:
            break
        kept.append(row)
        used += size
    table, _shown = result_table(outcome.columns, kept, max_chars // 3)
    return QueryReport(
        connection=profile.name,
        environment=profile.environment,
        dialect=profile.dialect.value,
        mode=mode,
        statement=statement.kind,
        columns=[
            QueryColumn(name=name, type=kind)
            for name, kind in zip(outcome.columns, outcome.types, strict=True)
        ],
        rows=kept,
        row_count=len(kept),
        row_cap=row_cap,
        truncated=outcome.truncated,
        rows_cut_for_size=len(outcome.rows) - len(kept),
        affected_rows=outcome.affected_rows,
        committed=outcome.committed,
        dry_run=mode is QueryMode.WRITE and not outcome.committed,
        seconds=round(outcome.seconds, 3),
        server_version=outcome.server_version,
        table=table,
    )


async def _record(
    store: DiagramStore,
    profile: ConnectionProfile,
    sql: str,
    mode: QueryMode,
    started_at: Any,
    started: float,
    outcome: QueryOutcome | None,
    error: ChartdbError | None,
) -> None:
    status = "ok" if error is None else ("refused" if isinstance(error, QueryRefused) else "error")
    entry = HistoryEntry(
        connection_id=profile.id,
        started_at=started_at,
        duration_ms=round((time.monotonic() - started) * 1000, 3),
        sql=sql[:LONGEST_HISTORY_SQL],
        mode=mode.value,
        status=status,
        row_count=len(outcome.rows) if outcome is not None else None,
        error=str(error) if error is not None else None,
    )
    await ConnectionStore(store).record_history(entry)
