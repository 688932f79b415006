"""Fixtures of the op tests: the blog diagram with a unique constraint, a check and an enum."""

import pytest

from chartdb_mcp.core.edit.ops import AddCheck, AddUnique, CreateType, apply_all
from chartdb_mcp.core.model import (
    CheckConstraint,
    CustomType,
    CustomTypeKind,
    Diagram,
    UniqueConstraint,
)
from support.sample_diagrams import blog_diagram


@pytest.fixture
def blog() -> Diagram:
    """blog_diagram() plus UNIQUE authors(email), CHECK on posts.title and enum public.mood."""
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
            CreateType(
                type=CustomType(
                    schema_name="public",
                    name="mood",
                    kind=CustomTypeKind.ENUM,
                    values=["sad", "ok", "happy"],
                )
            ),
        ],
        blog_diagram(),
    )
