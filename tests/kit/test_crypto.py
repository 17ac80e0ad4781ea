"""Sealed personal data, blind indexes, passwords and API keys."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from ecredit.config import Cipher, Settings
from ecredit.kit.crypto import (
    BlindIndex,
    FieldCipher,
    hash_api_key,
    hash_password,
    load_keys,
    new_api_key,
    verify_password,
)

KEY = bytes(range(32))
ID_NUMBER = "11010519491231002X"


@pytest.fixture(params=list(Cipher), ids=lambda c: c.value)
def cipher(request: pytest.FixtureRequest) -> FieldCipher:
    return FieldCipher(KEY, default=request.param)


class TestFieldCipher:
    def test_round_trips_when_same_context(self, cipher: FieldCipher) -> None:
        token = cipher.encrypt("张三 13800138000", "subject.phone")
        assert token.startswith(f"{cipher.default.value}:")
        assert "13800138000" not in token
        assert cipher.decrypt(token, "subject.phone") == "张三 13800138000"

    def test_differs_each_time_when_same_plaintext(self, cipher: FieldCipher) -> None:
        assert cipher.encrypt(ID_NUMBER, "c") != cipher.encrypt(ID_NUMBER, "c")

    def test_opens_old_rows_when_default_cipher_switches(self) -> None:
        aes = FieldCipher(KEY, default=Cipher.AES_GCM)
        sm4 = FieldCipher(KEY, default=Cipher.SM4_GCM)
        old = aes.encrypt(ID_NUMBER, "subject.id_number")
        new = sm4.encrypt(ID_NUMBER, "subject.id_number")
        assert sm4.decrypt(old, "subject.id_number") == ID_NUMBER
        assert aes.decrypt(new, "subject.id_number") == ID_NUMBER

    def test_fails_when_context_differs(self, cipher: FieldCipher) -> None:
        token = cipher.encrypt(ID_NUMBER, "subject.id_number")
        with pytest.raises(InvalidTag):
            cipher.decrypt(token, "subject.phone")

    def test_fails_when_ciphertext_tampered(self, cipher: FieldCipher) -> None:
        name, _, sealed = cipher.encrypt(ID_NUMBER, "c").partition(":")
        raw = bytearray(base64.b64decode(sealed))
        raw[14] ^= 0x01
        with pytest.raises(InvalidTag):
            cipher.decrypt(f"{name}:{base64.b64encode(bytes(raw)).decode()}", "c")

    def test_fails_when_cipher_name_swapped(self) -> None:
        token = FieldCipher(KEY, Cipher.AES_GCM).encrypt(ID_NUMBER, "c")
        forged = token.replace("aes-gcm:", "sm4-gcm:", 1)
        with pytest.raises((InvalidTag, ValueError)):
            FieldCipher(KEY).decrypt(forged, "c")

    def test_fails_when_key_differs(self, cipher: FieldCipher) -> None:
        token = cipher.encrypt(ID_NUMBER, "c")
        with pytest.raises(InvalidTag):
            FieldCipher(os.urandom(32), cipher.default).decrypt(token, "c")


class TestBlindIndex:
    def test_is_stable_when_value_differs_only_in_case_and_spaces(self) -> None:
        index = BlindIndex(KEY)
        assert index("id_number", ID_NUMBER) == index("id_number", " 11010519491231002x ")

    def test_differs_when_key_or_purpose_differs(self) -> None:
        value = BlindIndex(KEY)("id_number", ID_NUMBER)
        assert BlindIndex(os.urandom(32))("id_number", ID_NUMBER) != value
        assert BlindIndex(KEY)("phone", ID_NUMBER) != value
        assert len(value) == 64


class TestPasswords:
    def test_verifies_when_password_matches(self) -> None:
        stored = hash_password("correct horse 电池")
        assert stored.startswith("$argon2id$")
        assert verify_password(stored, "correct horse 电池")

    def test_refuses_when_password_differs_or_hash_is_garbage(self) -> None:
        stored = hash_password("correct horse")
        assert not verify_password(stored, "Correct horse")
        assert not verify_password("not-a-hash", "correct horse")


class TestApiKeys:
    def test_stored_hash_matches_when_key_presented(self) -> None:
        key, prefix, stored = new_api_key()
        assert key.startswith(f"ek_{prefix}_")
        assert hash_api_key(key) == stored
        assert hash_api_key(key + "x") != stored
        assert new_api_key()[0] != key


class TestLoadKeys:
    def test_uses_configured_keys_when_all_set(self, settings: Settings) -> None:
        keys = load_keys(settings)
        assert keys.data_key == base64.b64decode(settings.data_key or "")
        assert len(keys.blind_index_key) == 32
        assert not (settings.data_dir / "keys.json").exists()

    def test_writes_key_file_once_when_keys_unset(self, tmp_path: Path) -> None:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path / "data",
            data_key=None,
            blind_index_key=None,
            session_secret=None,
        )
        first = load_keys(settings)
        path = settings.data_dir / "keys.json"
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert set(json.loads(path.read_text())) == {
            "data_key",
            "blind_index_key",
            "session_secret",
        }
        assert load_keys(settings) == first
