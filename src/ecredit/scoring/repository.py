"""Every query of the scoring domain, and the bulk writes of evaluations and grades.

Bulk path: subjects are read in id ranges (keyset), with their records in one range query
each, as bare tuples (no ORM objects); `bulk.BulkWriter` writes them. The upsert of grades
keeps `grade_since` while the grade is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Select,
    String,
    Table,
    bindparam,
    case,
    distinct,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ecredit.models.record import CreditRecord
from ecredit.models.scoring import Evaluation, Grade, PlatformEvaluation, SubjectGrade
from ecredit.models.shipment import ShipmentEvaluation
from ecredit.models.subject import Shop, Subject, SubjectKind
from ecredit.scoring.facts import RecordRow

# (subject_id, party, number of ratings, sum of stars)
RatingRow = tuple[int, str, int, int]

_RECORD_COLUMNS = (
    CreditRecord.subject_id,
    CreditRecord.id,
    CreditRecord.amends_id,
    type_coerce(CreditRecord.action, String),
    CreditRecord.type_code,
    type_coerce(CreditRecord.severity, String),
    CreditRecord.decision_date,
    CreditRecord.public_until,
)


class EvaluationRow(NamedTuple):
    """One evaluation to write (and the grade it sets); a tuple, as a million are made."""

    subject_id: int
    score: int
    grade: Grade
    contributions: list[dict[str, Any]]


class ScoringRepository:
    def count_subjects(self, session: Session) -> int:
        return session.scalar(select(func.count()).select_from(Subject)) or 0

    def subject_chunk(
        self, session: Session, after_id: int, limit: int
    ) -> list[tuple[int, str, str | None]]:
        """(id, verification status, method) of the next `limit` subjects after `after_id`."""
        query = (
            select(
                Subject.id,
                type_coerce(Subject.verification_status, String),
                type_coerce(Subject.verification_method, String),
            )
            .where(Subject.id > after_id)
            .order_by(Subject.id)
            .limit(limit)
        )
        return _fetch(session, query)

    def record_rows(self, session: Session, first_id: int, last_id: int) -> list[RecordRow]:
        """Every entry of the subjects with ids in [first_id, last_id], by subject then id."""
        query = (
            select(*_RECORD_COLUMNS)
            .where(CreditRecord.subject_id.between(first_id, last_id))
            .order_by(CreditRecord.subject_id, CreditRecord.id)
        )
        return _fetch(session, query)

    def rating_rows(
        self, session: Session, first_id: int, last_id: int, since: datetime, until: datetime
    ) -> list[RatingRow]:
        """Shipment evaluations received in [since, until) by the subjects with ids in
        [first_id, last_id], counted and summed per subject and party (read from the
        shipment tables directly: the shipment domain sits above scoring)."""
        rated = ShipmentEvaluation
        query = (
            select(rated.subject_id, type_coerce(rated.party, String), func.count(),
                   func.sum(rated.rating))
            .where(rated.subject_id.between(first_id, last_id))
            .where(rated.created_at >= since, rated.created_at < until)
            .group_by(rated.subject_id, rated.party)
            .order_by(rated.subject_id, rated.party)
        )  # fmt: skip
        return [(int(s), str(p), int(n), int(total)) for s, p, n, total in _fetch(session, query)]

    def latest(self, session: Session, subject_id: int) -> Evaluation | None:
        query = select(Evaluation).where(Evaluation.subject_id == subject_id)
        return session.scalar(query.order_by(Evaluation.id.desc()).limit(1))

    def history(self, session: Session, subject_id: int, limit: int) -> list[Evaluation]:
        query = select(Evaluation).where(Evaluation.subject_id == subject_id)
        return list(session.scalars(query.order_by(Evaluation.id.desc()).limit(limit)))

    def grade(self, session: Session, subject_id: int) -> SubjectGrade | None:
        return session.get(SubjectGrade, subject_id)

    def write(
        self, session: Session, rows: Sequence[EvaluationRow], model: tuple[str, int],
        as_of: date, at: datetime,
    ) -> list[int]:  # fmt: skip
        """Store evaluations and upsert grades (multi-row INSERT … RETURNING and an upsert);
        the new ids in the order of `rows`. Bulk on PostgreSQL goes through `bulk.BulkWriter`."""
        if not rows:
            return []
        latest = self._unchanged(session, rows, model)
        changed = [row for row in rows if row.subject_id not in latest]
        new_ids = iter(_insert_write(session, changed, model, as_of, at) if changed else [])
        if latest:
            table = cast(Table, SubjectGrade.__table__)
            statement = (
                update(table)
                .where(table.c.subject_id == bindparam("sid"))
                .values(evaluated_at=bindparam("at"))
            )
            session.connection().execute(
                statement, [{"sid": subject_id, "at": at} for subject_id in latest]
            )
        return [latest[r.subject_id] if r.subject_id in latest else next(new_ids) for r in rows]

    def _unchanged(
        self, session: Session, rows: Sequence[EvaluationRow], model: tuple[str, int]
    ) -> dict[int, int]:
        """subject id → id of its latest snapshot, for the rows that snapshot still describes
        (same model, grade and contributions): those get no new snapshot."""
        wanted = {row.subject_id: row for row in rows}
        query = (
            select(Evaluation.subject_id, Evaluation.id, Evaluation.model_code,
                   Evaluation.model_version, Evaluation.grade, Evaluation.contributions)
            .join(SubjectGrade, SubjectGrade.evaluation_id == Evaluation.id)
            .where(SubjectGrade.subject_id.between(min(wanted), max(wanted)))
        )  # fmt: skip
        return {
            subject_id: evaluation_id
            for subject_id, evaluation_id, code, version, grade, contributions in session.execute(
                query
            )
            if (row := wanted.get(subject_id)) is not None
            and (code, version, grade) == (*model, row.grade)
            and contributions == row.contributions
        }

    # ---- platforms --------------------------------------------------------------------------

    def platform_ids(self, session: Session) -> list[int]:
        query = select(Subject.id).where(Subject.kind == SubjectKind.PLATFORM)
        return list(session.scalars(query.order_by(Subject.id)))

    def merchant_count(self, session: Session, platform_id: int) -> int:
        query = select(func.count(distinct(Shop.merchant_id))).where(
            Shop.platform_id == platform_id
        )
        return session.scalar(query) or 0

    def merchant_grades(self, session: Session, platform_id: int) -> dict[str, int]:
        merchants = select(Shop.merchant_id).where(Shop.platform_id == platform_id)
        query = (
            select(type_coerce(SubjectGrade.grade, String), func.count())
            .where(SubjectGrade.subject_id.in_(merchants))
            .group_by(SubjectGrade.grade)
        )
        return {str(grade): int(count) for grade, count in session.execute(query)}

    def merchant_record_rows(self, session: Session, platform_id: int) -> list[RecordRow]:
        merchants = select(Shop.merchant_id).where(Shop.platform_id == platform_id)
        query = (
            select(*_RECORD_COLUMNS)
            .where(CreditRecord.subject_id.in_(merchants))
            .order_by(CreditRecord.subject_id, CreditRecord.id)
        )
        return _fetch(session, query)

    def latest_platform(self, session: Session, platform_id: int) -> PlatformEvaluation | None:
        query = select(PlatformEvaluation).where(PlatformEvaluation.platform_id == platform_id)
        return session.scalar(query.order_by(PlatformEvaluation.id.desc()).limit(1))


def _fetch(session: Session, query: Select[*tuple[Any, ...]]) -> list[Any]:
    """Plain tuples. On PostgreSQL straight from psycopg (its rows are already the right
    Python types), which halves the cost of reading a million rows through the ORM layer."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [tuple(row) for row in connection.execute(query)]
    compiled = query.compile(dialect=connection.dialect)
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor:
        return list(cursor.execute(str(compiled), compiled.params).fetchall())


def _insert_write(
    session: Session, rows: Sequence[EvaluationRow], model: tuple[str, int],
    as_of: date, at: datetime,
) -> list[int]:  # fmt: skip
    code, version = model
    values = [
        {"subject_id": r.subject_id, "model_code": code, "model_version": version,
         "as_of": as_of, "score": r.score, "grade": r.grade, "contributions": r.contributions,
         "evaluated_at": at}
        for r in rows
    ]  # fmt: skip
    table = cast(Table, Evaluation.__table__)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    connection = session.connection()
    ids = [row[0] for row in connection.execute(statement, values)]
    grades = [
        {"subject_id": r.subject_id, "evaluation_id": evaluation_id, "score": r.score,
         "grade": r.grade, "grade_since": as_of, "evaluated_at": at}
        for r, evaluation_id in zip(rows, ids, strict=True)
    ]  # fmt: skip
    connection.execute(_grade_upsert(session.get_bind().dialect.name), grades)
    return ids


def _grade_upsert(dialect: str) -> Any:
    table = cast(Table, SubjectGrade.__table__)
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[table.c.subject_id],
        set_={
            "evaluation_id": excluded.evaluation_id,
            "score": excluded.score,
            "grade_since": case(
                (table.c.grade == excluded.grade, table.c.grade_since),
                else_=excluded.grade_since,
            ),
            "grade": excluded.grade,
            "evaluated_at": excluded.evaluated_at,
        },
    )


scoring_repository = ScoringRepository()
