"""The descriptive fields of a kept table: comment, status, color and canvas position."""

from chartdb_mcp.core.edit.diff.pair import TablePair, address
from chartdb_mcp.core.edit.ops import (
    ChangeOp,
    SetColor,
    SetPosition,
    SetTableComment,
    SetTableStatus,
)

# Each field and the op that sets it; the op's field has the table's field name.
SETTERS: list[tuple[str, type[SetTableComment | SetTableStatus | SetColor | SetPosition]]] = [
    ("comment", SetTableComment),
    ("status", SetTableStatus),
    ("color", SetColor),
    ("position", SetPosition),
]


def set_ops(pair: TablePair) -> list[ChangeOp]:
    """One setter op per descriptive field whose value differs, carrying the new value."""
    ops: list[ChangeOp] = []
    for field, op_class in SETTERS:
        new_value = getattr(pair.new_table, field)
        if getattr(pair.old_table, field) != new_value:
            ops.append(op_class(**address(pair.new_table), **{field: new_value}))
    return ops
