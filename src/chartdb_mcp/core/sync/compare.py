"""Compare the diagram's tables (desired) with the live database's (live), by name.

A table is matched by its schema and name; when the diagram gives no schema, or the
schemas differ only because the diagram names none, a unique bare name matches. For
each matched pair the comparison lists what differs: columns present on one side only,
column types (normalized, so `int4` and `integer` agree), nullability, the primary key,
unique constraints, indexes (by name: parts, uniqueness, predicate) and foreign keys
(by their column pairs and the tables they join). Defaults, comments and checks are not
compared: their spellings vary by server version more than their meaning does.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from chartdb_mcp.core.model import DatabaseType, Diagram, Index, Relationship, Table
from chartdb_mcp.core.sql.types import normalize_type

QualifiedName = tuple[str | None, str]


class DifferenceKind(StrEnum):
    """What kind of element differs."""

    COLUMN_ONLY_IN_DIAGRAM = "column_only_in_diagram"
    COLUMN_ONLY_IN_DATABASE = "column_only_in_database"
    COLUMN_TYPE = "column_type"
    COLUMN_NULLABLE = "column_nullable"
    PRIMARY_KEY = "primary_key"
    UNIQUE_ONLY_IN_DIAGRAM = "unique_only_in_diagram"
    UNIQUE_ONLY_IN_DATABASE = "unique_only_in_database"
    INDEX_ONLY_IN_DIAGRAM = "index_only_in_diagram"
    INDEX_ONLY_IN_DATABASE = "index_only_in_database"
    INDEX_DEFINITION = "index_definition"
    FOREIGN_KEY_ONLY_IN_DIAGRAM = "foreign_key_only_in_diagram"
    FOREIGN_KEY_ONLY_IN_DATABASE = "foreign_key_only_in_database"


@dataclass(frozen=True)
class Difference:
    """One difference of one table: the element, and how each side has it."""

    kind: DifferenceKind
    element: str
    desired: str | None = None
    live: str | None = None

    @property
    def sentence(self) -> str:
        """The difference in words, as drift details and reports show it."""
        where = {
            "only_in_diagram": "is in the diagram only",
            "only_in_database": "is in the database only",
        }
        for suffix, words in where.items():
            if self.kind.value.endswith(suffix):
                noun = self.kind.value.removesuffix("_" + suffix).replace("_", " ")
                return f"{noun} {self.element} {words}"
        noun = self.kind.value.replace("_", " ")
        return (
            f"{noun} of {self.element}: {self.desired} in the diagram, {self.live} in the database"
        )

    def as_tuple(self) -> tuple[str, str, str | None, str | None]:
        """The difference as plain values, for tests and structured answers."""
        return (self.kind.value, self.element, self.desired, self.live)


@dataclass
class TableComparison:
    """A diagram table and what the database has of it: absent, equal, or differing."""

    desired: Table
    live: Table | None
    differences: list[Difference] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """Whether the database has the table."""
        return self.live is not None


@dataclass
class SchemaComparison:
    """Every compared diagram table, and the live tables the diagram lacks."""

    tables: list[TableComparison]
    live_only: list[Table]


def compare_schemas(
    desired: Diagram,
    live_tables: list[Table],
    live_relationships: list[Relationship],
    *,
    database_type: DatabaseType,
    only: Iterable[str] | None = None,
) -> SchemaComparison:
    """Compare the diagram's tables (those with an id in `only`, when given) with the live ones."""
    wanted = set(only) if only is not None else None
    matcher = TableMatcher(live_tables)
    desired_links = links_by_table(desired.tables, desired.relationships)
    live_links = links_by_table(live_tables, live_relationships)
    comparisons = []
    for table in desired.tables:
        if wanted is not None and table.id not in wanted:
            continue
        live = matcher.match(table)
        comparison = TableComparison(desired=table, live=live)
        if live is not None:
            comparison.differences = compare_tables(table, live, database_type)
            comparison.differences += compare_links(
                desired_links.get(table.id, set()), live_links.get(live.id, set())
            )
        comparisons.append(comparison)
    matched = {c.live.id for c in comparisons if c.live is not None}
    taken = {matcher.key_of(t) for t in desired.tables}
    live_only = [t for t in live_tables if t.id not in matched and matcher.key_of(t) not in taken]
    return SchemaComparison(tables=comparisons, live_only=live_only)


class TableMatcher:
    """Finds the live table a diagram table names: by schema and name, else by bare name."""

    def __init__(self, live_tables: list[Table]) -> None:
        self.by_key = {self.key_of(t): t for t in live_tables}
        by_bare: dict[str, list[Table]] = {}
        for table in live_tables:
            by_bare.setdefault(table.name, []).append(table)
        self.by_bare = by_bare

    @staticmethod
    def key_of(table: Table) -> QualifiedName:
        """The table's schema and name."""
        return (table.schema_name, table.name)

    def match(self, table: Table) -> Table | None:
        """The live table of the same schema and name, or the only one of the same name."""
        exact = self.by_key.get(self.key_of(table))
        if exact is not None:
            return exact
        namesakes = self.by_bare.get(table.name, [])
        return namesakes[0] if len(namesakes) == 1 else None


def compare_tables(desired: Table, live: Table, database_type: DatabaseType) -> list[Difference]:
    """The differences between two versions of one table, columns first."""
    return (
        compare_columns(desired, live, database_type)
        + compare_primary_keys(desired, live)
        + compare_uniques(desired, live)
        + compare_indexes(desired, live)
    )


def compare_columns(desired: Table, live: Table, database_type: DatabaseType) -> list[Difference]:
    """Columns on one side only, then type and nullability of the common ones."""
    live_columns = {c.name: c for c in live.columns}
    desired_names = {c.name for c in desired.columns}
    found = [
        Difference(DifferenceKind.COLUMN_ONLY_IN_DIAGRAM, quoted(c.name))
        for c in desired.columns
        if c.name not in live_columns
    ]
    found += [
        Difference(DifferenceKind.COLUMN_ONLY_IN_DATABASE, quoted(c.name))
        for c in live.columns
        if c.name not in desired_names
    ]
    for desired_column in desired.columns:
        live_column = live_columns.get(desired_column.name)
        if live_column is None:
            continue
        desired_type = normalize_type(desired_column.type, database_type)
        live_type = normalize_type(live_column.type, database_type)
        element = quoted(desired_column.name)
        if desired_type != live_type:
            found.append(Difference(DifferenceKind.COLUMN_TYPE, element, desired_type, live_type))
        if desired_column.nullable != live_column.nullable:
            found.append(
                Difference(
                    DifferenceKind.COLUMN_NULLABLE,
                    element,
                    nullability(desired_column.nullable),
                    nullability(live_column.nullable),
                )
            )
    return found


def compare_primary_keys(desired: Table, live: Table) -> list[Difference]:
    """The primary key's columns, in order; its name is not compared."""
    desired_key = desired.primary_key.columns if desired.primary_key else []
    live_key = live.primary_key.columns if live.primary_key else []
    if desired_key == live_key:
        return []
    return [
        Difference(DifferenceKind.PRIMARY_KEY, "the table", listed(desired_key), listed(live_key))
    ]


def compare_uniques(desired: Table, live: Table) -> list[Difference]:
    """Unique constraints by their column lists (names vary by database)."""
    desired_sets = {tuple(u.columns) for u in desired.unique_constraints}
    live_sets = {tuple(u.columns) for u in live.unique_constraints}
    return [
        Difference(DifferenceKind.UNIQUE_ONLY_IN_DIAGRAM, listed(list(columns)))
        for columns in sorted(desired_sets - live_sets)
    ] + [
        Difference(DifferenceKind.UNIQUE_ONLY_IN_DATABASE, listed(list(columns)))
        for columns in sorted(live_sets - desired_sets)
    ]


def compare_indexes(desired: Table, live: Table) -> list[Difference]:
    """Indexes by name: present on one side only, or defined differently."""
    desired_by_name = {index.name: index for index in desired.indexes}
    live_by_name = {index.name: index for index in live.indexes}
    found = [
        Difference(DifferenceKind.INDEX_ONLY_IN_DIAGRAM, quoted(name))
        for name in desired_by_name
        if name not in live_by_name
    ]
    found += [
        Difference(DifferenceKind.INDEX_ONLY_IN_DATABASE, quoted(name))
        for name in live_by_name
        if name not in desired_by_name
    ]
    for name, index in desired_by_name.items():
        other = live_by_name.get(name)
        if other is None:
            continue
        desired_text, live_text = index_text(index), index_text(other)
        if desired_text != live_text:
            found.append(
                Difference(DifferenceKind.INDEX_DEFINITION, quoted(name), desired_text, live_text)
            )
    return found


# A foreign key as compared: (source columns, target schema, target name, target columns).
Link = tuple[tuple[str, ...], str | None, str, tuple[str, ...]]


def links_by_table(tables: list[Table], relationships: list[Relationship]) -> dict[str, set[Link]]:
    """Each table's foreign keys, by the source table's id, naming targets by name."""
    names = {table.id: table for table in tables}
    links: dict[str, set[Link]] = {}
    for relationship in relationships:
        target = names.get(relationship.target_table_id)
        if target is None:
            continue
        link = (
            tuple(relationship.source_columns),
            target.schema_name,
            target.name,
            tuple(relationship.target_columns),
        )
        links.setdefault(relationship.source_table_id, set()).add(link)
    return links


def compare_links(desired: set[Link], live: set[Link]) -> list[Difference]:
    """Foreign keys on one side only; a target named without a schema matches by name."""
    desired_bare = {bare(link): link for link in desired}
    live_bare = {bare(link): link for link in live}
    return [
        Difference(DifferenceKind.FOREIGN_KEY_ONLY_IN_DIAGRAM, link_text(link))
        for key, link in sorted(desired_bare.items())
        if key not in live_bare
    ] + [
        Difference(DifferenceKind.FOREIGN_KEY_ONLY_IN_DATABASE, link_text(link))
        for key, link in sorted(live_bare.items())
        if key not in desired_bare
    ]


def bare(link: Link) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The link without the target's schema."""
    return (link[0], link[2], link[3])


def link_text(link: Link) -> str:
    """`(a, b) -> schema.table(x, y)`."""
    target = f"{link[1]}.{link[2]}" if link[1] else link[2]
    return f"({', '.join(link[0])}) -> {target}({', '.join(link[3])})"


def index_text(index: Index) -> str:
    """An index's definition as compared: unique flag, parts, predicate."""
    unique = "unique " if index.unique else ""
    where = f" where {' '.join(index.where.split())}" if index.where else ""
    return f"{unique}({', '.join(index.columns)}){where}"


def quoted(name: str) -> str:
    """A name as messages quote it."""
    return repr(name)


def listed(columns: list[str]) -> str:
    """`(a, b)`, or `none` for no columns."""
    return f"({', '.join(columns)})" if columns else "none"


def nullability(nullable: bool) -> str:
    """`NULL` or `NOT NULL`."""
    return "NULL" if nullable else "NOT NULL"
