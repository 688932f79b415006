"""Matching two versions of an ordered list of members that carry stable ids.

The ops can insert a member at a position and remove one, but cannot move one. So a
member survives in place only when it is unchanged and keeps its order relative to
the other survivors; every other member is removed and added again, with the same id.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class HasId(Protocol):
    """A list member with a stable id."""

    @property
    def id(self) -> str:
        """The member's id."""
        ...


Member = TypeVar("Member", bound=HasId)


@dataclass(frozen=True)
class ListPlan(Generic[Member]):
    """How one list turns into another: members to remove, then members to insert.

    `removed` holds old members in old order; `added` holds (position, new member) in
    ascending position, so inserting them in that order yields the new list exactly.
    `kept` holds the ids of members that stay in place, unchanged.
    """

    removed: list[Member]
    added: list[tuple[int, Member]]
    kept: frozenset[str]


def stable_ids(old_ids: Sequence[str], new_ids: Sequence[str]) -> set[str]:
    """The largest set of ids found in both sequences in the same relative order."""
    lengths = [[0] * (len(new_ids) + 1) for _ in range(len(old_ids) + 1)]
    for i in range(len(old_ids) - 1, -1, -1):
        for j in range(len(new_ids) - 1, -1, -1):
            if old_ids[i] == new_ids[j]:
                lengths[i][j] = lengths[i + 1][j + 1] + 1
            else:
                lengths[i][j] = max(lengths[i + 1][j], lengths[i][j + 1])
    common: set[str] = set()
    i = j = 0
    while i < len(old_ids) and j < len(new_ids):
        if old_ids[i] == new_ids[j]:
            common.add(old_ids[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return common


def plan_list(
    old_items: Sequence[Member],
    new_items: Sequence[Member],
    same: Callable[[Member, Member], bool],
    forced: frozenset[str] = frozenset(),
) -> ListPlan[Member]:
    """Plan the change from `old_items` to `new_items`.

    A member present on both sides stays in place when `same(old, new)` holds, its id
    is not in `forced` (members that must be rebuilt for another reason) and its order
    relative to the other staying members is unchanged.
    """
    old_by_id = {item.id: item for item in old_items}
    new_by_id = {item.id: item for item in new_items}
    common = old_by_id.keys() & new_by_id.keys()
    unchanged = {
        member_id
        for member_id in common - forced
        if same(old_by_id[member_id], new_by_id[member_id])
    }
    kept = stable_ids(
        [item.id for item in old_items if item.id in unchanged],
        [item.id for item in new_items if item.id in unchanged],
    )
    return ListPlan(
        removed=[item for item in old_items if item.id not in kept],
        added=[(n, item) for n, item in enumerate(new_items) if item.id not in kept],
        kept=frozenset(kept),
    )
