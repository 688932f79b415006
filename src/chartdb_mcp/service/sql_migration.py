"""Use case: the migration script between two versions of a diagram, or a proposal.

Between versions, `from_version` defaults to the version before `to_version`, which
defaults to the current one; version 0 stands for an empty database. For a proposal,
the ops are applied to the version the proposal was made on and the migration goes
from that version to the result, whatever the proposal's status. The answer keeps whole
statements within the caller's budget and says how many it left out.
"""

import logging
from collections import Counter

from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import DatabaseType, Diagram
from chartdb_mcp.core.sql.migrate import Risk, Step, plan_migration, supported_dialects
from chartdb_mcp.errors import InvalidInput
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)

# What the answer's fields and JSON framing cost, roughly, beyond the steps.
OVERHEAD = 600
STEP_FRAMING = 120


class MigrationAnswer(BaseModel):
    """A migration plan: statements in order, each with its risk, reason and inverse."""

    diagram_id: str
    dialect: DatabaseType
    from_version: int = Field(description="0 means an empty database.")
    to_version: int | None = Field(default=None, description="None for a proposal's result.")
    proposal_id: str | None = None
    steps: list[Step]
    step_count: int
    omitted_steps: int = Field(description="Statements cut to fit max_chars.")
    risk_counts: dict[str, int] = Field(description="Statements per risk level, all of them.")
    highest_risk: Risk
    warnings: list[str]
    truncated: bool


def resolve_dialect(diagram: Diagram, dialect: DatabaseType | None) -> DatabaseType:
    """The requested dialect or the diagram's own, if migrations are written for it."""
    chosen = dialect or diagram.database_type
    names = ", ".join(d.value for d in supported_dialects())
    if chosen == DatabaseType.GENERIC:
        raise InvalidInput(
            f"Diagram {diagram.name!r} has no database type; pass `dialect` ({names})."
        )
    if chosen not in supported_dialects():
        raise InvalidInput(f"Migrations are written for {names}, not {chosen.value!r}.")
    return chosen


async def version_pair(
    store: DiagramStore, diagram_id: str, from_version: int | None, to_version: int | None
) -> tuple[Diagram, Diagram, int, int]:
    """The two versions to migrate between, with their numbers."""
    current = await store.get(diagram_id)
    target = current.version if to_version is None else to_version
    source = target - 1 if from_version is None else from_version
    if source < 0 or source >= target:
        raise InvalidInput(
            f"from_version ({source}) must be below to_version ({target}) and at least 0."
        )
    new = current if target == current.version else await store.get_version(diagram_id, target)
    if source == 0:
        old = new.model_copy(
            update={"tables": [], "relationships": [], "custom_types": [], "views": []}
        )
    else:
        old = await store.get_version(diagram_id, source)
    return old, new, source, target


async def generate_migration(
    store: DiagramStore,
    diagram_id: str,
    from_version: int | None = None,
    to_version: int | None = None,
    proposal_id: str | None = None,
    dialect: DatabaseType | None = None,
    max_chars: int = 50_000,
) -> MigrationAnswer:
    """The migration between two versions, or from a proposal's base to its result."""
    if proposal_id is not None:
        if from_version is not None or to_version is not None:
            raise InvalidInput("Pass either proposal_id or from_version/to_version, not both.")
        proposal = await store.get_proposal(proposal_id)
        if proposal.diagram_id != diagram_id:
            raise InvalidInput(
                f"Proposal {proposal_id!r} belongs to diagram {proposal.diagram_id!r}, "
                f"not {diagram_id!r}."
            )
        old = await store.get_version(diagram_id, proposal.base_version)
        new = replay(proposal.ops, old).diagram
        source, target = proposal.base_version, None
    else:
        old, new, source, target = await version_pair(store, diagram_id, from_version, to_version)
    chosen = resolve_dialect(new, dialect)
    plan = plan_migration(old, new, chosen)
    kept = fit_steps(plan.steps, max_chars - OVERHEAD - sum(len(w) + 4 for w in plan.warnings))
    logger.info(
        "migration for diagram %s (%s, %s -> %s): %d statements, highest risk %s",
        diagram_id,
        chosen.value,
        source,
        target if target is not None else f"proposal {proposal_id}",
        len(plan.steps),
        plan.highest_risk.value,
    )
    return MigrationAnswer(
        diagram_id=diagram_id,
        dialect=chosen,
        from_version=source,
        to_version=target,
        proposal_id=proposal_id,
        steps=kept,
        step_count=len(kept),
        omitted_steps=len(plan.steps) - len(kept),
        risk_counts=dict(Counter(step.risk.value for step in plan.steps)),
        highest_risk=plan.highest_risk,
        warnings=plan.warnings,
        truncated=len(kept) < len(plan.steps),
    )


def fit_steps(steps: list[Step], room: int) -> list[Step]:
    """The leading steps whose text (in the readable script and in JSON) fits `room`."""
    kept: list[Step] = []
    used = 0
    for step in steps:
        cost = 2 * len(step.sql) + len(step.inverse or "") + 2 * len(step.reason or "")
        cost += STEP_FRAMING
        if used + cost > room:
            break
        kept.append(step)
        used += cost
    return kept
