"""The change set's data: what changed in tables, relationships and types, as plain models."""

from collections.abc import Iterator, Mapping, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from chartdb_mcp.core.edit.diff.lists import HasId
from chartdb_mcp.core.edit.ops.lookup import table_with_id
from chartdb_mcp.core.model import Diagram

ChangeKind = Literal["added", "modified", "removed"]
MemberElement = Literal["column", "primary_key", "unique", "index", "check"]
SettingElement = Literal["comment", "status", "color", "position", "partition"]
Element = MemberElement | SettingElement
ARROW = "→"

Item = TypeVar("Item")
Member = TypeVar("Member", bound=HasId)


class ChangeBase(BaseModel):
    """Immutable and strict: these go into tool results as they are."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DetailChange(ChangeBase):
    """One member of a table that changed: a column, a key, an index, or a table setting.

    `text` never repeats `name`: for an added or removed member it is the member itself
    (`varchar(200) NOT NULL`), for a modified one what changed (`type text → varchar(200)`).
    """

    change: ChangeKind
    element: Element
    name: str = ""
    text: str = ""


class TableChange(ChangeBase):
    """A table that was added, modified or removed, with what changed in it."""

    table_id: str
    name: str = Field(description="The qualified name after the change (before, if removed).")
    change: ChangeKind
    renamed_from: str | None = None
    details: list[DetailChange] = Field(default_factory=list)


class RelationshipChange(ChangeBase):
    """A relationship that was added, modified or removed."""

    id: str
    name: str | None = None
    change: ChangeKind
    source_table: str
    target_table: str
    text: str = Field(description="e.g. public.post_tags(post_id) → public.posts(id)")


class TypeChange(ChangeBase):
    """A custom type that was added, modified or removed."""

    id: str
    name: str
    change: ChangeKind
    text: str


class ChangeSet(ChangeBase):
    """Everything a change does, plus the unchanged tables it reaches through foreign keys."""

    tables: list[TableChange] = Field(default_factory=list)
    relationships: list[RelationshipChange] = Field(default_factory=list)
    custom_types: list[TypeChange] = Field(default_factory=list)
    affected_tables: list[str] = Field(
        default_factory=list, description="Tables added, modified or removed."
    )
    impact: list[str] = Field(
        default_factory=list,
        description="Unchanged tables linked by a foreign key to a changed table or relationship.",
    )

    @property
    def is_empty(self) -> bool:
        """Whether the two versions have the same tables, relationships and custom types."""
        return not (self.tables or self.relationships or self.custom_types)


def paired(
    before_items: Mapping[str, Item], after_items: Mapping[str, Item]
) -> Iterator[tuple[Item | None, Item | None]]:
    """(before, after) per key: the after side's keys in order, then keys only before has."""
    for key, item in after_items.items():
        yield before_items.get(key), item
    for key, item in before_items.items():
        if key not in after_items:
            yield item, None


def by_id(items: Sequence[Member]) -> dict[str, Member]:
    """The items keyed by their `id`, in order."""
    return {item.id: item for item in items}


def table_name(diagram: Diagram, table_id: str) -> str:
    """The table's qualified name, or its id if the diagram has no such table."""
    table = table_with_id(diagram, table_id)
    return table.qualified_name if table else table_id
