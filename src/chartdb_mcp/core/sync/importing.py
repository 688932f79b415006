"""Plan bringing live tables into a diagram: which to add, replace, keep or list as conflicts.

The plan is the diagram as it would be after the import; the service diffs it against
the current diagram to get the ops of a proposal. A table in both that differs is a
conflict, settled by the policy: keep the diagram's version, take the database's, or
list it (and propose only what does not conflict). A table brought in keeps the ids,
color and position the diagram gave it (see `merge_import`) and becomes SYNCED.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chartdb_mcp.core.edit.merge_import import merge_import
from chartdb_mcp.core.model import CustomType, Diagram, Relationship, SyncInfo, Table, TableStatus
from chartdb_mcp.core.sync.compare import Difference, SchemaComparison, TableMatcher
from chartdb_mcp.errors import InvalidInput


class ImportScope(StrEnum):
    """Which live tables to bring: all, those the diagram lacks, or named ones."""

    ALL = "all"
    NEW = "new"
    TABLES = "tables"


class ConflictPolicy(StrEnum):
    """What to do with a table that exists on both sides and differs."""

    KEEP_DIAGRAM = "keep-diagram"
    TAKE_DATABASE = "take-database"
    LIST = "list"


@dataclass
class ImportPlan:
    """The diagram after the import, and what happened to each live table considered."""

    diagram: Diagram
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    conflicts: dict[str, list[Difference]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    custom_types: list[str] = field(default_factory=list)


@dataclass
class LiveSide:
    """What the live database has, as model objects."""

    tables: list[Table]
    relationships: list[Relationship]
    custom_types: list[CustomType]
    source: str
    read_at: datetime


def plan_import(
    diagram: Diagram,
    live: LiveSide,
    comparison: SchemaComparison,
    *,
    scope: ImportScope,
    names: list[str],
    policy: ConflictPolicy,
) -> ImportPlan:
    """The diagram with the chosen live tables brought in under `policy`.

    Raises InvalidInput for a named table the database lacks, or names with another scope.
    """
    chosen = choose_tables(live.tables, comparison, scope, names)
    differing = {c.live.id: c for c in comparison.tables if c.live is not None}
    plan = ImportPlan(diagram=diagram)
    brought: list[Table] = []
    for table in chosen:
        found = differing.get(table.id)
        if found is None:
            plan.added.append(table.qualified_name)
        elif not found.differences:
            plan.unchanged.append(table.qualified_name)
            continue
        elif policy is ConflictPolicy.TAKE_DATABASE:
            plan.replaced.append(table.qualified_name)
        elif policy is ConflictPolicy.KEEP_DIAGRAM:
            plan.kept.append(table.qualified_name)
            continue
        else:
            plan.conflicts[table.qualified_name] = found.differences
            continue
        sync = SyncInfo(source=live.source, verified_at=live.read_at)
        brought.append(table.model_copy(update={"status": TableStatus.SYNCED, "sync": sync}))
    types = types_to_bring(diagram, live.custom_types, policy, bool(brought))
    plan.custom_types = [t.name for t in types]
    if brought or types:
        plan.diagram = merged(diagram, live, brought, types)
    return plan


def choose_tables(
    live_tables: list[Table], comparison: SchemaComparison, scope: ImportScope, names: list[str]
) -> list[Table]:
    """The live tables the scope asks for, in the database's order."""
    if names and scope is not ImportScope.TABLES:
        raise InvalidInput("'tables' is only used with scope 'tables'.")
    if scope is ImportScope.ALL:
        return live_tables
    if scope is ImportScope.NEW:
        return comparison.live_only
    if not names:
        raise InvalidInput("Scope 'tables' needs 'tables': the live tables to bring in.")
    by_qualified = {t.qualified_name: t for t in live_tables}
    matcher = TableMatcher(live_tables)
    picked: dict[str, Table] = {}
    for name in names:
        table = by_qualified.get(name)
        if table is None:
            schema, _, bare = name.rpartition(".")
            table = matcher.match(Table(schema_name=schema or None, name=bare))
        if table is None:
            raise InvalidInput(f"The database has no table named {name!r}.")
        picked[table.id] = table
    return [t for t in live_tables if t.id in picked]


def types_to_bring(
    diagram: Diagram, live_types: list[CustomType], policy: ConflictPolicy, any_table: bool
) -> list[CustomType]:
    """Live types the diagram lacks (all of them when taking the database's side)."""
    if policy is ConflictPolicy.TAKE_DATABASE and any_table:
        return live_types
    known = {(t.schema_name, t.name) for t in diagram.custom_types}
    return [t for t in live_types if (t.schema_name, t.name) not in known]


def merged(
    diagram: Diagram, live: LiveSide, brought: list[Table], types: list[CustomType]
) -> Diagram:
    """The diagram with `brought` and `types` folded in; every other table left as it was."""
    brought_ids = {t.id for t in brought}
    inner = [
        r
        for r in live.relationships
        if r.source_table_id in brought_ids and r.target_table_id in brought_ids
    ]
    subset = Diagram(
        name=diagram.name,
        database_type=diagram.database_type,
        tables=brought,
        relationships=inner,
        custom_types=types,
    )
    result = merge_import(diagram, subset).diagram
    originals = {t.id: t for t in diagram.tables}
    keys = {(t.schema_name, t.name) for t in brought}
    # A replaced table keeps its sync record: no op changes one in place, so a new
    # record would make the diff drop and create the table instead of altering it.
    tables = [
        t
        if t.id not in originals
        else t.model_copy(update={"sync": originals[t.id].sync})
        if (t.schema_name, t.name) in keys
        else originals[t.id]
        for t in result.tables
    ]
    relationships = result.relationships + crossing(live, brought_ids, tables, result)
    return result.model_copy(
        update={
            "tables": tables,
            "relationships": relationships,
            "views": diagram.views,
            "source": diagram.source,
            "schemas": diagram.schemas,
        }
    )


def crossing(
    live: LiveSide, brought_ids: set[str], tables: list[Table], result: Diagram
) -> list[Relationship]:
    """Live foreign keys between a brought table and one the diagram already had."""
    live_by_id = {t.id: t for t in live.tables}
    by_key = {(t.schema_name, t.name): t.id for t in tables}
    present = {
        (r.source_table_id, tuple(r.source_columns), r.target_table_id, tuple(r.target_columns))
        for r in result.relationships
    }
    found = []
    for relationship in live.relationships:
        ends = {relationship.source_table_id, relationship.target_table_id}
        if len(ends) != 2 or len(ends & brought_ids) != 1:
            continue  # self-references and links between brought tables came with them
        source = live_by_id[relationship.source_table_id]
        target = live_by_id[relationship.target_table_id]
        source_id = by_key.get((source.schema_name, source.name))
        target_id = by_key.get((target.schema_name, target.name))
        if source_id is None or target_id is None:
            continue
        key = (
            source_id,
            tuple(relationship.source_columns),
            target_id,
            tuple(relationship.target_columns),
        )
        if key in present:
            continue
        present.add(key)
        found.append(
            relationship.model_copy(
                update={"source_table_id": source_id, "target_table_id": target_id}
            )
        )
    return found
