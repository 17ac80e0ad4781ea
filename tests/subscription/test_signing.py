"""Signatures: HMAC-SHA256 over timestamp.body, checked in constant time within a window."""

from __future__ import annotations

import hashlib
import hmac

from ecredit.subscription.signing import signature, verify

SECRET, BODY, NOW = "whsec_test", b'{"event_id":"e1"}', 1_800_000_000


class TestSignature:
    def test_is_hex_hmac_of_timestamp_dot_body_when_signed(self) -> None:
        expected = hmac.new(SECRET.encode(), b"1800000000." + BODY, hashlib.sha256).hexdigest()
        assert signature(SECRET, str(NOW), BODY) == f"sha256={expected}"


class TestVerify:
    def test_accepts_when_signature_matches_within_tolerance(self) -> None:
        header = signature(SECRET, str(NOW), BODY)
        assert verify(SECRET, str(NOW), BODY, header, now=NOW + 299)

    def test_refuses_when_body_changed(self) -> None:
        header = signature(SECRET, str(NOW), BODY)
        assert not verify(SECRET, str(NOW), BODY + b" ", header, now=NOW)

    def test_refuses_when_secret_differs(self) -> None:
        header = signature("whsec_other", str(NOW), BODY)
        assert not verify(SECRET, str(NOW), BODY, header, now=NOW)

    def test_refuses_when_timestamp_outside_tolerance(self) -> None:
        header = signature(SECRET, str(NOW), BODY)
        assert not verify(SECRET, str(NOW), BODY, header, now=NOW + 301)
        assert not verify(SECRET, str(NOW), BODY, header, now=NOW - 301)

    def test_refuses_when_timestamp_swapped_for_another(self) -> None:
        header = signature(SECRET, str(NOW), BODY)
        assert not verify(SECRET, str(NOW + 1), BODY, header, now=NOW)

    def test_refuses_when_timestamp_or_header_malformed(self) -> None:
        assert not verify(SECRET, "yesterday", BODY, "sha256=00", now=NOW)
        assert not verify(SECRET, str(NOW), BODY, "", now=NOW)
