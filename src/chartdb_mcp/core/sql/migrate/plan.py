"""A migration plan as data: ordered statements, each with its risk, reason and inverse.

A plan is meant to be run statement by statement. `transactional` says whether the
statement may run inside a transaction with its neighbours (SQLite's `PRAGMA
foreign_keys` may not; neither may MySQL DDL, which commits implicitly, so there every
statement is its own unit). `inverse` undoes the statement where SQL can (a dropped
column's data cannot come back, so its inverse only recreates the column).
"""

from enum import StrEnum

from pydantic import BaseModel, Field

from chartdb_mcp.core.model import DatabaseType


class Risk(StrEnum):
    """How careful a person must be before running a statement on a database with data."""

    SAFE = "safe"
    WARNING = "warning"
    DESTRUCTIVE = "destructive"
    BLOCKED = "blocked"


RISK_ORDER = {Risk.SAFE: 0, Risk.WARNING: 1, Risk.DESTRUCTIVE: 2, Risk.BLOCKED: 3}


class Step(BaseModel):
    """One statement of a migration."""

    sql: str
    risk: Risk = Risk.SAFE
    reason: str | None = Field(default=None, description="Why the risk is not `safe`.")
    transactional: bool = True
    inverse: str | None = Field(default=None, description="SQL that undoes this statement.")
    change: str = Field(description="The change op kind the statement comes from.")
    table: str | None = None

    def riskier(self, risk: Risk, reason: str) -> "Step":
        """This step with `risk` and `reason`, when they are riskier than its own."""
        if RISK_ORDER[risk] <= RISK_ORDER[self.risk]:
            return self
        return self.model_copy(update={"risk": risk, "reason": reason})


class MigrationPlan(BaseModel):
    """The ordered statements from one schema to another, and what they cannot say."""

    dialect: DatabaseType
    steps: list[Step] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def highest_risk(self) -> Risk:
        """The riskiest step's risk (`safe` for an empty plan)."""
        return max(
            (step.risk for step in self.steps), key=RISK_ORDER.__getitem__, default=Risk.SAFE
        )

    @property
    def script(self) -> str:
        """The statements as one script, each preceded by its risk when it is not safe."""
        lines: list[str] = []
        for step in self.steps:
            if step.risk != Risk.SAFE:
                lines.append(f"-- {step.risk.value}: {step.reason}")
            lines.append(f"{step.sql};\n")
        return "\n".join(lines)
