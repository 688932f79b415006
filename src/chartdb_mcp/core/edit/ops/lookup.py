"""Finding a diagram's tables and relationships by id or name without scanning its lists.

A sequence of ops reads the same lists again and again (an op that adds a relationship
leaves the table list as it was), so the maps built for a list are kept while that very
list object is the one asked about. The ops never change a list in place (every change
builds a new list), which is what makes keying on the object safe; a caller that does
(a test building a diagram by appending) changes its length or its ends, and the maps
are built afresh.
"""

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from chartdb_mcp.core.model import Diagram, Relationship, Table
from chartdb_mcp.errors import InvalidChange


@dataclass(frozen=True)
class TableMaps:
    """A table list's members by id, by (schema, name) and by bare name."""

    tables: Sequence[Table]
    fingerprint: tuple[int, int, int]
    by_id: dict[str, Table] = field(default_factory=dict)
    by_name: dict[tuple[str | None, str], Table] = field(default_factory=dict)
    by_bare_name: dict[str, list[Table]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class RelationshipMaps:
    """A relationship list's ids, names and links (ends and columns)."""

    relationships: Sequence[Relationship]
    fingerprint: tuple[int, int, int]
    ids: frozenset[str]
    names: frozenset[str]
    links: dict[tuple[str, tuple[str, ...], str, tuple[str, ...]], Relationship]


_tables: list[TableMaps] = []
_relationships: list[RelationshipMaps] = []


def fingerprint(items: Sequence[object]) -> tuple[int, int, int]:
    """The list's length and the identities of its ends: what an in-place edit changes."""
    if not items:
        return (0, 0, 0)
    return (len(items), id(items[0]), id(items[-1]))


def table_maps(diagram: Diagram) -> TableMaps:
    """The maps of the diagram's current table list, built once per list object."""
    cached = _tables[0] if _tables else None
    shape = fingerprint(diagram.tables)
    if cached is not None and cached.tables is diagram.tables and cached.fingerprint == shape:
        return cached
    # Built from the end, so that the first of any repeated key is the one kept.
    backwards = diagram.tables[::-1]
    maps = TableMaps(
        diagram.tables,
        shape,
        {table.id: table for table in backwards},
        {(table.schema_name, table.name): table for table in backwards},
    )
    for table in diagram.tables:
        maps.by_bare_name[table.name].append(table)
    _tables[:] = [maps]
    return maps


def relationship_maps(diagram: Diagram) -> RelationshipMaps:
    """The ids and names of the diagram's current relationship list."""
    cached = _relationships[0] if _relationships else None
    relationships = diagram.relationships
    shape = fingerprint(relationships)
    if cached is not None and cached.relationships is relationships and cached.fingerprint == shape:
        return cached
    maps = RelationshipMaps(
        relationships,
        shape,
        frozenset(r.id for r in relationships),
        frozenset(r.name for r in relationships if r.name is not None),
        {link_of(r): r for r in relationships[::-1]},
    )
    _relationships[:] = [maps]
    return maps


def link_of(relationship: Relationship) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """What makes two relationships the same link, whatever they are called."""
    return (
        relationship.source_table_id,
        tuple(relationship.source_columns),
        relationship.target_table_id,
        tuple(relationship.target_columns),
    )


def table_with_id(diagram: Diagram, table_id: str) -> Table | None:
    """The table with this id, if any."""
    return table_maps(diagram).by_id.get(table_id)


def table_named(diagram: Diagram, name: str) -> Table | None:
    """The table called `name` or `schema.name`; a bare name must be unambiguous."""
    maps = table_maps(diagram)
    if "." in name:
        schema_name, _, bare = name.rpartition(".")
        found = maps.by_name.get((schema_name, bare))
        if found is not None:
            return found
    matches = maps.by_bare_name.get(name, [])
    return matches[0] if len(matches) == 1 else None


def name_taken(diagram: Diagram, schema_name: str | None, name: str) -> bool:
    """True when the diagram has a table with this schema and name."""
    return (schema_name, name) in table_maps(diagram).by_name


def require_table(diagram: Diagram, name: str, table_id: str | None = None) -> Table:
    """The table addressed by id (which wins) or name, or InvalidChange saying why not.

    A bare name that several schemas share is refused with the qualified names to choose
    from, not reported as missing.
    """
    table = table_with_id(diagram, table_id) if table_id else table_named(diagram, name)
    if table is not None:
        return table
    if table_id:
        raise InvalidChange(f"Table {name!r} does not exist in diagram {diagram.name!r}.")
    bare = name.rpartition(".")[2]
    namesakes = sorted(t.qualified_name for t in table_maps(diagram).by_bare_name.get(bare, []))
    choices = ", ".join(repr(n) for n in namesakes)
    if "." not in name and len(namesakes) > 1:
        raise InvalidChange(
            f"Diagram {diagram.name!r} has no single table named {name!r}: several schemas "
            f"have one. Did you mean: {choices}?"
        )
    if not namesakes:
        known = [t.qualified_name for t in diagram.tables] + list(table_maps(diagram).by_bare_name)
        namesakes = sorted(set(difflib.get_close_matches(name, known, n=3, cutoff=0.8)))
        choices = ", ".join(repr(n) for n in namesakes)
    hint = f" Did you mean: {choices}?" if namesakes else ""
    raise InvalidChange(f"Table {name!r} does not exist in diagram {diagram.name!r}.{hint}")
