"""The project's exceptions: one root, one subclass per condition.

Messages are full sentences that quote the name the caller gave, so the MCP layer can
hand them to the model unchanged. No message ever contains a secret.
"""


class ChartdbError(Exception):
    """Root of every error this project raises on purpose."""


# Ids are a dozen characters; a longer one is echoed by its start and length only.
ECHOED_ID_CHARS = 40


def quoted_id(value: str) -> str:
    """The id as a message quotes it: whole when short, else its start and its length."""
    if len(value) <= ECHOED_ID_CHARS:
        return repr(value)
    return f"{value[:ECHOED_ID_CHARS]!r}... ({len(value):,} characters)"


class InvalidInput(ChartdbError):
    """An argument is malformed or out of range."""


class DiagramNotFound(ChartdbError):
    """No diagram has the given id."""

    def __init__(self, diagram_id: str) -> None:
        super().__init__(f"No diagram has the id {quoted_id(diagram_id)}.")
        self.diagram_id = diagram_id


class TableNotFound(ChartdbError):
    """A diagram has no table (or no single table) with the given names."""

    def __init__(self, names: list[str], diagram_name: str, suggestions: list[str]) -> None:
        quoted = ", ".join(repr(name) for name in names)
        message = f"Diagram {diagram_name!r} has no single table named {quoted}."
        if suggestions:
            message += f" Did you mean: {', '.join(suggestions)}?"
        super().__init__(message)
        self.names = names


class VersionConflict(ChartdbError):
    """A write was based on a diagram version that is no longer the current one."""

    def __init__(self, diagram_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"Diagram {diagram_id!r} is at version {actual}, not {expected}; "
            "re-read it and try again."
        )
        self.expected = expected
        self.actual = actual


class DatabaseTypeMismatch(ChartdbError):
    """An import would put tables of one database type into a diagram of another."""


class InvalidConnectionTarget(ChartdbError):
    """A connection URL or SQLite path cannot be used."""


class ConnectionFailed(ChartdbError):
    """The live database could not be reached or refused the login."""


class SchemaNotFound(ChartdbError):
    """The live database has no schema with the given name."""


class IntrospectionFailed(ChartdbError):
    """Reading the live catalog failed after the connection was made."""


class StoreError(ChartdbError):
    """The local diagram store cannot be opened or is damaged."""


class InvalidChange(ChartdbError):
    """A change operation cannot be applied to the diagram it was given."""


class ProposalNotFound(ChartdbError):
    """No proposal has the given id."""

    def __init__(self, proposal_id: str) -> None:
        super().__init__(f"No proposal has the id {quoted_id(proposal_id)}.")
        self.proposal_id = proposal_id


class ProposalClosed(ChartdbError):
    """A proposal was already applied or rejected, so it can no longer change."""


class RebaseConflict(ChartdbError):
    """A proposal made on an older version clashes with what changed since."""


class InvalidDocument(InvalidInput):
    """A ChartDB JSON, smart-query JSON or DBML document cannot be read; says where."""


class InvalidScript(ChartdbError):
    """An SQL script cannot be imported at all: empty, too large, or nothing readable."""


class ConnectionProfileNotFound(ChartdbError):
    """A diagram has no connection profile with the given name or id."""


class MasterKeyUnavailable(ChartdbError):
    """The master key that protects stored secrets cannot be found or used."""


class QueryRefused(ChartdbError):
    """A query was refused before it reached the database (not read-only, not allowed)."""


class QueryFailed(ChartdbError):
    """The database reported an error while running a query, or the query timed out."""


class MigrationRefused(ChartdbError):
    """A migration was not run: no consent, writes not allowed, or a protected table."""


class ProductionGuardLocked(ChartdbError):
    """A change would lift the guard on production writes without the person's consent."""
