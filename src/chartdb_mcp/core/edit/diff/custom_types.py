"""Custom types (enums, domains and composites), matched by id: drop, alter and create.

A type with the same id on both sides is kept and changed by one `alter_type`, a new
name included, unless it moved to another schema, changed kind, or changed in a way
`alter_type` refuses (labels on a domain, an empty or repeated label list): then it is
dropped and created again, same id. Kept types never change places in the list (no op
moves a type); created ones are inserted where the new diagram has them relative to
the types present.
"""

from dataclasses import dataclass
from typing import Any

from chartdb_mcp.core.edit.diff.renames import order_renames
from chartdb_mcp.core.edit.diff.tables import count_before
from chartdb_mcp.core.edit.ops import AlterType, ChangeOp, CreateType, DropType
from chartdb_mcp.core.edit.ops.custom_types import alter_refusal
from chartdb_mcp.core.model import CustomType, Diagram

# The fields `alter_type` can set: everything it has beyond its address and the new name.
ALTERABLE = tuple(
    name for name in AlterType.model_fields if name not in ("kind", "type", "type_id", "new_name")
)
# The fields no op changes in place: a difference in one of them recreates the type.
REBUILT = tuple(name for name in CustomType.model_fields if name not in {"id", "name", *ALTERABLE})


@dataclass(frozen=True)
class TypePair:
    """One type (same id) in the old and the new diagram, altered rather than recreated."""

    old_type: CustomType
    new_type: CustomType

    @property
    def changes(self) -> dict[str, Any]:
        """The fields `alter_type` can set that differ, with their new values."""
        return {
            name: getattr(self.new_type, name)
            for name in ALTERABLE
            if getattr(self.old_type, name) != getattr(self.new_type, name)
        }


@dataclass(frozen=True)
class TypePlan:
    """Types to drop (old order), to create (new order) and to keep (new order)."""

    dropped: list[CustomType]
    created: list[CustomType]
    pairs: list[TypePair]


def alterable_in_place(old_type: CustomType, new_type: CustomType) -> bool:
    """Whether one `alter_type` can turn the old type into the new one."""
    if any(getattr(old_type, name) != getattr(new_type, name) for name in REBUILT):
        return False
    changes = TypePair(old_type, new_type).changes
    return alter_refusal(old_type, changes, old_type.qualified_name) is None


def plan_types(old: Diagram, new: Diagram) -> TypePlan:
    """Split the custom types into dropped, created and kept, by id."""
    old_types = {t.id: t for t in old.custom_types}
    new_types = {t.id: t for t in new.custom_types}
    kept = {
        i
        for i in old_types.keys() & new_types.keys()
        if alterable_in_place(old_types[i], new_types[i])
    }
    return TypePlan(
        dropped=[t for t in old.custom_types if t.id not in kept],
        created=[t for t in new.custom_types if t.id not in kept],
        pairs=[TypePair(old_types[t.id], t) for t in new.custom_types if t.id in kept],
    )


def drop_ops(plan: TypePlan) -> list[ChangeOp]:
    """Drop the types that go away or are recreated, by id."""
    return [DropType(type=t.qualified_name, type_id=t.id) for t in plan.dropped]


def alter_ops(plan: TypePlan) -> list[ChangeOp]:
    """One `alter_type` per kept type that changed, renames ordered so none takes a name in use.

    A rename that is part of a cycle first parks the type on a temporary name; its
    field changes ride on the step that gives it its final name.
    """
    pending = {pair.old_type.id: pair.changes for pair in plan.pairs}
    by_schema: dict[str | None, list[TypePair]] = {}
    for pair in plan.pairs:
        by_schema.setdefault(pair.old_type.schema_name, []).append(pair)
    ops: list[ChangeOp] = []
    for schema_name, pairs in by_schema.items():
        wanted = {p.old_type.id: (p.old_type.name, p.new_type.name) for p in pairs}
        for step in order_renames(wanted, [p.old_type.name for p in pairs]):
            final = step.new_name == wanted[step.member_id][1]
            changes = pending.pop(step.member_id) if final else {}
            current = f"{schema_name}.{step.old_name}" if schema_name else step.old_name
            ops.append(
                AlterType(type=current, type_id=step.member_id, new_name=step.new_name, **changes)
            )
    for pair in plan.pairs:
        changes = pending.get(pair.old_type.id, {})
        if changes:
            ops.append(
                AlterType(type=pair.new_type.qualified_name, type_id=pair.new_type.id, **changes)
            )
    return ops


def create_ops(plan: TypePlan, new: Diagram) -> list[ChangeOp]:
    """Create the new and recreated types, each placed among the types present."""
    order = {t.id: number for number, t in enumerate(new.custom_types)}
    present = [pair.old_type.id for pair in plan.pairs]
    ops: list[ChangeOp] = []
    for custom_type in plan.created:
        position = count_before(order, present, custom_type.id)
        ops.append(CreateType(type=custom_type, position=position))
        present.append(custom_type.id)
    return ops
