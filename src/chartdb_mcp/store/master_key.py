"""Where the master key that encrypts connection secrets is kept, and how it is replaced.

Three sources, chosen with the `--key-source` option (or `CHARTDB_MCP_KEY_SOURCE`):

- `keyring`: the operating system's keyring (Keychain, Secret Service, Windows Credential
  Locker), through the `keyring` library. The default when a usable backend exists.
- `file`: a file holding the key in base64, readable by its owner only (mode 0600),
  next to the store file or in the platform's user data folder. Created on first use.
- `env`: the base64 key in `CHARTDB_MCP_MASTER_KEY`, for containers and CI.

With no source chosen and no usable keyring, using a secret raises MasterKeyUnavailable
that says how to choose one. A key being replaced is staged beside the current one until
every secret is re-encrypted, so a crash in between never loses the secrets: each stored
secret names the key that sealed it (`key_id`) and either key opens it.
"""

import base64
import binascii
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import stat
from abc import ABC, abstractmethod
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from chartdb_mcp.errors import MasterKeyUnavailable
from chartdb_mcp.store.paths import APP_NAME, default_store_path

logger = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_ENV = "CHARTDB_MCP_MASTER_KEY"
NEW_KEY_ENV = "CHARTDB_MCP_NEW_MASTER_KEY"
KEY_SOURCE_ENV = "CHARTDB_MCP_KEY_SOURCE"
KEY_FILE_NAME = "master.key"
KEYRING_SERVICE = APP_NAME
KEYRING_ENTRY = "master-key"
KEYRING_STAGED_ENTRY = "master-key-next"
HOW_TO_CHOOSE = (
    "choose where the master key lives with --key-source file (a 0600 key file next to "
    f"the store) or --key-source env (a base64 32-byte key in ${KEY_ENV}), or set "
    f"${KEY_SOURCE_ENV}"
)


class KeySourceKind(StrEnum):
    """The places a master key can be kept."""

    KEYRING = "keyring"
    FILE = "file"
    ENV = "env"


def generate_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(KEY_BYTES)


def encode_key(key: bytes) -> str:
    """The key as the base64 text the file and environment sources hold."""
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, origin: str) -> bytes:
    """A key from base64 text; raises MasterKeyUnavailable naming `origin` (never the text)."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise MasterKeyUnavailable(
            f"The master key in {origin} is not {KEY_BYTES} bytes of base64; generate one "
            "with `chartdb-mcp generate-key`."
        )
    return key


def key_id(key: bytes) -> str:
    """A short public name of a key, stored with each secret; it reveals nothing of the key."""
    return hmac.new(key, b"chartdb-mcp master key id", hashlib.sha256).hexdigest()[:16]


class KeySource(ABC):
    """One place a master key is kept: read it, create it, stage and promote a new one."""

    kind: KeySourceKind

    @abstractmethod
    def load(self, *, create: bool) -> bytes:
        """The current key; created first when `create` and the source can create one."""

    @abstractmethod
    def staged(self) -> bytes | None:
        """A replacement key staged by an unfinished rotation, if any."""

    @abstractmethod
    def stage(self, new_key: bytes) -> None:
        """Keep `new_key` beside the current key until `promote`."""

    @abstractmethod
    def promote(self) -> None:
        """Make the staged key the current one."""

    def candidates(self) -> list[bytes]:
        """Every key that may have sealed a stored secret: the current one, then a staged one."""
        keys = [self.load(create=False)]
        staged = self.staged()
        if staged is not None and staged not in keys:
            keys.append(staged)
        return keys


class KeyringSource(KeySource):
    """The key in the operating system's keyring."""

    kind = KeySourceKind.KEYRING

    def load(self, *, create: bool) -> bytes:
        text = self._get(KEYRING_ENTRY)
        if text is None:
            if not create:
                raise MasterKeyUnavailable(
                    "The OS keyring holds no chartdb-mcp master key, so stored secrets "
                    "cannot be read; add the connection's secret again."
                )
            key = generate_key()
            self._set(KEYRING_ENTRY, encode_key(key))
            logger.info("created a master key in the OS keyring")
            return key
        return decode_key(text, "the OS keyring")

    def staged(self) -> bytes | None:
        text = self._get(KEYRING_STAGED_ENTRY)
        return None if text is None else decode_key(text, "the OS keyring")

    def stage(self, new_key: bytes) -> None:
        self._set(KEYRING_STAGED_ENTRY, encode_key(new_key))

    def promote(self) -> None:
        text = self._get(KEYRING_STAGED_ENTRY)
        if text is not None:
            self._set(KEYRING_ENTRY, text)
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, KEYRING_STAGED_ENTRY)

    def _get(self, entry: str) -> str | None:
        try:
            return keyring.get_password(KEYRING_SERVICE, entry)
        except keyring.errors.KeyringError as error:
            raise MasterKeyUnavailable(
                f"The OS keyring cannot be read ({error}); {HOW_TO_CHOOSE}."
            ) from None

    def _set(self, entry: str, value: str) -> None:
        try:
            keyring.set_password(KEYRING_SERVICE, entry, value)
        except keyring.errors.KeyringError as error:
            raise MasterKeyUnavailable(
                f"The OS keyring cannot be written ({error}); {HOW_TO_CHOOSE}."
            ) from None


class FileSource(KeySource):
    """The key in a file only its owner may read or write (mode 0600)."""

    kind = KeySourceKind.FILE

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def staged_path(self) -> Path:
        return self.path.with_name(self.path.name + ".next")

    def load(self, *, create: bool) -> bytes:
        if not self.path.exists():
            if not create:
                raise MasterKeyUnavailable(
                    f"The master key file {str(self.path)!r} does not exist, so stored "
                    "secrets cannot be read; add the connection's secret again."
                )
            key = generate_key()
            write_private(self.path, encode_key(key))
            logger.info("created the master key file %s", self.path)
            return key
        return read_private(self.path)

    def staged(self) -> bytes | None:
        return read_private(self.staged_path) if self.staged_path.exists() else None

    def stage(self, new_key: bytes) -> None:
        self.staged_path.unlink(missing_ok=True)
        write_private(self.staged_path, encode_key(new_key))

    def promote(self) -> None:
        if self.staged_path.exists():
            os.replace(self.staged_path, self.path)


class EnvSource(KeySource):
    """The key in an environment variable; a new key comes from a second variable."""

    kind = KeySourceKind.ENV

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def load(self, *, create: bool) -> bytes:
        text = self.environ.get(KEY_ENV)
        if not text:
            raise MasterKeyUnavailable(
                f"${KEY_ENV} is not set; put a base64 32-byte key there (generate one with "
                "`chartdb-mcp generate-key`)."
            )
        return decode_key(text, f"${KEY_ENV}")

    def staged(self) -> bytes | None:
        # The environment cannot record a staged key; a rotation names its new key in
        # NEW_KEY_ENV, and keeps it there until the old variable is updated.
        text = self.environ.get(NEW_KEY_ENV)
        return None if not text else decode_key(text, f"${NEW_KEY_ENV}")

    def stage(self, new_key: bytes) -> None:
        if self.staged() != new_key:
            raise MasterKeyUnavailable(
                f"With --key-source env the new key must be given in ${NEW_KEY_ENV}."
            )

    def promote(self) -> None:
        logger.warning("master key rotated: now set $%s to the value of $%s", KEY_ENV, NEW_KEY_ENV)


def read_private(path: Path) -> bytes:
    """The key in a file, refused when others may read or write the file."""
    shown = repr(str(path))
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise MasterKeyUnavailable(
                f"The master key file {shown} may be read by other users (mode "
                f"{stat.S_IMODE(mode):o}); make it private with `chmod 600 {path}`."
            )
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it cannot be read"
        raise MasterKeyUnavailable(f"Cannot read the master key file {shown}: {reason}.") from None
    return decode_key(text, f"the file {shown}")


def write_private(path: Path, text: str) -> None:
    """Create a new file readable and writable by its owner only, holding `text`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text)
    except OSError as error:
        raise MasterKeyUnavailable(
            f"Cannot create the master key file {str(path)!r}: {error.strerror or error}."
        ) from None


def keyring_usable() -> bool:
    """True when the keyring library found a real backend (not the fail or null one)."""
    backend: KeyringBackend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    # https://github.com/jaraco/keyring: the fail backend (and the null one) has priority 0
    # and stands in when no backend is available.
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def default_key_file(db_path: str) -> Path:
    """The key file beside the store file (or in the user data folder for `:memory:`)."""
    folder = default_store_path().parent if db_path == ":memory:" else Path(db_path).parent
    return folder / KEY_FILE_NAME


def key_source(
    kind: KeySourceKind | None,
    *,
    db_path: str,
    key_file: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> KeySource:
    """The chosen key source; without a choice, the keyring if it is usable.

    Raises MasterKeyUnavailable, saying how to choose, when nothing was chosen and the
    keyring has no usable backend, or when the keyring was chosen and has none.
    """
    if kind is KeySourceKind.FILE:
        return FileSource(Path(key_file).expanduser() if key_file else default_key_file(db_path))
    if kind is KeySourceKind.ENV:
        return EnvSource(environ)
    if keyring_usable():
        return KeyringSource()
    if kind is KeySourceKind.KEYRING:
        raise MasterKeyUnavailable(f"The OS keyring has no usable backend here; {HOW_TO_CHOOSE}.")
    raise MasterKeyUnavailable(
        f"No master key source is available to encrypt connection secrets: this machine "
        f"has no OS keyring backend; {HOW_TO_CHOOSE}."
    )
