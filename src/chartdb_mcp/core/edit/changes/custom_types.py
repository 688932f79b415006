"""Changes to custom types: enums, domains and composites."""

from chartdb_mcp.core.edit.changes.model import (
    ARROW,
    ChangeKind,
    TypeChange,
    by_id,
    paired,
)
from chartdb_mcp.core.formats.outline import outline_type
from chartdb_mcp.core.model import CustomType

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
