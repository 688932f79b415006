"""Rules about names: reserved words, and identifiers longer than the dialect allows."""

from collections.abc import Iterator

from chartdb_mcp.core.lint.findings import Finding, LintContext, Rule, Severity
from chartdb_mcp.core.lint.reserved_words import MAX_IDENTIFIER, ORACLE_LEGACY_MAX, RESERVED
from chartdb_mcp.core.model import DatabaseType, Table


def names_of(table: Table) -> Iterator[tuple[str, str, str | None]]:
    """(kind, name, column) for the table, its columns, and its named keys and indexes."""
    yield "table", table.name, None
    for column in table.columns:
        yield "column", column.name, column.name
    if table.primary_key is not None and table.primary_key.name:
        yield "primary key", table.primary_key.name, None
    for unique in table.unique_constraints:
        if unique.name:
            yield "unique constraint", unique.name, None
    for index in table.indexes:
        yield "index", index.name, None
    for check in table.checks:
        if check.name:
            yield "check constraint", check.name, None


def reserved_names(context: LintContext) -> Iterator[Finding]:
    reserved = RESERVED[context.dialect]
    for table in context.tables:
        for kind, name, column in names_of(table):
            if kind in ("table", "column") and name.lower() in reserved:
                yield RESERVED_WORD.finding(
                    table,
                    f"The {kind} name {name!r} is a reserved word in "
                    f"{context.dialect.value}; every query must quote it.",
                    f"Rename it (for example {name.lower()}_{kind}), or always quote it.",
                    column=column,
                )


def long_names(context: LintContext) -> Iterator[Finding]:
    limit = MAX_IDENTIFIER.get(context.dialect)
    if limit is None:
        return
    names = [(t, kind, n, c) for t in context.tables for kind, n, c in names_of(t)]
    names += [
        (table, "foreign key", r.name, r.source_columns[0])
        for r in context.diagram.relationships
        if r.name and (table := context.diagram.table_by_id(r.source_table_id)) in context.tables
    ]
    for table, kind, name, column in names:
        size = len(name.encode()) if context.dialect == DatabaseType.POSTGRESQL else len(name)
        if size > limit:
            yield TOO_LONG.finding(
                table,
                f"The {kind} name {name!r} is {size} characters; {context.dialect.value} "
                f"allows {limit}"
                + (", and PostgreSQL silently truncates longer names." if limit == 63 else "."),
                f"Shorten it to at most {limit} characters.",
                column=column,
            )
        elif context.dialect == DatabaseType.ORACLE and size > ORACLE_LEGACY_MAX:
            yield TOO_LONG.finding(
                table,
                f"The {kind} name {name!r} is {size} characters; Oracle before 12.2 allows "
                f"{ORACLE_LEGACY_MAX}.",
                f"Shorten it to {ORACLE_LEGACY_MAX} characters if older servers must run it.",
                column=column,
            )


RESERVED_WORD = Rule(
    "reserved-word",
    Severity.WARNING,
    "A table or column is named after a word the dialect reserves.",
    reserved_names,
)
TOO_LONG = Rule(
    "identifier-too-long",
    Severity.ERROR,
    "A name is longer than the dialect's identifier limit.",
    long_names,
)
RULES = (RESERVED_WORD, TOO_LONG)
