"""What every change operation shares: the base model, table addressing and list editing.

An op names tables the way a person does (`posts` or `public.posts`). It may also carry
the table's id; the inverse of an op always does, so undoing a change finds the same
table even when its name has changed since.
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from chartdb_mcp.core.edit.ops.lookup import require_table
from chartdb_mcp.core.model import Column, Diagram, Table
from chartdb_mcp.errors import InvalidChange

Item = TypeVar("Item")


class Named(Protocol):
    """A member of a table's list that is found by its name or its id."""

    @property
    def id(self) -> str:
        """The member's stable id."""
        ...

    @property
    def name(self) -> str | None:
        """The member's name, if it has one."""
        ...


Member = TypeVar("Member", bound=Named)


class OpBase(BaseModel):
    """Common configuration of change operations: immutable, no unknown fields.

    Serialized ops leave out null fields that were never given. Some ops tell "not
    given" (keep as is) from "given as null" (remove) by the fields set, so a stored op
    must read back with the same fields set as it was written with.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str

    @model_serializer(mode="wrap")
    def _given_fields_only(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        if not isinstance(data, dict):
            return data
        given = self.model_fields_set
        return {key: value for key, value in data.items() if value is not None or key in given}


class TableOp(OpBase):
    """An operation on one existing table, addressed by name and optionally by id."""

    table: str = Field(min_length=1, description="`name` or `schema.name` of the table.")
    table_id: str | None = Field(
        default=None, description="The table's id; when given it wins over the name."
    )


def resolve_table(op: TableOp, diagram: Diagram) -> Table:
    """The table the op addresses, or InvalidChange quoting the name the caller gave."""
    return require_table(diagram, op.table, op.table_id)


def require_column(table: Table, name: str, given: str) -> Column:
    """The column called `name`, or InvalidChange quoting the table as `given` and the column."""
    column = table.column(name)
    if column is None:
        raise InvalidChange(f"Table {given!r} has no column named {name!r}.")
    return column


def pinned(table: Table) -> dict[str, Any]:
    """The addressing fields of an inverse op: the table's current name and its id."""
    return {"table": table.qualified_name, "table_id": table.id}


def replace_table(diagram: Diagram, table: Table) -> Diagram:
    """A copy of the diagram with the table of the same id replaced by `table`."""
    tables = [table if current.id == table.id else current for current in diagram.tables]
    return diagram.model_copy(update={"tables": tables})


def update_table(diagram: Diagram, table: Table, **changes: Any) -> Diagram:
    """A copy of the diagram in which `table` has the given fields changed."""
    return replace_table(diagram, table.model_copy(update=changes))


def inserted(items: Sequence[Item], item: Item, position: int | None) -> list[Item]:
    """A new list with `item` at `position` (the end when None or past the end)."""
    result = list(items)
    result.insert(len(result) if position is None else position, item)
    return result


def removed(items: Sequence[Item], position: int) -> list[Item]:
    """A new list without the item at `position` (the inverse of `inserted`)."""
    return [item for number, item in enumerate(items) if number != position]


def find_index(items: Sequence[Item], matches: Callable[[Item], bool]) -> int | None:
    """The position of the first item that matches, if any."""
    return next((number for number, item in enumerate(items) if matches(item)), None)


def check_position(position: int | None, length: int, what: str) -> None:
    """Refuse a position outside 0..length, naming the list it was meant for."""
    if position is not None and not 0 <= position <= length:
        raise InvalidChange(f"Position {position} is outside 0..{length} for {what}.")


def find_member(
    items: Sequence[Member], key: str, what: str, table_name: str
) -> tuple[int, Member]:
    """The position and member of a table's list whose name or id is `key`."""
    position = find_index(items, lambda item: key in (item.name, item.id))
    if position is None:
        raise InvalidChange(f"Table {table_name!r} has no {what} named {key!r}.")
    return position, items[position]


def check_columns_exist(table: Table, columns: Sequence[str], what: str, given: str) -> None:
    """Refuse a key, index or constraint over columns the table does not have."""
    missing = [name for name in columns if table.column(name) is None]
    if missing:
        raise InvalidChange(
            f"The {what} refers to columns {missing} that table {given!r} does not have."
        )


def check_member_free(items: Sequence[Named], member: Named, what: str, table_name: str) -> None:
    """Refuse a member whose id, or non-empty name, the table's list already has."""
    for item in items:
        if item.id == member.id or (member.name is not None and item.name == member.name):
            article = "an" if what[0] in "aeiou" else "a"
            shown = member.name or member.id
            raise InvalidChange(
                f"Table {table_name!r} already has {article} {what} named {shown!r}."
            )
