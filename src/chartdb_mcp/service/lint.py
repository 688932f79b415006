"""Lint a stored diagram: run the deterministic checks and fit the answer to a budget."""

from pydantic import BaseModel, Field

from chartdb_mcp.core.lint import Finding, Severity, chosen_rules, lint
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import TableNotFound
from chartdb_mcp.service.diagrams import similar_tables
from chartdb_mcp.store import DiagramStore

# What a finding costs in the answer besides its own text (JSON keys, the text line).
FINDING_OVERHEAD = 120
ANSWER_OVERHEAD = 600


class LintReport(BaseModel):
    """Findings, worst first per table, with counts of everything found."""

    diagram_id: str
    diagram_name: str
    dialect: str
    rules: list[str]
    tables_checked: int
    counts: dict[Severity, int] = Field(description="Findings per severity, before any cut.")
    findings: list[Finding]
    findings_left_out: int = Field(default=0, description="Findings cut to stay under max_chars.")


async def lint_schema(
    store: DiagramStore,
    diagram_id: str,
    *,
    dialect: DatabaseType | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    tables: list[str] | None = None,
    max_chars: int = 20_000,
) -> LintReport:
    """The diagram's findings; `tables` limits which tables are checked (names or schema.name)."""
    diagram = await store.get(diagram_id)
    rules = chosen_rules(include, exclude)
    scope = diagram.tables
    if tables:
        found = {name: diagram.find_table(name) for name in tables}
        missing = [name for name, table in found.items() if table is None]
        if missing:
            raise TableNotFound(missing, diagram.name, similar_tables(diagram, missing))
        scope = [table for table in found.values() if table is not None]
    findings = lint(diagram, dialect, include=[r.id for r in rules], tables=scope)
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    kept, used = [], ANSWER_OVERHEAD
    for finding in findings:
        used += 2 * (len(finding.message) + len(finding.suggestion)) + FINDING_OVERHEAD
        if used > max_chars:
            break
        kept.append(finding)
    return LintReport(
        diagram_id=diagram.id,
        diagram_name=diagram.name,
        dialect=(dialect or diagram.database_type).value,
        rules=[rule.id for rule in rules],
        tables_checked=len(scope),
        counts=counts,
        findings=kept,
        findings_left_out=len(findings) - len(kept),
    )
