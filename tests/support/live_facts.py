"""What an import produced, reduced to plain values the corpus tests compare with catalogs."""

from chartdb_mcp.core.model import ReferentialAction, Table, View
from chartdb_mcp.live.introspect import LiveSchema

# The catalogs spell actions as SQL does.
ACTIONS = {action.value: action for action in ReferentialAction}

ForeignKeyFact = tuple[
    str, str | None, tuple[str, ...], str, tuple[str, ...], ReferentialAction, ReferentialAction
]


def table(live: LiveSchema, name: str) -> Table:
    """The imported table with this bare name."""
    return next(table for table in live.tables if table.name == name)


def relations_of(live: LiveSchema) -> list[Table | View]:
    """Tables and views together, as catalogs list relations."""
    return [*live.tables, *live.views]


def foreign_key_facts(live: LiveSchema) -> set[ForeignKeyFact]:
    """(table, name, columns, target, target columns, ON DELETE, ON UPDATE) per relationship."""
    names = {t.id: t.name for t in live.tables}
    return {
        (
            names[r.source_table_id],
            r.name,
            tuple(r.source_columns),
            names[r.target_table_id],
            tuple(r.target_columns),
            r.on_delete,
            r.on_update,
        )
        for r in live.relationships
    }
