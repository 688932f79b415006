"""Carrying ops made on an older version of a diagram over to its current version.

Ops made on `base` may be applied to `current` (a later version) only when the two
lines of change do not interfere. The test is commutation: applying the proposal to
`current` must give the same diagram as applying what changed since (`diff(base,
current)`) to the proposal's own result. When the two differ, or either side fails to
apply, the rebase is refused with `RebaseConflict`, naming the tables both sides
touched, so nobody's change is silently lost or overwritten.
"""

from collections.abc import Sequence
from typing import Any

from chartdb_mcp.core.edit.changes import summarize_changes
from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.ops import ChangeOp, apply_all
from chartdb_mcp.core.edit.replay import Replay, replay
from chartdb_mcp.core.model import Diagram
from chartdb_mcp.errors import InvalidChange, RebaseConflict

# What the diff does not produce ops for: taken from `current` on both sides, since the
# proposal's ops cannot touch them either.
OUTSIDE_THE_DIFF = (
    "name",
    "description",
    "database_type",
    "schemas",
    "source",
    "views",
    "notes",
    "areas",
)
# Lists whose order depends on who inserted first, compared as sets (by id): two
# proposals that each add a column to one table commute, whichever lands first.
UNORDERED = ("tables", "relationships", "custom_types")
UNORDERED_IN_TABLES = ("columns", "unique_constraints", "indexes", "checks")


def rebase(
    ops: Sequence[ChangeOp], numbers: Sequence[int], base: Diagram, current: Diagram
) -> Replay:
    """The ops replayed on `current`, when they commute with what changed since `base`.

    `numbers` are the ops' numbers in their proposal, for messages. Raises
    `RebaseConflict` explaining the clash otherwise; when `current` has the same version
    as `base`, this is a plain replay.
    """
    if current.version == base.version:
        return replay(ops, current, numbers)
    since = diff_diagrams(base, current)
    try:
        ours = replay(ops, current, numbers)
    except InvalidChange as error:
        raise conflict(ops, base, current, str(error)) from error
    try:
        theirs = apply_all(since, apply_all(ops, base))
    except InvalidChange as error:
        raise conflict(ops, base, current, str(error)) from error
    theirs = theirs.model_copy(update={name: getattr(current, name) for name in OUTSIDE_THE_DIFF})
    if comparable(ours.diagram) != comparable(theirs):
        raise conflict(ops, base, current, "the two changes give different results")
    return ours


def conflict(
    ops: Sequence[ChangeOp], base: Diagram, current: Diagram, reason: str
) -> RebaseConflict:
    """The refusal, naming the versions, the tables both sides changed, and the reason."""
    proposed = try_apply(ops, base)
    ours = set(summarize_changes(base, proposed).affected_tables) if proposed else set()
    theirs = set(summarize_changes(base, current).affected_tables)
    both = sorted(ours & theirs)
    where = f" Both changed: {', '.join(both)}." if both else ""
    return RebaseConflict(
        f"The proposal was made on version {base.version} of diagram {base.name!r}, which "
        f"is now at version {current.version}, and the changes since clash with it: "
        f"{reason.rstrip('.')}.{where} Revise the proposal against the current version, "
        "or reject it."
    )


def try_apply(ops: Sequence[ChangeOp], diagram: Diagram) -> Diagram | None:
    """The ops applied, or None when they do not apply."""
    try:
        return apply_all(ops, diagram)
    except InvalidChange:
        return None


def comparable(diagram: Diagram) -> dict[str, Any]:
    """The diagram as plain data, without bookkeeping, its unordered lists sorted by id."""
    data = diagram.model_dump(exclude={"version", "created_at", "updated_at"})
    for name in UNORDERED:
        data[name] = by_id(data[name])
    for table in data["tables"]:
        for name in UNORDERED_IN_TABLES:
            table[name] = by_id(table[name])
    return data


def by_id(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The members sorted by their ids."""
    return sorted(members, key=lambda member: str(member["id"]))
