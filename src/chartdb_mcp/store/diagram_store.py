"""The diagram store: versioned diagrams in one SQLite file, safe to share between processes.

Each diagram keeps every version it ever had, each with its changelog entry, and the
proposals made for it. Writes are optimistic: a save names the version it was based on
and is refused with `VersionConflict` when another writer got there first, so no update
is ever silently lost. Applying a proposal writes the new version and closes the
proposal in one transaction: both happen or neither does.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite
import anyio
import anyio.to_thread
from pydantic import ValidationError

from chartdb_mcp.core.edit.proposal import Proposal, ProposalStatus
from chartdb_mcp.core.model import Diagram, utc_now
from chartdb_mcp.errors import (
    DiagramNotFound,
    InvalidInput,
    ProposalClosed,
    ProposalNotFound,
    StoreError,
    VersionConflict,
)
from chartdb_mcp.store import proposal_queries, queries
from chartdb_mcp.store.connection import (
    connect,
    immediate_transaction,
    is_memory,
    translate_errors,
    use_wal,
)
from chartdb_mcp.store.records import ChangeNote, DiagramSummary, VersionInfo
from chartdb_mcp.store.schema import migrate

logger = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT = 10.0


async def open_store(
    path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> "DiagramStore":
    """Open (creating if needed) the store at `path`, or a private one for `":memory:"`.

    The file is migrated to the current schema before this returns. Another process
    holding the write lock is waited for up to `busy_timeout` seconds. Raises
    `StoreError` naming the path when the file cannot be used.
    """
    if not is_memory(path):
        path = Path(path).expanduser()
    connection = await connect(path, busy_timeout)
    try:
        with translate_errors(path, "open"):
            # Migrating first also proves the file is ours before its journal mode changes.
            version = await migrate(connection, path)
            await use_wal(connection, path)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await connection.close()
        raise
    logger.info("opened diagram store %s (schema version %d)", path, version)
    return DiagramStore(connection, path)


class DiagramStore:
    """Versioned diagrams in one SQLite database; obtain one with `open_store`.

    Operations on one store object run one at a time; separate store objects (also in
    separate processes) on the same file coordinate through SQLite's locks. Every write
    is one transaction: it happens whole or not at all.
    """

    def __init__(self, connection: aiosqlite.Connection, path: str | Path) -> None:
        self._connection: aiosqlite.Connection | None = connection
        self._path = path
        self._lock = anyio.Lock()

    @property
    def path(self) -> str | Path:
        """The store file, or `":memory:"`."""
        return self._path

    async def close(self) -> None:
        """Close the database; later calls raise `StoreError`. Closing twice is harmless."""
        async with self._lock:
            connection, self._connection = self._connection, None
            if connection is not None:
                with translate_errors(self._path, "close"):
                    await connection.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def list_diagrams(self) -> list[DiagramSummary]:
        """Every diagram's summary, most recently changed first; no document is read."""
        async with self._reading() as connection:
            return await queries.fetch_summaries(connection)

    async def get(self, diagram_id: str) -> Diagram:
        """The diagram at its current version; raises `DiagramNotFound`."""
        async with self._reading() as connection:
            document = await queries.fetch_current_document(connection, diagram_id)
        if document is None:
            raise DiagramNotFound(diagram_id)
        return await self._decode(document, diagram_id)

    async def get_version(self, diagram_id: str, version: int) -> Diagram:
        """The diagram as it was at `version`.

        Raises `DiagramNotFound` for an unknown diagram and `InvalidInput` for a version
        it never had.
        """
        async with self._reading() as connection:
            found = await queries.fetch_version_document(connection, diagram_id, version)
        if found is None:
            raise DiagramNotFound(diagram_id)
        current, document = found
        if document is None:
            raise InvalidInput(
                f"Diagram {diagram_id!r} has no version {version}; its versions are 1 to {current}."
            )
        return await self._decode(document, diagram_id)

    async def history(self, diagram_id: str, limit: int | None = None) -> list[VersionInfo]:
        """The diagram's versions, newest first (the newest `limit` of them when given).

        Raises `DiagramNotFound` for an unknown diagram.
        """
        if limit is not None and limit < 1:
            raise InvalidInput(f"A history limit must be at least 1, not {limit}.")
        async with self._reading() as connection:
            versions = await queries.fetch_history(connection, diagram_id, limit)
        if not versions:
            raise DiagramNotFound(diagram_id)
        return versions

    async def create(self, diagram: Diagram, summary: str | ChangeNote) -> Diagram:
        """Store a new diagram as version 1, stamped now, and return it as stored.

        The result is a shallow copy of `diagram` with the stamps applied: it is not
        re-read from the file, so storing a large diagram costs one serialization only.

        Raises `InvalidInput` when the store already has a diagram with this id.
        """
        now = utc_now()
        stored = diagram.model_copy(update={"version": 1, "created_at": now, "updated_at": now})
        document = await _encode(stored)
        async with self._writing() as connection:
            if await queries.fetch_head(connection, stored.id) is not None:
                raise InvalidInput(f"A diagram with the id {stored.id!r} already exists.")
            await queries.insert_head(connection, stored)
            await queries.insert_version(connection, stored, _note(summary), document)
        logger.info("created diagram %s at version %d", stored.id, stored.version)
        return stored

    async def save(
        self,
        diagram: Diagram,
        expected_version: int,
        summary: str | ChangeNote,
        *,
        closing: Proposal | None = None,
    ) -> Diagram:
        """Store `diagram` as the version after `expected_version` and return it as stored.

        The diagram's own `version` field is ignored: `expected_version` is the version
        the caller read. `closing` is a proposal this version applies, in its decided
        state: it is written in the same transaction, and only if the stored proposal is
        still pending at the same revision. Raises `VersionConflict` when the stored
        version differs (another writer saved first), `DiagramNotFound` for an unknown id,
        and `ProposalClosed` when the proposal was decided or revised meanwhile; in each
        case, and on any other failure, nothing changes. Earlier versions stay readable.
        """
        async with self._writing() as connection:
            head = await queries.fetch_head(connection, diagram.id)
            if head is None:
                raise DiagramNotFound(diagram.id)
            if head.version != expected_version:
                raise VersionConflict(diagram.id, expected_version, head.version)
            if closing is not None:
                await _check_pending(connection, closing)
            stored = diagram.model_copy(
                update={
                    "version": head.version + 1,
                    "created_at": head.created_at,
                    "updated_at": utc_now(),
                }
            )
            document = await _encode(stored)
            await queries.insert_version(connection, stored, _note(summary), document)
            await queries.update_head(connection, stored)
            if closing is not None:
                decided = closing.model_copy(update={"applied_version": stored.version})
                await proposal_queries.update_proposal(connection, decided, await _encode(decided))
        logger.info("saved diagram %s at version %d", stored.id, stored.version)
        return stored

    async def delete(self, diagram_id: str) -> None:
        """Remove the diagram and all its versions; raises `DiagramNotFound`."""
        async with self._writing() as connection:
            head = await queries.fetch_head(connection, diagram_id)
            if head is None:
                raise DiagramNotFound(diagram_id)
            await queries.delete_diagram(connection, diagram_id)
        logger.info("deleted diagram %s (was at version %d)", diagram_id, head.version)

    async def add_proposal(self, proposal: Proposal) -> Proposal:
        """Store a new proposal for an existing diagram and return it.

        Raises `DiagramNotFound` for an unknown diagram and `InvalidInput` for an id in use.
        """
        document = await _encode(proposal)
        async with self._writing() as connection:
            if await queries.fetch_head(connection, proposal.diagram_id) is None:
                raise DiagramNotFound(proposal.diagram_id)
            if await proposal_queries.fetch_state(connection, proposal.id) is not None:
                raise InvalidInput(f"A proposal with the id {proposal.id!r} already exists.")
            await proposal_queries.insert_proposal(connection, proposal, document)
        logger.info(
            "proposal %s for diagram %s: %d ops on version %d",
            proposal.id,
            proposal.diagram_id,
            len(proposal.ops),
            proposal.base_version,
        )
        return proposal

    async def get_proposal(self, proposal_id: str) -> Proposal:
        """The proposal as last stored; raises `ProposalNotFound`."""
        async with self._reading() as connection:
            document = await proposal_queries.fetch_document(connection, proposal_id)
        if document is None:
            raise ProposalNotFound(proposal_id)
        return await self._decode_proposal(document, proposal_id)

    async def list_proposals(
        self, diagram_id: str, status: ProposalStatus | None = None, limit: int = 50
    ) -> list[Proposal]:
        """The diagram's proposals, newest first, at most `limit`, optionally of one status.

        Raises `DiagramNotFound` for an unknown diagram.
        """
        if limit < 1:
            raise InvalidInput(f"A proposal listing limit must be at least 1, not {limit}.")
        async with self._reading() as connection:
            if await queries.fetch_head(connection, diagram_id) is None:
                raise DiagramNotFound(diagram_id)
            documents = await proposal_queries.fetch_documents(
                connection, diagram_id, status, limit
            )
        return [await self._decode_proposal(document, diagram_id) for document in documents]

    async def update_proposal(self, proposal: Proposal, expected_revision: int) -> Proposal:
        """Replace a pending proposal (a revision or a rejection) and return it.

        Written only while the stored proposal is pending at `expected_revision`; raises
        `ProposalClosed` otherwise and `ProposalNotFound` for an unknown id.
        """
        document = await _encode(proposal)
        async with self._writing() as connection:
            await _check_pending(connection, proposal, expected_revision)
            await proposal_queries.update_proposal(connection, proposal, document)
        logger.info(
            "proposal %s is %s at revision %d", proposal.id, proposal.status, proposal.revision
        )
        return proposal

    def reading(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """The connection, to the caller alone, for the store's companion tables."""
        return self._reading()

    def writing(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """Like `reading`, inside one write transaction committed when the block ends."""
        return self._writing()

    async def _decode_proposal(self, document: str, owner: str) -> Proposal:
        try:
            return await anyio.to_thread.run_sync(Proposal.model_validate_json, document)
        except ValidationError as error:
            raise StoreError(
                f"A proposal of {owner!r} in the store {str(self._path)!r} cannot be read: "
                f"{error.errors()[0]['msg']}."
            ) from error

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, to this task alone, with SQLite errors raised as `StoreError`."""
        async with self._lock:
            if self._connection is None:
                raise StoreError(f"The diagram store {str(self._path)!r} is closed.")
            with translate_errors(self._path, "use"):
                yield self._connection

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[aiosqlite.Connection]:
        """Like `_reading`, inside one write transaction committed when the block ends."""
        async with self._reading() as connection, immediate_transaction(connection):
            yield connection

    async def _decode(self, document: str, diagram_id: str) -> Diagram:
        try:
            return await anyio.to_thread.run_sync(Diagram.model_validate_json, document)
        except ValidationError as error:
            raise StoreError(
                f"Diagram {diagram_id!r} in the store {str(self._path)!r} cannot be read: "
                f"{error.error_count()} problems, the first: {error.errors()[0]['msg']}."
            ) from error


async def _encode(document: Diagram | Proposal) -> str:
    """The diagram or proposal as JSON, serialized off the event loop (it may be large)."""
    return await anyio.to_thread.run_sync(document.model_dump_json)


def _note(summary: str | ChangeNote) -> ChangeNote:
    return summary if isinstance(summary, ChangeNote) else ChangeNote(summary=summary)


async def _check_pending(
    connection: aiosqlite.Connection, proposal: Proposal, revision: int | None = None
) -> None:
    """Refuse to write over a proposal that is decided, or revised since it was read."""
    state = await proposal_queries.fetch_state(connection, proposal.id)
    if state is None:
        raise ProposalNotFound(proposal.id)
    status, stored_revision = state
    if status is not ProposalStatus.PENDING:
        raise ProposalClosed(f"Proposal {proposal.id!r} is already {status.value}.")
    expected = proposal.revision if revision is None else revision
    if stored_revision != expected:
        raise ProposalClosed(
            f"Proposal {proposal.id!r} was revised (now revision {stored_revision}) after "
            f"revision {expected} was read; read it again before deciding."
        )
