"""Rules about indexes: exact duplicates, and indexes a longer one already serves.

Two indexes are compared by their key parts (column or expression, and order), their
predicate, their method and their INCLUDE list. A unique index is never called
redundant, since it enforces something, but it can still duplicate a key.
"""

from collections.abc import Hashable, Iterator

from chartdb_mcp.core.lint.findings import Finding, LintContext, Rule, Severity
from chartdb_mcp.core.model import Index, IndexPart, Table

# The shape of the index behind a primary key or unique constraint.
PLAIN: tuple[Hashable, ...] = (None, "btree", ())


def key_of(parts: list[IndexPart]) -> tuple[Hashable, ...]:
    return tuple((p.column, p.expression, p.descending) for p in parts)


def shape_of(index: Index) -> tuple[Hashable, ...]:
    """What besides the key makes two indexes interchangeable."""
    return (index.where, (index.method or "btree").lower(), tuple(index.include))


def constraint_keys(table: Table) -> list[tuple[str, tuple[Hashable, ...]]]:
    """The primary key and unique constraints, each a (label, key) pair."""
    found = []
    if table.primary_key is not None:
        parts = [IndexPart(column=c) for c in table.primary_key.columns]
        found.append(("the primary key", key_of(parts)))
    for unique in table.unique_constraints:
        parts = [IndexPart(column=c) for c in unique.columns]
        found.append((f"unique constraint {unique.name or unique.columns}", key_of(parts)))
    return found


def duplicate_indexes(context: LintContext) -> Iterator[Finding]:
    for table in context.tables:
        seen = [(label, key, PLAIN) for label, key in constraint_keys(table)]
        for index in table.indexes:
            key, shape = key_of(index.parts), shape_of(index)
            same = next((label for label, k, s in seen if k == key and s == shape), None)
            if same is None:
                seen.append((f"index {index.name!r}", key, shape))
                continue
            yield DUPLICATE_INDEX.finding(
                table,
                f"Index {index.name!r} ({', '.join(index.columns)}) repeats {same}.",
                f"Drop {index.name!r}; {same} already serves the same lookups.",
            )


def redundant_indexes(context: LintContext) -> Iterator[Finding]:
    for table in context.tables:
        longer = [(f"index {i.name!r}", key_of(i.parts), shape_of(i)) for i in table.indexes]
        longer += [(label, key, PLAIN) for label, key in constraint_keys(table)]
        for index in table.indexes:
            if index.unique:
                continue
            key, shape = key_of(index.parts), shape_of(index)
            cover = next(
                (
                    label
                    for label, other, other_shape in longer
                    if len(other) > len(key) and other[: len(key)] == key and other_shape == shape
                ),
                None,
            )
            if cover is not None:
                yield REDUNDANT_INDEX.finding(
                    table,
                    f"Index {index.name!r} ({', '.join(index.columns)}) is a leading part of "
                    f"{cover}, which serves the same lookups.",
                    f"Drop {index.name!r} unless its smaller size matters for a hot query.",
                )


DUPLICATE_INDEX = Rule(
    "duplicate-index",
    Severity.WARNING,
    "An index repeats another index, the primary key or a unique constraint.",
    duplicate_indexes,
)
REDUNDANT_INDEX = Rule(
    "redundant-index",
    Severity.INFO,
    "A non-unique index is a prefix of another index or key.",
    redundant_indexes,
)
RULES = (DUPLICATE_INDEX, REDUNDANT_INDEX)
