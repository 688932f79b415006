"""Rules about keys: tables without a primary key, unique columns that may be null."""

from collections.abc import Iterator

from chartdb_mcp.core.lint.findings import Finding, LintContext, Rule, Severity


def tables_without_primary_key(context: LintContext) -> Iterator[Finding]:
    for table in context.tables:
        if table.primary_key is None and table.partition_of is None:
            yield NO_PRIMARY_KEY.finding(
                table,
                f"Table {table.qualified_name!r} has no primary key.",
                "Add a primary key (a surrogate id, or the columns that identify a row); "
                "replication, ORMs and row-level edits rely on one.",
            )


def nullable_unique_columns(context: LintContext) -> Iterator[Finding]:
    for table in context.tables:
        sets = [u.columns for u in table.unique_constraints]
        sets += [
            [part.column for part in index.parts if part.column is not None]
            for index in table.indexes
            if index.unique and index.where is None
        ]
        seen: set[str] = set()
        for columns in sets:
            for name in columns:
                column = table.column(name)
                if column is None or not column.nullable or name in seen:
                    continue
                seen.add(name)
                yield NULLABLE_UNIQUE.finding(
                    table,
                    f"Column {name!r} is unique but may be NULL; most databases let many rows "
                    "hold NULL there, so it does not identify a row.",
                    f"Make {name!r} NOT NULL, or accept several rows without a value.",
                    column=name,
                )


NO_PRIMARY_KEY = Rule(
    "no-primary-key", Severity.WARNING, "A table has no primary key.", tables_without_primary_key
)
NULLABLE_UNIQUE = Rule(
    "nullable-unique",
    Severity.INFO,
    "A unique constraint or index covers a nullable column.",
    nullable_unique_columns,
)
RULES = (NO_PRIMARY_KEY, NULLABLE_UNIQUE)
