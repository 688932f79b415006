"""Differences the diff cannot express as ops, reported as sentences instead.

No op edits views, notes, areas or the diagram's own settings, so the diff leaves them
alone; `unsupported_differences` names each one so a caller can tell the user rather
than silently lose it.
"""

from collections.abc import Sequence

from chartdb_mcp.core.edit.diff.lists import HasId
from chartdb_mcp.core.model import Diagram

# Diagram settings without an op; bookkeeping (id, version, timestamps) is not compared.
SETTINGS = ("name", "description", "database_type", "schemas", "source")


def unsupported_differences(old: Diagram, new: Diagram) -> list[str]:
    """One sentence per difference that `diff_diagrams` leaves out; empty when none."""
    found = [
        f"Diagram setting {name!r} differs; the diff has no op to change it."
        for name in SETTINGS
        if getattr(old, name) != getattr(new, name)
    ]
    found += member_differences("view", old.views, new.views)
    found += member_differences("note", old.notes, new.notes)
    found += member_differences("area", old.areas, new.areas)
    return found


def member_differences(
    what: str, old_members: Sequence[HasId], new_members: Sequence[HasId]
) -> list[str]:
    """Sentences for members added, removed or changed, matched by id, in a stable order."""
    old_by_id = {m.id: m for m in old_members}
    new_by_id = {m.id: m for m in new_members}
    removed = old_by_id.keys() - new_by_id.keys()
    added = new_by_id.keys() - old_by_id.keys()
    changed = {i for i in old_by_id.keys() & new_by_id.keys() if old_by_id[i] != new_by_id[i]}
    events = [(i, "removed", old_by_id[i]) for i in removed]
    events += [(i, "added", new_by_id[i]) for i in added]
    events += [(i, "changed", new_by_id[i]) for i in changed]
    return [
        f"The {what} {label(member)!r} was {event}; the diff does not cover {what}s."
        for _, event, member in sorted(events, key=lambda e: (e[0], e[1]))
    ]


def label(member: HasId) -> str:
    """The member's name when it has one, otherwise its id."""
    return str(getattr(member, "name", None) or member.id)
