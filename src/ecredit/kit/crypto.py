"""Cryptography for personal data, passwords and API keys.

Personal data at rest is sealed with an AEAD cipher: AES-256-GCM by default or SM4-GCM (Chinese
commercial cryptography, GB/T 32907) by setting. Each ciphertext carries the cipher's name, so a
deployment can switch ciphers without rewriting old rows. Exact lookup works through a keyed
blind index (HMAC-SHA256), never through the plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ecredit.config import Cipher as CipherName
from ecredit.config import Settings

KEY_FILE = "keys.json"


@dataclass(frozen=True)
class Keys:
    """The deployment's secrets, each 32 random bytes."""

    data_key: bytes
    blind_index_key: bytes
    session_secret: bytes


def load_keys(settings: Settings) -> Keys:
    """Keys from settings; on the embedded default, from data_dir/keys.json, made on first use."""
    configured = (settings.data_key, settings.blind_index_key, settings.session_secret)
    if all(configured):
        data, index, session = (base64.b64decode(k or "") for k in configured)
        return Keys(data, index, session)
    path = settings.data_dir / KEY_FILE
    if not path.exists():
        _write_new_key_file(path)
    stored = json.loads(path.read_text())
    return Keys(*(base64.b64decode(stored[name]) for name in Keys.__dataclass_fields__))


def _write_new_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {
        name: base64.b64encode(os.urandom(32)).decode() for name in Keys.__dataclass_fields__
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(content, handle)


SIGNING_KEY_FILE = "ledger-ed25519.key"


def load_signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The ledger's Ed25519 key from settings, or from data_dir (made on first use)."""
    if settings.ledger_signing_key:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(settings.ledger_signing_key))
    path = settings.data_dir / SIGNING_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(base64.b64encode(seed).decode())
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_text()))


class FieldCipher:
    """Seals and opens personal-data fields. Ciphertext text form: `<cipher>:<b64(nonce|ct)>`."""

    def __init__(self, data_key: bytes, default: CipherName = CipherName.AES_GCM) -> None:
        self.default = default
        self._keys = {
            CipherName.AES_GCM: _derive(data_key, b"ecredit aes-256-gcm", 32),
            CipherName.SM4_GCM: _derive(data_key, b"ecredit sm4-gcm", 16),
        }

    def encrypt(self, plaintext: str, context: str) -> str:
        """Seal `plaintext`; `context` (e.g. "subject.id_number") binds it to its column."""
        nonce = os.urandom(12)
        encryptor = Cipher(self._algorithm(self.default), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(context.encode())
        body = encryptor.update(plaintext.encode()) + encryptor.finalize()
        sealed = base64.b64encode(nonce + body + encryptor.tag).decode()
        return f"{self.default.value}:{sealed}"

    def decrypt(self, token: str, context: str) -> str:
        name, _, sealed = token.partition(":")
        raw = base64.b64decode(sealed)
        nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
        decryptor = Cipher(self._algorithm(CipherName(name)), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(context.encode())
        return (decryptor.update(body) + decryptor.finalize()).decode()

    def _algorithm(self, name: CipherName) -> algorithms.AES | algorithms.SM4:
        key = self._keys[name]
        return algorithms.AES(key) if name is CipherName.AES_GCM else algorithms.SM4(key)


def _derive(key: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(key)


class BlindIndex:
    """Keyed hash of a normalised value for exact-match lookups of encrypted columns."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, purpose: str, value: str) -> str:
        message = f"{purpose}\x00{value.strip().upper()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


_password_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_api_key() -> tuple[str, str, str]:
    """A fresh API key: (the key shown once, its public prefix, the stored hash).

    API keys are 256-bit random, so a plain SHA-256 is a sound stored form and keeps the lookup
    on every request cheap (argon2 is for guessable human passwords).
    """
    prefix = secrets.token_hex(4)
    key = f"ek_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_api_key(key)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


@dataclass(frozen=True)
class Vault:
    """What a service needs to seal, open and index personal data."""

    cipher: FieldCipher
    index: BlindIndex

    @classmethod
    def from_settings(cls, settings: Settings) -> Vault:
        keys = load_keys(settings)
        return cls(
            FieldCipher(keys.data_key, settings.personal_data_cipher),
            BlindIndex(keys.blind_index_key),
        )
