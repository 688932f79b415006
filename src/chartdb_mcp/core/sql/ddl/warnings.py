"""A collector of what the target cannot express: one sentence each, in order, no repeats."""


class Warnings:
    """Sentences saying what an export or a migration left out or changed, deduplicated."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}

    def add(self, sentence: str) -> None:
        """Record one sentence; a repeat of an earlier one is ignored."""
        self._seen.setdefault(sentence, None)

    def render(self) -> list[str]:
        """The sentences in the order they were first recorded."""
        return list(self._seen)
