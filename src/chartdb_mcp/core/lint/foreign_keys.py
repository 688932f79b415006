"""Rules about foreign keys: a supporting index, and types that match their target."""

from collections.abc import Iterator

from chartdb_mcp.core.lint.findings import Finding, LintContext, Rule, Severity
from chartdb_mcp.core.model import Table


def leading_column_sets(table: Table) -> list[list[str]]:
    """The column lists an index-backed lookup can start with: keys and indexes.

    A partial index holds only the rows its predicate picks, so it cannot find every
    child row of a parent and does not count.
    """
    found = [
        index_columns
        for index in table.indexes
        if index.where is None and (index_columns := plain_columns(index))
    ]
    found += [unique.columns for unique in table.unique_constraints]
    if table.primary_key is not None:
        found.append(table.primary_key.columns)
    return found


def plain_columns(index: object) -> list[str]:
    """An index's leading plain columns, up to its first expression."""
    columns = []
    for part in getattr(index, "parts", []):
        if part.column is None:
            break
        columns.append(part.column)
    return columns


def foreign_keys_without_index(context: LintContext) -> Iterator[Finding]:
    in_scope = {table.id for table in context.tables}
    for relationship in context.diagram.relationships:
        if relationship.source_table_id not in in_scope:
            continue
        table = context.diagram.table_by_id(relationship.source_table_id)
        if table is None:
            continue
        wanted = set(relationship.source_columns)
        width = len(wanted)
        if any(set(columns[:width]) == wanted for columns in leading_column_sets(table)):
            continue
        shown = ", ".join(relationship.source_columns)
        yield FK_WITHOUT_INDEX.finding(
            table,
            f"Foreign key {relationship.name or shown!r} ({shown}) has no index that starts "
            "with its columns; deletes and updates of the parent scan this table.",
            f"Add an index on {table.name}({shown}).",
            column=relationship.source_columns[0],
        )


def foreign_key_type_mismatches(context: LintContext) -> Iterator[Finding]:
    in_scope = {table.id for table in context.tables}
    diagram = context.diagram
    for relationship in diagram.relationships:
        source = diagram.table_by_id(relationship.source_table_id)
        target = diagram.table_by_id(relationship.target_table_id)
        if source is None or target is None or source.id not in in_scope:
            continue
        pairs = zip(relationship.source_columns, relationship.target_columns, strict=True)
        for source_name, target_name in pairs:
            child, parent = source.column(source_name), target.column(target_name)
            if child is None or parent is None:
                continue
            if context.type_of(child) == context.type_of(parent):
                continue
            yield FK_TYPE_MISMATCH.finding(
                source,
                f"Column {source_name!r} ({child.type}) references "
                f"{target.qualified_name}.{target_name} ({parent.type}); the types differ.",
                f"Give {source_name!r} the type {parent.type}, so joins need no cast and "
                "every parent value fits.",
                column=source_name,
            )


FK_WITHOUT_INDEX = Rule(
    "fk-without-index",
    Severity.WARNING,
    "A foreign key's columns do not lead any index, key or unique constraint.",
    foreign_keys_without_index,
)
FK_TYPE_MISMATCH = Rule(
    "fk-type-mismatch",
    Severity.ERROR,
    "A foreign key column's type differs from the column it references.",
    foreign_key_type_mismatches,
)
RULES = (FK_WITHOUT_INDEX, FK_TYPE_MISMATCH)
