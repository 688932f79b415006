"""What ChartDB diagram JSON cannot hold, in the words of the export's warnings."""

from chartdb_mcp.core.formats.interchange.chartdb_shape import DEFAULT_TABLE_COLOR
from chartdb_mcp.core.formats.interchange.common import count_warning
from chartdb_mcp.core.model import Diagram

# What each kind of loss means, in the words of a warning: (singular, plural, reason).
LOSSES = {
    "actions": (
        "relationship has",
        "relationships have",
        "ON DELETE/ON UPDATE actions that ChartDB JSON cannot hold and were left out",
    ),
    "composite": (
        "composite foreign key was",
        "composite foreign keys were",
        "written as one ChartDB relationship per column pair under one name (import regroups them)",
    ),
    "relationship name": (
        "unnamed composite foreign key was",
        "unnamed composite foreign keys were",
        "given a name so the pairs can be regrouped",
    ),
    "expression index": (
        "index on expressions was",
        "indexes on expressions were",
        "left out: ChartDB indexes list columns only",
    ),
    "descending": ("index lost", "indexes lost", "the DESC order: ChartDB indexes have no order"),
    "index method": (
        "index lost",
        "indexes lost",
        "the method: ChartDB knows btree, hash, gist, gin, spgist, brin, the SQL Server "
        "kinds, fulltext and spatial",
    ),
    "partial": ("partial index lost", "partial indexes lost", "the WHERE predicate"),
    "include": ("index lost", "indexes lost", "the INCLUDE columns"),
    "unique name": (
        "single-column unique constraint lost",
        "single-column unique constraints lost",
        "the name: ChartDB marks the field unique",
    ),
    "unique as index": (
        "multi-column unique constraint was",
        "multi-column unique constraints were",
        "written as a unique index",
    ),
    "key name": ("primary key was", "primary keys were", "given a name to keep the column order"),
    "unique on key": (
        "unique constraint repeats",
        "unique constraints repeat",
        "a one-column primary key or unique index and was left out: the index says it all",
    ),
    "check name": ("check constraint lost", "check constraints lost", "the name"),
    "generated": ("generated column lost", "generated columns lost", "the expression"),
    "on update": ("column lost", "columns lost", "the ON UPDATE expression"),
    "identity": (
        "identity column is",
        "identity columns are",
        "written as auto-increment (the GENERATED kind is lost)",
    ),
    "partitioning": ("table lost", "tables lost", "the partitioning details"),
    "domain": (
        "domain type was",
        "domain types were",
        "left out: ChartDB custom types are enums and composites",
    ),
    "view definition": (
        "view lost",
        "views lost",
        "the definition: ChartDB keeps only the columns",
    ),
    "position": ("table had", "tables had", "no canvas position; laid out on a grid"),
    "color": ("table had", "tables had", f"no color and got {DEFAULT_TABLE_COLOR}"),
}


def warnings(lost: dict[str, list[str]], diagram: Diagram) -> list[str]:
    """One sentence per kind of loss, naming up to five of the elements concerned."""
    found = []
    for what, names in lost.items():
        singular, plural, reason = LOSSES[what]
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        found += count_warning(len(names), singular, plural, f"{reason} ({shown}).")
    if diagram.description:
        found.append("The diagram's description is not part of ChartDB JSON; it was left out.")
    if any(t.status.value != "PLANNED" or t.sync for t in diagram.tables):
        found.append("Table statuses are not part of ChartDB JSON; they were left out.")
    return found
