"""Argument types that several tool groups share, with the descriptions hosts show."""

from typing import Annotated

from pydantic import Field

DiagramId = Annotated[str, Field(description="The diagram's id, as list-diagrams gives it.")]
ProposalId = Annotated[str, Field(description="The proposal's id.")]
MaxChars = Annotated[int, Field(ge=2_000, le=200_000, description="Budget for the whole answer.")]
# Strict, so that `true` or "1" is refused rather than read as op 1.
OpNumber = Annotated[int, Field(strict=True)]
