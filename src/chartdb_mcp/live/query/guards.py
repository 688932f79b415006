"""The database's own half of read-only mode, and the statement timeout, per dialect.

`begin` opens the transaction a query runs in. In read-only mode the database refuses
any write for the rest of it:

- PostgreSQL: `SET TRANSACTION READ ONLY` as the transaction's first statement (the same
  as `BEGIN READ ONLY`) and `SET LOCAL statement_timeout`;
- MySQL / MariaDB: `START TRANSACTION READ ONLY` after a session statement timeout
  (`max_statement_time` on MariaDB, `max_execution_time` on MySQL);
- SQLite: the file opened with `mode=ro`, `PRAGMA query_only`, an authorizer that allows
  reading only (no ATTACH, no PRAGMA that sets, no load_extension), and a progress
  handler that interrupts the statement at its deadline.

The caller always ends the transaction with a rollback in read-only mode.
"""

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import QueryRefused
from chartdb_mcp.live.target import ConnectionTarget

# https://www.sqlite.org/c3ref/c_alter_table.html: the actions a read may need.
SQLITE_READ_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_RECURSIVE,
    }
)
# Functions a read may not call even though SQLite lists them as functions.
SQLITE_DENIED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit"})
# How many SQLite virtual-machine steps pass between two looks at the clock.
PROGRESS_STEPS = 10_000


def begin(
    connection: Connection, target: ConnectionTarget, *, read_only: bool, timeout: float
) -> None:
    """Open the query's transaction with the database's guards in place."""
    kind = target.database_type
    if kind == DatabaseType.POSTGRESQL:
        if read_only:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds(timeout)}")
    elif kind in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        if is_mariadb(connection):
            # https://mariadb.com/kb/en/aborting-statements/: seconds, any statement
            connection.exec_driver_sql(f"SET SESSION max_statement_time = {timeout:.3f}")
        else:
            # https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_max_execution_time
            connection.exec_driver_sql(f"SET SESSION max_execution_time = {milliseconds(timeout)}")
        connection.exec_driver_sql(
            "START TRANSACTION READ ONLY" if read_only else "START TRANSACTION"
        )
    elif kind == DatabaseType.SQLITE:
        raw = sqlite_connection(connection)
        raw.set_progress_handler(deadline_handler(timeout), PROGRESS_STEPS)
        if read_only:
            raw.execute("PRAGMA query_only = ON")
            raw.set_authorizer(read_only_authorizer)
        else:
            # Python's sqlite3 starts no transaction before DDL; begin one ourselves so a
            # dry run can roll back anything.
            raw.isolation_level = None
            raw.execute("BEGIN")


# https://mariadb.com/kb/en/storage-engines/: engines whose changes a ROLLBACK undoes.
TRANSACTIONAL_ENGINES = frozenset({"innodb", "rocksdb", "tokudb"})


def check_dry_run(
    connection: Connection, target: ConnectionTarget, tables: Sequence[tuple[str | None, str]]
) -> None:
    """Raise QueryRefused when a MySQL or MariaDB dry run names a table whose changes a
    rollback would keep (MyISAM, Aria, MEMORY, ...)."""
    if target.database_type not in (DatabaseType.MYSQL, DatabaseType.MARIADB):
        return
    kept: list[str] = []
    for schema, name in tables:
        row = connection.execute(
            text(
                "SELECT engine FROM information_schema.tables "
                "WHERE table_schema = COALESCE(:schema, DATABASE()) AND table_name = :name"
            ),
            {"schema": schema, "name": name},
        ).first()
        engine = row[0] if row is not None else None
        if engine is not None and str(engine).lower() not in TRANSACTIONAL_ENGINES:
            kept.append(f"{name!r} ({engine})")
    if kept:
        raise QueryRefused(
            f"The statement cannot be dry-run: a rollback does not undo changes to "
            f"{', '.join(kept)}; pass commit=true to run it for real."
        )


def finish(connection: Connection, target: ConnectionTarget, *, commit: bool) -> None:
    """End the query's transaction: commit only when asked, otherwise roll back."""
    if target.database_type == DatabaseType.SQLITE:
        raw = sqlite_connection(connection)
        raw.set_authorizer(None)
        raw.set_progress_handler(None, PROGRESS_STEPS)
        if raw.in_transaction:
            raw.execute("COMMIT" if commit else "ROLLBACK")
        connection.rollback()
        return
    if commit:
        connection.commit()
    else:
        connection.rollback()


def milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def is_mariadb(connection: Connection) -> bool:
    return bool(getattr(connection.dialect, "is_mariadb", False))


def sqlite_connection(connection: Connection) -> sqlite3.Connection:
    """The driver's own connection under SQLAlchemy's."""
    raw: Any = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def deadline_handler(timeout: float) -> Any:
    """A progress handler that interrupts the running statement once `timeout` has passed."""
    deadline = time.monotonic() + timeout

    def interrupt_when_late() -> int:
        return 1 if time.monotonic() > deadline else 0

    return interrupt_when_late


def read_only_authorizer(
    action: int, _first: str | None, second: str | None, _database: str | None, _trigger: str | None
) -> int:
    """Allow what reading needs and deny everything else, before SQLite runs the statement."""
    # https://www.sqlite.org/c3ref/c_alter_table.html: SQLITE_FUNCTION names the function
    # in its second argument.
    if action == sqlite3.SQLITE_FUNCTION and (second or "").lower() in SQLITE_DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action in SQLITE_READ_ACTIONS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY
