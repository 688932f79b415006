"""The local database servers the benchmarks read, and running their command-line tools.

Each server is given as a URL without a database (`postgresql://postgres@127.0.0.1:5432`),
overridable through the environment. The same address feeds the server's import tool (as a
URL) and the vendor's tools (as flags plus a password variable, never on the command line).
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from bench.errors import CommandFailed, ToolMissing

SERVER_URL_ENV = {
    "postgresql": "CHARTDB_BENCH_POSTGRES_URL",
    "mariadb": "CHARTDB_BENCH_MARIADB_URL",
}
DEFAULT_SERVER_URL = {
    "postgresql": "postgresql://postgres@127.0.0.1:5432",
    "mariadb": "mariadb://root@127.0.0.1:3306",
}
# Where each family's command-line tools read the password from.
PASSWORD_ENV = {"postgresql": "PGPASSWORD", "mariadb": "MYSQL_PWD"}
# Flag spelling of host, port and user for psql/pg_dump and mariadb/mariadb-dump.
ADDRESS_FLAGS = {"postgresql": ("-h", "-p", "-U"), "mariadb": ("-h", "-P", "-u")}


@dataclass(frozen=True)
class ServerAddress:
    """Host, port and credentials of one database server."""

    dialect: str
    host: str
    port: int
    user: str
    password: str | None = None

    @classmethod
    def from_env(cls, dialect: str) -> "ServerAddress":
        """The address from `$CHARTDB_BENCH_<DIALECT>_URL`, else the local default."""
        parts = urlsplit(os.environ.get(SERVER_URL_ENV[dialect], DEFAULT_SERVER_URL[dialect]))
        return cls(
            dialect=dialect,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (5432 if dialect == "postgresql" else 3306),
            user=unquote(parts.username or ""),
            password=unquote(parts.password) if parts.password else None,
        )

    def url(self, database: str) -> str:
        """The connection URL of one database on this server, as the import tool takes it."""
        secret = f":{quote(self.password, safe='')}" if self.password else ""
        user = quote(self.user, safe="")
        return f"{self.dialect}://{user}{secret}@{self.host}:{self.port}/{database}"

    def cli_flags(self) -> list[str]:
        """Host, port and user flags for this family's command-line tools."""
        host, port, user = ADDRESS_FLAGS[self.dialect]
        return [host, self.host, port, str(self.port), user, self.user]

    def cli_env(self) -> dict[str, str]:
        """The environment for this family's tools: ours, plus the password if there is one."""
        env = dict(os.environ)
        if self.password:
            env[PASSWORD_ENV[self.dialect]] = self.password
        return env


def executable(*candidates: str) -> str:
    """The first of the candidate commands found on PATH; raises `ToolMissing` if none is."""
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise ToolMissing(" or ".join(candidates))


def run_tool(args: list[str], env: dict[str, str], stdin_text: str | None = None) -> str:
    """Run a command to completion and return its stdout; raises `CommandFailed` on error."""
    completed = subprocess.run(
        args, input=stdin_text, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise CommandFailed(os.path.basename(args[0]), completed.returncode, completed.stderr)
    return completed.stdout
