"""Prompts: analyses and the built-in agents, each carrying a compact form of one diagram.

Every prompt takes a diagram id, embeds the diagram's outline (within a size budget, so
a large schema never floods the context) and tells the model to change the diagram
only through proposals that the person reviews and applies.
"""

from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS

from chartdb_mcp.config import Settings
from chartdb_mcp.core.formats.schema_page import SchemaQuery
from chartdb_mcp.core.formats.schema_text import schema_answer
from chartdb_mcp.errors import ChartdbError
from chartdb_mcp.server.naming import wire_name
from chartdb_mcp.server.state import AppState

OUTLINE_CHARS = 12_000


@dataclass(frozen=True)
class PromptSpec:
    """One prompt: its name, what it is for, and the task it sets."""

    name: str
    title: str
    description: str
    task: str


PROMPTS = (
    PromptSpec(
        "analyze-schema",
        "Analyze schema",
        "Review a diagram's design: structure, keys, relationships, naming, risks.",
        "Analyze this schema. Summarize what it models, then list concrete findings about "
        "keys, relationships, normalization, naming, types and constraints, most important "
        "first, each naming the tables and columns concerned.",
    ),
    PromptSpec(
        "suggest-improvements",
        "Suggest improvements",
        "Suggest concrete improvements to a diagram, as proposals the person can review.",
        "Suggest improvements to this schema. Group them by theme; for each, say why it "
        "matters. Then turn the ones the person agrees with into proposals.",
    ),
    PromptSpec(
        "schema-architect",
        "Schema architect",
        "Agent: design new tables and relationships that fit the existing schema.",
        "You are a schema architect. Ask what the person needs to model, then design tables, "
        "keys and relationships that fit this schema's conventions (naming, id types, "
        "timestamps). Prefer few well-reasoned proposals over many small ones.",
    ),
    PromptSpec(
        "documentation-writer",
        "Documentation writer",
        "Agent: write table and column comments that explain the schema.",
        "You are a documentation writer. Write clear comments for tables and columns that "
        "lack them (what a row is, units, allowed values, who writes it). Propose them as "
        "set_table_comment and alter_column comment ops, a few tables per proposal.",
    ),
    PromptSpec(
        "performance-optimizer",
        "Performance optimizer",
        "Agent: find missing or redundant indexes and other performance risks.",
        "You are a performance optimizer. Look for foreign keys without a supporting index, "
        "redundant or duplicate indexes, wide keys and types that will hurt. Ask about the "
        "heaviest queries when it matters; propose index changes with their trade-offs.",
    ),
    PromptSpec(
        "schema-validator",
        "Schema validator",
        "Agent: check integrity rules: keys, nullability, types, references.",
        "You are a schema validator. Check every table for a primary key, foreign keys whose "
        "column types differ from their targets, nullable columns that should not be, "
        "missing uniqueness and checks. Report each problem; propose fixes the person accepts.",
    ),
    PromptSpec(
        "migration-engineer",
        "Migration engineer",
        "Agent: plan schema changes safely, in reviewable, reversible steps.",
        "You are a migration engineer. Plan the change the person asks for as a sequence of "
        "small proposals, each safe on its own (add before drop, backfill before NOT NULL), "
        "and point out destructive steps and the data they touch.",
    ),
    PromptSpec(
        "query-assistant",
        "Query assistant",
        "Agent: write SQL queries against this schema, joining through its foreign keys.",
        "You are a query assistant. Write SQL for what the person asks, in this diagram's "
        "dialect, joining through its foreign keys and naming only columns that exist. "
        "Explain each query briefly. Do not change the schema unless asked.",
    ),
)

RULES = (
    "Work only through proposals: {create_table}, {modify_table}, {add_relationship} or "
    "{propose_changes} record a change without applying it. Show the person each "
    "proposal's diff, and apply with {apply_changes} only when they agree. Read more of "
    "the diagram with {get_schema} (name tables to see them in full)."
)


def register_prompts(server: MCPServer, state: AppState, settings: Settings) -> None:
    """Register every prompt of `PROMPTS`."""
    rules = RULES.format(
        **{
            tool.replace("-", "_"): wire_name(f"chartdb/{tool}", settings.tool_names)
            for tool in (
                "create-table",
                "modify-table",
                "add-relationship",
                "propose-changes",
                "apply-changes",
                "get-schema",
            )
        }
    )
    for spec in PROMPTS:
        register_prompt(server, state, spec, rules)
    refuse_bad_prompt_requests(server)


ARGUMENTS = {"diagram_id": True, "focus": False}
# A focus is a few sentences from the person; a longer one would crowd out the outline.
FOCUS_CHARS = 2_000


def prompt_request_problem(name: str, arguments: dict[str, Any] | None) -> str | None:
    """Why a prompts/get request cannot be served (unknown name, missing or unknown
    arguments), in a sentence for the client; None when it can."""
    names = [spec.name for spec in PROMPTS]
    if name not in names:
        return f"There is no prompt named {name!r}. The prompts are: {', '.join(names)}."
    given = set(arguments or {})
    missing = [arg for arg, required in ARGUMENTS.items() if required and arg not in given]
    if missing:
        return (
            f"Prompt {name!r} needs the argument {missing[0]!r}: the id of a diagram, "
            "as list-diagrams gives it."
        )
    unknown = sorted(given - set(ARGUMENTS))
    if unknown:
        return f"Prompt {name!r} takes diagram_id and focus, not {unknown}."
    focus = (arguments or {}).get("focus") or ""
    if len(focus) > FOCUS_CHARS:
        return (
            f"The focus of prompt {name!r} has {len(focus):,} characters; at most "
            f"{FOCUS_CHARS:,} are taken. Say what to look at in a few sentences."
        )
    return None


def refuse_bad_prompt_requests(server: MCPServer) -> None:
    """Answer an unknown prompt name or a missing argument with INVALID_PARAMS.

    The SDK turns both into a plain exception, which reaches the client as an internal
    error without the reason; checking first gives the client the sentence instead.
    """
    serve = server.get_prompt

    async def get_prompt(
        name: str, arguments: dict[str, Any] | None = None, context: Any = None
    ) -> Any:
        problem = prompt_request_problem(name, arguments)
        if problem is not None:
            raise MCPError(INVALID_PARAMS, problem)
        return await serve(name, arguments, context)

    # The request handler looks the method up on the instance at each request.
    setattr(server, "get_prompt", get_prompt)  # noqa: B010


def register_prompt(server: MCPServer, state: AppState, spec: PromptSpec, rules: str) -> None:
    """Register one prompt that takes a diagram id and an optional focus."""

    async def prompt(diagram_id: str, focus: str | None = None) -> str:
        try:
            diagram = await state.store.get(diagram_id)
        except ChartdbError as error:
            # A plain exception would reach the client as "Error rendering prompt" only.
            raise MCPError(INVALID_PARAMS, str(error)) from None
        query = SchemaQuery(limit=1000, max_chars=OUTLINE_CHARS)
        _, outline = schema_answer(diagram, query)
        parts = [spec.task, rules]
        if focus:
            parts.append(f"The person asks you to focus on: {focus}")
        parts += [f"The diagram (id {diagram.id}):", outline]
        return "\n\n".join(parts)

    prompt.__doc__ = spec.description
    server.prompt(name=spec.name, title=spec.title, description=spec.description)(prompt)


__all__ = ["PROMPTS", "register_prompts"]
