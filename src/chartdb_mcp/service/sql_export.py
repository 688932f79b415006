"""Use case: a diagram (or some of its tables) as a CREATE script for one database.

The script is cut at a statement boundary to fit the caller's budget; the answer says how
many statements it holds and how many were left out, and lists every warning the export
raised (what the target cannot express), cut to a share of the budget if need be.
"""

import logging

from pydantic import BaseModel, Field

from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.ddl import export_ddl
from chartdb_mcp.errors import InvalidInput, TableNotFound
from chartdb_mcp.service.diagrams import similar_tables
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)

# Share of the budget the warnings may take before they are cut.
WARNING_SHARE = 0.25
# What the answer's other fields and its JSON framing cost, roughly, beyond the script.
OVERHEAD = 400


class SqlExport(BaseModel):
    """A CREATE script and what it could not say."""

    diagram_id: str
    version: int
    dialect: DatabaseType
    script: str = Field(description="Statements ended by semicolons, in load order.")
    statement_count: int
    omitted_statements: int = Field(description="Statements cut to fit max_chars.")
    warnings: list[str]
    omitted_warnings: int = 0
    truncated: bool


def resolve_dialect(diagram: Diagram, dialect: DatabaseType | None) -> DatabaseType:
    """The requested dialect, or the diagram's own; a generic diagram must name one."""
    chosen = dialect or diagram.database_type
    if chosen == DatabaseType.GENERIC:
        raise InvalidInput(
            f"Diagram {diagram.name!r} has no database type; pass `dialect` "
            "(postgresql, mysql, mariadb, sqlite, sqlserver or oracle)."
        )
    return chosen


def resolve_tables(diagram: Diagram, names: list[str] | None) -> set[str] | None:
    """Ids of the named tables; TableNotFound lists the names that match none."""
    if not names:
        return None
    found = {name: diagram.find_table(name) for name in names}
    missing = [name for name, table in found.items() if table is None]
    if missing:
        raise TableNotFound(missing, diagram.name, similar_tables(diagram, missing))
    return {table.id for table in found.values() if table is not None}


async def export_sql(
    store: DiagramStore,
    diagram_id: str,
    dialect: DatabaseType | None = None,
    tables: list[str] | None = None,
    include_views: bool | None = None,
    max_chars: int = 50_000,
) -> SqlExport:
    """The CREATE script of the diagram's current version, within `max_chars`.

    Views are included by default, except when `tables` picks some tables: a view may
    need tables left out, so then only an explicit `include_views` adds them.
    """
    diagram = await store.get(diagram_id)
    chosen = resolve_dialect(diagram, dialect)
    table_ids = resolve_tables(diagram, tables)
    views = include_views if include_views is not None else table_ids is None
    script = export_ddl(diagram, chosen, table_ids=table_ids, include_views=views)
    warnings, omitted_warnings = fit_lines(script.warnings, int(max_chars * WARNING_SHARE))
    room = max_chars - OVERHEAD - sum(len(w) + 4 for w in warnings)
    kept = fit_statements(script.statements, room)
    logger.info(
        "exported diagram %s as %s: %d statements, %d warnings",
        diagram_id,
        chosen.value,
        len(script.statements),
        len(script.warnings),
    )
    return SqlExport(
        diagram_id=diagram.id,
        version=diagram.version,
        dialect=chosen,
        script="".join(f"{statement};\n\n" for statement in kept),
        statement_count=len(kept),
        omitted_statements=len(script.statements) - len(kept),
        warnings=warnings,
        omitted_warnings=omitted_warnings,
        truncated=len(kept) < len(script.statements) or omitted_warnings > 0,
    )


def fit_statements(statements: list[str], room: int) -> list[str]:
    """The leading statements whose text, counted twice (text and JSON), fits `room`."""
    kept: list[str] = []
    used = 0
    for statement in statements:
        cost = 2 * (len(statement) + 3)
        if used + cost > room:
            break
        kept.append(statement)
        used += cost
    return kept


def fit_lines(lines: list[str], room: int) -> tuple[list[str], int]:
    """The leading lines that fit `room`, and how many were left out."""
    kept = fit_statements(lines, room)
    return kept, len(lines) - len(kept)
