"""SQLite persistence for diagrams: every version kept, writes atomic and optimistic."""

from chartdb_mcp.store.diagram_store import DEFAULT_BUSY_TIMEOUT, DiagramStore, open_store
from chartdb_mcp.store.paths import default_store_path
from chartdb_mcp.store.records import ChangeNote, DiagramSummary, VersionInfo
from chartdb_mcp.store.schema import schema_version

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "ChangeNote",
    "DiagramStore",
    "DiagramSummary",
    "VersionInfo",
    "default_store_path",
    "open_store",
    "schema_version",
]
