"""Inclusion by criteria: automatic proposals from a subject's records and grade.

Proposals are idempotent. A kind is never proposed while a live entry of it exists; a record
that already led to an entry of a kind (whatever became of it) never proposes that kind again;
a grade that a reviewer already turned down (rejected or removed since `grade_since`) is not
proposed again until the grade changes. An expired red or watch entry may be proposed again:
that is its renewal.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.loader import Catalog, load_catalog
from ecredit.catalog.publicity import add_months
from ecredit.catalog.schema import Polarity
from ecredit.listing.kinds import Colour, GradeHeld, ListKind, ListKinds, list_kinds
from ecredit.listing.repository import LIVE, list_entry_repository
from ecredit.listing.workflow import create
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.record import CreditRecord, Severity
from ecredit.models.scoring import SubjectGrade
from ecredit.models.subject import Subject
from ecredit.parameters.service import parameter_service
from ecredit.record.repository import record_repository
from ecredit.record.state import RecordState, fold

TURNED_DOWN = frozenset({ListStatus.REJECTED, ListStatus.REMOVED})


def propose_by_criteria(
    session: Session,
    subject_id: int,
    today: date,
    catalog: Catalog | None = None,
    kinds: ListKinds | None = None,
) -> list[ListEntry]:
    """Propose every list kind whose criteria the subject meets today; returns new proposals."""
    # On PostgreSQL the subject row is locked, so two jobs for one subject propose once.
    subject = session.get(Subject, subject_id, with_for_update=True)
    if subject is None:
        return []
    kinds = kinds or list_kinds()
    catalog = catalog or catalog_for(None)
    entries = list_entry_repository.of_subject(session, subject_id)
    in_force = [
        state
        for state in fold(record_repository.of_subject(session, subject_id))
        if state.status(today) == "in_force" and state.original.type_code in catalog
    ]
    made = _from_records(session, subject, in_force, entries, catalog, kinds)
    made += _from_grade(session, subject, in_force, entries + made, catalog, kinds, today)
    return made


def _from_records(
    session: Session,
    subject: Subject,
    in_force: list[RecordState],
    entries: list[ListEntry],
    catalog: Catalog,
    kinds: ListKinds,
) -> list[ListEntry]:
    used = list_entry_repository.from_records(session, [s.original.id for s in in_force])
    live = {entry.list_kind for entry in entries if entry.status in LIVE}
    made: list[ListEntry] = []
    for state in in_force:
        record = state.current
        spec = catalog.get(record.type_code)
        if spec.polarity is not Polarity.NEGATIVE or record.severity is not Severity.SERIOUS:
            continue
        kind = _first_kind(kinds, subject, record.type_code, spec.evaluation_hint)
        if kind is None or kind.code in live or (kind.code, state.original.id) in used:
            continue
        reason = f"严重失信记录（{spec.name_zh}，记录#{state.original.id}）：{record.summary or ''}"
        made.append(_propose(session, subject, kind, "criteria:serious_record", reason, record))
        live.add(kind.code)
    return made


def _first_kind(kinds: ListKinds, subject: Subject, type_code: str, hint: str) -> ListKind | None:
    for kind, rule in kinds.serious_record_chain():
        if subject.kind in kind.subject_kinds and rule.matches(type_code, hint):
            return kind
    return None


def _from_grade(
    session: Session,
    subject: Subject,
    in_force: list[RecordState],
    entries: list[ListEntry],
    catalog: Catalog,
    kinds: ListKinds,
    today: date,
) -> list[ListEntry]:
    grade = session.get(SubjectGrade, subject.id)
    if grade is None:
        return []
    negative = any(catalog.get(s.original.type_code).polarity is Polarity.NEGATIVE
                   for s in in_force)  # fmt: skip
    made: list[ListEntry] = []
    for kind, rule in kinds.by_grade():
        if not _grade_qualifies(session, subject, kind, rule, grade, negative, entries, today):
            continue
        reason = _grade_reason(session, rule, grade)
        made.append(_propose(session, subject, kind, "criteria:grade", reason, None))
    return made


def _grade_qualifies(
    session: Session,
    subject: Subject,
    kind: ListKind,
    rule: GradeHeld,
    grade: SubjectGrade,
    negative: bool,
    entries: list[ListEntry],
    today: date,
) -> bool:
    if subject.kind not in kind.subject_kinds or grade.grade != rule.grade:
        return False
    if rule.no_negative_in_force and negative:
        return False
    months = _held_months(session, rule)
    if months and add_months(grade.grade_since, months) > today:
        return False
    mine = [e for e in entries if e.list_kind == kind.code]
    if any(e.status in LIVE for e in mine):
        return False
    if any(e.status in TURNED_DOWN and (e.ended_on or today) >= grade.grade_since for e in mine):
        return False  # a reviewer already said no to this very grade
    black = {k.code for k in list_kinds().all() if k.colour is Colour.BLACK}
    # A red list is never proposed for a subject that stands on (or is proposed for) a black one.
    return kind.colour is not Colour.RED or not any(
        e.list_kind in black and e.status in LIVE for e in entries
    )


def _held_months(session: Session, rule: GradeHeld) -> int:
    if rule.held_months_parameter is None:
        return 0
    return int(parameter_service.get(session, rule.held_months_parameter))


def _grade_reason(session: Session, rule: GradeHeld, grade: SubjectGrade) -> str:
    months = _held_months(session, rule)
    held = f"自{grade.grade_since:%Y年%m月%d日}起保持{months}个月以上" if months else ""
    clean = "，且无有效的负面信用记录" if rule.no_negative_in_force else ""
    return f"信用评价等级为{rule.grade.value}（{grade.score}分）{held}{clean}"


def _propose(
    session: Session,
    subject: Subject,
    kind: ListKind,
    origin: str,
    reason: str,
    record: CreditRecord | None,
) -> ListEntry:
    entry = ListEntry(
        subject_id=subject.id,
        list_kind=kind.code,
        origin=origin,
        source_record_id=(record.amends_id or record.id) if record else None,
        legal_basis=kind.legal_basis,
        reason=reason,
        proposed_by_org_id=SYSTEM.organisation_id,
    )
    return create(session, entry, kind)


def candidate_subjects(session: Session, kinds: ListKinds | None = None) -> list[int]:
    """Subjects some criterion could apply to: a graded subject of a criteria grade, or a
    subject with a serious record (the nightly sweep looks at these only)."""
    kinds = kinds or list_kinds()
    grades = {rule.grade for _kind, rule in kinds.by_grade()}
    graded = select(SubjectGrade.subject_id).where(SubjectGrade.grade.in_(grades))
    serious = select(CreditRecord.subject_id).where(CreditRecord.severity == Severity.SERIOUS)
    ids = set(session.scalars(graded)) | set(session.scalars(serious.distinct()))
    return sorted(ids)


@lru_cache(maxsize=8)
def catalog_for(folder: Path | None) -> Catalog:
    """The record catalogue (packaged, with an operator's override folder), read once."""
    return load_catalog(folder)
