"""Ops on a table's CHECK constraints: add and drop.

Check expressions are SQL text and are not parsed, so an expression naming a column
the table lacks is not detected.
"""

from typing import Literal

from pydantic import Field

from chartdb_mcp.core.edit.ops.base import (
    OpBase,
    TableOp,
    check_member_free,
    check_position,
    find_member,
    inserted,
    pinned,
    removed,
    resolve_table,
    update_table,
)
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import CheckConstraint, Diagram


class AddCheck(TableOp):
    """Add a CHECK constraint at a position in the table's list (omitted: last)."""

    kind: Literal["add_check"] = "add_check"
    check: CheckConstraint
    position: int | None = None


class DropCheck(TableOp):
    """Remove a CHECK constraint, named by its name or id."""

    kind: Literal["drop_check"] = "drop_check"
    check: str = Field(min_length=1)


def validate_add(op: AddCheck, diagram: Diagram) -> list[str]:
    """An error for a repeated constraint name or id."""
    table = resolve_table(op, diagram)
    check_member_free(table.checks, op.check, "check", op.table)
    check_position(op.position, len(table.checks), f"the checks of table {op.table!r}")
    return []


def apply_add(op: AddCheck, diagram: Diagram) -> Diagram:
    """The diagram with the check inserted."""
    table = resolve_table(op, diagram)
    return update_table(diagram, table, checks=inserted(table.checks, op.check, op.position))


def invert_add(op: AddCheck, diagram: Diagram) -> OpBase:
    """Drop the added check by id."""
    return DropCheck(**pinned(resolve_table(op, diagram)), check=op.check.id)


def describe_add(op: AddCheck, diagram: Diagram) -> str:
    """`+ check name on table: expression`."""
    table = resolve_table(op, diagram)
    name = f" {op.check.name}" if op.check.name else ""
    return f"+ check{name} on {table.name}: {op.check.expression}"


def validate_drop(op: DropCheck, diagram: Diagram) -> list[str]:
    """An error when the table has no such check."""
    find_member(resolve_table(op, diagram).checks, op.check, "check", op.table)
    return []


def apply_drop(op: DropCheck, diagram: Diagram) -> Diagram:
    """The diagram without the check."""
    table = resolve_table(op, diagram)
    position, _ = find_member(table.checks, op.check, "check", op.table)
    checks = removed(table.checks, position)
    return update_table(diagram, table, checks=checks)


def invert_drop(op: DropCheck, diagram: Diagram) -> OpBase:
    """Add the same check back at the same place."""
    table = resolve_table(op, diagram)
    position, check = find_member(table.checks, op.check, "check", op.table)
    return AddCheck(**pinned(table), check=check, position=position)


def describe_drop(op: DropCheck, diagram: Diagram) -> str:
    """`- check name on table`."""
    table = resolve_table(op, diagram)
    _, check = find_member(table.checks, op.check, "check", op.table)
    return (
        f"- check {check.name} on {table.name}"
        if check.name
        else (f"- check on {table.name}: {check.expression}")
    )


register(
    "add_check",
    validate=validate_add,
    apply=apply_add,
    invert=invert_add,
    describe=describe_add,
)
register(
    "drop_check",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)

__all__ = ["AddCheck", "DropCheck"]
