"""The four things one can do with an op, dispatched by kind through the registry.

All of them are pure: the diagram given is never changed, and `apply` returns a new one.
"""

from collections.abc import Sequence
from typing import cast

from pydantic import ValidationError

from chartdb_mcp.core.edit.ops.registry import handler_for
from chartdb_mcp.core.edit.ops.union import ChangeOp
from chartdb_mcp.core.model import Diagram
from chartdb_mcp.errors import InvalidChange


def validate(op: ChangeOp, diagram: Diagram) -> list[str]:
    """Warnings about applying the op; InvalidChange when it cannot be applied at all."""
    return handler_for(op).validate(op, diagram)


def apply(op: ChangeOp, diagram: Diagram) -> Diagram:
    """A new, fully validated diagram with the op applied; InvalidChange when it cannot be."""
    handler = handler_for(op)
    handler.validate(op, diagram)
    changed = handler.apply(op, diagram)
    try:
        # A fresh model from plain data: shares no objects with the input and runs every
        # model check, so nothing an op overlooked can slip into a stored diagram.
        return Diagram.model_validate(changed.model_dump())
    except ValidationError as error:
        message = error.errors()[0]["msg"]
        raise InvalidChange(
            f"The change {op.kind!r} would leave diagram {diagram.name!r} invalid: {message}"
        ) from error


def apply_all(ops: Sequence[ChangeOp], diagram: Diagram) -> Diagram:
    """All ops applied in order, or InvalidChange (and no result) if any one fails."""
    for op in ops:
        diagram = apply(op, diagram)
    return diagram


def invert(op: ChangeOp, diagram: Diagram) -> ChangeOp:
    """The op that undoes `op`, given the diagram before it: apply(invert) restores it."""
    handler = handler_for(op)
    handler.validate(op, diagram)
    return cast(ChangeOp, handler.invert(op, diagram))


def invert_all(ops: Sequence[ChangeOp], diagram: Diagram) -> list[ChangeOp]:
    """The ops that undo a sequence, in the order they must be applied."""
    inverses = []
    for op in ops:
        inverses.append(invert(op, diagram))
        diagram = apply(op, diagram)
    return inverses[::-1]


def describe(op: ChangeOp, diagram: Diagram) -> str:
    """One readable line (`+ table public.tags`), given the diagram before the op."""
    handler = handler_for(op)
    handler.validate(op, diagram)
    return handler.describe(op, diagram)
