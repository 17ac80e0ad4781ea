"""Wrong answers to a public secret check, counted per target and per client address.

A public route that checks a secret (the phone given when a complaint was filed, a subject's
code, a staff password) runs the check through `Throttle.guarded`, in a transaction of its own
committed before the route's work begins, so a refusal's rollback cannot undo the count:

- the target's and the address's counters are locked first; if either is locked out, the
  answer is 429 without running the check, a right answer included (otherwise the lockout
  itself would tell a guesser when it had found the secret);
- a check that refuses (`Forbidden`, `Unauthorized`) counts one failure on both counters:
  once a counter has `throttle.failures_per_*` failures within `throttle.window_minutes`, it
  is locked for `throttle.lockout_minutes`;
- a check that passes clears the target's counter (the address keeps its failures: one
  complaint's own phone must not buy more guesses at others);
- any other error (a malformed input, an unknown number) is not a wrong answer: nothing is
  counted and it propagates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.errors import Forbidden, TooManyAttempts, Unauthorized
from ecredit.models.throttle import AttemptCounter
from ecredit.parameters.service import parameter_service
from ecredit.throttle import repository

T = TypeVar("T")
WRONG_ANSWERS = (Forbidden, Unauthorized)
ADDRESS_FIELD = "client_address"
PER_TARGET, PER_ADDRESS = "throttle.failures_per_target", "throttle.failures_per_address"


@dataclass(frozen=True)
class Attempt:
    """One answer to a secret: the rule (which check), the target it is about, by name and
    canonical value (`tracking_no` TS-…), and the client's address."""

    rule: str
    field: str
    target: str
    address: str


@dataclass(frozen=True)
class Limits:
    per_target: int
    per_address: int
    window: timedelta
    lockout: timedelta

    @classmethod
    def load(cls, session: Session) -> Limits:
        def get(key: str) -> int:
            return int(parameter_service.get(session, key))

        return cls(get(PER_TARGET), get(PER_ADDRESS),
                   timedelta(minutes=get("throttle.window_minutes")),
                   timedelta(minutes=get("throttle.lockout_minutes")))  # fmt: skip


@dataclass(frozen=True)
class Throttle:
    database: Database
    vault: Vault

    def guarded(self, attempt: Attempt, now: datetime, check: Callable[[Session], T]) -> T:
        """`check`'s result, run under the attempt's counters (see the module's docstring)."""
        refusal: TooManyAttempts | Forbidden | Unauthorized | None = None
        with self.database.unit_of_work() as session:
            repository.prune(session, now)
            limits = Limits.load(session)
            target, address = self._counters(session, attempt, now)
            refusal = _lockout(attempt, target, address, limits, now)
            if refusal is None:
                try:
                    result = check(session)
                except WRONG_ANSWERS as wrong:
                    _fail(target, limits.per_target, limits, now)
                    _fail(address, limits.per_address, limits, now)
                    refusal = wrong
                else:
                    _clear(target, now)
                    return result
        assert refusal is not None  # a passed check returned above
        raise refusal  # after the commit: the count stands whatever the route does next

    def _counters(
        self, session: Session, attempt: Attempt, now: datetime
    ) -> tuple[AttemptCounter, AttemptCounter]:
        """Target first, then address: every transaction locks in this order (no deadlock)."""
        keys = (f"{attempt.field}\x00{attempt.target}", f"{ADDRESS_FIELD}\x00{attempt.address}")
        target, address = (
            repository.locked_counter(session, attempt.rule, self.vault.index("throttle", key), now)
            for key in keys
        )
        return target, address


def _lockout(
    attempt: Attempt, target: AttemptCounter, address: AttemptCounter, limits: Limits,
    now: datetime,
) -> TooManyAttempts | None:  # fmt: skip
    """The refusal a locked counter earns, the target's before the address's."""
    window = int(limits.window.total_seconds() // 60)
    if _locked(target, now):
        message = (f"{attempt.rule}: {limits.per_target} wrong answers for this {attempt.field} "
                   f"within {window} minutes")  # fmt: skip
        return _refusal(attempt.field, PER_TARGET, message, target, limits.per_target, window, now)
    if _locked(address, now):
        message = (f"{attempt.rule}: {limits.per_address} wrong answers from this address "
                   f"within {window} minutes")  # fmt: skip
        return _refusal(ADDRESS_FIELD, PER_ADDRESS, message, address, limits.per_address, window,
                        now)  # fmt: skip
    return None


def _refusal(
    field: str, rule: str, message: str, counter: AttemptCounter, limit: int, window: int,
    now: datetime,
) -> TooManyAttempts:  # fmt: skip
    assert counter.locked_until is not None
    retry_after = max(1, math.ceil((counter.locked_until - now).total_seconds()))
    return TooManyAttempts(
        field, rule, f"{message}: locked, try again in {retry_after} s",
        retry_after=retry_after, limit=limit, window_minutes=window,
    )  # fmt: skip


def _locked(counter: AttemptCounter, now: datetime) -> bool:
    return counter.locked_until is not None and now < counter.locked_until


def _fail(counter: AttemptCounter, limit: int, limits: Limits, now: datetime) -> None:
    """One more failure; a window or lockout that is over starts the count afresh."""
    if now >= counter.window_start + limits.window or counter.locked_until is not None:
        counter.failures, counter.window_start, counter.locked_until = 0, now, None
    counter.failures += 1
    if counter.failures >= limit:
        counter.locked_until = now + limits.lockout
    counter.expires_at = max(counter.window_start + limits.window, counter.locked_until or now)


def _clear(counter: AttemptCounter, now: datetime) -> None:
    counter.failures, counter.window_start, counter.locked_until = 0, now, None
    counter.expires_at = now
