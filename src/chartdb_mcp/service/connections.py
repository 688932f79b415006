"""Connection profiles: add, list, change, remove, choose, test, and open them for use.

Secrets arrive here in plain text from the caller, are sealed at once with the master
key, and leave only as a connection target for the live layer. No function returns,
logs or puts into an error message a secret: profiles carry none, and driver messages
are scrubbed by the live layer before they get here.
"""

import logging
import shlex
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import anyio.to_thread
from pydantic import BaseModel, Field, ValidationError

from chartdb_mcp.core.connections import (
    ADDRESS_FIELDS,
    ConnectionProfile,
    ConnectionStatus,
    SecretKind,
    lifts_production_guard,
)
from chartdb_mcp.core.model import DatabaseType, utc_now
from chartdb_mcp.errors import ChartdbError, InvalidInput, ProductionGuardLocked
from chartdb_mcp.live.engines import connect
from chartdb_mcp.live.query.runner import server_version
from chartdb_mcp.live.query.targets import profile_target
from chartdb_mcp.live.target import SECRET_QUERY_KEYS, ConnectionTarget, parse_target
from chartdb_mcp.store import DiagramStore
from chartdb_mcp.store.connections import KEEP_SECRET, ConnectionStore, KeepSecret
from chartdb_mcp.store.master_key import KeySource
from chartdb_mcp.store.secret_box import SealedSecret, seal, unseal

logger = logging.getLogger(__name__)

# Builds the key source when a secret is first needed, so that a server without one
# still serves everything else.
KeySourceFactory = Callable[[], KeySource]

# Fields a caller may set on a profile, besides the secret.
EDITABLE = (
    "name",
    "environment",
    "color",
    "dialect",
    "host",
    "port",
    "database",
    "username",
    "options",
    "allow_writes",
    "production_writes_unlocked",
)


class ConnectionTest(BaseModel):
    """The outcome of trying a profile: online with the server's version, or the error."""

    connection: str
    status: ConnectionStatus
    message: str
    server_version: str | None = None
    last_connected_at: datetime | None = None
    seconds: float


class Secret(BaseModel):
    """A secret given by the caller: exactly one of a password or a full URL."""

    password: str | None = Field(default=None, repr=False)
    url: str | None = Field(default=None, repr=False)


async def add_connection(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    fields: dict[str, Any],
    secret: Secret,
    *,
    unlock_confirmed: bool = False,
) -> ConnectionProfile:
    """Add a profile to a diagram; the first one becomes its active profile.

    A URL fills the dialect and address fields it names. Raises InvalidInput for a bad
    field or both a password and a URL, InvalidConnectionTarget for an unusable address,
    MasterKeyUnavailable when a secret must be sealed and no key source works, and
    ProductionGuardLocked for a profile added with production writes unlocked unless
    `unlock_confirmed` says the person agreed.
    """
    if secret.password is not None and secret.url is not None:
        raise InvalidInput("Give either a password or a url, not both.")
    secret, fields = _split_url(secret, fields)
    profile = _validated({**_set(fields), "diagram_id": diagram_id, "secret_kind": _kind(secret)})
    if lifts_production_guard(None, profile) and not unlock_confirmed:
        raise ProductionGuardLocked(guard_locked_message(profile))
    text = secret.url if secret.url is not None else secret.password
    profile_target(profile, text)
    sealed = await _seal(keys, profile.id, text) if text is not None else None
    await ConnectionStore(store).add(profile, sealed)
    return (await ConnectionStore(store).get(diagram_id, profile.id))[0]


async def list_connections(store: DiagramStore, diagram_id: str) -> list[ConnectionProfile]:
    """The diagram's profiles by name."""
    return await ConnectionStore(store).list_profiles(diagram_id)


async def get_connection(store: DiagramStore, diagram_id: str, name: str) -> ConnectionProfile:
    """One profile by name or id; raises ConnectionProfileNotFound."""
    return (await ConnectionStore(store).get(diagram_id, name))[0]


async def update_connection(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    name: str,
    fields: dict[str, Any],
    secret: Secret,
    *,
    clear_secret: bool = False,
    unlock_confirmed: bool = False,
) -> ConnectionProfile:
    """Change the given fields of a profile and, when given, its secret; the rest stays.

    A change that lifts the guard on production writes (see `lifts_production_guard`)
    raises ProductionGuardLocked, changing nothing, unless `unlock_confirmed` says the
    person agreed to it.
    """
    connections = ConnectionStore(store)
    current, _sealed = await connections.get(diagram_id, name)
    if secret.password is not None and secret.url is not None:
        raise InvalidInput("Give either a password or a url, not both.")
    if clear_secret and (secret.password is not None or secret.url is not None):
        raise InvalidInput("Give a new secret or clear_secret, not both.")
    secret, changes = _split_url(secret, fields)
    new_kind: SecretKind | None = current.secret_kind
    sealed: SealedSecret | KeepSecret | None = KEEP_SECRET
    text = secret.url if secret.url is not None else secret.password
    if text is not None:
        new_kind = _kind(secret)
    elif clear_secret:
        new_kind, sealed = None, None
    updated = _changed(current, changes, new_kind)
    if lifts_production_guard(current, updated) and not unlock_confirmed:
        raise ProductionGuardLocked(guard_locked_message(updated))
    if text is not None:
        profile_target(updated, text)
        sealed = await _seal(keys, updated.id, text)
    return await connections.update(updated, sealed)


async def planned_unlock(
    store: DiagramStore, diagram_id: str, name: str, fields: dict[str, Any], url: str | None
) -> ConnectionProfile | None:
    """The profile as `fields` (and the parts of `url`) would leave it when that change
    lifts the guard on production writes, so the person can be asked first; None when
    it lifts nothing. Changes nothing, and reads no secret."""
    current, _sealed = await ConnectionStore(store).get(diagram_id, name)
    _secret, changes = _split_url(Secret(url=url), fields)
    updated = _changed(current, changes, current.secret_kind)
    return updated if lifts_production_guard(current, updated) else None


async def set_production_unlock(
    store: DiagramStore, diagram_id: str, name: str, unlocked: bool
) -> ConnectionProfile:
    """Lift (`unlocked`) or restore the guard on production writes of one profile.

    This is the person's own way to decide, from the command line: it asks no one.
    """
    connections = ConnectionStore(store)
    current, _sealed = await connections.get(diagram_id, name)
    updated = current.model_copy(update={"production_writes_unlocked": unlocked})
    saved = await connections.update(updated)
    logger.info(
        "production writes %s on connection %r of diagram %s",
        "unlocked" if unlocked else "locked",
        saved.name,
        diagram_id,
    )
    return saved


def guard_locked_message(profile: ConnectionProfile) -> str:
    """Why a change that lifts the production guard was refused, and how the person can
    lift it themselves; names the profile, never a secret."""
    return (
        f"Only the person can lift the guard on production writes of connection "
        f"{profile.name!r} ({profile.environment}, database {profile.database or '-'!r}), "
        "and this host cannot ask them. Nothing was changed. To lift it, run in a terminal: "
        f"chartdb-mcp unlock-production --diagram {profile.diagram_id} "
        f"--connection {shlex.quote(profile.name)} "
        "(with the same --db-path as the server); lock-production restores it."
    )


async def remove_connection(store: DiagramStore, diagram_id: str, name: str) -> ConnectionProfile:
    """Delete a profile and its query history; returns what was removed."""
    return await ConnectionStore(store).remove(diagram_id, name)


async def use_connection(store: DiagramStore, diagram_id: str, name: str) -> ConnectionProfile:
    """Make a profile the diagram's active one; tools that take no name use it."""
    return await ConnectionStore(store).activate(diagram_id, name)


async def open_profile(
    store: DiagramStore,
    keys: KeySourceFactory,
    diagram_id: str,
    name: str | None,
    *,
    writable: bool = False,
) -> tuple[ConnectionProfile, ConnectionTarget]:
    """A profile (the active one when `name` is None) and its target, secret opened."""
    profile, sealed = await ConnectionStore(store).get(diagram_id, name)
    secret = None
    if sealed is not None:
        source = keys()
        candidates = await anyio.to_thread.run_sync(source.candidates)
        secret = unseal(candidates, profile.id, sealed, profile.name)
    return profile, profile_target(profile, secret, writable=writable)


async def test_connection(
    store: DiagramStore, keys: KeySourceFactory, diagram_id: str, name: str | None
) -> ConnectionTest:
    """Connect once, read the server's version, and record the outcome on the profile.

    A database that cannot be reached is a result (status error, with the database's
    own message, secrets removed), not an exception.
    """
    started = time.monotonic()
    profile, target = await open_profile(store, keys, diagram_id, name)
    version: str | None = None
    message = ""
    try:
        version = await anyio.to_thread.run_sync(_probe, target)
    except ChartdbError as error:
        message = str(error)
    now = utc_now()
    status = ConnectionStatus.ERROR if message else ConnectionStatus.ONLINE
    recorded = profile.model_copy(
        update={
            "last_status": status,
            "last_error": message or None,
            "last_tested_at": now,
            "server_version": version or profile.server_version,
            "last_connected_at": now
            if status is ConnectionStatus.ONLINE
            else profile.last_connected_at,
        }
    )
    await ConnectionStore(store).update(recorded)
    logger.info("tested connection %r of diagram %s: %s", profile.name, diagram_id, status)
    return ConnectionTest(
        connection=profile.name,
        status=status,
        message=message or f"Connected to {target.display}.",
        server_version=recorded.server_version,
        last_connected_at=recorded.last_connected_at,
        seconds=time.monotonic() - started,
    )


async def rotate_master_key(store: DiagramStore, source: KeySource, new_key: bytes) -> int:
    """Re-seal every stored secret under `new_key` in one transaction; returns how many.

    The new key is staged first and made current only after the transaction commits,
    so a failure at any point leaves every secret readable with one of the two keys.
    A key still staged by an interrupted rotation is made current first, the same way.
    """
    candidates = await anyio.to_thread.run_sync(source.candidates)
    pending = await anyio.to_thread.run_sync(source.staged)
    if pending is not None and pending != new_key:
        # An earlier rotation stopped after staging its key, perhaps after resealing
        # under it: finish that one first, so staging the new key discards no key that
        # still opens a secret.
        await _reseal_all(store, candidates, pending)
        await anyio.to_thread.run_sync(source.promote)
        logger.info("finished an interrupted master key rotation")
        candidates = [pending]
    await anyio.to_thread.run_sync(source.stage, new_key)
    count = await _reseal_all(store, candidates, new_key)
    await anyio.to_thread.run_sync(source.promote)
    logger.info("master key rotated; %d connection secrets re-encrypted", count)
    return count


async def _reseal_all(store: DiagramStore, candidates: list[bytes], new_key: bytes) -> int:
    """Every stored secret opened with one of `candidates` and sealed under `new_key`."""

    def reseal(profile_id: str, name: str, sealed: SealedSecret) -> SealedSecret:
        return seal(new_key, profile_id, unseal(candidates, profile_id, sealed, name))

    return await ConnectionStore(store).reseal_all(reseal)


def _changed(
    current: ConnectionProfile, changes: dict[str, Any], new_kind: SecretKind | None
) -> ConnectionProfile:
    """`current` with `changes` made, checked, and what they outdate cleared."""
    # A changed address clears the last test: it said nothing about the new one.
    cleared: dict[str, Any] = {"last_status": None, "last_error": None, "server_version": None}
    # A lifted guard belongs to the label and database it was lifted for: unlocking
    # writes on a staging profile must not unlock them once it is relabelled
    # production, nor unlocking one production database unlock another.
    relabelled = changes.get("environment", current.environment) != current.environment
    moved = any(
        field in changes and changes[field] != getattr(current, field) for field in ADDRESS_FIELDS
    )
    if (relabelled or moved) and "production_writes_unlocked" not in changes:
        cleared["production_writes_unlocked"] = False
    return _validated({**current.model_dump(), **changes, **cleared, "secret_kind": new_kind})


def _probe(target: ConnectionTarget) -> str | None:
    with connect(target) as connection:
        return server_version(connection)


async def _seal(keys: KeySourceFactory, profile_id: str, text: str) -> SealedSecret:
    """Seal under the current key, read (or created) off the event loop: a keyring may
    talk to a desktop service, a key file is disk I/O."""
    source = keys()
    key = await anyio.to_thread.run_sync(partial(source.load, create=True))
    return seal(key, profile_id, text)


def _split_url(secret: Secret, fields: dict[str, Any]) -> tuple[Secret, dict[str, Any]]:
    """The address fields of a given URL added to `fields`; a URL without secrets is
    kept as those fields alone, so it needs no master key."""
    if secret.url is None:
        return secret, _set(fields)
    target = parse_target(secret.url)
    merged = {**_fields_from_url(target), **_set(fields)}
    return (secret if target.secrets else Secret()), merged


def _kind(secret: Secret) -> SecretKind | None:
    if secret.url is not None:
        return SecretKind.URL
    return SecretKind.PASSWORD if secret.password is not None else None


def _set(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields the caller gave (None means not given), refusing unknown ones."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"Unknown connection fields: {', '.join(unknown)}.")
    # Options are stored and listed as they are; a secret among them would be neither
    # encrypted nor hidden.
    secret_options = sorted(
        key for key in fields.get("options") or {} if key.lower() in SECRET_QUERY_KEYS
    )
    if secret_options:
        listed = ", ".join(repr(key) for key in secret_options)
        raise InvalidInput(
            f"The option {listed} holds a secret, and options are stored unencrypted; "
            "give the password as password, or the whole address as url."
        )
    return {key: value for key, value in fields.items() if value is not None}


def _fields_from_url(target: ConnectionTarget) -> dict[str, Any]:
    """The address fields a URL names (never its password or secret options)."""
    url = target.url
    if target.sqlite_file is not None:
        return {"dialect": DatabaseType.SQLITE, "database": str(target.sqlite_file)}
    options = {
        key: value
        for key, value in url.query.items()
        if isinstance(value, str) and key.lower() not in SECRET_QUERY_KEYS
    }
    return {
        "dialect": target.database_type,
        "host": url.host,
        "port": url.port,
        "database": url.database,
        "username": url.username,
        "options": options,
    }


def _validated(document: dict[str, Any]) -> ConnectionProfile:
    try:
        return ConnectionProfile.model_validate(document)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors(include_url=False, include_input=False)[:3]
        )
        raise InvalidInput(f"Invalid connection: {problems}.") from None
