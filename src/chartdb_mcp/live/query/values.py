"""Turning driver values into JSON-safe values with a type name a person can read."""

import base64
import datetime as dt
import decimal
import json
import math
import uuid
from typing import Any

JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]

# Bytes longer than this are shown by size, not content.
LONGEST_BYTES = 1024


def json_value(value: Any) -> tuple[JsonValue, str]:
    """The value as JSON can carry it, and its type: integer, number, decimal, text, ..."""
    if value is None:
        return None, "null"
    if isinstance(value, bool):
        return value, "boolean"
    if isinstance(value, int):
        return value, "integer"
    if isinstance(value, float):
        # JSON has no NaN or infinity; they travel as text.
        return (value if math.isfinite(value) else str(value)), "number"
    if isinstance(value, decimal.Decimal):
        # As text, so no digit is lost on the way.
        return str(value), "decimal"
    if isinstance(value, str):
        return value, "text"
    if isinstance(value, dt.datetime):
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date):
        return value.isoformat(), "date"
    if isinstance(value, dt.time):
        return value.isoformat(), "time"
    if isinstance(value, dt.timedelta):
        return value.total_seconds(), "interval_seconds"
    if isinstance(value, uuid.UUID):
        return str(value), "uuid"
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        if len(data) > LONGEST_BYTES:
            return f"<{len(data)} bytes>", "bytes"
        return base64.b64encode(data).decode("ascii"), "bytes_base64"
    if isinstance(value, list | tuple | dict):
        return _json_container(value), "json"
    return str(value), "text"


def _json_container(value: Any) -> JsonValue:
    """Lists and documents (arrays, JSON columns) kept as they are when JSON can hold them."""
    try:
        loaded: JsonValue = json.loads(json.dumps(value, default=lambda item: json_value(item)[0]))
        return loaded
    except (TypeError, ValueError):
        return str(value)
