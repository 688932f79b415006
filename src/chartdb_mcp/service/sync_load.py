"""Load a diagram and read its live schemas at the same time.

A verification needs both the stored diagram (decoding a large one takes a good part of a
second) and the live schema (mostly waiting on the database). The schemas to read are
picked from the stored document's text before it is decoded, so the two run together;
once the diagram is decoded, the live tables are cut to exactly its schemas.

A stored version never changes, so the diagram a verification last recorded is kept in
memory by (store, id, version): the next verification of the same version (the usual
case when validating on every turn) skips the decoding.
"""

import json
import re
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
from pydantic import ValidationError

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.errors import DiagramNotFound, StoreError
from chartdb_mcp.live.introspect import LiveSchema
from chartdb_mcp.live.sync.reading import read_schemas
from chartdb_mcp.live.target import ConnectionTarget
from chartdb_mcp.store import DiagramStore
from chartdb_mcp.store.queries import fetch_current_document

RECENT_KEPT = 8
recent: dict[tuple[str, str], Diagram] = {}

# Every schema name in a stored document (tables, views, types): a superset of the tables'.
SCHEMA_NAME = re.compile(r'"schema_name":(null|"(?:[^"\\]|\\.)*")')


def schemas_in_document(document: str) -> list[str] | None:
    """The schema names the document mentions; None when one element names none (or none
    is found), which means the reader's default schemas."""
    names: set[str] = set()
    for match in SCHEMA_NAME.finditer(document):
        token = match.group(1)
        if token == "null":
            return None
        names.add(json.loads(token))
    return sorted(names) or None


def tables_schemas(diagram: Diagram) -> list[str] | None:
    """The schemas the diagram's tables live in; None (the defaults) when one names none."""
    names = [table.schema_name for table in diagram.tables]
    if not names or any(name is None for name in names):
        return None
    return sorted({name for name in names if name is not None})


async def load_and_read(
    store: DiagramStore, diagram_id: str, target: ConnectionTarget
) -> tuple[Diagram, LiveSchema]:
    """The current diagram and the live tables of its schemas, read while it decodes.

    Raises DiagramNotFound, StoreError for an unreadable document, and the live layer's
    connection errors.
    """
    head = (await store.history(diagram_id, limit=1))[0].version
    kept = recent.get((str(store.path), diagram_id))
    if kept is not None and kept.version == head:
        exact = tables_schemas(kept)
        return kept, await anyio.to_thread.run_sync(partial(read_schemas, target, exact))
    async with store.reading() as connection:
        document = await fetch_current_document(connection, diagram_id)
    if document is None:
        raise DiagramNotFound(diagram_id)
    peeked = schemas_in_document(document)
    results: dict[str, Any] = {}

    async def run(key: str, work: Any) -> None:
        try:
            results[key] = await anyio.to_thread.run_sync(work)
        except Exception as error:  # re-raised below, outside the task group
            results[key + "_error"] = error

    async with anyio.create_task_group() as group:
        group.start_soon(run, "live", partial(read_schemas, target, peeked))
        group.start_soon(run, "diagram", partial(Diagram.model_validate_json, document))
    decode_error = results.get("diagram_error")
    if isinstance(decode_error, ValidationError):
        raise StoreError(
            f"Diagram {diagram_id!r} in the store cannot be read: {decode_error.error_count()} "
            "problems."
        ) from decode_error
    for key in ("diagram_error", "live_error"):
        if key in results:
            raise results[key]
    diagram: Diagram = results["diagram"]
    live: LiveSchema = results["live"]
    exact = tables_schemas(diagram)
    if exact is None:
        if peeked is not None:
            live = await anyio.to_thread.run_sync(partial(read_schemas, target, None))
        return diagram, live
    if peeked is None:
        live = await anyio.to_thread.run_sync(partial(read_schemas, target, exact))
        return diagram, live
    wanted = set(exact)
    live.tables = [t for t in live.tables if t.schema_name in wanted]
    live.schemas = [name for name in live.schemas if name in wanted]
    return diagram, live


def remember(store: DiagramStore, diagram: Diagram) -> None:
    """Keep `diagram` (a version as stored) for the next verification of that version."""
    if len(recent) >= RECENT_KEPT:
        recent.pop(next(iter(recent)))
    recent[(str(store.path), diagram.id)] = diagram
