"""A table present in both diagrams, and how its members refer to its columns.

Keys, indexes and relationships name columns, but a column keeps its id through a
rename. Comparing them by column id (`column_ref`) means a renamed column does not
make them look changed: `rename_column` rewrites their names on the way.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chartdb_mcp.core.model import Table


def column_ref(table: Table, name: str) -> str:
    """The id of the table's column called `name`, or a marker when it has none."""
    column = table.column(name)
    return column.id if column is not None else f"<missing {name}>"


def column_refs(table: Table, names: Iterable[str]) -> list[str]:
    """`column_ref` of each name, in order."""
    return [column_ref(table, name) for name in names]


def address(table: Table) -> dict[str, Any]:
    """The fields that address `table` in an op: its qualified name and its id."""
    return {"table": table.qualified_name, "table_id": table.id}


@dataclass(frozen=True)
class TablePair:
    """One table (same id) in the old and the new diagram, kept rather than recreated.

    `gone_ids` holds the ids of old columns that are dropped, or dropped and added
    again; whatever uses one of them must be dropped before the columns are.
    """

    old_table: Table
    new_table: Table
    gone_ids: frozenset[str]

    @property
    def table_id(self) -> str:
        """The id the table has on both sides."""
        return self.old_table.id

    def uses_gone(self, old_names: Iterable[str]) -> bool:
        """Whether any of these old column names belongs to a column that goes away."""
        return any(column_ref(self.old_table, name) in self.gone_ids for name in old_names)
