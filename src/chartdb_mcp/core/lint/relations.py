"""Rules about the diagram's graph: tables that no relationship touches."""

from collections.abc import Iterator

from chartdb_mcp.core.lint.findings import Finding, LintContext, Rule, Severity


def isolated_tables(context: LintContext) -> Iterator[Finding]:
    if len(context.diagram.tables) < 2:
        return
    linked = {
        table_id
        for r in context.diagram.relationships
        for table_id in (r.source_table_id, r.target_table_id)
    }
    partitions = {t.partition_of for t in context.diagram.tables if t.partition_of}
    for table in context.tables:
        if table.id in linked or table.partition_of is not None or table.id in partitions:
            continue
        yield NO_RELATIONS.finding(
            table,
            f"Table {table.qualified_name!r} has no relationships to other tables.",
            "Add the foreign keys it implies (columns such as <table>_id), or confirm it "
            "stands alone (a log, a lookup read by name).",
        )


NO_RELATIONS = Rule(
    "no-relations",
    Severity.INFO,
    "A table neither references nor is referenced by another table.",
    isolated_tables,
)
RULES = (NO_RELATIONS,)
