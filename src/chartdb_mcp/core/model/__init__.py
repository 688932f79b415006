"""The domain model: pydantic classes for diagrams and everything in them."""

from chartdb_mcp.core.model.diagram import (
    Area,
    CustomType,
    Diagram,
    ImportSource,
    Note,
    Relationship,
    View,
    utc_now,
)
from chartdb_mcp.core.model.ids import new_id
from chartdb_mcp.core.model.kinds import (
    Cardinality,
    CustomTypeKind,
    DatabaseType,
    IdentityGeneration,
    ReferentialAction,
    TableStatus,
)
from chartdb_mcp.core.model.table import (
    CheckConstraint,
    Column,
    Index,
    IndexPart,
    Position,
    PrimaryKey,
    SyncInfo,
    Table,
    TableKey,
    UniqueConstraint,
)

__all__ = [
    "Area",
    "Cardinality",
    "CheckConstraint",
    "Column",
    "CustomType",
    "CustomTypeKind",
    "DatabaseType",
    "Diagram",
    "IdentityGeneration",
    "ImportSource",
    "Index",
    "IndexPart",
    "Note",
    "Position",
    "PrimaryKey",
    "ReferentialAction",
    "Relationship",
    "SyncInfo",
    "Table",
    "TableKey",
    "TableStatus",
    "UniqueConstraint",
    "View",
    "new_id",
    "utc_now",
]
