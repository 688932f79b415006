"""Deterministic schema checks: one module per rule family, wired into one registry.

`lint(diagram, ...)` runs the chosen rules over the chosen tables and returns findings
sorted by table, rule and column, so the same diagram always gives the same answer.
"""

from chartdb_mcp.core.lint import foreign_keys, indexes, keys, names, relations
from chartdb_mcp.core.lint.findings import Finding, LintContext, Rule, Severity
from chartdb_mcp.core.model import DatabaseType, Diagram, Table
from chartdb_mcp.errors import InvalidInput

RULES: dict[str, Rule] = {
    rule.id: rule
    for family in (keys, foreign_keys, indexes, names, relations)
    for rule in family.RULES
}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def chosen_rules(include: list[str] | None, exclude: list[str] | None) -> list[Rule]:
    """The rules to run; an unknown rule id is an error that lists the known ones."""
    unknown = sorted((set(include or []) | set(exclude or [])) - RULES.keys())
    if unknown:
        raise InvalidInput(f"Unknown lint rules {unknown}; the rules are: {', '.join(RULES)}.")
    ids = include or list(RULES)
    return [RULES[rule_id] for rule_id in ids if rule_id not in set(exclude or [])]


def lint(
    diagram: Diagram,
    dialect: DatabaseType | None = None,
    *,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    tables: list[Table] | None = None,
) -> list[Finding]:
    """Findings of the chosen rules over `tables` (default: all), worst first per table.

    Names are checked against `dialect`, by default the diagram's own database type.
    """
    context = LintContext(
        diagram, dialect or diagram.database_type, diagram.tables if tables is None else tables
    )
    found = [finding for rule in chosen_rules(include, exclude) for finding in rule.check(context)]
    return sorted(
        found,
        key=lambda f: (f.table, SEVERITY_ORDER[f.severity], f.rule, f.column or "", f.message),
    )


__all__ = ["RULES", "Finding", "Rule", "Severity", "chosen_rules", "lint"]
