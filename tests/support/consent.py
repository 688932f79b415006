"""An elicitation callback for tests: answers as told and remembers what it was asked."""

from typing import Any

from mcp.types import ElicitRequestParams, ElicitResult


class Consent:
    """Answers every question with `action` ("accept", "decline", "cancel") and, on
    accept, `content`."""

    def __init__(self, action: str, **content: Any) -> None:
        self.action = action
        self.content = content
        self.questions: list[str] = []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.questions.append(params.message)
        content = self.content if self.action == "accept" else None
        return ElicitResult(action=self.action, content=content)  # type: ignore[arg-type]
