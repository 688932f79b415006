"""What a change does to a diagram, described structurally for a person to review.

`summarize_changes(before, after)` compares two versions of a diagram and lists what was
added, modified and removed: tables with their columns, keys, indexes, checks and
settings, relationships and custom types. Everything is matched by id, so a renamed
table or column reads as a rename. Names are shown as they are after the change, and as
they were before it for what is removed. Keys, indexes and relationships are compared by
column id, so renaming a column does not make everything that uses it look changed.

Views, notes, areas, the diagram's own settings and a table's sync record are not
described; no op edits them. `core.formats.change_text` and `core.formats.change_mermaid`
render the result.
"""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from chartdb_mcp.core.edit.diff.lists import HasId
from chartdb_mcp.core.formats.outline import index_line, outline_type, quoted
from chartdb_mcp.core.model import Column, CustomType, Diagram, Index, Relationship, Table

ChangeKind = Literal["added", "modified", "removed"]
MemberElement = Literal["column", "primary_key", "unique", "index", "check"]
SettingElement = Literal["comment", "status", "color", "position", "partition"]
Element = MemberElement | SettingElement
ARROW = "→"
# The `name` of the detail that reports kept columns in a new order.
COLUMN_ORDER = "(order)"
NULLABILITY = {True: "NULL", False: "NOT NULL"}
# Column properties compared beyond name, type and nullability.
COLUMN_PROPERTIES = "default autoincrement identity generated on_update collation is_array comment"
# Settings of a new table that are not worth a line: every table has them.
UNREMARKABLE: tuple[Element, ...] = ("status", "color", "position")

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


class Part(NamedTuple):
    """A key, index, check or setting of a table: its name, what is compared, what is shown."""

    name: str
    ref: Any
    text: str


def summarize_changes(before: Diagram, after: Diagram) -> ChangeSet:
    """What turns `before` into `after`: tables, relationships and types matched by id."""
    tables = table_changes(before, after)
    relationships = relationship_changes(before, after)
    return ChangeSet(
        tables=tables,
        relationships=relationships,
        custom_types=type_changes(before.custom_types, after.custom_types),
        affected_tables=[change.name for change in tables],
        impact=impact_of(before, after, tables, relationships),
    )


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


# tables


def table_changes(before: Diagram, after: Diagram) -> list[TableChange]:
    """Changed tables in the after diagram's order, then removed ones in the before order."""
    changes = []
    for pair in paired(by_id(before.tables), by_id(after.tables)):
        match pair:
            case None, Table() as after_table:
                changes.append(added_table(after, after_table))
            case Table() as before_table, None:
                name = before_table.qualified_name
                changes.append(TableChange(table_id=before_table.id, name=name, change="removed"))
            case Table() as before_table, Table() as after_table:
                change = modified_table(before, before_table, after, after_table)
                changes += [change] if change is not None else []
    return changes


def added_table(diagram: Diagram, table: Table) -> TableChange:
    """A new table, detailed with its columns, keys, indexes, checks, comment, partitioning."""
    details = [
        detail("added", element, part.name, part.text)
        for element, parts in parts_of(diagram, table).items()
        if element not in UNREMARKABLE
        for part in parts.values()
    ]
    return TableChange(
        table_id=table.id, name=table.qualified_name, change="added", details=details
    )


def modified_table(
    before: Diagram, before_table: Table, after: Diagram, after_table: Table
) -> TableChange | None:
    """The table's changes, or None when nothing this summary looks at differs."""
    details = []
    before_parts, after_parts = parts_of(before, before_table), parts_of(after, after_table)
    for element, after_members in after_parts.items():
        details += part_details(element, before_parts[element], after_members)
        if element == "column":
            details += column_order(before_table, after_table)
    renamed = before_table.qualified_name != after_table.qualified_name
    if not details and not renamed:
        return None
    return TableChange(
        table_id=after_table.id,
        name=after_table.qualified_name,
        change="modified",
        renamed_from=before_table.qualified_name if renamed else None,
        details=details,
    )


def detail(change: ChangeKind, element: Element, name: str, text: str) -> DetailChange:
    """One detail line's data."""
    return DetailChange(change=change, element=element, name=name, text=text)


def column_order(before_table: Table, after_table: Table) -> list[DetailChange]:
    """A detail when the kept columns changed their relative order; adding or removing a
    column is not a move."""
    before_ids, after_ids = ({c.id for c in t.columns} for t in (before_table, after_table))
    before_kept = [c for c in before_table.columns if c.id in after_ids]
    after_kept = [c for c in after_table.columns if c.id in before_ids]
    if [c.id for c in before_kept] == [c.id for c in after_kept]:
        return []
    before_names = ", ".join(quoted(c.name) for c in before_kept)
    after_names = ", ".join(quoted(c.name) for c in after_kept)
    return [detail("modified", "column", COLUMN_ORDER, f"{before_names} {ARROW} {after_names}")]


def column_text(column: Column) -> str:
    """The column's definition after its name: type, then NOT NULL, DEFAULT and the like."""
    parts = [column.type + ("[]" if column.is_array and not column.type.endswith("]") else "")]
    if not column.nullable:
        parts.append("NOT NULL")
    if column.identity is not None:
        parts.append(f"GENERATED {column.identity.value} AS IDENTITY")
    elif column.autoincrement:
        parts.append("AUTOINCREMENT")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({column.generated})")
    return " ".join(parts)


def column_differences(before_column: Column, after_column: Column) -> list[str]:
    """Short phrases for each property that differs, e.g. `type text → varchar(200)`."""
    found = []
    if before_column.name != after_column.name:
        found.append(f"renamed from {quoted(before_column.name)}")
    if before_column.type != after_column.type:
        found.append(f"type {before_column.type} {ARROW} {after_column.type}")
    if before_column.nullable != after_column.nullable:
        found.append(
            f" {ARROW} ".join(NULLABILITY[c.nullable] for c in (before_column, after_column))
        )
    for field in COLUMN_PROPERTIES.split():
        before_value, after_value = getattr(before_column, field), getattr(after_column, field)
        if before_value != after_value:
            label = field.replace("_", " ")
            found.append(f"{label} {shown(before_value)} {ARROW} {shown(after_value)}")
    return found


def shown(value: Any) -> str:
    """A property value as a reader expects it: `none` if missing, yes/no for flags."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def parts_of(diagram: Diagram, table: Table) -> dict[Element, dict[str, Part]]:
    """The table's columns, keys, indexes, checks and settings, each keyed by a stable id."""
    key = table.primary_key
    partition = (table.partition_by, table.partition_of, table.partition_bound)
    settings: list[tuple[Element, Any, str]] = [
        ("comment", table.comment, repr(table.comment)),
        ("status", table.status, table.status.value),
        ("color", table.color, str(table.color)),
        ("position", table.position, position_text(table)),
        ("partition", partition if any(partition) else None, partition_text(diagram, table)),
    ]
    parts: dict[Element, dict[str, Part]] = {
        "column": {c.id: Part(c.name, c, column_text(c)) for c in table.columns},
        "primary_key": {},
        "unique": {
            u.id: Part(u.name or "", (u.name, column_ids(table, u.columns)), columns_text(u))
            for u in table.unique_constraints
        },
        "index": {i.id: Part(i.name, index_ref(table, i), index_text(i)) for i in table.indexes},
        "check": {
            c.id: Part(c.name or "", (c.name, c.expression), f"({c.expression})")
            for c in table.checks
        },
    }
    if key is not None:
        key_ref = (key.name, column_ids(table, key.columns))
        parts["primary_key"][""] = Part(key.name or "", key_ref, columns_text(key))
    for element, value, text in settings:
        parts[element] = {} if value is None else {"": Part("", value, text)}
    return parts


def part_details(
    element: Element, before_parts: dict[str, Part], after_parts: dict[str, Part]
) -> list[DetailChange]:
    """Parts of one kind added, changed and removed, named as they are after the change."""
    details = []
    for pair in paired(before_parts, after_parts):
        match pair:
            case None, Part() as after_part:
                details.append(detail("added", element, after_part.name, after_part.text))
            case Part() as before_part, None:
                details.append(detail("removed", element, before_part.name, before_part.text))
            case Part() as before_part, Part() as after_part if before_part.ref != after_part.ref:
                text = f"{before_part.text} {ARROW} {after_part.text}"
                if element == "column":
                    # Columns say what changed; a derived field alone (normalized_type) is
                    # no change a reader would see.
                    text = ", ".join(column_differences(before_part.ref, after_part.ref))
                if text:
                    details.append(detail("modified", element, after_part.name, text))
    return details


def column_ids(table: Table, names: Sequence[str]) -> tuple[str, ...]:
    """The ids of the named columns, so a column rename does not count as a change."""
    return tuple(column.id if (column := table.column(n)) else f"<{n}>" for n in names)


def index_ref(table: Table, index: Index) -> dict[str, Any]:
    """The index as data, with its columns named by id."""
    data = index.model_dump()
    for part in data["parts"]:
        if part["column"] is not None:
            part["column"] = column_ids(table, [part["column"]])[0]
    data["include"] = column_ids(table, index.include)
    return data


def columns_text(key: Any) -> str:
    """`(a, b)`: a key's or an index's columns, quoted where SQL would need it."""
    return f"({', '.join(quoted(name) for name in key.columns)})"


def index_text(index: Index) -> str:
    """The index as the outline shows it, without its name."""
    return index_line(index).removeprefix(index.name + " ")


def position_text(table: Table) -> str:
    """`(x, y)` on the canvas."""
    position = table.position
    return "" if position is None else f"({position.x:g}, {position.y:g})"


def partition_text(diagram: Diagram, table: Table) -> str:
    """`PARTITION BY ...` or `PARTITION OF parent ...`; empty for a plain table."""
    if table.partition_by:
        return f"PARTITION BY {table.partition_by}"
    if table.partition_of is None:
        return ""
    text = f"PARTITION OF {table_name(diagram, table.partition_of)}"
    return text + (f" {table.partition_bound}" if table.partition_bound else "")


# relationships


def relationship_changes(before: Diagram, after: Diagram) -> list[RelationshipChange]:
    """Relationships added or modified in the after order, then removed ones."""
    changes = []
    for pair in paired(by_id(before.relationships), by_id(after.relationships)):
        match pair:
            case None, Relationship() as after_fk:
                changes.append(described(after, after_fk, "added"))
            case Relationship() as before_fk, None:
                changes.append(described(before, before_fk, "removed"))
            case Relationship() as before_fk, Relationship() as after_fk:
                if relationship_ref(before, before_fk) != relationship_ref(after, after_fk):
                    was = f" (was {relationship_text(before, before_fk)})"
                    changes.append(described(after, after_fk, "modified", was))
    return changes


def described(
    diagram: Diagram, relationship: Relationship, change: ChangeKind, was: str = ""
) -> RelationshipChange:
    """A relationship change with its ends named as `diagram` names them."""
    return RelationshipChange(
        id=relationship.id,
        name=relationship.name,
        change=change,
        source_table=table_name(diagram, relationship.source_table_id),
        target_table=table_name(diagram, relationship.target_table_id),
        text=relationship_text(diagram, relationship) + was,
    )


def table_name(diagram: Diagram, table_id: str) -> str:
    """The table's qualified name, or its id if the diagram has no such table."""
    table = diagram.table_by_id(table_id)
    return table.qualified_name if table else table_id


def relationship_text(diagram: Diagram, relationship: Relationship) -> str:
    """`source(cols) → target(cols)` plus any ON DELETE / ON UPDATE action."""
    source_columns = ", ".join(quoted(name) for name in relationship.source_columns)
    target_columns = ", ".join(quoted(name) for name in relationship.target_columns)
    text = (
        f"{table_name(diagram, relationship.source_table_id)}({source_columns}) {ARROW} "
        f"{table_name(diagram, relationship.target_table_id)}({target_columns})"
    )
    for action, label in ((relationship.on_delete, "DELETE"), (relationship.on_update, "UPDATE")):
        text += f" ON {label} {action.value}" if action.value != "NO ACTION" else ""
    return text


def relationship_ref(diagram: Diagram, relationship: Relationship) -> tuple[Any, ...]:
    """The relationship with its columns as ids, so column renames do not count."""
    source = diagram.table_by_id(relationship.source_table_id)
    target = diagram.table_by_id(relationship.target_table_id)
    return (
        relationship.name,
        relationship.source_table_id,
        column_ids(source, relationship.source_columns) if source else (),
        relationship.target_table_id,
        column_ids(target, relationship.target_columns) if target else (),
        relationship.on_delete,
        relationship.on_update,
    )


# custom types


def type_changes(before_types: list[CustomType], after_types: list[CustomType]) -> list[TypeChange]:
    """Custom types added or modified in the after order, then removed ones."""
    changes = []
    for pair in paired(by_id(before_types), by_id(after_types)):
        match pair:
            case None, CustomType() as after_type:
                changes.append(type_change(after_type, "added", type_text(after_type)))
            case CustomType() as before_type, None:
                changes.append(type_change(before_type, "removed", type_text(before_type)))
            case CustomType() as before_type, CustomType() as after_type:
                if before_type != after_type:
                    changes.append(
                        type_change(after_type, "modified", type_diff(before_type, after_type))
                    )
    return changes


def type_diff(before_type: CustomType, after_type: CustomType) -> str:
    """`renamed from x, enum (a) → enum (a, b)`: the two definitions, and the old name."""
    text = f"{type_text(before_type)} {ARROW} {type_text(after_type)}"
    if before_type.qualified_name != after_type.qualified_name:
        text = f"renamed from {before_type.qualified_name}, {text}"
    return text


def type_change(custom_type: CustomType, change: ChangeKind, text: str) -> TypeChange:
    """A custom type change named by the type's qualified name."""
    return TypeChange(id=custom_type.id, name=custom_type.qualified_name, change=change, text=text)


def type_text(custom_type: CustomType) -> str:
    """`enum (a, b)`, `domain (text NOT NULL DEFAULT '' CHECK (...))` or `composite (x int)`."""
    text = outline_type(custom_type).summary
    if custom_type.default is not None:
        text += f" DEFAULT {custom_type.default}"
    text += "".join(f" CHECK ({check})" for check in custom_type.checks)
    return f"{custom_type.kind.value} ({text})"


# impact


def impact_of(
    before: Diagram,
    after: Diagram,
    tables: list[TableChange],
    relationships: list[RelationshipChange],
) -> list[str]:
    """Unchanged tables at an end of a changed relationship, or linked by a foreign key
    (before or after the change) to a changed table; in the after diagram's order."""
    changed = {change.table_id for change in tables}
    changed_relationships = {change.id for change in relationships}
    reached: set[str] = set()
    for relationship in [*before.relationships, *after.relationships]:
        ends = {relationship.source_table_id, relationship.target_table_id}
        if relationship.id in changed_relationships or ends & changed:
            reached |= ends
    return [t.qualified_name for t in after.tables if t.id in reached - changed]
