"""Tools for proposals: propose, list, read, revise, apply and reject.

Every edit the assistant makes becomes a pending proposal; only apply-changes commits
one. Where the host supports elicitation, apply asks the person first; elsewhere the
explicit apply call is the confirmation.
"""

from typing import Annotated, Any

from mcp.server.elicitation import AcceptedElicitation, ElicitationResult
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.resolve import Elicit, Resolve
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from chartdb_mcp.config import Settings
from chartdb_mcp.core.edit.proposal import Proposal, ProposalStatus
from chartdb_mcp.core.formats.schema_text import plural
from chartdb_mcp.server.errors import tool_errors
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.results import tool_result
from chartdb_mcp.server.state import ToolContext, author_of, state_of, supports_elicitation
from chartdb_mcp.server.tools.annotations import COMMITS, CREATES, DESTROYS, READ_ONLY
from chartdb_mcp.server.tools.arguments import DiagramId, MaxChars, OpNumber, ProposalId
from chartdb_mcp.service import applying, proposals
from chartdb_mcp.service.answer_text import applied_text, fit_applied, fit_listing, listing_text
from chartdb_mcp.service.applying import Applied
from chartdb_mcp.service.proposals import ProposalLine, ProposalList, Review
from chartdb_mcp.service.review_text import fit_review, render_review

OPS_HELP = (
    "Change ops, each an object with a `kind`: create_table {table}, drop_table, "
    "rename_table {new_name}, add_column {column}, drop_column, rename_column, "
    "alter_column {column, type?, nullable?, default?, autoincrement?, identity?, comment?}, "
    "set_primary_key {columns|null}, add_unique {constraint}, drop_unique, add_index {index}, "
    "drop_index, add_check {check}, drop_check, add_relationship {source_table, "
    "source_columns, target_table, target_columns, on_delete?, on_update?}, "
    "drop_relationship {relationship}, set_table_comment, set_table_status {status}, "
    "set_color, set_position, create_type {custom_type}, alter_type, drop_type. Table ops "
    "name the table in `table` ('name' or 'schema.name'). The resource "
    "chartdb://reference/change-ops has the full JSON schema."
)
Ops = Annotated[list[dict[str, Any]], Field(description=OPS_HELP, min_length=1)]


class ApplyConfirmation(BaseModel):
    """The person's answer when asked to confirm an apply."""

    apply: bool = Field(description="Apply these changes to the diagram now?")


def register(server: MCPServer, settings: Settings) -> None:
    """Register propose-changes, list/get/revise-proposal, apply-changes and reject-changes."""

    def name(canonical: str) -> str:
        return wire_name(canonical, settings.tool_names)

    def answer(review: Review, max_chars: int) -> CallToolResult:
        return review_result(review, max_chars, settings)

    @server.tool(
        name=name("chartdb/propose-changes"),
        structured_output=settings.structured_output,
        title="Propose changes",
        description=(
            "Propose a list of change ops with your reasoning. Nothing changes until "
            "apply-changes; returns the proposal with a text diff and a Mermaid view."
        ),
        annotations=CREATES,
    )
    async def propose_changes(
        ctx: ToolContext,
        diagram_id: DiagramId,
        ops: Ops,
        reasoning: Annotated[str, Field(description="Why, for the person.")] = "",
        title: Annotated[str | None, Field(description="A one-line summary.")] = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, Review]:
        with tool_errors("chartdb/propose-changes"):
            review = await proposals.propose(
                state_of(ctx).store,
                diagram_id,
                proposals.parse_ops(ops),
                title=title,
                reasoning=reasoning,
                author=author_of(ctx),
                max_chars=max_chars,
            )
        return answer(review, max_chars)

    @server.tool(
        name=name("chartdb/list-proposals"),
        structured_output=settings.structured_output,
        title="List proposals",
        description="List a diagram's proposals, newest first, optionally by status.",
        annotations=READ_ONLY,
    )
    async def list_proposals(
        ctx: ToolContext,
        diagram_id: DiagramId,
        status: ProposalStatus | None = None,
        limit: Annotated[int, Field(ge=1, le=500)] = 50,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, ProposalList]:
        with tool_errors("chartdb/list-proposals"):
            listing = await proposals.list_proposals(state_of(ctx).store, diagram_id, status, limit)
        fitted = fit_listing(listing, max_chars)
        return tool_result(fitted, listing_text(fitted))

    @server.tool(
        name=name("chartdb/get-proposal"),
        structured_output=settings.structured_output,
        title="Get proposal",
        description="Read a proposal: its ops, reasoning, text diff and Mermaid view.",
        annotations=READ_ONLY,
    )
    async def get_proposal(
        ctx: ToolContext, proposal_id: ProposalId, max_chars: MaxChars = 20_000
    ) -> Annotated[CallToolResult, Review]:
        with tool_errors("chartdb/get-proposal"):
            review = await proposals.review(state_of(ctx).store, proposal_id, max_chars)
        return answer(review, max_chars)

    @server.tool(
        name=name("chartdb/revise-proposal"),
        structured_output=settings.structured_output,
        title="Revise proposal",
        description=(
            "Edit a pending proposal before it is applied: replace its ops, or remove "
            "ops by number and add new ones; re-checked on the current version."
        ),
        annotations=CREATES,
    )
    async def revise_proposal(
        ctx: ToolContext,
        proposal_id: ProposalId,
        ops: Annotated[
            list[dict[str, Any]] | None, Field(description="A whole new list of ops.")
        ] = None,
        remove_ops: Annotated[
            list[OpNumber] | None, Field(description="Numbers (from 1) of ops to drop.")
        ] = None,
        add_ops: Annotated[
            list[dict[str, Any]] | None, Field(description="Ops to add at the end.")
        ] = None,
        reasoning: str | None = None,
        title: str | None = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, Review]:
        with tool_errors("chartdb/revise-proposal"):
            review = await proposals.revise(
                state_of(ctx).store,
                proposal_id,
                ops=None if ops is None else proposals.parse_ops(ops),
                remove=remove_ops or (),
                append=proposals.parse_ops(add_ops) if add_ops else (),
                title=title,
                reasoning=reasoning,
                max_chars=max_chars,
            )
        return answer(review, max_chars)

    async def confirm_apply(
        proposal_id: str, ctx: ToolContext, ops: list[int] | None = None
    ) -> ApplyConfirmation | Elicit[ApplyConfirmation]:
        """Ask the person when the host can; otherwise the explicit call is the consent.

        A proposal that cannot be applied any more is not asked about: the apply itself
        reports why.
        """
        if not supports_elicitation(ctx):
            return ApplyConfirmation(apply=True)
        with tool_errors("chartdb/apply-changes"):
            proposal = await state_of(ctx).store.get_proposal(proposal_id)
        if not proposal.is_open:
            return ApplyConfirmation(apply=True)
        return Elicit(confirmation_question(proposal, ops), ApplyConfirmation)

    @server.tool(
        name=name("chartdb/apply-changes"),
        structured_output=settings.structured_output,
        title="Apply changes",
        description=(
            "Apply a proposal by id: all its ops, or the numbered subset. Atomic; a proposal "
            "made on an older version is rebased, or refused when it clashes."
        ),
        annotations=COMMITS,
    )
    async def apply_changes(
        ctx: ToolContext,
        proposal_id: ProposalId,
        confirmation: Annotated[ElicitationResult[ApplyConfirmation], Resolve(confirm_apply)],
        ops: Annotated[
            list[OpNumber] | None,
            Field(description="Numbers (from 1) of the ops to apply; all if omitted."),
        ] = None,
        max_chars: MaxChars = 20_000,
    ) -> Annotated[CallToolResult, Applied]:
        if not isinstance(confirmation, AcceptedElicitation) or not confirmation.data.apply:
            declined = Applied(
                proposal_id=proposal_id,
                status=ProposalStatus.PENDING,
                applied=False,
                reason="The person did not confirm; the proposal is still pending.",
            )
            return tool_result(declined, f"Not applied. {declined.reason}")
        with tool_errors("chartdb/apply-changes"):
            applied = await applying.apply_proposal(
                state_of(ctx).store, proposal_id, ops, author_of(ctx)
            )
        fitted = fit_applied(applied, max_chars)
        return tool_result(fitted, applied_text(fitted))

    @server.tool(
        name=name("chartdb/reject-changes"),
        structured_output=settings.structured_output,
        title="Reject changes",
        description="Reject a pending proposal; the diagram stays as it is.",
        annotations=DESTROYS,
    )
    async def reject_changes(
        ctx: ToolContext,
        proposal_id: ProposalId,
        reason: Annotated[str | None, Field(description="Why, for the record.")] = None,
    ) -> Annotated[CallToolResult, ProposalLine]:
        with tool_errors("chartdb/reject-changes"):
            rejected = await proposals.reject(state_of(ctx).store, proposal_id, reason)
        text = f"Rejected proposal {rejected.id} ({rejected.title}); the diagram is unchanged."
        return tool_result(rejected, text)


def review_result(review: Review, max_chars: int, settings: Settings) -> CallToolResult:
    """A proposal's review as a tool result within `max_chars`, naming the next tools."""
    fitted = fit_review(review, max_chars)
    apply_tool = wire_name("chartdb/apply-changes", settings.tool_names)
    reject_tool = wire_name("chartdb/reject-changes", settings.tool_names)
    return tool_result(fitted, render_review(fitted, apply_tool, reject_tool))


def confirmation_question(proposal: Proposal, ops: list[int] | None) -> str:
    """What the person is asked before an apply: which ops, of how many, touching what."""
    tables = ", ".join(proposal.affected_tables[:10]) or "no tables"
    more = len(proposal.affected_tables) - 10
    if more > 0:
        tables += f" and {more} more"
    count = plural(len(proposal.ops), "op")
    chosen = f"ops {sorted(set(ops))} of its {count}" if ops else f"all {count}"
    return (
        f"Apply proposal {proposal.title!r} ({chosen}; the proposal changes {tables}) "
        "to the diagram?"
    )
