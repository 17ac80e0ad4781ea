"""Merchant credit-risk early warning (flush only): read a subject's inputs in the look-back
window, score them by the rules, store the result as its current warning, and announce a change
of level (a timeline event and the domain event `warning.level_changed`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.catalog.loader import Catalog
from ecredit.catalog.schema import Polarity
from ecredit.jobs.events import emit
from ecredit.kit.clock import Clock, SystemClock, local_date
from ecredit.kit.errors import NotFound
from ecredit.kit.paging import Page, PageRequest
from ecredit.listing.kinds import Colour, list_kinds
from ecredit.models.alert import AlertStatus
from ecredit.models.record import Severity
from ecredit.models.subject import Subject
from ecredit.models.warning import SubjectWarning, WarningLevel
from ecredit.parameters.service import parameter_service
from ecredit.record.state import RecordState, fold
from ecredit.warning import repository as repo
from ecredit.warning.rules import (
    AlertFact,
    ListFact,
    Reason,
    RecordFact,
    Weights,
    alert_reason,
    level_of,
    list_reason,
    record_reason,
    spike_reason,
)
from ecredit.warning.schemas import RecomputeCounts, WarningFilter

EVENT = "warning.level_changed"
LEVEL_ZH = {WarningLevel.NONE: "无", WarningLevel.ATTENTION: "关注",
            WarningLevel.WARNING: "预警", WarningLevel.HIGH: "高风险"}  # fmt: skip
WARNED_COLOURS = (Colour.BLACK, Colour.WATCH)


def read_weights(session: Session) -> Weights:
    """The parameters `warning.*` (defaults in parameters/registry.py)."""

    def get(key: str) -> int:
        return int(parameter_service.get(session, f"warning.{key}"))

    return Weights(
        lookback_days=get("lookback_days"),
        alert_points={AlertStatus.OPEN: get("alert_open_points"),
                      AlertStatus.CONFIRMED: get("alert_confirmed_points")},
        period_days=get("complaint_period_days"),
        baseline_periods=get("complaint_baseline_periods"),
        spike_ratio=float(parameter_service.get(session, "warning.complaint_spike_ratio")),
        spike_min=get("complaint_spike_min"),
        spike_points=get("complaint_spike_points"),
        record_points={s: get(f"record_{s.value}_points") for s in Severity},
        list_points={c.value: get(f"list_{c.value}_points") for c in WARNED_COLOURS},
        thresholds={WarningLevel.ATTENTION: get("attention_min"),
                    WarningLevel.WARNING: get("warning_min"), WarningLevel.HIGH: get("high_min")},
    )  # fmt: skip


@dataclass
class WarningService:
    """Built with the catalogue in force (which record types are negative) and a clock."""

    catalog: Catalog
    clock: Clock = SystemClock()  # noqa: RUF009 - a stateless default is safe to share

    def today(self) -> date:
        return local_date(self.clock.now())

    def recompute(self, session: Session, subject_id: int) -> SubjectWarning:
        """Assess one subject now and store the result as its current warning."""
        if session.get(Subject, subject_id) is None:
            raise NotFound(f"no subject {subject_id}")
        warning, _changed = self._store(session, subject_id, read_weights(session))
        return warning

    def recompute_all(self, session: Session) -> RecomputeCounts:
        """Every subject with an input in the window and every subject warned now; running it
        twice changes nothing the second time."""
        weights, now, today = read_weights(session), self.clock.now(), self.today()
        since_day = today - timedelta(days=weights.lookback_days)
        complaints_from = today - timedelta(days=weights.period_days - 1)
        subjects = repo.candidates(
            session, now - timedelta(days=weights.lookback_days), since_day, complaints_from,
            self._negative_types(), self._warned_kinds(),
        )  # fmt: skip
        changed = 0
        for subject_id in sorted(subjects):
            _warning, moved = self._store(session, subject_id, weights)
            changed += moved
        return RecomputeCounts(subjects=len(subjects), changed=changed)

    def assess(self, session: Session, subject_id: int, weights: Weights) -> list[Reason]:
        """The reasons that score for the subject, in a fixed order."""
        now, today = self.clock.now(), self.today()
        alerts = repo.alerts_about(session, subject_id, now - timedelta(days=weights.lookback_days))
        current, previous = repo.complaint_counts(
            session, subject_id, today, weights.period_days, weights.baseline_periods
        )
        since_day = today - timedelta(days=weights.lookback_days)
        reasons = [
            alert_reason([AlertFact(a.id, a.detector, a.status) for a in alerts], weights),
            spike_reason(current, previous, weights),
            record_reason(self._new_records(session, subject_id, since_day), weights),
            list_reason(self._new_entries(session, subject_id, since_day), weights),
        ]
        return [reason for reason in reasons if reason is not None]

    def get(self, session: Session, subject_id: int) -> tuple[Subject, SubjectWarning | None]:
        """The subject and its warning (None when never computed)."""
        subject = session.get(Subject, subject_id)
        if subject is None:
            raise NotFound(f"no subject {subject_id}")
        return subject, repo.stored(session, subject_id)

    def page(
        self, session: Session, request: PageRequest, where: WarningFilter
    ) -> Page[SubjectWarning]:
        return repo.page(session, request, where)

    def level_counts(self, session: Session) -> dict[WarningLevel, int]:
        return repo.level_counts(session)

    def _store(
        self, session: Session, subject_id: int, weights: Weights
    ) -> tuple[SubjectWarning, bool]:
        """The subject's warning, stored, and whether its level changed (then announced)."""
        reasons = self.assess(session, subject_id, weights)
        score = sum(reason.points for reason in reasons)
        level, now = level_of(score, weights), self.clock.now()
        row = repo.stored(session, subject_id)
        if row is None:
            row = SubjectWarning(subject_id=subject_id, level=WarningLevel.NONE, changed_at=now)
            session.add(row)
        previous = row.level
        row.score, row.reasons, row.computed_at = score, [r.as_dict() for r in reasons], now
        if level is not previous:
            row.level, row.changed_at = level, now
            _announce(session, row, previous)
        session.flush()
        return row, level is not previous

    def _new_records(self, session: Session, subject_id: int, since: date) -> list[RecordFact]:
        """Negative records in force today whose decision (else recording) date is in the
        window: revoked, repaired and expired ones no longer count."""
        types = self._negative_types()
        entries = repo.record_entries(session, subject_id, types)
        today = self.today()
        return [
            RecordFact(state.original.id, state.original.type_code, self._severity(state))
            for state in fold(entries)
            if state.status(today) == "in_force" and since <= _start(state) <= today
        ]

    def _severity(self, state: RecordState) -> Severity:
        given = state.current.severity
        return (
            given
            if given is not None
            else self.catalog.get(state.original.type_code).default_severity
        )

    def _new_entries(self, session: Session, subject_id: int, since: date) -> list[ListFact]:
        colours = self._warned_kinds()
        entries = repo.effective_entries(session, subject_id, colours, since)
        return [ListFact(e.id, e.list_kind, colours[e.list_kind]) for e in entries]

    def _negative_types(self) -> set[str]:
        return {spec.code for spec in self.catalog.by_polarity()[Polarity.NEGATIVE]}

    @staticmethod
    def _warned_kinds() -> dict[str, str]:
        """Black and watch list kinds, with their colour."""
        return {k.code: k.colour.value for k in list_kinds().all() if k.colour in WARNED_COLOURS}


def _start(state: RecordState) -> date:
    return state.current.decision_date or local_date(state.original.recorded_at)


def _announce(session: Session, row: SubjectWarning, previous: WarningLevel) -> None:
    data = {"from": previous.value, "to": row.level.value, "score": row.score,
            "reasons": [reason["code"] for reason in row.reasons]}  # fmt: skip
    summary = f"信用风险预警：{LEVEL_ZH[previous]} → {LEVEL_ZH[row.level]}（{row.score} 分）"
    audit_service.record_event(session, "subject", row.subject_id, "warning_level_changed",
                               summary, data)  # fmt: skip
    emit(session, EVENT, row.subject_id, data)
