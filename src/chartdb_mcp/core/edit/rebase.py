"""Carrying ops made on an older version of a diagram over to its current version.

Ops made on `base` may be applied to `current` (a later version) only when the two
lines of change do not interfere. The test is commutation: applying the proposal to
`current` must give the same diagram as applying what changed since (`diff(base,
current)`) to the proposal's own result. When the two differ, or either side fails to
apply, the rebase is refused with `RebaseConflict`, naming the tables both sides
touched, so nobody's change is silently lost or overwritten.

Most lists are compared as sets, so two proposals that each append a column commute
whichever lands first. When both sides insert into the same list at a chosen position
(`position: 0`, say), the order would depend on which landed first, and the rebase is
refused.
"""

from collections.abc import Sequence
from typing import Any

from chartdb_mcp.core.edit.changes import summarize_changes
from chartdb_mcp.core.edit.diff import diff_diagrams
from chartdb_mcp.core.edit.ops import (
    AddCheck,
    AddColumn,
    AddIndex,
    AddRelationship,
    AddUnique,
    ChangeOp,
    CreateTable,
    CreateType,
    apply_all,
    apply_step,
    checked_whole,
)
from chartdb_mcp.core.edit.ops.lookup import require_table
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
# The list each positioned insert puts its member in: a diagram list, or a table's.
DIAGRAM_LISTS: dict[type, str] = {
    CreateTable: "tables",
    AddRelationship: "relationships",
    CreateType: "custom_types",
}
TABLE_LISTS: dict[type, str] = {
    AddColumn: "columns",
    AddUnique: "unique_constraints",
    AddIndex: "indexes",
    AddCheck: "checks",
}
# A list as (table id or None for the diagram's own lists, list name, readable label).
OrderedList = tuple[str | None, str, str]


def rebase(
    ops: Sequence[ChangeOp], numbers: Sequence[int], base: Diagram, current: Diagram
) -> Replay:
    """The ops replayed on `current`, when they commute with what changed since `base`.

    `numbers` are the ops' numbers in their proposal, for messages. Raises
    `RebaseConflict` explaining the clash otherwise; when `current` has the same version
    as `base`, this is a plain replay.
    """
    if current.version == base.version:
        return replay(ops, current, numbers, design_rules=True)
    since = diff_diagrams(base, current)
    try:
        ours = replay(ops, current, numbers, design_rules=True)
    except InvalidChange as error:
        raise conflict(ops, base, current, str(error)) from error
    try:
        mine, positioned = applied_with_positions(ops, base)
    except InvalidChange as error:
        raise conflict(ops, base, current, str(error)) from error
    theirs = carried_over(since, base, current, mine, ops)
    theirs = theirs.model_copy(update={name: getattr(current, name) for name in OUTSIDE_THE_DIFF})
    for table_id, name, label in positioned:
        if inserted_before_the_end(base, current, table_id, name):
            raise conflict(
                ops,
                base,
                current,
                f"the proposal inserts into {label} at a chosen position, and the changes "
                "since inserted into that list at a chosen position too, so the order "
                "would depend on which landed first",
            )
    if comparable(ours.diagram) != comparable(theirs):
        raise conflict(ops, base, current, "the two changes give different results")
    return ours


def carried_over(
    since: Sequence[ChangeOp],
    base: Diagram,
    current: Diagram,
    mine: Diagram,
    ops: Sequence[ChangeOp],
) -> Diagram:
    """What changed since `base`, applied after the proposal (`mine`); a clash names the
    change that cannot follow, as the changelog would say it, not by an op number."""
    diagram = mine
    for number, op in enumerate(since):
        try:
            diagram = apply_step(op, diagram)
        except InvalidChange as error:
            line = replay(since, base).lines[number]
            reason = (
                f"the change made since, '{line}', cannot follow the proposal's changes "
                f"({lowered(str(error))})"
            )
            raise conflict(ops, base, current, reason) from error
    return diagram


def lowered(message: str) -> str:
    """A message as a clause: no final full stop."""
    return message.rstrip(".")


def applied_with_positions(
    ops: Sequence[ChangeOp], base: Diagram
) -> tuple[Diagram, list[OrderedList]]:
    """The ops applied to `base`, and the lists they insert into at a chosen position."""
    found: list[OrderedList] = []
    diagram = base
    for op in ops:
        position = getattr(op, "position", None)
        if isinstance(position, int):
            if type(op) in DIAGRAM_LISTS:
                name = DIAGRAM_LISTS[type(op)]
                found.append((None, name, f"the diagram's {name.replace('_', ' ')}"))
            elif isinstance(op, AddColumn | AddUnique | AddIndex | AddCheck):
                table = require_table(diagram, op.table, op.table_id)
                name = TABLE_LISTS[type(op)]
                label = f"the {name.replace('_', ' ')} of table {table.qualified_name!r}"
                found.append((table.id, name, label))
        diagram = apply_step(op, diagram)
    return checked_whole(diagram, "The changes", base.name), found


def inserted_before_the_end(
    base: Diagram, current: Diagram, table_id: str | None, name: str
) -> bool:
    """True when `current` has members of the list that `base` lacks placed before some
    member `base` had: an insert at a chosen position, not an append."""
    before = set(ordered_list(base, table_id, name))
    now = ordered_list(current, table_id, name)
    added = [number for number, member in enumerate(now) if member not in before]
    kept = [number for number, member in enumerate(now) if member in before]
    return bool(added and kept) and min(added) < max(kept)


def ordered_list(diagram: Diagram, table_id: str | None, name: str) -> list[str]:
    """The ids of one list's members, in order (empty when its table is gone)."""
    if table_id is None:
        return [member.id for member in getattr(diagram, name)]
    table = next((t for t in diagram.tables if t.id == table_id), None)
    return [member.id for member in getattr(table, name)] if table is not None else []


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
