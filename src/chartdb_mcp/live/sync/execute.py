"""Run a migration on a live database: in one transaction where DDL is transactional,
statement by statement where it is not.

PostgreSQL and SQLite: the statements run first in a transaction that is rolled back (the
dry run); only if every one succeeds do they run again in a transaction that commits. A
failure at any point leaves the database as it was. Statements that must run outside a
transaction (SQLite's PRAGMA foreign_keys) may only lead or trail the plan.

MySQL and MariaDB commit each DDL statement implicitly, so no transaction can undo one:
the statements run one by one, and a failure stops the run and reports the statements
that ran, with the inverse statements that would undo them, newest first.
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from chartdb_mcp.core.sql.migrate import Step
from chartdb_mcp.errors import MigrationRefused, QueryFailed
from chartdb_mcp.live.engines import connect, driver_message, is_mysql, scrub
from chartdb_mcp.live.target import ConnectionTarget

logger = logging.getLogger(__name__)


@dataclass
class Execution:
    """How a run went: which steps (numbered from 1) stayed applied, and where it stopped."""

    mode: str
    dry_run_passed: bool | None = None
    committed: bool = False
    applied: list[int] = field(default_factory=list)
    failed_step: int | None = None
    error: str | None = None
    inverses: list[str] = field(default_factory=list)


class StepFailed(Exception):
    """A step failed; carries its number and the database's message."""

    def __init__(self, number: int, message: str) -> None:
        super().__init__(message)
        self.number = number
        self.message = message


def execute_plan(target: ConnectionTarget, steps: list[Step]) -> Execution:
    """Run `steps` on `target` the safest way its database allows; see the module docstring."""
    with connect(target, failure=QueryFailed) as connection:
        raw = connection.execution_options(isolation_level="AUTOCOMMIT")
        if is_mysql(target):
            return one_by_one(raw, target, steps)
        return in_transaction(raw, target, steps)


def in_transaction(
    connection: Connection, target: ConnectionTarget, steps: list[Step]
) -> Execution:
    """A rolled-back dry run, then the real run in one transaction that commits."""
    before, inside, after = split_outside(steps)
    execution = Execution(mode="transaction")
    for commit in (False, True):
        try:
            run_steps(connection, target, before, 1)
            connection.exec_driver_sql("BEGIN")
            try:
                run_steps(connection, target, inside, len(before) + 1)
            except StepFailed:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT" if commit else "ROLLBACK")
            run_steps(connection, target, after, len(before) + len(inside) + 1)
        except StepFailed as failure:
            restore(connection, after)
            execution.failed_step, execution.error = failure.number, failure.message
            if not commit:
                execution.dry_run_passed = False
            return execution
        if not commit:
            execution.dry_run_passed = True
    execution.committed = True
    execution.applied = list(range(1, len(steps) + 1))
    return execution


def one_by_one(connection: Connection, target: ConnectionTarget, steps: list[Step]) -> Execution:
    """Each statement on its own; a failure stops the run and lists what would undo the rest."""
    execution = Execution(mode="statement by statement")
    for number, step in enumerate(steps, start=1):
        try:
            run_steps(connection, target, [step], number)
        except StepFailed as failure:
            execution.failed_step, execution.error = failure.number, failure.message
            break
        execution.applied.append(number)
    execution.committed = bool(execution.applied)
    execution.inverses = [
        steps[number - 1].inverse or f"-- step {number} has no inverse: {steps[number - 1].sql}"
        for number in reversed(execution.applied)
    ]
    return execution


def split_outside(steps: list[Step]) -> tuple[list[Step], list[Step], list[Step]]:
    """The leading and trailing steps that run outside the transaction, and the rest."""
    start = 0
    while start < len(steps) and not steps[start].transactional:
        start += 1
    end = len(steps)
    while end > start and not steps[end - 1].transactional:
        end -= 1
    inside = steps[start:end]
    stuck = [step.sql for step in inside if not step.transactional]
    if stuck:
        raise MigrationRefused(
            f"The statement {stuck[0]!r} cannot run inside a transaction and does not lead "
            "or trail the migration, so it cannot run atomically; export it and run it by hand."
        )
    return steps[:start], inside, steps[end:]


def run_steps(
    connection: Connection, target: ConnectionTarget, steps: list[Step], first: int
) -> None:
    """Run each step; raise StepFailed with the step's number on the first error."""
    for number, step in enumerate(steps, start=first):
        try:
            connection.exec_driver_sql(step.sql)
        except SQLAlchemyError as error:
            message = scrub(driver_message(error), target)
            logger.warning("migration step %d on %s failed: %s", number, target.display, message)
            raise StepFailed(number, message) from None


def restore(connection: Connection, after: list[Step]) -> None:
    """Run the trailing statements (they restore settings) after a failure, best effort."""
    for step in after:
        try:
            connection.exec_driver_sql(step.sql)
        except SQLAlchemyError:
            logger.warning("restoring %r after a failed migration failed", step.sql)
