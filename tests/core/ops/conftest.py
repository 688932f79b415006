"""Fixtures of the op tests: the blog diagram with a unique constraint and a check."""

import pytest

from chartdb_mcp.core.edit.ops import AddCheck, AddUnique, apply_all
from chartdb_mcp.core.model import CheckConstraint, Diagram, UniqueConstraint
from support.sample_diagrams import blog_diagram


@pytest.fixture
def blog() -> Diagram:
    """blog_diagram() plus UNIQUE authors(email) and CHECK on posts.title."""
    return apply_all(
        [
            AddUnique(
                table="authors",
                constraint=UniqueConstraint(name="authors_email_key", columns=["email"]),
            ),
            AddCheck(
                table="posts",
                check=CheckConstraint(name="title_not_empty", expression="length(title) > 0"),
            ),
        ],
        blog_diagram(),
    )
