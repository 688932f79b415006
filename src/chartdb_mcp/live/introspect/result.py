"""The result of introspecting a live database."""

from dataclasses import dataclass, field
from datetime import datetime

from chartdb_mcp.core.model import CustomType, DatabaseType, Relationship, Table, View


@dataclass
class LiveSchema:
    """The schemas read from one live database, as model objects ready for a diagram.

    Tables carry status EXISTS and a SyncInfo naming `source`; relationships refer to
    the tables' ids. `warnings` says, in plain sentences, what could not be read or
    represented. Partitions are tables of their own whose `partition_of` holds the
    partitioned table's id; keys, indexes and foreign keys a partition inherits from its
    parent are listed once, on the parent.
    """

    database_type: DatabaseType
    server_version: str
    source: str
    read_at: datetime
    schemas: list[str]
    tables: list[Table] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    custom_types: list[CustomType] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
