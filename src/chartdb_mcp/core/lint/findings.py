"""What a lint rule reports, and what it is given to look at."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from chartdb_mcp.core.model import Column, DatabaseType, Diagram, Table
from chartdb_mcp.core.sql.types import normalize_type


class Severity(StrEnum):
    """How much a finding matters: errors break something, infos are taste."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Finding(BaseModel):
    """One problem: which rule saw it, where, what it is and what to do about it."""

    rule: str
    severity: Severity
    table: str
    column: str | None = None
    message: str
    suggestion: str


@dataclass(frozen=True)
class LintContext:
    """The diagram, the dialect its names are checked against, and the tables in scope."""

    diagram: Diagram
    dialect: DatabaseType
    tables: list[Table]

    def type_of(self, column: Column) -> str:
        """The column's canonical type, for comparisons."""
        return column.normalized_type or normalize_type(column.type, self.dialect)


Check = Callable[[LintContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A named check with its severity and a one-line summary."""

    id: str
    severity: Severity
    summary: str
    check: Check

    def finding(
        self, table: Table, message: str, suggestion: str, column: str | None = None
    ) -> Finding:
        """A finding of this rule on `table` (and `column`)."""
        return Finding(
            rule=self.id,
            severity=self.severity,
            table=table.qualified_name,
            column=column,
            message=message,
            suggestion=suggestion,
        )
