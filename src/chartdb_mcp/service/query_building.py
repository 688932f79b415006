"""Building and checking queries against a diagram: the assistant's query builder."""

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.core.sql.builder import BuiltQuery, QuerySpec, build_query
from chartdb_mcp.core.sql.validate import QueryCheck, validate_query
from chartdb_mcp.errors import InvalidInput
from chartdb_mcp.store import DiagramStore


async def build_diagram_query(
    store: DiagramStore, diagram_id: str, spec: QuerySpec, dialect: DatabaseType | None
) -> BuiltQuery:
    """The spec as SQL for `dialect` (default: the diagram's database type)."""
    diagram = await store.get(diagram_id)
    return build_query(diagram, spec, _dialect(dialect, diagram.database_type))


async def validate_diagram_query(
    store: DiagramStore, diagram_id: str, sql: str, dialect: DatabaseType | None
) -> QueryCheck:
    """Unknown tables and columns of `sql` against the diagram, with suggestions."""
    diagram = await store.get(diagram_id)
    return validate_query(diagram, sql, _dialect(dialect, diagram.database_type))


def _dialect(given: DatabaseType | None, diagram_type: DatabaseType) -> DatabaseType:
    chosen = given or diagram_type
    if chosen == DatabaseType.GENERIC:
        raise InvalidInput(
            "The diagram has no database type; pass dialect (postgresql, mysql, mariadb, sqlite)."
        )
    return chosen
