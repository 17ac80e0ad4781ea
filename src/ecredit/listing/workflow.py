"""List entries: the one guarded function that moves an entry between statuses.

Every move (and the creation of a proposal) sends the subject its notice, writes a timeline
event on the entry and on the subject, and emits `list_entry.<status>` for subscribers, all in
the caller's transaction. Two concurrent moves of one entry cannot both commit: the entry's
version column makes the loser's UPDATE match no row, which is answered as a 409.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecredit.audit.service import audit_service
from ecredit.authz.policies import may_act_on_list
from ecredit.authz.principals import Principal
from ecredit.catalog.publicity import add_months
from ecredit.jobs.events import emit
from ecredit.kit.errors import Conflict, InvalidInput
from ecredit.listing.kinds import ListKind
from ecredit.listing.notices import ENTITY, notice_for
from ecredit.models.listing import LIST_TRANSITIONS, ListEntry, ListStatus
from ecredit.parameters.service import parameter_service

ENDINGS = frozenset({ListStatus.REJECTED, ListStatus.REMOVED, ListStatus.EXPIRED})
NEEDS_REASON = frozenset({ListStatus.REJECTED, ListStatus.REMOVED})
# SQLite serialises writers: a transaction that read the entry and then tries to write while
# another writer holds the lock (SQLITE_BUSY) or after it committed (SQLITE_BUSY_SNAPSHOT) lost.
SQLITE_LOST_RACE = frozenset({5, 517})

_LABELS = {
    ListStatus.PROPOSED: "提议列入",
    ListStatus.UNDER_REVIEW: "进入审核",
    ListStatus.PUBLICISED: "公示",
    ListStatus.EFFECTIVE: "列入生效",
    ListStatus.EXPIRED: "到期移出",
    ListStatus.REMOVED: "移出",
    ListStatus.REJECTED: "不予列入",
}


def create(session: Session, entry: ListEntry, kind: ListKind) -> ListEntry:
    """Store a new proposal and announce it (the status is `proposed`)."""
    entry.status = ListStatus.PROPOSED
    session.add(entry)
    session.flush()
    _announce(session, entry, kind, None, None)
    return entry


def move(
    session: Session,
    entry: ListEntry,
    kind: ListKind,
    target: ListStatus,
    by: Principal,
    today: date,
    reason: str | None = None,
) -> ListEntry:
    """Apply one transition of LIST_TRANSITIONS, with its guard; a refusal changes nothing."""
    current = entry.status
    LIST_TRANSITIONS.check(current, target)
    may_act_on_list(by, kind.deciders, f"move entries to {target.value}", kind.name_zh).enforce()
    _guard(entry, target, today, reason)
    changes = _changes(session, kind, target, today, reason)  # read everything before writing
    entry.status = target
    entry.decided_by_org_id = by.organisation_id or entry.decided_by_org_id
    for field, value in changes.items():
        setattr(entry, field, value)
    _flush(session, entry)
    _announce(session, entry, kind, current, reason)
    return entry


def _changes(
    session: Session, kind: ListKind, target: ListStatus, today: date, reason: str | None
) -> dict[str, Any]:
    """The dates a move sets: publicity in working days, validity in months, the end."""
    if target is ListStatus.PUBLICISED:
        days = int(parameter_service.get(session, kind.publicity_workdays_parameter))
        until = parameter_service.work_calendar(session).add_workdays(today, days)
        return {"publicity_from": today, "publicity_until": until}
    if target is ListStatus.EFFECTIVE:
        months = int(parameter_service.get(session, kind.validity_months_parameter))
        return {"effective_from": today, "valid_until": add_months(today, months)}
    if target in ENDINGS:
        return {"ended_on": today, "end_reason": reason or "有效期届满"}
    return {}


def _guard(entry: ListEntry, target: ListStatus, today: date, reason: str | None) -> None:
    if target in NEEDS_REASON and not (reason and reason.strip()):
        raise InvalidInput("reason", "required", f"reason: required to mark {target.value}")
    if target is ListStatus.EFFECTIVE and not publicity_over(entry, today):
        raise Conflict(
            f"list entry {entry.id}: publicity runs until {entry.publicity_until}; "
            "it can become effective only after that day"
        )
    if target is ListStatus.EXPIRED and (entry.valid_until is None or entry.valid_until >= today):
        raise Conflict(f"list entry {entry.id}: valid until {entry.valid_until}; not yet expired")


def publicity_over(entry: ListEntry, today: date) -> bool:
    """Publicity has passed (or the kind has none: the entry was publicised for 0 days)."""
    if entry.publicity_until is None:
        return False
    return entry.publicity_until < today or entry.publicity_until == entry.publicity_from


def _flush(session: Session, entry: ListEntry) -> None:
    """Write the move now, so a concurrent winner is found here and answered as a 409."""
    entry_id = entry.id  # the session is unusable after a failed flush: read it first
    try:
        session.flush()
    except StaleDataError as exc:
        raise _lost(entry_id) from exc
    except OperationalError as exc:
        if getattr(exc.orig, "sqlite_errorcode", None) in SQLITE_LOST_RACE:
            raise _lost(entry_id) from exc
        raise


def _lost(entry_id: int) -> Conflict:
    return Conflict(
        f"list entry {entry_id} was changed by another request at the same time; "
        "reload it and try again"
    )


def _announce(
    session: Session,
    entry: ListEntry,
    kind: ListKind,
    previous: ListStatus | None,
    reason: str | None,
) -> None:
    status = entry.status
    session.add(notice_for(entry, kind, reason))
    summary = f"{kind.name_zh}：{_LABELS[status]}" + (f"（{reason}）" if reason else "")
    data = event_data(entry, kind, previous)
    audit_service.record_events(
        session,
        [
            (ENTITY, entry.id, f"list_{status.value}", summary, data),
            ("subject", entry.subject_id, f"list_{status.value}", summary, data),
        ],
    )
    emit(session, f"list_entry.{status.value}", entry.subject_id, data)


def event_data(entry: ListEntry, kind: ListKind, previous: ListStatus | None) -> dict[str, Any]:
    """What a timeline event and a webhook say about a move (JSON-safe)."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "entry_id": entry.id,
        "list_kind": kind.code,
        "colour": kind.colour.value,
        "public": kind.public,
        "from_status": previous.value if previous else None,
        "status": entry.status.value,
        "publicity_from": iso(entry.publicity_from),
        "publicity_until": iso(entry.publicity_until),
        "effective_from": iso(entry.effective_from),
        "valid_until": iso(entry.valid_until),
        "ended_on": iso(entry.ended_on),
    }
