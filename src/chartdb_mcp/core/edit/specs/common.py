"""What the three spec translators share: finding tables, building columns, naming things.

Generated names follow PostgreSQL's habits (`posts_pkey`, `posts_slug_key`,
`posts_author_id_fkey`) with `idx_posts_title` for indexes. They are deterministic: a
name the diagram already uses gets the first free numeric suffix (`idx_posts_title1`).
"""

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence

from chartdb_mcp.core.edit.specs.inputs import ColumnSpec
from chartdb_mcp.core.model import Column, DatabaseType, Diagram, Table
from chartdb_mcp.core.sql.types import normalize_type
from chartdb_mcp.errors import InvalidInput, TableNotFound


def find_table(name: str, diagram: Diagram) -> Table:
    """The table called `name` or `schema.name`; TableNotFound with close names otherwise."""
    table = diagram.find_table(name)
    if table is None:
        raise TableNotFound([name], diagram.name, close_tables(name, diagram))
    return table


def close_tables(name: str, diagram: Diagram, limit: int = 5) -> list[str]:
    """Qualified names of tables the caller may have meant: same or similar bare name."""
    bare = name.rpartition(".")[2]
    by_bare: dict[str, list[str]] = {}
    for table in diagram.tables:
        by_bare.setdefault(table.name.lower(), []).append(table.qualified_name)
    close = difflib.get_close_matches(bare.lower(), list(by_bare), n=limit, cutoff=0.6)
    return [qualified for match in close for qualified in by_bare[match]][:limit]


def default_schema(diagram: Diagram) -> str | None:
    """The schema every table of the diagram is in, or the diagram's only schema when empty."""
    schemas = {table.schema_name for table in diagram.tables}
    if len(schemas) == 1:
        return schemas.pop()
    if not diagram.tables and len(diagram.schemas) == 1:
        return diagram.schemas[0]
    return None


def build_column(spec: ColumnSpec, database_type: DatabaseType, in_key: bool) -> Column:
    """The column a spec describes; a primary-key column is always NOT NULL."""
    return Column(
        name=spec.name,
        type=spec.type,
        normalized_type=normalize_type(spec.type, database_type),
        nullable=spec.nullable and not in_key and not spec.primary_key,
        default=spec.default,
        autoincrement=spec.autoincrement,
        comment=spec.comment,
    )


def check_distinct(names: Sequence[str], what: str, table: str) -> None:
    """Refuse a list of names that repeats one, quoting the repeated names."""
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise InvalidInput(f"The {what} of table {table!r} repeat {quoted(repeated)}.")


def quoted(names: Iterable[str]) -> str:
    """`'a', 'b'`: names as messages quote them."""
    return ", ".join(repr(name) for name in names)


def taken_names(diagram: Diagram) -> set[str]:
    """Every key, constraint, index and relationship name the diagram uses."""
    taken = {r.name for r in diagram.relationships if r.name}
    for table in diagram.tables:
        if table.primary_key is not None and table.primary_key.name:
            taken.add(table.primary_key.name)
        taken |= {u.name for u in table.unique_constraints if u.name}
        taken |= {i.name for i in table.indexes}
        taken |= {c.name for c in table.checks if c.name}
    return taken


class FreshNames:
    """Hands out generated names that are not yet taken, the same ones for the same input."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)

    def claim(self, base: str) -> str:
        """`base`, or `base` with the first free number appended; the name is then taken."""
        name, number = base, 1
        while name in self.taken:
            name, number = f"{base}{number}", number + 1
        self.taken.add(name)
        return name

    def given_or_claim(self, given: str | None, base: str) -> str:
        """The caller's name when given (already reserved), else a claimed one."""
        return given if given is not None else self.claim(base)


def joined(columns: Sequence[str]) -> str:
    """Column names as generated names embed them: `a_b`."""
    return "_".join(columns)
