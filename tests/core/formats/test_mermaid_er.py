"""The whole-diagram Mermaid export: every table, its status, every relationship."""

from chartdb_mcp.core.formats.interchange import ExportFormat, export_diagram
from chartdb_mcp.core.model import TableStatus
from support.sample_diagrams import blog_diagram


def test_every_table_and_relationship_with_one_class_per_status() -> None:
    diagram = blog_diagram()
    text = export_diagram(diagram, ExportFormat.MERMAID).content
    lines = text.splitlines()
    assert lines[0] == "erDiagram"
    assert '    public_authors["public.authors (EXISTS)"] {' in lines
    assert '    public_posts["public.posts (PLANNED)"] {' in lines
    assert "        integer author_id FK" in lines
    assert "    classDef exists fill:#f3f4f6,stroke:#6b7280,color:#111827" in lines
    assert "    class public_authors exists" in lines
    assert "    class public_posts,public_comments planned" in lines
    relationship_lines = [line for line in lines if "--" in line or ".." in line]
    assert len(relationship_lines) == len(diagram.relationships)


def test_statuses_not_in_use_get_no_class_and_views_are_named_as_left_out() -> None:
    diagram = blog_diagram()
    deprecated = [t.model_copy(update={"status": TableStatus.DEPRECATED}) for t in diagram.tables]
    exported = export_diagram(
        diagram.model_copy(update={"tables": deprecated}), ExportFormat.MERMAID
    )
    assert "classDef deprecated" in exported.content and "classDef planned" not in exported.content
    assert exported.warnings == ["1 view was left out: Mermaid draws tables only."]
