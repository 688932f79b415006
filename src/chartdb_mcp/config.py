"""Server settings and where each one comes from (flag, environment, default)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from chartdb_mcp.store import default_store_path
from chartdb_mcp.store.master_key import KeySourceKind

DB_PATH_ENV = "CHARTDB_MCP_DB"
# For tests only: how often the automatic sync scheduler wakes, in seconds.
AUTO_SYNC_TICK_ENV = "CHARTDB_MCP_AUTO_SYNC_TICK"
AUTO_SYNC_TICK_SECONDS = 30.0

TOOL_GROUPS = ("diagrams", "review", "live", "sql", "connections", "sync")


class ToolNameStyle(StrEnum):
    """How tool names are spelled on the wire.

    `safe` (`chartdb_get_schema`) uses only characters every host and model API accepts;
    `seed` keeps the canonical `chartdb/get-schema`, which some hosts reject.
    """

    SAFE = "safe"
    SEED = "seed"


@dataclass(frozen=True)
class Settings:
    """What the server needs to start: where the store is and how tools are exposed."""

    db_path: str
    tool_names: ToolNameStyle = ToolNameStyle.SAFE
    groups: frozenset[str] = field(default_factory=lambda: frozenset(TOOL_GROUPS))
    # Where the master key of connection secrets lives; None: the OS keyring if usable.
    key_source: KeySourceKind | None = None
    key_file: str | None = None
    # Run the automatic sync scheduler while the server runs (HTTP and SSE turn it on).
    auto_sync: bool = False
    auto_sync_tick: float = AUTO_SYNC_TICK_SECONDS
    # Declare each tool's output schema in tools/list; off by default, since the schemas
    # are two thirds of the list and the model reads them on every turn.
    output_schemas: bool = False

    @property
    def structured_output(self) -> bool | None:
        """What tool registration tells the SDK: None derives each tool's output schema from
        its return type; False declares none (results still carry structured content)."""
        return None if self.output_schemas else False


def resolve_db_path(flag_value: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The store location: the flag wins, then `CHARTDB_MCP_DB`, then the platform default.

    `:memory:` is passed through unchanged; a file path is expanded (`~`) and made absolute.
    """
    chosen = flag_value or environ.get(DB_PATH_ENV) or str(default_store_path())
    if chosen == ":memory:":
        return chosen
    return str(Path(chosen).expanduser().resolve())


def resolve_auto_sync_tick(environ: Mapping[str, str] = os.environ) -> float:
    """The scheduler's tick: `CHARTDB_MCP_AUTO_SYNC_TICK` (a test hook), else 30 seconds."""
    text = environ.get(AUTO_SYNC_TICK_ENV)
    try:
        tick = float(text) if text else AUTO_SYNC_TICK_SECONDS
    except ValueError:
        return AUTO_SYNC_TICK_SECONDS
    return tick if tick > 0 else AUTO_SYNC_TICK_SECONDS
