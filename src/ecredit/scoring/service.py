"""Credit evaluation (C4): one subject on demand, every subject in bulk, with the same engine.

Every evaluation that changes something is a new immutable row with the model's code and
version and the contribution of every fact; the subject's grade row is upserted, keeping
`grade_since` while the grade holds. When the latest snapshot (same model, grade and
contributions) still describes the subject, no row is added: only the grade row's
`evaluated_at` moves (repository.write, bulk.BulkWriter).
Grade thresholds are runtime parameters, read once per run.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from ecredit.catalog.loader import Catalog
from ecredit.kit.clock import Clock, SystemClock, local_date
from ecredit.kit.errors import Conflict, NotFound
from ecredit.models.base import utcnow
from ecredit.models.scoring import Evaluation, SubjectGrade
from ecredit.parameters.service import parameter_service
from ecredit.record.repository import record_repository
from ecredit.record.state import fold
from ecredit.scoring.bulk import BulkWriter
from ecredit.scoring.engine import DAYS_PER_MONTH, Engine, Outcome, Rating, Thresholds
from ecredit.scoring.facts import RecordRow, from_rows, from_states
from ecredit.scoring.loader import load_model
from ecredit.scoring.model import ScoringModel
from ecredit.scoring.repository import EvaluationRow, RatingRow, scoring_repository
from ecredit.subject.service import subject_service

THRESHOLD_KEYS = ("scoring.grade_a_min", "scoring.grade_b_min", "scoring.grade_c_min")
CHUNK = 20_000
Progress = Callable[[int], None]
_Range = tuple[list[tuple[int, str, str | None]], list[RecordRow], list[RatingRow]]


@dataclass
class BatchSummary:
    subjects: int = 0
    grades: Counter[str] = field(default_factory=Counter)


@dataclass
class ScoringService:
    engine: Engine
    clock: Clock = SystemClock()  # noqa: RUF009 - a stateless default is safe to share

    @classmethod
    def create(
        cls, catalog: Catalog, model: ScoringModel | None = None, clock: Clock | None = None
    ) -> ScoringService:
        """The packaged model (checked against `catalog`) unless another is given."""
        model = model or load_model(catalog=catalog)
        return cls(Engine(model, catalog), clock or SystemClock())

    @property
    def model(self) -> ScoringModel:
        return self.engine.model

    @property
    def model_key(self) -> tuple[str, int]:
        return self.model.code, self.model.version

    def today(self) -> date:
        return local_date(self.clock.now())

    def thresholds(self, session: Session) -> Thresholds:
        """The grade thresholds in force; they must fall strictly from A to C."""
        a, b, c = (int(parameter_service.get(session, key)) for key in THRESHOLD_KEYS)
        if not a > b > c:
            raise Conflict(
                f"{', '.join(THRESHOLD_KEYS)}: must fall strictly from A to C "
                f"(now {a}, {b}, {c}); correct the parameters"
            )
        return Thresholds(a, b, c)

    # ---- one subject ----------------------------------------------------------------------

    def outcome(self, session: Session, subject_id: int, as_of: date) -> Outcome:
        """The subject's score and contributions at `as_of`, from its record states."""
        subject = subject_service.get(session, subject_id)
        states = fold(record_repository.of_subject(session, subject_id))
        method = subject.verification_method
        ratings = self._ratings(session, subject_id, subject_id, as_of)
        return self.engine.evaluate(
            subject.verification_status.value,
            method.value if method else None,
            from_states(states),
            as_of,
            [(party, n, stars) for _, party, n, stars in ratings],
        )

    def _ratings(
        self, session: Session, first_id: int, last_id: int, as_of: date
    ) -> list[RatingRow]:
        """Shipment evaluations in the rating indicator's window ending with `as_of`."""
        indicator = self.model.rating()
        if indicator is None:
            return []
        until = datetime.combine(as_of + timedelta(days=1), time(), UTC)
        since = until - timedelta(days=round(indicator.months * DAYS_PER_MONTH))
        return scoring_repository.rating_rows(session, first_id, last_id, since, until)

    def evaluate_subject(
        self, session: Session, subject_id: int, as_of: date | None = None
    ) -> Evaluation:
        """Evaluate one subject now: a new snapshot, and its grade upserted."""
        as_of = as_of or self.today()
        outcome = self.outcome(session, subject_id, as_of)
        grade = self.thresholds(session).grade(outcome.score)
        session.flush()
        row = EvaluationRow(subject_id, outcome.score, grade, outcome.contributions)
        ids = scoring_repository.write(session, [row], self.model_key, as_of, utcnow())
        assert ids  # the one-row path always returns the id
        session.expire_all()  # the grade row was written underneath the ORM
        return session.get_one(Evaluation, ids[0])

    def latest(self, session: Session, subject_id: int) -> Evaluation:
        subject_service.get(session, subject_id)
        evaluation = scoring_repository.latest(session, subject_id)
        if evaluation is None:
            raise NotFound(f"subject {subject_id} has not been evaluated yet")
        return evaluation

    def history(self, session: Session, subject_id: int, limit: int = 20) -> list[Evaluation]:
        subject_service.get(session, subject_id)
        return scoring_repository.history(session, subject_id, limit)

    def grade(self, session: Session, subject_id: int) -> SubjectGrade | None:
        return scoring_repository.grade(session, subject_id)

    # ---- every subject --------------------------------------------------------------------

    def evaluate_all(
        self,
        session: Session,
        as_of: date | None = None,
        progress: Progress | None = None,
        chunk: int = CHUNK,
    ) -> BatchSummary:
        """Every subject, in id ranges of `chunk`: one query for the subjects, one for their
        records, one bulk write. The next range is read before a range's write is sent, so
        the database writes one range while this process computes the next.
        `progress` is told how many are done after each range."""
        as_of, thresholds = as_of or self.today(), self.thresholds(session)
        session.flush()
        summary = BatchSummary()
        with BulkWriter(session, self.model_key, as_of, utcnow()) as writer:
            batch = self._read_range(session, 0, chunk, as_of)
            while batch:
                rows = self._evaluate_range(batch, as_of, thresholds)
                writer.wait()
                following = self._read_range(session, batch[0][-1][0], chunk, as_of)
                writer.send(rows)
                summary.subjects += len(rows)
                summary.grades.update(row.grade.value for row in rows)
                if progress:
                    progress(summary.subjects)
                batch = following
        session.expire_all()
        return summary

    def _read_range(self, session: Session, after: int, chunk: int, as_of: date) -> _Range | None:
        subjects = scoring_repository.subject_chunk(session, after, chunk)
        if not subjects:
            return None
        first, last = subjects[0][0], subjects[-1][0]
        records = scoring_repository.record_rows(session, first, last)
        return subjects, records, self._ratings(session, first, last, as_of)

    def _evaluate_range(
        self, batch: _Range, as_of: date, thresholds: Thresholds
    ) -> list[EvaluationRow]:
        subjects, records, rating_rows = batch
        by_subject: dict[int, list[RecordRow]] = {
            subject_id: list(group)
            for subject_id, group in itertools.groupby(records, key=lambda row: row[0])
        }
        ratings: dict[int, list[Rating]] = {}
        for subject_id, party, n, stars in rating_rows:
            ratings.setdefault(subject_id, []).append((party, n, stars))
        evaluate, grade_of = self.engine.evaluate, thresholds.grade
        rows = []
        for subject_id, status, method in subjects:
            entries = by_subject.get(subject_id)
            facts = from_rows(entries) if entries else ()
            outcome = evaluate(status, method, facts, as_of, ratings.get(subject_id, ()))
            rows.append(
                EvaluationRow(subject_id, outcome.score, grade_of(outcome.score),
                              outcome.contributions)
            )  # fmt: skip
        return rows

    def count_subjects(self, session: Session) -> int:
        return scoring_repository.count_subjects(session)
