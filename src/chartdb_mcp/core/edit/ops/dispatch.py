"""The four things one can do with an op, dispatched by kind through the registry.

All of them are pure: the diagram given is never changed, and `apply` returns a new one.
Each op checks only what it touches (its own rules, then the model rules of the tables
and relationships it changed), so a long list of ops costs time in proportion to its
length; the diagram as a whole is checked once, after the last op.
"""

from collections.abc import Sequence
from typing import cast

from pydantic import ValidationError

from chartdb_mcp.core.edit.ops.registry import Handler, handler_for
from chartdb_mcp.core.edit.ops.union import ChangeOp
from chartdb_mcp.core.model import Diagram, Relationship, Table
from chartdb_mcp.errors import InvalidChange


def validate(op: ChangeOp, diagram: Diagram) -> list[str]:
    """Warnings about applying the op; InvalidChange when it cannot be applied at all."""
    return handler_for(op).validate(op, diagram)


def apply(op: ChangeOp, diagram: Diagram) -> Diagram:
    """A new, fully validated diagram with the op applied; InvalidChange when it cannot be."""
    return checked_whole(apply_step(op, diagram), f"The change {op.kind!r}", diagram.name)


def apply_step(op: ChangeOp, diagram: Diagram) -> Diagram:
    """The op applied after its own checks, with what it changed checked by the model rules.

    The result may share unchanged parts with `diagram`, and the diagram as a whole is
    not re-checked: end a sequence of steps with `checked_whole`.
    """
    handler = handler_for(op)
    handler.validate(op, diagram)
    return checked_apply(handler, op, diagram)


def described_step(op: ChangeOp, diagram: Diagram) -> tuple[Diagram, list[str], str]:
    """`apply_step`, with the op's warnings and its readable line, checking the op once."""
    handler = handler_for(op)
    warnings = handler.validate(op, diagram)
    line = handler.describe(op, diagram)
    return checked_apply(handler, op, diagram), warnings, line


def checked_apply(handler: Handler, op: ChangeOp, diagram: Diagram) -> Diagram:
    """The handler's result, once the parts it changed pass the model's rules."""
    changed = handler.apply(op, diagram)
    problem = changed_parts_problem(diagram, changed)
    if problem is not None:
        raise InvalidChange(
            f"The change {op.kind!r} would leave diagram {diagram.name!r} invalid: {problem}"
        )
    return changed


def apply_all(ops: Sequence[ChangeOp], diagram: Diagram) -> Diagram:
    """All ops applied in order, or InvalidChange (and no result) if any one fails."""
    name = diagram.name
    for op in ops:
        diagram = apply_step(op, diagram)
    return checked_whole(diagram, "The changes", name)


def checked_whole(diagram: Diagram, what: str, name: str) -> Diagram:
    """A fresh copy of the diagram, after every model check; InvalidChange when one fails.

    The copy is built from plain data, so it shares no objects with any op or earlier
    diagram, and nothing an op overlooked can slip into a stored diagram.
    """
    try:
        return Diagram.model_validate(diagram.model_dump())
    except ValidationError as error:
        message = error.errors()[0]["msg"]
        raise InvalidChange(f"{what} would leave diagram {name!r} invalid: {message}") from error


def changed_parts_problem(before: Diagram, after: Diagram) -> str | None:
    """What is wrong with the tables an op replaced or added, or the relationships that
    touch them; None when nothing is.

    An op builds new objects only for what it changes, so comparing identities finds
    them without looking inside the rest of the diagram.
    """
    changed: list[Table] = []
    if after.tables is not before.tables:
        old_tables = {id(table) for table in before.tables}
        changed = [table for table in after.tables if id(table) not in old_tables]
    problems = [table_problem(table) for table in changed]
    changed_ids = {table.id for table in changed}
    if after.relationships is before.relationships and not changed_ids:
        return next((problem for problem in problems if problem is not None), None)
    old_relationships = {id(relationship) for relationship in before.relationships}
    touched = [
        relationship
        for relationship in after.relationships
        if id(relationship) not in old_relationships
        or relationship.source_table_id in changed_ids
        or relationship.target_table_id in changed_ids
    ]
    if touched:
        tables = {table.id: table for table in after.tables}
        problems += [relationship_problem(relationship, tables) for relationship in touched]
    return next((problem for problem in problems if problem is not None), None)


def table_problem(table: Table) -> str | None:
    """Why the table breaks the model's rules: a repeated column name, a key on a column
    it does not have; None when it does not."""
    names = [column.name for column in table.columns]
    known = set(names)
    if len(known) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        return f"table {table.qualified_name!r} repeats column names {repeated}"
    referenced = list(table.primary_key.columns) if table.primary_key is not None else []
    for unique in table.unique_constraints:
        referenced += unique.columns
    for index in table.indexes:
        referenced += [part.column for part in index.parts if part.column is not None]
    missing = sorted(set(referenced) - known)
    if missing:
        return f"table {table.qualified_name!r} has keys on unknown columns {missing}"
    return None


def relationship_problem(relationship: Relationship, tables: dict[str, Table]) -> str | None:
    """Why the relationship does not resolve (a table or columns missing), or None."""
    label = relationship.name or relationship.id
    for table_id, columns in (
        (relationship.source_table_id, relationship.source_columns),
        (relationship.target_table_id, relationship.target_columns),
    ):
        end = tables.get(table_id)
        if end is None:
            return f"relationship {label!r} refers to a table the diagram does not have"
        missing = [name for name in columns if end.column(name) is None]
        if missing:
            return (
                f"relationship {label!r} refers to columns {missing} that table "
                f"{end.qualified_name!r} does not have"
            )
    return None


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
        diagram = apply_step(op, diagram)
    return inverses[::-1]


def describe(op: ChangeOp, diagram: Diagram) -> str:
    """One readable line (`+ table public.tags`), given the diagram before the op."""
    handler = handler_for(op)
    handler.validate(op, diagram)
    return handler.describe(op, diagram)
