"""Webhook signatures: HMAC-SHA256 over `timestamp + "." + body`, for senders and receivers.

Standard library only, so a receiver may copy this file as it is. The header reads
`X-Ecredit-Signature: sha256=<hex>`; the timestamp (Unix seconds) travels in
`X-Ecredit-Timestamp` and is signed with the body, so an old delivery cannot be replayed
outside the tolerance window.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SCHEME = "sha256="
EVENT_ID_HEADER = "X-Ecredit-Event-Id"
EVENT_TYPE_HEADER = "X-Ecredit-Event-Type"
TIMESTAMP_HEADER = "X-Ecredit-Timestamp"
SIGNATURE_HEADER = "X-Ecredit-Signature"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of the signature header: `sha256=` and the hex HMAC of `timestamp.body`."""
    message = timestamp.encode() + b"." + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature_header: str,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """True when `signature_header` signs exactly `timestamp` and `body` with `secret` and the
    timestamp lies within `tolerance_s` seconds of `now` (default: the current time).

    Pass the raw request body, not re-serialised JSON: one changed byte breaks the signature.
    """
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance_s:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), (signature_header or "").strip().encode())
