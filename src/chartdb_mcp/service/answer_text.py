"""The answers of apply-changes, restore-version, diagram-history and list-proposals as
text, kept within a size budget.

Each answer carries lists that grow with the change or the history (one line per op
applied, one entry per version or proposal), so the `fit_` functions cut them until the
text and the JSON together fit in `max_chars`, and each cut is said in both: a count of
what was left out in the JSON, and a line in the text.
"""

from chartdb_mcp.core.edit.proposal import clean_author, one_line
from chartdb_mcp.core.formats.schema_page import json_size
from chartdb_mcp.core.formats.schema_text import plural
from chartdb_mcp.service.applying import Applied, Changelog, Restored
from chartdb_mcp.service.proposals import ProposalList

# Change lines shown per version at most, before the budget asks for fewer.
LINES_PER_VERSION = 20
# Affected tables listed per proposal when a listing is over its budget.
AFFECTED_KEPT = 10


def applied_text(applied: Applied) -> str:
    """The readable summary of an apply, saying what the budget left out."""
    lines = [
        f"Applied {plural(len(applied.applied_ops), 'op')} of proposal {applied.proposal_id}: "
        f"diagram {applied.diagram_id} is now at version {applied.version} "
        f"(proposal {applied.status.value}).",
    ]
    if applied.rebased_from is not None:
        lines.append(
            f"The proposal was made on version {applied.rebased_from} and was rebased cleanly."
        )
    if applied.skipped_ops:
        lines.append(f"Not applied: ops {shown_numbers(applied.skipped_ops)}.")
    lines += [f"  {line}" for line in applied.changes]
    if applied.changes_left_out:
        lines.append(
            f"  … and {applied.changes_left_out} more change lines, left out to fit "
            "max_chars (get-proposal lists every op)"
        )
    lines += [f"  ! {warning}" for warning in applied.warnings]
    if applied.warnings_left_out:
        lines.append(f"  ! … and {applied.warnings_left_out} more warnings, left out to fit")
    return "\n".join(lines)


def shown_numbers(numbers: list[int], limit: int = 50) -> str:
    """`[1, 2, 3]`, or the first `limit` numbers and how many more."""
    if len(numbers) <= limit:
        return str(numbers)
    return f"{numbers[:limit]} and {len(numbers) - limit} more"


def fit_applied(applied: Applied, max_chars: int) -> Applied:
    """The apply's answer with change lines and warnings cut until it fits `max_chars`.

    The op numbers applied and skipped are the record of the decision and are never cut
    from the JSON (the text shows the first 50 skipped ones and counts the rest).
    """
    fitted = applied
    for field, left_out in (("changes", "changes_left_out"), ("warnings", "warnings_left_out")):
        items: list[str] = getattr(applied, field)
        kept = len(items)
        while kept and applied_size(fitted) > max_chars:
            kept //= 2
            fitted = fitted.model_copy(update={field: items[:kept], left_out: len(items) - kept})
    return fitted


def applied_size(applied: Applied) -> int:
    """Characters of the apply's JSON and text together."""
    return json_size(applied) + len(applied_text(applied))


def changelog_text(changelog: Changelog) -> str:
    """The changelog as text: one header per version, then its change lines."""
    lines = [f"Diagram {changelog.diagram_id} is at version {changelog.current_version}."]
    for entry in changelog.versions:
        by = f" by {clean_author(entry.author)}" if entry.author else ""
        source = f" (proposal {entry.proposal_id})" if entry.proposal_id else ""
        stamp = entry.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        lines.append(f"v{entry.version}  {stamp}{by}: {one_line(entry.summary)}{source}")
        lines += [f"    {one_line(line)}" for line in entry.changes]
        if entry.changes_left_out:
            lines.append(f"    … and {entry.changes_left_out} more changes")
    if changelog.versions_left_out:
        lines.append(
            f"… and {changelog.versions_left_out} older versions, left out to fit max_chars; "
            "ask with a smaller limit or a larger max_chars."
        )
    return "\n".join(lines)


def fit_changelog(changelog: Changelog, max_chars: int) -> Changelog:
    """The changelog within `max_chars`: fewer change lines per version, then fewer versions.

    Each version keeps at most LINES_PER_VERSION change lines; when the answer is still
    too big, that number halves down to none, and then the oldest versions go.
    """
    per_version = LINES_PER_VERSION
    fitted = with_lines(changelog, per_version)
    while per_version and changelog_size(fitted) > max_chars:
        per_version //= 2
        fitted = with_lines(changelog, per_version)
    versions = fitted.versions
    while len(versions) > 1 and changelog_size(fitted) > max_chars:
        versions = versions[: len(versions) // 2]
        left_out = len(changelog.versions) - len(versions)
        fitted = fitted.model_copy(update={"versions": versions, "versions_left_out": left_out})
    return fitted


def with_lines(changelog: Changelog, per_version: int) -> Changelog:
    """The changelog with each version's change lines cut to `per_version`."""
    versions = [
        entry.model_copy(
            update={
                "changes": entry.changes[:per_version],
                "changes_left_out": len(entry.changes) - per_version
                if len(entry.changes) > per_version
                else None,
            }
        )
        for entry in changelog.versions
    ]
    return changelog.model_copy(update={"versions": versions})


def changelog_size(changelog: Changelog) -> int:
    """Characters of the changelog's JSON and text together."""
    return json_size(changelog) + len(changelog_text(changelog))


def restored_text(restored: Restored) -> str:
    """The readable summary of a restore, saying what the budget left out."""
    lines = [
        f"Restored version {restored.restored_version} of diagram {restored.diagram_id} "
        f"as version {restored.version}.",
        *(f"  {line}" for line in restored.changes),
    ]
    if restored.changes_left_out:
        lines.append(
            f"  … and {restored.changes_left_out} more change lines, left out to fit "
            "max_chars (diagram-history lists the first of them too)"
        )
    return "\n".join(lines)


def fit_restored(restored: Restored, max_chars: int) -> Restored:
    """The restore's answer with change lines cut until it fits `max_chars`."""
    fitted, kept = restored, len(restored.changes)
    while kept and json_size(fitted) + len(restored_text(fitted)) > max_chars:
        kept //= 2
        left_out = len(restored.changes) - kept
        fitted = fitted.model_copy(
            update={"changes": restored.changes[:kept], "changes_left_out": left_out}
        )
    return fitted


def listing_text(listing: ProposalList) -> str:
    """A diagram's proposals, one line each, saying how many the budget left out."""
    header = f"Diagram {listing.diagram_id} is at version {listing.current_version}."
    if not listing.proposals:
        return header + " No proposals."
    lines = [header]
    lines += [
        f"{p.id}  [{p.status.value}] {p.title} ({plural(p.op_count, 'op')}, "
        f"on version {p.base_version}, by {clean_author(p.author)})"
        for p in listing.proposals
    ]
    if listing.proposals_left_out:
        lines.append(
            f"… and {listing.proposals_left_out} older proposals, left out to fit max_chars; "
            "ask with a smaller limit, a status, or a larger max_chars."
        )
    return "\n".join(lines)


def fit_listing(listing: ProposalList, max_chars: int) -> ProposalList:
    """The listing within `max_chars`: fewer affected tables per proposal, then fewer
    (the oldest) proposals."""
    if listing_size(listing) <= max_chars:
        return listing
    lines = [
        line.model_copy(
            update={
                "affected_tables": line.affected_tables[:AFFECTED_KEPT],
                "affected_left_out": len(line.affected_tables) - AFFECTED_KEPT,
            }
        )
        if len(line.affected_tables) > AFFECTED_KEPT
        else line
        for line in listing.proposals
    ]
    fitted = listing.model_copy(update={"proposals": lines})
    while len(lines) > 1 and listing_size(fitted) > max_chars:
        lines = lines[: len(lines) // 2]
        left_out = len(listing.proposals) - len(lines)
        fitted = fitted.model_copy(update={"proposals": lines, "proposals_left_out": left_out})
    # Long table names can keep even one proposal over budget: list fewer of its tables.
    kept = AFFECTED_KEPT // 2
    while listing_size(fitted) > max_chars and any(p.affected_tables for p in lines):
        lines = [
            line.model_copy(
                update={
                    "affected_tables": line.affected_tables[:kept],
                    "affected_left_out": (
                        (line.affected_left_out or 0) + len(line.affected_tables) - kept
                    ),
                }
            )
            if len(line.affected_tables) > kept
            else line
            for line in lines
        ]
        fitted = fitted.model_copy(update={"proposals": lines})
        kept //= 2
    return fitted


def listing_size(listing: ProposalList) -> int:
    """Characters of the listing's JSON and text together."""
    return json_size(listing) + len(listing_text(listing))
