"""Use cases for proposals before a decision: propose, review, list, revise, reject.

Nothing here changes a diagram. A proposal is checked against the diagram's current
version when it is made or revised, so every stored proposal applied cleanly to the
version it names; `applying` decides what happens when that version is no longer the
latest.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from chartdb_mcp.core.edit.changes import ChangeSet, summarize_changes
from chartdb_mcp.core.edit.ops import ChangeOp, parse_op
from chartdb_mcp.core.edit.proposal import (
    MAX_DECISION_NOTE,
    MAX_TITLE,
    Proposal,
    ProposalStatus,
    clean_author,
    one_line,
)
from chartdb_mcp.core.edit.replay import Replay, replay
from chartdb_mcp.core.edit.schemas import placed_in_default_schema
from chartdb_mcp.core.formats.change_mermaid import render_change_mermaid
from chartdb_mcp.core.formats.change_text import render_change_text
from chartdb_mcp.core.model import Diagram, utc_now
from chartdb_mcp.errors import InvalidInput, ProposalClosed
from chartdb_mcp.store import DiagramStore

logger = logging.getLogger(__name__)

MAX_OPS = 5_000
# A review carries its text diff twice (text and JSON), so each copy gets a tenth of
# the answer's budget; `review_text.fit_review` shares out the rest.
DIFF_SHARE = 10


class Review(BaseModel):
    """A proposal as a reviewer sees it: its ops in words, the diff as text and Mermaid."""

    id: str
    diagram_id: str
    title: str
    reasoning: str
    status: ProposalStatus
    author: str
    revision: int
    base_version: int
    current_version: int
    op_lines: list[str]
    warnings: list[str]
    changes: ChangeSet
    diff_text: str
    mermaid: str
    applied_ops: list[int] | None = None
    applied_version: int | None = None
    decision_note: str | None = None
    tables_left_out: int | None = None
    relationships_left_out: int | None = None
    affected_left_out: int | None = None
    impact_left_out: int | None = None
    applied_ops_left_out: int | None = None


class ProposalLine(BaseModel):
    """One proposal in a listing."""

    id: str
    title: str
    status: ProposalStatus
    base_version: int
    revision: int
    op_count: int
    author: str
    created_at: datetime
    affected_tables: list[str]
    decision_note: str | None = None
    affected_left_out: int | None = Field(
        default=None, description="Affected tables left out to fit max_chars."
    )


class ProposalList(BaseModel):
    """A diagram's proposals, newest first."""

    diagram_id: str
    current_version: int
    proposals: list[ProposalLine]
    proposals_left_out: int | None = Field(
        default=None, description="Older proposals within the limit left out to fit max_chars."
    )


def parse_ops(raw_ops: Sequence[dict[str, Any] | ChangeOp]) -> list[ChangeOp]:
    """Typed ops from JSON-like objects; InvalidInput names the op number and the field."""
    if not raw_ops:
        raise InvalidInput("A proposal needs at least one op.")
    if len(raw_ops) > MAX_OPS:
        raise InvalidInput(f"A proposal takes at most {MAX_OPS} ops, not {len(raw_ops)}.")
    ops: list[ChangeOp] = []
    for number, raw in enumerate(raw_ops, start=1):
        try:
            ops.append(parse_op(raw))
        except ValidationError as error:
            raise InvalidInput(f"Op {number} is malformed: {first_problem(error)}") from error
    return ops


def first_problem(error: ValidationError) -> str:
    """The first problem pydantic found, with the path to the field, in one sentence."""
    problem = error.errors()[0]
    path = ".".join(str(part) for part in problem["loc"])
    where = f"field {path!r}: " if path else ""
    count = error.error_count()
    more = f" ({count - 1} more problems)" if count > 1 else ""
    return f"{where}{problem['msg']}{more}."


OpsOrBuilder = Sequence[ChangeOp] | Callable[[Diagram], list[ChangeOp]]


async def propose(
    store: DiagramStore,
    diagram_id: str,
    ops: OpsOrBuilder,
    *,
    title: str | None = None,
    reasoning: str = "",
    author: str = "assistant",
    max_chars: int | None = None,
) -> Review:
    """Store a pending proposal of `ops` on the diagram's current version and review it.

    `ops` may be a function that builds them from the current diagram (a friendly spec).
    Raises InvalidChange naming the first op that does not apply to the current version.
    """
    diagram = await store.get(diagram_id)
    if callable(ops):
        ops = ops(diagram)
    ops = placed_in_default_schema(ops, diagram)
    checked = replay(ops, diagram, design_rules=True)
    proposal = Proposal(
        diagram_id=diagram.id,
        base_version=diagram.version,
        title=choose_title(title, checked),
        reasoning=reasoning,
        ops=list(ops),
        author=clean_author(author),
        **measured(diagram, checked),
    )
    stored = await store.add_proposal(proposal)
    return review_of(stored, diagram, checked, diagram.version, max_chars)


async def review(store: DiagramStore, proposal_id: str, max_chars: int | None = None) -> Review:
    """The proposal rendered against the version it was made on."""
    proposal = await store.get_proposal(proposal_id)
    base = await store.get_version(proposal.diagram_id, proposal.base_version)
    current_version = (await store.history(proposal.diagram_id, limit=1))[0].version
    return review_of(proposal, base, replay(proposal.ops, base), current_version, max_chars)


async def list_proposals(
    store: DiagramStore,
    diagram_id: str,
    status: ProposalStatus | None = None,
    limit: int = 50,
) -> ProposalList:
    """The diagram's proposals, newest first, optionally of one status."""
    proposals = await store.list_proposals(diagram_id, status, limit)
    current_version = (await store.history(diagram_id, limit=1))[0].version
    lines = [line_of(p) for p in proposals]
    return ProposalList(diagram_id=diagram_id, current_version=current_version, proposals=lines)


def line_of(proposal: Proposal) -> ProposalLine:
    """The proposal as one line of a listing."""
    return ProposalLine(
        id=proposal.id,
        title=proposal.title,
        status=proposal.status,
        base_version=proposal.base_version,
        revision=proposal.revision,
        op_count=len(proposal.ops),
        author=proposal.author,
        created_at=proposal.created_at,
        affected_tables=proposal.affected_tables,
        decision_note=proposal.decision_note,
    )


async def revise(
    store: DiagramStore,
    proposal_id: str,
    *,
    ops: Sequence[ChangeOp] | None = None,
    remove: Sequence[int] = (),
    append: Sequence[ChangeOp] = (),
    title: str | None = None,
    reasoning: str | None = None,
    max_chars: int | None = None,
) -> Review:
    """A new revision of a pending proposal, checked against the current version.

    `ops` replaces the whole list; otherwise `remove` drops ops by number and `append`
    adds ops at the end. The revision is based on the diagram's current version.
    """
    proposal = await store.get_proposal(proposal_id)
    require_open(proposal)
    diagram = await store.get(proposal.diagram_id)
    revised_ops = placed_in_default_schema(edited_ops(proposal.ops, ops, remove, append), diagram)
    if revised_ops == proposal.ops and title is None and reasoning is None:
        raise InvalidInput(f"The revision of proposal {proposal_id!r} changes nothing.")
    checked = replay(revised_ops, diagram, design_rules=True)
    revised = proposal.model_copy(
        update={
            "ops": revised_ops,
            "base_version": diagram.version,
            "revision": proposal.revision + 1,
            "updated_at": utc_now(),
            "title": proposal.title if title is None else choose_title(title, checked),
            "reasoning": proposal.reasoning if reasoning is None else reasoning,
            **measured(diagram, checked),
        }
    )
    Proposal.model_validate(revised.model_dump())
    stored = await store.update_proposal(revised, expected_revision=proposal.revision)
    return review_of(stored, diagram, checked, diagram.version, max_chars)


async def reject(store: DiagramStore, proposal_id: str, reason: str | None = None) -> ProposalLine:
    """Close a pending proposal without applying any of it.

    Raises InvalidInput for a reason longer than MAX_DECISION_NOTE characters.
    """
    if reason is not None and len(reason) > MAX_DECISION_NOTE:
        raise InvalidInput(
            f"A reason for rejecting takes at most {MAX_DECISION_NOTE:,} characters, "
            f"not {len(reason):,}."
        )
    proposal = await store.get_proposal(proposal_id)
    require_open(proposal)
    now = utc_now()
    rejected = proposal.model_copy(
        update={
            "status": ProposalStatus.REJECTED,
            "decided_at": now,
            "updated_at": now,
            "decision_note": reason,
        }
    )
    return line_of(await store.update_proposal(rejected, expected_revision=proposal.revision))


def require_open(proposal: Proposal) -> None:
    """Refuse to change a proposal that was already decided."""
    if not proposal.is_open:
        raise ProposalClosed(f"Proposal {proposal.id!r} is already {proposal.status.value}.")


def edited_ops(
    current: list[ChangeOp],
    replacement: Sequence[ChangeOp] | None,
    remove: Sequence[int],
    append: Sequence[ChangeOp],
) -> list[ChangeOp]:
    """The op list after a revision's edits; InvalidInput for unknown op numbers."""
    if replacement is not None:
        if remove or append:
            raise InvalidInput("Give either a whole new list of ops, or ops to remove and add.")
        return list(replacement)
    unknown = sorted({n for n in remove if not 1 <= n <= len(current)})
    if unknown:
        raise InvalidInput(f"The proposal has ops 1 to {len(current)}; there is no op {unknown}.")
    kept = [op for number, op in enumerate(current, start=1) if number not in set(remove)]
    edited = kept + list(append)
    if not edited:
        raise InvalidInput("A revision must leave at least one op; reject the proposal instead.")
    return edited


def choose_title(title: str | None, checked: Replay) -> str:
    """The given title, or one made of the first op lines; one line either way, since
    listings and changelog entries show it on one."""
    if title is not None and one_line(title):
        return one_line(title)[:MAX_TITLE]
    shown = "; ".join(one_line(line) for line in checked.lines[:3])
    more = len(checked.lines) - 3
    made = f"{shown} (and {more} more)" if more > 0 else shown
    return made if len(made) <= MAX_TITLE else made[: MAX_TITLE - 1] + "…"


def measured(base: Diagram, checked: Replay) -> dict[str, Any]:
    """What a proposal records about its reach: affected tables, impact, warnings."""
    changes = summarize_changes(base, checked.diagram)
    nothing = [CHANGES_NOTHING] if same_content(base, checked.diagram) else []
    return {
        "affected_tables": changes.affected_tables,
        "impact": changes.impact,
        "warnings": list(checked.warnings) + nothing,
    }


CHANGES_NOTHING = "Together the ops change nothing; applying them all would be refused."


def same_content(first: Diagram, second: Diagram) -> bool:
    """True when two versions differ in their bookkeeping (version, stamps) only."""
    bookkeeping = {"version", "created_at", "updated_at"}
    return first.model_dump(exclude=bookkeeping) == second.model_dump(exclude=bookkeeping)


def review_of(
    proposal: Proposal,
    base: Diagram,
    checked: Replay,
    current_version: int,
    max_chars: int | None,
) -> Review:
    """The review of a proposal whose ops gave `checked` on `base`."""
    changes = summarize_changes(base, checked.diagram)
    return Review(
        id=proposal.id,
        diagram_id=proposal.diagram_id,
        title=proposal.title,
        reasoning=proposal.reasoning,
        status=proposal.status,
        author=proposal.author,
        revision=proposal.revision,
        base_version=proposal.base_version,
        current_version=current_version,
        op_lines=[f"{n}. {line}" for n, line in enumerate(checked.lines, start=1)],
        warnings=proposal.warnings,
        changes=changes,
        diff_text=render_change_text(changes, max_chars and max_chars // DIFF_SHARE),
        mermaid=render_change_mermaid(changes, base, checked.diagram),
        applied_ops=proposal.applied_ops or None,
        applied_version=proposal.applied_version,
        decision_note=proposal.decision_note,
    )
