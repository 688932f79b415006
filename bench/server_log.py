"""What the server's own log says about an import, at `--log-level INFO` or below.

The introspection layer logs one line when it has read the catalogs, with its duration; at
the default `WARNING` the line is not written and the phase stays unknown.
"""

import re

INTROSPECTED = re.compile(r" introspected .* in (?P<seconds>\d+(?:\.\d+)?)s$")


def introspect_seconds(lines: list[str]) -> float | None:
    """The duration of the last introspection logged in these lines, if any."""
    found = [match for line in lines if (match := INTROSPECTED.search(line))]
    return float(found[-1]["seconds"]) if found else None
