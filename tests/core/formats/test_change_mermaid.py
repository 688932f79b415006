"""render_change_mermaid: the affected area as an erDiagram, styled by what happened.

Mermaid itself is JavaScript, so these tests check the output against the lexer rules of
mermaid's erDiagram.jison transcribed below, as of Mermaid 11.5 (the first release that
styles ER entities; its attribute words allow neither `.` nor `,`). Every line the
renderer writes must be one the grammar accepts.
"""

import re

from chartdb_mcp.core.edit.changes import summarize_changes
from chartdb_mcp.core.edit.ops import (
    AddColumn,
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
from chartdb_mcp.core.formats.change_mermaid import render_change_mermaid
from chartdb_mcp.core.model import (
    Column,
    Diagram,
    PrimaryKey,
    Relationship,
    Table,
    UniqueConstraint,
)
from support.sample_diagrams import blog_diagram, column, tagging_tables, wide_diagram

# Tokens of erDiagram.jison: an entity name, an alias, an attribute word (type or name),
# key markers and a comment, and a relationship between two entities.
ENTITY = r"[A-Za-z_][A-Za-z0-9_]*"
ALIAS = r'\["[^"%\r\n\\]+"\]'
WORD = r"(?!(?i:pk|fk|uk)\b)[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9\-_\[\]()\u00C0-\uFFFF]*"
KEYS = r"(?: (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?"
GRAMMAR = [
    re.compile(r"erDiagram"),
    re.compile(r"    %%[^\n]*"),
    re.compile(rf"    {ENTITY}(?:{ALIAS})? \{{"),
    re.compile(rf'        {WORD} {WORD}{KEYS}(?: "[^"]*")?'),
    re.compile(r"    \}"),
    re.compile(rf'    {ENTITY} (?:\}}o|\|o)(?:--|\.\.)(?:\|\||o\|) {ENTITY} : "[^"]*"'),
    re.compile(
        r"    classDef (?:added|modified|removed|linked) [a-z\-]+:[#\w]+(?:,[a-z\-]+:[#\w]+)*"
    ),
    re.compile(rf"    class {ENTITY}(?:,{ENTITY})* (?:added|modified|removed|linked)"),
]
# Anywhere outside an entity block, this is read as a direction statement.
DIRECTION = re.compile(r"(?i)direction\s+(?:TB|BT|RL|LR)")


def assert_valid(mermaid: str) -> None:
    for line in mermaid.splitlines():
        assert any(rule.fullmatch(line) for rule in GRAMMAR), f"not erDiagram syntax: {line!r}"
        if not line.startswith("        "):
            assert not DIRECTION.search(line), line
    assert "%%{" not in mermaid


def render(ops: list[ChangeOp], before: Diagram | None = None, max_tables: int = 40) -> str:
    before = before or blog_diagram()
    after = apply_all(ops, before)
    mermaid = render_change_mermaid(summarize_changes(before, after), before, after, max_tables)
    assert_valid(mermaid)
    return mermaid


def tagging_ops() -> list[ChangeOp]:
    """Create tags and post_tags and link post_tags to posts and to tags."""
    tags, post_tags = tagging_tables()
    link = {"source_table": "post_tags", "target_columns": ["id"]}
    return [
        CreateTable(table=tags),
        CreateTable(table=post_tags),
        AddRelationship(source_columns=["post_id"], target_table="posts", **link),
        AddRelationship(source_columns=["tag_id"], target_table="tags", **link),
    ]


def test_new_tables_are_green_and_the_table_they_reach_is_grey() -> None:
    lines = render(tagging_ops()).splitlines()
    assert lines[0] == "erDiagram"
    tags = lines.index('    public_tags["public.tags"] {')
    assert lines[tags + 1 : tags + 4] == ["        integer id PK", "        text name UK", "    }"]
    post_tags = lines.index('    public_post_tags["public.post_tags"] {')
    assert lines[post_tags + 1 : post_tags + 3] == [
        "        integer post_id PK, FK",
        "        integer tag_id PK, FK",
    ]
    assert '    public_posts["public.posts"] {' in lines
    assert '    public_post_tags }o--|| public_posts : "+ post_id"' in lines
    assert '    public_post_tags }o--|| public_tags : "+ tag_id"' in lines
    assert "    class public_tags,public_post_tags added" in lines
    assert "    class public_posts linked" in lines
    assert any(line.startswith("    classDef linked fill:#f3f4f6,stroke:#9ca3af") for line in lines)
    assert not any("public_authors" in line or "public_comments" in line for line in lines)


def test_a_modified_table_is_yellow_and_marks_each_changed_column() -> None:
    mermaid = render(
        [
            AlterColumn(
                table="posts", column="title", type="character varying(200)", nullable=True
            ),
            DropIndex(table="posts", index="posts_published_idx"),
            DropColumn(table="posts", column="published_at"),
            AddColumn(table="posts", column=column("price", "numeric(10, 2)")),
        ]
    )
    posts = mermaid.split('    public_posts["public.posts"] {\n')[1].split("\n    }")[0]
    assert posts.splitlines() == [
        "        integer id PK",
        "        integer author_id FK",
        '        character_varying(200) title "~ type text → character varying(200), '
        'NOT NULL → NULL"',
        '        numeric(10_2) price "+ added"',
        '        timestamp published_at "- removed"',
    ]
    assert "    class public_posts modified" in mermaid
    assert "    class public_authors,public_comments linked" in mermaid
    assert '    public_posts }o..|| public_authors : "author_id"' in mermaid


def test_a_removed_table_is_red_with_its_relationships_marked_removed() -> None:
    mermaid = render([DropTable(table="comments"), DropTable(table="posts")])
    assert "    class public_posts,public_comments removed" in mermaid
    assert "    class public_authors linked" in mermaid
    assert '    public_posts }o..|| public_authors : "- author_id"' in mermaid
    assert '    public_comments }o..|| public_posts : "- post_id"' in mermaid
    assert "        integer post_id FK\n" in mermaid


def test_a_renamed_table_shows_its_old_name() -> None:
    mermaid = render([RenameTable(table="authors", new_name="writers")])
    assert '    public_writers["public.writers (was public.authors)"] {' in mermaid
    assert "    class public_writers modified" in mermaid


def test_awkward_names_and_types_become_valid_identifiers_and_words() -> None:
    before = Diagram(name="odd")
    odd = Table(
        schema_name="sales-2024",
        name='end "of" direction TB 50%',
        columns=[
            Column(name="order id", type="timestamp with time zone", nullable=False),
            Column(name="pk", type="numeric(12, 4)"),
            Column(name="1st", type="enum('a','b')"),
            Column(name="a.b", type="pg_catalog.int4"),
            Column(name='%%{init: {"theme": "dark"}}%%', type="text"),
            Column(name="uk-code", type="uk"),
        ],
        primary_key=PrimaryKey(columns=["order id"]),
    )
    reserved = Table(name="end", columns=[Column(name="x", type="integer")])
    clash = Table(name="end_", columns=[])
    mermaid = render(
        [CreateTable(table=odd), CreateTable(table=reserved), CreateTable(table=clash)], before
    )
    assert (
        "    sales_2024_end__of__direction_TB_50_[\"sales-2024.end 'of' direction_TB 50_\"] {"
    ) in mermaid
    assert '        timestamp_with_time_zone order_id PK "name order id"' in mermaid
    assert '        numeric(12_4) _pk "name pk"' in mermaid
    assert '        enum(a_b) _1st "name 1st"' in mermaid
    assert '        pg_catalog_int4 a_b "name a.b"' in mermaid
    assert '        _uk _uk-code "name uk-code"' in mermaid
    assert "        text ___init___theme__dark____ \"name %{init: {'theme': 'dark'}}%\"" in mermaid
    assert '    t_end["end"] {' in mermaid
    assert "    end_ {\n    }" in mermaid
    assert "    class sales_2024_end__of__direction_TB_50_,t_end,end_ added" in mermaid


def test_names_that_reduce_to_the_same_identifier_stay_apart() -> None:
    tables = [Table(name=name, columns=[]) for name in ("a b", "a-b", "a_b")]
    mermaid = render([CreateTable(table=table) for table in tables], Diagram(name="odd"))
    assert '    a_b["a b"] {' in mermaid
    assert '    a_b_2["a-b"] {' in mermaid
    assert '    a_b_3["a_b"] {' in mermaid


def test_nullable_and_unique_foreign_keys_change_the_crows_feet() -> None:
    parent = Table(name="parent", columns=[column("id")], primary_key=PrimaryKey(columns=["id"]))
    child = Table(
        name="child",
        columns=[column("parent_id")],
        unique_constraints=[UniqueConstraint(columns=["parent_id"])],
    )
    before = Diagram(name="pair", tables=[parent, child])
    link = Relationship(
        source_table_id=child.id,
        source_columns=["parent_id"],
        target_table_id=parent.id,
        target_columns=["id"],
    )
    after = before.model_copy(update={"relationships": [link]})
    mermaid = render_change_mermaid(summarize_changes(before, after), before, after)
    assert_valid(mermaid)
    assert '    child |o..o| parent : "+ parent_id"' in mermaid
    assert "    class parent,child linked" in mermaid


def test_above_the_limit_changed_tables_come_first_and_a_comment_counts_the_rest() -> None:
    before = wide_diagram(tables=3, columns=2)
    new_tables = wide_diagram(tables=8, columns=2).tables[3:]
    mermaid = render([CreateTable(table=table) for table in new_tables], before, max_tables=3)
    assert "    %% 2 more tables left out (2 changed, 0 linked)" in mermaid
    assert [line for line in mermaid.splitlines() if line.endswith("{")] == [
        "    t0003 {",
        "    t0004 {",
        "    t0005 {",
    ]


def test_no_changes_is_an_empty_diagram_that_says_so() -> None:
    mermaid = render([])
    assert mermaid.splitlines()[0] == "erDiagram"
    assert "    %% No changes." in mermaid
    assert "{" not in mermaid


def test_keywords_and_leading_digits_get_a_prefix() -> None:
    names = ["Class", "accTitle", "one", "2fa codes", "posts"]
    tables = [Table(name=name, columns=[column("id")]) for name in names]
    mermaid = render([CreateTable(table=table) for table in tables], Diagram(name="odd"))
    heads = [line for line in mermaid.splitlines() if line.endswith("{")]
    assert heads == [
        '    t_Class["Class"] {',
        '    t_accTitle["accTitle"] {',
        '    t_one["one"] {',
        '    t_2fa_codes["2fa codes"] {',
        "    posts {",
    ]
