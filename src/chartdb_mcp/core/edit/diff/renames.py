"""Ordering renames so that no step takes a name that is still in use.

Renames can form chains (a -> b while b -> c) and cycles (a <-> b). Chains are ordered
so each name is free before it is taken; a cycle is broken by parking one member on a
temporary name first.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RenameStep:
    """Rename the member `member_id` from `old_name` to `new_name`."""

    member_id: str
    old_name: str
    new_name: str


def order_renames(wanted: Mapping[str, tuple[str, str]], taken: Iterable[str]) -> list[RenameStep]:
    """Steps that give each member id its wanted name: `wanted[id] = (current, target)`.

    `taken` is every name in use when the renames start, the renamed members' included.
    Each step's target is free when the step runs, and every member ends on its target.
    """
    pending = {member_id: names for member_id, names in wanted.items() if names[0] != names[1]}
    in_use = set(taken)
    targets = {target for _, target in pending.values()}
    steps: list[RenameStep] = []
    while pending:
        ready = [member_id for member_id, (_, target) in pending.items() if target not in in_use]
        if not ready:
            member_id = next(iter(pending))
            current, target = pending[member_id]
            parked = free_name(current, in_use | targets)
            ready_steps = [RenameStep(member_id, current, parked)]
            pending[member_id] = (parked, target)
        else:
            ready_steps = [RenameStep(member_id, *pending.pop(member_id)) for member_id in ready]
        for step in ready_steps:
            in_use.discard(step.old_name)
            in_use.add(step.new_name)
        steps += ready_steps
    return steps


def free_name(name: str, used: set[str]) -> str:
    """`name` with the first numbered suffix that no name in `used` has."""
    number = 1
    while f"{name}__{number}" in used:
        number += 1
    return f"{name}__{number}"
