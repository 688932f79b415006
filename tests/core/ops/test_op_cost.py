"""What a long list of ops costs: the whole diagram is checked once, not once per op.

These tests count work, not time: a whole-diagram check per op made a proposal of a few
hundred tables take minutes, and nothing but a count would notice it coming back.
"""

from typing import Any

import pytest

from chartdb_mcp.core.edit import ops
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import Column, Diagram, Relationship, Table
from chartdb_mcp.errors import InvalidChange


def many_tables(count: int) -> list[ops.ChangeOp]:
    """`count` new tables, each with a foreign key to the one before it."""
    created: list[ops.ChangeOp] = [
        ops.CreateTable(
            table=Table(
                name=f"t{n}",
                columns=[
                    Column(name="id", type="integer", nullable=False),
                    Column(name="parent_id", type="integer"),
                ],
            )
        )
        for n in range(count)
    ]
    linked: list[ops.ChangeOp] = [
        ops.AddRelationship(
            source_table=f"t{n}",
            source_columns=["parent_id"],
            target_table=f"t{n - 1}",
            target_columns=["id"],
        )
        for n in range(1, count)
    ]
    return created + linked


@pytest.fixture
def whole_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every whole-diagram model check made while the test runs."""
    calls: list[int] = []
    original = Diagram.model_validate.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Diagram], data: Any, *args: Any, **kwargs: Any) -> Diagram:
        calls.append(1)
        return original(cls, data, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Diagram, "model_validate", classmethod(counting))
    return calls


def test_a_replay_checks_the_whole_diagram_once(blog: Diagram, whole_checks: list[int]) -> None:
    batch = many_tables(60)
    result = replay(batch, blog)
    assert len(result.lines) == 119
    assert len(whole_checks) == 1


def test_apply_all_checks_the_whole_diagram_once(blog: Diagram, whole_checks: list[int]) -> None:
    changed = ops.apply_all(many_tables(40), blog)
    assert len(changed.tables) == len(blog.tables) + 40
    assert len(whole_checks) == 1


def test_a_step_still_refuses_what_breaks_the_parts_it_changed(blog: Diagram) -> None:
    tags = Table(name="tags", columns=[Column(name="id", type="integer")])
    dangling = Relationship(
        name="tags_post_fk",
        source_table_id=tags.id,
        source_columns=["post_id"],
        target_table_id=blog.tables[1].id,
        target_columns=["id"],
    )
    batch: list[ops.ChangeOp] = [
        ops.AddColumn(table="posts", column=Column(name="slug", type="text")),
        ops.RestoreTable(
            table=tags,
            position=0,
            relationships=[ops.PlacedRelationship(position=0, relationship=dangling)],
        ),
        ops.DropTable(table="comments"),
    ]
    with pytest.raises(InvalidChange) as raised:
        replay(batch, blog)
    assert str(raised.value) == (
        "Op 2 (restore_table) cannot be applied: The change 'restore_table' would leave "
        "diagram 'blog' invalid: relationship 'tags_post_fk' refers to columns ['post_id'] "
        "that table 'tags' does not have"
    )


def test_a_table_list_changed_in_place_is_looked_up_afresh(blog: Diagram) -> None:
    ops.validate(ops.SetTableComment(table="posts", comment="x"), blog)
    blog.tables.append(Table(name="late", columns=[Column(name="id", type="integer")]))
    assert ops.validate(ops.SetTableComment(table="late", comment="x"), blog) == []
