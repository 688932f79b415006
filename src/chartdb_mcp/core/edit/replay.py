"""Applying a list of ops step by step while keeping what a reviewer needs to read.

`replay` is `apply_all` plus bookkeeping: one readable line and the warnings of each op,
and errors that say which op (by its 1-based number) failed and why. Each op is checked
where it acts; the whole diagram once, at the end.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from chartdb_mcp.core.edit.ops import ChangeOp, checked_whole, described_step
from chartdb_mcp.core.edit.ops.rules import check_design
from chartdb_mcp.core.model import Diagram
from chartdb_mcp.errors import InvalidChange


@dataclass(frozen=True)
class Replay:
    """The diagram after the ops, one line per op, and every warning raised on the way."""

    diagram: Diagram
    lines: tuple[str, ...]
    warnings: tuple[str, ...]


def replay(
    ops: Sequence[ChangeOp],
    diagram: Diagram,
    numbers: Sequence[int] = (),
    *,
    design_rules: bool = False,
) -> Replay:
    """Apply the ops in order, or raise InvalidChange naming the op that cannot apply.

    `numbers` are the ops' numbers as the caller knows them (1, 2, ... when omitted), so
    that a subset of a proposal is reported with the proposal's own numbering. With
    `design_rules`, each op is also held to the rules of `ops.rules` (for proposed ops;
    not for replaying the differences between stored versions).
    """
    shown = list(numbers) or list(range(1, len(ops) + 1))
    name = diagram.name
    lines: list[str] = []
    warnings: list[str] = []
    for number, op in zip(shown, ops, strict=True):
        try:
            after, found, line = described_step(op, diagram)
            warnings += [f"Op {number} ({op.kind}): {w}" for w in found]
            lines.append(line)
            if design_rules:
                warnings += [
                    f"Op {number} ({op.kind}): {w}" for w in check_design(op, diagram, after)
                ]
            diagram = after
        except InvalidChange as error:
            raise InvalidChange(f"Op {number} ({op.kind}) cannot be applied: {error}") from error
    return Replay(checked_whole(diagram, "The changes", name), tuple(lines), tuple(warnings))
