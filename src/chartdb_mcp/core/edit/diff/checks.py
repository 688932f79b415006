"""CHECK constraints of a kept table, matched by id.

A check's expression is SQL text that `rename_column` does not rewrite, so checks are
compared as they are written; a changed or moved one is dropped and added again.
"""

from chartdb_mcp.core.edit.diff.lists import ListPlan, plan_list
from chartdb_mcp.core.edit.diff.pair import TablePair, address
from chartdb_mcp.core.edit.ops import AddCheck, ChangeOp, DropCheck
from chartdb_mcp.core.model import CheckConstraint


def plan_checks(pair: TablePair) -> ListPlan[CheckConstraint]:
    """Checks to drop and to add."""
    return plan_list(pair.old_table.checks, pair.new_table.checks, lambda a, b: a == b)


def drop_ops(pair: TablePair) -> list[ChangeOp]:
    """Drop removed, changed and moved checks, by id."""
    return [
        DropCheck(**address(pair.old_table), check=check.id) for check in plan_checks(pair).removed
    ]


def add_ops(pair: TablePair) -> list[ChangeOp]:
    """Add new and rebuilt checks at their places in the new table."""
    return [
        AddCheck(**address(pair.new_table), check=check, position=position)
        for position, check in plan_checks(pair).added
    ]
