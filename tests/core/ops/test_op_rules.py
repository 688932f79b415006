"""The design rules proposed ops are held to, beyond what the MCP tests show."""

import pytest

from chartdb_mcp.core.edit import ops
from chartdb_mcp.core.edit.replay import replay
from chartdb_mcp.core.model import (
    Column,
    CustomType,
    CustomTypeKind,
    Diagram,
    Index,
    IndexPart,
    UniqueConstraint,
)
from chartdb_mcp.errors import InvalidChange


def test_a_unique_key_that_a_relationship_uses_cannot_be_dropped(blog: Diagram) -> None:
    batch: list[ops.ChangeOp] = [
        ops.AddRelationship(
            name="posts_author_email_fk",
            source_table="posts",
            source_columns=["title"],
            target_table="authors",
            target_columns=["email"],
        ),
        ops.DropUnique(table="authors", constraint="authors_email_key"),
    ]
    with pytest.raises(InvalidChange) as raised:
        replay(batch, blog, design_rules=True)
    assert str(raised.value) == (
        "Op 2 (drop_unique) cannot be applied: The key (email) of table 'authors' cannot go: "
        "relationship 'posts_author_email_fk' refers to it. Drop that relationship first."
    )


def test_a_key_the_relationship_does_not_need_can_go(blog: Diagram) -> None:
    batch: list[ops.ChangeOp] = [
        ops.AddUnique(table="authors", constraint=UniqueConstraint(columns=["id", "email"])),
        ops.DropUnique(table="authors", constraint="authors_email_key"),
    ]
    assert replay(batch, blog, design_rules=True).warnings == ()


@pytest.mark.parametrize(
    ("change", "mention"),
    [
        (
            ops.AddIndex(
                table="posts",
                index=Index(name="posts_lower_title", parts=[IndexPart(expression="lower(title)")]),
            ),
            "an expression of index 'posts_lower_title'",
        ),
        (
            ops.AddColumn(
                table="posts",
                column=Column(name="title_length", type="int", generated="length(title)"),
            ),
            "generated column 'title_length'",
        ),
    ],
)
def test_sql_text_that_names_a_column_keeps_it(
    change: ops.ChangeOp, mention: str, blog: Diagram
) -> None:
    batch = [change, ops.DropColumn(table="posts", column="title")]
    with pytest.raises(InvalidChange, match=f"cannot be dropped; .*{mention}"):
        replay(batch, blog, design_rules=True)


def test_the_rules_are_not_applied_to_a_replay_of_stored_versions(blog: Diagram) -> None:
    # The diff between two stored versions replays what they are, rules or not.
    drop = [ops.DropColumn(table="posts", column="published_at")]
    with pytest.raises(InvalidChange, match="index 'posts_published_idx'"):
        replay(drop, blog)
    empty = ops.AlterColumn(table="posts", column="title")
    assert replay([empty], blog).lines == ("~ column posts.title: no change",)
    with pytest.raises(InvalidChange, match="gives no field"):
        replay([empty], blog, design_rules=True)


def test_a_bare_type_name_two_schemas_share_is_called_ambiguous(blog: Diagram) -> None:
    other = ops.CreateType(
        type=CustomType(schema_name="archive", name="mood", kind=CustomTypeKind.ENUM, values=["x"])
    )
    with pytest.raises(InvalidChange) as raised:
        replay([other, ops.DropType(type="mood")], blog)
    assert str(raised.value) == (
        "Op 2 (drop_type) cannot be applied: Diagram 'blog' has no single type named 'mood': "
        "several schemas have one. Did you mean: 'archive.mood', 'public.mood'?"
    )
