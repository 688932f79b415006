"""Proposals: a reviewable set of change ops on one diagram, waiting for a decision.

A proposal never changes its diagram by itself. It records the version it was made on,
its ops and the reasoning behind them; a separate apply step commits all or some of the
ops and closes it. Once accepted, partly accepted or rejected it no longer changes.
"""

import unicodedata
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from chartdb_mcp.core.edit.ops import ChangeOp
from chartdb_mcp.core.model import new_id, utc_now

MAX_TITLE = 200
MAX_REASONING = 10_000
MAX_AUTHOR = 100
MAX_DECISION_NOTE = 2_000
DEFAULT_AUTHOR = "assistant"
# Control, format (bidi overrides, zero-width) and line or paragraph separators: none of
# them may reach a changelog line, where a newline could pass for an entry of its own.
UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp"}


def one_line(text: str) -> str:
    """The text with unprintable characters as spaces and white space runs as one space."""
    printable = "".join(" " if unicodedata.category(char) in UNPRINTABLE else char for char in text)
    return " ".join(printable.split())


def clean_author(name: str | None) -> str:
    """A client's self-declared name made safe to print on one line.

    Unprintable characters become spaces, runs of white space one space, and the result
    is cut to MAX_AUTHOR characters; an empty result is DEFAULT_AUTHOR.
    """
    cleaned = one_line(name or "")[:MAX_AUTHOR].rstrip()
    return cleaned or DEFAULT_AUTHOR


class ProposalStatus(StrEnum):
    """Where a proposal stands: waiting, applied whole, applied in part, or turned down."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    PARTIAL = "partial"
    REJECTED = "rejected"


class Proposal(BaseModel):
    """A set of ops proposed for a diagram, with what they touch and what was decided.

    `affected_tables` are the tables the ops add, change or remove; `impact` are tables
    linked to those by a foreign key that the ops leave alone. Both are measured against
    the diagram at `base_version`. `applied_ops` are 1-based op numbers.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id)
    diagram_id: str
    base_version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    reasoning: str = Field(default="", max_length=MAX_REASONING)
    ops: list[ChangeOp] = Field(min_length=1)
    status: ProposalStatus = ProposalStatus.PENDING
    author: str = "assistant"
    revision: int = Field(default=1, ge=1)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    affected_tables: list[str] = Field(default_factory=list)
    impact: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    applied_ops: list[int] = Field(default_factory=list)
    applied_version: int | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None

    @property
    def is_open(self) -> bool:
        """True while the proposal waits for a decision."""
        return self.status is ProposalStatus.PENDING
