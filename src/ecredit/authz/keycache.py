"""A short-lived cache of API key hash → principal, so a hot route does not read the key on
every request.

Freshness: an entry lives at most `ttl` seconds (0.5 s) after it was read or last *confirmed*,
so a key revoked (or re-scoped) by any process stops working within that bound everywhere. A
process that watches a global change marker (ecredit.measure's check runtime reads one every
0.2 s) confirms every entry when the keys' part of the marker did not move (`confirm_all`), and
drops them all when it did (`bump_generation`): entries then do not expire together under load.
In this process any flush that touches an `ApiKey` or an `Organisation` drops every entry at
once (a generation counter), so a revocation made here is effective on the next request.
Unknown keys are never cached.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.models.org import ApiKey, Organisation

DEFAULT_TTL = 0.5
MAX_ENTRIES = 10_000

_generation = itertools.count(1)
_current = [0]
_installed = threading.Lock()
_listening = [False]
_confirmed_at = [0.0]  # monotonic time as of which every cached entry was confirmed valid


def current_generation() -> int:
    return _current[0]


def bump_generation() -> None:
    _current[0] = next(_generation)


def confirm_all(as_of: float) -> None:
    """Nothing about keys changed up to the monotonic time `as_of` (see the module docstring)."""
    _confirmed_at[0] = max(_confirmed_at[0], as_of)


def _after_flush(session: Session, _context: Any) -> None:
    touched = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(item, (ApiKey, Organisation)) for item in touched):
        bump_generation()


def install_invalidation() -> None:
    """Listen to every session's flushes (once per process)."""
    with _installed:
        if not _listening[0]:
            event.listen(Session, "after_flush", _after_flush)
            _listening[0] = True


class PrincipalCache:
    """key hash → (principal, loaded at, generation); see the module docstring."""

    def __init__(self, ttl: float = DEFAULT_TTL, max_entries: int = MAX_ENTRIES) -> None:
        install_invalidation()
        self.ttl, self.max_entries = ttl, max_entries
        self._entries: dict[str, tuple[Principal, float, int]] = {}

    def get(self, key_hash: str) -> Principal | None:
        entry = self._entries.get(key_hash)
        if entry is None:
            return None
        principal, loaded_at, generation = entry
        fresh_as_of = max(loaded_at, _confirmed_at[0])
        if generation != _current[0] or time.monotonic() - fresh_as_of > self.ttl:
            self._entries.pop(key_hash, None)
            return None
        return principal

    def put(self, key_hash: str, principal: Principal, generation: int, loaded_at: float) -> None:
        """Store a principal read at `loaded_at` under `generation` (taken before the read)."""
        if generation != _current[0]:
            return  # a key or organisation changed while we read: do not keep what we read
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key_hash] = (principal, loaded_at, generation)
