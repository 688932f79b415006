"""Use cases for diagrams as wholes: list, create, delete, read a page of the schema."""

import difflib

from pydantic import BaseModel

from chartdb_mcp.core.formats.outline import DiagramHeader, header_of
from chartdb_mcp.core.formats.schema_page import SchemaPage, SchemaQuery, UnknownTables
from chartdb_mcp.core.formats.schema_text import schema_answer
from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.errors import InvalidInput, TableNotFound
from chartdb_mcp.store import ChangeNote, DiagramStore, DiagramSummary


class DiagramList(BaseModel):
    """Every diagram in the store, newest change first."""

    diagrams: list[DiagramSummary]


class DeletedDiagram(BaseModel):
    """What a delete removed."""

    id: str
    name: str
    versions_removed: int


async def list_diagrams(store: DiagramStore) -> DiagramList:
    """Every diagram with its counts, without loading whole documents."""
    return DiagramList(diagrams=await store.list_diagrams())


async def create_diagram(
    store: DiagramStore,
    name: str,
    database_type: DatabaseType = DatabaseType.GENERIC,
    description: str | None = None,
    author: str | None = None,
) -> DiagramHeader:
    """A new, empty diagram at version 1, recorded as made by `author` when given."""
    name = name.strip()
    if not name:
        raise InvalidInput("A diagram needs a non-empty name.")
    diagram = Diagram(name=name, database_type=database_type, description=description)
    note = ChangeNote(summary=f"Created diagram {name!r}", author=author)
    created = await store.create(diagram, summary=note)
    return header_of(created)


async def delete_diagram(store: DiagramStore, diagram_id: str) -> DeletedDiagram:
    """Remove a diagram and every version of it."""
    diagram = await store.get(diagram_id)
    versions = len(await store.history(diagram_id))
    await store.delete(diagram_id)
    return DeletedDiagram(id=diagram.id, name=diagram.name, versions_removed=versions)


async def get_schema(
    store: DiagramStore, diagram_id: str, query: SchemaQuery
) -> tuple[SchemaPage, str]:
    """One page of the diagram's schema and its text, together within `query.max_chars`.

    Raises `TableNotFound` for unknown names, `InvalidInput` for a name several tables share.
    """
    diagram = await store.get(diagram_id)
    try:
        return schema_answer(diagram, query)
    except UnknownTables as error:
        if error.ambiguous:
            name, tables = next(iter(error.ambiguous.items()))
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise InvalidInput(
                f"Diagram {diagram.name!r} has {len(tables)} tables named {name!r} ({shown}); "
                "name one as schema.name."
            ) from None
        raise TableNotFound(
            error.names, diagram.name, similar_tables(diagram, error.names)
        ) from None


def similar_tables(diagram: Diagram, names: list[str], limit: int = 5) -> list[str]:
    """Qualified table names a caller may have meant: same bare name, or close spelling."""
    known = [table.qualified_name for table in diagram.tables]
    found: list[str] = []
    for name in names:
        bare = name.rpartition(".")[2].lower()
        found += [q for q in known if q.rpartition(".")[2].lower() == bare]
        found += difflib.get_close_matches(name, known, n=limit, cutoff=0.6)
    return list(dict.fromkeys(found))[:limit]
