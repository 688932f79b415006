"""Turn the project's errors into tool errors the model can read and act on."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from pydantic import ValidationError

from chartdb_mcp.errors import ChartdbError

logger = logging.getLogger(__name__)


@contextmanager
def tool_errors(tool: str) -> Iterator[None]:
    """Report expected failures with their message; log anything else with a traceback."""
    try:
        yield
    except ChartdbError as error:
        logger.info("%s refused: %s", tool, error)
        raise ToolError(str(error)) from None
    except ValidationError as error:
        logger.info("%s refused invalid input", tool)
        raise ToolError(f"Invalid input: {_first_problems(error)}") from None
    except Exception:
        logger.exception("%s failed unexpectedly", tool)
        raise ToolError(
            f"{tool} failed unexpectedly; the server's log has the details. Nothing was changed."
        ) from None


@contextmanager
def resource_errors(uri: str) -> Iterator[None]:
    """The same conversion for resource reads."""
    try:
        yield
    except ChartdbError as error:
        raise ResourceError(str(error)) from None
    except Exception:
        logger.exception("reading %s failed unexpectedly", uri)
        raise ResourceError(f"Reading {uri} failed unexpectedly.") from None


def _first_problems(error: ValidationError, limit: int = 3) -> str:
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or 'value'}: {item['msg']}"
        for item in error.errors(include_url=False, include_input=False)[:limit]
    ]
    return "; ".join(problems)
