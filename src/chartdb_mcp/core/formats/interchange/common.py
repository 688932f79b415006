"""What every interchange format shares: results with warnings, layout, type spelling."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from chartdb_mcp.core.model import Diagram, Position, Table
from chartdb_mcp.core.sql.types import normalize_type


class ExportFormat(StrEnum):
    """The formats a diagram can be written in."""

    CHARTDB_JSON = "chartdb-json"
    DBML = "dbml"
    MERMAID = "mermaid"


class ImportFormat(StrEnum):
    """The formats a diagram can be read from."""

    CHARTDB_JSON = "chartdb-json"
    CHARTDB_SMART_QUERY = "chartdb-smart-query"
    DBML = "dbml"


@dataclass
class Exported:
    """A diagram written in some format, and what the format could not hold."""

    content: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """A diagram read from some format, with fresh ids, and what was left out."""

    diagram: Diagram
    warnings: list[str] = field(default_factory=list)


# Where tables without a position go: a grid wide enough for a table card.
GRID_COLUMNS = 6
GRID_WIDTH = 320.0
GRID_HEIGHT = 420.0

# One argument list at the end of a type, such as varchar(255) or numeric(10,2).
TYPE_WITH_ARGUMENTS = re.compile(r"^(?P<name>[^()]+?)\((?P<args>[^()]*)\)$")
LENGTH_TYPES = frozenset(
    {
        "char",
        "character",
        "varchar",
        "character varying",
        "nchar",
        "nvarchar",
        "national character varying",
        "binary",
        "varbinary",
        "bit",
        "bit varying",
        "varbit",
        "varchar2",
        "nvarchar2",
        "raw",
    }
)


@dataclass(frozen=True)
class TypeParts:
    """A type split the way ChartDB stores it: a name and its size arguments."""

    name: str
    is_array: bool = False
    length: str | None = None
    precision: int | None = None
    scale: int | None = None


def split_type(type_text: str, is_array: bool) -> TypeParts:
    """The type's base name and sizes, when joining them again gives the same text.

    Anything the split would not reproduce exactly (spacing, modifiers after the
    arguments, non-numeric arguments) stays whole in the name.
    """
    base = type_text
    array = is_array or type_text.endswith("[]")
    if array and base.endswith("[]"):
        base = base[:-2]
    match = TYPE_WITH_ARGUMENTS.match(base)
    if match is None:
        return TypeParts(base, array)
    name, args = match["name"], match["args"].split(",")
    if name.lower() in LENGTH_TYPES and len(args) == 1 and re.fullmatch(r"\d+|max", args[0]):
        parts = TypeParts(name, array, length=args[0])
    elif all(arg.isdigit() for arg in args) and len(args) in (1, 2):
        scale = int(args[1]) if len(args) == 2 else None
        parts = TypeParts(name, array, precision=int(args[0]), scale=scale)
    else:
        return TypeParts(base, array)
    return parts if join_type(parts) == base + ("[]" if array else "") else TypeParts(base, array)


def join_type(parts: TypeParts) -> str:
    """The type text again: name, sizes, and `[]` for an array."""
    text = parts.name
    if parts.length is not None:
        text += f"({parts.length})"
    elif parts.precision is not None:
        text += f"({parts.precision}" + (f",{parts.scale})" if parts.scale is not None else ")")
    if parts.is_array and not text.endswith("]"):
        text += "[]"
    return text


def normalized(type_text: str, diagram: Diagram) -> str:
    """The canonical spelling the model keeps beside the written type."""
    return normalize_type(type_text, diagram.database_type)


def grid_position(number: int) -> Position:
    """The place of the `number`th table laid out on a grid, row by row."""
    row, column = divmod(number, GRID_COLUMNS)
    return Position(x=column * GRID_WIDTH, y=row * GRID_HEIGHT)


def unique_columns(table: Table) -> set[str]:
    """Columns that a single-column unique constraint covers on its own."""
    return {unique.columns[0] for unique in table.unique_constraints if len(unique.columns) == 1}


def running_ids() -> Iterator[str]:
    """'0', '1', '2', ...: the ids ChartDB itself writes into an exported file."""
    number = 0
    while True:
        yield str(number)
        number += 1


def count_warning(count: int, singular: str, plural: str, reason: str) -> list[str]:
    """One warning sentence for `count` things of a kind, or none when there are none."""
    if count == 0:
        return []
    return [f"{count} {singular if count == 1 else plural} {reason}"]
