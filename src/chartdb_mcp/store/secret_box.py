"""Sealing connection secrets with AES-256-GCM before they reach the store.

Each secret gets its own random 96-bit nonce. The profile id is the associated data, so a
sealed secret copied onto another profile's row fails to open instead of connecting to
the wrong database with the right password.
"""

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chartdb_mcp.errors import MasterKeyUnavailable
from chartdb_mcp.store.master_key import key_id

NONCE_BYTES = 12
ASSOCIATED_DATA_PREFIX = b"chartdb-mcp connection secret v1\x00"


@dataclass(frozen=True)
class SealedSecret:
    """A secret as stored: nonce, ciphertext (with its tag) and the id of the sealing key."""

    nonce: bytes
    ciphertext: bytes
    key_id: str

    def __repr__(self) -> str:
        return f"SealedSecret(key_id={self.key_id!r})"


def seal(key: bytes, profile_id: str, secret: str) -> SealedSecret:
    """Encrypt `secret` for the profile `profile_id` under `key`."""
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, secret.encode("utf-8"), _associated(profile_id))
    return SealedSecret(nonce=nonce, ciphertext=ciphertext, key_id=key_id(key))


def unseal(keys: list[bytes], profile_id: str, sealed: SealedSecret, name: str) -> str:
    """The secret, opened with whichever of `keys` sealed it.

    Raises MasterKeyUnavailable naming the profile `name` when no key fits or the
    ciphertext was altered or moved to another profile.
    """
    for key in keys:
        if key_id(key) != sealed.key_id:
            continue
        try:
            plain = AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, _associated(profile_id))
        except InvalidTag:
            break
        return plain.decode("utf-8")
    raise MasterKeyUnavailable(
        f"The secret of connection {name!r} cannot be decrypted with the current master key "
        "(the key was replaced or the stored secret altered); set the secret again with "
        "update-connection."
    )


def _associated(profile_id: str) -> bytes:
    return ASSOCIATED_DATA_PREFIX + profile_id.encode("utf-8")
