"""Stored proposals: kept whole, listed per diagram, and closed together with their version."""

from collections.abc import Callable

import pytest

from chartdb_mcp.core.edit.ops import AddColumn, DropTable
from chartdb_mcp.core.edit.proposal import Proposal, ProposalStatus
from chartdb_mcp.core.model import Column, Diagram, utc_now
from chartdb_mcp.errors import DiagramNotFound, InvalidInput, ProposalClosed, ProposalNotFound
from chartdb_mcp.store import ChangeNote, DiagramStore, proposal_queries

pytestmark = pytest.mark.anyio

MakeDiagram = Callable[..., Diagram]


class InjectedFailure(Exception):
    """Stands for anything that can go wrong between two statements of a write."""


async def fail(*args: object) -> None:
    raise InjectedFailure


def proposal_for(diagram: Diagram, title: str = "add a note column") -> Proposal:
    return Proposal(
        diagram_id=diagram.id,
        base_version=diagram.version,
        title=title,
        reasoning="People asked for notes.",
        ops=[AddColumn(table="table_0", column=Column(name="note", type="text"))],
        affected_tables=["public.table_0"],
        impact=["public.table_1"],
    )


def accepted(proposal: Proposal) -> Proposal:
    return proposal.model_copy(
        update={"status": ProposalStatus.ACCEPTED, "applied_ops": [1], "decided_at": utc_now()}
    )


async def test_a_proposal_reads_back_exactly_as_stored(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    proposal = await store.add_proposal(proposal_for(diagram))

    assert await store.get_proposal(proposal.id) == proposal
    assert (await store.get_proposal(proposal.id)).ops[0].kind == "add_column"


async def test_listing_is_per_diagram_newest_first_and_filters_by_status(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    other = await store.create(make_diagram(name="other"), "created")
    first = await store.add_proposal(proposal_for(diagram, "first"))
    second = await store.add_proposal(proposal_for(diagram, "second"))
    await store.add_proposal(proposal_for(other, "elsewhere"))
    rejected = second.model_copy(update={"status": ProposalStatus.REJECTED})
    await store.update_proposal(rejected, expected_revision=1)

    listed = await store.list_proposals(diagram.id)
    pending = await store.list_proposals(diagram.id, ProposalStatus.PENDING)

    assert [p.title for p in listed] == ["second", "first"]
    assert [p.id for p in pending] == [first.id]
    assert [p.title for p in await store.list_proposals(diagram.id, limit=1)] == ["second"]


async def test_unknown_ids_and_bad_limits_are_named(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    orphan = proposal_for(diagram).model_copy(update={"diagram_id": "nope"})

    with pytest.raises(ProposalNotFound, match="'missing'"):
        await store.get_proposal("missing")
    with pytest.raises(DiagramNotFound, match="'nope'"):
        await store.add_proposal(orphan)
    with pytest.raises(DiagramNotFound, match="'nope'"):
        await store.list_proposals("nope")
    with pytest.raises(InvalidInput, match="at least 1, not 0"):
        await store.list_proposals(diagram.id, limit=0)


async def test_a_proposal_id_cannot_be_stored_twice(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    proposal = await store.add_proposal(proposal_for(diagram))

    with pytest.raises(InvalidInput, match=proposal.id):
        await store.add_proposal(proposal)


async def test_a_revision_read_before_another_is_refused(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    proposal = await store.add_proposal(proposal_for(diagram))
    revised = proposal.model_copy(update={"revision": 2, "title": "revised"})
    await store.update_proposal(revised, expected_revision=1)

    with pytest.raises(ProposalClosed, match="now revision 2"):
        await store.update_proposal(proposal.model_copy(update={"revision": 2}), 1)
    assert (await store.get_proposal(proposal.id)).title == "revised"


async def test_saving_with_a_proposal_closes_it_in_the_same_write(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    proposal = await store.add_proposal(proposal_for(diagram))
    note = ChangeNote(
        summary="add a note column",
        author="tester",
        proposal_id=proposal.id,
        changes=("+ column table_0.note text",),
    )

    saved = await store.save(diagram, 1, note, closing=accepted(proposal))

    closed = await store.get_proposal(proposal.id)
    [latest, _] = await store.history(diagram.id)
    assert (closed.status, closed.applied_version) == (ProposalStatus.ACCEPTED, saved.version)
    assert (latest.version, latest.author, latest.proposal_id, latest.changes) == (
        2,
        "tester",
        proposal.id,
        ["+ column table_0.note text"],
    )


async def test_a_decided_proposal_cannot_be_applied_or_decided_again(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    proposal = await store.add_proposal(proposal_for(diagram))
    await store.save(diagram, 1, "first apply", closing=accepted(proposal))

    with pytest.raises(ProposalClosed, match="already accepted"):
        await store.save(diagram, 2, "second apply", closing=accepted(proposal))
    with pytest.raises(ProposalClosed, match="already accepted"):
        await store.update_proposal(proposal, expected_revision=1)
    assert (await store.get(diagram.id)).version == 2


async def test_an_apply_failing_after_the_version_is_written_changes_nothing(
    file_store: DiagramStore, make_diagram: MakeDiagram, monkeypatch: pytest.MonkeyPatch
) -> None:
    diagram = await file_store.create(make_diagram(), "created")
    proposal = await file_store.add_proposal(proposal_for(diagram))
    smaller = diagram.model_copy(update={"tables": diagram.tables[1:]})
    smaller = smaller.model_copy(update={"relationships": smaller.relationships[1:]})
    monkeypatch.setattr(proposal_queries, "update_proposal", fail)

    with pytest.raises(InjectedFailure):
        await file_store.save(smaller, 1, "lost", closing=accepted(proposal))

    assert await file_store.get(diagram.id) == diagram
    assert [v.version for v in await file_store.history(diagram.id)] == [1]
    assert (await file_store.get_proposal(proposal.id)).status is ProposalStatus.PENDING


async def test_deleting_a_diagram_deletes_its_proposals(
    store: DiagramStore, make_diagram: MakeDiagram
) -> None:
    diagram = await store.create(make_diagram(), "created")
    proposal = await store.add_proposal(proposal_for(diagram))
    drop = proposal.model_copy(update={"ops": [DropTable(table="table_2")]})
    await store.update_proposal(drop.model_copy(update={"revision": 2}), 1)

    await store.delete(diagram.id)

    with pytest.raises(ProposalNotFound):
        await store.get_proposal(proposal.id)
