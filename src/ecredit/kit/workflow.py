"""Status changes as data: a transition table and the one guarded function that applies it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from ecredit.kit.errors import Conflict

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class TransitionTable(Generic[S]):
    """Which status may follow which. Anything not listed is forbidden (a 409)."""

    name: str
    allowed: Mapping[S, frozenset[S]]

    def can(self, current: S, target: S) -> bool:
        return target in self.allowed.get(current, frozenset())

    def check(self, current: S, target: S) -> None:
        if not self.can(current, target):
            allowed = sorted(s.value for s in self.allowed.get(current, frozenset()))
            raise Conflict(
                f"{self.name}: cannot move from '{current.value}' to '{target.value}'"
                f" (allowed from here: {', '.join(allowed) or 'none'})"
            )

    def all_pairs(self, states: type[S]) -> Iterator[tuple[S, S, bool]]:
        """Every (from, to, allowed) pair, so tests can cover the whole matrix."""
        for current in states:
            for target in states:
                yield current, target, self.can(current, target)
