"""A proposal review as the person reads it, and kept within a size budget.

The text leads with what the proposal is and what to do next, then the ops, warnings,
the text diff and the Mermaid view. `fit_review` trims the review so its text and its
JSON together stay within `max_chars`, and every cut says what it left out.
"""

from chartdb_mcp.core.formats.schema_page import MAX_BUDGET, json_size
from chartdb_mcp.service.proposals import Review

# Shares of the budget for each copy (text and JSON) of the Mermaid view and op lines.
MERMAID_SHARE = 8
OPS_SHARE = 16
REASONING_SHARE = 30
# Names listed at most in `affected_tables` and `impact` when the answer is still too big.
NAMES_KEPT = 20


def fit_review(review: Review, max_chars: int) -> Review:
    """The review trimmed, biggest parts first, until text and JSON fit in `max_chars`."""
    fitted = review
    if len(fitted.mermaid) > max_chars // MERMAID_SHARE:
        fitted = fitted.model_copy(update={"mermaid": mermaid_left_out(review)})
    fitted = fitted.model_copy(
        update={
            "op_lines": cut_lines(fitted.op_lines, max_chars),
            "reasoning": cut_text(fitted.reasoning, max_chars // REASONING_SHARE),
        }
    )
    tables = fitted.changes.tables
    while tables and size(fitted) > max_chars:
        tables = tables[: len(tables) // 2]
        changes = fitted.changes.model_copy(update={"tables": tables})
        left_out = len(review.changes.tables) - len(tables)
        fitted = fitted.model_copy(update={"changes": changes, "tables_left_out": left_out})
    links = fitted.changes.relationships
    while links and size(fitted) > max_chars:
        links = links[: len(links) // 2]
        changes = fitted.changes.model_copy(update={"relationships": links})
        left_out = len(review.changes.relationships) - len(links)
        fitted = fitted.model_copy(update={"changes": changes, "relationships_left_out": left_out})
    kept = NAMES_KEPT
    while size(fitted) > max_chars and (fitted.changes.affected_tables or fitted.changes.impact):
        fitted = with_names_kept(fitted, review, kept)
        kept //= 2
    applied = review.applied_ops or []
    kept = len(applied)
    while kept and size(fitted) > max_chars:
        kept //= 2
        fitted = fitted.model_copy(
            update={"applied_ops": applied[:kept], "applied_ops_left_out": len(applied) - kept}
        )
    return fitted


def mermaid_left_out(review: Review) -> str:
    """What stands in for a Mermaid view too big for the budget: where to get it whole."""
    needed = len(review.mermaid) * MERMAID_SHARE
    if needed <= MAX_BUDGET:
        return (
            f"%% The Mermaid view needs {len(review.mermaid)} characters; ask again "
            f"with max_chars of at least {needed}."
        )
    return (
        f"%% The Mermaid view needs {len(review.mermaid)} characters, more than any "
        f"max_chars allows; read the resource chartdb://proposal/{review.id} for it."
    )


def with_names_kept(fitted: Review, review: Review, kept: int) -> Review:
    """The review listing at most `kept` affected and linked tables, counting the rest."""
    affected = review.changes.affected_tables
    impact = review.changes.impact
    changes = fitted.changes.model_copy(
        update={"affected_tables": affected[:kept], "impact": impact[:kept]}
    )
    return fitted.model_copy(
        update={
            "changes": changes,
            "affected_left_out": max(len(affected) - kept, 0) or None,
            "impact_left_out": max(len(impact) - kept, 0) or None,
        }
    )


def cut_text(text: str, limit: int) -> str:
    """The text, or its start and a note saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters in get-proposal's resource)"


def cut_lines(lines: list[str], max_chars: int) -> list[str]:
    """The op lines that fit in their share of the budget, then one line for the rest."""
    budget = max_chars // OPS_SHARE
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) > budget:
            return [*kept, f"… and {len(lines) - len(kept)} more ops"]
        kept.append(line)
        used += len(line) + 4
    return kept


def size(review: Review) -> int:
    """Characters of the review's JSON and text together."""
    return json_size(review) + len(render_review(review))


def render_review(review: Review, apply_tool: str = "", reject_tool: str = "") -> str:
    """The review as text: header, reasoning, ops, warnings, diff and Mermaid view."""
    lines = [
        f"Proposal {review.id} ({review.status.value}, revision {review.revision}) "
        f"on diagram {review.diagram_id}: {review.title}",
        f"Made on version {review.base_version}; the diagram is at version "
        f"{review.current_version}.",
    ]
    if review.reasoning:
        lines.append(f"Reasoning: {review.reasoning}")
    lines += ["", "Ops:", *(f"  {line}" for line in review.op_lines)]
    if review.warnings:
        lines += ["", "Warnings:", *(f"  ! {warning}" for warning in review.warnings)]
    lines += ["", "Diff:", review.diff_text]
    if review.tables_left_out:
        total = review.tables_left_out + len(review.changes.tables)
        lines.append(
            f"(The JSON leaves out {review.tables_left_out} of the {total} changed tables.)"
        )
    if review.relationships_left_out:
        total = review.relationships_left_out + len(review.changes.relationships)
        lines.append(
            f"(The JSON leaves out {review.relationships_left_out} of the {total} changed "
            "relationships.)"
        )
    if review.affected_left_out or review.impact_left_out:
        lines.append(
            f"(The JSON leaves out {review.affected_left_out or 0} affected and "
            f"{review.impact_left_out or 0} linked table names.)"
        )
    lines += ["", "```mermaid", review.mermaid, "```"]
    if review.decision_note:
        lines.append(f"Decision note: {review.decision_note}")
    if review.applied_version is not None:
        more = review.applied_ops_left_out
        cut = f" and {more} more, left out to fit max_chars" if more else ""
        lines.append(
            f"Applied as version {review.applied_version} (ops {review.applied_ops}{cut})."
        )
    elif apply_tool:
        lines += [
            "",
            f"Nothing is changed yet. Show this to the person; apply with {apply_tool} "
            f"(all ops, or a chosen subset by number) or discard with {reject_tool}.",
        ]
    return "\n".join(lines)
