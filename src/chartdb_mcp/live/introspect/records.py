"""What a catalog reader hands to the assembler: tables by name, foreign keys by name.

Readers fill these from one dialect's catalog. Everything that lives inside one table
(columns, keys, indexes, checks) is already a model object; only what points from one
table to another (foreign keys, partitions) is still by name, because ids are given out
when the tables are assembled.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from chartdb_mcp.core.model import (
    CheckConstraint,
    Column,
    CustomType,
    Index,
    PrimaryKey,
    ReferentialAction,
    TableKey,
    UniqueConstraint,
    View,
)

# Called once per phase of reading with a short description of the phase.
Step = Callable[[str], None]

NAMES_SHOWN = 10


@dataclass
class TableRecord:
    """One table as read from the catalog, before it gets its id."""

    schema: str | None
    name: str
    columns: list[Column]
    primary_key: PrimaryKey | None = None
    unique_constraints: list[UniqueConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    comment: str | None = None
    partition_by: str | None = None
    partition_of: TableKey | None = None
    partition_bound: str | None = None

    @property
    def key(self) -> TableKey:
        """(schema, name)."""
        return (self.schema, self.name)


@dataclass
class ForeignKeyRecord:
    """A foreign key with its tables named; column pairs are in key order."""

    name: str | None
    source: TableKey
    source_columns: list[str]
    target: TableKey
    target_columns: list[str]
    on_delete: ReferentialAction = ReferentialAction.NO_ACTION
    on_update: ReferentialAction = ReferentialAction.NO_ACTION


class Warnings:
    """Things a reader could not read or represent, grouped so that a big schema says
    each kind of problem once, with the first few names."""

    def __init__(self) -> None:
        self._topics: dict[str, list[str]] = {}

    def add(self, topic: str, name: str) -> None:
        """Record that `name` (a table, column or index) has the problem `topic`."""
        self._topics.setdefault(topic, []).append(name)

    def note(self, sentence: str) -> None:
        """Record a problem that is not about particular names."""
        self._topics.setdefault(sentence, [])

    def render(self) -> list[str]:
        """One plain sentence per problem, listing at most NAMES_SHOWN names."""
        sentences = []
        for topic, names in self._topics.items():
            if not names:
                sentences.append(topic)
                continue
            shown = ", ".join(names[:NAMES_SHOWN])
            more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
            sentences.append(f"{topic}: {shown}{more}.")
        return sentences


@dataclass
class CatalogRead:
    """Everything one reader found in the schemas it was asked to read."""

    tables: list[TableRecord] = field(default_factory=list)
    foreign_keys: list[ForeignKeyRecord] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    custom_types: list[CustomType] = field(default_factory=list)
    warnings: Warnings = field(default_factory=Warnings)


def qualified(schema: str | None, name: str) -> str:
    """`schema.name`, or the name alone when there is no schema."""
    return f"{schema}.{name}" if schema else name


REFERENTIAL_ACTIONS: dict[str, ReferentialAction] = {
    "NO ACTION": ReferentialAction.NO_ACTION,
    "RESTRICT": ReferentialAction.RESTRICT,
    "CASCADE": ReferentialAction.CASCADE,
    "SET NULL": ReferentialAction.SET_NULL,
    "SET DEFAULT": ReferentialAction.SET_DEFAULT,
}


def referential_action(text: str | None) -> ReferentialAction:
    """The action a catalog spells as text; absent means NO ACTION."""
    if not text:
        return ReferentialAction.NO_ACTION
    return REFERENTIAL_ACTIONS.get(" ".join(text.upper().split()), ReferentialAction.NO_ACTION)


def literal_null_to_none(default: str | None) -> str | None:
    """A default of NULL is the same as no default."""
    if default is None or default.strip().upper() == "NULL":
        return None
    return default
