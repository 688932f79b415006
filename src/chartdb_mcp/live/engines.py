"""Engines and connections for live databases, with errors made safe to show.

`connect` opens one connection to a target, gives up on an unreachable host after
`CONNECT_TIMEOUT` seconds, and disposes of the engine afterwards. Driver errors become
`ConnectionFailed` (before the connection is made) or the caller's error class (after).
Their messages keep what the database said, with every secret and the full URL removed.
A connection failure is raised outside the `except` block, so it chains nothing: the
driver's exception (which may quote the connection string) goes nowhere. An error from
the body keeps the driver's exception as suppressed context (Python attaches it while
the `with` statement unwinds); it holds the failing SQL, never the URL or the password.
"""

import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import pymysql
from pymysql.charset import charset_by_name
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import (
    ChartdbError,
    ConnectionFailed,
    IntrospectionFailed,
    InvalidConnectionTarget,
)
from chartdb_mcp.live.target import ConnectionTarget

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10
# Secrets this short could hide in any word; a message that contains one is not shown.
SHORTEST_MASKABLE_SECRET = 4
HIDDEN = "[hidden]"
DETAILS_WITHHELD = "(the database's message is withheld because it might contain the password)"
# https://docs.sqlalchemy.org/en/20/dialects/mysql.html#ssl-connections: SQLAlchemy folds
# these URL options into PyMySQL's `ssl` argument; every other option goes to PyMySQL as is.
SQLALCHEMY_MYSQL_OPTIONS = frozenset({"ssl_capath", "ssl_cipher", "ssl_check_hostname"})
# Errors a driver raises for an option it cannot use, before it has said a word to a server.
OPTION_ERRORS = (TypeError, ValueError, AttributeError, LookupError)


def create_live_engine(target: ConnectionTarget) -> Engine:
    """An engine for `target` that connects on demand and keeps no pool.

    Raises InvalidConnectionTarget when the dialect cannot convert a URL option's value.
    """
    problem = ""
    try:
        engine = create_engine(target.url, poolclass=NullPool, connect_args=connect_args(target))
    except OPTION_ERRORS as error:
        # The dialect converts option values here, e.g. int('abc') for connect_timeout.
        problem = scrub(f"({error})", target)
    if problem:
        raise InvalidConnectionTarget(
            f"An option of the URL {target.display} has a value the driver cannot use {problem}."
        )
    if is_mysql(target):
        event.listen(engine, "connect", lift_read_timeout)
    return engine


def connect_args(target: ConnectionTarget) -> dict[str, Any]:
    """Driver arguments: a connect timeout for network databases, a name in the server logs."""
    if target.database_type == DatabaseType.POSTGRESQL:
        # https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT
        return {"connect_timeout": CONNECT_TIMEOUT, "application_name": "chartdb-mcp"}
    if is_mysql(target):
        # https://pymysql.readthedocs.io/en/latest/modules/connections.html: connect_timeout
        # covers the TCP connect only; read_timeout also bounds waiting for the greeting.
        return {"connect_timeout": CONNECT_TIMEOUT, "read_timeout": CONNECT_TIMEOUT}
    return {}


def is_mysql(target: ConnectionTarget) -> bool:
    """MySQL or MariaDB, both spoken to through PyMySQL."""
    return target.database_type in (DatabaseType.MYSQL, DatabaseType.MARIADB)


def lift_read_timeout(dbapi_connection: Any, _record: Any) -> None:
    """Once the login is done, let catalog queries run as long as they need."""
    # https://github.com/PyMySQL/PyMySQL/blob/main/pymysql/connections.py (_read_timeout
    # is re-applied to the socket before each read; there is no public setter)
    dbapi_connection._read_timeout = None


@contextmanager
def connect(
    target: ConnectionTarget, *, failure: type[ChartdbError] = IntrospectionFailed
) -> Iterator[Connection]:
    """Yield an open connection to `target`; close it and dispose of the engine after.

    Raises InvalidConnectionTarget naming a URL option the driver does not know,
    ConnectionFailed when the database cannot be reached or refuses the login, and
    `failure` when a database error escapes the `with` body. Project errors pass through.
    """
    check_driver_options(target)
    engine = create_live_engine(target)
    try:
        connection = open_connection(engine, target)
        with connection:
            yield from guarded(connection, target, failure)
    finally:
        engine.dispose()


def check_driver_options(target: ConnectionTarget) -> None:
    """Raise InvalidConnectionTarget for a MySQL URL option or charset PyMySQL does not know.

    PyMySQL reports those as a TypeError or AttributeError that names neither; other
    drivers (libpq, SQLite) name a bad option themselves when connecting.
    """
    if not is_mysql(target):
        return
    unknown = sorted(key for key in target.url.query if key not in mysql_options())
    if unknown:
        listed = ", ".join(repr(key) for key in unknown)
        raise InvalidConnectionTarget(
            f"The URL option {listed} of {target.display} is not a MySQL connection option; "
            "remove it (see https://pymysql.readthedocs.io/en/latest/modules/connections.html)."
        )
    charset = target.url.query.get("charset")
    if isinstance(charset, str) and charset_by_name(charset) is None:
        raise InvalidConnectionTarget(
            f"The URL option charset={charset!r} of {target.display} names no character set "
            "MySQL clients know; use one such as utf8mb4."
        )


@cache
def mysql_options() -> frozenset[str]:
    """The URL query options that reach PyMySQL's connect call and are accepted there."""
    # https://pymysql.readthedocs.io/en/latest/modules/connections.html (keyword arguments)
    accepted = inspect.signature(pymysql.connections.Connection.__init__).parameters
    return frozenset(accepted) - {"self"} | SQLALCHEMY_MYSQL_OPTIONS


def open_connection(engine: Engine, target: ConnectionTarget) -> Connection:
    """Connect, or raise ConnectionFailed with a scrubbed message and no chained cause."""
    problem = ""
    try:
        return engine.connect()
    except (SQLAlchemyError, OSError) as error:
        problem = scrub(driver_message(error), target)
    except OPTION_ERRORS as error:
        # A driver may check an option only when it connects.
        problem = scrub(f"an option of the URL was rejected ({error})", target)
    logger.warning("connection to %s failed: %s", target.display, problem)
    raise ConnectionFailed(f"Cannot connect to {target.display}: {problem}") from None


def guarded(
    connection: Connection, target: ConnectionTarget, failure: type[ChartdbError]
) -> Iterator[Connection]:
    """Yield the connection once, turning database errors from the body into `failure`."""
    problem = ""
    try:
        yield connection
        return
    except SQLAlchemyError as error:
        problem = scrub(driver_message(error), target)
    logger.warning("reading %s failed: %s", target.display, problem)
    raise failure(f"Reading {target.display} failed: {problem}") from None


def driver_message(error: Exception) -> str:
    """What the database or driver said, without SQLAlchemy's SQL and link decorations."""
    original = error.orig if isinstance(error, DBAPIError) else None
    if original is not None:
        args: tuple[object, ...] = tuple(getattr(original, "args", ()))
        # PyMySQL errors are (code, message) pairs.
        code_and_message = len(args) == 2 and isinstance(args[0], int)
        text = str(args[1]) if code_and_message else str(original)
    else:
        text = str(error).split("\n(Background on this error", 1)[0]
    return " ".join(text.split()) or type(error).__name__


def scrub(message: str, target: ConnectionTarget) -> str:
    """`message` without the full URL or any secret of `target`.

    A secret too short to mask without mangling the message withholds the message.
    """
    plain_scheme = target.display.split("://", 1)[0]
    for url in (target.url, target.url.set(drivername=plain_scheme)):
        message = message.replace(url.render_as_string(hide_password=False), target.display)
    for secret in target.secrets:
        if secret not in message:
            continue
        if len(secret) < SHORTEST_MASKABLE_SECRET:
            return DETAILS_WITHHELD
        message = message.replace(secret, HIDDEN)
    return message
