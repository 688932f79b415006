"""Read the live schemas a diagram describes, with one connection and one batched read.

Unlike an import, a schema the diagram names but the database lacks is no error: its
tables are simply absent (PLANNED). The read uses the same catalog readers as import, so
a verification costs what an import costs, never a query per table.
"""

import logging
import time

from chartdb_mcp.core.model import utc_now
from chartdb_mcp.live.engines import connect
from chartdb_mcp.live.introspect import LiveSchema, reader_for
from chartdb_mcp.live.introspect.assemble import assemble
from chartdb_mcp.live.target import ConnectionTarget

logger = logging.getLogger(__name__)


def read_schemas(
    target: ConnectionTarget, wanted: list[str] | None, *, with_defaults: bool = False
) -> LiveSchema:
    """The live tables of the `wanted` schemas that exist (default: the reader's defaults).

    `with_defaults` adds the reader's defaults to `wanted`, to find new schemas too.

    Raises ConnectionFailed when the database cannot be reached and IntrospectionFailed
    when reading fails.
    """
    started = time.perf_counter()
    with connect(target) as connection:
        reader = reader_for(connection, target)
        version = reader.server_version()
        if wanted:
            existing = set(reader.schema_names())
            names = [name for name in wanted if name in existing]
            if with_defaults:
                names += [name for name in reader.default_schemas() if name not in names]
        else:
            names = reader.default_schemas()
        read = reader.read(names, no_progress)
    read_at = utc_now()
    assembled = assemble(read, source=target.display, verified_at=read_at)
    logger.info(
        "read %d tables of %d schema(s) from %s for sync in %.2fs",
        len(assembled.tables),
        len(names),
        target.display,
        time.perf_counter() - started,
    )
    return LiveSchema(
        database_type=reader.database_type,
        server_version=version,
        source=target.display,
        read_at=read_at,
        schemas=names,
        tables=assembled.tables,
        relationships=assembled.relationships,
        views=read.views,
        custom_types=read.custom_types,
        warnings=read.warnings.render(),
    )


def no_progress(_message: str) -> None:
    """A sync read reports no steps: it is one short call."""
