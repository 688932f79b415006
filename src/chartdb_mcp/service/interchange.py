"""Export a stored diagram to a file format, and import a file as a new diagram.

Writing to a path only happens where the person named one; without a path the content
comes back within the caller's character budget, and an answer that had to be cut says
so. Reading takes the content itself or a path; either way nothing is stored unless the
whole document was read.
"""

import logging
import os
from functools import partial
from pathlib import Path

import anyio.to_thread
from pydantic import BaseModel, Field

from chartdb_mcp.core.formats.interchange import (
    ExportFormat,
    ImportFormat,
    export_diagram,
    import_document,
)
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import InvalidInput
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50_000_000
# Room the rest of an export answer (ids, warnings, the note) may take within max_chars.
ANSWER_OVERHEAD = 1_000


class ExportResult(BaseModel):
    """An export: the content (or where it went), its size, and what the format lost."""

    diagram_id: str
    diagram_name: str
    format: ExportFormat
    chars: int = Field(description="Length of the whole export.")
    content: str | None = Field(default=None, description="The export, unless written to path.")
    path: str | None = Field(default=None, description="The file written, when a path was given.")
    truncated: bool = False
    warnings: list[str] = Field(default_factory=list)


class ImportResult(BaseModel):
    """The diagram an import created, with its counts and what was left out."""

    diagram_id: str
    diagram_name: str
    version: int
    format: ImportFormat
    database_type: str
    tables: int
    views: int
    relationships: int
    custom_types: int
    notes: int
    areas: int
    warnings: list[str] = Field(default_factory=list)


async def export_to_format(
    store: DiagramStore,
    diagram_id: str,
    format: ExportFormat,
    *,
    path: str | None = None,
    overwrite: bool = False,
    max_chars: int = 20_000,
) -> ExportResult:
    """The diagram in `format`: written to `path` when given, else returned within budget."""
    diagram = await store.get(diagram_id)
    exported = await anyio.to_thread.run_sync(export_diagram, diagram, format)
    result = ExportResult(
        diagram_id=diagram.id,
        diagram_name=diagram.name,
        format=format,
        chars=len(exported.content),
        warnings=exported.warnings,
    )
    if path is not None:
        target = await anyio.to_thread.run_sync(
            partial(write_file, path, exported.content, overwrite)
        )
        logger.info("exported diagram %s as %s to %s", diagram.id, format.value, target)
        return result.model_copy(update={"path": str(target)})
    # The answer carries the content twice, as text and in the structured result.
    room = max(0, max_chars - ANSWER_OVERHEAD - 2 * sum(len(w) for w in exported.warnings)) // 2
    if len(exported.content) <= room:
        return result.model_copy(update={"content": exported.content})
    return result.model_copy(update={"content": exported.content[:room], "truncated": True})


async def import_from_format(
    store: DiagramStore,
    format: ImportFormat,
    *,
    content: str | None = None,
    path: str | None = None,
    name: str | None = None,
    database_type: DatabaseType | None = None,
) -> ImportResult:
    """A new diagram from the document in `content` or in the file at `path`."""
    if (content is None) == (path is None):
        raise InvalidInput("Give the document either as 'content' or as 'path', not both.")
    if path is not None:
        content = await anyio.to_thread.run_sync(read_file, path)
    assert content is not None
    if not content.strip():
        raise InvalidInput("The document is empty.")
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"The document is longer than {MAX_FILE_BYTES // 1_000_000} million characters."
        )
    imported = await anyio.to_thread.run_sync(
        partial(import_document, content, format, name, database_type)
    )
    diagram = imported.diagram
    source = Path(path).name if path is not None else "pasted content"
    saved = await store.create(diagram, summary=f"Imported from {format.value} ({source})")
    logger.info(
        "imported %d tables from %s into diagram %s", len(saved.tables), format.value, saved.id
    )
    return ImportResult(
        diagram_id=saved.id,
        diagram_name=saved.name,
        version=saved.version,
        format=format,
        database_type=saved.database_type.value,
        tables=len(saved.tables),
        views=len(saved.views),
        relationships=len(saved.relationships),
        custom_types=len(saved.custom_types),
        notes=len(saved.notes),
        areas=len(saved.areas),
        warnings=imported.warnings,
    )


def named_path(path: str) -> Path:
    """The file the person named; relative paths would resolve against the server's own
    working folder, which the person cannot see, so only absolute ones are taken."""
    named = Path(path).expanduser()
    if not named.is_absolute():
        raise InvalidInput(f"The path {path!r} is relative; give the file's full path.")
    return named


def write_file(path: str, content: str, overwrite: bool) -> Path:
    """Write `content` to the file the person named; its folder must exist.

    The text goes to a temporary file beside the target first and is renamed over it,
    so a failed write never leaves half a file behind.
    """
    target = named_path(path)
    if target.is_dir():
        raise InvalidInput(f"The path {path!r} is a folder; name a file in it.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder of {path!r} does not exist.")
    if target.exists() and not overwrite:
        raise InvalidInput(f"The file {path!r} exists; pass overwrite=true to replace it.")
    partial_file = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial_file.write_text(content, encoding="utf-8")
        os.replace(partial_file, target)
    except OSError as error:
        partial_file.unlink(missing_ok=True)
        raise InvalidInput(f"The file {path!r} cannot be written: {error.strerror}.") from None
    return target.resolve()


def read_file(path: str) -> str:
    """The text of the file at `path`, which must be UTF-8 and at most 50 MB."""
    source = named_path(path)
    if not source.is_file():
        raise InvalidInput(f"No file exists at {path!r}.")
    if source.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(f"The file {path!r} is larger than {MAX_FILE_BYTES // 1_000_000} MB.")
    try:
        return source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"The file {path!r} is not UTF-8 text (byte {error.start} cannot be read)."
        ) from None
    except OSError as error:
        raise InvalidInput(f"The file {path!r} cannot be read: {error.strerror}.") from None
