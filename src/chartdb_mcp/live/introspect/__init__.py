"""Live introspection: read a database's schema into model objects.

`introspect` connects, picks the catalog reader for the database (PostgreSQL and MySQL/
MariaDB read their catalogs directly, SQLite and anything else go through SQLAlchemy's
inspector), checks the requested schemas, and assembles tables, relationships, views and
custom types. It is synchronous; the service layer runs it in a worker thread.
"""

import logging
import time
from collections.abc import Callable

from sqlalchemy import Connection, text

from chartdb_mcp.core.model import DatabaseType, utc_now
from chartdb_mcp.errors import SchemaNotFound
from chartdb_mcp.live.engines import connect
from chartdb_mcp.live.introspect.assemble import assemble
from chartdb_mcp.live.introspect.mysql import SYSTEM_SCHEMAS, MySQLReader
from chartdb_mcp.live.introspect.neutral import InspectorReader
from chartdb_mcp.live.introspect.postgresql import (
    MINIMUM_VERSION_NUM,
    PostgresReader,
    is_system_schema,
)
from chartdb_mcp.live.introspect.reader import CatalogReader
from chartdb_mcp.live.introspect.result import LiveSchema
from chartdb_mcp.live.introspect.sqlite import SQLiteReader, note_new_sidecars, sidecar_files
from chartdb_mcp.live.target import ConnectionTarget

__all__ = ["LiveSchema", "Progress", "introspect"]

logger = logging.getLogger(__name__)

# progress(done, total, message), called a handful of times per import.
Progress = Callable[[int, int, str], None]

# Steps `introspect` reports around the reader's own: connect, schemas, assemble.
OWN_STEPS = 3
SCHEMAS_LISTED = 20


def introspect(
    target: ConnectionTarget,
    schemas: list[str] | None = None,
    progress: Progress | None = None,
) -> LiveSchema:
    """Read `schemas` (default: every user schema, or the URL's MySQL database, or SQLite's
    main) from `target` and return them as model objects.

    Raises ConnectionFailed when the database cannot be reached, SchemaNotFound naming a
    requested schema that does not exist, and IntrospectionFailed when reading fails.
    """
    started = time.perf_counter()
    counter = StepCounter(progress)
    counter.advance(f"Connecting to {target.display}")
    sidecars = sidecar_files(target.sqlite_file)
    with connect(target) as connection:
        reader = reader_for(connection, target)
        version = reader.server_version()
        names = requested_schemas(reader, schemas)
        counter.total = OWN_STEPS + reader.step_count(names)
        counter.advance(f"Reading {len(names)} schema(s)")
        read = reader.read(names, counter.advance)
    note_new_sidecars(target.sqlite_file, sidecars, read)
    counter.advance("Assembling tables and relationships")
    read_at = utc_now()
    assembled = assemble(read, source=target.display, verified_at=read_at)
    order = {name: position for position, name in enumerate(names)}
    live = LiveSchema(
        database_type=reader.database_type,
        server_version=version,
        source=target.display,
        read_at=read_at,
        schemas=names,
        tables=sorted(assembled.tables, key=lambda t: (order.get(t.schema_name or "", 0), t.name)),
        relationships=assembled.relationships,
        views=sorted(read.views, key=lambda v: (order.get(v.schema_name or "", 0), v.name)),
        custom_types=read.custom_types,
        warnings=read.warnings.render(),
    )
    counter.finish()
    logger.info(
        "introspected %s: %d tables, %d views, %d relationships in %d schema(s) in %.2fs",
        target.display,
        len(live.tables),
        len(live.views),
        len(live.relationships),
        len(names),
        time.perf_counter() - started,
    )
    return live


def reader_for(connection: Connection, target: ConnectionTarget) -> CatalogReader:
    """The catalog reader for the connected database's dialect."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        version = connection.execute(text("SHOW server_version_num")).scalar_one()
        if int(version) >= MINIMUM_VERSION_NUM:
            return PostgresReader(connection)
        return InspectorReader(connection, DatabaseType.POSTGRESQL)
    if dialect in ("mysql", "mariadb"):
        return MySQLReader(connection, target.database_type)
    if dialect == "sqlite":
        return SQLiteReader(connection)
    return InspectorReader(connection, target.database_type)


def requested_schemas(reader: CatalogReader, schemas: list[str] | None) -> list[str]:
    """The schemas to read: the reader's defaults, or the requested ones if they all exist."""
    wanted = list(dict.fromkeys(name for name in schemas or [] if name))
    if not wanted:
        return reader.default_schemas()
    existing = reader.schema_names()
    missing = [name for name in wanted if name not in existing]
    if missing:
        raise SchemaNotFound(missing_message(missing, existing, reader.database_type))
    return wanted


def missing_message(missing: list[str], existing: list[str], database_type: DatabaseType) -> str:
    """Name the missing schemas and, when the list is short, the ones that exist."""
    word = "database" if database_type in (DatabaseType.MYSQL, DatabaseType.MARIADB) else "schema"
    quoted = ", ".join(repr(name) for name in missing)
    plural = "s" if len(missing) > 1 else ""
    user = [name for name in existing if not is_system_schema(name) and name not in SYSTEM_SCHEMAS]
    message = f"The database has no {word}{plural} named {quoted}."
    if user and len(user) <= SCHEMAS_LISTED:
        message += f" It has: {', '.join(user)}."
    elif user:
        message += f" It has {len(user)} {word}s."
    return message


class StepCounter:
    """Counts progress steps and forwards them to the caller's callback, if any."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = 0
        self.total = OWN_STEPS + 1

    def advance(self, message: str) -> None:
        """Report that the step described by `message` is starting."""
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done + 1), message)
        self.done += 1

    def finish(self) -> None:
        """Report completion: done equals total."""
        if self.progress is not None:
            self.progress(self.total, self.total, "Done")
