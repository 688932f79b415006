"""Exporting a read query's result to CSV, JSON or Excel: a file, or content in the answer.

An export runs in read mode only, through the same two read-only layers as
query-database. A file is created new (never over an existing one unless asked) at the
absolute path the caller gives; without a path the file travels in the tool answer,
which must fit the answer's budget.
"""

import base64
import logging
import os
from pathlib import Path

import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.formats.export import ExportFormat, export_result
from chartdb_mcp.errors import InvalidInput
from chartdb_mcp.service.connections import KeySourceFactory
from chartdb_mcp.service.querying import QueryMode, QuerySource, run_query
from chartdb_mcp.store import DiagramStore
from chartdb_mcp.store.master_key import default_key_file

logger = logging.getLogger(__name__)


class ExportReport(BaseModel):
    """What was exported and where it went."""

    connection: str
    format: ExportFormat
    columns: list[str]
    row_count: int
    truncated: bool = Field(description="The database had more rows than the row cap.")
    bytes: int
    path: str | None = Field(default=None, description="The file written, if a path was given.")
    embedded: bool = Field(default=False, description="The file is in the answer instead.")


async def export_query(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    connection: str | None,
    source: QuerySource,
    kind: ExportFormat,
    *,
    path: str | None,
    overwrite: bool = False,
    timeout: float = 60.0,
    row_cap: int = 10_000,
    max_chars: int = 20_000,
) -> tuple[ExportReport, bytes | None]:
    """Run a read and export its rows; returns the report and, without a path, the file.

    Raises InvalidInput for a relative path, a missing folder, an existing file (unless
    `overwrite`), or an embedded file larger than `max_chars`; the query's own errors
    as query-database raises them. A refused export writes nothing.
    """
    target_path = _checked_path(path, overwrite, own_files(store)) if path is not None else None
    executed = await run_query(
        store,
        keys,
        diagram_id,
        connection,
        source,
        mode=QueryMode.READ,
        timeout=timeout,
        row_cap=row_cap,
    )
    outcome = executed.outcome
    content = await anyio.to_thread.run_sync(export_result, outcome.columns, outcome.rows, kind)
    report = ExportReport(
        connection=executed.profile.name,
        format=kind,
        columns=outcome.columns,
        row_count=len(outcome.rows),
        truncated=outcome.truncated,
        bytes=len(content),
        path=str(target_path) if target_path else None,
        embedded=target_path is None,
    )
    if target_path is None:
        shown = len(content) if kind is not ExportFormat.XLSX else len(base64.b64encode(content))
        if shown > max_chars:
            raise InvalidInput(
                f"The {kind.value} export is {shown} characters, more than max_chars "
                f"({max_chars}); give a path to write it to a file, or fewer rows."
            )
        return report, content
    await anyio.to_thread.run_sync(_write, target_path, content, overwrite)
    logger.info("exported %d rows as %s to %s", len(outcome.rows), kind.value, target_path)
    return report, None


def own_files(store: DiagramStore) -> frozenset[Path]:
    """The store file with its SQLite companions, and the master key files beside it."""
    if str(store.path) == ":memory:":
        return frozenset()
    db = Path(store.path).expanduser().resolve()
    key = default_key_file(str(db)).resolve()
    names = [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
    return frozenset([*names, key, key.with_name(key.name + ".next")])


def _checked_path(text: str, overwrite: bool, protected: frozenset[Path]) -> Path:
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise InvalidInput(f"The export path {text!r} is not absolute; give the full path.")
    # Resolved, so that a link to the store counts as the store.
    if path.resolve() in protected:
        raise InvalidInput(
            f"{text!r} is one of chartdb-mcp's own files (the store or its master key); "
            "export somewhere else."
        )
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder of the export path {text!r} does not exist.")
    if path.exists() and not overwrite:
        raise InvalidInput(f"{text!r} already exists; pass overwrite=true to replace it.")
    if path.is_dir():
        raise InvalidInput(f"{text!r} is a folder, not a file.")
    return path


def _write(path: Path, content: bytes, overwrite: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        descriptor = os.open(path, flags, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
    except FileExistsError:
        raise InvalidInput(
            f"{str(path)!r} already exists; pass overwrite=true to replace it."
        ) from None
    except OSError as error:
        raise InvalidInput(
            f"Cannot write the export to {str(path)!r}: {error.strerror or error}."
        ) from None
