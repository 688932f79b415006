"""From a connection profile and its opened secret to a target we can connect to.

The secret is put into the URL here and nowhere else; the target's `display` form,
the only one that is logged or shown, never carries it.
"""

from pathlib import Path

from sqlalchemy.engine import URL

from chartdb_mcp.core.connections import ConnectionProfile, SecretKind
from chartdb_mcp.core.model import DatabaseType
from chartdb_mcp.errors import InvalidConnectionTarget
from chartdb_mcp.live.target import ConnectionTarget, parse_target, sqlite_target

SCHEME_OF: dict[DatabaseType, str] = {
    DatabaseType.POSTGRESQL: "postgresql",
    DatabaseType.MYSQL: "mysql",
    DatabaseType.MARIADB: "mariadb",
}


def profile_target(
    profile: ConnectionProfile, secret: str | None, *, writable: bool = False
) -> ConnectionTarget:
    """The target a profile names; a SQLite file opens read-only unless `writable`.

    Raises InvalidConnectionTarget (never quoting the secret) when the profile's parts
    or its URL do not make a usable address, or the URL's database family differs from
    the profile's dialect.
    """
    if profile.secret_kind is SecretKind.URL and secret is not None:
        target = parse_target(secret)
        if not same_family(target.database_type, profile.dialect):
            raise InvalidConnectionTarget(
                f"The URL of connection {profile.name!r} is for {target.database_type.value}, "
                f"but the connection's dialect is {profile.dialect.value}."
            )
    elif profile.dialect == DatabaseType.SQLITE:
        if not profile.database:
            raise InvalidConnectionTarget(
                f"Connection {profile.name!r} names no SQLite file; set its database to a path."
            )
        target = sqlite_target(Path(profile.database).expanduser(), given=profile.database)
    else:
        url = URL.create(
            SCHEME_OF[profile.dialect],
            username=profile.username,
            password=secret,
            host=profile.host,
            port=profile.port,
            database=profile.database,
            query=profile.options,
        )
        target = parse_target(url.render_as_string(hide_password=False))
    if writable and target.sqlite_file is not None:
        # Without mode=ro: the only difference between a reading and a writing SQLite target.
        url = URL.create("sqlite", database=str(target.sqlite_file))
        target = ConnectionTarget(
            url=url,
            database_type=target.database_type,
            display=target.display,
            sqlite_file=target.sqlite_file,
        )
    return target


def same_family(found: DatabaseType, expected: DatabaseType) -> bool:
    """MySQL and MariaDB speak one protocol, so either URL fits either dialect."""
    mysql_family = {DatabaseType.MYSQL, DatabaseType.MARIADB}
    return found == expected or {found, expected} <= mysql_family
