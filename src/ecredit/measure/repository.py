"""Every query of the measure domain: the check's reads, the change marker, the check log, and
the feedback loop's counts. List entries and grades are read through their models (the listing
and scoring domains own their writes)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.measure import CheckLog, MeasureFeedback
from ecredit.models.org import ApiKey, Organisation
from ecredit.models.scoring import Evaluation, SubjectGrade
from ecredit.models.subject import Subject

# Entries that are or were in force: the ones a measure was ever initiated for.
ONCE_EFFECTIVE = (ListStatus.EFFECTIVE, ListStatus.EXPIRED, ListStatus.REMOVED)
# How far below the highest evaluation id the marker counts rows, so an evaluation whose
# transaction commits after a later one (lower id, later commit) still changes the marker.
EVALUATION_WINDOW = 20_000
NAME_MATCH_LIMIT = 20
CHECK_COLUMNS = "organisation_id, subject_id, query, measure_codes, list_entry_ids, at"
CHECK_INSERT = f"INSERT INTO check_log ({CHECK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
CHECK_COPY = f"COPY check_log ({CHECK_COLUMNS}) FROM STDIN"
# (organisation id, subject id, query, measure codes JSON, entry ids JSON, UTC datetime)
CheckRow = tuple[int, int | None, str, str, str, datetime]
# COPY text format: a backslash, tab, newline or carriage return in a value must be escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# The part of the change marker that concerns API keys and organisations (the key cache's).
KEYS = slice(5, 9)


@dataclass(frozen=True)
class EntryFact:
    id: int
    subject_id: int
    list_kind: str
    status: ListStatus


class MeasureRepository:
    def subjects_named(self, session: Session, name: str) -> Sequence[Subject]:
        query = select(Subject).where(Subject.name == name).order_by(Subject.id)
        return session.scalars(query.limit(NAME_MATCH_LIMIT)).all()

    def grade(self, session: Session, subject_id: int) -> SubjectGrade | None:
        return session.get(SubjectGrade, subject_id)

    def effective_entries(self, session: Session, subject_id: int, today: date) -> list[ListEntry]:
        """Entries in force today: effective, started, and not past their validity."""
        query = (
            select(ListEntry)
            .where(ListEntry.subject_id == subject_id, ListEntry.status == ListStatus.EFFECTIVE)
            .where(or_(ListEntry.effective_from.is_(None), ListEntry.effective_from <= today))
            .where(or_(ListEntry.valid_until.is_(None), ListEntry.valid_until >= today))
            .order_by(ListEntry.id)
        )
        return list(session.scalars(query))

    def entry(self, session: Session, entry_id: int) -> ListEntry | None:
        return session.get(ListEntry, entry_id)

    def organisation(self, session: Session, org_id: int) -> Organisation | None:
        return session.get(Organisation, org_id)

    def organisations(self, session: Session) -> list[Organisation]:
        return list(session.scalars(select(Organisation).order_by(Organisation.id)))

    def change_marker(self, session: Session) -> tuple[Any, ...]:
        """A cheap value that changes whenever a committed change may alter a check's answer.

        List entries: count, sum of versions (every update bumps one) and latest update; grades:
        the highest evaluation id and the count of recent evaluations (a new grade is always a new
        evaluation); API keys: count, revoked count, latest update; new subjects; organisations.
        """
        top = session.scalar(select(func.max(Evaluation.id))) or 0
        recent = select(func.count()).select_from(Evaluation)
        parts = (
            select(func.count()).select_from(ListEntry),
            select(func.coalesce(func.sum(ListEntry.version), 0)),
            select(func.max(ListEntry.updated_at)),
            recent.where(Evaluation.id > top - EVALUATION_WINDOW),
            select(func.count()).select_from(ApiKey),
            select(func.count(ApiKey.revoked_at)),
            select(func.max(ApiKey.updated_at)),
            select(func.max(Organisation.updated_at)),
            select(func.max(Subject.id)),
        )
        row = session.execute(select(*(part.scalar_subquery() for part in parts))).one()
        return (top, *row)

    def add_checks(self, session: Session, rows: list[CheckRow]) -> None:
        """Insert check log rows with one driver-level executemany.

        The check path is hot and the batch is written by a thread of the serving process: the
        ORM's per-row bind processing would hold the GIL for tens of milliseconds per thousand
        rows, so the JSON is serialised once per cached answer and the rest goes to the driver.
        """
        if not rows:
            return
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            # COPY text built with str operations and sent in one write: psycopg's write_row
            # formats each value in Python (20–50 µs a row under load, GIL held: p99 spikes).
            raw: Any = connection.connection.dbapi_connection
            with raw.cursor() as cursor, cursor.copy(CHECK_COPY) as copy:
                copy.write(copy_text(rows))
            return
        # As SQLAlchemy stores UTC datetimes on SQLite: naive, in text.
        params = [(*row[:5], row[5].replace(tzinfo=None).isoformat(" ")) for row in rows]
        connection.exec_driver_sql(CHECK_INSERT, params)

    def once_effective(self, session: Session, subject_id: int | None = None) -> list[EntryFact]:
        query = select(ListEntry.id, ListEntry.subject_id, ListEntry.list_kind, ListEntry.status)
        query = query.where(
            ListEntry.status.in_(ONCE_EFFECTIVE), ListEntry.effective_from.is_not(None)
        )
        if subject_id is not None:
            query = query.where(ListEntry.subject_id == subject_id)
        return [EntryFact(*row) for row in session.execute(query.order_by(ListEntry.id))]

    def checks_answered(
        self, session: Session, subject_id: int | None = None
    ) -> list[tuple[int, list[int], list[str]]]:
        """Distinct (organisation, entries, measures) of checks that answered with an entry."""
        entries, codes = cast(CheckLog.list_entry_ids, Text), cast(CheckLog.measure_codes, Text)
        query = select(CheckLog.organisation_id, entries, codes).distinct()
        query = query.where(CheckLog.subject_id.is_not(None))
        if subject_id is not None:
            query = query.where(CheckLog.subject_id == subject_id)
        return [
            (org_id, json.loads(entry_ids), json.loads(measure_codes))
            for org_id, entry_ids, measure_codes in session.execute(query)
            if entry_ids and entry_ids != "[]"
        ]

    def latest_feedback(
        self, session: Session, subject_id: int | None = None
    ) -> list[MeasureFeedback]:
        """The latest report of each (entry, measure, organisation): earlier ones stay as facts."""
        latest = select(func.max(MeasureFeedback.id)).group_by(
            MeasureFeedback.list_entry_id,
            MeasureFeedback.measure_code,
            MeasureFeedback.organisation_id,
        )
        if subject_id is not None:
            latest = latest.where(MeasureFeedback.subject_id == subject_id)
        query = select(MeasureFeedback).where(MeasureFeedback.id.in_(latest))
        return list(session.scalars(query.order_by(MeasureFeedback.id)))

    def add_feedback(self, session: Session, feedback: MeasureFeedback) -> MeasureFeedback:
        session.add(feedback)
        session.flush()
        return feedback

    def feedback_history(
        self, session: Session, entry_id: int, measure_code: str, org_id: int
    ) -> list[MeasureFeedback]:
        query = select(MeasureFeedback).where(
            MeasureFeedback.list_entry_id == entry_id,
            MeasureFeedback.measure_code == measure_code,
            MeasureFeedback.organisation_id == org_id,
        )
        return list(session.scalars(query.order_by(MeasureFeedback.id)))


def copy_text(rows: list[CheckRow]) -> str:
    """Check log rows in COPY text format (\\N for a check that found no subject). Built with
    f-strings and checked once: only a value holding a special character is escaped."""
    lines, nulls = [], 0
    for org_id, subject_id, query, codes, entries, at in rows:
        if subject_id is None:
            nulls += 1
        subject = "\\N" if subject_id is None else subject_id
        lines.append(f"{org_id}\t{subject}\t{query}\t{codes}\t{entries}\t{at.isoformat()}\n")
    text = "".join(lines)
    plain = text.count("\\") == nulls and "\r" not in text
    if plain and text.count("\t") == 5 * len(rows) and text.count("\n") == len(rows):
        return text
    return "".join(_escaped_line(row) for row in rows)  # a value needs escaping: rare


def _escaped_line(row: CheckRow) -> str:
    org_id, subject_id, *texts, at = row
    values = [str(org_id), "\\N" if subject_id is None else str(subject_id)]
    values += [str(value).translate(_COPY_ESCAPES) for value in texts]
    return "\t".join([*values, at.isoformat()]) + "\n"


measure_repository = MeasureRepository()
