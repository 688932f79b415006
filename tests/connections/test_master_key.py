"""The master key's sources and the sealing of secrets: private files, clear refusals."""

import base64
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from chartdb_mcp.errors import MasterKeyUnavailable
from chartdb_mcp.store.master_key import (
    KEY_ENV,
    EnvSource,
    FileSource,
    KeyringSource,
    KeySourceKind,
    key_source,
    keyring_usable,
)
from chartdb_mcp.store.secret_box import seal, unseal


def test_a_key_file_is_created_private_and_read_back(tmp_path: Path) -> None:
    source = FileSource(tmp_path / "keys" / "master.key")
    key = source.load(create=True)
    mode = stat.S_IMODE((tmp_path / "keys" / "master.key").stat().st_mode)
    assert mode == 0o600
    assert len(key) == 32
    assert source.load(create=False) == key


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    FileSource(path).load(create=True)
    os.chmod(path, 0o644)
    with pytest.raises(MasterKeyUnavailable, match="chmod 600"):
        FileSource(path).load(create=False)


def test_a_missing_key_file_is_not_created_when_only_reading(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyUnavailable, match="does not exist"):
        FileSource(tmp_path / "master.key").load(create=False)
    assert not (tmp_path / "master.key").exists()


def test_a_malformed_environment_key_is_refused_without_echoing_it() -> None:
    bad = base64.b64encode(b"too short for a key").decode()
    with pytest.raises(MasterKeyUnavailable) as raised:
        EnvSource({KEY_ENV: bad}).load(create=True)
    assert bad not in str(raised.value)
    assert "generate-key" in str(raised.value)


def test_the_fail_backend_and_an_empty_chain_are_not_usable(
    no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert keyring_usable() is False
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    assert keyring_usable() is False
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [fail.Keyring()])
    assert keyring_usable() is True


def test_without_a_keyring_backend_the_error_says_how_to_choose(
    tmp_path: Path, no_keyring: None
) -> None:
    with pytest.raises(MasterKeyUnavailable, match=r"--key-source file.*--key-source env"):
        key_source(None, db_path=str(tmp_path / "store.sqlite"))
    with pytest.raises(MasterKeyUnavailable, match="no usable backend"):
        key_source(KeySourceKind.KEYRING, db_path=str(tmp_path / "store.sqlite"))


def test_the_default_key_file_sits_beside_the_store(tmp_path: Path) -> None:
    source = key_source(KeySourceKind.FILE, db_path=str(tmp_path / "store.sqlite"))
    assert isinstance(source, FileSource)
    assert source.path == tmp_path / "master.key"


def test_sealed_secrets_open_only_for_their_profile_and_key() -> None:
    key, other_key = os.urandom(32), os.urandom(32)
    first = seal(key, "profile-a", "s3cret")
    second = seal(key, "profile-a", "s3cret")
    assert first.nonce != second.nonce and first.ciphertext != second.ciphertext
    assert b"s3cret" not in first.ciphertext
    assert unseal([key], "profile-a", first, "a") == "s3cret"
    assert unseal([other_key, key], "profile-a", first, "a") == "s3cret"
    with pytest.raises(MasterKeyUnavailable, match="'b'"):
        unseal([key], "profile-b", first, "b")
    with pytest.raises(MasterKeyUnavailable):
        unseal([other_key], "profile-a", first, "a")
    assert "s3cret" not in repr(first)


# keyring picks its backend, on first use, among every KeyringBackend subclass it knows;
# choosing it now keeps the one below from being picked for the rest of the session.
keyring.get_keyring()


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps its entries in a dict, as a desktop keyring would."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username))


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def test_a_usable_keyring_is_the_default_and_a_rotation_stages_then_promotes(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    source = key_source(None, db_path=str(tmp_path / "store.sqlite"))
    assert isinstance(source, KeyringSource)
    with pytest.raises(MasterKeyUnavailable, match="holds no chartdb-mcp master key"):
        source.load(create=False)
    old = source.load(create=True)
    assert source.load(create=False) == old
    sealed = seal(old, "p", "secret")
    new = os.urandom(32)
    source.stage(new)
    # Mid-rotation both keys open what either sealed.
    assert source.candidates() == [old, new]
    assert unseal(source.candidates(), "p", seal(new, "p", "secret"), "p") == "secret"
    source.promote()
    assert source.load(create=False) == new
    assert source.staged() is None
    assert ("chartdb-mcp", "master-key-next") not in memory_keyring.entries
    with pytest.raises(MasterKeyUnavailable):
        unseal(source.candidates(), "p", sealed, "p")
