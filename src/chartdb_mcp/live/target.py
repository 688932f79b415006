"""Connection targets: what a user types to name a live database, checked and made usable.

A target is a connection URL (`postgresql://`, `mysql://`, `mariadb://`, `sqlite:///`)
or the path of a SQLite file. `parse_target` turns it into the SQLAlchemy URL we connect
with and a `display` form without any password, the only form that may be stored, logged
or shown. Error messages never repeat the password, even for input we cannot parse.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import InvalidConnectionTarget

logger = logging.getLogger(__name__)

# The driver we connect with for each accepted scheme, and the database family it names.
SCHEMES: dict[str, tuple[str, DatabaseType]] = {
    "postgresql": ("postgresql+psycopg", DatabaseType.POSTGRESQL),
    "postgres": ("postgresql+psycopg", DatabaseType.POSTGRESQL),
    "postgresql+psycopg": ("postgresql+psycopg", DatabaseType.POSTGRESQL),
    "mysql": ("mysql+pymysql", DatabaseType.MYSQL),
    "mysql+pymysql": ("mysql+pymysql", DatabaseType.MYSQL),
    "mariadb": ("mariadb+pymysql", DatabaseType.MARIADB),
    "mariadb+pymysql": ("mariadb+pymysql", DatabaseType.MARIADB),
    "sqlite": ("sqlite", DatabaseType.SQLITE),
    "sqlite+pysqlite": ("sqlite", DatabaseType.SQLITE),
}

# How each family is spelled in `display`: the plain scheme, without our driver.
DISPLAY_SCHEMES: dict[DatabaseType, str] = {
    DatabaseType.POSTGRESQL: "postgresql",
    DatabaseType.MYSQL: "mysql",
    DatabaseType.MARIADB: "mariadb",
}

# URL query keys that carry a secret; they are used to connect and never displayed.
SECRET_QUERY_KEYS = frozenset({"password", "passwd", "sslpassword", "ssl_key_password"})

SQLITE_HEADER = b"SQLite format 3\x00"
# Paths longer than this are shortened in messages.
LONGEST_PATH_SHOWN = 200
URL_SHAPE = "scheme://user[:password]@host[:port]/database"


@dataclass(frozen=True)
class ConnectionTarget:
    """A live database we may connect to.

    `url` carries the password and is for connecting only; `display` is the same address
    with the password removed, for storing, logging and messages. `database_type` comes
    from the scheme; introspection corrects MySQL to MariaDB from the server version.
    `sqlite_file` is the resolved path of a SQLite database, None for network databases.
    """

    url: URL = field(repr=False)
    database_type: DatabaseType
    display: str
    sqlite_file: Path | None = None

    @property
    def secrets(self) -> list[str]:
        """Every secret in the URL (password, secret query values), longest first."""
        values = [self.url.password or ""]
        for key, value in self.url.query.items():
            if key.lower() in SECRET_QUERY_KEYS:
                values += [value] if isinstance(value, str) else list(value)
        return sorted({str(value) for value in values if value}, key=len, reverse=True)


def parse_target(text: str) -> ConnectionTarget:
    """Check a connection URL or SQLite path and return the target it names.

    Raises InvalidConnectionTarget, with a message that says what is wrong and never
    contains the password, when the scheme is unknown, the host is missing, the text is
    not a URL, a PostgreSQL URL names no database, or a SQLite path is missing, a
    directory, unreadable or not a SQLite database.
    """
    stripped = text.strip()
    if not stripped:
        raise InvalidConnectionTarget("The connection target is empty; give a URL or a path.")
    if "://" in stripped:
        return parse_url(stripped)
    return sqlite_target(Path(stripped).expanduser(), given=stripped)


def parse_url(text: str) -> ConnectionTarget:
    """A target from a URL; SQLite URLs go through the same file checks as paths."""
    scheme = text.split("://", 1)[0].lower()
    if scheme not in SCHEMES:
        raise InvalidConnectionTarget(unknown_scheme_message(scheme))
    url = url_from_text(text, scheme)
    driver, database_type = SCHEMES[scheme]
    if database_type == DatabaseType.SQLITE:
        return sqlite_from_url(url)
    if not url.host:
        raise InvalidConnectionTarget(
            f"The {scheme}:// URL names no host; write it as {URL_SHAPE}."
        )
    if "@" in url.host:
        raise InvalidConnectionTarget(
            f"The {scheme}:// URL has more than one '@'; write an '@' inside the user name "
            "or password as %40."
        )
    # https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING: without
    # a dbname, libpq connects to the database named like the user, rarely the one meant.
    if database_type == DatabaseType.POSTGRESQL and not url.database:
        raise InvalidConnectionTarget(
            f"The {scheme}:// URL names no database; add /dbname after the host, as in {URL_SHAPE}."
        )
    url = url.set(drivername=driver)
    return ConnectionTarget(url=url, database_type=database_type, display=display_of(url))


def url_from_text(text: str, scheme: str) -> URL:
    """Parse with SQLAlchemy, replacing its errors with ours (theirs may quote the URL)."""
    problem = ""
    try:
        return make_url(text)
    except ArgumentError:
        problem = "it is not a well-formed URL"
    except ValueError:
        problem = "its port is not a number"
    raise InvalidConnectionTarget(
        f"The {scheme}:// connection URL cannot be read: {problem}. Write it as {URL_SHAPE}."
    )


def display_of(url: URL) -> str:
    """The URL as we show it: plain scheme, no password, no secret query values."""
    family = SCHEMES[url.drivername][1]
    query = {key: value for key, value in url.query.items() if key.lower() not in SECRET_QUERY_KEYS}
    shown = URL.create(
        DISPLAY_SCHEMES[family],
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=query,
    )
    return shown.render_as_string(hide_password=False)


def unknown_scheme_message(scheme: str) -> str:
    """Name the schemes we accept; quote the given one only if it looks like a scheme."""
    accepted = "postgresql://, postgres://, mysql://, mariadb://, sqlite:///path"
    if scheme.replace("+", "").isalnum() and len(scheme) <= 30:
        return f"Unknown database scheme {scheme + '://'!r}; use one of {accepted}."
    return f"The connection target is not a URL we understand; use one of {accepted}."


def sqlite_from_url(url: URL) -> ConnectionTarget:
    """A SQLite URL: it must name a file on disk (in-memory databases have no schema)."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise InvalidConnectionTarget(
            "A sqlite:/// URL must name a database file, as in sqlite:////path/to/file.db."
        )
    return sqlite_target(Path(database).expanduser(), given=database)


def sqlite_target(path: Path, *, given: str) -> ConnectionTarget:
    """A read-only target for an existing SQLite file; never creates one."""
    check_sqlite_file(path, given)
    resolved = path.resolve()
    # https://www.sqlite.org/uri.html: mode=ro opens read-only and fails if the file is gone
    url = URL.create("sqlite", database=resolved.as_uri(), query={"mode": "ro", "uri": "true"})
    return ConnectionTarget(
        url=url,
        database_type=DatabaseType.SQLITE,
        display=f"sqlite:///{resolved}",
        sqlite_file=resolved,
    )


def check_sqlite_file(path: Path, given: str) -> None:
    """Raise InvalidConnectionTarget unless `path` is a readable SQLite database file."""
    shown = quoted_path(given)
    header = b""
    try:
        if not path.exists():
            raise InvalidConnectionTarget(
                f"No SQLite database at {shown}: the file does not exist."
            )
        if path.is_dir():
            raise InvalidConnectionTarget(f"{shown} is a directory, not a SQLite database file.")
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        # Too long a name, a loop of links, no permission: the OS says which.
        reason = error.strerror or "it cannot be read"
        raise InvalidConnectionTarget(f"Cannot open {shown}: {reason}.") from None
    # An empty file is a valid, empty SQLite database.
    if header and header != SQLITE_HEADER:
        raise InvalidConnectionTarget(f"{shown} is not a SQLite database file.")


def quoted_path(given: str) -> str:
    """The path for a message; text with an '@' may be a mistyped URL with a password."""
    if "@" in given:
        return "the given path (it is not a URL either: URLs start with scheme://)"
    if len(given) > LONGEST_PATH_SHOWN:
        return f"{given[:LONGEST_PATH_SHOWN]!r}... ({len(given)} characters)"
    return repr(given)
