"""Ops that set one descriptive field of a table: comment, status, color, position.

They share one shape: the op carries the new value, its inverse carries the old one.
"""

from typing import Any, Literal

from chartdb_mcp.core.edit.ops.base import OpBase, TableOp, pinned, resolve_table, update_table
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import Diagram, Position, TableStatus


class SetTableComment(TableOp):
    """Set or (with null) remove the table's comment."""

    kind: Literal["set_table_comment"] = "set_table_comment"
    comment: str | None = None


class SetTableStatus(TableOp):
    """Set where the table stands against the live database (PLANNED, EXISTS, ...)."""

    kind: Literal["set_table_status"] = "set_table_status"
    status: TableStatus


class SetColor(TableOp):
    """Set or (with null) remove the table's color on the canvas."""

    kind: Literal["set_color"] = "set_color"
    color: str | None = None


class SetPosition(TableOp):
    """Move the table on the canvas; null leaves the placing to the viewer."""

    kind: Literal["set_position"] = "set_position"
    position: Position | None = None


def show(value: Any) -> str:
    """A value as the readable diff prints it."""
    if value is None:
        return "none"
    if isinstance(value, Position):
        return f"({value.x:g}, {value.y:g})"
    if isinstance(value, TableStatus):
        return value.value
    return repr(value)


def register_setter(kind: str, op_class: type[TableOp], field: str, label: str) -> None:
    """Register the handler of an op that copies `field` from the op onto the table."""

    def validate(op: TableOp, diagram: Diagram) -> list[str]:
        resolve_table(op, diagram)
        return []

    def apply(op: TableOp, diagram: Diagram) -> Diagram:
        return update_table(diagram, resolve_table(op, diagram), **{field: getattr(op, field)})

    def invert(op: TableOp, diagram: Diagram) -> OpBase:
        table = resolve_table(op, diagram)
        return op_class(**pinned(table), **{field: getattr(table, field)})

    def describe(op: TableOp, diagram: Diagram) -> str:
        table = resolve_table(op, diagram)
        old, new = show(getattr(table, field)), show(getattr(op, field))
        return f"~ {label} {table.qualified_name}: {old} -> {new}"

    register(kind, validate=validate, apply=apply, invert=invert, describe=describe)


SETTERS: list[tuple[str, type[TableOp], str, str]] = [
    ("set_table_comment", SetTableComment, "comment", "comment of table"),
    ("set_table_status", SetTableStatus, "status", "status of table"),
    ("set_color", SetColor, "color", "color of table"),
    ("set_position", SetPosition, "position", "position of table"),
]
for _kind, _class, _field, _label in SETTERS:
    register_setter(_kind, _class, _field, _label)

__all__ = ["SetColor", "SetPosition", "SetTableComment", "SetTableStatus"]
