"""Ops in sequence, ops from JSON, and the promises that hold across every kind."""

import pytest

from chartdb_mcp.core.edit import ops
from chartdb_mcp.core.model import Column, Diagram
from chartdb_mcp.errors import InvalidChange


def test_apply_all_is_all_or_nothing(blog: Diagram) -> None:
    before = blog.model_dump()
    batch = [
        ops.AddColumn(table="posts", column=Column(name="slug", type="text")),
        ops.AddColumn(table="posts", column=Column(name="slug", type="text")),
    ]
    with pytest.raises(InvalidChange, match="already has a column named 'slug'"):
        ops.apply_all(batch, blog)
    assert blog.model_dump() == before


def test_later_ops_see_earlier_ones_and_invert_all_undoes_the_batch(blog: Diagram) -> None:
    batch: list[ops.ChangeOp] = [
        ops.RenameTable(table="posts", new_name="articles"),
        ops.AddColumn(table="articles", column=Column(name="slug", type="text")),
        ops.RenameColumn(table="articles", column="slug", new_name="handle"),
        ops.DropTable(table="comments"),
    ]
    changed = ops.apply_all(batch, blog)
    assert [c.name for c in changed.tables[1].columns][-1] == "handle"
    undo = ops.invert_all(batch, blog)
    assert [op.kind for op in undo] == [
        "restore_table",
        "rename_column",
        "drop_column",
        "rename_table",
    ]
    assert ops.apply_all(undo, changed).model_dump() == blog.model_dump()


def test_ops_parse_from_json_by_kind(blog: Diagram) -> None:
    parsed = ops.parse_op(
        {
            "kind": "alter_column",
            "table": "public.posts",
            "column": "title",
            "type": "varchar(300)",
        }
    )
    assert isinstance(parsed, ops.AlterColumn)
    assert ops.describe(parsed, blog) == "~ column posts.title: text -> varchar(300)"
    batch = ops.CHANGE_OPS.validate_json('[{"kind": "drop_table", "table": "comments"}]')
    assert ops.apply_all(batch, blog).find_table("comments") is None


def test_alter_column_changes_only_the_fields_given(blog: Diagram) -> None:
    with_default = ops.apply(
        ops.AlterColumn(table="posts", column="title", default="''", comment="shown"), blog
    )
    nullable = ops.apply(
        ops.AlterColumn(table="posts", column="title", nullable=True), with_default
    )
    title = nullable.tables[1].columns[2]
    assert (title.default, title.comment, title.nullable, title.type) == (
        "''",
        "shown",
        True,
        "text",
    )

    cleared = ops.apply(ops.AlterColumn(table="posts", column="title", default=None), nullable)
    assert (cleared.tables[1].columns[2].default, cleared.tables[1].columns[2].comment) == (
        None,
        "shown",
    )


def test_inverse_ops_find_their_table_by_id(blog: Diagram) -> None:
    op = ops.SetColor(table="posts", color="#00ff00")
    inverse = ops.invert(op, blog)
    assert (inverse.table, inverse.table_id) == ("public.posts", blog.tables[1].id)  # type: ignore[union-attr]
    renamed = ops.apply(ops.RenameTable(table="posts", new_name="articles"), ops.apply(op, blog))
    assert ops.apply(inverse, renamed).tables[1].color is None


def test_applied_diagrams_share_no_objects_with_the_input(blog: Diagram) -> None:
    changed = ops.apply(ops.SetColor(table="posts", color="red"), blog)
    assert changed.tables[0] is not blog.tables[0]
    assert changed.tables[0].columns[0] is not blog.tables[0].columns[0]
    changed.tables[0].columns[0].name = "renamed"
    assert blog.tables[0].columns[0].name == "id"


def test_applying_the_same_op_twice_gives_the_same_diagram(blog: Diagram) -> None:
    op = ops.AddRelationship(
        source_table="comments",
        source_columns=["id"],
        target_table="authors",
        target_columns=["id"],
    )
    assert ops.apply(op, blog).model_dump() == ops.apply(op, blog).model_dump()
    assert ops.apply(op, blog).relationships[-1].id == op.id


def test_ops_are_immutable() -> None:
    op = ops.DropTable(table="posts")
    with pytest.raises(ValueError, match="frozen"):
        op.table = "authors"  # type: ignore[misc]
