"""Change operations: typed edits of a diagram that can be checked, applied, undone and read.

Each object kind has its own module (tables, columns, indexes, relationships, keys,
checks, presentation, custom types) that defines its ops and registers their handlers;
this package only wires them together. `drop_table` is undone by `restore_table`, which
carries the dropped table and its relationships with their places in the diagram;
`drop_type` is undone by `create_type`, which carries the dropped type and its place.
Custom types (`create_type`, `alter_type`, `drop_type`) are named by text in columns, so
renaming or dropping one leaves those columns as they are and says so in a warning.
"""

from chartdb_mcp.core.edit.ops.checks import AddCheck, DropCheck
from chartdb_mcp.core.edit.ops.columns import AddColumn, AlterColumn, DropColumn, RenameColumn
from chartdb_mcp.core.edit.ops.custom_types import AlterType, CreateType, DropType
from chartdb_mcp.core.edit.ops.dispatch import (
    apply,
    apply_all,
    apply_step,
    checked_whole,
    describe,
    described_step,
    invert,
    invert_all,
    validate,
)
from chartdb_mcp.core.edit.ops.indexes import AddIndex, DropIndex
from chartdb_mcp.core.edit.ops.keys import AddUnique, DropUnique, SetPrimaryKey
from chartdb_mcp.core.edit.ops.presentation import (
    SetColor,
    SetPosition,
    SetTableComment,
    SetTableStatus,
)
from chartdb_mcp.core.edit.ops.registry import HANDLERS
from chartdb_mcp.core.edit.ops.relationships import AddRelationship, DropRelationship
from chartdb_mcp.core.edit.ops.tables import (
    CreateTable,
    DropTable,
    PlacedRelationship,
    RenameTable,
    RestoreTable,
)
from chartdb_mcp.core.edit.ops.union import CHANGE_OP, CHANGE_OPS, ChangeOp, parse_op

__all__ = [
    "CHANGE_OP",
    "CHANGE_OPS",
    "HANDLERS",
    "AddCheck",
    "AddColumn",
    "AddIndex",
    "AddRelationship",
    "AddUnique",
    "AlterColumn",
    "AlterType",
    "ChangeOp",
    "CreateTable",
    "CreateType",
    "DropCheck",
    "DropColumn",
    "DropIndex",
    "DropRelationship",
    "DropTable",
    "DropType",
    "DropUnique",
    "PlacedRelationship",
    "RenameColumn",
    "RenameTable",
    "RestoreTable",
    "SetColor",
    "SetPosition",
    "SetPrimaryKey",
    "SetTableComment",
    "SetTableStatus",
    "apply",
    "apply_all",
    "apply_step",
    "checked_whole",
    "describe",
    "described_step",
    "invert",
    "invert_all",
    "parse_op",
    "validate",
]
