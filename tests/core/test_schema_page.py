"""Schema pages: compact outlines, full details, filters, paging and the size budget."""

import pytest

from chartdb_mcp.core.formats.schema_page import SchemaQuery, UnknownTables, json_size, page_schema
from chartdb_mcp.core.formats.schema_text import render_schema_page, schema_answer
from chartdb_mcp.core.model import Diagram, Index, IndexPart, Table, TableStatus, View
from support.sample_diagrams import blog_diagram, column, wide_diagram


def test_outline_lists_every_table_with_keys_and_markers() -> None:
    page = page_schema(blog_diagram(), SchemaQuery())
    assert [t.name for t in page.tables] == ["public.authors", "public.posts", "public.comments"]
    posts = page.tables[1]
    assert posts.columns[0] == "id integer PK"
    assert posts.columns[2] == "title text NOT NULL"
    assert posts.foreign_keys == ["(author_id) -> public.authors(id) ON DELETE CASCADE"]
    assert posts.indexes == [
        "posts_published_idx (published_at DESC) WHERE published_at IS NOT NULL"
    ]
    assert [v.name for v in page.views] == ["public.recent_posts"]
    assert page.matching_tables == 3 and page.next_offset is None and not page.truncated


def test_text_rendering_mirrors_the_page() -> None:
    text = render_schema_page(page_schema(blog_diagram(), SchemaQuery()))
    assert text.splitlines()[0].startswith("Diagram 'blog' (id ")
    assert "public.authors [EXISTS]" in text
    assert "  FK (author_id) -> public.authors(id) ON DELETE CASCADE" in text
    assert "public.recent_posts (view): id integer" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (SchemaQuery(name_filter="post"), ["public.posts"]),
        (SchemaQuery(name_filter="*s"), ["public.authors", "public.posts", "public.comments"]),
        (SchemaQuery(name_filter="c?mments"), ["public.comments"]),
        (SchemaQuery(status=TableStatus.EXISTS), ["public.authors"]),
        (SchemaQuery(schema_name="other"), []),
    ],
)
def test_filters(query: SchemaQuery, expected: list[str]) -> None:
    assert [t.name for t in page_schema(blog_diagram(), query).tables] == expected


def test_detail_of_named_tables_resolves_relationships_both_ways() -> None:
    page = page_schema(blog_diagram(), SchemaQuery(tables=["posts"]))
    [detail] = page.details
    assert detail.table.name == "posts"
    assert [(fk.columns, fk.references_table) for fk in detail.foreign_keys] == [
        (["author_id"], "public.authors")
    ]
    assert [(fk.references_table, fk.references_columns) for fk in detail.referenced_by] == [
        ("public.comments", ["post_id"])
    ]
    assert page.tables == []


def test_unknown_named_tables_are_all_reported() -> None:
    with pytest.raises(UnknownTables) as error:
        page_schema(blog_diagram(), SchemaQuery(tables=["posts", "tags", "x.y"]))
    assert error.value.names == ["tags", "x.y"] and error.value.ambiguous == {}


def test_limit_pages_and_points_to_the_next_offset() -> None:
    diagram = wide_diagram(tables=30, columns=3)
    first = page_schema(diagram, SchemaQuery(limit=10))
    assert [t.name for t in first.tables][:2] == ["t0000", "t0001"]
    assert len(first.tables) == 10 and first.next_offset == 10 and not first.truncated
    assert "offset=10" in first.notes[0]
    last = page_schema(diagram, SchemaQuery(offset=20, limit=10))
    assert last.tables[-1].name == "t0029" and last.next_offset is None


@pytest.mark.parametrize("budget", [2_000, 5_000, 20_000])
def test_every_page_stays_under_the_budget_and_pages_cover_everything(budget: int) -> None:
    diagram = wide_diagram(tables=200, columns=12)
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = page_schema(diagram, SchemaQuery(offset=offset, limit=1000, max_chars=budget))
        assert json_size(page) <= budget
        assert page.tables, "a page must make progress"
        seen += [t.name for t in page.tables]
        offset = page.next_offset
        if offset is not None:
            assert page.truncated and "size budget" in page.notes[0]
    assert seen == [t.name for t in diagram.tables]


def test_a_table_larger_than_the_budget_is_shrunk_and_the_cut_is_said() -> None:
    diagram = wide_diagram(tables=2, columns=400)
    page = page_schema(diagram, SchemaQuery(max_chars=2_000))
    assert json_size(page) <= 2_000
    assert 0 < len(page.tables[0].columns) < 400
    assert page.truncated
    assert any("alone exceeds the size budget" in note for note in page.notes)


def test_detail_page_leaves_out_what_does_not_fit_and_says_which() -> None:
    diagram = wide_diagram(tables=3, columns=60)
    page = page_schema(diagram, SchemaQuery(tables=["t0000", "t0001", "t0002"], max_chars=12_000))
    assert json_size(page) <= 12_000
    assert 0 < len(page.details) < 3
    assert page.truncated and "Left out" in page.notes[0] and "t0002" in page.notes[0]


def test_partitioning_is_shown_on_parent_and_partition() -> None:
    diagram = blog_diagram()
    posts = diagram.tables[1]
    posts.partition_by = "RANGE (published_at)"
    diagram.tables.append(
        Table(
            schema_name="public",
            name="posts_2024",
            partition_of=posts.id,
            partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        )
    )
    outlines = {t.name: t for t in page_schema(diagram, SchemaQuery()).tables}
    assert outlines["public.posts"].partitioning == "PARTITION BY RANGE (published_at)"
    assert outlines["public.posts_2024"].partitioning == (
        "PARTITION OF public.posts FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') "
        "(inherited keys and indexes are listed on public.posts)"
    )
    [detail] = page_schema(diagram, SchemaQuery(tables=["posts_2024"])).details
    assert detail.partitioning is not None and detail.partitioning.startswith("PARTITION OF")


@pytest.mark.parametrize("budget", [2_000, 3_000, 20_000])
def test_the_text_and_the_json_together_stay_within_max_chars(budget: int) -> None:
    diagram = wide_diagram(tables=120, columns=10)
    offset: int | None = 0
    seen = 0
    while offset is not None:
        page, text = schema_answer(diagram, SchemaQuery(offset=offset, max_chars=budget))
        assert json_size(page) + len(text) <= budget
        assert page.tables
        seen += len(page.tables)
        offset = page.next_offset
    assert seen == 120


def test_views_can_be_named_for_their_full_definition() -> None:
    diagram = blog_diagram()
    diagram.views[0].definition = "SELECT id FROM posts"
    page, text = schema_answer(diagram, SchemaQuery(tables=["recent_posts", "authors"]))
    assert [d.table.name for d in page.details] == ["authors"]
    assert [v.name for v in page.view_details] == ["recent_posts"]
    assert "public.recent_posts (view)" in text and "AS SELECT id FROM posts" in text


def test_views_and_types_cut_from_the_first_page_are_counted() -> None:
    diagram = wide_diagram(tables=1, columns=2)
    diagram.views = [
        View(name=f"v{n}", columns=[column(f"c{i}") for i in range(30)]) for n in range(20)
    ]
    page = page_schema(diagram, SchemaQuery(max_chars=4_000))
    assert 0 < len(page.views) < 20 and page.truncated
    assert f"{len(page.views)} of 20 views" in " ".join(page.notes)


@pytest.mark.parametrize(
    ("query", "note"),
    [
        (SchemaQuery(schema_name="nope"), "No table matches schema='nope'."),
        (SchemaQuery(name_filter="zzz", status=TableStatus.DRIFT), "name_filter='zzz' and"),
        (SchemaQuery(offset=99), "offset=99 is past the last of 3 tables."),
        (SchemaQuery(tables=["posts"], name_filter="x"), "are ignored when tables are named"),
    ],
)
def test_pages_that_show_nothing_or_ignore_filters_say_why(query: SchemaQuery, note: str) -> None:
    page = page_schema(blog_diagram(), query)
    assert any(note in text for text in page.notes), page.notes


def test_a_bare_name_shared_by_several_tables_is_ambiguous() -> None:
    diagram = Diagram(
        name="d", tables=[Table(schema_name="a", name="t"), Table(schema_name="b", name="t")]
    )
    with pytest.raises(UnknownTables) as error:
        page_schema(diagram, SchemaQuery(tables=["t"]))
    assert error.value.ambiguous == {"t": ["a.t", "b.t"]} and error.value.names == []


def test_outline_shows_collation_on_update_method_and_include() -> None:
    diagram = blog_diagram()
    posts = diagram.tables[1]
    posts.columns[2].collation = '"C"'
    posts.columns[3].on_update = "current_timestamp()"
    posts.indexes.append(
        Index(name="posts_title_ft", parts=[IndexPart(column="title")], method="FULLTEXT")
    )
    posts.indexes.append(
        Index(name="posts_cover", parts=[IndexPart(column="id")], include=["title"], unique=True)
    )
    [outline] = page_schema(diagram, SchemaQuery(name_filter="posts")).tables
    assert 'title text NOT NULL COLLATE "C"' in outline.columns
    assert "published_at timestamp ON UPDATE current_timestamp()" in outline.columns
    assert "posts_title_ft USING FULLTEXT (title)" in outline.indexes
    assert "posts_cover UNIQUE (id) INCLUDE (title)" in outline.indexes
    text = render_schema_page(page_schema(diagram, SchemaQuery(tables=["posts"])))
    assert "  INDEX posts_cover UNIQUE (id) INCLUDE (title)" in text
    assert "  published_at timestamp ON UPDATE current_timestamp()" in text


def test_column_names_that_are_not_plain_words_are_quoted() -> None:
    diagram = blog_diagram()
    diagram.tables[0].columns.append(column("zip code", "text"))
    diagram.tables[0].columns.append(column('say "hi"', "text"))
    [outline] = page_schema(diagram, SchemaQuery(name_filter="authors")).tables
    assert outline.columns[-2:] == ['"zip code" text', '"say ""hi""" text']
    assert outline.columns[0] == "id integer PK"
