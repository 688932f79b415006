"""Apply never loses an update: stale proposals rebase or are refused, concurrent clients
never overwrite each other, a crash changes nothing, and the person confirms when asked."""

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import ElicitRequestParams, ElicitResult

from chartdb_mcp.core.model import Diagram
from chartdb_mcp.demo import build_example_database
from chartdb_mcp.store import DiagramStore, proposal_queries
from support.mcp_client import call_error, call_ok, in_memory_client, text_of

pytestmark = pytest.mark.anyio


def add_column(table: str, name: str) -> dict[str, Any]:
    return {"kind": "add_column", "table": table, "column": {"name": name, "type": "TEXT"}}


RENAME_TITLE = {
    "kind": "rename_column",
    "table": "posts",
    "column": "title",
    "new_name": "headline",
}
RETYPE_TITLE = {"kind": "alter_column", "table": "posts", "column": "title", "type": "TEXT"}


@pytest.fixture
def blog_db(tmp_path: Path) -> Path:
    path = tmp_path / "blog.db"
    build_example_database(path)
    return path


@pytest.fixture
def store_file(tmp_path: Path) -> str:
    return str(tmp_path / "store.sqlite")


async def import_blog(client: Client, blog_db: Path) -> str:
    report = await call_ok(client, "chartdb_import_database", url=str(blog_db), name="blog")
    return str(report["diagram_id"])


async def propose(client: Client, diagram_id: str, *ops: dict[str, Any]) -> str:
    review = await call_ok(client, "chartdb_propose_changes", diagram_id=diagram_id, ops=ops)
    return str(review["id"])


async def columns_of(client: Client, diagram_id: str, table: str) -> list[str]:
    page = await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id, tables=[table])
    [detail] = page["details"]
    return [column["name"] for column in detail["table"]["columns"]]


async def test_a_stale_proposal_that_does_not_clash_is_rebased(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        first = await propose(client, diagram_id, add_column("authors", "website"))
        second = await propose(client, diagram_id, add_column("posts", "subtitle"))

        await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        applied = await call_ok(client, "chartdb_apply_changes", proposal_id=second)

        assert (applied["rebased_from"], applied["version"]) == (1, 3)
        assert "website" in await columns_of(client, diagram_id, "authors")
        assert "subtitle" in await columns_of(client, diagram_id, "posts")


async def test_two_stale_proposals_adding_columns_to_one_table_both_land(blog_db: Path) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        first = await propose(client, diagram_id, add_column("posts", "subtitle"))
        second = await propose(client, diagram_id, add_column("posts", "summary"))

        await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        await call_ok(client, "chartdb_apply_changes", proposal_id=second)

        assert (await columns_of(client, diagram_id, "posts"))[-2:] == ["subtitle", "summary"]


@pytest.mark.parametrize(
    ("first_ops", "second_ops", "reason"),
    [
        ([RENAME_TITLE], [RETYPE_TITLE], "no column named 'title'"),
        ([RETYPE_TITLE], [RENAME_TITLE], "Both changed: posts."),
        ([{"kind": "drop_table", "table": "comments"}], [add_column("comments", "x")], "comments"),
    ],
)
async def test_a_stale_proposal_that_clashes_is_refused_with_the_reason(
    blog_db: Path,
    first_ops: list[dict[str, Any]],
    second_ops: list[dict[str, Any]],
    reason: str,
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        first = await propose(client, diagram_id, *first_ops)
        second = await propose(client, diagram_id, *second_ops)
        await call_ok(client, "chartdb_apply_changes", proposal_id=first)

        error = await call_error(client, "chartdb_apply_changes", proposal_id=second)

        assert "made on version 1" in error and "now at version 2" in error
        assert reason in error
        still = await call_ok(client, "chartdb_get_proposal", proposal_id=second)
        assert (still["status"], still["current_version"]) == ("pending", 2)


async def test_concurrent_clients_applying_on_one_store_lose_no_update(
    blog_db: Path, store_file: str
) -> None:
    async with in_memory_client(store_file) as setup:
        diagram_id = await import_blog(setup, blog_db)
        tables = ["authors", "posts", "comments", "categories"]
        proposals = [
            await propose(setup, diagram_id, add_column(table, f"extra_{number}"))
            for number, table in enumerate(tables)
        ]

    outcomes: dict[str, bool] = {}

    async def apply(proposal_id: str) -> None:
        # Each client is its own server on the same store file, as two hosts would be.
        async with in_memory_client(store_file) as client:
            result = await client.call_tool("chartdb_apply_changes", {"proposal_id": proposal_id})
            outcomes[proposal_id] = not result.is_error

    async with anyio.create_task_group() as group:
        for proposal_id in proposals:
            group.start_soon(apply, proposal_id)

    async with in_memory_client(store_file) as client:
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        for number, table in enumerate(tables):
            landed = f"extra_{number}" in await columns_of(client, diagram_id, table)
            proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=proposals[number])
            assert landed == outcomes[proposals[number]]
            assert proposal["status"] == ("accepted" if landed else "pending")
    assert all(outcomes.values())
    assert history["current_version"] == 1 + len(tables)


async def test_concurrent_clients_applying_one_proposal_apply_it_once(
    blog_db: Path, store_file: str
) -> None:
    async with in_memory_client(store_file) as setup:
        diagram_id = await import_blog(setup, blog_db)
        proposal_id = await propose(setup, diagram_id, add_column("posts", "subtitle"))

    errors: list[str] = []

    async def apply() -> None:
        async with in_memory_client(store_file) as client:
            result = await client.call_tool("chartdb_apply_changes", {"proposal_id": proposal_id})
            if result.is_error:
                errors.append(text_of(result))

    async with anyio.create_task_group() as group:
        for _ in range(3):
            group.start_soon(apply)

    async with in_memory_client(store_file) as client:
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
    assert history["current_version"] == 2
    assert len(errors) == 2 and all("already accepted" in error for error in errors)


async def test_an_apply_landing_between_the_reads_of_another_is_reported_as_decided(
    blog_db: Path, store_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with in_memory_client(store_file) as setup:
        diagram_id = await import_blog(setup, blog_db)
        proposal_id = await propose(setup, diagram_id, add_column("posts", "subtitle"))

    read_diagram = DiagramStore.get
    interleaved = False

    async def read_after_another_apply(self: DiagramStore, wanted: str) -> Diagram:
        nonlocal interleaved
        if not interleaved:
            interleaved = True
            async with in_memory_client(store_file) as other:
                await call_ok(other, "chartdb_apply_changes", proposal_id=proposal_id)
        return await read_diagram(self, wanted)

    monkeypatch.setattr(DiagramStore, "get", read_after_another_apply)
    async with in_memory_client(store_file) as client:
        message = await call_error(client, "chartdb_apply_changes", proposal_id=proposal_id)
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
    assert interleaved
    assert "already accepted" in message
    assert history["current_version"] == 2


async def test_a_crash_in_the_middle_of_apply_changes_nothing(
    blog_db: Path, store_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(*args: object) -> None:
        raise RuntimeError("power cut")

    async with in_memory_client(store_file) as client:
        diagram_id = await import_blog(client, blog_db)
        proposal_id = await propose(client, diagram_id, {"kind": "drop_table", "table": "comments"})
        monkeypatch.setattr(proposal_queries, "update_proposal", crash)

        error = await call_error(client, "chartdb_apply_changes", proposal_id=proposal_id)

        monkeypatch.undo()
        assert "Nothing was changed" in error
        proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=proposal_id)
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        assert (proposal["status"], history["current_version"]) == ("pending", 1)
        assert "comments" in {
            t["name"]
            for t in (await call_ok(client, "chartdb_get_schema", diagram_id=diagram_id))["tables"]
        }
        applied = await call_ok(client, "chartdb_apply_changes", proposal_id=proposal_id)
        assert applied["version"] == 2


class Answers:
    """An elicitation callback that answers as told and remembers what it was asked."""

    def __init__(self, action: str, apply: bool = True) -> None:
        self.action = action
        self.apply = apply
        self.questions: list[str] = []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.questions.append(params.message)
        content = {"apply": self.apply} if self.action == "accept" else None
        return ElicitResult(action=self.action, content=content)  # type: ignore[arg-type]


async def test_the_person_is_told_which_ops_a_partial_apply_takes(blog_db: Path) -> None:
    answers = Answers("accept")
    async with in_memory_client(elicitation_callback=answers) as client:
        diagram_id = await import_blog(client, blog_db)
        proposal_id = await propose(
            client, diagram_id, add_column("posts", "subtitle"), add_column("authors", "site")
        )

        await call_ok(client, "chartdb_apply_changes", proposal_id=proposal_id, ops=[2])
        again = await call_error(client, "chartdb_apply_changes", proposal_id=proposal_id)

        assert "ops [2] of its 2 ops" in answers.questions[0]
        assert len(answers.questions) == 1 and "already partial" in again


@pytest.mark.parametrize(
    ("answers", "applied"),
    [
        (Answers("accept"), True),
        (Answers("accept", apply=False), False),
        (Answers("decline"), False),
        (Answers("cancel"), False),
    ],
)
async def test_a_host_with_elicitation_asks_the_person_first(
    blog_db: Path, answers: Answers, applied: bool
) -> None:
    async with in_memory_client(elicitation_callback=answers) as client:
        diagram_id = await import_blog(client, blog_db)
        proposal_id = await propose(client, diagram_id, add_column("posts", "subtitle"))

        result = await client.call_tool("chartdb_apply_changes", {"proposal_id": proposal_id})

        assert not result.is_error, text_of(result)
        [question] = answers.questions
        assert "posts" in question and "all 1 op" in question
        proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=proposal_id)
        assert proposal["status"] == ("accepted" if applied else "pending")
        assert ("Not applied" in text_of(result)) == (not applied)


async def test_an_apply_that_would_change_nothing_is_refused(blog_db: Path) -> None:
    comment = {"kind": "alter_column", "table": "posts", "column": "title", "comment": "z"}
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        first = await propose(client, diagram_id, comment)
        again = await propose(client, diagram_id, comment)
        undone = await propose(
            client,
            diagram_id,
            add_column("posts", "scratch"),
            {"kind": "drop_column", "table": "posts", "column": "scratch"},
        )
        warned = await call_ok(client, "chartdb_get_proposal", proposal_id=undone)
        await call_ok(client, "chartdb_apply_changes", proposal_id=first)
        rebased = await call_error(client, "chartdb_apply_changes", proposal_id=again)
        net_nothing = await call_error(client, "chartdb_apply_changes", proposal_id=undone)
        history = await call_ok(client, "chartdb_diagram_history", diagram_id=diagram_id)
        pending = await call_ok(
            client, "chartdb_list_proposals", diagram_id=diagram_id, status="pending"
        )
    assert rebased.endswith(
        f"Applying ops [1] of proposal '{again}' would change nothing: diagram 'blog' at "
        "version 2 already is what they make it. Reject the proposal, or revise it."
    )
    assert f"Applying ops [1, 2] of proposal '{undone}' would change nothing" in net_nothing
    assert warned["warnings"] == [
        "Together the ops change nothing; applying them all would be refused."
    ]
    assert history["current_version"] == 2
    assert {p["id"] for p in pending["proposals"]} == {again, undone}


async def test_a_subset_that_needs_a_left_out_op_names_the_left_out_ops(blog_db: Path) -> None:
    tags = {
        "kind": "create_table",
        "table": {"name": "tags", "columns": [{"name": "id", "type": "integer"}]},
    }
    label = {"kind": "add_column", "table": "tags", "column": {"name": "label", "type": "text"}}
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        proposal_id = await propose(
            client, diagram_id, tags, add_column("posts", "subtitle"), label
        )
        needs = await call_error(
            client, "chartdb_apply_changes", proposal_id=proposal_id, ops=[2, 3]
        )
        alone = await call_ok(client, "chartdb_apply_changes", proposal_id=proposal_id, ops=[2])
    assert needs.endswith(
        "Op 3 (add_column) cannot be applied: Table 'tags' does not exist in diagram 'blog'. "
        "The chosen ops need what left-out ops among [1] do; choose those too, or revise "
        "the proposal."
    )
    assert alone["version"] == 2


@pytest.mark.parametrize("numbers", [[True], ["1"], [1.0]])
async def test_op_numbers_that_are_not_integers_are_refused(
    blog_db: Path, numbers: list[Any]
) -> None:
    async with in_memory_client() as client:
        diagram_id = await import_blog(client, blog_db)
        proposal_id = await propose(
            client, diagram_id, add_column("posts", "a"), add_column("posts", "b")
        )
        applying = await call_error(
            client, "chartdb_apply_changes", proposal_id=proposal_id, ops=numbers
        )
        revising = await call_error(
            client, "chartdb_revise_proposal", proposal_id=proposal_id, remove_ops=numbers
        )
        proposal = await call_ok(client, "chartdb_get_proposal", proposal_id=proposal_id)
    assert "ops.0" in applying and "Input should be a valid integer" in applying
    assert "remove_ops.0" in revising and "Input should be a valid integer" in revising
    assert (proposal["status"], proposal["revision"], proposal["current_version"]) == (
        "pending",
        1,
        1,
    )
