"""The registry mapping each op kind to the four functions that handle it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chartdb_mcp.core.edit.ops.base import OpBase
from chartdb_mcp.core.model import Diagram


@dataclass(frozen=True)
class Handler:
    """How one kind of op is checked, applied, inverted and described.

    `validate` raises InvalidChange for an op that cannot apply and returns warnings
    otherwise; `apply` may assume `validate` passed; `invert` and `describe` read the
    diagram as it was before the op.
    """

    validate: Callable[[Any, Diagram], list[str]]
    apply: Callable[[Any, Diagram], Diagram]
    invert: Callable[[Any, Diagram], OpBase]
    describe: Callable[[Any, Diagram], str]


HANDLERS: dict[str, Handler] = {}


def register(
    kind: str,
    *,
    validate: Callable[[Any, Diagram], list[str]],
    apply: Callable[[Any, Diagram], Diagram],
    invert: Callable[[Any, Diagram], OpBase],
    describe: Callable[[Any, Diagram], str],
) -> None:
    """Record the handler of `kind`; registering a kind twice is a programming error."""
    if kind in HANDLERS:
        raise RuntimeError(f"op kind {kind!r} is registered twice")
    HANDLERS[kind] = Handler(validate, apply, invert, describe)


def handler_for(op: OpBase) -> Handler:
    """The handler registered for the op's kind."""
    return HANDLERS[op.kind]
