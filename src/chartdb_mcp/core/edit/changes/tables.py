"""Changes to tables: added, removed, and per member (columns, keys, indexes, settings)."""

from collections.abc import Sequence
from typing import Any, NamedTuple

from chartdb_mcp.core.edit.changes.model import (
    ARROW,
    ChangeKind,
    DetailChange,
    Element,
    TableChange,
    by_id,
    paired,
    table_name,
)
from chartdb_mcp.core.formats.outline import index_line, quoted
from chartdb_mcp.core.model import Column, Diagram, Index, Table

# The `name` of the detail that reports kept columns in a new order.
COLUMN_ORDER = "(order)"
NULLABILITY = {True: "NULL", False: "NOT NULL"}
# Column properties compared beyond name, type and nullability.
COLUMN_PROPERTIES = "default autoincrement identity generated on_update collation is_array comment"
# Settings of a new table that are not worth a line: every table has them.
UNREMARKABLE: tuple[Element, ...] = ("status", "color", "position")


class Part(NamedTuple):
    """A key, index, check or setting of a table: its name, what is compared, what is shown."""

    name: str
    ref: Any
    text: str


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
