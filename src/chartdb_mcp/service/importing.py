"""Import a live database into a new diagram or into an existing one."""

import logging
import time
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import PurePath
from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.merge_import import MergeOutcome, merge_import
from chartdb_mcp.core.model import DatabaseType, Diagram, ImportSource
from chartdb_mcp.errors import DatabaseTypeMismatch, InvalidInput, VersionConflict
from chartdb_mcp.live.introspect import LiveSchema, introspect
from chartdb_mcp.live.target import ConnectionTarget, parse_target
from chartdb_mcp.store import ChangeNote, DiagramStore

logger = logging.getLogger(__name__)

NAMES_SHOWN = 25
SAVE_ATTEMPTS = 3

Progress = Callable[[float, float, str], Coroutine[Any, Any, None]]

# Families whose diagrams may take each other's imports.
COMPATIBLE_TYPES = {
    DatabaseType.MYSQL: {DatabaseType.MYSQL, DatabaseType.MARIADB},
    DatabaseType.MARIADB: {DatabaseType.MYSQL, DatabaseType.MARIADB},
}


class ImportReport(BaseModel):
    """What an import read and where it put it."""

    diagram_id: str
    diagram_name: str
    version: int
    source: str = Field(description="The database, without credentials.")
    database_type: str
    server_version: str | None = None
    schemas: list[str]
    tables: int
    views: int
    relationships: int
    custom_types: int
    added_count: int = 0
    updated_count: int = 0
    not_in_database_count: int = Field(
        default=0,
        description="Tables of the imported schemas that the diagram has and the database lacks.",
    )
    added_tables: list[str] = Field(default_factory=list)
    updated_tables: list[str] = Field(default_factory=list)
    tables_not_in_database: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    seconds: float


async def import_database(
    store: DiagramStore,
    target_text: str,
    *,
    diagram_id: str | None = None,
    name: str | None = None,
    schemas: list[str] | None = None,
    progress: Progress | None = None,
    author: str | None = None,
) -> ImportReport:
    """Read a live database's schema and store it as a new diagram version.

    Nothing is written unless the whole schema was read: a failure at any point leaves
    the store as it was. The target's password is used to connect and never stored.
    """
    started = time.perf_counter()
    target = parse_target(target_text)
    if schemas is not None:
        schemas = _clean_schema_names(schemas)
    existing = await store.get(diagram_id) if diagram_id is not None else None
    if existing is not None:
        _check_compatible(existing, target)
    live = await _read_live(target, schemas, progress)
    imported = _as_diagram(live, target, name)
    if existing is None:
        note = ChangeNote(summary=f"Imported from {target.display}", author=author)
        saved = await store.create(imported, summary=note)
        report = _report(saved, live, started, added=[t.qualified_name for t in saved.tables])
    else:
        saved, outcome = await _merge_and_save(store, existing, imported, target, author)
        report = _report(
            saved,
            live,
            started,
            added=outcome.added,
            updated=outcome.updated,
            missing=outcome.not_in_database,
        )
    logger.info(
        "imported %d tables from %s into diagram %s (version %d) in %.2fs",
        report.tables,
        target.display,
        saved.id,
        saved.version,
        report.seconds,
    )
    return report


async def _merge_and_save(
    store: DiagramStore,
    existing: Diagram,
    imported: Diagram,
    target: ConnectionTarget,
    author: str | None = None,
) -> tuple[Diagram, MergeOutcome]:
    """Merge into the newest version; if another writer saved meanwhile, merge again."""
    attempts_left = SAVE_ATTEMPTS
    while True:
        outcome = merge_import(existing, imported)
        summary = ChangeNote(summary=f"Re-imported from {target.display}", author=author)
        try:
            return await store.save(outcome.diagram, existing.version, summary), outcome
        except VersionConflict:
            attempts_left -= 1
            if attempts_left == 0:
                raise
        logger.info("diagram %s changed during the import; merging again", existing.id)
        existing = await store.get(existing.id)
        _check_compatible(existing, target)


async def _read_live(
    target: ConnectionTarget, schemas: list[str] | None, progress: Progress | None
) -> LiveSchema:
    """Introspect in a worker thread, relaying progress to the event loop."""

    def relay(done: int, total: int, message: str) -> None:
        if progress is not None:
            anyio.from_thread.run(progress, float(done), float(total), message)

    return await anyio.to_thread.run_sync(partial(introspect, target, schemas, relay))


def _clean_schema_names(schemas: list[str]) -> list[str]:
    cleaned = [schema.strip() for schema in schemas]
    if not cleaned or any(not schema for schema in cleaned):
        raise InvalidInput("'schemas' must list one or more non-empty schema names.")
    return list(dict.fromkeys(cleaned))


def _check_compatible(diagram: Diagram, target: ConnectionTarget) -> None:
    if diagram.database_type in (DatabaseType.GENERIC, target.database_type):
        return
    if target.database_type in COMPATIBLE_TYPES.get(diagram.database_type, set()):
        return
    raise DatabaseTypeMismatch(
        f"Diagram {diagram.name!r} describes a {diagram.database_type.value} database; "
        f"it cannot take an import from {target.display} ({target.database_type.value}). "
        "Import into a new diagram instead."
    )


def _as_diagram(live: LiveSchema, target: ConnectionTarget, name: str | None) -> Diagram:
    database_name = PurePath(target.url.database or "database").stem
    return Diagram(
        name=(name or "").strip() or database_name,
        database_type=live.database_type,
        schemas=live.schemas,
        tables=live.tables,
        relationships=live.relationships,
        views=live.views,
        custom_types=live.custom_types,
        source=ImportSource(
            url=target.display,
            dialect=live.database_type.value,
            server_version=live.server_version,
        ),
    )


def _report(
    saved: Diagram,
    live: LiveSchema,
    started: float,
    *,
    added: list[str],
    updated: list[str] | None = None,
    missing: list[str] | None = None,
) -> ImportReport:
    updated, missing = updated or [], missing or []
    notes = [
        f"{label}: showing {NAMES_SHOWN} of {len(names)}; get-schema lists them all."
        for label, names in (("added", added), ("updated", updated), ("missing", missing))
        if len(names) > NAMES_SHOWN
    ]
    return ImportReport(
        diagram_id=saved.id,
        diagram_name=saved.name,
        version=saved.version,
        source=saved.source.url if saved.source else "",
        database_type=saved.database_type.value,
        server_version=live.server_version,
        schemas=live.schemas,
        tables=len(live.tables),
        views=len(live.views),
        relationships=len(live.relationships),
        custom_types=len(live.custom_types),
        added_count=len(added),
        updated_count=len(updated),
        not_in_database_count=len(missing),
        added_tables=added[:NAMES_SHOWN],
        updated_tables=updated[:NAMES_SHOWN],
        tables_not_in_database=missing[:NAMES_SHOWN],
        warnings=live.warnings,
        notes=notes,
        seconds=round(time.perf_counter() - started, 3),
    )
