"""What every request handler can reach: the settings and the open store."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from mcp.server.mcpserver import Context

from chartdb_mcp.config import Settings
from chartdb_mcp.core.edit.proposal import clean_author
from chartdb_mcp.errors import StoreError
from chartdb_mcp.store import DiagramStore, open_store


class AppState:
    """The server's state, shared by every session.

    The store opens when the first session starts and closes when the last one ends, so
    concurrent sessions (HTTP, or several in-memory clients) share one store.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: DiagramStore | None = None
        self._sessions = 0
        self._lock = anyio.Lock()

    @property
    def store(self) -> DiagramStore:
        """The open store; raises `StoreError` outside a running session."""
        if self._store is None:
            raise StoreError("The diagram store is not open: the server is not running.")
        return self._store

    @asynccontextmanager
    async def session(self) -> AsyncIterator["AppState"]:
        """Hold the store open for the duration of one session."""
        async with self._lock:
            if self._sessions == 0:
                self._store = await open_store(self.settings.db_path)
            self._sessions += 1
        try:
            yield self
        finally:
            async with self._lock:
                self._sessions -= 1
                if self._sessions == 0 and self._store is not None:
                    await self._store.close()
                    self._store = None


ToolContext = Context[AppState, Any]


def state_of(ctx: ToolContext) -> AppState:
    """The server's state from a request context."""
    return ctx.request_context.lifespan_context


def author_of(ctx: ToolContext) -> str:
    """Who is making a change: the client's declared name, made safe to print on one line
    (see `clean_author`), or `assistant`."""
    params = ctx.session.client_params
    return clean_author(params.client_info.name if params is not None else None)


def supports_elicitation(ctx: ToolContext) -> bool:
    """True when the client declared form elicitation, so the person can be asked."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)
