"""The diagram diff: the change ops that turn one version of a diagram into another.

`diff_diagrams(old, new)` returns ops that, applied in order to `old`, give a diagram
whose tables (ids, names, columns, keys, indexes, checks, comments, status, color,
position), relationships and custom types equal `new`'s. Everything is matched by id: a
table, column or type whose name changed is renamed, not dropped and created. Each
object kind has its own module; this package only orders their ops so every step
applies cleanly:

1. drop relationships that go away or must be rebuilt;
2. per kept table, clear a primary key and drop uniques, indexes and checks that go
   away or use a column that goes away, then drop those columns;
3. drop tables (partitions first), then drop custom types, so no type goes while a
   table that goes too still uses it;
4. alter custom types (renames included), then create new ones, so that tables and
   columns created later find their types;
5. rename tables, then create new tables (parents first);
6. per kept table, rename, alter and add columns, then set the primary key, add
   uniques, indexes and checks, then set comment, status, color and position;
7. add relationships.

Not covered: views, notes, areas and the diagram's own settings (name, description,
database type, schemas, source); no op edits them. The order of tables and custom
types that exist on both sides is left as it is, because no op moves them.
`unsupported_differences(old, new)` reports what the diff leaves out, one sentence each.
"""

from collections.abc import Callable

from chartdb_mcp.core.edit.diff import (
    checks,
    columns,
    custom_types,
    indexes,
    keys,
    presentation,
    relationships,
    tables,
)
from chartdb_mcp.core.edit.diff.pair import TablePair
from chartdb_mcp.core.edit.diff.unsupported import unsupported_differences
from chartdb_mcp.core.edit.ops import ChangeOp
from chartdb_mcp.core.model import Diagram

TableStep = Callable[[TablePair], list[ChangeOp]]

# Per kept table, in the order they run: teardown before any table is dropped, build-up
# after every table is created.
TEARDOWN: tuple[TableStep, ...] = (
    keys.drop_ops,
    indexes.drop_ops,
    checks.drop_ops,
    columns.drop_ops,
)
BUILD_UP: tuple[TableStep, ...] = (
    columns.build_ops,
    keys.add_ops,
    indexes.add_ops,
    checks.add_ops,
    presentation.set_ops,
)


def diff_diagrams(old: Diagram, new: Diagram) -> list[ChangeOp]:
    """Ops that turn `old`'s tables, relationships and custom types into `new`'s; none if equal."""
    table_plan = tables.plan_tables(old, new)
    type_plan = custom_types.plan_types(old, new)
    links = relationships.plan_relationships(old, new, table_plan.dropped_ids, table_plan.pairs)
    ops = relationships.drop_ops(links)
    ops += per_table(table_plan.pairs, TEARDOWN)
    ops += tables.drop_ops(table_plan)
    ops += custom_types.drop_ops(type_plan)
    ops += custom_types.alter_ops(type_plan)
    ops += custom_types.create_ops(type_plan, new)
    ops += tables.rename_ops(table_plan)
    ops += tables.create_ops(table_plan, new)
    ops += per_table(table_plan.pairs, BUILD_UP)
    ops += relationships.add_ops(links, new)
    return ops


def per_table(pairs: list[TablePair], steps: tuple[TableStep, ...]) -> list[ChangeOp]:
    """The ops of each step for each kept table, table by table."""
    return [op for pair in pairs for step in steps for op in step(pair)]


__all__ = ["diff_diagrams", "unsupported_differences"]
