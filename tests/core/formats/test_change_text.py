"""render_change_text: the text diff a person reads before a change is applied."""

from chartdb_mcp.core.edit.changes import ChangeSet, summarize_changes
from chartdb_mcp.core.edit.ops import (
    AddRelationship,
    AlterColumn,
    ChangeOp,
    CreateTable,
    DropColumn,
    DropIndex,
    DropTable,
    RenameTable,
    apply_all,
)
from chartdb_mcp.core.formats.change_text import NO_CHANGES, render_change_text
from chartdb_mcp.core.model import (
    CustomType,
    CustomTypeKind,
    ReferentialAction,
)
from support.sample_diagrams import blog_diagram, tagging_tables, wide_diagram


def changes_after(ops: list[ChangeOp]) -> ChangeSet:
    before = blog_diagram()
    return summarize_changes(before, apply_all(ops, before))


def tagging() -> ChangeSet:
    """tags and post_tags created on the blog, post_tags linked to posts and tags."""
    tags, post_tags = tagging_tables()
    link = {"source_table": "post_tags", "target_columns": ["id"]}
    return changes_after(
        [
            CreateTable(table=tags),
            CreateTable(table=post_tags),
            AddRelationship(
                name="post_tags_post_fk",
                source_columns=["post_id"],
                target_table="posts",
                on_delete=ReferentialAction.CASCADE,
                **link,
            ),
            AddRelationship(
                name="post_tags_tag_fk", source_columns=["tag_id"], target_table="tags", **link
            ),
        ]
    )


def test_new_tables_their_relationships_and_the_tables_they_reach() -> None:
    assert render_change_text(tagging()).splitlines() == [
        "+ table public.tags",
        "    + column id integer NOT NULL",
        "    + column name text NOT NULL",
        "    + primary key (id)",
        "    + unique tags_name_key (name)",
        "+ table public.post_tags",
        "    + column post_id integer NOT NULL",
        "    + column tag_id integer NOT NULL",
        "    + primary key (post_id, tag_id)",
        "",
        "Relationships:",
        "+ post_tags_post_fk: public.post_tags(post_id) → public.posts(id) ON DELETE CASCADE",
        "+ post_tags_tag_fk: public.post_tags(tag_id) → public.tags(id)",
        "",
        "Affected, linked by foreign keys (unchanged): public.posts",
    ]


def test_modified_removed_and_renamed_tables_read_with_their_marks() -> None:
    changes = changes_after(
        [
            AlterColumn(table="posts", column="title", type="varchar(200)", nullable=True),
            DropIndex(table="posts", index="posts_published_idx"),
            DropColumn(table="posts", column="published_at"),
            RenameTable(table="authors", new_name="writers"),
            DropTable(table="comments"),
        ]
    )
    assert render_change_text(changes).splitlines() == [
        "~ table public.writers (renamed from public.authors)",
        "~ table public.posts",
        "    ~ column title: type text → varchar(200), NOT NULL → NULL",
        "    - column published_at timestamp",
        "    - index posts_published_idx (published_at DESC) WHERE published_at IS NOT NULL",
        "- table public.comments",
        "",
        "Relationships:",
        "- comments_post_fk: public.comments(post_id) → public.posts(id)",
    ]


def test_custom_types_have_their_own_section() -> None:
    mood = CustomType(name="mood", kind=CustomTypeKind.ENUM, values=["happy", "sad"])
    before = blog_diagram().model_copy(update={"custom_types": [mood]})
    happier = mood.model_copy(update={"values": ["happy", "sad", "meh"]})
    after = before.model_copy(update={"custom_types": [happier]})
    assert render_change_text(summarize_changes(before, after)).splitlines() == [
        "",
        "Custom types:",
        "~ mood: enum (happy, sad) → enum (happy, sad, meh)",
    ]


def test_no_changes_is_said_in_a_sentence() -> None:
    assert render_change_text(changes_after([])) == NO_CHANGES
    assert NO_CHANGES.startswith("No changes")


def test_every_cut_is_whole_lines_within_the_limit_with_a_note_on_what_is_left_out() -> None:
    changes = tagging()
    full = render_change_text(changes).splitlines()
    longest_note = len(render_change_text(changes, max_chars=1))
    for max_chars in range(longest_note, len("\n".join(full))):
        cut = render_change_text(changes, max_chars=max_chars)
        *kept, note = cut.splitlines()
        assert len(cut) <= max_chars
        assert kept == full[: len(kept)] and kept[-1:] != [""]
        hidden = full[len(kept) :]
        assert note.startswith(f"… {len(hidden)} more line{'s' if len(hidden) > 1 else ''} ")
        hidden_tables = sum(1 for line in hidden if line.startswith("+ table"))
        assert note.endswith(f"({hidden_tables} of 2 tables not shown)." if hidden_tables else "t.")


def test_the_note_counts_tables_of_a_large_change() -> None:
    after = wide_diagram(tables=30, columns=4)
    cut = render_change_text(summarize_changes(wide_diagram(0, 0), after), max_chars=500)
    lines = cut.splitlines()
    shown_tables = sum(1 for line in lines if line.startswith("+ table"))
    assert lines[0] == "+ table t0000" and shown_tables < 30
    assert lines[-1].endswith(f"({30 - shown_tables} of 30 tables not shown).")


def test_a_limit_too_small_for_any_line_still_says_everything_was_left_out() -> None:
    assert render_change_text(tagging(), max_chars=5) == (
        "… 15 more lines left out (2 of 2 tables not shown)."
    )


def test_a_diff_within_the_limit_is_whole() -> None:
    full = render_change_text(tagging())
    assert render_change_text(tagging(), max_chars=len(full)) == full
