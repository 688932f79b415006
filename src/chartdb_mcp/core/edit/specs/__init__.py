"""Friendly specs an assistant fills in, and the change ops they turn into.

The create-table, modify-table and add-relationship tools take these specs as input;
each translator reads the diagram the ops will apply to and returns ops that apply to it
in order. Nothing here changes a diagram.
"""

from chartdb_mcp.core.edit.specs.create import create_table_ops
from chartdb_mcp.core.edit.specs.inputs import (
    CheckSpec,
    ColumnChange,
    ColumnRename,
    ColumnSpec,
    IndexSpec,
    RelationshipSpec,
    TableChangesSpec,
    TableSpec,
)
from chartdb_mcp.core.edit.specs.modify import modify_table_ops
from chartdb_mcp.core.edit.specs.relate import add_relationship_ops

__all__ = [
    "CheckSpec",
    "ColumnChange",
    "ColumnRename",
    "ColumnSpec",
    "IndexSpec",
    "RelationshipSpec",
    "TableChangesSpec",
    "TableSpec",
    "add_relationship_ops",
    "create_table_ops",
    "modify_table_ops",
]
