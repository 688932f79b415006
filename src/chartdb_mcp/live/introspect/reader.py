"""The contract between `introspect` and the per-dialect catalog readers."""

from collections import namedtuple
from typing import Any, Protocol

from sqlalchemy import Connection, TextClause, bindparam, text

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.live.introspect.records import CatalogRead, Step


class CatalogReader(Protocol):
    """Reads the schema of one connected database.

    `database_type` may change once `server_version` has been read (MySQL servers that
    turn out to be MariaDB).
    """

    database_type: DatabaseType

    def server_version(self) -> str:
        """The server's version as it reports it, e.g. `15.4` or `10.11.6-MariaDB`."""
        ...

    def schema_names(self) -> list[str]:
        """Every schema (MySQL: database) the connection can see."""
        ...

    def default_schemas(self) -> list[str]:
        """The schemas read when the caller names none."""
        ...

    def step_count(self, schemas: list[str]) -> int:
        """How many times `read` will call its `step` callback for these schemas."""
        ...

    def read(self, schemas: list[str], step: Step) -> CatalogRead:
        """Read the tables, keys, indexes, views and types of `schemas`."""
        ...


def schema_query(sql: str) -> TextClause:
    """A catalog query whose `:schemas` parameter takes a list (`IN :schemas`)."""
    return text(sql).bindparams(bindparam("schemas", expanding=True))


def fetch(connection: Connection, query: TextClause, schemas: list[str]) -> list[Any]:
    """All rows of a catalog query for `schemas`, as plain named tuples.

    Attribute access on SQLAlchemy rows costs about a microsecond; over the tens of
    thousands of values of a large catalog that adds up, and named tuples cost nothing.
    """
    result = connection.execute(query, {"schemas": schemas})
    record = namedtuple("CatalogRow", list(result.keys()), rename=True)  # type: ignore[misc]
    return [record._make(row) for row in result]
