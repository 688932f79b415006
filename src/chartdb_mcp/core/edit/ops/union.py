"""The union of every change operation, discriminated by its `kind`."""

from typing import Annotated

from pydantic import Field, TypeAdapter

from chartdb_mcp.core.edit.ops.checks import AddCheck, DropCheck
from chartdb_mcp.core.edit.ops.columns import AddColumn, AlterColumn, DropColumn, RenameColumn
from chartdb_mcp.core.edit.ops.custom_types import AlterType, CreateType, DropType
from chartdb_mcp.core.edit.ops.indexes import AddIndex, DropIndex
from chartdb_mcp.core.edit.ops.keys import AddUnique, DropUnique, SetPrimaryKey
from chartdb_mcp.core.edit.ops.presentation import (
    SetColor,
    SetPosition,
    SetTableComment,
    SetTableStatus,
)
from chartdb_mcp.core.edit.ops.relationships import AddRelationship, DropRelationship
from chartdb_mcp.core.edit.ops.tables import CreateTable, DropTable, RenameTable, RestoreTable

ChangeOp = Annotated[
    CreateTable
    | DropTable
    | RestoreTable
    | RenameTable
    | AddColumn
    | DropColumn
    | RenameColumn
    | AlterColumn
    | AddIndex
    | DropIndex
    | AddRelationship
    | DropRelationship
    | SetPrimaryKey
    | AddUnique
    | DropUnique
    | AddCheck
    | DropCheck
    | SetTableComment
    | SetTableStatus
    | SetColor
    | SetPosition
    | CreateType
    | AlterType
    | DropType,
    Field(discriminator="kind"),
]

CHANGE_OPS: TypeAdapter[list[ChangeOp]] = TypeAdapter(list[ChangeOp])
CHANGE_OP: TypeAdapter[ChangeOp] = TypeAdapter(ChangeOp)


def parse_op(data: object) -> ChangeOp:
    """The op a JSON-like value describes; pydantic's ValidationError when it is malformed."""
    return CHANGE_OP.validate_python(data)
