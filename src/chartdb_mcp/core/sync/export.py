"""The two sides of forward engineering: the live schema under the diagram's ids, and the
schema the diagram asks for, with the tables the live database must keep.

`align` gives the live tables the ids the diagram has for them (see `merge_import`), so
the migration alters a table in place instead of dropping and creating it. The desired
side is the diagram without its DEPRECATED tables (they are to be dropped) plus every
live table the diagram does not know (never dropped unless named). `protected_steps`
finds steps that would drop or rebuild a table whose status is EXISTS or SYNCED.
"""

from collections.abc import Callable
from dataclasses import dataclass

from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.model import CustomType, Diagram, Relationship, Table, TableStatus
from chartdb_mcp.core.sql.migrate import Step
from chartdb_mcp.core.sync.compare import TableMatcher

PROTECTED = (TableStatus.EXISTS, TableStatus.SYNCED)


@dataclass
class ExportSides:
    """The live schema (old) and the desired one (new), ids aligned."""

    live: Diagram
    desired: Diagram
    dropped: list[str]


def align(
    diagram: Diagram,
    live_tables: list[Table],
    live_relationships: list[Relationship],
    live_types: list[CustomType],
    *,
    drop: set[str],
) -> ExportSides:
    """Both sides of the migration; `drop` names live tables the diagram lacks, to drop."""
    live_tables = under_diagram_schemas(diagram, live_tables)
    imported = diagram.model_copy(
        update={
            "tables": live_tables,
            "relationships": live_relationships,
            "custom_types": live_types,
            "views": [],
        }
    )
    merged = merge_import(diagram, imported).diagram
    live_keys = {(t.schema_name, t.name) for t in live_tables}
    type_keys = {(t.schema_name, t.name) for t in live_types}
    live_side = keep_tables(merged, lambda t: (t.schema_name, t.name) in live_keys)
    live_side = live_side.model_copy(
        update={
            "custom_types": [
                t for t in merged.custom_types if (t.schema_name, t.name) in type_keys
            ],
            "views": diagram.views,
        }
    )
    known = {t.id for t in diagram.tables}
    deprecated = {t.id for t in diagram.tables if t.status is TableStatus.DEPRECATED}
    unknown = [t for t in live_side.tables if t.id not in known]
    kept_unknown = [t for t in unknown if not named(t, drop)]
    desired_tables = [t for t in diagram.tables if t.id not in deprecated] + kept_unknown
    kept_ids = {t.id for t in desired_tables}
    unknown_ids = {t.id for t in kept_unknown}
    desired_links = [
        r for r in diagram.relationships if {r.source_table_id, r.target_table_id} <= kept_ids
    ] + [
        r
        for r in live_side.relationships
        if {r.source_table_id, r.target_table_id} <= kept_ids
        and {r.source_table_id, r.target_table_id} & unknown_ids
    ]
    diagram_type_ids = {c.id for c in diagram.custom_types}
    desired = diagram.model_copy(
        update={
            "tables": desired_tables,
            "relationships": unique_links(desired_links),
            "custom_types": diagram.custom_types
            + [t for t in live_side.custom_types if t.id not in diagram_type_ids],
        }
    )
    dropped = [t.qualified_name for t in live_side.tables if t.id not in kept_ids]
    return ExportSides(live=live_side, desired=desired, dropped=dropped)


def under_diagram_schemas(diagram: Diagram, live_tables: list[Table]) -> list[Table]:
    """Live tables matched by bare name (the diagram names no schema, or another) take the
    diagram's schema, so that merging pairs them as verification does."""
    matcher = TableMatcher(live_tables)
    schemas: dict[str, str | None] = {}
    for table in diagram.tables:
        found = matcher.match(table)
        if found is not None and found.schema_name != table.schema_name:
            schemas[found.id] = table.schema_name
    return [
        t.model_copy(update={"schema_name": schemas[t.id]}) if t.id in schemas else t
        for t in live_tables
    ]


def keep_tables(diagram: Diagram, keep: Callable[[Table], bool]) -> Diagram:
    """The diagram with only the tables `keep` accepts, and the links between them."""
    tables = [t for t in diagram.tables if keep(t)]
    ids = {t.id for t in tables}
    links = [r for r in diagram.relationships if {r.source_table_id, r.target_table_id} <= ids]
    return diagram.model_copy(update={"tables": tables, "relationships": links})


def unique_links(links: list[Relationship]) -> list[Relationship]:
    """Relationships without repeats, by id."""
    return list({r.id: r for r in links}.values())


def named(table: Table, names: set[str]) -> bool:
    """Whether `names` has the table's qualified or bare name."""
    return table.qualified_name in names or table.name in names


def protected_steps(steps: list[Step], diagram: Diagram, allowed: set[str]) -> list[str]:
    """Tables with status EXISTS or SYNCED that a step would drop or rebuild, unless allowed."""
    protected = {
        t.qualified_name: t
        for t in diagram.tables
        if t.status in PROTECTED and not named(t, allowed)
    }
    bare = {t.name: q for q, t in protected.items()}
    hit: list[str] = []
    for step in steps:
        if step.table is None or not drops_table(step):
            continue
        name = step.table if step.table in protected else bare.get(step.table.rpartition(".")[2])
        if name is not None and name not in hit:
            hit.append(name)
    return hit


def drops_table(step: Step) -> bool:
    """Whether the step drops a table (on its own, or as part of a rebuild)."""
    return step.change in ("drop_table", "rebuild_table") or step.sql.lstrip().upper().startswith(
        "DROP TABLE"
    )
