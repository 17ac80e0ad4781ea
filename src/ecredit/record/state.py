"""The current state of a record: the fold of its original and its amendments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ecredit.models.record import CreditRecord, EntryAction


@dataclass(frozen=True)
class RecordState:
    """A logical record: its original entry and every later entry that amends it."""

    entries: tuple[CreditRecord, ...]  # the original first, then amendments in order

    @property
    def original(self) -> CreditRecord:
        return self.entries[0]

    @property
    def current(self) -> CreditRecord:
        """The latest version of the facts: the original or its latest correction."""
        versions = [e for e in self.entries if e.action in _VERSIONS]
        return versions[-1]

    def _has(self, action: EntryAction) -> bool:
        return any(entry.action is action for entry in self.entries)

    @property
    def revoked(self) -> bool:
        return self._has(EntryAction.REVOCATION)

    @property
    def repaired(self) -> bool:
        return self._has(EntryAction.REPAIR)

    @property
    def public_from(self) -> date | None:
        return self.current.public_from

    @property
    def public_until(self) -> date | None:
        """The window's last day: the version's own end, or an earlier end by an expiry entry."""
        ends = [e.public_until for e in self.entries if e.action is EntryAction.EXPIRY]
        candidates = [d for d in [self.current.public_until, *ends] if d is not None]
        return min(candidates) if candidates else None

    def status(self, today: date) -> str:
        if self.revoked:
            return "revoked"
        if self.repaired:
            return "repaired"
        if self.public_until is not None and self.public_until < today:
            return "expired"
        return "in_force"

    def is_public(self, today: date) -> bool:
        """Inside its display window, and neither revoked nor repaired."""
        if self.revoked or self.repaired or self.public_from is None:
            return False
        if today < self.public_from:
            return False
        return self.public_until is None or today <= self.public_until


_VERSIONS = frozenset({EntryAction.ORIGINAL, EntryAction.CORRECTION})


def fold(entries: list[CreditRecord]) -> list[RecordState]:
    """Group entries into logical records (by their original), in the order they were made."""
    families: dict[int, list[CreditRecord]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.id):
        families[entry.amends_id or entry.id].append(entry)
    return [RecordState(tuple(family)) for family in families.values()]
