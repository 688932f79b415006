"""Connection profiles: how a diagram reaches the databases it describes.

A profile holds everything needed to connect except its secret (a password, or a full
URL that may contain one), which the store keeps sealed apart from it. Nothing in this
model is secret, so it may be listed, logged and returned as it is.
"""

import re
import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.model.ids import new_id

PRODUCTION_LABELS = frozenset({"production", "prod", "prd", "live"})
# A label is read word by word, so "Production EU" and "prod-eu" count as production.
LABEL_WORD_BREAK = re.compile(r"[^0-9a-z]+")
QUERYABLE = (DatabaseType.POSTGRESQL, DatabaseType.MYSQL, DatabaseType.MARIADB, DatabaseType.SQLITE)

ProfileName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]


class SecretKind(StrEnum):
    """What a profile's secret is."""

    PASSWORD = "password"
    URL = "url"


class ConnectionStatus(StrEnum):
    """The outcome of the last connection test."""

    ONLINE = "online"
    ERROR = "error"


class ConnectionProfile(BaseModel):
    """One named way of connecting a diagram to a database; never holds the secret.

    `allow_writes` lets query-database run statements that change data (on request,
    in one transaction). A profile whose environment reads as production also needs
    `production_writes_unlocked` before any write.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id)
    diagram_id: str
    name: ProfileName
    environment: str = Field(default="dev", min_length=1, max_length=40)
    color: str | None = Field(default=None, max_length=30)
    dialect: DatabaseType
    host: str | None = Field(default=None, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    database: str | None = Field(default=None, max_length=4096)
    username: str | None = Field(default=None, max_length=255)
    options: dict[str, str] = Field(default_factory=dict)
    secret_kind: SecretKind | None = None
    allow_writes: bool = False
    production_writes_unlocked: bool = False
    active: bool = False
    last_status: ConnectionStatus | None = None
    last_error: str | None = None
    last_tested_at: datetime | None = None
    last_connected_at: datetime | None = None
    server_version: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("dialect")
    @classmethod
    def _queryable(cls, value: DatabaseType) -> DatabaseType:
        if value not in QUERYABLE:
            raise ValueError(
                f"connections to {value.value} are not supported; use postgresql, mysql, "
                "mariadb or sqlite"
            )
        return value

    @property
    def is_production(self) -> bool:
        """True when a word of the environment label names production (production, prod,
        live...), in any case, spacing or full-width letters: "Production EU", "prod-eu"."""
        folded = unicodedata.normalize("NFKC", self.environment).casefold()
        return any(word in PRODUCTION_LABELS for word in LABEL_WORD_BREAK.split(folded))

    @property
    def has_secret(self) -> bool:
        """True when a secret is stored for this profile."""
        return self.secret_kind is not None


def lifts_production_guard(before: ConnectionProfile | None, after: ConnectionProfile) -> bool:
    """True when a change from `before` (None: a new profile) to `after` lifts the guard
    on production writes, which only the person may do.

    Lifting is turning `production_writes_unlocked` on, or keeping it on while the label
    changes to one that reads as production or the profile moves to another database: a
    guard lifted for one label and database was not lifted for another. Turning it off,
    or keeping it on for the same label and database, lifts nothing.
    """
    if not after.production_writes_unlocked:
        return False
    if before is None or not before.production_writes_unlocked:
        return True
    moved = address_of(after) != address_of(before)
    return after.is_production and (after.environment != before.environment or moved)


# The fields that say which database a profile reaches, as opposed to how it looks.
ADDRESS_FIELDS = ("dialect", "host", "port", "database", "username")


def address_of(profile: ConnectionProfile) -> tuple[object, ...]:
    """Which database and user a profile reaches."""
    return tuple(getattr(profile, field) for field in ADDRESS_FIELDS)
