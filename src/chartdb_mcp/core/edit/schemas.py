"""Where proposed tables and types go when their op names no schema.

On a diagram whose tables all live in one schema (`public` on PostgreSQL, a database on
MySQL), a table or type created without a schema belongs there, as the database would
put it; left without one, it would sit beside a same-named table in that schema and
make the bare name ambiguous. The `create-table` tool places its table the same way.
"""

from collections.abc import Sequence

from chartdb_mcp.core.edit.ops import ChangeOp
from chartdb_mcp.core.edit.ops.custom_types import CreateType
from chartdb_mcp.core.edit.ops.tables import CreateTable
from chartdb_mcp.core.edit.specs.common import default_schema
from chartdb_mcp.core.model import Diagram


def placed_in_default_schema(ops: Sequence[ChangeOp], diagram: Diagram) -> list[ChangeOp]:
    """The ops with each schema-less new table and type put in the diagram's one schema."""
    schema = default_schema(diagram)
    if schema is None:
        return list(ops)
    return [placed(op, schema) for op in ops]


def placed(op: ChangeOp, schema: str) -> ChangeOp:
    """The op with its new table or type in `schema` when it names none."""
    if isinstance(op, CreateTable) and op.table.schema_name is None:
        return op.model_copy(update={"table": op.table.model_copy(update={"schema_name": schema})})
    if isinstance(op, CreateType) and op.type.schema_name is None:
        return op.model_copy(update={"type": op.type.model_copy(update={"schema_name": schema})})
    return op
