"""Public tracking numbers: random, so that nobody can walk from one complaint to the next.

"TS-" for a complaint (投诉), "JB-" for a report (举报), then 12 characters of Crockford base32
(no I, L, O, U: easy to read out on the phone) in groups of four: 60 random bits. Input is
normalised (case, spaces, the letters people confuse with digits) before a lookup.
"""

from __future__ import annotations

import re
import secrets

from ecredit.models.complaint import ComplaintKind

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = {ComplaintKind.COMPLAINT: "TS", ComplaintKind.REPORT: "JB"}
PATTERN = re.compile(r"^(TS|JB)-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
_CONFUSED = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_tracking_no(kind: ComplaintKind) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{PREFIX[kind]}-{body[:4]}-{body[4:8]}-{body[8:]}"


def normalise(value: str) -> str | None:
    """The canonical form of a typed tracking number, or None when it cannot be one."""
    compact = re.sub(r"[\s-]", "", value.upper())
    if len(compact) != 14 or compact[:2] not in ("TS", "JB"):
        return None
    body = compact[2:].translate(_CONFUSED)
    candidate = f"{compact[:2]}-{body[:4]}-{body[4:8]}-{body[8:]}"
    return candidate if PATTERN.match(candidate) else None
