"""When a credit fact is shown to the public, from its record type's publicity rule.

Convention (the Civil Code's way of counting periods, 《民法典》第二百零一条、第二百零二条):
a period of N months from a decision made on day D does not count D itself, and ends on the day
of the N-th following month that has D's number; when that month has no such day, on its last
day. So the window is

    public_from  = D                       (shown from the day of the decision)
    public_until = add_months(D, N)        (the LAST day shown, inclusive)

e.g. 3 months from 2026-01-31 ends on 2026-04-30, 3 months from 2026-01-15 on 2026-04-15, and
12 months from 2024-02-29 on 2025-02-28. Both ends are inclusive everywhere in this package.

`(None, None)` means "never published". `(D, None)` means "published with no end date yet"
(a list entry or licence whose `valid_until` is not known; a later entry ends it).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ecredit.catalog.schema import (
    ByPenaltyKind,
    BySeverity,
    Fixed,
    NotPublished,
    PenaltyKind,
    RecordTypeSpec,
    Severity,
    WhileValid,
)

Window = tuple[date | None, date | None]


class PublicityInputError(ValueError):
    """The record lacks what its type's publicity rule needs (e.g. a penalty kind); `field`
    names the record field at fault, so an API error can point at it."""

    def __init__(self, message: str, field: str = "penalty_kind") -> None:
        super().__init__(message)
        self.field = field


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def public_window(
    spec: RecordTypeSpec,
    severity: Severity | str | None,
    decision_date: date,
    penalty_kind: str | None,
    valid_until: date | None,
) -> Window:
    """(public_from, public_until), both inclusive; see the module docstring for the counting.

    `severity` defaults to the type's `default_severity`. `penalty_kind` is needed by
    by-penalty-kind rules; `valid_until` by while-valid rules (and extends long restrictions).
    """
    if valid_until is not None and valid_until < decision_date:
        raise PublicityInputError("valid_until must not be before the decision date", "valid_until")
    rule = spec.publicity
    if isinstance(rule, NotPublished):
        return None, None
    if isinstance(rule, WhileValid):
        return decision_date, valid_until
    if isinstance(rule, Fixed):
        return decision_date, add_months(decision_date, rule.months)
    if isinstance(rule, BySeverity):
        months = rule.months(_severity(spec, severity))
        return decision_date, add_months(decision_date, months)
    return _by_penalty_kind(rule, decision_date, _penalty_kind(penalty_kind), valid_until)


def earliest_repair(
    spec: RecordTypeSpec,
    severity: Severity | str | None,
    decision_date: date,
    penalty_kind: str | None,
) -> date | None:
    """The first day a repair (early end of publicity) may be applied for, or None if never.

    Under a minimum period of N months the fact stays public through `add_months(D, N)`; repair
    may be applied for from the next day. Without a minimum, from the decision date (once the
    obligations are met, which is the repair domain's business). Types that are not published,
    shown while valid or positive have nothing to repair here: None.
    """
    rule = spec.publicity
    if isinstance(rule, BySeverity):
        minimum = rule.minimum(_severity(spec, severity))
        if minimum is None:
            return decision_date
        return add_months(decision_date, minimum) + timedelta(days=1)
    if isinstance(rule, ByPenaltyKind):
        kind = _penalty_kind(penalty_kind)
        if kind in rule.not_published or kind in rule.no_early_stop:
            return None
        return decision_date
    return None


def is_public(window: Window, on: date) -> bool:
    """Whether a fact with this window is shown on day `on` (both ends inclusive)."""
    start, end = window
    return start is not None and start <= on and (end is None or on <= end)


def _by_penalty_kind(
    rule: ByPenaltyKind, decision_date: date, kind: PenaltyKind, valid_until: date | None
) -> Window:
    if kind in rule.not_published:
        return None, None
    until = add_months(decision_date, rule.months[kind])
    # SAMR Order 45 Art. 13: a restriction longer than the period keeps it public that long.
    if kind in rule.extend_while_valid and valid_until is not None:
        until = max(until, valid_until)
    return decision_date, until


def _severity(spec: RecordTypeSpec, severity: Severity | str | None) -> Severity:
    if severity is None:
        return spec.default_severity
    try:
        return Severity(severity)
    except ValueError:
        raise PublicityInputError(f"unknown severity {severity!r}", "severity") from None


def _penalty_kind(penalty_kind: str | None) -> PenaltyKind:
    if penalty_kind is None:
        raise PublicityInputError("this record type's publicity depends on penalty_kind")
    try:
        return PenaltyKind(penalty_kind)
    except ValueError:
        known = ", ".join(k.value for k in PenaltyKind)
        raise PublicityInputError(
            f"unknown penalty_kind {penalty_kind!r}; known: {known}"
        ) from None
