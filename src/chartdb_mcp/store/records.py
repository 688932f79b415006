"""What the store reports about diagrams without loading their documents."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from chartdb_mcp.core.model import DatabaseType


class DiagramSummary(BaseModel):
    """One line of the diagram listing: identity, current version and element counts."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    database_type: DatabaseType
    version: int
    table_count: int
    view_count: int
    relationship_count: int
    updated_at: datetime


class VersionInfo(BaseModel):
    """One stored version of a diagram, as the history lists it."""

    model_config = ConfigDict(frozen=True)

    version: int
    summary: str
    created_at: datetime
    table_count: int
    author: str | None = None
    proposal_id: str | None = None
    changes: list[str] = Field(default_factory=list)


class ChangeNote(BaseModel):
    """The changelog entry written with a new version: what changed, by whom, and why."""

    model_config = ConfigDict(frozen=True)

    summary: str
    author: str | None = None
    proposal_id: str | None = None
    changes: tuple[str, ...] = ()
