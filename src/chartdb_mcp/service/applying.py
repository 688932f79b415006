"""Use cases that commit: apply a proposal (whole or in part), restore an old version,
and read the changelog they leave behind.

Applying is by proposal id only. The chosen ops are replayed on the diagram's current
version (rebased when the proposal was made on an older one and nothing clashes), and
the new version and the proposal's decision are written in one transaction. When
another writer lands first, the apply starts again from the new current version, so no
update is lost; it gives up with `VersionConflict` only after several such rounds.
"""

import logging
from collections.abc import Sequence

from pydantic import BaseModel, Field

from chartdb_mcp.core.edit.diff import diff_diagrams, unsupported_differences
from chartdb_mcp.core.edit.proposal import Proposal, ProposalStatus, clean_author
from chartdb_mcp.core.edit.rebase import rebase
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import Diagram, utc_now
from chartdb_mcp.errors import InvalidChange, InvalidInput, RebaseConflict, VersionConflict
from chartdb_mcp.service.proposals import require_open, same_content
from chartdb_mcp.store import ChangeNote, DiagramStore, VersionInfo

logger = logging.getLogger(__name__)

ATTEMPTS = 5


class Applied(BaseModel):
    """What an apply committed; `applied` is false (and nothing else set) when the person
    declined to confirm."""

    proposal_id: str
    status: ProposalStatus
    applied: bool = True
    reason: str | None = None
    diagram_id: str | None = None
    applied_ops: list[int] = Field(default_factory=list)
    skipped_ops: list[int] = Field(default_factory=list)
    base_version: int | None = None
    rebased_from: int | None = None
    version: int | None = None
    changes: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    changes_left_out: int | None = Field(
        default=None, description="Change lines left out to fit max_chars."
    )
    warnings_left_out: int | None = Field(
        default=None, description="Warnings left out to fit max_chars."
    )


class Restored(BaseModel):
    """What a restore committed."""

    diagram_id: str
    restored_version: int
    version: int
    changes: list[str]
    changes_left_out: int | None = Field(
        default=None, description="Change lines left out to fit max_chars."
    )


class VersionEntry(VersionInfo):
    """One version in the changelog, with how many of its change lines were left out."""

    changes_left_out: int | None = Field(
        default=None, description="Change lines of this version left out to fit max_chars."
    )


class Changelog(BaseModel):
    """A diagram's versions, newest first, each with what changed and why."""

    diagram_id: str
    current_version: int
    versions: list[VersionEntry]
    versions_left_out: int | None = Field(
        default=None, description="Older versions within the limit left out to fit max_chars."
    )


async def apply_proposal(
    store: DiagramStore,
    proposal_id: str,
    op_numbers: Sequence[int] | None = None,
    author: str = "assistant",
) -> Applied:
    """Commit the proposal's ops (all, or those numbered) as the diagram's next version.

    Raises ProposalClosed for a decided proposal, InvalidInput for unknown op numbers,
    InvalidChange when the chosen ops do not apply on their own, RebaseConflict when
    the diagram changed since in a way that clashes, and InvalidInput when they would
    record a version that changes nothing. Nothing is written in those cases.
    """
    author = clean_author(author)
    for _ in range(ATTEMPTS):
        proposal = await store.get_proposal(proposal_id)
        require_open(proposal)
        numbers = chosen_numbers(proposal, op_numbers)
        chosen = [proposal.ops[n - 1] for n in numbers]
        base = await store.get_version(proposal.diagram_id, proposal.base_version)
        current = await store.get(proposal.diagram_id)
        try:
            result = rebase(chosen, numbers, base, current)
        except (InvalidChange, RebaseConflict) as error:
            if await moved_since_read(store, proposal):
                continue
            if isinstance(error, InvalidChange):
                raise needing_left_out(error, proposal, numbers, current) from error
            raise
        if same_content(result.diagram, current):
            if await moved_since_read(store, proposal):
                continue
            raise InvalidInput(
                f"Applying ops {numbers} of proposal {proposal.id!r} would change nothing: "
                f"diagram {current.name!r} at version {current.version} already is what they "
                "make it. Reject the proposal, or revise it."
            )
        closing = decided(proposal, numbers)
        note = ChangeNote(
            summary=f"Applied proposal {proposal.title!r}",
            author=author,
            proposal_id=proposal.id,
            changes=result.lines,
        )
        try:
            saved = await store.save(result.diagram, current.version, note, closing=closing)
        except VersionConflict:
            logger.info("diagram %s moved while applying %s; trying again", current.id, proposal_id)
            continue
        logger.info(
            "applied %d of %d ops of proposal %s to diagram %s, now version %d",
            len(numbers),
            len(proposal.ops),
            proposal.id,
            saved.id,
            saved.version,
        )
        return Applied(
            proposal_id=proposal.id,
            diagram_id=saved.id,
            status=closing.status,
            applied_ops=numbers,
            skipped_ops=[n for n in range(1, len(proposal.ops) + 1) if n not in numbers],
            base_version=proposal.base_version,
            rebased_from=proposal.base_version if current.version != base.version else None,
            version=saved.version,
            changes=list(result.lines),
            warnings=list(result.warnings),
        )
    raise VersionConflict(proposal.diagram_id, current.version, current.version + 1)


async def moved_since_read(store: DiagramStore, proposal: Proposal) -> bool:
    """True when the proposal was decided or revised after it was read.

    The proposal and the current version are two reads; another client's apply can land
    between them. Its result then looks like a clash with the proposal itself, and the
    honest answer is the proposal's new state, so the caller reads again.
    """
    now = await store.get_proposal(proposal.id)
    return now.status != proposal.status or now.revision != proposal.revision


def chosen_numbers(proposal: Proposal, op_numbers: Sequence[int] | None) -> list[int]:
    """The 1-based numbers of the ops to apply, in proposal order; all when None."""
    count = len(proposal.ops)
    if op_numbers is None:
        return list(range(1, count + 1))
    if not op_numbers:
        raise InvalidInput("Choose at least one op to apply, or reject the proposal.")
    unknown = sorted({n for n in op_numbers if not 1 <= n <= count})
    if unknown:
        raise InvalidInput(
            f"Proposal {proposal.id!r} has ops 1 to {count}; there is no op {unknown}."
        )
    return sorted(set(op_numbers))


def needing_left_out(
    error: InvalidChange, proposal: Proposal, numbers: list[int], current: Diagram
) -> InvalidChange:
    """The error, saying which left-out ops the chosen ones need when that is the cause.

    When the proposal made on `current` applies whole but the chosen ops do not, what
    they miss is something an earlier op that was left out does.
    """
    earlier = [n for n in range(1, max(numbers)) if n not in numbers]
    if not earlier or proposal.base_version != current.version:
        return error
    try:
        replay(proposal.ops, current)
    except InvalidChange:
        return error
    return InvalidChange(
        f"{error} The chosen ops need what left-out ops among {earlier} do; choose those "
        "too, or revise the proposal."
    )


def decided(proposal: Proposal, numbers: list[int]) -> Proposal:
    """The proposal closed as accepted (every op) or partial (some ops)."""
    whole = len(numbers) == len(proposal.ops)
    now = utc_now()
    return proposal.model_copy(
        update={
            "status": ProposalStatus.ACCEPTED if whole else ProposalStatus.PARTIAL,
            "applied_ops": numbers,
            "decided_at": now,
            "updated_at": now,
        }
    )


async def restore_version(
    store: DiagramStore, diagram_id: str, version: int, author: str = "assistant"
) -> Restored:
    """Write the diagram as it was at `version` as its next version; history is kept.

    Raises InvalidInput for a version the diagram never had, its current version, or a
    version whose content is the current one's (restoring it would record a version that
    changes nothing).
    """
    old = await store.get_version(diagram_id, version)
    current = await store.get(diagram_id)
    if version == current.version:
        raise InvalidInput(f"Diagram {diagram_id!r} is already at version {version}.")
    if same_content(old, current):
        raise InvalidInput(
            f"Version {version} of diagram {current.name!r} has the same content as the "
            f"current version {current.version}; there is nothing to restore."
        )
    restored = old.model_copy(update={"created_at": current.created_at})
    lines = change_lines(current, restored) or [
        "~ details that no change line describes (such as the order of tables)"
    ]
    note = ChangeNote(
        summary=f"Restored version {version}", author=clean_author(author), changes=tuple(lines)
    )
    saved = await store.save(restored, current.version, note)
    logger.info(
        "restored diagram %s to version %d as version %d", diagram_id, version, saved.version
    )
    return Restored(
        diagram_id=diagram_id,
        restored_version=version,
        version=saved.version,
        changes=lines,
    )


def change_lines(before: Diagram, after: Diagram) -> list[str]:
    """One line per change from `before` to `after`, as the changelog records them.

    Changes that no op expresses (views, notes, areas, settings) get one sentence each.
    """
    ops = diff_diagrams(before, after)
    lines = list(replay(ops, before).lines) if ops else []
    others = [f"~ {sentence.split(';')[0]}" for sentence in unsupported_differences(before, after)]
    return lines + others


async def history(store: DiagramStore, diagram_id: str, limit: int | None = 20) -> Changelog:
    """The diagram's changelog, newest first."""
    versions = [VersionEntry(**v.model_dump()) for v in await store.history(diagram_id, limit)]
    return Changelog(diagram_id=diagram_id, current_version=versions[0].version, versions=versions)
